package postgres

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"smsadmin/internal/sqlstore"

	"github.com/jackc/pgx/v5"
)

// migrationFS holds the schema, one file per version: NNNN_name.sql, applied
// in order. Never edit a released file; add the next one.
//
//go:embed migration/*.sql
var migrationFS embed.FS

// migrations returns the embedded migrations in version order.
func migrations() ([]sqlstore.Migration, error) { return sqlstore.Migrations(migrationFS) }

// migrateLock is the key of the advisory lock every migration holds:
// "smsadmin" in ASCII. Advisory locks are per database, so it only ever
// meets another smsadmin migrating the same database.
const migrateLock int64 = 0x736d7361646d696e

// Migrate brings the database to the newest schema this build knows: each
// migration not yet recorded in schema_migrations runs in its own
// transaction, together with its record. Running it again changes nothing.
// A database migrated by a newer build is an error, not a guess.
//
// Several instances may start and migrate at once: each transaction first
// takes a transaction-level advisory lock (pg_advisory_xact_lock), so they
// run one at a time, and each finds what the others applied.
func (s *Store) Migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	for _, m := range ms {
		if err := s.migrate(ctx, m, len(ms)); err != nil {
			return err
		}
	}
	return nil
}

// migrate applies m unless it is recorded already, in one transaction under
// the migration lock; newest is this build's newest version.
func (s *Store) migrate(ctx context.Context, m sqlstore.Migration, newest int) error {
	return pgx.BeginFunc(ctx, s.pool, func(t pgx.Tx) error {
		if _, err := t.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrateLock); err != nil {
			return fmt.Errorf("postgres: taking the migration lock: %w", err)
		}
		// Why only under the lock: two CREATE TABLE IF NOT EXISTS at once
		// can both find no table and one then fails on a duplicate.
		if _, err := t.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    integer PRIMARY KEY,
			applied_at timestamptz NOT NULL DEFAULT now()
		)`); err != nil {
			return fmt.Errorf("postgres: creating schema_migrations: %w", err)
		}
		var have int
		var applied bool
		if err := t.QueryRow(ctx, `SELECT coalesce(max(version), 0), coalesce(bool_or(version = $1), false)
			FROM schema_migrations`, m.Version).Scan(&have, &applied); err != nil {
			return fmt.Errorf("postgres: reading schema_migrations: %w", err)
		}
		if have > newest {
			return fmt.Errorf("postgres: the database has schema version %d, newer than this build's %d; run a newer smsadmin", have, newest)
		}
		if applied {
			return nil
		}
		// A migration is several statements: the simple protocol runs
		// them as one script.
		if _, err := t.Exec(ctx, m.SQL, pgx.QueryExecModeSimpleProtocol); err != nil {
			return fmt.Errorf("postgres: migration %s: %w", m.Name, err)
		}
		if _, err := t.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, m.Version); err != nil {
			return fmt.Errorf("postgres: migration %s: %w", m.Name, err)
		}
		return nil
	})
}

// SchemaDigest names the schema Migrate makes: a digest of the embedded
// migrations, which changes whenever one is added. Test support keeps a
// migrated template database under it, so that a test's database is a
// copy instead of a migration run.
func SchemaDigest() (string, error) {
	ms, err := migrations()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, m := range ms {
		fmt.Fprintf(h, "%d %s %d\n%s\n", m.Version, m.Name, len(m.SQL), m.SQL)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}
