package sim_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/carriertest"
	"smsadmin/carrier/sim"
)

var start = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

var numberSeq atomic.Int64

// freshNumbers hands out distinct valid US numbers per call.
func freshNumbers(t *testing.T) carriertest.Numbers {
	n := numberSeq.Add(1)
	at := func(last string) string { return fmt.Sprintf("+1415%03d%s", 200+n%700, last) }
	return carriertest.Numbers{OK: at("0123"), FailEnable: at("0999"), FailAssign: at("0998"), FailDisable: at("0997"), FailDelivery: at("0996")}
}

func TestConformance(t *testing.T) {
	carriertest.Run(t, func(t *testing.T) carriertest.Harness {
		clock := smsadmin.NewManualClock(start)
		c, err := sim.New(sim.Config{Clock: clock, Delay: 2 * time.Second, ReviewDelay: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		return carriertest.Harness{Carrier: c, Numbers: freshNumbers,
			Settle: func(t *testing.T) { clock.Advance(time.Minute) }}
	})
}

// With zero delays the carrier still answers asynchronously: a request is
// pending until the next look.
func TestConformanceZeroDelay(t *testing.T) {
	carriertest.Run(t, func(t *testing.T) carriertest.Harness {
		clock := smsadmin.NewManualClock(start)
		c, err := sim.New(sim.Config{Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		return carriertest.Harness{Carrier: c, Numbers: freshNumbers, Settle: func(t *testing.T) {}}
	})
}

// Through its journal the simulator keeps what it was asked across a
// restart of the process that runs it, including work still in flight.
func TestJournalSurvivesRestart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := smsadmin.NewManualClock(start)
	path := filepath.Join(t.TempDir(), "carrier.journal")
	cfg := sim.Config{Clock: clock, Delay: 2 * time.Second, ReviewDelay: 5 * time.Second, Journal: path}
	c, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b := &smsadmin.Brand{LegalName: "Acme", Country: "US"}
	brand, _ := c.SubmitBrand(ctx, "b1", b)
	clock.Advance(time.Minute)
	camp, err := c.SubmitCampaign(ctx, "c1", &smsadmin.Campaign{Country: "US", Description: "x"}, brand)
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	must(t, c.EnableNumber(ctx, "e1", "+14155550123"))
	clock.Advance(time.Minute)
	must(t, c.AssignNumber(ctx, "a1", "+14155550123", camp))
	clock.Advance(time.Minute)
	must(t, c.EnableNumber(ctx, "e2", "+14155550124")) // still in flight at the "crash"
	must(t, c.SetCampaignStatus(camp, smsadmin.StatusSuspended))
	c.Close()

	r, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if obs, _ := r.CampaignStatus(ctx, camp); obs.Status != smsadmin.StatusSuspended {
		t.Errorf("campaign after restart = %+v, want suspended", obs)
	}
	if obs, _ := r.NumberStatus(ctx, "+14155550124"); obs.Op != smsadmin.OpEnable || obs.OpKey != "e2" {
		t.Errorf("in-flight number after restart = %+v, want enable e2 in flight", obs)
	}
	// A key seen before the restart is still known: no second operation.
	must(t, r.EnableNumber(ctx, "e2", "+14155550124"))
	clock.Advance(time.Minute)
	if obs, _ := r.NumberStatus(ctx, "+14155550123"); !obs.Provisioned || obs.CampaignRef != camp {
		t.Errorf("assigned number after restart = %+v", obs)
	}
	if obs, _ := r.NumberStatus(ctx, "+14155550124"); !obs.Provisioned || obs.Op != "" {
		t.Errorf("number enabled across the restart = %+v", obs)
	}
	if again, _ := r.SubmitBrand(ctx, "b1", b); again != brand {
		t.Errorf("brand key after restart gave %q, want %q", again, brand)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// R13: the carrier may suspend a verified campaign and verify it again,
// and says so by callback.
func TestSetCampaignStatus(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := smsadmin.NewManualClock(start)
	var events []smsadmin.CarrierEvent
	c, _ := sim.New(sim.Config{Clock: clock, ReviewDelay: 5 * time.Second, OnEvent: func(e smsadmin.CarrierEvent) { events = append(events, e) }})
	camp, err := c.SubmitCampaign(ctx, "c1", &smsadmin.Campaign{Country: "AU"}, "")
	must(t, err)
	if err := c.SetCampaignStatus(camp, smsadmin.StatusSuspended); err == nil {
		t.Fatal("a campaign still in review was suspended")
	}
	clock.Advance(5 * time.Second)
	c.Deliver()
	must(t, c.SetCampaignStatus(camp, smsadmin.StatusSuspended))
	c.Deliver()
	if obs, _ := c.CampaignStatus(ctx, camp); obs.Status != smsadmin.StatusSuspended || obs.Raw != "SUSPENDED" {
		t.Fatalf("status = %+v", obs)
	}
	must(t, c.SetCampaignStatus(camp, smsadmin.StatusVerified))
	c.Deliver()
	if len(events) != 3 {
		t.Fatalf("events = %v, want review, suspension, verification", events)
	}
	if err := c.SetCampaignStatus(camp, smsadmin.StatusRejected); err == nil {
		t.Fatal("set a status other than verified or suspended")
	}
	if err := c.SetCampaignStatus("nope", smsadmin.StatusSuspended); err == nil {
		t.Fatal("changed an unknown campaign")
	}
}

// Faults are drawn from the seed: the same seed gives the same faults, and
// the rates are roughly those asked for.
func TestFaultInjection(t *testing.T) {
	t.Parallel()
	run := func(seed int64) (transient int, delivered []string) {
		ctx := context.Background()
		clock := smsadmin.NewManualClock(start)
		c, _ := sim.New(sim.Config{Clock: clock, OnEvent: func(e smsadmin.CarrierEvent) { delivered = append(delivered, e.Ref) },
			Faults: sim.Faults{Seed: seed, Transient: 0.3, Duplicate: 0.2, Reorder: 0.2, Lose: 0.2}})
		for i := range 400 {
			num := fmt.Sprintf("+1415555%04d", 1000+i)
			if err := c.EnableNumber(ctx, "k"+num, num); err != nil {
				if !smsadmin.IsTransient(err) {
					t.Fatalf("injected error is not transient: %v", err)
				}
				transient++
			}
		}
		for range 5 {
			c.Deliver()
			clock.Advance(5 * time.Second)
		}
		return transient, delivered
	}
	t1, d1 := run(7)
	t2, d2 := run(7)
	if t1 != t2 || fmt.Sprint(d1) != fmt.Sprint(d2) {
		t.Fatalf("the same seed gave different faults")
	}
	if t1 < 60 || t1 > 180 {
		t.Errorf("%d of 400 calls failed, want about 30%%", t1)
	}
	seen := map[string]int{}
	ordered := true
	for i, ref := range d1 {
		seen[ref]++
		if i > 0 && ref < d1[i-1] {
			ordered = false
		}
	}
	dups := 0
	for _, n := range seen {
		if n > 1 {
			dups++
		}
	}
	if dups == 0 || ordered {
		t.Errorf("callbacks: %d duplicated, in order %v; want some duplicated and some out of order", dups, ordered)
	}
	// Accepted requests: 400 minus those refused before acceptance (about
	// half the transient ones); lost callbacks make the total fall short.
	if accepted := 400 - t1/2; len(seen) >= accepted {
		t.Errorf("%d distinct callbacks for about %d operations: none lost", len(seen), accepted)
	}
}

// The callbacks due at once reach OnEvents in one call, each number's
// with what the carrier holds and the key of the operation that ended.
func TestCallbacksInOneBatch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := smsadmin.NewManualClock(start)
	var batches [][]smsadmin.CarrierEvent
	c, err := sim.New(sim.Config{Clock: clock, Delay: time.Second,
		OnEvents: func(evs []smsadmin.CarrierEvent) { batches = append(batches, evs) }})
	must(t, err)
	must(t, c.EnableNumber(ctx, "k1", "+14155550101"))
	must(t, c.EnableNumber(ctx, "k2", "+14155550102"))
	if c.Deliver(); len(batches) != 0 {
		t.Fatalf("callbacks before the work ended: %+v", batches)
	}
	clock.Advance(time.Second)
	if n := c.Deliver(); n != 2 || len(batches) != 1 || len(batches[0]) != 2 {
		t.Fatalf("Deliver sent %d in %d batches, want 2 in 1", n, len(batches))
	}
	for i, ev := range batches[0] {
		key := []string{"k1", "k2"}[i]
		if rep := ev.Number; rep == nil || rep.Key != key || rep.Op != smsadmin.OpEnable || !rep.Observed.Provisioned || rep.Observed.Op != "" {
			t.Errorf("callback %d = %+v, want the end of enable %s, provisioned", i, rep, key)
		}
	}
}
