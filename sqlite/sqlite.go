// Package sqlite is the embedded Store: one SQLite file, opened in WAL mode
// with one writer connection and a pool of read-only connections.
//
// Writes go through Update on the single writer connection, in transactions
// that begin IMMEDIATE: they take the write lock up front, so one never has
// to upgrade a read lock and fail with SQLITE_BUSY halfway, and the checks a
// caller makes in fn still hold when it commits. Reads go through View on
// query_only connections, which see a consistent snapshot and run beside the
// writer. synchronous=FULL makes every commit durable before Update returns.
// Each connection prepares a statement once and keeps it (stmtcache.go).
//
// The driver is pure-Go modernc.org/sqlite unless the build tag sqlite_mattn
// selects the cgo github.com/mattn/go-sqlite3; the two differ only in
// driver_modernc.go and driver_mattn.go.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"smsadmin"
)

// readers is the size of the read-only connection pool.
const readers = 4

// connRole says which pool a connection belongs to.
type connRole int

const (
	writer connRole = iota
	reader
)

// Store is a smsadmin.Store in one SQLite file. It is safe for concurrent
// use.
type Store struct {
	writer *sql.DB // one connection: SQLite has one writer at a time anyway
	reader *sql.DB // query_only connections for View
}

var _ smsadmin.Store = (*Store)(nil)

// Option changes how Open opens a database.
type Option func(*options)

type options struct {
	sync string // the synchronous pragma: FULL, or OFF without fsync
}

// WithoutFsync makes commits skip fsync (synchronous=OFF): a commit
// survives a crash of the process, but not of the machine. For tests only,
// which open thousands of throwaway databases; the product never uses it.
func WithoutFsync() Option { return func(o *options) { o.sync = "OFF" } }

// Open opens the database at path, creating the file if need be, and
// migrates it to the current schema (see Migrate). Every commit is durable
// before Update returns (synchronous=FULL) unless an option says otherwise.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	o := options{sync: "FULL"}
	for _, opt := range opts {
		opt(&o)
	}
	if path == "" {
		return nil, errors.New("sqlite: empty database path")
	}
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	w, err := openCaching(driverName, dsn(path, writer, o.sync))
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	// Why one connection: writes are serialised by SQLite anyway; queueing
	// them in database/sql instead of on the file lock avoids busy waits.
	// Why never recycle it: there is no reason to pay reconnection.
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)

	r, err := openCaching(driverName, dsn(path, reader, o.sync))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)

	s := &Store{writer: w, reader: r}
	// Migrate before the first reader connects: the writer switches a new
	// file to WAL, which a query_only connection could not do.
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := r.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlite: opening a reader: %w", err)
	}
	// SQLite gives the -wal and -shm files the database file's mode; a
	// database created by an older version (or by hand) may have passed
	// its 0644 on. They hold every tenant's data too: owner only.
	for _, name := range []string{path + "-wal", path + "-shm"} {
		if err := os.Chmod(name, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			s.Close()
			return nil, fmt.Errorf("sqlite: %w", err)
		}
	}
	return s, nil
}

// createPrivate creates the database file readable and writable by its
// owner only (0600, whatever the umask) when it does not exist yet, so that
// SQLite opens it rather than creating it with the umask's 0644. An
// existing file keeps the mode its operator gave it.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	} else if err != nil {
		return fmt.Errorf("sqlite: creating the database file: %w", err)
	}
	if err := f.Chmod(0o600); err != nil { // umask-independent
		f.Close()
		return fmt.Errorf("sqlite: %w", err)
	}
	return f.Close()
}

// Update runs fn in a read-write transaction and commits it if fn returns
// nil. The transaction begins IMMEDIATE on the only writer connection, so
// updates run one at a time and never fail for a lock upgrade. An error from
// fn is returned as is, after rollback.
func (s *Store) Update(ctx context.Context, fn func(smsadmin.Tx) error) error {
	t, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	defer t.Rollback() // after Commit, a no-op; on error or panic, the undo
	if err := fn(&tx{db: t, read: map[numberKey][]any{}}); err != nil {
		return err
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	return nil
}

// UpdateLocked is Update: SQLite runs its writers one at a time, so a
// transaction that relies on row locks is one that is serialisable.
func (s *Store) UpdateLocked(ctx context.Context, fn func(smsadmin.Tx) error) error {
	return s.Update(ctx, fn)
}

// View runs fn in a read-only transaction over a consistent snapshot. Any
// write fn attempts fails (the connection is query_only).
func (s *Store) View(ctx context.Context, fn func(smsadmin.Tx) error) error {
	t, err := s.reader.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	defer t.Rollback() // nothing to keep
	return fn(&tx{db: t})
}

// Close closes every connection. The last one to close checkpoints the WAL
// into the database file.
func (s *Store) Close() error {
	return errors.Join(s.reader.Close(), s.writer.Close())
}

// escapePath makes path safe inside a "file:" URI, where '?' starts the
// query, '#' a fragment and '%' an escape.
func escapePath(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}
