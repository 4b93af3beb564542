package sim_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/sim"
)

// TestSharedJournal: two simulators on one journal (two smsadmin instances
// on one database) act as one carrier: each sees what the other was asked,
// a key either was given is known to both, and references never collide.
func TestSharedJournal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := smsadmin.NewManualClock(start)
	cfg := sim.Config{Clock: clock, Delay: 2 * time.Second, ReviewDelay: 5 * time.Second,
		Journal: filepath.Join(t.TempDir(), "carrier.journal")}
	a, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	brandA, err := a.SubmitBrand(ctx, "b1", &smsadmin.Brand{LegalName: "Acme", Country: "US"})
	must(t, err)
	brandB, err := b.SubmitBrand(ctx, "b2", &smsadmin.Brand{LegalName: "Beta", Country: "US"})
	must(t, err)
	if brandA == brandB {
		t.Fatalf("both brands got reference %s", brandA)
	}
	if again, _ := b.SubmitBrand(ctx, "b1", &smsadmin.Brand{LegalName: "Acme", Country: "US"}); again != brandA {
		t.Errorf("b1 asked of the other simulator gave %q, want %q", again, brandA)
	}
	clock.Advance(time.Minute)
	camp, err := b.SubmitCampaign(ctx, "c1", &smsadmin.Campaign{Country: "US", Description: "x"}, brandA)
	must(t, err)
	clock.Advance(time.Minute)
	if obs, _ := a.CampaignStatus(ctx, camp); obs.Status != smsadmin.StatusVerified {
		t.Errorf("campaign seen by the other simulator = %+v, want verified", obs)
	}

	must(t, a.EnableNumber(ctx, "e1", "+14155550123"))
	if obs, _ := b.NumberStatus(ctx, "+14155550123"); obs.Op != smsadmin.OpEnable {
		t.Errorf("number seen by the other simulator = %+v, want enable in flight", obs)
	}
	clock.Advance(time.Minute)
	must(t, b.AssignNumber(ctx, "a1", "+14155550123", camp))
	clock.Advance(time.Minute)
	if obs, _ := a.NumberStatus(ctx, "+14155550123"); !obs.Provisioned || obs.CampaignRef != camp {
		t.Errorf("number after enable by one and assign by the other = %+v", obs)
	}

	// A third simulator started now replays what both appended.
	c, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if obs, _ := c.NumberStatus(ctx, "+14155550123"); obs.CampaignRef != camp {
		t.Errorf("number after a restart = %+v", obs)
	}
}

// TestLatency: a call answers after the configured latency; a caller that
// gives up first gets a transient timeout, and nothing was asked.
func TestLatency(t *testing.T) {
	t.Parallel()
	cfg := sim.Config{Clock: smsadmin.NewManualClock(start), Latency: time.Hour, Journal: filepath.Join(t.TempDir(), "carrier.journal")}
	c, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = c.EnableNumber(ctx, "e1", "+14155550123")
	var ce *smsadmin.CarrierError
	if !errors.As(err, &ce) || ce.Kind != smsadmin.CarrierTransient {
		t.Fatalf("a call given up during its latency = %v, want a transient error", err)
	}
	cfg.Latency = 0
	d, err := sim.New(cfg) // the same carrier, seen without latency
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if obs, _ := d.NumberStatus(context.Background(), "+14155550123"); obs.Op != "" || obs.Provisioned {
		t.Errorf("the number after a call that timed out = %+v, want unknown", obs)
	}
}

// TestRate: calls above the account's rate are refused with a transient
// 429 naming when to come back, and accepted again from then.
func TestRate(t *testing.T) {
	t.Parallel()
	clock := smsadmin.NewManualClock(start)
	c, err := sim.New(sim.Config{Clock: clock, Rate: 2})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := range 2 { // a second's burst
		if _, err := c.NumberStatus(ctx, "+14155550123"); err != nil {
			t.Fatalf("call %d within the rate: %v", i, err)
		}
	}
	_, err = c.NumberStatus(ctx, "+14155550123")
	var ce *smsadmin.CarrierError
	if !errors.As(err, &ce) || ce.Kind != smsadmin.CarrierTransient || ce.RetryAfter != 500*time.Millisecond {
		t.Fatalf("call above the rate = %#v, want a transient 429 with Retry-After 500ms", err)
	}
	clock.Advance(ce.RetryAfter)
	if _, err := c.NumberStatus(ctx, "+14155550123"); err != nil {
		t.Errorf("call after the Retry-After: %v", err)
	}
}
