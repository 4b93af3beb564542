package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"smsadmin/internal/enginebench"
	"smsadmin/sqlite"
)

// BenchmarkCarrierBound drives numbers from enable to enabled_assigned in
// real time against a carrier at 200 ms a call and 100 calls/s (the
// simulator with --sim-latency and --sim-rate; smsadmin with --carrier-rate
// 100), and reports the wall time against the carrier's floor, the
// calls that change something divided by the rate; then the same with 5%
// of the calls failing transiently. Size with SMSADMIN_BENCH_NUMBERS
// (default 2000):
//
//	SMSADMIN_BENCH_NUMBERS=10000 go test -run '^$' -bench CarrierBound -benchtime 1x -timeout 60m ./sqlite
func BenchmarkCarrierBound(b *testing.B) {
	count := enginebench.Numbers(2000)
	for _, tc := range []struct {
		name      string
		transient float64
	}{{"clean", 0}, {"transient5pct", 0.05}} {
		b.Run(tc.name, func(b *testing.B) {
			for range b.N {
				store, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
				if err != nil {
					b.Fatal(err)
				}
				enginebench.RunCarrierBound(b, store, count, enginebench.CarrierBound{
					Latency: 200 * time.Millisecond, Rate: 100, Delay: time.Second, Transient: tc.transient})
				store.Close()
			}
		})
	}
}
