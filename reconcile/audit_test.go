package reconcile_test

import (
	"testing"

	"smsadmin"
	"smsadmin/carrier/sim"
)

// carrierActor is who the reconciler records the carrier's doing as (R22:
// "with the carrier as the actor"; README: an actor is a person as "Name
// (role)", or "carrier", or "system"): smsadmin's own system actor named
// carrier in the audit log, "carrier" in a diagnosis.
const carrierActor = "carrier"

// R20, R22: every audit entry the reconciler's steps write (a brand's and
// a campaign's carrier status, a number's SMS state as the carrier holds
// it, its drift and repair) names the carrier as the actor, and the
// diagnosis of what the carrier did names the same actor.
func TestReconcilerAuditsAsTheCarrier(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Faults{})
	tn := e.Tenant("Acme")
	camp := tn.VerifiedCampaign("US")
	const num = "+14155550171"
	ann := tn.LicensedUser("Ann", num)
	if _, err := e.Service.SetUserSMS(tn.Admin, tn.ID, ann, num, true); err != nil {
		t.Fatal(err)
	}
	e.waitStatus(tn, num, smsadmin.NumberEnabledAssigned)
	// cause is the diagnosis's cause code of Ann's, checked to name the
	// carrier.
	cause := func(code string) {
		t.Helper()
		d, err := e.Service.DiagnoseUser(e.Support, tn.ID, ann)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range d.Causes {
			if c.Code == code {
				if c.Actor == nil || *c.Actor != carrierActor {
					by := "no one"
					if c.Actor != nil {
						by = *c.Actor
					}
					t.Errorf("diagnosis cause %s by %q, want %q", code, by, carrierActor)
				}
				return
			}
		}
		t.Fatalf("diagnosis %+v, want cause %s", d.Causes, code)
	}

	// The carrier drops the number from its campaign on its own.
	if err := e.Sim.DropNumber(num); err != nil {
		t.Fatal(err)
	}
	e.Step()
	cause(smsadmin.CausePending)
	e.waitStatus(tn, num, smsadmin.NumberEnabledAssigned)
	// The carrier suspends the campaign's brand (R11, R13).
	if err := e.Sim.SetBrandStatus(e.rawBrand(tn, tn.GetCampaign(camp).BrandID).CarrierRef, smsadmin.StatusSuspended); err != nil {
		t.Fatal(err)
	}
	e.Settle(func() bool { return tn.GetBrand(tn.GetCampaign(camp).BrandID).Status == smsadmin.StatusSuspended })
	cause(smsadmin.CauseCampaignNotVerified)

	for _, action := range []string{smsadmin.ActionBrandCarrier, smsadmin.ActionCampaignCarrier, smsadmin.ActionNumberCarrier} {
		if e.auditCount(tn, action) == 0 {
			t.Errorf("no %s entry", action)
		}
	}
	for _, en := range e.audit(tn, smsadmin.AuditFilter{}) {
		carrier := en.Action == smsadmin.ActionBrandCarrier || en.Action == smsadmin.ActionCampaignCarrier || en.Action == smsadmin.ActionNumberCarrier
		if !carrier && en.ActorRole != smsadmin.RoleSystem {
			continue // the admin's and support's own
		}
		if en.Actor != "system" || en.ActorRole != smsadmin.RoleSystem || en.ActorName != carrierActor {
			t.Errorf("%s %s by %s (%s, %s), want smsadmin's system actor %q", en.Action, en.Object, en.Actor, en.ActorRole, en.ActorName, carrierActor)
		}
	}
}
