package smsadmin_test

import (
	"testing"

	"smsadmin"
)

// R7, R8, R10: a retry repeats the operation the carrier refused, for
// each failed status, through the same checks as the first request, and
// audits it as that operation; a number with nothing failed is refused in
// its own result.
func TestRetryNumbers(t *testing.T) {
	t.Parallel()
	e := newSMSEnv(t)
	camp := e.acme.VerifiedCampaign("US")
	// The simulated carrier refuses to enable 0999, to assign 0998 and
	// to release 0997.
	e.acme.LicensedUser("Ann", "+14155550999")
	e.acme.LicensedUser("Bob", "+14155550998")
	e.acme.LicensedUser("Cy", "+14155550997")
	e.acme.LicensedUser("Di", "+14155550101")
	e.ok(e.Service.EnableNumbers(e.acme.Admin, e.acme.ID, []string{"+14155550999", "+14155550998", "+14155550997", "+14155550101"}))
	e.acme.WaitStatus(smsadmin.NumberEnabledUnassigned, "+14155550998", "+14155550997", "+14155550101")
	e.ok(e.Service.AssignNumbers(e.acme.Admin, e.acme.ID, camp, []string{"+14155550998", "+14155550997"}))
	e.acme.WaitStatus(smsadmin.NumberEnabledAssigned, "+14155550997")
	e.ok(e.Service.UnassignDisableNumbers(e.acme.Admin, e.acme.ID, []string{"+14155550997"}))
	e.acme.WaitStatus(smsadmin.NumberEnablingFailed, "+14155550999")
	e.acme.WaitStatus(smsadmin.NumberAssignmentFailed, "+14155550998")
	e.acme.WaitStatus(smsadmin.NumberDisablingFailed, "+14155550997")
	if f := e.acme.GetNumber("+14155550998").SMS.Failure; f == nil || f.Campaign != camp {
		t.Fatalf("the refused assignment's failure %+v does not name campaign %s", f, camp)
	}
	count := e.acme.GetCampaign(camp).NumberCount

	mark := e.auditMark()
	res, err := e.Service.RetryNumbers(e.acme.Admin, e.acme.ID, []string{"+14155550999", "+14155550998", "+14155550997", "+14155550101"})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		op     smsadmin.NumberOp
		action string
	}{
		{smsadmin.OpEnable, smsadmin.ActionNumberSMSEnable},
		{smsadmin.OpAssign, smsadmin.ActionNumberSMSAssign},
		{smsadmin.OpDisable, smsadmin.ActionNumberSMSDisable},
	}
	for i, w := range want {
		r := res[i]
		if !r.OK || r.Status != smsadmin.NumberPending || r.PendingOperation == nil || *r.PendingOperation != w.op {
			t.Errorf("retry of %s: %+v, want pending %s", r.Number, r, w.op)
		}
	}
	if r := res[3]; r.OK || r.Error == nil || r.Error.Code != smsadmin.CodeConflict {
		t.Errorf("retry of an Enabled but Unassigned number: %+v, want conflict", r)
	}
	// The assignment is retried into the campaign it was refused in, and
	// takes its place there again (R9).
	if n := e.acme.GetNumber("+14155550998"); n.SMS.CampaignID != camp {
		t.Errorf("the retried assignment is to %q, want %s", n.SMS.CampaignID, camp)
	}
	if got := e.acme.GetCampaign(camp).NumberCount; got != count+1 {
		t.Errorf("campaign count %d after the retried assignment, want %d", got, count+1)
	}
	var actions []string
	for _, a := range e.auditSince(mark) {
		if a.Actor != e.acme.AdminActor.PrincipalID {
			t.Errorf("audit entry %s by %s, want the admin", a.Action, a.Actor)
		}
		actions = append(actions, a.Action)
	}
	for _, w := range want {
		found := false
		for _, a := range actions {
			found = found || a == w.action
		}
		if !found {
			t.Errorf("audit entries %v after the retries: no %s", actions, w.action)
		}
	}

	// Settled, each is refused again as before: the retry went to the
	// carrier.
	e.acme.WaitStatus(smsadmin.NumberEnablingFailed, "+14155550999")
	e.acme.WaitStatus(smsadmin.NumberAssignmentFailed, "+14155550998")
	e.acme.WaitStatus(smsadmin.NumberDisablingFailed, "+14155550997")
}
