package console_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"smsadmin"
	"smsadmin/smsadmintest"
)

// TestScreenshots writes PNGs of the console's main pages into the
// directory SMSADMIN_SCREENSHOTS names (a relative one is taken from the
// module's root), at the package browser's laptop width of 1280 px: make
// screenshots runs it for docs/. Without the variable it skips.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("SMSADMIN_SCREENSHOTS")
	if dir == "" {
		t.Skip("SMSADMIN_SCREENSHOTS is not set: make screenshots sets it to docs")
	}
	if browserCtx == nil {
		t.Fatalf("no screenshots: %s", skipReason)
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join("..", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)
	ctx := tab(t)
	shot := func(name string, ready chromedp.Action[chromedp.Void]) {
		t.Helper()
		run(t, ctx, ready)
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("browser: screenshot of %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, "console-"+name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	shot("signin", chromedp.Steps(chromedp.Navigate(e.url("/")), chromedp.WaitVisible(chromedp.CSS("#email"))))

	// A tenant as an admin finds it on a working day: a verified
	// campaign, numbers in each state, a user whose license changed.
	admin := smsadmin.WithActor(e.Support, smsadmin.Actor{PrincipalID: e.admin.ID, Role: smsadmin.RoleAdmin, TenantID: e.acme.ID, Name: "Alice Admin"})
	campaignID := e.acme.VerifiedCampaign("US")
	ann := e.acme.LicensedUser("Ann Lee", "+12025550142")
	e.acme.LicensedUser("Bob Stone", "+12025550143")
	cy := e.acme.LicensedUser("Cy Young", "+12025550144", "+12025550146")
	e.acme.LicensedUser("Di Prince", "+12025550145")
	e.acme.LicensedUser("Eve Moss", "+12025550147")
	if _, err := e.Service.EnableNumbers(admin, e.acme.ID, []string{"+12025550142", "+12025550144", "+12025550145"}); err != nil {
		t.Fatal(err)
	}
	e.Settle(func() bool { return e.acme.NumberStatus("+12025550145") == smsadmin.NumberEnabledUnassigned })
	if _, err := e.Service.AssignNumbers(admin, e.acme.ID, campaignID, []string{"+12025550142", "+12025550144"}); err != nil {
		t.Fatal(err)
	}
	e.Settle(func() bool { return e.acme.NumberStatus("+12025550144") == smsadmin.NumberEnabledAssigned })
	license := "X4"
	if _, err := e.Service.UpdateUser(admin, e.acme.ID, cy, smsadmin.UserPatch{License: &license, SetLicense: true}); err != nil {
		t.Fatal(err)
	}
	e.Settle(func() bool { return e.acme.NumberStatus("+12025550144") == smsadmin.NumberDisabled })
	if _, err := e.Service.SetUserSMS(admin, e.acme.ID, ann, "+12025550142", true); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Service.EnableNumbers(admin, e.acme.ID, []string{"+12025550143"}); err != nil {
		t.Fatal(err) // left Pending for the pictures
	}

	e.signIn(t, ctx, e.admin.Email)
	shot("users", chromedp.Steps(chromedp.Navigate(e.url("/t/"+e.acme.ID+"/users")), chromedp.WaitVisible(chromedp.CSS("#users-list"))))
	shot("user", chromedp.Steps(chromedp.Navigate(e.url("/t/"+e.acme.ID+"/users/"+cy)), waitText("#diagnosis", "License changed")))
	shot("sms", chromedp.Steps(chromedp.Navigate(e.url("/t/"+e.acme.ID+"/sms")), waitText("#registration-state", "VERIFIED"),
		waitText("#row-12025550143 .status", "Pending")))
	shot("troubleshooting", chromedp.Steps(chromedp.Navigate(e.url("/t/"+e.acme.ID+"/troubleshooting")), waitText("main", "Cy Young")))
	shot("audit", chromedp.Steps(chromedp.Navigate(e.url("/t/"+e.acme.ID+"/audit")), waitText("main", "Alice Admin")))
	hookURL, desc := "https://hooks.example.com/smsadmin", "Our CRM: registration decisions and failures"
	types := []string{smsadmin.EventCampaignRejected, smsadmin.EventNumbersSettled, smsadmin.EventUserCannotSend}
	hook, _, err := e.Service.CreateWebhook(admin, e.acme.ID, smsadmin.WebhookInput{URL: &hookURL, Events: &types, Description: &desc})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Service.TestWebhook(admin, e.acme.ID, hook.ID); err != nil {
		t.Fatal(err)
	}
	shot("notifications", chromedp.Steps(chromedp.Navigate(e.url("/t/"+e.acme.ID+"/notifications")), waitText("#webhooks", "hooks.example.com")))

	// A second campaign being typed, with a link in a sample while the
	// admin answered that the messages hold none: the readiness check
	// (R24) shows the problem by that question before submission.
	c := smsadmintest.Campaign(e.acme.GetCampaign(campaignID).BrandID, "US")
	c.SampleMessages[1] = "Acme support: your order shipped, track it at https://acme.example.com/orders"
	run(t, ctx, chromedp.Navigate(e.url("/t/"+e.acme.ID+"/sms")), chromedp.WaitReady(chromedp.CSS("#new-campaign details")), liveCaughtUp)
	eval(t, ctx, `(() => { const d = document.querySelector("#new-campaign details"); d.open = true; d.scrollIntoView(); return "" })()`)
	run(t, ctx, fill("campaign-new", campaignFields(c)))
	shot("registration", chromedp.Steps(waitText("#newc-embedded_links-check", "contains a link"), waitText("#newc-summary", "1 problem left")))

	// Forty more numbers, Enabled but Unassigned: every one the filter
	// selects, all pages, assigned in one step, with its progress.
	var more []string
	for i := range 40 {
		n := fmt.Sprintf("+1202555%04d", 200+i)
		e.acme.LicensedUser(fmt.Sprintf("Agent %02d", i+1), n)
		more = append(more, n)
	}
	if _, err := e.Service.EnableNumbers(admin, e.acme.ID, more); err != nil {
		t.Fatal(err)
	}
	e.settleCount(smsadmin.NumberEnabledUnassigned, len(more)+1)
	run(t, ctx, chromedp.Navigate(e.url("/t/"+e.acme.ID+"/sms?status=enabled_unassigned")), chromedp.WaitVisible(chromedp.CSS("#select-all")),
		chromedp.Click(chromedp.CSS("#select-all")),
		chromedp.Click(chromedp.CSS(`details.more summary`)),
		chromedp.SetValue(chromedp.CSS("#assign-campaign"), campaignID),
		chromedp.Click(chromedp.CSS(`button[value=assign]`)),
		waitText("#bulk-progress .progress-text", "Done"))
	eval(t, ctx, `(() => { document.getElementById("numbers-counts").scrollIntoView(); return "" })()`)
	shot("bulk", chromedp.Steps(waitText("#bulk-progress .progress-text", "Done")))

	// The carrier suspends the campaign (R13): its reasons and the ways
	// out, its numbers marked as unable to send.
	if err := e.Sim.SetCampaignStatus(e.acme.GetCampaign(campaignID).CarrierRef, smsadmin.StatusSuspended); err != nil {
		t.Fatal(err)
	}
	e.Settle(func() bool { return e.acme.GetCampaign(campaignID).Status == smsadmin.StatusSuspended })
	shot("suspended", chromedp.Steps(chromedp.Navigate(e.url("/t/"+e.acme.ID+"/sms")), waitText("#suspended-"+campaignID, "appeal")))
}
