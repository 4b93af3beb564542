package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"smsadmin"
)

// tx is a smsadmin.Tx over one PostgreSQL transaction. Every statement on
// tenant data names the tenant (WHERE tenant_id = $n): a row of another
// tenant is not found, never returned.
//
// Every statement goes through exec, query or queryRow, which note a
// serialisation failure or deadlock: Update then runs fn again whatever fn
// made of the error (it may have wrapped it, replaced it, or ignored it).
type tx struct {
	db pgx.Tx
	// aborted is PostgreSQL's first error that aborted the transaction to
	// keep it serialisable; nil while it was not.
	aborted error
}

var _ smsadmin.Tx = (*tx)(nil)

// note records err if it asks for the transaction to be run again, and
// returns it.
func (t *tx) note(err error) error {
	if t.aborted == nil && retryable(err) {
		t.aborted = err
	}
	return err
}

func (t *tx) exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	tag, err := t.db.Exec(ctx, sql, args...)
	return tag, t.note(err)
}

func (t *tx) query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	rows, err := t.db.Query(ctx, sql, args...)
	return rows, t.note(err)
}

func (t *tx) queryRow(ctx context.Context, sql string, args ...any) scanner {
	return noted{t: t, row: t.db.QueryRow(ctx, sql, args...)}
}

// scanner is a pgx.Row or pgx.Rows.
type scanner interface {
	Scan(dest ...any) error
}

// noted is a pgx.Row whose error is noted by its transaction.
type noted struct {
	t   *tx
	row pgx.Row
}

func (r noted) Scan(dest ...any) error { return r.t.note(r.row.Scan(dest...)) }

// list runs query and scans each row with scan. It returns an empty slice,
// never nil, when there are no rows; errors are internal (what names the
// list in them).
func list[T any](ctx context.Context, t *tx, what string, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := t.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: listing %s: %w", what, err)
	}
	defer rows.Close()
	items := []T{}
	for rows.Next() {
		item, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: listing %s: %w", what, t.note(err))
		}
		items = append(items, item)
	}
	if err := t.note(rows.Err()); err != nil {
		return nil, fmt.Errorf("postgres: listing %s: %w", what, err)
	}
	return items, nil
}
