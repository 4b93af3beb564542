package console_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"smsadmin"
)

// A user sends SMS from one number (R4): pasting a user's other number
// into + Enable phone numbers, while the user sends from the first, first
// asks, naming the number it would turn off, and changes nothing; once
// confirmed, in place, the result says which number it turned off.
func TestBrowserBulkEnableAsksBeforeReplacing(t *testing.T) {
	e := newEnv(t)
	campaignID := e.acme.VerifiedCampaign("US")
	e.acme.LicensedUser("Ann Lee", "+12025550142", "+12025550146")
	e.acme.Assigned(campaignID, "+12025550142") // Ann sends from it
	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	run(t, ctx, e.openSMS("#numbers-table")...)
	run(t, ctx,
		chromedp.Click(chromedp.CSS(`details.enable summary`)),
		chromedp.SendKeys(chromedp.CSS("#enable-numbers"), "+1 202 555 0146"),
		chromedp.Click(chromedp.CSS(`details.enable button[type=submit]`)),
		// The answer: the question, or (wrong) the results at once.
		chromedp.WaitVisible(chromedp.CSS("#enable-confirm, .results")),
	)
	if eval(t, ctx, `document.querySelector("#enable-confirm") ? "asked" : "did not ask"`) != "asked" {
		t.Fatalf("the enable did not ask before it turned off +12025550142; it answered:\n%s", text(t, ctx, ".results"))
	}
	ask := text(t, ctx, "#enable-confirm")
	for _, want := range []string{"Turn off a number that sends SMS?", "+1 202 555 0142, Ann Lee's number (Enabled and Assigned, campaign " + campaignID + ")",
		"goes off for +1 202 555 0146", "Ann Lee sends SMS from it now"} {
		if !strings.Contains(ask, want) {
			t.Errorf("the question does not say %q:\n%s", want, ask)
		}
	}
	if a, b := e.acme.NumberStatus("+12025550142"), e.acme.NumberStatus("+12025550146"); a != smsadmin.NumberEnabledAssigned || b != smsadmin.NumberDisabled {
		t.Fatalf("before the confirmation, +12025550142 is %s and +12025550146 %s: the question changed something", a, b)
	}

	// Confirmed: both change, in place, and the result says what went off.
	run(t, ctx,
		chromedp.Click(chromedp.CSS(`#enable-confirm button.danger`)),
		chromedp.WaitVisible(chromedp.CSS(".results")),
		chromedp.WaitNotPresent(chromedp.CSS("#enable-confirm")),
		notReloaded,
	)
	results := text(t, ctx, ".results")
	for _, want := range []string{"+1 202 555 0146", "Pending", "SMS turned off on +1 202 555 0142, Ann Lee's other number: a user sends SMS from one number."} {
		if !strings.Contains(results, want) {
			t.Errorf("the results do not say %q:\n%s", want, results)
		}
	}
	if n := e.acme.GetNumber("+12025550142"); n.SMS.WantSMS {
		t.Errorf("+12025550142 still wants SMS after the confirmed enable of +12025550146 (R4)")
	}
	if n := e.acme.GetNumber("+12025550146"); !n.SMS.WantSMS {
		t.Errorf("+12025550146 was not enabled once confirmed")
	}
}

// The profile's toggle asks the same before it turns on a number in place
// of the user's other one that sends SMS, then says what it turned off.
func TestBrowserProfileToggleAsksBeforeReplacing(t *testing.T) {
	e := newEnv(t)
	campaignID := e.acme.VerifiedCampaign("US")
	ann := e.acme.LicensedUser("Ann Lee", "+12025550142", "+12025550146")
	e.acme.Assigned(campaignID, "+12025550142")
	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	run(t, ctx,
		chromedp.Navigate(e.url("/t/"+e.acme.ID+"/users/"+ann)),
		chromedp.WaitVisible(chromedp.CSS("#toggle-12025550146")),
		liveCaughtUp,
		markPage,
		chromedp.Click(chromedp.CSS("#toggle-12025550146")),
		chromedp.WaitVisible(chromedp.CSS("#enable-confirm, #sms-result")),
	)
	if eval(t, ctx, `document.querySelector("#enable-confirm") ? "asked" : "did not ask"`) != "asked" {
		t.Fatalf("the toggle did not ask before it turned off +12025550142; it answered: %s", text(t, ctx, "#sms-result"))
	}
	if ask := text(t, ctx, "#enable-confirm"); !strings.Contains(ask, "+1 202 555 0142, Ann Lee's number (Enabled and Assigned") {
		t.Errorf("the question says:\n%s", ask)
	}
	if got := e.acme.NumberStatus("+12025550146"); got != smsadmin.NumberDisabled {
		t.Fatalf("before the confirmation, +12025550146 is %s", got)
	}
	run(t, ctx,
		chromedp.Click(chromedp.CSS(`#enable-confirm button.danger`)),
		waitText("#sms-result", "SMS turned off on +1 202 555 0142, Ann Lee's other number"),
		waitText("#num-12025550146 .status", "Pending"),
		notReloaded,
	)
	if attr(t, ctx, "#toggle-12025550146", "aria-checked") != "true" || attr(t, ctx, "#toggle-12025550142", "aria-checked") != "false" {
		t.Errorf("after the confirmed toggle, the switches do not show +12025550146 on and +12025550142 off")
	}
}
