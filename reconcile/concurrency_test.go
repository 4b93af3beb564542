package reconcile

import (
	"testing"
	"time"

	"smsadmin"
)

// The workers are sized from the rate and the calls' latency: the calls
// in flight (rate × latency) and as many again waiting for their token.
func TestConcurrencySizedFromRateAndLatency(t *testing.T) {
	clock := smsadmin.NewManualClock(time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC))
	for _, tc := range []struct {
		rate    float64
		latency time.Duration
		limit   int
		want    int
	}{
		{100, 200 * time.Millisecond, 256, 41},
		{100, 200 * time.Millisecond, 32, 32},
		{10, 50 * time.Millisecond, 256, 2},
		{0, 200 * time.Millisecond, 32, 32},
	} {
		l := newLimited(nil, tc.rate, clock, sleepFor)
		l.latency = tc.latency
		if got := l.concurrency(tc.limit); got != tc.want {
			t.Errorf("rate %v, latency %v, limit %d: %d workers, want %d", tc.rate, tc.latency, tc.limit, got, tc.want)
		}
	}
}
