package ratelimit_test

import (
	"testing"
	"time"

	"smsadmin/internal/ratelimit"
)

var t0 = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

func TestReserveSpacesCalls(t *testing.T) {
	b := ratelimit.New(10, 1) // one call every 100ms
	var waits []time.Duration
	for range 4 {
		waits = append(waits, b.Reserve(t0))
	}
	want := []time.Duration{0, 100 * time.Millisecond, 200 * time.Millisecond, 300 * time.Millisecond}
	for i := range want {
		if waits[i] != want[i] {
			t.Errorf("wait %d = %v, want %v (all %v)", i, waits[i], want[i], waits)
		}
	}
	// A second later the promised tokens are paid and one more is there.
	if w := b.Reserve(t0.Add(time.Second)); w != 0 {
		t.Errorf("after a second, wait %v, want 0", w)
	}
}

func TestBurst(t *testing.T) {
	b := ratelimit.New(10, 3)
	for i := range 3 {
		if w := b.Reserve(t0); w != 0 {
			t.Fatalf("call %d within the burst waits %v", i, w)
		}
	}
	if w := b.Reserve(t0); w != 100*time.Millisecond {
		t.Errorf("call past the burst waits %v, want 100ms", w)
	}
	// Idle for a long time earns no more than the burst.
	later := t0.Add(time.Hour)
	for range 3 {
		b.Reserve(later)
	}
	if w := b.Reserve(later); w <= 0 {
		t.Errorf("the burst grew while idle: wait %v", w)
	}
}

func TestUnlimited(t *testing.T) {
	b := ratelimit.New(0, 1)
	for range 1000 {
		if w := b.Reserve(t0); w != 0 {
			t.Fatalf("unlimited bucket waits %v", w)
		}
	}
	if ok, _ := b.Allow(t0); !ok {
		t.Error("unlimited bucket refused")
	}
}

func TestAllow(t *testing.T) {
	b := ratelimit.New(2, 2)
	for i := range 2 {
		if ok, _ := b.Allow(t0); !ok {
			t.Fatalf("call %d refused within the burst", i)
		}
	}
	ok, after := b.Allow(t0)
	if ok || after != 500*time.Millisecond {
		t.Errorf("third call: ok=%v retry after %v, want refused, 500ms", ok, after)
	}
	if ok, _ := b.Allow(t0.Add(500 * time.Millisecond)); !ok {
		t.Error("refused once a token was earned")
	}
}

// A pause holds every caller, not only the one that was told to slow down,
// and the calls resume at the rate, not in a burst.
func TestPause(t *testing.T) {
	b := ratelimit.New(10, 5)
	b.Pause(t0.Add(2 * time.Second))
	if w := b.Reserve(t0); w != 2*time.Second {
		t.Errorf("reserve during a pause waits %v, want 2s", w)
	}
	if w := b.Reserve(t0.Add(time.Second)); w != time.Second+100*time.Millisecond {
		t.Errorf("next reserve waits %v, want 1.1s", w)
	}
	if ok, after := b.Allow(t0.Add(time.Second)); ok || after != time.Second {
		t.Errorf("allow during a pause: ok=%v after %v", ok, after)
	}
	// An earlier pause does not shorten a later one.
	b.Pause(t0.Add(time.Second))
	if ok, _ := b.Allow(t0.Add(1500 * time.Millisecond)); ok {
		t.Error("an earlier pause shortened the pause")
	}
}

func TestSetRate(t *testing.T) {
	b := ratelimit.New(10, 1)
	b.Reserve(t0)
	b.SetRate(t0, 1)
	if w := b.Reserve(t0); w != time.Second {
		t.Errorf("after halving to 1/s the next call waits %v, want 1s", w)
	}
	if b.Rate() != 1 {
		t.Errorf("Rate() = %v", b.Rate())
	}
}
