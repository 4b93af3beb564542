package console_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"smsadmin"
)

// Home › Users › + Add user, with a number new to the inventory: the new
// user's page follows, the number in their profile and in the SMS
// section, ready to enable; the Users page lists and counts them.
func TestBrowserAddUserWithNumber(t *testing.T) {
	e := newEnv(t)
	e.acme.LicensedUser("Zed Stone")
	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	run(t, ctx,
		chromedp.WaitVisible(chromedp.CSS("#users-list")),
		waitText("#users-count", "1 user"),
		chromedp.Click(chromedp.CSS(`#add-user summary`)),
		chromedp.SendKeys(chromedp.CSS("#new-name"), "Ann Lee"),
		chromedp.SendKeys(chromedp.CSS("#new-email"), "ann@example.com"),
		chromedp.SendKeys(chromedp.CSS("#new-license"), "X2"),
		// A number that is not one is refused by its field, nothing added.
		chromedp.SendKeys(chromedp.CSS("#new-number"), "+1 202 555"),
		chromedp.Click(chromedp.CSS(`#add-user button.primary`)),
		chromedp.WaitVisible(chromedp.CSS("#new-number-error")),
	)
	if got := text(t, ctx, "#new-number-error"); !strings.Contains(got, "too short") {
		t.Errorf("the number's error says %q", got)
	}
	if attr(t, ctx, "#new-number", "aria-invalid") != "true" {
		t.Errorf("the number field is not marked invalid")
	}
	run(t, ctx,
		clear("#new-number"),
		chromedp.SendKeys(chromedp.CSS("#new-number"), "+1 (202) 555-0142"),
		chromedp.Click(chromedp.CSS(`#add-user button.primary`)),
		chromedp.WaitVisible(chromedp.CSS("#added")),
		chromedp.WaitVisible(chromedp.CSS("#toggle-12025550142")),
	)
	if got := text(t, ctx, "h1"); got != "Ann Lee" {
		t.Errorf("the page after adding is %q", got)
	}
	if got := text(t, ctx, "#phone-numbers"); !strings.Contains(got, "Remove +1 202 555 0142") {
		t.Errorf("the profile's numbers: %q", got)
	}
	if got := text(t, ctx, "#diagnosis"); !strings.Contains(got, "SMS never enabled") {
		t.Errorf("the new user's diagnosis: %q", got)
	}
	run(t, ctx, chromedp.Navigate(e.url("/t/"+e.acme.ID+"/users")), waitText("#users-count", "2 users"))
	if got := text(t, ctx, "#users-list tbody tr"); !strings.HasPrefix(got, "Ann Lee") {
		t.Errorf("the first user by name: %q", got)
	}
	if got := e.audit(smsadmin.ActionUserCreate); len(got) == 0 || got[0].Actor != e.admin.ID {
		t.Errorf("user.create is not audited with the account as actor: %+v", got)
	}
}

// R15 from the profile: the SMS number removed and a new one added in its
// place, the page asks first, saying the number goes off and the new one
// must be enabled; confirmed, the diagnosis says the number changed, and
// the new number is the user's with SMS off.
func TestBrowserReplaceNumberAsksFirst(t *testing.T) {
	e := newEnv(t)
	ann := e.ready("Ann Lee", "+12025550142")
	if _, err := e.Service.CreateNumber(e.Support, e.acme.ID, smsadmin.NumberRequest{Number: "+12025550150"}); err != nil {
		t.Fatal(err)
	}
	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	run(t, ctx,
		chromedp.Navigate(e.url("/t/"+e.acme.ID+"/users/"+ann)),
		waitText("#diagnosis", "can send SMS"),
		markPage,
		chromedp.Click(chromedp.CSS("#remove-12025550142")),
		chromedp.SendKeys(chromedp.CSS("#add"), "+12025550150"),
		chromedp.Click(chromedp.CSS(`#user-main form button.primary`)),
		chromedp.WaitVisible(chromedp.CSS("#update-confirm")),
		notReloaded,
	)
	if got := text(t, ctx, "#turn-offs"); !strings.Contains(got, "Changing the number turns SMS off for +1 202 555 0142; you will need to enable the new number, +1 202 555 0150") {
		t.Errorf("the question says %q", got)
	}
	if n := e.acme.GetNumber("+12025550142"); !n.SMS.WantSMS || n.UserID != ann {
		t.Fatal("the number changed before the question was answered")
	}
	run(t, ctx,
		chromedp.Click(chromedp.CSS("#confirm-update")),
		waitText("#diagnosis", "Number changed"),
		waitText("#diagnosis", "Alice Admin (admin)"),
		waitText("#diagnosis", "Enable SMS for +1 202 555 0150"),
		chromedp.WaitVisible(chromedp.CSS("#toggle-12025550150")),
		notReloaded,
	)
	if attr(t, ctx, "#toggle-12025550150", "aria-checked") != "false" {
		t.Errorf("the new number's SMS is on: R15 enables nothing by itself")
	}
	if n := e.acme.GetNumber("+12025550142"); n.SMS.WantSMS || n.UserID != "" {
		t.Errorf("the old number after the change: wants SMS %v, belongs to %q", n.SMS.WantSMS, n.UserID)
	}
}

// Home › API tokens: a user's token created is shown once, to copy; the
// page shows it no more after, and Revoke ends it.
func TestBrowserAPITokenShownOnce(t *testing.T) {
	e := newEnv(t)
	e.acme.LicensedUser("Ann Lee", "+12025550142")
	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	run(t, ctx,
		chromedp.Click(chromedp.CSS(`nav a[href$="/tokens"]`)),
		chromedp.WaitVisible(chromedp.CSS("#token-user")),
		chromedp.SendKeys(chromedp.CSS("#token-user"), "ann.lee@example.com"),
		chromedp.SendKeys(chromedp.CSS("#token-name"), "CRM integration"),
		markPage,
		chromedp.Click(chromedp.CSS(`#create-token button.primary`)),
		chromedp.WaitVisible(chromedp.CSS("#token-value")),
		notReloaded,
	)
	secret := text(t, ctx, "#token-value")
	if !strings.HasPrefix(secret, smsadmin.TokenPrefix) {
		t.Fatalf("the token shown: %q", secret)
	}
	if got := text(t, ctx, "#new-token"); !strings.Contains(got, "Copy it now: it is shown this once") {
		t.Errorf("the new token says %q", got)
	}
	if _, err := e.Service.Authenticate(context.Background(), secret); err != nil {
		t.Errorf("the token shown does not work: %v", err)
	}
	run(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#tokens")))
	if got := eval(t, ctx, `document.documentElement.outerHTML`); strings.Contains(got, secret) {
		t.Errorf("the tokens page shows the secret again")
	}
	if got := text(t, ctx, "#tokens tbody"); !strings.Contains(got, "CRM integration") || !strings.Contains(got, "User: Ann Lee") || !strings.Contains(got, "Active") {
		t.Errorf("the tokens listed: %q", got)
	}
	run(t, ctx,
		chromedp.Click(chromedp.CSS(`#tokens button.danger`)),
		chromedp.WaitVisible(chromedp.CSS("#token-revoked")),
		waitText("#tokens tbody", "Revoked"),
	)
	if _, err := e.Service.Authenticate(context.Background(), secret); smsadmin.ErrorCode(err) != smsadmin.CodeUnauthorized {
		t.Errorf("the revoked token authenticates: %v", err)
	}
}
