package reconcile_test

import (
	"context"
	"testing"

	"smsadmin"
	"smsadmin/carrier/sim"
)

// R18: an admin may disable SMS at any time. A disable asked while the
// carrier is still enabling the number is accepted (from the SMS page or
// the user's profile), follows the enable to its end and ends Disabled,
// with the carrier no longer holding the number. An assignment asked
// during a pending enable still waits (operation_pending).
func TestDisableWinsOverPendingEnable(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{})
	tn := e.Tenant("Acme")
	camp := tn.VerifiedCampaign("US")
	tn.LicensedUser("a", "+14155550141")
	b := tn.LicensedUser("b", "+14155550142")
	wantResults(t, e.enable(tn, "+14155550141", "+14155550142"), "", "")
	e.Step() // the enables are asked of the carrier and in flight there
	for _, n := range []string{"+14155550141", "+14155550142"} {
		if got := e.sms(tn, n); got.Status != smsadmin.NumberPending || *got.PendingOperation != smsadmin.OpEnable {
			t.Fatalf("%s = %+v, want pending enable", n, got)
		}
	}
	wantResults(t, e.assign(tn, camp, "+14155550141"), smsadmin.CodeOperationPending)

	wantResults(t, e.unassignDisable(tn, "+14155550141"), "")
	res, err := e.Service.SetUserSMS(e.Support, tn.ID, b, "+14155550142", false)
	if err != nil || !res.OK {
		t.Fatalf("profile disable during a pending enable = %+v, %v", res, err)
	}
	for _, n := range []string{"+14155550141", "+14155550142"} {
		if got := e.sms(tn, n); got.Status != smsadmin.NumberPending || *got.PendingOperation != smsadmin.OpDisable || got.IsDefault {
			t.Fatalf("%s after disable = %+v, want pending disable, not the default", n, got)
		}
	}
	for _, n := range []string{"+14155550141", "+14155550142"} {
		e.waitStatus(tn, n, smsadmin.NumberDisabled)
		obs, err := e.Sim.NumberStatus(context.Background(), n)
		if err != nil || obs.Provisioned || obs.Op != "" {
			t.Fatalf("%s at the carrier = %+v, %v; want not provisioned, nothing in flight", n, obs, err)
		}
	}
	if got := e.auditCount(tn, smsadmin.ActionNumberSMSDisable); got != 2 {
		t.Errorf("%d sms_disable entries, want 2", got)
	}
}

// R18 during a pending assignment: the disable is accepted, the number
// keeps counting toward the campaign until the carrier confirms it left
// (R9), and it ends Disabled with the campaign's place free.
func TestDisableWinsOverPendingAssign(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{})
	tn := e.Tenant("Acme")
	camp := tn.VerifiedCampaign("US")
	tn.LicensedUser("a", "+14155550151")
	e.enable(tn, "+14155550151")
	e.waitStatus(tn, "+14155550151", smsadmin.NumberEnabledUnassigned)
	wantResults(t, e.assign(tn, camp, "+14155550151"), "")
	e.Step() // the assignment is in flight at the carrier
	if got := e.sms(tn, "+14155550151"); got.Status != smsadmin.NumberPending || *got.PendingOperation != smsadmin.OpAssign {
		t.Fatalf("= %+v, want pending assign", got)
	}

	wantResults(t, e.unassignDisable(tn, "+14155550151"), "")
	for range 100 {
		if c := tn.GetCampaign(camp); e.sms(tn, "+14155550151").Status != smsadmin.NumberDisabled && c.NumberCount != 1 {
			t.Fatalf("campaign counts %d while the number is leaving it, want 1", c.NumberCount)
		}
		if e.sms(tn, "+14155550151").Status == smsadmin.NumberDisabled {
			break
		}
		e.Step()
		e.Clock.Advance(e.Tick)
	}
	e.waitStatus(tn, "+14155550151", smsadmin.NumberDisabled)
	if c := tn.GetCampaign(camp); c.NumberCount != 0 {
		t.Fatalf("campaign counts %d after the number left, want 0", c.NumberCount)
	}
	// R17: turned off within the re-enable window, the number is out of
	// any campaign but kept provisioned until the window ends; then the
	// reconciler releases it.
	obs, err := e.Sim.NumberStatus(context.Background(), "+14155550151")
	if err != nil || !obs.Provisioned || obs.CampaignRef != "" {
		t.Fatalf("at the carrier = %+v, %v; want provisioned, in no campaign", obs, err)
	}
	e.Clock.Advance(smsadmin.DefaultReenableWindow)
	for range 20 {
		if obs, err = e.Sim.NumberStatus(context.Background(), "+14155550151"); err == nil && !obs.Provisioned {
			break
		}
		e.Step()
		e.Clock.Advance(e.Tick)
	}
	if err != nil || obs.Provisioned || obs.CampaignRef != "" {
		t.Fatalf("after the window, at the carrier = %+v, %v; want not provisioned, in no campaign", obs, err)
	}
	if got := e.sms(tn, "+14155550151"); got.Status != smsadmin.NumberDisabled {
		t.Fatalf("after the release = %+v, want disabled", got)
	}
}
