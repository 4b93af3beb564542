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

// submitted clicks the submit button sel of a registration form (opening
// the "+ New" around it, if closed) and waits for the answer, the
// registration part of the page swapped in, whatever it shows.
func submitted(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := chromedp.Evaluate[bool](fmt.Sprintf(`(() => { window.__registration = document.querySelector("#registration");
			const d = document.querySelector(%q).closest("details"); if (d) d.open = true; return true })()`, sel))(ctx, t); err != nil {
			return err
		}
		if _, err := chromedp.Click(chromedp.CSS(sel))(ctx, t); err != nil {
			return err
		}
		_, err := chromedp.Poll[bool](`document.querySelector("#registration") !== window.__registration`,
			chromedp.WithPollingInterval(20*time.Millisecond))(ctx, t)
		return err
	})
}

// A form with errors saves nothing: "+ New brand" submitted empty, twice,
// shows an error by each missing field in the new form itself, and no
// draft appears, in the page or in the service; then "+ New campaign"
// submitted with nothing typed, the same.
func TestBrowserDraftEmptyNewFormSavesNothing(t *testing.T) {
	e := newEnv(t)
	ctx := tab(t)
	e.signIn(t, ctx, e.admin.Email)
	run(t, ctx, e.openSMS("#brand-new")...)
	for range 2 {
		run(t, ctx, submitted(`#brand-new button[type=submit]`), notReloaded)
	}
	if got := eval(t, ctx, `(document.querySelector("#brand-new #new-legal_name-error") || {}).textContent || ""`); !strings.Contains(got, "required") {
		t.Errorf("the empty form's error by the legal name: %q", got)
	}
	if n := eval(t, ctx, `String(document.querySelectorAll("form[id^=brand-brd_], #registration-state li").length)`); n != "0" {
		t.Errorf("the page shows %s drafts after an empty form was submitted", n)
	}
	o, err := e.Service.GetSMSOverview(e.Support, e.acme.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Brands) != 0 {
		t.Errorf("an empty form saved %d brands: %+v", len(o.Brands), o.Brands[0])
	}
	if got := e.audit(smsadmin.ActionBrandCreate); len(got) != 0 {
		t.Errorf("an empty form wrote %d brand.create entries", len(got))
	}

	// The campaign form of a tenant with a brand: nothing typed, nothing
	// saved.
	brandID := e.acme.SubmitBrand(smsadmintest.Brand("US"))
	run(t, ctx,
		waitText("#state-"+brandID, "Pending"),
		chromedp.WaitVisible(chromedp.CSS("#campaign-new")),
		liveCaughtUp,
		submitted(`#campaign-new button[type=submit]`),
		notReloaded,
	)
	if n := eval(t, ctx, `String(document.querySelectorAll("#campaign-new #newc-description-error").length)`); n != "1" {
		t.Errorf("the empty campaign form shows no error by its description")
	}
	if o, err = e.Service.GetSMSOverview(e.Support, e.acme.ID); err != nil || len(o.Campaigns) != 0 {
		t.Errorf("an empty campaign form saved: %+v, %v", o.Campaigns, err)
	}
}

// Delete draft, on a draft brand's form: it asks first (in place), then
// the draft leaves the page, which says so, with no reload; the brand is
// gone, and its deletion is audited with the admin as actor. The form of
// a submitted brand, rejected, offers no Delete draft: the carrier has
// seen it.
func TestBrowserDraftDeleted(t *testing.T) {
	e := newEnv(t)
	rejected := e.acme.SubmitBrand(brand("Acme sim-reject"))
	e.Settle(func() bool { return e.acme.GetBrand(rejected).Status == smsadmin.StatusRejected })
	draft := brand("Acme Draft")
	ctx, form, _ := e.openDraft(t, draft)
	run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#brand-"+rejected)))
	if n := eval(t, ctx, `String(document.querySelectorAll("#registration .confirm summary").length)`); n != "1" {
		t.Errorf("%s Delete draft buttons on the page, want 1: the draft's alone", n)
	}
	confirm := form + " .confirm button.danger"
	if visible := eval(t, ctx, `String(document.querySelector("`+confirm+`").checkVisibility())`); visible != "false" {
		t.Errorf("the confirming button shows before Delete draft is pressed")
	}
	run(t, ctx,
		chromedp.Click(chromedp.CSS(form+" .confirm summary")),
		chromedp.WaitVisible(chromedp.CSS(confirm)),
	)
	if got := text(t, ctx, form+" .confirm"); !strings.Contains(got, "never submitted") {
		t.Errorf("the confirmation says %q", got)
	}
	if _, err := e.Service.GetBrand(e.Support, e.acme.ID, draft.ID); err != nil {
		t.Fatalf("the draft is gone before the confirmation: %v", err)
	}
	run(t, ctx,
		chromedp.Click(chromedp.CSS(confirm)),
		waitText("#registration-notice", "The draft brand Acme Draft is deleted"),
		chromedp.WaitNotPresent(chromedp.CSS(form)),
		chromedp.WaitNotPresent(chromedp.CSS("#state-"+draft.ID)),
		liveCaughtUp,
		notReloaded,
	)
	if _, err := e.Service.GetBrand(e.Support, e.acme.ID, draft.ID); smsadmin.ErrorCode(err) != smsadmin.CodeNotFound {
		t.Errorf("GetBrand of the deleted draft: %v, want not_found", err)
	}
	got := e.audit(smsadmin.ActionBrandDelete)
	if len(got) != 1 || got[0].Object != "brand/"+draft.ID || got[0].Actor != e.admin.ID {
		t.Errorf("brand.delete audit entries: %+v; want one of brand/%s by the account %s", got, draft.ID, e.admin.ID)
	}
	if got := text(t, ctx, "#state-"+rejected); !strings.Contains(got, "Rejected") {
		t.Errorf("the rejected brand's state: %q", got)
	}
}
