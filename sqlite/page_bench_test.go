package sqlite_test

import (
	"context"
	"testing"

	"smsadmin/internal/pagebench"
	"smsadmin/sqlite"
)

// BenchmarkPage times pages of 100 of the SMS page's list, the inventory
// and the users list over HTTP, first and deep, on a tenant of 10,000
// numbers and on one of SMSADMIN_BENCH_NUMBERS (default 1,000,000), side
// by side (pagebench.Run). The databases are durable SQLite files made
// once and kept (pagebench.SQLiteFile; SMSADMIN_BENCH_DIR):
//
//	go test -run '^$' -bench Page -benchtime 200x -timeout 60m ./sqlite
func BenchmarkPage(b *testing.B) {
	ctx := context.Background()
	var targets []pagebench.Target
	for _, n := range []int{10000, pagebench.Numbers(1000000)} {
		store, err := sqlite.Open(ctx, pagebench.SQLiteFile(b, n))
		if err != nil {
			b.Fatal(err)
		}
		defer store.Close()
		targets = append(targets, pagebench.Target{N: n, Store: store})
	}
	pagebench.Run(b, targets)
}
