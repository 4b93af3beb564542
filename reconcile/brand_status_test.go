package reconcile_test

import (
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/sim"
)

// R8, R11: a US campaign takes numbers only while its brand is verified
// too. When the carrier suspends the brand of a verified US campaign, the
// reconciler observes it (the carrier's callback makes the brand due), and
// from then on numbers cannot be assigned to the campaign
// (campaign_not_verified) and the profile toggle finds no campaign to
// assign to (R6, no_campaign). An AU campaign, which needs no verified
// brand, is unaffected. When the carrier verifies the brand again, the
// campaign takes numbers again.
func TestCarrierChangesBrandStatus(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{})
	tn := e.tenant()
	us := e.verifiedCampaign(tn, "US")
	au := e.verifiedCampaign(tn, "AU")
	brand := e.getCampaign(tn, us).BrandID
	if got := e.getBrand(tn, brand).Status; got != smsadmin.StatusVerified {
		t.Fatalf("US brand = %s, want verified", got)
	}
	usNum, usNum2, auNum := "+14155550171", "+14155550172", "+61412345671"
	e.user(tn, "a", usNum)
	u2 := e.user(tn, "b", usNum2)
	e.user(tn, "c", auNum)
	wantResults(t, e.enable(tn, usNum, auNum), "", "")
	e.settle(100, func() bool {
		return e.sms(tn, usNum).Status == smsadmin.NumberEnabledUnassigned && e.sms(tn, auNum).Status == smsadmin.NumberEnabledUnassigned
	})

	ref := e.rawBrand(tn, brand).CarrierRef
	if err := e.sim.SetBrandStatus(ref, smsadmin.StatusSuspended); err != nil {
		t.Fatal(err)
	}
	e.settle(5, func() bool { return e.getBrand(tn, brand).Status == smsadmin.StatusSuspended })
	if got := e.getCampaign(tn, us).Status; got != smsadmin.StatusVerified {
		t.Fatalf("US campaign = %s; the carrier changed only its brand", got)
	}
	wantResults(t, e.assign(tn, us, usNum), smsadmin.CodeCampaignNotVerified)
	res, err := e.svc.SetUserSMS(e.ctx, tn, u2, usNum2, true)
	if err != nil || res.Warning == nil || res.Warning.Code != smsadmin.WarningNoCampaign || res.CampaignID != nil {
		t.Fatalf("profile enable with the brand suspended = %+v, %v; want enabled with warning no_campaign", res, err)
	}
	wantResults(t, e.assign(tn, au, auNum), "")
	e.waitStatus(tn, auNum, smsadmin.NumberEnabledAssigned)
	if got := e.sms(tn, usNum); got.Status != smsadmin.NumberEnabledUnassigned || got.CampaignID != nil {
		t.Fatalf("%s after a refused assignment = %+v, want Enabled but Unassigned", usNum, got)
	}

	if err := e.sim.SetBrandStatus(ref, smsadmin.StatusVerified); err != nil {
		t.Fatal(err)
	}
	e.settle(5, func() bool { return e.getBrand(tn, brand).Status == smsadmin.StatusVerified })
	wantResults(t, e.assign(tn, us, usNum), "")
	e.waitStatus(tn, usNum, smsadmin.NumberEnabledAssigned)
}

// R22: a verified brand is looked at again without a callback. When every
// callback is lost, the carrier's suspension of a brand is still seen
// within the recheck interval (1h).
func TestBrandSuspensionSeenWithoutCallback(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{})
	tn := e.tenant()
	us := e.verifiedCampaign(tn, "US")
	brand := e.getCampaign(tn, us).BrandID
	e.sim.SetFaults(sim.Faults{Seed: 1, Lose: 1})
	if err := e.sim.SetBrandStatus(e.rawBrand(tn, brand).CarrierRef, smsadmin.StatusSuspended); err != nil {
		t.Fatal(err)
	}
	e.tick = time.Minute
	e.settle(61, func() bool { return e.getBrand(tn, brand).Status == smsadmin.StatusSuspended })
}
