package sqlite_test

import (
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"smsadmin/internal/pagebench"
	"smsadmin/sqlite"
)

// BenchmarkBulk times one bulk enable and one bulk assign of 1000 numbers
// over HTTP on a durable SQLite file of 10,000 numbers (a copy of
// pagebench's, each run), against a raw baseline in the same run: one
// transaction on the same file with the same pragmas updating those 1000
// rows (status and updated_at) as one prepared one-row UPDATE run 1000
// times (pagebench.Bulk):
//
//	go test -run '^$' -bench Bulk -benchtime 10x ./sqlite
func BenchmarkBulk(b *testing.B) {
	ctx := context.Background()
	src := pagebench.SQLiteFile(b, 10000)
	var enable, assign, raw time.Duration
	for range b.N {
		path := filepath.Join(b.TempDir(), "bulk.db")
		copyFile(b, src, path)
		store, err := sqlite.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		e, a, r := pagebench.Bulk(b, pagebench.Target{N: 10000, Store: store}, func(ctx context.Context, tenantID string, numbers []string) (time.Duration, error) {
			return bulkBaseline(ctx, path, tenantID, numbers)
		})
		enable, assign, raw = enable+e, assign+a, raw+r
	}
	pagebench.ReportBulk(b, enable, assign, raw, b.N)
}

// bulkBaseline updates numbers' rows in one transaction on the file at
// path with the store's pragmas and returns the time it took.
func bulkBaseline(ctx context.Context, path, tenantID string, numbers []string) (time.Duration, error) {
	db, err := sql.Open(sqlite.DriverName, sqlite.DSN(path))
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if err := db.PingContext(ctx); err != nil {
		return 0, err
	}
	at := time.Now().UTC().Format(time.RFC3339Nano)
	start := time.Now()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	update, err := tx.PrepareContext(ctx, `UPDATE phone_numbers SET status = ?, updated_at = ? WHERE tenant_id = ? AND number = ?`)
	if err != nil {
		return 0, err
	}
	for _, n := range numbers {
		if _, err := update.ExecContext(ctx, "pending", at, tenantID, n); err != nil {
			return 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

func copyFile(b *testing.B, from, to string) {
	in, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
}
