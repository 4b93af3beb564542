package sqlite

import (
	"context"
	"embed"
	"fmt"
	"smsadmin/internal/sqlstore"
	"time"
)

// migrationFS holds the schema, one file per version: NNNN_name.sql, applied
// in order. Never edit a released file; add the next one.
//
//go:embed migration/*.sql
var migrationFS embed.FS

// migrations returns the embedded migrations in version order.
func migrations() ([]sqlstore.Migration, error) { return sqlstore.Migrations(migrationFS) }

// Migrate brings the database to the newest schema this build knows: each
// migration not yet recorded in schema_migrations runs in its own
// transaction, together with its record. Running it again changes nothing.
// A database migrated by a newer build is an error, not a guess.
func (s *Store) Migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	if _, err := s.writer.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at TEXT NOT NULL
	) STRICT`); err != nil {
		return fmt.Errorf("sqlite: creating schema_migrations: %w", err)
	}
	var newest int
	if err := s.writer.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&newest); err != nil {
		return fmt.Errorf("sqlite: reading schema_migrations: %w", err)
	}
	if newest > len(ms) {
		return fmt.Errorf("sqlite: the database has schema version %d, newer than this build's %d; run a newer smsadmin", newest, len(ms))
	}
	for _, m := range ms {
		if err := s.migrate(ctx, m); err != nil {
			return fmt.Errorf("sqlite: migration %s: %w", m.Name, err)
		}
	}
	return nil
}

// migrate applies m unless it is recorded already. The check is inside the
// (IMMEDIATE) transaction, so two processes migrating at once apply m once.
func (s *Store) migrate(ctx context.Context, m sqlstore.Migration) error {
	t, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer t.Rollback()
	var n int
	if err := t.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.Version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := t.ExecContext(ctx, m.SQL); err != nil {
		return err
	}
	if _, err := t.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
		m.Version, formatTime(time.Now())); err != nil {
		return err
	}
	return t.Commit()
}
