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
// time with a raw baseline: the same number of single-row durable updates,
// in the same transaction sizes, on the same file, by a minimal loop. Size
// with SMSADMIN_BENCH_NUMBERS (default 100000):
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
		enginebench.Run(b, store, count, func(ctx context.Context, tenantID string, numbers []string, batches []int) (time.Duration, error) {
			db, err := sql.Open(sqlite.DriverName, sqlite.DSN(path))
			if err != nil {
				return 0, err
			}
			defer db.Close()
			db.SetMaxOpenConns(1)
			rows := 0
			start := time.Now()
			for _, size := range batches {
				tx, err := db.BeginTx(ctx, nil)
				if err != nil {
					return 0, err
				}
				for range size {
					if _, err := tx.ExecContext(ctx, `UPDATE phone_numbers SET updated_at = ? WHERE tenant_id = ? AND number = ?`,
						time.Now().UTC().Format(time.RFC3339Nano), tenantID, numbers[rows%len(numbers)]); err != nil {
						return 0, err
					}
					rows++
				}
				if err := tx.Commit(); err != nil {
					return 0, err
				}
			}
			return time.Since(start), nil
		})
	}
}
