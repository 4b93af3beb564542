package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"smsadmin/internal/enginebench"
	"smsadmin/postgres"
)

// BenchmarkEngine drives numbers from enable to enabled_assigned through
// the whole product on PostgreSQL (enginebench) and compares its wall time
// with a raw baseline: the same status transitions as plain one-row
// UPDATEs, 100 per transaction, on the same database over one connection.
// The server must be durable (fsync on; scripts/pgtest.sh's test server is
// not):
//
//	export SMSADMIN_TEST_POSTGRES=$(SMSADMIN_PGTEST_DIR=/tmp/smsadmin-pgbench SMSADMIN_PGTEST_DURABLE=1 scripts/pgtest.sh start)
//	SMSADMIN_BENCH_NUMBERS=10000 go test -run '^$' -bench Engine -benchtime 1x -timeout 60m ./postgres
func BenchmarkEngine(b *testing.B) {
	count := enginebench.Numbers(100000)
	for range b.N {
		url := benchDatabase(b)
		store, err := postgres.Open(context.Background(), url)
		if err != nil {
			b.Fatal(err)
		}
		enginebench.Run(b, store, count, func(ctx context.Context, tenantID string, batches [][]enginebench.Transition) (time.Duration, error) {
			conn, err := pgx.Connect(ctx, url)
			if err != nil {
				return 0, err
			}
			defer conn.Close(ctx)
			start := time.Now()
			for _, batch := range batches {
				tx, err := conn.Begin(ctx)
				if err != nil {
					return 0, err
				}
				for _, t := range batch {
					if _, err := tx.Exec(ctx, `UPDATE phone_numbers SET status = $1, updated_at = $2 WHERE tenant_id = $3 AND number = $4`,
						string(t.Status), time.Now().UTC(), tenantID, t.Number); err != nil {
						return 0, err
					}
				}
				if err := tx.Commit(ctx); err != nil {
					return 0, err
				}
			}
			return time.Since(start), nil
		})
	}
}

// benchDatabase returns a fresh database on the server, which must be
// durable: a benchmark on a server that does not fsync measures nothing
// a deployment would see.
func benchDatabase(b *testing.B) string {
	b.Helper()
	url := database(b)
	conn, err := pgx.Connect(b.Context(), url)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(b.Context())
	var fsync, commit string
	if err := conn.QueryRow(b.Context(), `SELECT current_setting('fsync'), current_setting('synchronous_commit')`).Scan(&fsync, &commit); err != nil {
		b.Fatal(err)
	}
	if fsync != "on" || commit != "on" {
		b.Skipf("the server runs with fsync=%s, synchronous_commit=%s: benchmarks need a durable server "+
			"(SMSADMIN_PGTEST_DIR=/tmp/smsadmin-pgbench SMSADMIN_PGTEST_DURABLE=1 scripts/pgtest.sh start)", fsync, commit)
	}
	return url
}
