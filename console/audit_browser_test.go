package console_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"smsadmin"
)

// inTimeZone has the tab's pages run in time zone tz (an IANA name).
func inTimeZone(tz string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: tz})
		return err
	})
}

// The audit log says who did what to which named thing (R20): the
// admin's and the carrier's changes in words, the users and campaigns by
// their names, the fields a change changed before and after, and the
// entry's JSON in a disclosure. Its times are the viewer's, to the second;
// the page as served says them in UTC, for a browser without script.
func TestBrowserAuditSaysWhoDidWhat(t *testing.T) {
	e := newEnv(t)
	campaignID := e.acme.VerifiedCampaign("US")
	campaign := e.acme.GetCampaign(campaignID)
	ann := e.acme.LicensedUser("Ann Lee", "+12025550142")
	e.acme.Assigned(campaignID, "+12025550142")
	if _, err := e.Service.UpdateUser(e.acme.Admin, e.acme.ID, ann, smsadmin.UserPatch{SetLicense: true}); err != nil {
		t.Fatal(err)
	}
	if err := e.Sim.SetCampaignStatus(campaign.CarrierRef, smsadmin.StatusSuspended); err != nil {
		t.Fatal(err)
	}
	e.Settle(func() bool { return e.acme.GetCampaign(campaignID).Status == smsadmin.StatusSuspended })

	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	run(t, ctx, inTimeZone("Asia/Tokyo"),
		chromedp.Navigate(e.url("/t/"+e.acme.ID+"/audit")),
		chromedp.WaitVisible(chromedp.CSS("table.audit")),
	)
	// The entries of an action and object: their sentences and changes.
	row := func(action, object string) string {
		t.Helper()
		return eval(t, ctx, `[...document.querySelectorAll('tr[data-action="`+action+`"][data-object="`+object+`"]')]
			.map((r) => r.querySelector(".what").innerText + "\n" + r.querySelector("td:last-child").innerText).join("\n---\n") || "no row"`)
	}
	num, camp, user := "number/+12025550142", "campaign/"+campaignID, "user/"+ann
	for _, c := range []struct{ action, object, want string }{
		{smsadmin.ActionNumberSMSEnable, num, "Alice Admin (admin) enabled SMS on +1 202 555 0142 (Ann Lee)"},
		{smsadmin.ActionNumberSMSAssign, num, "Alice Admin (admin) assigned +1 202 555 0142 (Ann Lee) to campaign " + campaign.Name},
		{smsadmin.ActionUserUpdate, user, "Alice Admin (admin) changed user Ann Lee"},
		{smsadmin.ActionUserUpdate, user, "license: X2 → none"},
		{smsadmin.ActionNumberSMSDisable, num, "Alice Admin (admin) disabled SMS on +1 202 555 0142 (Ann Lee)"},
		{smsadmin.ActionNumberSMSDisable, num, "status: Enabled and Assigned → Pending"},
		{smsadmin.ActionNumberSMSDisable, num, "sms off cause: none → License changed"},
		{smsadmin.ActionCampaignCarrier, camp, "the carrier suspended campaign " + campaign.Name},
		{smsadmin.ActionCampaignCarrier, camp, "status: Verified → Suspended"},
	} {
		if got := row(c.action, c.object); !strings.Contains(got, c.want) {
			t.Errorf("the audit log's %s of %s does not say %q:\n%s", c.action, c.object, c.want, got)
		}
	}
	// Only what changed: the user's name stayed, and no field's time of
	// writing is listed.
	if got := row(smsadmin.ActionUserUpdate, user); strings.Contains(got, "name:") || strings.Contains(got, "updated at") {
		t.Errorf("the user's change lists fields that did not change:\n%s", got)
	}
	// No code or ID is said outside the raw JSON.
	if got := text(t, ctx, "table.audit tbody"); strings.Contains(got, smsadmin.ActionNumberSMSEnable) || strings.Contains(got, campaignID) || strings.Contains(got, ann) {
		t.Errorf("the audit log shows codes or IDs:\n%s", got)
	}
	// The JSON is a click away.
	sel := `tr[data-action="` + smsadmin.ActionUserUpdate + `"] details.raw`
	run(t, ctx, chromedp.Click(chromedp.CSS(sel+" summary")), waitText(sel, `"license":null`))

	// The times: the viewer's (Tokyo, UTC+9), to the second, the UTC text
	// kept as the title.
	entries := e.audit(smsadmin.ActionUserUpdate)
	at := entries[0].At
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	when := `tr[data-action="` + smsadmin.ActionUserUpdate + `"] time`
	if got := text(t, ctx, when); !strings.Contains(got, at.In(tokyo).Format("15:04:05")) || strings.Contains(got, "UTC") {
		t.Errorf("the change's time shows %q; want the time in Tokyo, %s", got, at.In(tokyo).Format("15:04:05"))
	}
	if got, want := attr(t, ctx, when, "datetime"), at.UTC().Format(time.RFC3339); got != want {
		t.Errorf("the change's <time> says datetime=%q, want %q", got, want)
	}
	if got, want := attr(t, ctx, when, "title"), at.UTC().Format("2 Jan 2006 15:04:05 UTC"); got != want {
		t.Errorf("the change's time has the title %q, want %q", got, want)
	}
	// Without a script, the page says the time in UTC.
	served, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(location.href).then(r => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if want := `datetime="` + at.UTC().Format(time.RFC3339) + `">` + at.UTC().Format("2 Jan 2006 15:04:05 UTC") + `</time>`; !strings.Contains(served, want) {
		t.Errorf("the page as served does not hold %s", want)
	}
}
