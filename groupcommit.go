package smsadmin

import (
	"context"
	"sync"
)

// maxGroupCommit bounds how many outcomes one group commit writes in one
// transaction, so that none holds the writer for long.
const maxGroupCommit = 200

// groupCommit commits the outcomes of reconcile steps that finish around
// the same time in one transaction: one durable commit (one fsync) for many
// rows instead of one each. It needs no goroutine of its own: the first
// caller to arrive while none is committing leads, commits what is queued
// (itself first), then hands the lead to the first caller that queued
// meanwhile; the others wait for their outcome. Each caller still gets the
// error of its own outcome: when a batch fails, each outcome of it is
// committed again alone, so that one bad row fails only itself. Nothing
// is left queued when the callers return, so there is nothing to stop.
type groupCommit struct {
	store Store

	mu      sync.Mutex
	queue   []*outcome // first: the leader's, when one leads
	leading bool
}

// outcome is one caller's write, waiting to be committed.
type outcome struct {
	ctx context.Context
	fn  func(Tx) error
	err error
	// done says true when the outcome is committed (or failed: err), false
	// when its caller is to lead the next batch.
	done chan bool
}

// update runs fn in a transaction of the store, perhaps with other
// callers' fn before or after it, and returns when that transaction has
// committed or failed. fn follows Store.Update's rules (it may run more
// than once and must set its results afresh each time) and must not fail
// another fn of its transaction: it reads and writes its own rows.
func (g *groupCommit) update(ctx context.Context, fn func(Tx) error) error {
	o := &outcome{ctx: ctx, fn: fn, done: make(chan bool, 1)}
	g.mu.Lock()
	g.queue = append(g.queue, o)
	lead := !g.leading
	g.leading = true
	g.mu.Unlock()
	if !lead && <-o.done {
		return o.err
	}
	// o is first in the queue: commit it with those queued behind it.
	g.mu.Lock()
	n := min(len(g.queue), maxGroupCommit)
	batch := g.queue[:n:n]
	g.queue = append([]*outcome(nil), g.queue[n:]...)
	g.mu.Unlock()

	g.commit(batch)

	g.mu.Lock()
	if len(g.queue) > 0 {
		g.queue[0].done <- false
	} else {
		g.leading = false
	}
	g.mu.Unlock()
	for _, other := range batch[1:] {
		other.done <- true
	}
	return o.err
}

// commit writes batch in one transaction under its leader's context, or,
// when that fails, each outcome alone under its own.
func (g *groupCommit) commit(batch []*outcome) {
	if len(batch) > 1 {
		err := g.store.Update(batch[0].ctx, func(stx Tx) error {
			tx := &auditBatch{Tx: stx} // the outcomes' entries, written together
			for _, o := range batch {
				if err := o.fn(tx); err != nil {
					return err
				}
			}
			return tx.flush(batch[0].ctx)
		})
		if err == nil {
			return
		}
		// Why alone: the batch's error may be one outcome's (its row gone,
		// its context ended), which must not fail the others.
	}
	for _, o := range batch {
		o.err = g.store.Update(o.ctx, o.fn)
	}
}
