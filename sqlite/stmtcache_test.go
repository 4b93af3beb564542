package sqlite

import (
	"context"
	"path/filepath"
	"testing"
)

// A connection prepares each statement once and keeps it; a query run
// again while its previous rows are still being read gets a statement of
// its own, so that neither disturbs the other.
func TestStatementCache(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := openCaching(driverName, dsn(filepath.Join(t.TempDir(), "cache.db"), writer, "OFF"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (id INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	const each = `SELECT id FROM t ORDER BY id`
	err = func() error {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		for id := 1; id <= 3; id++ {
			if _, err := tx.ExecContext(ctx, `INSERT INTO t (id) VALUES (?)`, id); err != nil {
				return err
			}
		}
		rows, err := tx.QueryContext(ctx, each)
		if err != nil {
			return err
		}
		defer rows.Close()
		var seen []int
		for len(seen) <= 3 && rows.Next() { // a shared statement would start over each time
			var id, first int
			if err := rows.Scan(&id); err != nil {
				return err
			}
			// The same statement, while its rows are open.
			if err := tx.QueryRowContext(ctx, each).Scan(&first); err != nil {
				return err
			}
			if first != 1 {
				t.Errorf("the nested query's first row is %d, want 1", first)
			}
			seen = append(seen, id)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(seen) != 3 || seen[0] != 1 || seen[2] != 3 {
			t.Errorf("the outer query read %v, want [1 2 3]", seen)
		}
		return tx.Commit()
	}()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for range 3 {
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM t`).Scan(&n); err != nil || n != 3 {
			t.Fatalf("count = %d, %v; want 3", n, err)
		}
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.Raw(func(dc any) error {
		// The CREATE took no arguments: it ran as a script, uncached.
		if got := len(dc.(*cachingConn).stmts); got != 3 {
			t.Errorf("the connection keeps %d statements, want 3 (insert, select, count)", got)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
