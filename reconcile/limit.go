package reconcile

import (
	"context"
	"errors"
	"math"
	"sync"
	"time"

	"smsadmin"
	"smsadmin/carrier/around"
	"smsadmin/internal/ratelimit"
)

// limited is the carrier as the reconciler calls it: every call, polls
// included, waits for a token of the instance's share of the carrier
// account's rate; a carrier that answers "too many requests" with a
// Retry-After pauses every call, not only the row that got the answer. It
// also keeps the calls' typical latency, from which the pipeline sizes its
// concurrency.
type limited struct {
	smsadmin.Carrier // the carrier's calls, each through call
	bucket           *ratelimit.Bucket
	clock            smsadmin.Clock
	sleep            func(context.Context, time.Duration) error

	mu      sync.Mutex
	latency time.Duration // moving average of the calls' duration
}

// initialLatency is the latency assumed before any call was timed.
const initialLatency = 100 * time.Millisecond

func newLimited(next smsadmin.Carrier, rate float64, clock smsadmin.Clock, sleep func(context.Context, time.Duration) error) *limited {
	l := &limited{bucket: ratelimit.New(rate, 1), clock: clock, sleep: sleep, latency: initialLatency}
	l.Carrier = around.New(next, l.call)
	return l
}

// call makes one carrier call within the rate: it waits for its token,
// makes the call, times it, and pauses everyone when the carrier asks.
func (l *limited) call(ctx context.Context, _, _ string, do func() error) error {
	if err := l.sleep(ctx, l.bucket.Reserve(l.clock.Now())); err != nil {
		return &smsadmin.CarrierError{Kind: smsadmin.CarrierTransient, Code: "timeout", Message: "waiting for the carrier's rate limit: " + err.Error()}
	}
	start := time.Now()
	err := do()
	l.observe(time.Since(start))
	var ce *smsadmin.CarrierError
	if errors.As(err, &ce) && ce.Kind == smsadmin.CarrierTransient && ce.RetryAfter > 0 {
		l.bucket.Pause(l.clock.Now().Add(ce.RetryAfter))
	}
	return err
}

// observe folds one call's duration into the moving average (weight 1/16).
func (l *limited) observe(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.latency += (d - l.latency) / 16
}

// concurrency is how many workers keep the rate used: rate × latency
// calls in flight (Little's law), and as many again waiting for their
// token, so that a token never finds no one ready while rows are being
// claimed (a claim is a transaction; Run claims when a quarter of the
// workers are free); between 1 and limit. Without a rate, limit. Measured
// (BENCHMARKS.md, carrier-bound): with a quarter more instead of twice,
// the calls ran at 63–99 a second of 100.
func (l *limited) concurrency(limit int) int {
	rate := l.bucket.Rate()
	if rate == 0 {
		return limit
	}
	l.mu.Lock()
	lat := l.latency
	l.mu.Unlock()
	n := int(math.Ceil(rate*lat.Seconds()*2)) + 1
	return min(limit, n)
}

// sleepFor waits d, or until ctx ends.
func sleepFor(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
