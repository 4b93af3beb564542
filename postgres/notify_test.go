package postgres_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"smsadmin/postgres"
)

// TestWorkSignal: work signalled by one instance wakes the reconciler of
// every instance on the database, its own included, at once; an instance on
// another database hears nothing.
func TestWorkSignal(t *testing.T) {
	db := database(t)
	ctx := t.Context()
	open := func(url string) *postgres.Store {
		s, err := postgres.Open(ctx, url)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a, b, other := open(db), open(db), open(database(t))

	// listen starts ListenWork and returns its wakes; the first wake comes
	// when it listens.
	listen := func(s *postgres.Store) <-chan struct{} {
		wakes := make(chan struct{}, 100)
		ctx, cancel := context.WithCancel(ctx)
		var done sync.WaitGroup
		done.Go(func() { s.ListenWork(ctx, func() { wakes <- struct{}{} }) })
		t.Cleanup(func() { cancel(); done.Wait() })
		<-wakes
		return wakes
	}
	// wait fails t when no wake comes within 2 minutes (a signal takes a
	// few milliseconds; the bound is for a loaded machine).
	wait := func(wakes <-chan struct{}, who string) {
		t.Helper()
		select {
		case <-wakes:
		case <-time.After(2 * time.Minute):
			t.Fatalf("%s was not woken", who)
		}
	}
	wakeA, wakeB, wakeOther := listen(a), listen(b), listen(other)

	a.SignalWork()
	wait(wakeA, "the signalling instance")
	wait(wakeB, "the other instance")
	b.SignalWork()
	wait(wakeA, "the other instance")
	wait(wakeB, "the signalling instance")
	// other got nothing: NOTIFY reaches the listeners of its database only.
	// (Its channel would hold a wake by now: the two NOTIFYs above were
	// delivered, in order, after any delivery to other.)
	a.SignalWork()
	wait(wakeA, "the signalling instance")
	select {
	case <-wakeOther:
		t.Fatal("an instance on another database was woken")
	default:
	}
}
