package postgres

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"smsadmin"
)

// workChannel is the NOTIFY channel on which instances sharing the database
// tell each other of fresh work.
const workChannel = "smsadmin_work"

var _ smsadmin.WorkSignal = (*Store)(nil)

// SignalWork implements smsadmin.WorkSignal with NOTIFY: it never blocks,
// and signals made while one is being sent are sent as one.
func (s *Store) SignalWork() {
	select {
	case s.signal <- struct{}{}:
	default: // one is pending already: it covers this one
	}
}

// notifyLoop sends the NOTIFYs SignalWork asks for, one at a time, until
// the store closes. A NOTIFY that fails is not retried: the other
// instances' reconcilers find the work on their next idle look.
func (s *Store) notifyLoop(ctx context.Context) {
	defer close(s.notifyDone)
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.signal:
		}
		if _, err := s.pool.Exec(ctx, `SELECT pg_notify($1, '')`, workChannel); err != nil && ctx.Err() == nil {
			s.log.Warn("postgres: telling other instances of fresh work failed; they find it on their next look", "error", err)
		}
	}
}

// ListenWork implements smsadmin.WorkSignal with LISTEN, on a connection of
// its own (outside the pool: it is held for as long as ctx lasts). When the
// connection is lost it connects again, pausing up to 5 s between tries,
// and calls wake once it listens again.
func (s *Store) ListenWork(ctx context.Context, wake func()) {
	pause := 100 * time.Millisecond
	for ctx.Err() == nil {
		listened, err := s.listen(ctx, wake)
		if ctx.Err() != nil {
			return
		}
		if listened {
			pause = 100 * time.Millisecond
		}
		s.log.Warn("postgres: not listening for other instances' work; trying again", "in", pause, "error", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(2*pause, 5*time.Second)
	}
}

// listen listens on one connection until it fails or ctx ends; listened
// says whether it got as far as listening.
func (s *Store) listen(ctx context.Context, wake func()) (listened bool, err error) {
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return false, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+workChannel); err != nil {
		return false, err
	}
	wake() // anything signalled while this instance was not listening
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return true, err
		}
		wake()
	}
}

// discardLogger is the logger of a Store opened without WithLogger.
var discardLogger = slog.New(slog.DiscardHandler)
