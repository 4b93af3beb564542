package console_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"smsadmin"
)

// fill types fields' values into the form with the ID form, each field
// emptied first.
func fill(form string, fields map[string]string) chromedp.Action[chromedp.Void] {
	var acts []chromedp.Action[chromedp.Void]
	for name, v := range fields {
		sel := fmt.Sprintf(`#%s [name=%s]`, form, name)
		acts = append(acts, clear(sel), chromedp.SendKeys(chromedp.CSS(sel), v))
	}
	return chromedp.Steps(acts...)
}

// The reference guide's registration path: a brand saved as a draft and
// completed, a campaign the carrier rejects (R12), its form with the
// carrier's error by the field, fixed and resubmitted, then VERIFIED; the
// page follows the carrier throughout with no reload.
func TestBrowserRegistrationRejectedFixedResubmitted(t *testing.T) {
	e := newEnv(t)
	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	// The brand: submitted empty, it is saved as a draft whose form shows
	// an error by each missing field; filled in, it goes for review. The
	// typing waits for the live update that follows the answer (the poller
	// still holds the page's first ETag): it takes the draft's form out of
	// the page and puts it back (hx-preserve), and a field the browser
	// found before is then gone ("Could not find node with given id").
	run(t, ctx,
		chromedp.Navigate(e.url("/t/"+e.tenant+"/sms")),
		chromedp.Click(chromedp.CSS(`#brand-new button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[id^=brand-brd_] [id$=legal_name-error]`)),
		liveCaughtUp,
		markPage,
	)
	draft, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("form[id^=brand-brd_]").id`))
	if err != nil {
		t.Fatal(err)
	}
	run(t, ctx,
		fill(draft, map[string]string{"legal_name": "Acme Corporation", "tax_id": "12-3456789", "website": "https://acme.example.com",
			"vertical": "TECHNOLOGY", "contact_email": "compliance@acme.example.com"}),
		chromedp.Click(chromedp.CSS("#"+draft+" button[type=submit]")),
		waitText("#registration-state", "Pending"),
	)
	e.settle(func() bool {
		o, err := e.svc.GetSMSOverview(e.support, e.tenant)
		return err == nil && len(o.Brands) == 1 && o.Brands[0].Status == smsadmin.StatusVerified
	})
	run(t, ctx, waitText("#registration-state", "Verified"), notReloaded)

	// A campaign the carrier rejects: the rejection and its form, with the
	// carrier's error by the description, appear with no reload.
	run(t, ctx,
		fill("campaign-new", map[string]string{"use_case": "CUSTOMER_CARE",
			"description":        "Customer care conversations with Acme support agents, sim-reject.",
			"sample_messages":    "Hi, this is Acme support replying to your request #1234.",
			"opt_in_description": "Customers text us first from our website's contact page.",
			"help_message":       "Acme support: reply STOP to opt out. Help at acme.example.com",
			"stop_message":       "You are unsubscribed from Acme and will receive no more messages."}),
		chromedp.Click(chromedp.CSS(`#campaign-new button[type=submit]`)),
		waitText("#registration-state", "Campaign cmp_"),
	)
	var campaignID string
	e.settle(func() bool {
		o, err := e.svc.GetSMSOverview(e.support, e.tenant)
		if err == nil && len(o.Campaigns) == 1 {
			campaignID = o.Campaigns[0].ID
			return o.Campaigns[0].Status == smsadmin.StatusRejected
		}
		return false
	})
	form := "campaign-" + campaignID
	// The poll that showed the rejection may have been answered while
	// the carrier and the reconciler were still at work: the typing below
	// waits for any update still on its way.
	run(t, ctx,
		waitText("#state-"+campaignID, "Rejected"),
		chromedp.WaitVisible(chromedp.CSS("#"+campaignID+"-description-error")),
		liveCaughtUp,
		notReloaded,
	)
	if got := text(t, ctx, "#state-"+campaignID); !strings.Contains(got, "description") {
		t.Errorf("the registration state does not name the field: %q", got)
	}
	if got := text(t, ctx, "#"+form+" button[type=submit]"); got != "Resubmit campaign" {
		t.Errorf("the rejected form's button says %q", got)
	}
	if attr(t, ctx, "#"+campaignID+"-description", "aria-invalid") != "true" {
		t.Errorf("the description is not marked invalid")
	}

	// Fix and resubmit: Pending, then VERIFIED, still with no reload.
	run(t, ctx,
		chromedp.Click(chromedp.CSS(`#state-`+campaignID+` a[href="#`+form+`"]`)),
		fill(form, map[string]string{"description": goodDescription}),
		chromedp.Click(chromedp.CSS("#"+form+" button[type=submit]")),
		waitText("#state-"+campaignID, "Pending"),
		chromedp.WaitNotPresent(chromedp.CSS("#"+form)),
	)
	e.settle(func() bool { return e.campaignStatus(campaignID) == smsadmin.StatusVerified })
	run(t, ctx, waitText("#registration-state .verified", "VERIFIED"), notReloaded)
	if got := e.audit(smsadmin.ActionCampaignSubmit); len(got) != 2 || got[0].Actor != e.admin.ID {
		t.Errorf("campaign.submit audit entries: %+v; want two, by the account %s", got, e.admin.ID)
	}
}
