package console_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"smsadmin"
)

// Support raises and lowers a campaign's number limit on the SMS page
// (R9): a limit below the numbers the campaign holds is refused next to
// the control, one at the count fills the campaign. Then Troubleshooting
// by cause, and the audit log filtered by action, naming support.
func TestBrowserSupportLimitTroubleshootingAudit(t *testing.T) {
	e := newEnv(t)
	campaignID := e.acme.VerifiedCampaign("US")
	e.acme.LicensedUser("Ann Lee", "+12025550142")
	e.acme.LicensedUser("Bob Stone", "+12025550143")
	e.acme.LicensedUser("Cy Young", "+12025550144")
	nums := []string{"+12025550142", "+12025550143"}
	if _, err := e.Service.EnableNumbers(e.Support, e.acme.ID, nums); err != nil {
		t.Fatal(err)
	}
	e.Settle(func() bool { return e.acme.NumberStatus(nums[1]) == smsadmin.NumberEnabledUnassigned })
	if _, err := e.Service.AssignNumbers(e.Support, e.acme.ID, campaignID, nums); err != nil {
		t.Fatal(err)
	}
	e.Settle(func() bool { return e.acme.NumberStatus(nums[1]) == smsadmin.NumberEnabledAssigned })
	if _, err := e.Service.CreateAccount(e.Support, smsadmin.AccountRequest{Role: smsadmin.RoleSupport, Email: "sam@support.example.com",
		Name: "Sam Support", Password: password}); err != nil {
		t.Fatal(err)
	}
	ctx := tab(t)
	e.signIn(t, ctx, "sam@support.example.com")
	limit, row := "#limit-"+campaignID, "#camp-"+campaignID
	run(t, ctx,
		chromedp.Navigate(e.url("/t/"+e.acme.ID+"/sms")),
		waitText(row+" .count", "2 / 48"),
		clear(limit), chromedp.SendKeys(chromedp.CSS(limit), "1"),
		chromedp.Click(chromedp.CSS(row+" form button")),
		waitText(row+" .error", "cannot go below"),
		clear(limit), chromedp.SendKeys(chromedp.CSS(limit), "2"),
		chromedp.Click(chromedp.CSS(row+" form button")),
		waitText(row+" .count", "2 / 2"),
		waitText("#limit-warning-"+campaignID, "Full"),
		// The refusal went with the limit that was taken.
		chromedp.WaitNotPresent(chromedp.CSS(row+" .error")),
	)
	// Troubleshooting: who cannot send, then one cause only.
	run(t, ctx,
		chromedp.Click(chromedp.CSS(`nav a[href$="/troubleshooting"]`)),
		waitText("main", "Cy Young"),
		chromedp.SetValue(chromedp.CSS("#cause"), smsadmin.CauseSMSNotEnabled),
		chromedp.Click(chromedp.CSS(`form.filters button`)),
		chromedp.WaitReady(chromedp.CSS(`#cause option[value="`+smsadmin.CauseSMSNotEnabled+`"][selected]`)),
		waitText("caption", "SMS never enabled"),
	)
	if got := text(t, ctx, "table"); !strings.Contains(got, "Cy Young") || !strings.Contains(got, "Enable SMS for +1 202 555 0144") {
		t.Errorf("troubleshooting by cause shows:\n%s", got)
	}
	// The audit log, filtered by action: the limit's change, by support.
	run(t, ctx,
		chromedp.Click(chromedp.CSS(`nav a[href$="/audit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#action")),
		chromedp.SendKeys(chromedp.CSS("#action"), smsadmin.ActionCampaignLimit),
		chromedp.Click(chromedp.CSS(`form.filters button`)),
		chromedp.WaitReady(chromedp.CSS(`#action[value="`+smsadmin.ActionCampaignLimit+`"]`)),
		waitText("table.audit tbody", "Sam Support (support)"),
	)
	rows := eval(t, ctx, `[...document.querySelectorAll("table.audit tbody tr")].map((r) => r.dataset.action + " " + r.dataset.object).join("\n")`)
	if rows != smsadmin.ActionCampaignLimit+" campaign/"+campaignID {
		t.Errorf("the audit log filtered by %s lists:\n%s", smsadmin.ActionCampaignLimit, rows)
	}
	name := e.acme.GetCampaign(campaignID).Name
	if got := text(t, ctx, "table.audit tbody"); !strings.Contains(got, "Sam Support (support) changed the number limit of campaign "+name) ||
		!strings.Contains(got, "number limit: 48 → 2") {
		t.Errorf("the audit log filtered by %s shows:\n%s", smsadmin.ActionCampaignLimit, got)
	}
}
