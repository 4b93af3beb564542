package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"smsadmin"
)

// tx is a smsadmin.Tx over one SQLite transaction. Every statement on
// tenant data names the tenant (WHERE tenant_id = ?): a row of another
// tenant is not found, never returned.
type tx struct {
	db *sql.Tx
}

var _ smsadmin.Tx = (*tx)(nil)

// scanner is a *sql.Row or *sql.Rows.
type scanner interface {
	Scan(dest ...any) error
}

// list runs query and scans each row with scan. It returns an empty slice,
// never nil, when there are no rows; errors are internal (what names the
// list in them).
func list[T any](ctx context.Context, t *tx, what string, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := t.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: listing %s: %w", what, err)
	}
	defer rows.Close()
	items := []T{}
	for rows.Next() {
		item, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: listing %s: %w", what, err)
		}
		items = append(items, item)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: listing %s: %w", what, err)
	}
	return items, nil
}
