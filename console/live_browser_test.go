package console_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
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
	e.user("Ann Lee", "+12025550142")
	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	run(t, ctx,
		chromedp.Navigate(e.url("/t/"+e.tenant+"/sms")),
		chromedp.WaitVisible(chromedp.CSS("#registration-state")),
		liveCaughtUp,
		markPage,
	)
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
	if _, err := e.svc.EnableNumbers(e.support, e.tenant, []string{"+12025550142"}); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, waitText("#row-12025550142 .status", "Pending"), liveCaughtUp, notReloaded)
	left("#registration-state", selected)

	selected = mark("#numbers-table", "#row-12025550142 th label")
	acme := brand("Acme")
	if err := e.svc.CreateBrand(e.support, e.tenant, acme); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, waitText("#state-"+acme.ID, "Draft"), liveCaughtUp, notReloaded)
	left("#numbers-table", selected)
	if got := eval(t, ctx, `String(!!document.querySelector("#registration-state").__marked)`); got != "false" {
		t.Errorf("the registration state, which changed, is still the element it was")
	}
}
