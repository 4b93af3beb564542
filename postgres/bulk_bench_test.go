package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"smsadmin/internal/pagebench"
	"smsadmin/postgres"
)

// BenchmarkBulk is pagebench.Bulk on PostgreSQL: one bulk enable and one
// bulk assign of 1000 numbers over HTTP on a tenant of 10,000 numbers (a
// fresh database on a durable server each run, filled first, not timed),
// against a raw baseline in the same run: one transaction on the same
// database updating those 1000 rows (status and updated_at) as one
// prepared one-row UPDATE run 1000 times, as the SQLite benchmark does:
//
//	export SMSADMIN_TEST_POSTGRES=$(SMSADMIN_PGTEST_DIR=/tmp/smsadmin-pgbench SMSADMIN_PGTEST_DURABLE=1 scripts/pgtest.sh start)
//	go test -run '^$' -bench Bulk -benchtime 5x ./postgres
func BenchmarkBulk(b *testing.B) {
	ctx := context.Background()
	var enable, assign, raw time.Duration
	for range b.N {
		url := benchDatabase(b)
		store, err := postgres.Open(ctx, url)
		if err != nil {
			b.Fatal(err)
		}
		pagebench.Fill(b, store, 10000)
		e, a, r := pagebench.Bulk(b, pagebench.Target{N: 10000, Store: store}, func(ctx context.Context, tenantID string, numbers []string) (time.Duration, error) {
			return bulkBaseline(ctx, url, tenantID, numbers)
		})
		enable, assign, raw = enable+e, assign+a, raw+r
	}
	pagebench.ReportBulk(b, enable, assign, raw, b.N)
}

// bulkBaseline updates numbers' rows in one transaction on the database
// at url and returns the time it took.
func bulkBaseline(ctx context.Context, url, tenantID string, numbers []string) (time.Duration, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return 0, err
	}
	defer conn.Close(ctx)
	at := time.Now().UTC()
	start := time.Now()
	tx, err := conn.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback(ctx)
	for _, n := range numbers {
		if _, err := tx.Exec(ctx, `UPDATE phone_numbers SET status = $1, updated_at = $2 WHERE tenant_id = $3 AND number = $4`,
			"pending", at, tenantID, n); err != nil {
			return 0, err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}
