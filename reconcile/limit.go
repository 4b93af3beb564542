package reconcile

import (
	"context"
	"errors"
	"math"
	"sync"
	"time"

	"smsadmin"
	"smsadmin/internal/ratelimit"
)

// limited is the carrier as the reconciler calls it: every call, polls
// included, waits for a token of the instance's share of the carrier
// account's rate; a carrier that answers "too many requests" with a
// Retry-After pauses every call, not only the row that got the answer. It
// also keeps the calls' typical latency, from which the pipeline sizes its
// concurrency.
type limited struct {
	next   smsadmin.Carrier
	bucket *ratelimit.Bucket
	clock  smsadmin.Clock
	sleep  func(context.Context, time.Duration) error

	mu      sync.Mutex
	latency time.Duration // moving average of the calls' duration
}

// initialLatency is the latency assumed before any call was timed.
const initialLatency = 100 * time.Millisecond

func newLimited(next smsadmin.Carrier, rate float64, clock smsadmin.Clock, sleep func(context.Context, time.Duration) error) *limited {
	return &limited{next: next, bucket: ratelimit.New(rate, 1), clock: clock, sleep: sleep, latency: initialLatency}
}

// call makes one carrier call within the rate: it waits for its token,
// makes the call, times it, and pauses everyone when the carrier asks.
func call[T any](ctx context.Context, l *limited, fn func() (T, error)) (T, error) {
	var zero T
	if err := l.sleep(ctx, l.bucket.Reserve(l.clock.Now())); err != nil {
		return zero, &smsadmin.CarrierError{Kind: smsadmin.CarrierTransient, Code: "timeout", Message: "waiting for the carrier's rate limit: " + err.Error()}
	}
	start := time.Now()
	v, err := fn()
	l.observe(time.Since(start))
	var ce *smsadmin.CarrierError
	if errors.As(err, &ce) && ce.Kind == smsadmin.CarrierTransient && ce.RetryAfter > 0 {
		l.bucket.Pause(l.clock.Now().Add(ce.RetryAfter))
	}
	return v, err
}

// observe folds one call's duration into the moving average (weight 1/16).
func (l *limited) observe(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.latency += (d - l.latency) / 16
}

// concurrency is how many calls must be in flight to use the rate: rate ×
// latency (Little's law), with a quarter more for the variation of both,
// between 1 and max. Without a rate, max.
func (l *limited) concurrency(max int) int {
	rate := l.bucket.Rate()
	if rate == 0 {
		return max
	}
	l.mu.Lock()
	lat := l.latency
	l.mu.Unlock()
	n := int(math.Ceil(rate*lat.Seconds()*1.25)) + 1
	return min(max, n)
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

var _ smsadmin.Carrier = (*limited)(nil)

type none struct{}

func noValue(err error) (none, error) { return none{}, err }

// SubmitBrand implements smsadmin.Carrier.
func (l *limited) SubmitBrand(ctx context.Context, key string, b *smsadmin.Brand) (string, error) {
	return call(ctx, l, func() (string, error) { return l.next.SubmitBrand(ctx, key, b) })
}

// BrandStatus implements smsadmin.Carrier.
func (l *limited) BrandStatus(ctx context.Context, ref string) (smsadmin.RegistrationObservation, error) {
	return call(ctx, l, func() (smsadmin.RegistrationObservation, error) { return l.next.BrandStatus(ctx, ref) })
}

// SubmitCampaign implements smsadmin.Carrier.
func (l *limited) SubmitCampaign(ctx context.Context, key string, c *smsadmin.Campaign, brandRef string) (string, error) {
	return call(ctx, l, func() (string, error) { return l.next.SubmitCampaign(ctx, key, c, brandRef) })
}

// CampaignStatus implements smsadmin.Carrier.
func (l *limited) CampaignStatus(ctx context.Context, ref string) (smsadmin.RegistrationObservation, error) {
	return call(ctx, l, func() (smsadmin.RegistrationObservation, error) { return l.next.CampaignStatus(ctx, ref) })
}

// DeactivateCampaign implements smsadmin.Carrier.
func (l *limited) DeactivateCampaign(ctx context.Context, key, ref string) error {
	_, err := call(ctx, l, func() (none, error) { return noValue(l.next.DeactivateCampaign(ctx, key, ref)) })
	return err
}

// EnableNumber implements smsadmin.Carrier.
func (l *limited) EnableNumber(ctx context.Context, key, number string) error {
	_, err := call(ctx, l, func() (none, error) { return noValue(l.next.EnableNumber(ctx, key, number)) })
	return err
}

// DisableNumber implements smsadmin.Carrier.
func (l *limited) DisableNumber(ctx context.Context, key, number string) error {
	_, err := call(ctx, l, func() (none, error) { return noValue(l.next.DisableNumber(ctx, key, number)) })
	return err
}

// AssignNumber implements smsadmin.Carrier.
func (l *limited) AssignNumber(ctx context.Context, key, number, campaignRef string) error {
	_, err := call(ctx, l, func() (none, error) { return noValue(l.next.AssignNumber(ctx, key, number, campaignRef)) })
	return err
}

// UnassignNumber implements smsadmin.Carrier.
func (l *limited) UnassignNumber(ctx context.Context, key, number string) error {
	_, err := call(ctx, l, func() (none, error) { return noValue(l.next.UnassignNumber(ctx, key, number)) })
	return err
}

// NumberStatus implements smsadmin.Carrier.
func (l *limited) NumberStatus(ctx context.Context, number string) (smsadmin.NumberObservation, error) {
	return call(ctx, l, func() (smsadmin.NumberObservation, error) { return l.next.NumberStatus(ctx, number) })
}

// SendMessage implements smsadmin.Carrier.
func (l *limited) SendMessage(ctx context.Context, key string, m smsadmin.OutboundMessage) (string, error) {
	return call(ctx, l, func() (string, error) { return l.next.SendMessage(ctx, key, m) })
}

// MessageStatus implements smsadmin.Carrier.
func (l *limited) MessageStatus(ctx context.Context, ref string) (smsadmin.MessageObservation, error) {
	return call(ctx, l, func() (smsadmin.MessageObservation, error) { return l.next.MessageStatus(ctx, ref) })
}
