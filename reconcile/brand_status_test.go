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
	tn := e.Tenant("Acme")
	us := tn.VerifiedCampaign("US")
	au := tn.VerifiedCampaign("AU")
	brand := tn.GetCampaign(us).BrandID
	if got := tn.GetBrand(brand).Status; got != smsadmin.StatusVerified {
		t.Fatalf("US brand = %s, want verified", got)
	}
	usNum, usNum2, auNum := "+14155550171", "+14155550172", "+61412345671"
	tn.LicensedUser("a", usNum)
	u2 := tn.LicensedUser("b", usNum2)
	tn.LicensedUser("c", auNum)
	wantResults(t, e.enable(tn, usNum, auNum), "", "")
	e.SettleWithin(100, func() bool {
		return e.sms(tn, usNum).Status == smsadmin.NumberEnabledUnassigned && e.sms(tn, auNum).Status == smsadmin.NumberEnabledUnassigned
	})

	ref := e.rawBrand(tn, brand).CarrierRef
	if err := e.Sim.SetBrandStatus(ref, smsadmin.StatusSuspended); err != nil {
		t.Fatal(err)
	}
	e.SettleWithin(5, func() bool { return tn.GetBrand(brand).Status == smsadmin.StatusSuspended })
	if got := tn.GetCampaign(us).Status; got != smsadmin.StatusVerified {
		t.Fatalf("US campaign = %s; the carrier changed only its brand", got)
	}
	wantResults(t, e.assign(tn, us, usNum), smsadmin.CodeCampaignNotVerified)
	res, err := e.Service.SetUserSMS(e.Support, tn.ID, u2, usNum2, true)
	if err != nil || res.Warning == nil || res.Warning.Code != smsadmin.WarningNoCampaign || res.CampaignID != nil {
		t.Fatalf("profile enable with the brand suspended = %+v, %v; want enabled with warning no_campaign", res, err)
	}
	wantResults(t, e.assign(tn, au, auNum), "")
	e.waitStatus(tn, auNum, smsadmin.NumberEnabledAssigned)
	if got := e.sms(tn, usNum); got.Status != smsadmin.NumberEnabledUnassigned || got.CampaignID != nil {
		t.Fatalf("%s after a refused assignment = %+v, want Enabled but Unassigned", usNum, got)
	}

	if err := e.Sim.SetBrandStatus(ref, smsadmin.StatusVerified); err != nil {
		t.Fatal(err)
	}
	e.SettleWithin(5, func() bool { return tn.GetBrand(brand).Status == smsadmin.StatusVerified })
	wantResults(t, e.assign(tn, us, usNum), "")
	e.waitStatus(tn, usNum, smsadmin.NumberEnabledAssigned)
}

// R22: a verified brand is looked at again without a callback. When every
// callback is lost, the carrier's suspension of a brand is still seen
// within the recheck interval (1h).
func TestBrandSuspensionSeenWithoutCallback(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{})
	tn := e.Tenant("Acme")
	us := tn.VerifiedCampaign("US")
	brand := tn.GetCampaign(us).BrandID
	e.Sim.SetFaults(sim.Faults{Seed: 1, Lose: 1})
	if err := e.Sim.SetBrandStatus(e.rawBrand(tn, brand).CarrierRef, smsadmin.StatusSuspended); err != nil {
		t.Fatal(err)
	}
	e.Tick = time.Minute
	e.SettleWithin(61, func() bool { return tn.GetBrand(brand).Status == smsadmin.StatusSuspended })
}
