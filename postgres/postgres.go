// Package postgres is the Store on PostgreSQL, for any number of smsadmin
// instances sharing one database. It uses github.com/jackc/pgx/v5 and a
// pool of connections (pgxpool).
//
// Update runs fn in a SERIALIZABLE transaction: the checks fn makes (a
// campaign's count before reserving places, R9; a user's one SMS number,
// R4; a number's owner, R3) hold when it commits, whichever instance runs
// the transactions that race with it. PostgreSQL keeps that promise by
// aborting one of two transactions that could not have run one after the
// other (a serialisation failure, SQLSTATE 40001) or that wait on each
// other (a deadlock, 40P01); Update then runs fn again in a new
// transaction, a few times with a short random pause, so that callers never
// see it. View runs fn in a READ ONLY REPEATABLE READ transaction: one
// snapshot, which never waits for writers and is never aborted.
//
// The reconciler's work is claimed with SELECT ... FOR UPDATE SKIP LOCKED,
// so that instances claiming at once share the due rows without waiting
// for one another, in UpdateLocked: a READ COMMITTED transaction, which
// aborts no request's serialisable transaction.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"smsadmin"
)

// Store is a smsadmin.Store in a PostgreSQL database. It is safe for
// concurrent use, and any number of Stores, in any number of processes,
// may share one database.
type Store struct {
	pool     *pgxpool.Pool
	attempts int // how many times Update runs fn at most
	log      *slog.Logger

	signal     chan struct{} // SignalWork's pending NOTIFY
	stopNotify context.CancelFunc
	notifyDone chan struct{}
}

var _ smsadmin.Store = (*Store)(nil)

// Option changes how Open opens a database.
type Option func(*options)

type options struct {
	attempts int
	log      *slog.Logger
}

// WithLogger gives the store a logger for what goes wrong in the
// background (NOTIFY and LISTEN, see WorkSignal); by default it logs
// nothing.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) { o.log = l }
}

// defaultAttempts is how many times Update runs fn before it gives up on
// serialisation failures. Each failure means another transaction touching
// the same rows committed first, so giving up takes losing that many races
// in a row. Why so many: a hot row is lost to often. 100 assigns at once to
// one campaign (its count is the hot row) on a pool of 4 connections lose
// 2.3 times each on average and up to 8 times in a row; more instances and
// bigger pools make more racers.
const defaultAttempts = 50

// WithUpdateAttempts makes Update run fn at most n times (n >= 1) when
// PostgreSQL aborts its transaction for a serialisation failure or a
// deadlock; the last failure is then returned, an internal error. The
// default is 50.
func WithUpdateAttempts(n int) Option {
	return func(o *options) { o.attempts = max(n, 1) }
}

// Open connects to the database at url and migrates it to the current
// schema (see Migrate). url is a PostgreSQL connection URL or DSN, as libpq
// reads it ("postgres://user:password@host:5432/smsadmin?sslmode=verify-full"),
// which may also set the pool: pool_max_conns (default: the larger of 4
// and the number of CPUs), pool_min_conns, pool_max_conn_lifetime,
// pool_max_conn_idle_time and pool_health_check_period.
func Open(ctx context.Context, url string, opts ...Option) (*Store, error) {
	o := options{attempts: defaultAttempts, log: discardLogger}
	for _, opt := range opts {
		opt(&o)
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	cfg.AfterConnect = func(_ context.Context, c *pgx.Conn) error {
		// Times read back in UTC, as the service writes them (the SQLite
		// store too), whatever the server's or the process's time zone.
		c.TypeMap().RegisterType(&pgtype.Type{Name: "timestamptz", OID: pgtype.TimestamptzOID,
			Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC}})
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	s := &Store{pool: pool, attempts: o.attempts, log: o.log, signal: make(chan struct{}, 1), notifyDone: make(chan struct{})}
	if err := s.Migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	notifyCtx, stop := context.WithCancel(context.Background())
	s.stopNotify = stop
	go s.notifyLoop(notifyCtx)
	return s, nil
}

// Update runs fn in a SERIALIZABLE read-write transaction and commits it if
// fn returns nil. When PostgreSQL aborts the transaction to keep it
// serialisable (or to break a deadlock), whether in a statement or at
// commit, Update rolls back and runs fn again in a new transaction, up to
// the store's attempts (WithUpdateAttempts): fn must set its results afresh
// each time. Any other error from fn is returned as is, after rollback.
func (s *Store) Update(ctx context.Context, fn func(smsadmin.Tx) error) error {
	return s.retry(ctx, pgx.Serializable, fn)
}

// UpdateLocked runs fn as Update does, in a READ COMMITTED transaction:
// fn relies on the row locks it takes (WorkClaim's FOR UPDATE SKIP
// LOCKED), not on serialisability (see smsadmin.Store). Such a
// transaction takes no part in PostgreSQL's serialisable checks, so a
// claim neither aborts the requests whose rows it reads nor is aborted by
// them. Claims at SERIALIZABLE, every few milliseconds, aborted a bulk
// request of a thousand numbers 50 times in a row: the request reads and
// writes index pages beside the claimed rows, and the due index the
// claims read.
func (s *Store) UpdateLocked(ctx context.Context, fn func(smsadmin.Tx) error) error {
	return s.retry(ctx, pgx.ReadCommitted, fn)
}

// retry runs fn in a read-write transaction at iso, again while
// PostgreSQL aborts it, up to the store's attempts.
func (s *Store) retry(ctx context.Context, iso pgx.TxIsoLevel, fn func(smsadmin.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := s.update(ctx, iso, fn)
		if !errors.Is(err, errRetry) {
			return err
		}
		if attempt >= s.attempts {
			return fmt.Errorf("postgres: update: still aborted after %d attempts: %w", attempt, err)
		}
		if err := pause(ctx, attempt); err != nil {
			return err
		}
	}
}

// errRetry marks an Update's transaction aborted by PostgreSQL to keep it
// serialisable: running it again may succeed.
var errRetry = errors.New("aborted by a concurrent transaction (serialisation failure or deadlock)")

// retryError is the error of an aborted attempt: errRetry, with
// PostgreSQL's error for the record.
type retryError struct{ err error }

func (e retryError) Error() string        { return errRetry.Error() + ": " + e.err.Error() }
func (e retryError) Is(target error) bool { return target == errRetry }
func (e retryError) Unwrap() error        { return e.err }

// update makes one attempt of Update. Its error is a retryError when the
// transaction was aborted to keep it serialisable.
func (s *Store) update(ctx context.Context, iso pgx.TxIsoLevel, fn func(smsadmin.Tx) error) error {
	pt, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: iso, AccessMode: pgx.ReadWrite})
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	defer pt.Rollback(context.WithoutCancel(ctx)) // after Commit, a no-op; on error or panic, the undo
	t := &tx{db: pt}
	err = fn(t)
	if t.aborted != nil {
		// Whatever fn made of the failure (returned it, wrapped it, turned
		// it into a rule's error or ignored it), what it saw was not a
		// serialisable state: run it again.
		return retryError{err: fmt.Errorf("postgres: %w", t.aborted)}
	}
	if err != nil {
		return err
	}
	if err := pt.Commit(ctx); err != nil {
		if retryable(err) {
			return retryError{err: fmt.Errorf("postgres: commit: %w", err)}
		}
		return fmt.Errorf("postgres: commit: %w", err)
	}
	return nil
}

// pause waits before attempt+1 of an Update: a random time of up to 2, 4,
// 8 ... 64 milliseconds, so that the transactions that collided do not
// collide again in step.
func pause(ctx context.Context, attempt int) error {
	d := time.Duration(rand.Int64N(int64(time.Millisecond) << min(attempt, 6)))
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// View runs fn in a READ ONLY REPEATABLE READ transaction: it sees one
// snapshot of the database throughout, and any write fn attempts fails.
func (s *Store) View(ctx context.Context, fn func(smsadmin.Tx) error) error {
	pt, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	defer pt.Rollback(context.WithoutCancel(ctx)) // nothing to keep
	return fn(&tx{db: pt})
}

// Close closes every connection of the pool, waiting for those in use to
// be released.
func (s *Store) Close() error {
	s.stopNotify()
	<-s.notifyDone
	s.pool.Close()
	return nil
}
