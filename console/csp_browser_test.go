package console_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"smsadmin"
)

// consoleErrors collects what the tab's pages report as errors in the
// browser's console from now on: the console's own errors (a style or a
// script the Content-Security-Policy refuses, a resource not found) and
// the scripts' (console.error, an exception not caught). It returns them
// and forgets them.
func consoleErrors(t *testing.T, ctx context.Context) func() []string {
	t.Helper()
	var mu sync.Mutex
	var errs []string
	err := chromedp.Listen(ctx, func(ev any) {
		var s string
		switch ev := ev.(type) {
		case *cdplog.EventEntryAdded:
			if ev.Entry.Level == cdplog.EntryLevelError {
				s = fmt.Sprintf("%s (%s, %s)", ev.Entry.Text, ev.Entry.Source, ev.Entry.URL)
			}
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, strings.Trim(string(a.Value), `"`)+a.Description)
				}
				s = "console.error: " + strings.Join(parts, " ")
			}
		case *runtime.EventExceptionThrown:
			s = "uncaught: " + ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				s += " " + ev.ExceptionDetails.Exception.Description
			}
		}
		if s != "" {
			mu.Lock()
			errs = append(errs, s)
			mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("browser: listening to the console: %v", err)
	}
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		out := errs
		errs = nil
		return out
	}
}

// The main pages, and the answers that come in place on them, leave no
// error in the browser's console: in particular no inline style (a style
// attribute or element) that the Content-Security-Policy (default-src
// 'self', auth.go) refuses.
func TestBrowserNoConsoleErrors(t *testing.T) {
	e := newEnv(t)
	campaignID := e.acme.VerifiedCampaign("US")
	ann := e.acme.LicensedUser("Ann Lee", "+12025550142", "+12025550146")
	e.acme.LicensedUser("Bob Stone", "+12025550143")
	e.acme.Assigned(campaignID, "+12025550142")
	if _, err := e.Service.CreateAccount(e.Support, smsadmin.AccountRequest{Role: smsadmin.RoleSupport, Email: "sam@support.example.com",
		Name: "Sam Support", Password: password}); err != nil {
		t.Fatal(err)
	}
	ctx := tab(t)
	errs := consoleErrors(t, ctx)
	check := func(where string) {
		t.Helper()
		// Let the page's live update poll once more, and what it logs
		// arrive.
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`new Promise((done) => setTimeout(() => done(true), 300))`, chromedp.EvalAwaitPromise)); err != nil {
			t.Fatal(err)
		}
		for _, msg := range errs() {
			t.Errorf("%s: the browser's console says: %s", where, msg)
		}
	}
	// Signing in, wrong then right.
	run(t, ctx, chromedp.Navigate(e.url("/signin")), chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), e.admin.Email), chromedp.SendKeys(chromedp.CSS("#password"), "not it"),
		chromedp.Submit(chromedp.CSS("#password")), chromedp.WaitVisible(chromedp.CSS("#password-error")))
	// A wrong password is answered 401 (or 422), which the browser logs
	// as a failed load: not a fault of the page.
	for _, msg := range errs() {
		if !strings.Contains(msg, "the server responded with a status of 4") {
			t.Errorf("signing in: the browser's console says: %s", msg)
		}
	}
	e.signIn(t, ctx, e.admin.Email)
	check("signed in")
	tenant := "/t/" + e.acme.ID
	pages := []struct {
		path, ready string
		do          []chromedp.Action[chromedp.Void]
	}{
		{path: tenant + "/users", ready: "#users-list"},
		{path: tenant + "/users/" + ann, ready: "#user-sms", do: []chromedp.Action[chromedp.Void]{
			// An answer in place: the toggle's question.
			chromedp.Click(chromedp.CSS("#toggle-12025550146")), chromedp.WaitVisible(chromedp.CSS("#enable-confirm")),
		}},
		{path: tenant + "/sms", ready: "#numbers-table", do: []chromedp.Action[chromedp.Void]{
			// The menus, and an answer in place: Enable's results.
			chromedp.Click(chromedp.CSS("details.more summary")), chromedp.Click(chromedp.CSS("details.more summary")),
			chromedp.Click(chromedp.CSS("details.enable summary")),
			chromedp.SendKeys(chromedp.CSS("#enable-numbers"), "+12025550143"),
			chromedp.Click(chromedp.CSS("details.enable button[type=submit]")), chromedp.WaitVisible(chromedp.CSS(".results")),
			// An action on every number, chunk by chunk, with its progress.
			chromedp.Click(chromedp.CSS("#select-all")), chromedp.Click(chromedp.CSS("details.more summary")),
			chromedp.Click(chromedp.CSS(`button[value=retry]`)), waitText("#bulk-progress", "Done"),
			// The header's bell.
			chromedp.Click(chromedp.CSS("details.bell summary")), chromedp.WaitVisible(chromedp.CSS(".bell-menu")),
		}},
		{path: tenant + "/campaigns/" + campaignID + "/deactivate", ready: "#consequences"},
		{path: tenant + "/troubleshooting", ready: "#trouble"},
		{path: tenant + "/audit", ready: "table.audit", do: []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS("details.raw summary")),
		}},
		{path: tenant + "/sms", ready: "#numbers-table", do: []chromedp.Action[chromedp.Void]{
			// A registration form and its live readiness check (R24).
			chromedp.Click(chromedp.CSS("#registration .cols > details:first-child > summary")),
			chromedp.SendKeys(chromedp.CSS(`#registration .cols > details:first-child input[name="legal_name"]`), "Initech"),
			chromedp.WaitVisible(chromedp.CSS(`#registration .cols > details:first-child .problem`)),
		}},
		{path: tenant + "/notifications", ready: "main h1"},
		{path: tenant + "/numbers", ready: "main h1"},
		{path: tenant + "/tokens", ready: "main h1"},
	}
	for _, p := range pages {
		run(t, ctx, chromedp.Navigate(e.url(p.path)), chromedp.WaitVisible(chromedp.CSS(p.ready)))
		run(t, ctx, p.do...)
		check(p.path)
	}
	// A page not found: its 404 aside.
	run(t, ctx, chromedp.Navigate(e.url(tenant+"/no-such-page")), chromedp.WaitVisible(chromedp.CSS("main h1")))
	for _, msg := range errs() {
		if !strings.Contains(msg, "the server responded with a status of 404") {
			t.Errorf("a page not found: the browser's console says: %s", msg)
		}
	}
	// Support's pages.
	run(t, ctx, chromedp.Click(chromedp.CSS(`.signout button`)), chromedp.WaitVisible(chromedp.CSS("#email")))
	e.signIn(t, ctx, "sam@support.example.com")
	for _, path := range []string{"/", "/accounts"} {
		run(t, ctx, chromedp.Navigate(e.url(path)), chromedp.WaitVisible(chromedp.CSS("main h1")))
		check(path)
	}
}
