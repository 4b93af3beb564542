package smsadmin_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"smsadmin"
	"smsadmin/smsadmintest"
)

// wantEntries checks that exactly the entries listed (action object, in
// order) were written, each by the admin, and returns them.
func (e *smsEnv) wantEntries(got []*smsadmin.AuditEntry, want ...string) []*smsadmin.AuditEntry {
	e.t.Helper()
	var names []string
	for _, a := range got {
		names = append(names, a.Action+" "+a.Object)
	}
	if !slices.Equal(names, want) {
		e.t.Fatalf("audit entries:\n  %s\nwant:\n  %s", strings.Join(names, "\n  "), strings.Join(want, "\n  "))
	}
	for _, a := range got {
		if a.Actor != e.acme.AdminActor.PrincipalID || a.ActorRole != smsadmin.RoleAdmin || a.ActorName != smsadmintest.AdminName || a.TenantID != e.acme.ID {
			e.t.Errorf("%s %s: actor %q %q %q in tenant %q, want the admin %q %q %q in %q", a.Action, a.Object,
				a.Actor, a.ActorRole, a.ActorName, a.TenantID, e.acme.AdminActor.PrincipalID, smsadmin.RoleAdmin, smsadmintest.AdminName, e.acme.ID)
		}
		if !a.At.Equal(e.Clock.Now()) {
			e.t.Errorf("%s %s: at %v, want %v", a.Action, a.Object, a.At, e.Clock.Now())
		}
	}
	return got
}

// snap renders a number snapshot for comparison: status/operation,
// campaign, sms_on.
func snap(s numberSnap) string {
	return fmt.Sprintf("%s %v %s/%v campaign=%v sms_on=%v default=%v", s.Number, deref(s.UserID), s.Status, deref(s.PendingOperation),
		deref(s.CampaignID), s.SMSOn, s.IsDefault)
}

// wantNumberChange checks an entry's before and after snapshots of a number.
func (e *smsEnv) wantNumberChange(a *smsadmin.AuditEntry, before, after numberSnap) {
	e.t.Helper()
	gotB := decodeSnap[numberSnap](e.t, a.Action+" before", a.Before)
	gotA := decodeSnap[numberSnap](e.t, a.Action+" after", a.After)
	if snap(gotB) != snap(before) {
		e.t.Errorf("%s %s before:\n  %s\nwant\n  %s", a.Action, a.Object, snap(gotB), snap(before))
	}
	if snap(gotA) != snap(after) {
		e.t.Errorf("%s %s after:\n  %s\nwant\n  %s", a.Action, a.Object, snap(gotA), snap(after))
	}
}

// R20: every SMS change an admin makes is in the audit log, one entry per
// number changed, as that admin, with the number's SMS state before and
// after: bulk enable, bulk assign, bulk unassign-disable, the profile
// toggle on (enable and automatic assignment, R6) and off (R18), and a
// campaign deactivation (R14) with the disable of each of its numbers.
func TestAuditOfSMSChanges(t *testing.T) {
	t.Parallel()
	e := newSMSEnv(t)
	n1, n2, n3 := "+14155550101", "+14155550102", "+14155550103"
	alice, bob, carol := e.acme.LicensedUser("alice", n1), e.acme.LicensedUser("bob", n2), e.acme.LicensedUser("carol", n3)
	camp := e.acme.VerifiedCampaign("US")
	op := func(o smsadmin.NumberOp) *smsadmin.NumberOp { return &o }
	disabled := func(num, user string) numberSnap {
		return numberSnap{Number: num, UserID: strp(user), Status: smsadmin.NumberDisabled}
	}
	pending := func(num, user string, o smsadmin.NumberOp, campaign *string, on bool) numberSnap {
		return numberSnap{Number: num, UserID: strp(user), Status: smsadmin.NumberPending, PendingOperation: op(o), CampaignID: campaign, SMSOn: on, IsDefault: on}
	}
	unassigned := func(num, user string) numberSnap {
		return numberSnap{Number: num, UserID: strp(user), Status: smsadmin.NumberEnabledUnassigned, SMSOn: true, IsDefault: true}
	}
	assigned := func(num, user string) numberSnap {
		return numberSnap{Number: num, UserID: strp(user), Status: smsadmin.NumberEnabledAssigned, CampaignID: strp(camp), SMSOn: true, IsDefault: true}
	}

	// Bulk enable (R5).
	mark := e.auditMark()
	e.ok(e.Service.EnableNumbers(e.acme.Admin, e.acme.ID, []string{n1, n2}))
	got := e.wantEntries(e.auditSince(mark), "number.sms_enable number/"+n1, "number.sms_enable number/"+n2)
	e.wantNumberChange(got[0], disabled(n1, alice), pending(n1, alice, smsadmin.OpEnable, nil, true))
	e.wantNumberChange(got[1], disabled(n2, bob), pending(n2, bob, smsadmin.OpEnable, nil, true))
	e.acme.WaitStatus(smsadmin.NumberEnabledUnassigned, n1, n2)

	// Bulk assign (R8).
	mark = e.auditMark()
	e.ok(e.Service.AssignNumbers(e.acme.Admin, e.acme.ID, camp, []string{n1, n2}))
	got = e.wantEntries(e.auditSince(mark), "number.sms_assign number/"+n1, "number.sms_assign number/"+n2)
	e.wantNumberChange(got[0], unassigned(n1, alice), pending(n1, alice, smsadmin.OpAssign, strp(camp), true))
	e.wantNumberChange(got[1], unassigned(n2, bob), pending(n2, bob, smsadmin.OpAssign, strp(camp), true))
	e.acme.WaitStatus(smsadmin.NumberEnabledAssigned, n1, n2)

	// Bulk unassign and disable (R10): the carrier still holds it in the
	// campaign until it confirms.
	mark = e.auditMark()
	e.ok(e.Service.UnassignDisableNumbers(e.acme.Admin, e.acme.ID, []string{n1}))
	got = e.wantEntries(e.auditSince(mark), "number.sms_disable number/"+n1)
	e.wantNumberChange(got[0], assigned(n1, alice), pending(n1, alice, smsadmin.OpDisable, strp(camp), false))
	e.acme.WaitStatus(smsadmin.NumberDisabled, n1)

	// The profile toggle on (R6): enabled, then assigned to the one
	// verified campaign, each audited.
	mark = e.auditMark()
	res, err := e.Service.SetUserSMS(e.acme.Admin, e.acme.ID, carol, n3, true)
	if err != nil || res.Warning != nil || res.CampaignID == nil || *res.CampaignID != camp {
		t.Fatalf("profile enable = %+v, %v", res, err)
	}
	got = e.wantEntries(e.auditSince(mark), "number.sms_enable number/"+n3, "number.sms_assign number/"+n3)
	e.wantNumberChange(got[0], disabled(n3, carol), pending(n3, carol, smsadmin.OpEnable, nil, true))
	e.wantNumberChange(got[1], pending(n3, carol, smsadmin.OpEnable, nil, true), pending(n3, carol, smsadmin.OpEnable, strp(camp), true))
	e.acme.WaitStatus(smsadmin.NumberEnabledAssigned, n3)

	// The profile toggle off (R18).
	mark = e.auditMark()
	if _, err := e.Service.SetUserSMS(e.acme.Admin, e.acme.ID, carol, n3, false); err != nil {
		t.Fatal(err)
	}
	got = e.wantEntries(e.auditSince(mark), "number.sms_disable number/"+n3)
	e.wantNumberChange(got[0], assigned(n3, carol), pending(n3, carol, smsadmin.OpDisable, strp(camp), false))
	e.acme.WaitStatus(smsadmin.NumberDisabled, n3)

	// Deactivation (R14): the campaign, then each number it held.
	mark = e.auditMark()
	if _, err := e.Service.DeactivateCampaign(e.acme.Admin, e.acme.ID, camp, true); err != nil {
		t.Fatal(err)
	}
	got = e.wantEntries(e.auditSince(mark), "campaign.deactivate campaign/"+camp, "number.sms_disable number/"+n2)
	type campSnap struct {
		ID          string                      `json:"id"`
		Status      smsadmin.RegistrationStatus `json:"status"`
		NumberCount int                         `json:"number_count"`
	}
	cb := decodeSnap[campSnap](t, "campaign.deactivate before", got[0].Before)
	ca := decodeSnap[campSnap](t, "campaign.deactivate after", got[0].After)
	if cb.ID != camp || cb.Status != smsadmin.StatusVerified || ca.ID != camp || ca.Status != smsadmin.StatusDeactivated {
		t.Errorf("campaign.deactivate: before %+v after %+v, want %s verified then deactivated", cb, ca, camp)
	}
	e.wantNumberChange(got[1], assigned(n2, bob), pending(n2, bob, smsadmin.OpDisable, strp(camp), false))
}
