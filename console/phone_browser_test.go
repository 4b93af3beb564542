package console_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"smsadmin"
)

// overflow says what is wider than the screen: "" when the page fits the
// viewport's width (a table may scroll inside its own box), else the
// page's width and the widest elements that stick out.
const overflow = `(() => {
	const d = document.documentElement, w = d.clientWidth;
	if (d.scrollWidth <= w) return "";
	const out = [...document.querySelectorAll("body *")].filter((e) => {
		const r = e.getBoundingClientRect();
		if (r.right <= w + 1) return false;
		// Within a box that scrolls (or clips) by itself, it is that box's;
		// but for a positioned element, whose box is its nearest positioned
		// ancestor's.
		const absolute = ["absolute", "fixed"].includes(getComputedStyle(e).position);
		let held = !absolute;
		for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
			const s = getComputedStyle(p);
			held = held || s.position !== "static";
			if (s.overflowX !== "visible" && held) return false;
		}
		return true;
	}).slice(0, 5).map((e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string" ? "." + e.className.split(" ").join(".") : "") + " to " + Math.round(e.getBoundingClientRect().right));
	return "the page is " + d.scrollWidth + "px wide in " + w + "px: " + out.join(", ");
})()`

// smallBoxes lists the check boxes shown smaller than 24 by 24 pixels
// (WCAG 2.5.8, target size).
const smallBoxes = `[...document.querySelectorAll('input[type="checkbox"]')].filter((b) => {
	const r = b.getBoundingClientRect();
	return r.width > 0 && (r.width < 24 || r.height < 24);
}).map((b) => (b.id || b.name) + " " + Math.round(b.getBoundingClientRect().width) + "x" + Math.round(b.getBoundingClientRect().height)).join(", ")`

// On a phone (390 by 844 CSS pixels) the main pages fit the screen's
// width: nothing makes the page scroll sideways (a wide table scrolls in
// its own box), the user page's SMS switch is on screen, and check boxes
// are at least 24 pixels (WCAG 2.5.8).
func TestBrowserPhoneWidth(t *testing.T) {
	e := newEnv(t)
	campaignID := e.acme.VerifiedCampaign("US")
	ann := e.acme.LicensedUser("Ann Lee-Fitzgerald Montgomery", "+12025550142", "+12025550146")
	e.acme.LicensedUser("Bob Stone", "+12025550143")
	e.acme.Assigned(campaignID, "+12025550142", "+12025550143")
	if _, err := e.Service.UpdateUser(e.acme.Admin, e.acme.ID, ann, smsadmin.UserPatch{SetLicense: true}); err != nil {
		t.Fatal(err)
	}
	e.acme.WaitStatus(smsadmin.NumberDisabled, "+12025550142")
	ctx := tab(t)
	run(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	e.signIn(t, ctx, e.admin.Email)
	tenant := "/t/" + e.acme.ID
	for _, p := range []struct{ path, ready string }{
		{tenant + "/users", "#users-list"},
		{tenant + "/users/" + ann, "#user-sms"},
		{tenant + "/sms", "#numbers-table"},
		{tenant + "/troubleshooting", "#trouble"},
		{tenant + "/audit", "table.audit"},
	} {
		run(t, ctx, chromedp.Navigate(e.url(p.path)), chromedp.WaitVisible(chromedp.CSS(p.ready)))
		if got := eval(t, ctx, overflow); got != "" {
			t.Errorf("at 390px, %s: %s", p.path, got)
		}
		if got := eval(t, ctx, smallBoxes); got != "" {
			t.Errorf("at 390px, %s has check boxes under 24x24 px: %s", p.path, got)
		}
	}
	// The user's switches are on screen, whole.
	run(t, ctx, chromedp.Navigate(e.url(tenant+"/users/"+ann)), chromedp.WaitVisible(chromedp.CSS("#toggle-12025550146")))
	for _, sel := range []string{"#toggle-12025550142", "#toggle-12025550146"} {
		got := eval(t, ctx, `(() => { const r = document.querySelector("`+sel+`").getBoundingClientRect();
			return r.left >= 0 && r.right <= document.documentElement.clientWidth ? "" : "from " + Math.round(r.left) + " to " + Math.round(r.right) + "px"; })()`)
		if got != "" {
			t.Errorf("at 390px, the switch %s is off screen: %s", sel, strings.TrimSpace(got))
		}
	}
}
