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
	// read holds, in a write transaction (nil in a View), the stored
	// values of the numbers it read, as NumberUpdate would write them
	// (numberArgs), so that NumberUpdate writes only the columns a change
	// touches: each column written costs an update of every index on it,
	// and a number's row has nine.
	read map[numberKey][]any
}

// numberKey names a number's row.
type numberKey struct{ tenantID, number string }

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
