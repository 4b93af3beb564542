package sim_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/sim"
)

// R11, R13: the registry may suspend a verified brand and verify it again,
// says so by callback, and keeps it across a restart. A brand in review
// cannot be changed, and no status but verified or suspended can be set.
func TestSetBrandStatus(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := smsadmin.NewManualClock(start)
	var events []smsadmin.CarrierEvent
	cfg := sim.Config{Clock: clock, ReviewDelay: 5 * time.Second, Journal: filepath.Join(t.TempDir(), "carrier.journal"),
		OnEvent: func(e smsadmin.CarrierEvent) { events = append(events, e) }}
	c, err := sim.New(cfg)
	must(t, err)
	brand, err := c.SubmitBrand(ctx, "b1", &smsadmin.Brand{LegalName: "Acme", Country: "US"})
	must(t, err)
	if err := c.SetBrandStatus(brand, smsadmin.StatusSuspended); err == nil {
		t.Fatal("a brand still in review was suspended")
	}
	clock.Advance(5 * time.Second)
	c.Deliver()
	must(t, c.SetBrandStatus(brand, smsadmin.StatusSuspended))
	c.Deliver()
	if obs, _ := c.BrandStatus(ctx, brand); obs.Status != smsadmin.StatusSuspended || obs.Raw != "SUSPENDED" {
		t.Fatalf("brand = %+v, want suspended", obs)
	}
	// A US campaign needs a verified brand (R11): not a suspended one.
	if _, err := c.SubmitCampaign(ctx, "c1", &smsadmin.Campaign{Country: "US", Description: "x"}, brand); err == nil {
		t.Error("a US campaign was accepted for a suspended brand")
	}
	want := []smsadmin.CarrierEvent{{Kind: "brand", Ref: brand}, {Kind: "brand", Ref: brand}}
	if len(events) != len(want) || events[0] != want[0] || events[1] != want[1] {
		t.Fatalf("events = %v, want the review and the suspension of brand %s", events, brand)
	}
	for _, bad := range []smsadmin.RegistrationStatus{smsadmin.StatusRejected, smsadmin.StatusPending, smsadmin.StatusDeactivated} {
		if err := c.SetBrandStatus(brand, bad); err == nil {
			t.Errorf("set a brand %s", bad)
		}
	}
	if err := c.SetBrandStatus("nope", smsadmin.StatusSuspended); err == nil {
		t.Error("changed an unknown brand")
	}
	c.Close()

	r, err := sim.New(cfg)
	must(t, err)
	defer r.Close()
	if obs, _ := r.BrandStatus(ctx, brand); obs.Status != smsadmin.StatusSuspended {
		t.Fatalf("brand after restart = %+v, want suspended", obs)
	}
	must(t, r.SetBrandStatus(brand, smsadmin.StatusVerified))
	if obs, _ := r.BrandStatus(ctx, brand); obs.Status != smsadmin.StatusVerified || obs.Raw != "VERIFIED" {
		t.Fatalf("brand verified again = %+v", obs)
	}
	if _, err := r.SubmitCampaign(ctx, "c1", &smsadmin.Campaign{Country: "US", Description: "x"}, brand); err != nil {
		t.Errorf("a US campaign of a verified brand: %v", err)
	}
}
