package reconcile_test

import (
	"context"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/sim"
	"smsadmin/smsadmintest"
)

// R18 meets R17: an admin who turns SMS off and at once on again (a
// mis-click) is never refused. The removal in flight at the carrier runs
// to its end, and the number comes back in its campaign (R6), whether it
// was kept provisioned (within R17's window: no new enable) or released
// (after it: a new enable), from the profile and from the SMS page.
func TestReenableDuringRemoval(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		window time.Duration
	}{
		{"within the re-enable window", smsadmin.DefaultReenableWindow},
		{"after the re-enable window", time.Nanosecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, sim.Faults{}, smsadmintest.WithReenableWindow(tc.window))
			tn := e.Tenant("Acme")
			camp := tn.VerifiedCampaign("US")
			const num = "+14155550161"
			alice := tn.LicensedUser("Alice", num)
			profile := func(on bool) {
				t.Helper()
				res, err := e.Service.SetUserSMS(tn.Admin, tn.ID, alice, num, on)
				if err != nil || !res.OK {
					t.Fatalf("SetUserSMS(%v) = %+v, %v", on, res, err)
				}
			}
			profile(true)
			e.waitStatus(tn, num, smsadmin.NumberEnabledAssigned)

			// From the profile it comes back in its campaign (R6); from the
			// SMS page Enabled but Unassigned, as any enable there.
			for _, again := range []struct {
				take func()
				want smsadmin.NumberStatus
				camp string
			}{
				{func() { profile(true) }, smsadmin.NumberEnabledAssigned, camp},
				{func() { wantResults(t, e.enable(tn, num), "") }, smsadmin.NumberEnabledUnassigned, ""},
			} {
				profile(false)
				e.Step() // the removal is in flight at the carrier
				if got := e.sms(tn, num); got.Status != smsadmin.NumberPending || *got.PendingOperation != smsadmin.OpDisable {
					t.Fatalf("after turning it off: %+v, want pending disable", got)
				}
				again.take()
				if got := e.sms(tn, num); got.Status != smsadmin.NumberPending || !got.IsDefault {
					t.Fatalf("taken back during its removal: %+v, want pending, Alice's default SMS number", got)
				}
				e.waitStatus(tn, num, again.want)
				ref := ""
				if again.camp != "" {
					if got := e.sms(tn, num); got.CampaignID == nil || *got.CampaignID != camp {
						t.Fatalf("= %+v, want back in campaign %s", got, camp)
					}
					ref = tn.GetCampaign(camp).CarrierRef
				}
				obs, err := e.Sim.NumberStatus(context.Background(), num)
				if err != nil || !obs.Provisioned || obs.CampaignRef != ref || obs.Op != "" {
					t.Fatalf("at the carrier: %+v, %v; want provisioned in campaign %q, nothing in flight", obs, err, ref)
				}
				if again.camp == "" {
					wantResults(t, e.assign(tn, camp, num), "")
					e.waitStatus(tn, num, smsadmin.NumberEnabledAssigned)
				}
			}
			if got := e.auditCount(tn, smsadmin.ActionNumberSMSEnable); got != 3 {
				t.Errorf("%d sms_enable entries, want 3", got)
			}
		})
	}
}
