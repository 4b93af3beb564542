package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"smsadmin"
)

// These tests walk the reference admin guide's click paths in headless
// Chromium against a real server. The carrier's work is driven by settle
// on the manual clock; the browser waits for what the page shows, never
// for a time.

// markPage marks the page's window, so that a later check can tell the
// page was not reloaded meanwhile.
var markPage = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
	_, err := chromedp.Evaluate[int](`window.__smsadminMark = 1`)(ctx, t)
	return err
})

// notReloaded fails if the page was reloaded since markPage.
var notReloaded = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
	mark, err := chromedp.Evaluate[int](`window.__smsadminMark || 0`)(ctx, t)
	if err != nil {
		return err
	}
	if mark != 1 {
		return fmt.Errorf("the page was reloaded")
	}
	return nil
})

func TestBrowserSignIn(t *testing.T) {
	e := newEnv(t)
	ctx := tab(t)
	// GET / on a server where nobody is signed in is the sign-in page.
	run(t, ctx, chromedp.Navigate(e.url("/")), chromedp.WaitVisible(chromedp.CSS("#email")))
	if h := text(t, ctx, "h1"); h != "Sign in to smsadmin" {
		t.Errorf("GET / shows %q", h)
	}
	// A wrong password: said next to the password, nothing more.
	run(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#email"), e.admin.Email),
		chromedp.SendKeys(chromedp.CSS("#password"), "not the password"),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("#password-error")),
	)
	if msg := text(t, ctx, "#password-error"); !strings.HasPrefix(msg, "The email address or the password is not right.") {
		t.Errorf("wrong password shows %q", msg)
	}
	if attr(t, ctx, "#password", "aria-invalid") != "true" {
		t.Errorf("the password field is not marked invalid")
	}
	if id := eval(t, ctx, `document.activeElement.id`); id != "password" {
		t.Errorf("after a wrong password the focus is on %q, want the password", id)
	}
	// A wrong support token: said by the token, which has the focus.
	run(t, ctx,
		chromedp.Click(chromedp.CSS("details summary")),
		chromedp.SendKeys(chromedp.CSS("#token"), "not a token"),
		chromedp.Submit(chromedp.CSS("#token")),
		chromedp.WaitVisible(chromedp.CSS("#token-error")),
	)
	if id := eval(t, ctx, `document.activeElement.id`); id != "token" {
		t.Errorf("after a wrong token the focus is on %q, want the token", id)
	}
	// The right one opens the tenant's users.
	run(t, ctx,
		clear("#email"),
		chromedp.SendKeys(chromedp.CSS("#email"), e.admin.Email),
		clear("#password"),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("#users-list")),
	)
	if who := text(t, ctx, ".signout .who"); !strings.Contains(who, "Alice Admin") {
		t.Errorf("signed in as %q", who)
	}
	// Signing out ends the session: the pages ask for a sign-in again.
	run(t, ctx, chromedp.Click(chromedp.CSS(`.signout button`)), chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.Navigate(e.url("/t/"+e.acme.ID+"/users")), chromedp.WaitVisible(chromedp.CSS("#email")))
}

func TestBrowserEnableFromProfilePendingToEnabledLive(t *testing.T) {
	e := newEnv(t)
	campaignID := e.acme.VerifiedCampaign("US")
	ann := e.acme.LicensedUser("Ann Lee", "+12025550142")
	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	// Home › Users › Edit › SMS-enabled numbers › toggle on (R6).
	run(t, ctx,
		chromedp.Click(chromedp.CSS(`a[aria-label="Edit Ann Lee"]`)),
		chromedp.WaitVisible(chromedp.CSS("#toggle-12025550142")),
		markPage,
		chromedp.Click(chromedp.CSS("#toggle-12025550142")),
		waitText("#num-12025550142 .status", "Pending"),
	)
	if got := text(t, ctx, "#sms-result"); !strings.Contains(got, "Pending") {
		t.Errorf("the toggle's answer: %q", got)
	}
	if attr(t, ctx, "#toggle-12025550142", "aria-checked") != "true" {
		t.Errorf("the toggle is not on after enabling")
	}
	// The carrier provisions and assigns; the page follows with no reload.
	e.Settle(func() bool { return e.acme.NumberStatus("+12025550142") == smsadmin.NumberEnabledAssigned })
	run(t, ctx,
		waitText("#num-12025550142 .status", "Enabled and Assigned"),
		waitText("#diagnosis", "can send SMS from +1 202 555 0142"),
		waitText("#sms-result", "Enabled and Assigned"), // the answer follows
		notReloaded,
	)
	if got, name := text(t, ctx, "#num-12025550142"), e.acme.GetCampaign(campaignID).Name; name == "" || !strings.Contains(got, name) {
		t.Errorf("the number's row does not name the campaign (%q): %q", name, got)
	}
	// The change is audited with the account as the actor.
	entries := e.audit(smsadmin.ActionNumberSMSEnable)
	if len(entries) == 0 || entries[0].Actor != e.admin.ID || entries[0].ActorName != "Alice Admin" {
		t.Errorf("number.sms_enable audit entries: %+v; want the account %s as actor", entries, e.admin.ID)
	}
	_ = ann
}

func TestBrowserBulkEnableAssignUnassign(t *testing.T) {
	e := newEnv(t)
	campaignID := e.acme.VerifiedCampaign("US")
	e.acme.LicensedUser("Bob Stone", "+12025550143")
	e.acme.LicensedUser("Cy Young", "+12025550144")
	e.acme.LicensedUser("Di Prince", "+12025550145")
	csv := filepath.Join(t.TempDir(), "numbers.csv")
	if err := os.WriteFile(csv, []byte("number,name\n+1 202 555 0145,Di\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	// Home › SMS › + Enable phone numbers: pasted and from a CSV, each with
	// its own result (R5).
	run(t, ctx,
		chromedp.Navigate(e.url("/t/"+e.acme.ID+"/sms")),
		chromedp.Click(chromedp.CSS(`details.enable summary`)),
		chromedp.SendKeys(chromedp.CSS("#enable-numbers"), "+12025550143\n+1 (202) 555-0144\n+44 20 7946 0958"),
		chromedp.SetUploadFiles(chromedp.CSS("#enable-csv"), []string{csv}),
		chromedp.Click(chromedp.CSS(`details.enable button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".results")),
	)
	results := text(t, ctx, ".results")
	for _, want := range []string{"+1 202 555 0143", "+1 202 555 0144", "+1 202 555 0145", "Pending", "United States, Canada and Australia"} {
		if !strings.Contains(results, want) {
			t.Errorf("results do not say %q:\n%s", want, results)
		}
	}
	run(t, ctx, markPage)
	nums := []string{"+12025550143", "+12025550144", "+12025550145"}
	e.Settle(func() bool {
		for _, n := range nums {
			if e.acme.NumberStatus(n) != smsadmin.NumberEnabledUnassigned {
				return false
			}
		}
		return true
	})
	// The results follow the live update: Pending no longer.
	run(t, ctx, waitText("#row-12025550145 .status", "Enabled but Unassigned"), notReloaded,
		waitText(`.results li[data-number="+12025550145"]`, "Enabled but Unassigned"))

	// Check two boxes, More › Assign to campaign (R8).
	run(t, ctx,
		chromedp.Click(chromedp.CSS("#sel-12025550143")),
		chromedp.Click(chromedp.CSS("#sel-12025550144")),
		chromedp.Click(chromedp.CSS(`details.more summary`)),
		chromedp.SetValue(chromedp.CSS("#assign-campaign"), campaignID),
		chromedp.Click(chromedp.CSS(`button[value=assign]`)),
		waitText(".results h3", "Assign to campaign"),
	)
	if got := text(t, ctx, ".results"); strings.Count(got, "Pending") != 2 {
		t.Fatalf("assign results:\n%s", got)
	}
	run(t, ctx, waitText("#row-12025550143 .status", "Pending"))
	if e.acme.NumberStatus("+12025550145") != smsadmin.NumberEnabledUnassigned {
		t.Errorf("an unchecked number was assigned")
	}
	run(t, ctx, markPage)
	e.Settle(func() bool { return e.acme.NumberStatus("+12025550144") == smsadmin.NumberEnabledAssigned })
	run(t, ctx, waitText("#row-12025550144 .status", "Enabled and Assigned"), waitText("#campaigns .count", "2 / 48"), notReloaded)

	// Check one, More › Unassign and disable SMS: at once, no confirmation
	// (R10); the number leaves the list once the carrier confirms.
	run(t, ctx,
		chromedp.Click(chromedp.CSS("#sel-12025550143")),
		chromedp.Click(chromedp.CSS(`details.more summary`)),
		chromedp.Click(chromedp.CSS(`button[value=unassign-disable]`)),
		waitText(".results h3", "Unassign and disable SMS"),
		waitText("#row-12025550143 .status", "Pending"),
		markPage,
	)
	e.Settle(func() bool { return e.acme.NumberStatus("+12025550143") == smsadmin.NumberDisabled })
	run(t, ctx,
		chromedp.WaitNotPresent(chromedp.CSS("#row-12025550143")),
		waitText("#campaigns .count", "1 / 48"),
		notReloaded,
	)
}

func TestBrowserDeactivateWithConfirmation(t *testing.T) {
	e := newEnv(t)
	campaignID := e.acme.VerifiedCampaign("US")
	e.acme.LicensedUser("Ann Lee", "+12025550142")
	if _, err := e.Service.EnableNumbers(e.Support, e.acme.ID, []string{"+12025550142"}); err != nil {
		t.Fatal(err)
	}
	e.Settle(func() bool { return e.acme.NumberStatus("+12025550142") == smsadmin.NumberEnabledUnassigned })
	if _, err := e.Service.AssignNumbers(e.Support, e.acme.ID, campaignID, []string{"+12025550142"}); err != nil {
		t.Fatal(err)
	}
	e.Settle(func() bool { return e.acme.NumberStatus("+12025550142") == smsadmin.NumberEnabledAssigned })
	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	run(t, ctx,
		chromedp.Navigate(e.url("/t/"+e.acme.ID+"/sms")),
		chromedp.Click(chromedp.CSS(`#camp-`+campaignID+` a.danger-link`)),
		chromedp.WaitVisible(chromedp.CSS("#consequences")),
	)
	// The confirmation names what will happen (R14) before anything does.
	if got := text(t, ctx, "#consequences"); !strings.Contains(got, "the 1 number") || !strings.Contains(got, "never be reactivated") {
		t.Errorf("the confirmation says %q", got)
	}
	if e.acme.GetCampaign(campaignID).Status == smsadmin.StatusDeactivated {
		t.Fatal("deactivated before the confirmation")
	}
	// The answer says it is done, and the SMS page shows its number on
	// its way out.
	run(t, ctx, chromedp.Click(chromedp.CSS(`#consequences ~ form button.danger`)), waitText("#deactivated", "You deactivated campaign"),
		chromedp.Click(chromedp.CSS(`#deactivated a[href$="/sms"]`)), chromedp.WaitVisible(chromedp.CSS("#numbers-table")),
		waitText("#row-12025550142 .status", "Pending"), markPage)
	e.Settle(func() bool { return e.acme.NumberStatus("+12025550142") == smsadmin.NumberDisabled })
	run(t, ctx, chromedp.WaitNotPresent(chromedp.CSS("#row-12025550142")), waitText("#camp-"+campaignID, "Deactivated"), notReloaded)
}

func TestBrowserDiagnosisAfterLicenseChange(t *testing.T) {
	e := newEnv(t)
	e.acme.VerifiedCampaign("US")
	ann := e.acme.LicensedUser("Ann Lee", "+12025550142")
	if _, err := e.Service.SetUserSMS(e.Support, e.acme.ID, ann, "+12025550142", true); err != nil {
		t.Fatal(err)
	}
	e.Settle(func() bool { return e.acme.NumberStatus("+12025550142") == smsadmin.NumberEnabledAssigned })
	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	run(t, ctx,
		chromedp.Navigate(e.url("/t/"+e.acme.ID+"/users/"+ann)),
		waitText("#diagnosis", "can send SMS"),
		clear("#license"),
		chromedp.SendKeys(chromedp.CSS("#license"), "X4"),
		markPage,
		chromedp.Click(chromedp.CSS(`#user-main form button.primary`)),
		// R16 is said before it happens, in place.
		chromedp.WaitVisible(chromedp.CSS("#update-confirm")),
		notReloaded,
	)
	if got := text(t, ctx, "#turn-offs"); !strings.Contains(got, "Changing the license to X4 turns SMS off on +1 202 555 0142, even though the number stays; you will need to enable it again.") {
		t.Errorf("the question says %q", got)
	}
	if !e.acme.GetNumber("+12025550142").SMS.WantSMS {
		t.Fatal("SMS went off before the question was answered")
	}
	run(t, ctx,
		chromedp.Click(chromedp.CSS("#confirm-update")),
		waitText("#diagnosis", "License changed"),
		// Each read waits: a live update may be swapping #diagnosis in.
		waitText("#diagnosis", "Alice Admin (admin)"),
		waitText("#diagnosis", "Fix:"),
		waitText("#diagnosis", "Enable SMS for +1 202 555 0142 again"),
	)
	if got := e.audit(smsadmin.ActionUserUpdate); len(got) == 0 || got[0].Actor != e.admin.ID {
		t.Errorf("user.update is not audited with the account as actor: %+v", got)
	}
}

func TestBrowserCSRFRefused(t *testing.T) {
	e := newEnv(t)
	ann := e.acme.LicensedUser("Ann Lee", "+12025550142")
	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	target := e.url("/t/" + e.acme.ID + "/users/" + ann + "/sms")
	// Another site's page posts a form to the console in the signed-in
	// browser: refused, nothing changed.
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!doctype html><form id="f" method="post" action="%s"><input name="number" value="+12025550142"><input name="enabled" value="true"></form><script>document.getElementById("f").submit()</script>`, target)
	}))
	defer evil.Close()
	run(t, ctx, chromedp.Navigate(evil.URL), waitText("main", "came from another website"))
	// A page of the console itself that leaves the token out: refused too.
	run(t, ctx, chromedp.Navigate(e.url("/t/"+e.acme.ID+"/users")), chromedp.WaitVisible(chromedp.CSS("#users-list")))
	status, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`fetch(%q, {method: "POST", headers: {"Content-Type": "application/x-www-form-urlencoded"}, body: "number=%%2B12025550142&enabled=true"}).then(r => r.status)`, target),
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if status != http.StatusForbidden {
		t.Errorf("a POST without the CSRF token = %d, want 403", status)
	}
	if got := e.acme.NumberStatus("+12025550142"); got != smsadmin.NumberDisabled {
		t.Errorf("the number is %s after refused requests", got)
	}
}

func TestBrowserSessionExpires(t *testing.T) {
	e := newEnv(t)
	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	e.Clock.Advance(sessionTTL)
	run(t, ctx, chromedp.Navigate(e.url("/t/"+e.acme.ID+"/sms")), chromedp.WaitVisible(chromedp.CSS("#email")))
	if why := text(t, ctx, ".notice"); !strings.Contains(why, "session has ended") {
		t.Errorf("the sign-in page says %q", why)
	}
	// Signing in again returns to the page asked for.
	run(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#email"), e.admin.Email),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("#numbers-body")),
	)
}

func TestBrowserAnotherTenantRefused(t *testing.T) {
	e := newEnv(t)
	other := e.Tenant("Globex").ID
	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	for _, path := range []string{"/t/" + other + "/users", "/t/" + other + "/sms", "/t/" + other + "/audit"} {
		run(t, ctx, chromedp.Navigate(e.url(path)), chromedp.WaitVisible(chromedp.CSS(".error-page")))
		if got := text(t, ctx, ".error-page"); !strings.Contains(got, "not yours to see") {
			t.Errorf("%s shows %q", path, got)
		}
	}
}
