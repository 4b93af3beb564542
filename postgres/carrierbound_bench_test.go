package postgres_test

import (
	"context"
	"testing"

	"smsadmin"
	"smsadmin/internal/enginebench"
	"smsadmin/postgres"
)

// BenchmarkCarrierBound is the carrier-bound benchmark
// (enginebench.BenchCarrierBound) on a durable PostgreSQL server:
//
//	export SMSADMIN_TEST_POSTGRES=$(SMSADMIN_PGTEST_DIR=/tmp/smsadmin-pgbench SMSADMIN_PGTEST_DURABLE=1 scripts/pgtest.sh start)
//	SMSADMIN_BENCH_NUMBERS=10000 go test -run '^$' -bench CarrierBound -benchtime 1x -timeout 60m ./postgres
func BenchmarkCarrierBound(b *testing.B) {
	enginebench.BenchCarrierBound(b, func(b *testing.B) (smsadmin.Store, func()) {
		store, err := postgres.Open(context.Background(), benchDatabase(b))
		if err != nil {
			b.Fatal(err)
		}
		return store, func() { store.Close() }
	})
}
