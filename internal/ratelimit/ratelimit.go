// Package ratelimit is a token bucket on explicit times: the carrier
// adapters' side of a rate limit (how fast smsadmin may call) and the
// simulator's (how fast it accepts calls). Times are passed in, never read
// from the system, so that tests drive it with a manual clock.
package ratelimit

import (
	"math"
	"sync"
	"time"
)

// Bucket holds up to burst tokens, refilled at rate per second; a call
// spends one. Safe for concurrent use. A rate of 0 is unlimited.
type Bucket struct {
	mu     sync.Mutex
	rate   float64
	burst  float64
	tokens float64   // may be negative: tokens promised to waiting callers
	last   time.Time // when tokens was computed
	paused time.Time // no token is given before this time
}

// New returns a full bucket of burst tokens (at least 1) refilled at rate
// per second (0: unlimited).
func New(rate float64, burst int) *Bucket {
	b := &Bucket{rate: max(rate, 0), burst: float64(max(burst, 1))}
	b.tokens = b.burst
	return b
}

// Rate returns the rate (0: unlimited).
func (b *Bucket) Rate() float64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.rate
}

// SetRate changes the rate from now on (0: unlimited).
func (b *Bucket) SetRate(now time.Time, rate float64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill(now)
	b.rate = max(rate, 0)
}

// refill adds the tokens earned since last, up to burst.
func (b *Bucket) refill(now time.Time) {
	if b.last.IsZero() {
		b.last = now
	}
	if now.After(b.last) {
		b.tokens = math.Min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
		b.last = now
	}
}

// Reserve spends a token for a call at now and returns how long the caller
// must wait before making it (0: at once). Callers are served in the order
// they reserve.
func (b *Bucket) Reserve(now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	start := now
	if b.paused.After(start) {
		start = b.paused
	}
	if b.rate == 0 {
		return start.Sub(now)
	}
	b.refill(now)
	b.tokens--
	wait := start.Sub(now)
	if b.tokens < 0 { // the token is earned -tokens/rate after last
		wait = max(wait, b.last.Sub(now)+time.Duration(-b.tokens/b.rate*float64(time.Second)))
	}
	return wait
}

// Allow spends a token if one is there at now; otherwise it spends none
// and says how long until one is.
func (b *Bucket) Allow(now time.Time) (ok bool, retryAfter time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.paused.After(now) {
		return false, b.paused.Sub(now)
	}
	if b.rate == 0 {
		return true, 0
	}
	b.refill(now)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
}

// Pause gives no token before until: every caller waits, not only the one
// that was told to slow down. The tokens earned meanwhile are dropped, so
// that the calls do not resume in a burst.
func (b *Bucket) Pause(until time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if until.After(b.paused) {
		b.paused = until
		b.last = until
		b.tokens = math.Min(b.tokens, 1)
	}
}
