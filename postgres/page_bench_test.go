package postgres_test

import (
	"context"
	"testing"
	"time"

	"smsadmin/internal/pagebench"
	"smsadmin/postgres"
)

// BenchmarkPage is pagebench.Run on PostgreSQL: pages of 100 of the SMS
// page's list, the inventory and the users list over HTTP, first and deep,
// on a tenant of 10,000 numbers and one of SMSADMIN_BENCH_NUMBERS (default
// 1,000,000), side by side, each in a fresh database on a durable server
// filled first (pagebench.Fill, not timed) and analysed:
//
//	export SMSADMIN_TEST_POSTGRES=$(SMSADMIN_PGTEST_DIR=/tmp/smsadmin-pgbench SMSADMIN_PGTEST_DURABLE=1 scripts/pgtest.sh start)
//	SMSADMIN_BENCH_NUMBERS=100000 go test -run '^$' -bench Page -benchtime 200x -timeout 60m ./postgres
func BenchmarkPage(b *testing.B) {
	ctx := context.Background()
	var targets []pagebench.Target
	for _, n := range []int{10000, pagebench.Numbers(1000000)} {
		store, err := postgres.Open(ctx, benchDatabase(b))
		if err != nil {
			b.Fatal(err)
		}
		defer store.Close()
		t0 := time.Now()
		pagebench.Fill(b, store, n)
		b.Logf("filled %d numbers in %v", n, time.Since(t0).Round(time.Second))
		targets = append(targets, pagebench.Target{N: n, Store: store})
	}
	pagebench.Run(b, targets)
}
