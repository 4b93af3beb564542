package console_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"smsadmin"
)

// Troubleshooting (R19) counts the users of each cause, lists the users
// whose cause happened last first, across every page (the Service lists
// them by user ID), and links each fix's navigation path to its page.
func TestBrowserTroubleshootingCountsOrderAndLinks(t *testing.T) {
	e := newEnv(t)
	campaignID := e.acme.VerifiedCampaign("US")
	// First by ID (IDs are made of the time), never enabled: no time.
	never := map[string]string{} // ID -> name
	for i := 1; i <= 24; i++ {
		name := fmt.Sprintf("User %02d", i)
		never[e.acme.LicensedUser(name)] = name
	}
	e.RunFor(time.Second)
	ann := e.acme.LicensedUser("Ann Lee", "+12025550142")
	e.RunFor(time.Second)
	bob := e.acme.LicensedUser("Bob Stone", "+12025550143")
	never[e.acme.LicensedUser("Cy Young", "+12025550144")] = "Cy Young"
	e.acme.LicensedUser("Di Prince", "+12025550145")
	// Bob is out of the Service's first page (25 users by ID).
	for id, name := range never {
		if id > bob && name != "Cy Young" || ann > bob {
			t.Fatalf("%s's ID %s or Ann's %s comes after Bob's, %s: the test needs Bob out of the Service's first page", name, id, ann, bob)
		}
	}
	// Those with no time, in the Service's order (by ID).
	var order []string
	for _, id := range slices.Sorted(maps.Keys(never)) {
		order = append(order, never[id])
	}
	// Di's number is enabled but in no campaign, then Ann loses her
	// license, then an admin turns Bob's SMS off: each later than the
	// one before.
	if _, err := e.Service.EnableNumbers(e.acme.Admin, e.acme.ID, []string{"+12025550145"}); err != nil {
		t.Fatal(err)
	}
	e.acme.WaitStatus(smsadmin.NumberEnabledUnassigned, "+12025550145")
	e.acme.Assigned(campaignID, "+12025550142", "+12025550143")
	e.RunFor(time.Minute)
	if _, err := e.Service.UpdateUser(e.acme.Admin, e.acme.ID, ann, smsadmin.UserPatch{SetLicense: true}); err != nil {
		t.Fatal(err)
	}
	e.RunFor(time.Minute)
	if _, err := e.Service.SetUserSMS(e.acme.Admin, e.acme.ID, bob, "+12025550143", false); err != nil {
		t.Fatal(err)
	}
	e.acme.WaitStatus(smsadmin.NumberDisabled, "+12025550142", "+12025550143")

	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	page := e.url("/t/" + e.acme.ID + "/troubleshooting")
	run(t, ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#trouble")))
	users := func() string {
		return eval(t, ctx, `[...document.querySelectorAll("#trouble tbody th")].map((th) => th.innerText).join(", ")`)
	}
	// The most recent first, then those with no time in the Service's
	// order: the first page starts with Bob, whom the Service lists on
	// its second page.
	if got, want := users(), strings.Join(append([]string{"Bob Stone", "Ann Lee", "Di Prince"}, order[:22]...), ", "); got != want {
		t.Errorf("the first page lists\n%s\nwant\n%s", got, want)
	}
	// Counts of every user, by cause.
	if got := text(t, ctx, "#counts-h"); got != "28 users cannot send SMS" {
		t.Errorf("the counts' heading says %q", got)
	}
	for cause, want := range map[string]string{smsadmin.CauseSMSNotEnabled: "25 users", smsadmin.CauseLicenseChanged: "1 user",
		smsadmin.CauseLicenseRequired: "1 user", smsadmin.CauseDisabledByAdmin: "1 user", smsadmin.CauseNotAssigned: "1 user"} {
		if got := text(t, ctx, `#cause-counts li[data-cause="`+cause+`"]`); !strings.HasSuffix(got, ": "+want) {
			t.Errorf("the count of %s says %q, want it to end %q", cause, got, want)
		}
	}
	if got := eval(t, ctx, `String(document.querySelectorAll("#cause-counts li").length)`); got != "5" {
		t.Errorf("the counts list %s causes, want the 5 that users have", got)
	}
	// The fixes' paths are links to their pages.
	links := map[string]string{
		"/t/" + e.acme.ID + "/users/" + ann + "#user-sms": "Users > Ann Lee > SMS-enabled numbers",
		"/t/" + e.acme.ID + "/users/" + ann + "#license":  "Users > Ann Lee > License",
		"/t/" + e.acme.ID + "/sms#sms-numbers":            "SMS > Your SMS-enabled phone numbers > More > Assign to campaign",
	}
	for href, want := range links {
		if got := text(t, ctx, `#trouble td.fixes a[href="`+href+`"]`); got != want {
			t.Errorf("the link to %s says %q, want %q", href, got, want)
		}
	}
	// The next page goes on in the same order.
	run(t, ctx, chromedp.Click(chromedp.CSS(`a[href*="from=25"]`)), waitText("#trouble caption", "26–28 of 28"))
	if got, want := users(), strings.Join(order[22:], ", "); got != want {
		t.Errorf("the second page lists %s, want %s", got, want)
	}
	// One cause: its users only; the counts stay those of everyone.
	run(t, ctx, chromedp.Navigate(page+"?cause="+smsadmin.CauseLicenseChanged), waitText("#trouble caption", "License changed: 1 user"))
	if got := users(); got != "Ann Lee" {
		t.Errorf("the users of %s: %s", smsadmin.CauseLicenseChanged, got)
	}
	if got := text(t, ctx, "#counts-h"); got != "28 users cannot send SMS" {
		t.Errorf("with a cause chosen, the counts' heading says %q", got)
	}
	if got := text(t, ctx, `#cause-counts li[data-cause="`+smsadmin.CauseSMSNotEnabled+`"]`); !strings.HasSuffix(got, ": 25 users") {
		t.Errorf("with a cause chosen, the count of %s says %q", smsadmin.CauseSMSNotEnabled, got)
	}
	// A fix's link opens its page.
	run(t, ctx,
		chromedp.Click(chromedp.CSS(`#trouble td.fixes a[href$="#user-sms"]`)),
		chromedp.WaitVisible(chromedp.CSS("#user-sms")),
		waitText("h1", "Ann Lee"),
	)
}
