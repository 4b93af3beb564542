package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"smsadmin"
	"smsadmin/internal/enginebench"
	"smsadmin/sqlite"
)

// BenchmarkCarrierBound drives numbers from enable to enabled_assigned in
// real time against a carrier at 200 ms a call and 100 calls/s (the
// simulator with --sim-latency and --sim-rate; smsadmin with --carrier-rate
// 100), and reports the wall time against the carrier's floor, the
// calls that change something divided by the rate; then the same with 5%
// of the calls failing transiently (enginebench.BenchCarrierBound):
//
//	SMSADMIN_BENCH_NUMBERS=10000 go test -run '^$' -bench CarrierBound -benchtime 1x -timeout 60m ./sqlite
func BenchmarkCarrierBound(b *testing.B) {
	enginebench.BenchCarrierBound(b, func(b *testing.B) (smsadmin.Store, func()) {
		store, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		return store, func() { store.Close() }
	})
}
