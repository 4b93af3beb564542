package console_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"smsadmin"
	"smsadmin/carrier/sim"
)

// R7, R19: on Enabling Failed the profile shows the carrier's reason and a
// Retry, which the diagnosis' fix names; Retry enables the number again
// (Pending, audited), where the switch would have turned it off.
func TestBrowserRetryEnablingFromProfile(t *testing.T) {
	e := newEnv(t)
	e.acme.VerifiedCampaign("US")
	ann := e.acme.LicensedUser("Ann Lee", "+12025550999") // the simulator refuses to enable ...0999
	if _, err := e.Service.SetUserSMS(e.Support, e.acme.ID, ann, "+12025550999", true); err != nil {
		t.Fatal(err)
	}
	e.Settle(func() bool { return e.acme.NumberStatus("+12025550999") == smsadmin.NumberEnablingFailed })
	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	run(t, ctx,
		chromedp.Navigate(e.url("/t/"+e.acme.ID+"/users/"+ann)),
		waitText("#num-12025550999 .status", "Enabling Failed"),
	)
	if got := text(t, ctx, "#num-12025550999 .status"); !strings.Contains(got, "not eligible for A2P") {
		t.Errorf("the failed number does not show the carrier's reason: %q", got)
	}
	if fix := text(t, ctx, "#diagnosis .fix"); !strings.Contains(fix, "press Retry beside +1 202 555 0999") {
		t.Errorf("the diagnosis' fix does not name Retry: %q", fix)
	}
	before := len(e.audit(smsadmin.ActionNumberSMSEnable))
	run(t, ctx,
		chromedp.Click(chromedp.CSS("#retry-12025550999")),
		waitText("#num-12025550999 .status", "Pending"),
		waitText("#sms-result", "Pending"),
	)
	if attr(t, ctx, "#toggle-12025550999", "aria-checked") != "true" {
		t.Errorf("the switch is off after Retry")
	}
	if got := e.audit(smsadmin.ActionNumberSMSEnable); len(got) != before+1 || got[0].Actor != e.admin.ID {
		t.Errorf("number.sms_enable entries after Retry: %d (want %d), newest %+v", len(got), before+1, got[0])
	}
	if st := e.acme.NumberStatus("+12025550999"); st != smsadmin.NumberPending {
		t.Errorf("after Retry the number is %s, want pending", st)
	}
}

// R8, R10, R19: Assignment Failed on the SMS page, and Disabling Failed in
// the profile, each have a Retry that repeats what failed: the assignment
// to the same campaign, the disable.
func TestBrowserRetryAssignmentAndDisabling(t *testing.T) {
	e := newEnv(t)
	campaignID := e.acme.VerifiedCampaign("US")
	e.acme.LicensedUser("Bob Stone", "+12025550998")      // the simulator refuses to assign ...0998
	cy := e.acme.LicensedUser("Cy Young", "+12025550997") // and to release ...0997
	if _, err := e.Service.EnableNumbers(e.Support, e.acme.ID, []string{"+12025550998"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Service.SetUserSMS(e.Support, e.acme.ID, cy, "+12025550997", true); err != nil {
		t.Fatal(err)
	}
	e.Settle(func() bool {
		return e.acme.NumberStatus("+12025550998") == smsadmin.NumberEnabledUnassigned &&
			e.acme.NumberStatus("+12025550997") == smsadmin.NumberEnabledAssigned
	})
	if _, err := e.Service.AssignNumbers(e.Support, e.acme.ID, campaignID, []string{"+12025550998"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Service.SetUserSMS(e.Support, e.acme.ID, cy, "+12025550997", false); err != nil {
		t.Fatal(err)
	}
	e.Settle(func() bool {
		return e.acme.NumberStatus("+12025550998") == smsadmin.NumberAssignmentFailed &&
			e.acme.NumberStatus("+12025550997") == smsadmin.NumberDisablingFailed
	})
	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	run(t, ctx, e.openSMS("#retry-12025550998")...)
	run(t, ctx,
		chromedp.Click(chromedp.CSS("#retry-12025550998")),
		waitText(".results h3", "Retry"),
		waitText("#row-12025550998 .status", "Pending"),
	)
	if n := e.acme.GetNumber("+12025550998"); n.SMS.CampaignID != campaignID {
		t.Errorf("Retry assigned to %q, want the campaign it was refused in (%s)", n.SMS.CampaignID, campaignID)
	}

	// The profile of the number whose disable failed: off, with Retry,
	// which the diagnosis names beside enabling it again.
	run(t, ctx,
		chromedp.Navigate(e.url("/t/"+e.acme.ID+"/users/"+cy)),
		waitText("#num-12025550997 .status", "Disabling Failed"),
	)
	if fix := text(t, ctx, "#diagnosis .fix"); !strings.Contains(fix, "to finish turning it off, press Retry beside +1 202 555 0997") {
		t.Errorf("the diagnosis' fix does not name Retry: %q", fix)
	}
	run(t, ctx,
		chromedp.Click(chromedp.CSS("#retry-12025550997")),
		waitText("#num-12025550997 .status", "Pending"),
	)
	if n := e.acme.GetNumber("+12025550997"); n.SMS.Status != smsadmin.NumberPending || n.SMS.WantSMS {
		t.Errorf("after Retry: %s, wanted %v; want a disable pending", n.SMS.Status, n.SMS.WantSMS)
	}
}

// R13, R19: a campaign the carrier suspends shows the carrier's reasons
// and the ways out on the SMS page, where the diagnosis sends the admin;
// its numbers are marked as unable to send there and in the profile.
func TestBrowserSuspendedCampaignShowsWaysOut(t *testing.T) {
	e := newEnv(t)
	campaignID := e.acme.VerifiedCampaign("US")
	ann := e.acme.LicensedUser("Ann Lee", "+12025550142")
	if _, err := e.Service.SetUserSMS(e.Support, e.acme.ID, ann, "+12025550142", true); err != nil {
		t.Fatal(err)
	}
	e.Settle(func() bool { return e.acme.NumberStatus("+12025550142") == smsadmin.NumberEnabledAssigned })
	if err := e.Sim.SetCampaignStatus(e.acme.GetCampaign(campaignID).CarrierRef, smsadmin.StatusSuspended); err != nil {
		t.Fatal(err)
	}
	e.Settle(func() bool { return e.acme.GetCampaign(campaignID).Status == smsadmin.StatusSuspended })
	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	run(t, ctx, e.openSMS("#suspended-"+campaignID)...)
	got := text(t, ctx, "#suspended-"+campaignID)
	for _, want := range []string{sim.SuspensionReason.Message, "ask support to appeal", "Unassign and disable SMS", "1 number stays assigned but cannot send"} {
		if !strings.Contains(got, want) {
			t.Errorf("the suspended campaign does not say %q:\n%s", want, got)
		}
	}
	if got := text(t, ctx, "#row-12025550142 .status"); !strings.Contains(got, "Cannot send: campaign") || !strings.Contains(got, "is suspended") {
		t.Errorf("the number of the suspended campaign is not marked: %q", got)
	}
	if got := text(t, ctx, "#registration-state"); strings.Contains(got, "VERIFIED") {
		t.Errorf("the registration still reads VERIFIED: %q", got)
	}
	run(t, ctx,
		chromedp.Navigate(e.url("/t/"+e.acme.ID+"/users/"+ann)),
		waitText("#num-12025550142 .status", "Cannot send"),
	)
	d := text(t, ctx, "#diagnosis")
	for _, want := range []string{sim.SuspensionReason.Message[:40], "ask support to appeal the suspension"} {
		if !strings.Contains(d, want) {
			t.Errorf("the diagnosis does not say %q:\n%s", want, d)
		}
	}
}
