package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"smsadmin/internal/enginebench"
	"smsadmin/sqlite"
)

// BenchmarkEngine drives numbers from enable to enabled_assigned through
// the whole product on a SQLite file (enginebench) and compares its wall
// time with a raw baseline: the same status transitions as plain one-row
// UPDATEs, 100 per transaction, on the same file with the same pragmas, by
// a minimal loop. Size with SMSADMIN_BENCH_NUMBERS (default 100000):
//
//	SMSADMIN_BENCH_NUMBERS=100000 go test -run '^$' -bench Engine -benchtime 1x -timeout 60m ./sqlite
func BenchmarkEngine(b *testing.B) {
	count := enginebench.Numbers(100000)
	for range b.N {
		path := filepath.Join(b.TempDir(), "bench.db")
		store, err := sqlite.Open(context.Background(), path)
		if err != nil {
			b.Fatal(err)
		}
		enginebench.Run(b, store, count, func(ctx context.Context, tenantID string, batches [][]enginebench.Transition) (time.Duration, error) {
			db, err := sql.Open(sqlite.DriverName, sqlite.DSN(path))
			if err != nil {
				return 0, err
			}
			defer db.Close()
			db.SetMaxOpenConns(1)
			start := time.Now()
			for _, batch := range batches {
				tx, err := db.BeginTx(ctx, nil)
				if err != nil {
					return 0, err
				}
				for _, t := range batch {
					if _, err := tx.ExecContext(ctx, `UPDATE phone_numbers SET status = ?, updated_at = ? WHERE tenant_id = ? AND number = ?`,
						string(t.Status), time.Now().UTC().Format(time.RFC3339Nano), tenantID, t.Number); err != nil {
						return 0, err
					}
				}
				if err := tx.Commit(); err != nil {
					return 0, err
				}
			}
			return time.Since(start), nil
		})
	}
}
