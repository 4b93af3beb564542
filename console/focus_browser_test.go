package console_test

import (
	"context"
	"fmt"
	"time"

	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"smsadmin"
)

// focused says which element has the focus: its id, or its tag and
// class, and the text of a summary.
const focused = `(() => { const a = document.activeElement; if (!a) return "nothing";
	if (a.id) return "#" + a.id;
	return a.tagName.toLowerCase() + (a.className ? "." + a.className : "") + (a.parentElement ? " in " + a.parentElement.tagName.toLowerCase() + "." + a.parentElement.className : ""); })()`

// The keyboard on the SMS page: Escape closes the open More menu and
// gives the focus back to its summary; the answer of Enable and of Assign,
// which comes in place, takes the focus to its heading rather than
// leaving it nowhere (the top of the page).
func TestBrowserSMSKeyboardFocus(t *testing.T) {
	e := newEnv(t)
	campaignID := e.acme.VerifiedCampaign("US")
	e.acme.LicensedUser("Ann Lee", "+12025550142")
	e.acme.LicensedUser("Bob Stone", "+12025550143")
	if _, err := e.Service.EnableNumbers(e.acme.Admin, e.acme.ID, []string{"+12025550142"}); err != nil {
		t.Fatal(err)
	}
	e.acme.WaitStatus(smsadmin.NumberEnabledUnassigned, "+12025550142")
	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	run(t, ctx, e.openSMS("#numbers-table")...)

	// Escape, from a control in the menu.
	run(t, ctx,
		chromedp.Click(chromedp.CSS(`details.more summary`)),
		chromedp.Focus(chromedp.CSS("#assign-campaign")),
		chromedp.KeyEvent(kb.Escape),
	)
	if open := eval(t, ctx, `String(document.querySelector("details.more").open)`); open != "false" {
		t.Errorf("Escape left the More menu open")
	}
	if got := eval(t, ctx, focused); got != "summary.button in details.more" {
		t.Errorf("after Escape the focus is on %s, want the More menu's summary", got)
	}

	// Enable: the results' heading has the focus.
	run(t, ctx,
		chromedp.Click(chromedp.CSS(`details.enable summary`)),
		chromedp.SendKeys(chromedp.CSS("#enable-numbers"), "+12025550143"),
		chromedp.Click(chromedp.CSS(`details.enable button[type=submit]`)),
		waitText(".results h3", "Enable phone numbers"),
		notReloaded,
		focusOn("results-h"),
	)
	if got := eval(t, ctx, focused); got != "#results-h" {
		t.Errorf("after Enable answered, the focus is on %s, want the results' heading", got)
	}

	// Assign, from the More menu: the same.
	run(t, ctx,
		chromedp.Click(chromedp.CSS("#sel-12025550142")),
		chromedp.Click(chromedp.CSS(`details.more summary`)),
		chromedp.SetValue(chromedp.CSS("#assign-campaign"), campaignID),
		chromedp.Click(chromedp.CSS(`button[value=assign]`)),
		waitText(".results h3", "Assign to campaign"),
		notReloaded,
		focusOn("results-h"),
	)
	if got := eval(t, ctx, focused); got != "#results-h" {
		t.Errorf("after Assign answered, the focus is on %s, want the results' heading", got)
	}
}

// focusOn waits, a little, for the element id to have the focus (htmx
// gives it after its swap settles); the check after it says where it is.
func focusOn(id string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		wctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		_, _ = chromedp.Poll[bool](fmt.Sprintf(`document.activeElement && document.activeElement.id === %q`, id),
			chromedp.WithPollingInterval(20*time.Millisecond))(wctx, t)
		return nil
	})
}
