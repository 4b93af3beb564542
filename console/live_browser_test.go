package console_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"smsadmin/smsadmintest"
)

// A live update swaps in the regions that changed, and leaves the others
// the very elements they were: a text selected in one stays selected, and
// the registration state, which is aria-live, is not put in again (a
// screen reader would read it out again). A number's status changes: the
// numbers table shows it, and the registration state, with a text selected
// in it, is left alone. Then a brand is registered elsewhere: the
// registration state shows it, and the numbers table, with a number
// selected in it, is left alone.
func TestBrowserLiveUpdateSwapsOnlyWhatChanged(t *testing.T) {
	e := newEnv(t)
	e.acme.LicensedUser("Ann Lee", "+12025550142")
	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	run(t, ctx, e.openSMS("#registration-state")...)
	// mark marks the element of region and selects the text of sel, as a
	// person would to copy it; it returns the text selected.
	mark := func(region, sel string) string {
		t.Helper()
		s := eval(t, ctx, fmt.Sprintf(`(() => { document.querySelector(%q).__marked = true;
			const r = document.createRange(); r.selectNodeContents(document.querySelector(%q));
			const s = getSelection(); s.removeAllRanges(); s.addRange(r); return s.toString() })()`, region, sel))
		if s == "" {
			t.Fatalf("no text selected in %s", sel)
		}
		return s
	}
	// left checks whether region is still the element marked, and that the
	// text selected is still selected.
	left := func(region, selected string) {
		t.Helper()
		if got := eval(t, ctx, fmt.Sprintf(`String(!!document.querySelector(%q).__marked)`, region)); got != "true" {
			t.Errorf("%s, which did not change, was swapped by the live update", region)
		}
		if got := eval(t, ctx, `getSelection().toString()`); got != selected {
			t.Errorf("after the live update, the text selected is %q, want %q", got, selected)
		}
	}

	selected := mark("#registration-state", "#registration-state p")
	if _, err := e.Service.EnableNumbers(e.Support, e.acme.ID, []string{"+12025550142"}); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, waitText("#row-12025550142 .status", "Pending"), liveCaughtUp, notReloaded)
	left("#registration-state", selected)

	selected = mark("#numbers-table", "#row-12025550142 th label")
	acme := brand("Acme")
	if err := e.Service.CreateBrand(e.Support, e.acme.ID, acme); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, waitText("#state-"+acme.ID, "Draft"), liveCaughtUp, notReloaded)
	left("#numbers-table", selected)
	if got := eval(t, ctx, `String(!!document.querySelector("#registration-state").__marked)`); got != "false" {
		t.Errorf("the registration state, which changed, is still the element it was")
	}
}

// A form's answer brings regions newer than the ones the poller was last
// sent: the live update that follows brings them again, and leaves alone
// those the answer already shows as they are. The admin registers a brand
// with the form: the answer shows it pending in the registration state,
// which the live update after does not put in again (a screen reader
// would read it out twice).
func TestBrowserLiveUpdateAfterAnswer(t *testing.T) {
	e := newEnv(t)
	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	run(t, ctx, e.openSMS("#brand-new")...)
	// window.__in counts the times the registration state is put in the
	// page once the answer has put in its part of the page (#registration).
	eval(t, ctx, `(() => { window.__in = -1;
		new MutationObserver(ms => { for (const m of ms) for (const n of m.addedNodes) {
			if (n.id === "registration") window.__in = 0;
			else if (n.id === "registration-state" && window.__in >= 0) window.__in++ } })
			.observe(document.body, {childList: true, subtree: true});
		return "" })()`)
	run(t, ctx,
		fill("brand-new", brandFields(smsadmintest.Brand("US"))),
		chromedp.Click(chromedp.CSS("#brand-new button[type=submit]")),
		waitText("#registration-state", "Pending"),
		liveCaughtUp,
		notReloaded,
	)
	if got := eval(t, ctx, `String(window.__in)`); got != "0" {
		t.Errorf("after the answer, the live update put the registration state, unchanged, in the page %s times", got)
	}
}
