package console_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"smsadmin"
	"smsadmin/smsadmintest"
)

// fill types fields' values into the form with the ID form, each field
// emptied first; a select is set to its value, and a question's radio
// button of the value ("yes" or "no") is clicked, as a person does.
func fill(form string, fields map[string]string) chromedp.Action[chromedp.Void] {
	var acts []chromedp.Action[chromedp.Void]
	for name, v := range fields {
		sel := fmt.Sprintf(`#%s [name=%s]`, form, name)
		acts = append(acts, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			kind, err := chromedp.Evaluate[string](fmt.Sprintf(`(() => { const e = document.querySelector(%q);
				return !e ? "none" : e.tagName === "SELECT" ? "select" : e.type })()`, sel))(ctx, t)
			if err != nil {
				return err
			}
			switch kind {
			case "none":
				return fmt.Errorf("filling %s: no field %s", form, name)
			case "radio":
				_, err = chromedp.Click(chromedp.CSS(fmt.Sprintf(`#%s [name=%s][value=%q]`, form, name, v)))(ctx, t)
			case "select":
				_, err = chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.value = %q;
					e.dispatchEvent(new Event("change", {bubbles: true})); return e.value === %q })()`, sel, v, v))(ctx, t)
			default:
				_, err = chromedp.Steps(clear(sel), chromedp.SendKeys(chromedp.CSS(sel), v))(ctx, t)
			}
			return err
		}))
	}
	return chromedp.Steps(acts...)
}

// The reference guide's registration path: a brand submitted empty,
// refused with nothing saved, then completed, a campaign the carrier rejects (R12), its form with the
// carrier's error by the field, fixed and resubmitted, then VERIFIED; the
// page follows the carrier throughout with no reload.
func TestBrowserRegistrationRejectedFixedResubmitted(t *testing.T) {
	e := newEnv(t)
	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	// The brand: submitted empty, it is refused with an error by each
	// missing field of the new form, and nothing is saved (a form with
	// errors); filled in, it goes for review.
	run(t, ctx,
		chromedp.Navigate(e.url("/t/"+e.acme.ID+"/sms")),
		chromedp.Click(chromedp.CSS(`#brand-new button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#brand-new #new-legal_name-error`)),
		liveCaughtUp,
		markPage,
		fill("brand-new", brandFields(smsadmintest.Brand("US"))),
		chromedp.Click(chromedp.CSS(`#brand-new button[type=submit]`)),
		waitText("#registration-state", "Pending"),
	)
	e.Settle(func() bool {
		o, err := e.Service.GetSMSOverview(e.Support, e.acme.ID)
		return err == nil && len(o.Brands) == 1 && o.Brands[0].Status == smsadmin.StatusVerified
	})
	run(t, ctx, waitText("#registration-state", "Verified"), notReloaded)

	// A campaign the carrier rejects: the rejection and its form, with the
	// carrier's error by the description, appear with no reload.
	rejected := smsadmintest.Campaign("", "US")
	rejected.Description = "Customer care conversations with Acme support agents, sim-reject."
	run(t, ctx,
		fill("campaign-new", campaignFields(rejected)),
		chromedp.Click(chromedp.CSS(`#campaign-new button[type=submit]`)),
		waitText("#registration-state", "Campaign cmp_"),
	)
	var campaignID string
	e.Settle(func() bool {
		o, err := e.Service.GetSMSOverview(e.Support, e.acme.ID)
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
		fill(form, map[string]string{"description": smsadmintest.Campaign("", "US").Description}),
		chromedp.Click(chromedp.CSS("#"+form+" button[type=submit]")),
		waitText("#state-"+campaignID, "Pending"),
		chromedp.WaitNotPresent(chromedp.CSS("#"+form)),
	)
	e.Settle(func() bool { return e.acme.GetCampaign(campaignID).Status == smsadmin.StatusVerified })
	run(t, ctx, waitText("#registration-state .verified", "VERIFIED"), notReloaded)
	if got := e.audit(smsadmin.ActionCampaignSubmit); len(got) != 2 || got[0].Actor != e.admin.ID {
		t.Errorf("campaign.submit audit entries: %+v; want two, by the account %s", got, e.admin.ID)
	}
}

// A live update never takes away what an admin is typing (R12's forms).
// The admin types in a draft brand's form while a number's status changes
// (the forms are left alone), then while someone else adds a brand: the
// form stays in the page, never taken out and put back, with the typed
// text and the focus, and the page says newer data is waiting; it comes in
// once the admin leaves the form, which keeps the typed text. Then someone
// else submits the brand being edited: its form, which would leave the
// page with what was typed, stays until the admin asks for the newer data.
// Run also without Element.moveBefore, as in Safari, where htmx takes a
// kept element out of the page and puts it back, and the focus is lost.
func TestBrowserLiveUpdateKeepsWhatIsTyped(t *testing.T) {
	for _, moveBefore := range []bool{true, false} {
		t.Run(fmt.Sprintf("moveBefore=%t", moveBefore), func(t *testing.T) {
			e := newEnv(t)
			acme := brand("Acme")
			acme.TaxID = ""
			ctx, form, name := e.openDraft(t, acme)
			// window.__out counts the times the form is taken out of the
			// page.
			eval(t, ctx, fmt.Sprintf(`(() => { const f = document.querySelector(%q); window.__out = 0;
				new MutationObserver(ms => { for (const m of ms) for (const n of m.removedNodes) if (n.contains(f)) window.__out++ })
					.observe(document, {childList: true, subtree: true});
				if (!%t) delete Element.prototype.moveBefore; return "" })()`, form, moveBefore))
			// kept checks that the form was not taken out of the page and
			// that its name field holds want.
			kept := func(want string) {
				t.Helper()
				if out := eval(t, ctx, `String(window.__out)`); out != "0" {
					t.Errorf("the form was taken out of the page %s times", out)
				}
				if got := eval(t, ctx, fmt.Sprintf(`(document.querySelector(%q) || {value: "(no field)"}).value`, name)); got != want {
					t.Errorf("the legal name field holds %q, want %q", got, want)
				}
			}
			run(t, ctx, chromedp.Click(chromedp.CSS(name)), chromedp.KeyEvent(" Corp"))

			// A change elsewhere on the page comes in; the forms, unchanged,
			// are left alone, with no note.
			e.acme.LicensedUser("Ann Lee", "+12025550142")
			if _, err := e.Service.EnableNumbers(e.Support, e.acme.ID, []string{"+12025550142"}); err != nil {
				t.Fatal(err)
			}
			run(t, ctx, waitText("#row-12025550142 .status", "Pending"))
			kept("Acme Corp")
			if n := eval(t, ctx, `String(document.querySelectorAll(".held").length)`); n != "0" {
				t.Errorf("%s notes say newer data is waiting, though only the numbers changed", n)
			}

			beta := brand("Beta")
			if err := e.Service.CreateBrand(e.Support, e.acme.ID, beta); err != nil {
				t.Fatal(err)
			}
			run(t, ctx, waitText("#state-"+beta.ID, "Draft"))
			kept("Acme Corp")
			if id := eval(t, ctx, `document.activeElement.id`); id != acme.ID+"-legal_name" {
				t.Errorf("the focus is on %q, not on the legal name field", id)
			}
			// The keys go on into the field.
			run(t, ctx, chromedp.KeyEvent(" Inc"))
			kept("Acme Corp Inc")
			if got := eval(t, ctx, `(document.querySelector("#registration .held") || {}).textContent || ""`); !strings.Contains(got, "Newer") {
				t.Errorf("the page does not say newer data is waiting: %q", got)
			}
			// The admin leaves the form: the newer data comes in, the
			// typed text stays.
			run(t, ctx,
				chromedp.Click(chromedp.CSS("#reg-h")),
				chromedp.WaitVisible(chromedp.CSS("#brand-"+beta.ID)),
				chromedp.WaitNotPresent(chromedp.CSS("#registration .held")),
				liveCaughtUp,
			)
			eval(t, ctx, `(() => { window.__out = 0; return "" })()`)
			kept("Acme Corp Inc")

			// Someone else completes and submits Acme: its form would leave
			// the page with what the admin typed, so it stays.
			tax := smsadmintest.Brand("US").TaxID
			if _, err := e.Service.UpdateBrand(e.Support, e.acme.ID, acme.ID, smsadmin.BrandPatch{TaxID: &tax}); err != nil {
				t.Fatal(err)
			}
			if _, err := e.Service.SubmitBrand(e.Support, e.acme.ID, acme.ID); err != nil {
				t.Fatal(err)
			}
			run(t, ctx, waitText("#state-"+acme.ID, "Pending"))
			kept("Acme Corp Inc")
			// Asked for, the newer data comes in: Acme's form is gone.
			run(t, ctx,
				waitText("#registration .held", "Newer"),
				chromedp.Click(chromedp.CSS("#registration .held button")),
				chromedp.WaitNotPresent(chromedp.CSS(form)),
				chromedp.WaitNotPresent(chromedp.CSS("#registration .held")),
				chromedp.WaitVisible(chromedp.CSS("#brand-"+beta.ID)),
				notReloaded,
			)
		})
	}
}

// A save overtaken: the admin edits a draft brand while someone else
// submits it, then presses Submit. The service refuses (conflict), the
// brand's form is no longer shown (it is in review), and the answer says
// so in place: what happened, who did it and when, that the changes were
// not saved, and what the admin typed, to copy. The message stays through
// the live updates that follow, which show the brand's state.
func TestBrowserSaveOvertakenBySubmission(t *testing.T) {
	e := newEnv(t)
	acme := brand("Acme")
	ctx, form, name := e.openDraft(t, acme)
	run(t, ctx, chromedp.Click(chromedp.CSS(name)), chromedp.KeyEvent(" Corporation"))
	e.Clock.Advance(5 * time.Minute) // the submission's time is not the brand's creation's
	if _, err := e.Service.SubmitBrand(e.Support, e.acme.ID, acme.ID); err != nil {
		t.Fatal(err)
	}
	// The live update shows the submission; the form, being typed in,
	// waits. The admin submits it.
	run(t, ctx,
		waitText("#state-"+acme.ID, "Pending"),
		chromedp.Click(chromedp.CSS(form+" button[type=submit]")),
		chromedp.WaitNotPresent(chromedp.CSS(form)),
		notReloaded,
	)
	alert := eval(t, ctx, `[...document.querySelectorAll("#registration [role=alert]")].map(e => e.textContent).join(" | ")`)
	for _, want := range []string{"not saved", "submitted for review by support", "4 Mar 2026 05:11 UTC", "only a draft or rejected brand can be edited"} {
		if !strings.Contains(alert, want) {
			t.Errorf("the page's alert does not say %q: %q", want, alert)
		}
	}
	if got := eval(t, ctx, `(document.querySelector("#overtaken") || {}).innerText || ""`); !strings.Contains(got, "Acme Corporation") {
		t.Errorf("what the admin typed is not shown: %q", got)
	}
	b, err := e.Service.GetBrand(e.Support, e.acme.ID, acme.ID)
	if err != nil {
		t.Fatal(err)
	}
	if b.LegalName != "Acme" {
		t.Errorf("the brand's legal name is %q: the refused change was saved", b.LegalName)
	}
	// The carrier verifies the brand: the live update shows it, and the
	// message stays.
	e.Settle(func() bool {
		b, err := e.Service.GetBrand(e.Support, e.acme.ID, acme.ID)
		return err == nil && b.Status == smsadmin.StatusVerified
	})
	run(t, ctx, waitText("#state-"+acme.ID, "Verified"), liveCaughtUp, notReloaded)
	if got := eval(t, ctx, `(document.querySelector("#overtaken [role=alert]") || {}).textContent || ""`); !strings.Contains(got, "not saved") {
		t.Errorf("the message left the page with a live update: %q", got)
	}
}

// "+ New campaign" comes with the live update once the tenant's first
// brand is registered elsewhere, open, with the brand to choose; and a
// later live update leaves it open, with what the admin typed, though the
// page would now render it closed (the tenant has a campaign).
func TestBrowserNewCampaignAppearsLive(t *testing.T) {
	e := newEnv(t)
	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	run(t, ctx, e.openSMS("#brand-new")...)
	if n := eval(t, ctx, `String(document.querySelectorAll("#campaign-new").length)`); n != "0" {
		t.Fatalf("a new campaign's form is shown with no brand")
	}
	acme := brand("Acme")
	if err := e.Service.CreateBrand(e.Support, e.acme.ID, acme); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, waitText("#state-"+acme.ID, "Draft"), liveCaughtUp, notReloaded)
	if got := eval(t, ctx, `(() => { const d = document.querySelector("#new-campaign details");
		return d && d.checkVisibility() ? (d.open ? "open: " : "closed: ") + d.querySelector("summary").textContent + " " + d.querySelector("#newc-brand").textContent : "(none)" })()`); !strings.Contains(got, "open: + New campaign Acme (US)") {
		t.Fatalf("after the first brand came in, + New campaign is %q", got)
	}

	// The admin types in it, then leaves it; a campaign registered
	// elsewhere comes in.
	run(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#newc-use_case"), "CUSTOMER_CARE"),
		chromedp.Click(chromedp.CSS("#reg-h")),
	)
	c := smsadmintest.Campaign(acme.ID, "US")
	if err := e.Service.CreateCampaign(e.Support, e.acme.ID, c); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, waitText("#camp-"+c.ID, "Draft"), liveCaughtUp, notReloaded)
	if got := eval(t, ctx, `(() => { const d = document.querySelector("#new-campaign details");
		return d ? (d.open ? "open: " : "closed: ") + d.querySelector("#newc-use_case").value : "(none)" })()`); got != "open: CUSTOMER_CARE" {
		t.Errorf("after a live update, + New campaign is %q, want it open with what was typed", got)
	}
}

// The readiness check beside the campaign form while the admin types
// (R24), the service's own, asked of the server: a sample with a link
// while "Do the messages contain links?" is answered No shows the
// carrier's problem by that question before anything is submitted, as an
// error, with its source, and the summary counts it; the http:// link is
// a warning, styled as one, which does not block. Answered Yes, the form
// is ready to submit; submitted, the campaign goes for review and is
// verified, with no reload.
func TestBrowserReadinessCheckWhileTyping(t *testing.T) {
	e := newEnv(t)
	brandID := e.acme.SubmitBrand(smsadmintest.Brand("US"))
	e.Settle(func() bool { return e.acme.GetBrand(brandID).Status == smsadmin.StatusVerified })
	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	run(t, ctx, e.openSMS("#campaign-new")...)
	if got := eval(t, ctx, `[...document.querySelectorAll("#campaign-new input[type=radio]")].filter(r => r.checked).length + " of " +
		document.querySelectorAll("#campaign-new input[type=radio]").length`); got != "0 of 8" {
		t.Errorf("the four questions come answered: %s radio buttons checked", got)
	}

	c := smsadmintest.Campaign(brandID, "US")
	c.SampleMessages[1] = "Acme support: your order shipped, track it at http://acme.example.com/orders"
	run(t, ctx,
		fill("campaign-new", campaignFields(c)),
		waitText("#newc-embedded_links-check", "Sample message 2 contains a link (http://acme.example.com/orders), but the answer to whether messages contain links is no"),
		waitText("#newc-summary", "1 problem left"),
		notReloaded,
	)
	if got := text(t, ctx, "#newc-embedded_links-check .problem.error .source"); !strings.HasPrefix(got, "Source: Carrier 10DLC review") {
		t.Errorf("the problem's source: %q", got)
	}
	if got := attr(t, ctx, "#newc-embedded_links", "aria-invalid"); got != "true" {
		t.Errorf("the question with a problem is not marked invalid: %q", got)
	}
	if got := text(t, ctx, "#newc-sample_messages-check .problem.warning"); !strings.Contains(got, "http:// link") {
		t.Errorf("the http:// link is not a warning by the samples: %q", got)
	}
	// Errors and warnings look different.
	if got := eval(t, ctx, `(() => { const c = (s) => getComputedStyle(document.querySelector(s)).color;
		return String(c("#newc-embedded_links-check .problem.error") !== c("#newc-sample_messages-check .problem.warning")) })()`); got != "true" {
		t.Errorf("an error and a warning are styled alike")
	}
	if got := e.audit(smsadmin.ActionCampaignCreate); len(got) != 0 {
		t.Errorf("the check saved the campaign: %+v", got)
	}

	run(t, ctx,
		chromedp.Click(chromedp.CSS("#newc-embedded_links-yes")),
		waitText("#newc-summary", "Ready to submit"),
		chromedp.WaitNotPresent(chromedp.CSS("#newc-embedded_links-check li")),
		notReloaded,
	)
	if got := attr(t, ctx, "#newc-embedded_links", "aria-invalid"); got != "" {
		t.Errorf("the question answered is still marked invalid: %q", got)
	}
	run(t, ctx,
		chromedp.Click(chromedp.CSS("#campaign-new button[type=submit]")),
		waitText("#registration-state", "Campaign cmp_"),
	)
	var campaignID string
	e.Settle(func() bool {
		o, err := e.Service.GetSMSOverview(e.Support, e.acme.ID)
		if err != nil || len(o.Campaigns) != 1 {
			return false
		}
		campaignID = o.Campaigns[0].ID
		return o.Campaigns[0].Status == smsadmin.StatusVerified
	})
	run(t, ctx, waitText("#state-"+campaignID, "Verified"), waitText("#registration-state .verified", "VERIFIED"), notReloaded)
	if got := e.acme.GetCampaign(campaignID).EmbeddedLinks; got == nil || !*got {
		t.Errorf("the campaign's embedded_links = %v, want the admin's yes", got)
	}
}

// The brand form follows the kind of organisation (R23): a public
// company's stock listing shows once it is chosen, and the check asks for
// it; a sole proprietor has no tax ID, and the form asks none.
func TestBrowserBrandFormFollowsEntityType(t *testing.T) {
	e := newEnv(t)
	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	run(t, ctx, e.openSMS("#brand-new")...)
	visible := func(sel string) string {
		return eval(t, ctx, fmt.Sprintf(`String(document.querySelector(%q).checkVisibility())`, sel))
	}
	if visible("#new-stock_symbol") != "false" || visible("#new-tax_id") != "true" {
		t.Errorf("a new (private) brand's form: stock symbol shown %s, tax ID shown %s", visible("#new-stock_symbol"), visible("#new-tax_id"))
	}
	run(t, ctx,
		fill("brand-new", map[string]string{"entity_type": "public_profit"}),
		chromedp.WaitVisible(chromedp.CSS("#new-stock_symbol")),
		waitText("#new-stock_symbol-check", "stock symbol is required"),
		waitText("#new-tax_id-check", "tax ID is required"),
	)
	run(t, ctx,
		fill("brand-new", map[string]string{"entity_type": "sole_proprietor"}),
		chromedp.WaitNotVisible(chromedp.CSS("#new-tax_id")),
		chromedp.WaitNotVisible(chromedp.CSS("#new-stock_symbol")),
		chromedp.WaitNotPresent(chromedp.CSS("#new-tax_id-check li")),
		chromedp.WaitNotPresent(chromedp.CSS("#new-stock_symbol-check li")),
		notReloaded,
	)
}
