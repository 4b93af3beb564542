package console_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"smsadmin"
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
	admin := smsadmin.WithActor(e.support, smsadmin.Actor{PrincipalID: e.admin.ID, Role: smsadmin.RoleAdmin, TenantID: e.tenant, Name: "Alice Admin"})
	campaignID := e.verifiedCampaign()
	ann := e.user("Ann Lee", "+12025550142")
	e.user("Bob Stone", "+12025550143")
	cy := e.user("Cy Young", "+12025550144", "+12025550146")
	e.user("Di Prince", "+12025550145")
	e.user("Eve Moss", "+12025550147")
	if _, err := e.svc.EnableNumbers(admin, e.tenant, []string{"+12025550142", "+12025550144", "+12025550145"}); err != nil {
		t.Fatal(err)
	}
	e.settle(func() bool { return e.status("+12025550145") == smsadmin.NumberEnabledUnassigned })
	if _, err := e.svc.AssignNumbers(admin, e.tenant, campaignID, []string{"+12025550142", "+12025550144"}); err != nil {
		t.Fatal(err)
	}
	e.settle(func() bool { return e.status("+12025550144") == smsadmin.NumberEnabledAssigned })
	license := "X4"
	if _, err := e.svc.UpdateUser(admin, e.tenant, cy, smsadmin.UserPatch{License: &license, SetLicense: true}); err != nil {
		t.Fatal(err)
	}
	e.settle(func() bool { return e.status("+12025550144") == smsadmin.NumberDisabled })
	if _, err := e.svc.SetUserSMS(admin, e.tenant, ann, "+12025550142", true); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.EnableNumbers(admin, e.tenant, []string{"+12025550143"}); err != nil {
		t.Fatal(err) // left Pending for the pictures
	}

	e.signIn(t, ctx, e.admin.Email)
	shot("users", chromedp.Steps(chromedp.Navigate(e.url("/t/"+e.tenant+"/users")), chromedp.WaitVisible(chromedp.CSS("#users-list"))))
	shot("user", chromedp.Steps(chromedp.Navigate(e.url("/t/"+e.tenant+"/users/"+cy)), waitText("#diagnosis", "License changed")))
	shot("sms", chromedp.Steps(chromedp.Navigate(e.url("/t/"+e.tenant+"/sms")), waitText("#registration-state", "VERIFIED"),
		waitText("#row-12025550143 .status", "Pending")))
	shot("troubleshooting", chromedp.Steps(chromedp.Navigate(e.url("/t/"+e.tenant+"/troubleshooting")), waitText("main", "Cy Young")))
	shot("audit", chromedp.Steps(chromedp.Navigate(e.url("/t/"+e.tenant+"/audit")), waitText("main", "Alice Admin")))
}
