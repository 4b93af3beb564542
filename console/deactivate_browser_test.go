package console_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"smsadmin"
)

// Deactivate campaign (R14) counts its numbers as a person says them (no
// "all 0 numbers"), says plainly that it is done once confirmed, and on a
// campaign already deactivated offers no form: it says when and by whom.
func TestBrowserDeactivateSaysWhatHappened(t *testing.T) {
	e := newEnv(t)
	empty := e.acme.VerifiedCampaign("US")
	two := e.acme.VerifiedCampaign("US")
	e.acme.LicensedUser("Ann Lee", "+12025550142")
	e.acme.LicensedUser("Bob Stone", "+12025550143")
	e.acme.Assigned(two, "+12025550142", "+12025550143")
	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	page := func(id string) string { return e.url("/t/" + e.acme.ID + "/campaigns/" + id + "/deactivate") }

	// Numbers counted as they are.
	run(t, ctx, chromedp.Navigate(page(two)), chromedp.WaitVisible(chromedp.CSS("#consequences")))
	if got := text(t, ctx, "#consequences"); !strings.Contains(got, "all 2 numbers in this campaign: they go Pending") {
		t.Errorf("the confirmation of a campaign of 2 numbers says:\n%s", got)
	}
	if got := text(t, ctx, "button.danger"); got != "Deactivate campaign and disable its 2 numbers" {
		t.Errorf("the button of a campaign of 2 numbers says %q", got)
	}
	run(t, ctx, chromedp.Navigate(page(empty)), chromedp.WaitVisible(chromedp.CSS("#consequences")))
	if got := text(t, ctx, "#consequences"); !strings.Contains(got, "It has no numbers") || strings.Contains(got, "0 numbers") {
		t.Errorf("the confirmation of a campaign with no numbers says:\n%s", got)
	}
	if got := text(t, ctx, "button.danger"); got != "Deactivate campaign" {
		t.Errorf("the button of a campaign with no numbers says %q", got)
	}

	// Confirmed: the answer says it is done, by whom and when.
	run(t, ctx, chromedp.Click(chromedp.CSS("button.danger")), waitText("#deactivated", "You deactivated campaign"))
	if got := e.acme.GetCampaign(empty).Status; got != smsadmin.StatusDeactivated {
		t.Fatalf("the campaign is %s after the confirmed deactivation", got)
	}
	entry := e.audit(smsadmin.ActionCampaignDeactivate)[0]
	if got, want := text(t, ctx, "#deactivated-by"), "by Alice Admin (admin)."; !strings.HasSuffix(got, want) {
		t.Errorf("the deactivated campaign says %q, want it to end %q", got, want)
	}
	if got, want := attr(t, ctx, "#deactivated-by time", "datetime"), entry.At.UTC().Format(time.RFC3339); got != want {
		t.Errorf("the time of the deactivation is %q, want %q", got, want)
	}
	if got := text(t, ctx, "#deactivated"); !strings.Contains(got, "It has no numbers.") {
		t.Errorf("the deactivated campaign with no numbers says:\n%s", got)
	}

	// Later, or by another way: no form, what happened.
	if _, err := e.Service.DeactivateCampaign(e.Support, e.acme.ID, two, true); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, chromedp.Navigate(page(two)), chromedp.WaitVisible(chromedp.CSS("#deactivated")))
	if n := eval(t, ctx, `String(document.querySelectorAll("main form, #consequences").length)`); n != "0" {
		t.Errorf("the page of a deactivated campaign offers %s forms to deactivate it", n)
	}
	got := text(t, ctx, "main")
	for _, want := range []string{"is deactivated", "by support (support).", "SMS is being disabled on its 2 numbers", "never be reactivated"} {
		if !strings.Contains(got, want) {
			t.Errorf("the page of a deactivated campaign does not say %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "You deactivated") {
		t.Errorf("the page of a campaign support deactivated says the admin did:\n%s", got)
	}
}
