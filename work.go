package smsadmin

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"strconv"
	"time"
)

// Work is the reconciler's bookkeeping on a row: when the row is next due
// (nil: nothing to do), who holds it leased and until when, and how its
// attempts went. It lives on the row so that desired state, observed state
// and pending work can never disagree.
type Work struct {
	DueAt      *time.Time
	LeaseOwner string
	LeaseUntil *time.Time
	Attempts   int
	LastError  string
}

// release runs a step's changes on a leased row and releases the lease. A
// wake that came while the row was worked (a callback) moved DueAt before
// the lease's end; the step's plan must not push it later, or the news it
// announced would wait for the next poll.
func (w *Work) release(step func()) {
	var woken *time.Time
	if w.DueAt != nil && w.LeaseUntil != nil && w.DueAt.Before(*w.LeaseUntil) {
		woken = w.DueAt
	}
	step()
	if woken != nil && (w.DueAt == nil || w.DueAt.After(*woken)) {
		w.DueAt = woken
	}
	w.LeaseOwner, w.LeaseUntil = "", nil
}

// heldBy reports whether owner still holds the lease at now.
func (w *Work) heldBy(owner string, now time.Time) bool {
	return w.LeaseOwner == owner && w.LeaseUntil != nil && w.LeaseUntil.After(now)
}

// NewOwner returns a name to lease work under that no other process
// shares: the host, the process ID and random bits. The reconciler and the
// outbox of one process may share it: they lease rows of different kinds.
func NewOwner() string {
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return host + "-" + strconv.Itoa(os.Getpid()) + "-" + hex.EncodeToString(b[:])
}
