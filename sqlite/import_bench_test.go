package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/sqlite"
)

// BenchmarkImport imports N rows (a new user with a new number each)
// through the service on a durable SQLite file, and beside it, in the same
// run, a raw baseline inserts the same rows on another file with the same
// pragmas: per row one user, one number and their two audit entries (the
// snapshots the product writes), as plain INSERTs, smsadmin.ImportBatch
// rows per transaction, as the import commits them. It reports rows/s of
// both and their ratio. Size with SMSADMIN_BENCH_IMPORT_ROWS (default
// 100000):
//
//	SMSADMIN_BENCH_IMPORT_ROWS=100000 go test -run '^$' -bench Import -benchtime 1x -timeout 30m ./sqlite
func BenchmarkImport(b *testing.B) {
	rows := 100000
	if n, err := strconv.Atoi(os.Getenv("SMSADMIN_BENCH_IMPORT_ROWS")); err == nil && n > 0 {
		rows = n
	}
	ctx := context.Background()
	var csv bytes.Buffer
	csv.WriteString("name,email,license,number\n")
	for i := range rows {
		fmt.Fprintf(&csv, "User %d,user%d@example.com,X2,%s\n", i, i, benchNumber(i))
	}
	for range b.N {
		b.StopTimer()
		dir := b.TempDir()
		store, err := sqlite.Open(ctx, filepath.Join(dir, "product.db"))
		if err != nil {
			b.Fatal(err)
		}
		svc := smsadmin.NewService(smsadmin.ServiceConfig{Store: store, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		sup := smsadmin.WithActor(ctx, smsadmin.Actor{PrincipalID: "prn_bench", Role: smsadmin.RoleSupport, Name: "bench"})
		tn := &smsadmin.Tenant{Name: "Bench"}
		if err := svc.CreateTenant(sup, tn); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		sum, err := svc.Import(sup, tn.ID, smsadmin.ImportCSV, bytes.NewReader(csv.Bytes()), smsadmin.ImportOutput{
			Start:   func(int) error { return nil },
			Results: func([]smsadmin.ImportResult) error { return nil },
		})
		product := time.Since(start)
		b.StopTimer()
		store.Close()
		if err != nil || sum.OK != rows {
			b.Fatalf("import: %+v, %v", sum, err)
		}

		baseline, err := importBaseline(ctx, filepath.Join(dir, "baseline.db"), rows)
		if err != nil {
			b.Fatal(err)
		}
		pr, br := float64(rows)/product.Seconds(), float64(rows)/baseline.Seconds()
		b.ReportMetric(pr, "product_rows/s")
		b.ReportMetric(br, "baseline_rows/s")
		b.ReportMetric(pr/br, "ratio")
		b.Logf("%d rows: product %v (%.0f rows/s), baseline %v (%.0f rows/s), ratio %.2f", rows, product.Round(time.Millisecond), pr,
			baseline.Round(time.Millisecond), br, pr/br)
	}
}

// benchNumber is the i-th of 8,000,000 valid San Francisco numbers.
func benchNumber(i int) string { return fmt.Sprintf("+1415%03d%04d", 201+i/10000, i%10000) }

// importBaseline inserts rows users, their numbers and an audit entry for
// each on a new database at path, ImportBatch rows per transaction, and
// returns the time the inserts took.
func importBaseline(ctx context.Context, path string, rows int) (time.Duration, error) {
	store, err := sqlite.Open(ctx, path)
	if err != nil {
		return 0, err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	tn := &smsadmin.Tenant{ID: smsadmin.NewID("ten", now), Name: "Bench", CreatedAt: now}
	err = store.Update(ctx, func(tx smsadmin.Tx) error { return tx.TenantCreate(ctx, tn) })
	if cerr := store.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	db, err := sql.Open(sqlite.DriverName, sqlite.DSN(path))
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	lic := "X2"
	at := now.Format(time.RFC3339Nano)
	audit := func(tx *sql.Tx, action, object string, after any) error {
		snap, err := json.Marshal(after)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (tenant_id, at, actor, actor_role, actor_name, action, object, "before", "after", request_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`, tn.ID, at, "prn_bench", "support", "bench", action, object, string(snap), "")
		return err
	}
	start := time.Now()
	for first := 0; first < rows; first += smsadmin.ImportBatch {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return 0, err
		}
		for i := first; i < min(first+smsadmin.ImportBatch, rows); i++ {
			u := &smsadmin.User{ID: smsadmin.NewID("usr", now), TenantID: tn.ID, Name: fmt.Sprintf("User %d", i),
				Email: fmt.Sprintf("user%d@example.com", i), License: &lic, PhoneNumbers: []string{}, CreatedAt: now, UpdatedAt: now}
			n := &smsadmin.PhoneNumber{TenantID: tn.ID, Number: benchNumber(i), Country: "US", UserID: u.ID, CreatedAt: now, UpdatedAt: now}
			if _, err := tx.ExecContext(ctx, `INSERT INTO users (tenant_id, id, name, email, license, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				u.TenantID, u.ID, u.Name, u.Email, *u.License, at, at); err != nil {
				return 0, err
			}
			if err := audit(tx, smsadmin.ActionUserCreate, "user/"+u.ID, u); err != nil {
				return 0, err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO phone_numbers (tenant_id, number, country, user_id, created_at, updated_at, status)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, n.TenantID, n.Number, n.Country, n.UserID, at, at, string(smsadmin.NumberDisabled)); err != nil {
				return 0, err
			}
			if err := audit(tx, smsadmin.ActionNumberCreate, "number/"+n.Number, n); err != nil {
				return 0, err
			}
		}
		if err := tx.Commit(); err != nil {
			return 0, err
		}
	}
	return time.Since(start), nil
}
