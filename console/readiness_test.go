package console_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"smsadmin"
	"smsadmin/carrier/sim"
	"smsadmin/smsadmintest"
)

// The readiness check (R24) beside the registration forms, and a brand's
// verification by its contact (R23), through the console's handlers.

// linkSample is a sample message with a link, at the brand's own domain.
const linkSample = "Acme support: your order shipped, track it at https://acme.example.com/orders"

// slotOf returns the check place of field in a page or a check's answer
// (its content up to the next place), "" when there is none.
func slotOf(body, id string) string {
	start := strings.Index(body, `<div class="check" id="`+id+`-check">`)
	if start < 0 {
		return ""
	}
	rest := body[start:]
	if end := strings.Index(rest[1:], `<div class="check"`); end >= 0 {
		rest = rest[:end+1]
	}
	return rest
}

// summaryOf returns the text of the check's summary of the form prefix.
func summaryOf(body, prefix string) string {
	m := regexp.MustCompile(`<p class="check-summary[^"]*" id="` + regexp.QuoteMeta(prefix) + `-summary" role="status">([^<]*)</p>`).FindStringSubmatch(body)
	if m == nil {
		return "(no summary)"
	}
	return m[1]
}

// TestCheckCampaignAsTyped: the campaign form, posted as it stands to its
// check, is checked by the service's check against its brand, unsaved: a
// link in a sample while embedded_links is answered no is the
// undeclared_link problem by embedded_links, with its source, and the
// summary counts it; answered yes, the form is ready to submit. Nothing is
// saved. The same form submitted is refused (registration_incomplete) with
// the problem by the same field, and saves nothing (a form with errors);
// a draft of it saved another way (the API), its page shows the same
// check without JavaScript, and the registration state says what is left.
func TestCheckCampaignAsTyped(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := brand("Acme Corporation")
	if err := e.Service.CreateBrand(e.Support, e.acme.ID, b); err != nil {
		t.Fatal(err)
	}
	s := e.signInAs(e.admin)
	c := smsadmintest.Campaign(b.ID, "US")
	c.SampleMessages[1] = linkSample
	form := formValues(campaignFields(c))
	form.Set("country", "US")
	form.Set("brand_id", b.ID)
	check := "/t/" + e.acme.ID + "/campaigns/check"

	r := e.do("POST", check, s, form, true)
	body := r.Body.String()
	if r.Code != http.StatusOK {
		t.Fatalf("POST %s = %d\n%s", check, r.Code, body)
	}
	slot := slotOf(body, "newc-embedded_links")
	for _, want := range []string{`class="problem error"`, `data-field="embedded_links" data-code="undeclared_link"`,
		"Sample message 2 contains a link (https://acme.example.com/orders)", "Source: Carrier 10DLC review"} {
		if !strings.Contains(slot, want) {
			t.Errorf("the check's place by embedded_links does not hold %q:\n%s", want, slot)
		}
	}
	if got := summaryOf(body, "newc"); got != "1 problem left" {
		t.Errorf("the check's summary = %q, want 1 problem left", got)
	}
	if strings.Contains(body, "<html") || strings.Contains(body, `id="registration"`) {
		t.Errorf("the check's answer is a page, not the form's check places")
	}
	if got := e.audit(smsadmin.ActionCampaignCreate); len(got) != 0 {
		t.Errorf("the check saved the campaign: %+v", got)
	}

	yes := cloneValues(form)
	yes.Set("embedded_links", "yes")
	body = e.do("POST", check, s, yes, true).Body.String()
	if got := summaryOf(body, "newc"); got != "Ready to submit" {
		t.Errorf("answered yes, the summary = %q, want Ready to submit\n%s", got, body)
	}
	if strings.Contains(body, "undeclared_link") {
		t.Errorf("answered yes, the check still finds an undeclared link")
	}
	// Unanswered, each question is the admin's to answer: none is
	// answered for them.
	unanswered := cloneValues(yes)
	unanswered.Del("age_gated")
	body = e.do("POST", check, s, unanswered, true).Body.String()
	if slot := slotOf(body, "newc-age_gated"); !strings.Contains(slot, `data-code="unanswered"`) {
		t.Errorf("an unanswered question is not a problem by its field:\n%s", slot)
	}

	// Submitted as it stood, the form is refused, with the same problem
	// by embedded_links in the new form, and nothing is saved.
	r = e.do("POST", "/t/"+e.acme.ID+"/campaigns", s, form, true)
	body = r.Body.String()
	if r.Code != http.StatusUnprocessableEntity {
		t.Fatalf("submitting the campaign with an undeclared link = %d, want 422\n%s", r.Code, excerpt(r))
	}
	if !regexp.MustCompile(`<p class="error" id="newc-embedded_links-error" data-covered>Sample message 2 contains a link`).MatchString(body) {
		t.Errorf("the refusal does not show the problem by embedded_links:\n%s", excerpt(r))
	}
	o, err := e.Service.GetSMSOverview(e.Support, e.acme.ID)
	if err != nil || len(o.Campaigns) != 0 {
		t.Fatalf("after the refused submission: %+v, %v; want no campaign", o, err)
	}
	if got := e.audit(smsadmin.ActionCampaignCreate); len(got) != 0 {
		t.Errorf("the refused submission saved the campaign: %+v", got)
	}

	// A draft of it saved through the API: its page, without JavaScript,
	// shows the same check by the same field, and the registration state
	// says what is left.
	if err := e.Service.CreateCampaign(e.Support, e.acme.ID, c); err != nil {
		t.Fatal(err)
	}
	id := c.ID
	body = e.do("GET", "/t/"+e.acme.ID+"/sms", s, nil, false).Body.String()
	if slot := slotOf(body, id+"-embedded_links"); !strings.Contains(slot, `data-code="undeclared_link"`) {
		t.Errorf("the draft's form does not show its check by embedded_links:\n%s", slot)
	}
	if got := summaryOf(body, id); got != "1 problem left" {
		t.Errorf("the draft's form's summary = %q", got)
	}
	if state := textOf(body, `<li id="state-`+id+`">`, "</li>"); !strings.Contains(state, "1 problem left: links in messages") {
		t.Errorf("the registration state of the draft = %q, want 1 problem left: links in messages", state)
	}

	// A saved campaign's form is checked against its brand, as the service
	// holds it: a sample that does not name it is a problem.
	other := cloneValues(yes)
	other.Del("brand_id")
	other.Set("sample_messages", "Your replacement part shipped today; reply here with any questions.\nReply here to reach our support team any time.")
	body = e.do("POST", "/t/"+e.acme.ID+"/campaigns/"+id+"/check", s, other, true).Body.String()
	if slot := slotOf(body, id+"-sample_messages"); !strings.Contains(slot, `data-code="brand_not_named"`) || !strings.Contains(slot, "(Acme)") {
		t.Errorf("samples that do not name the brand, checked against it:\n%s", slot)
	}
}

// TestCheckBrandAsTyped: the brand form's check, as typed: a sole
// proprietor with a tax ID is told to leave it out, a public company
// without its stock listing to give it; the form's groups show for the
// kind of organisation that has them.
func TestCheckBrandAsTyped(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.signInAs(e.admin)
	sole := formValues(brandFields(smsadmintest.BrandOf("US", smsadmin.EntitySoleProprietor)))
	sole.Set("country", "US")
	sole.Set("tax_id", "12-3456789")
	body := e.do("POST", "/t/"+e.acme.ID+"/brands/check", s, sole, true).Body.String()
	if slot := slotOf(body, "new-tax_id"); !strings.Contains(slot, `data-code="not_allowed"`) {
		t.Errorf("a sole proprietor's tax ID:\n%s", slot)
	}
	public := formValues(brandFields(smsadmintest.BrandOf("US", smsadmin.EntityPublicProfit)))
	public.Set("country", "US")
	public.Del("stock_symbol")
	body = e.do("POST", "/t/"+e.acme.ID+"/brands/check", s, public, true).Body.String()
	if slot := slotOf(body, "new-stock_symbol"); !strings.Contains(slot, `data-code="required"`) {
		t.Errorf("a public company without its stock symbol:\n%s", slot)
	}
	if got := summaryOf(body, "new"); got != "1 problem left" {
		t.Errorf("the summary = %q", got)
	}

	// A public company's draft shows its stock listing; a private one's
	// form hides it, and a sole proprietor's the tax ID.
	pub := smsadmintest.BrandOf("US", smsadmin.EntityPublicProfit)
	if err := e.Service.CreateBrand(e.Support, e.acme.ID, pub); err != nil {
		t.Fatal(err)
	}
	page := e.do("GET", "/t/"+e.acme.ID+"/sms", s, nil, false).Body.String()
	if state := textOf(page, `<li id="state-`+pub.ID+`">`, "</li>"); !strings.Contains(state, `<span class="ok-text">Ready to submit</span>`) {
		t.Errorf("the registration state of a draft with no error = %q, want Ready to submit", state)
	}
	form := textOf(page, `<form id="brand-`+pub.ID+`"`, "</form>")
	if !strings.Contains(form, `data-in="public_profit" >`) || !strings.Contains(form, `value="ACME"`) {
		t.Errorf("a public company's form does not show its stock listing:\n%s", form)
	}
	if !strings.Contains(form, `<option value="public_profit" selected>Public company (listed on a stock exchange)</option>`) {
		t.Errorf("the kind of organisation is not shown as a person reads it")
	}
	if newForm := textOf(page, `<form id="brand-new"`, "</form>"); !strings.Contains(newForm, `data-in="public_profit" hidden disabled>`) {
		t.Errorf("a new brand's form shows the stock listing of a public company")
	}
}

// textOf returns body from the first from to the next to after it.
func textOf(body, from, to string) string {
	i := strings.Index(body, from)
	if i < 0 {
		return ""
	}
	rest := body[i:]
	if j := strings.Index(rest, to); j >= 0 {
		return rest[:j]
	}
	return rest
}

// TestVerifyBrandByPIN: a sole proprietor's brand awaiting the PIN sent to
// its contact shows a PIN form and "Send the PIN again" (R23). A wrong PIN
// is refused by the PIN, with the carrier's reason; sent again, a new PIN
// goes to the contact's mobile; the simulator's PIN is accepted, and the
// brand is verified once the reconciler has run, its identity shown.
func TestVerifyBrandByPIN(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.awaitingBrand(smsadmin.EntitySoleProprietor)
	s := e.signInAs(e.admin)
	page := e.do("GET", "/t/"+e.acme.ID+"/sms", s, nil, false).Body.String()
	card := textOf(page, `<div id="verify-`+b.ID+`"`, "</div>\n</div>")
	for _, want := range []string{`action="/t/` + e.acme.ID + `/brands/` + b.ID + `/verify"`, `name="pin"`, "Dana Reyes's mobile phone, &#43;1 202 555 0143",
		`action="/t/` + e.acme.ID + `/brands/` + b.ID + `/resend"`, "Send the PIN again"} {
		if !strings.Contains(card, want) {
			t.Errorf("the brand's verification does not hold %q:\n%s", want, card)
		}
	}
	if state := textOf(page, `<li id="state-`+b.ID+`">`, "</li>"); !strings.Contains(state, "Waiting for the PIN sent to the contact") {
		t.Errorf("the registration state does not say the brand waits for the PIN: %q", state)
	}

	verify := "/t/" + e.acme.ID + "/brands/" + b.ID + "/verify"
	r := e.do("POST", verify, s, url.Values{"pin": {"654321"}}, true)
	if body := r.Body.String(); r.Code != http.StatusUnprocessableEntity ||
		!regexp.MustCompile(`<p class="error" id="`+b.ID+`-pin-error">The carrier refused the PIN: [^<]*does not match`).MatchString(body) {
		t.Errorf("a wrong PIN = %d\n%s", r.Code, textOf(body, `<div id="verify-`+b.ID+`"`, "</form>"))
	}
	r = e.do("POST", "/t/"+e.acme.ID+"/brands/"+b.ID+"/resend", s, nil, true)
	if body := r.Body.String(); r.Code != http.StatusOK || !strings.Contains(body, "A new PIN was sent to &#43;1 202 555 0143.") {
		t.Errorf("Send the PIN again = %d\n%s", r.Code, excerpt(r))
	}
	r = e.do("POST", verify, s, url.Values{"pin": {sim.SimPIN}}, true)
	body := r.Body.String()
	if r.Code != http.StatusOK || !strings.Contains(body, "The carrier accepted the PIN for brand Dana Reyes.") {
		t.Fatalf("the right PIN = %d\n%s", r.Code, excerpt(r))
	}
	if strings.Contains(body, `id="verify-`+b.ID+`"`) {
		t.Errorf("the PIN form is still shown once the carrier accepted the PIN")
	}
	if got := e.acme.GetBrand(b.ID).Status; got != smsadmin.StatusPending {
		t.Errorf("the brand is %s before the reconciler ran, want pending", got)
	}
	e.Settle(func() bool { return e.acme.GetBrand(b.ID).Status == smsadmin.StatusVerified })
	page = e.do("GET", "/t/"+e.acme.ID+"/sms", s, nil, false).Body.String()
	state := textOf(page, `<li id="state-`+b.ID+`">`, "</li>")
	for _, want := range []string{"Sole proprietor", `<span class="badge ok">Verified</span>`, "Identity: Verified"} {
		if !strings.Contains(state, want) {
			t.Errorf("the verified brand's state does not hold %q: %s", want, state)
		}
	}
	for action, n := range map[string]int{smsadmin.ActionBrandVerify: 1, smsadmin.ActionBrandResend: 1} {
		if got := e.audit(action); len(got) != n || got[0].Actor != e.admin.ID {
			t.Errorf("%s audit entries: %+v, want %d by the admin", action, got, n)
		}
	}
	// The PIN form, sent again now, is refused by the page: the brand
	// awaits nothing.
	r = e.do("POST", verify, s, url.Values{"pin": {sim.SimPIN}}, true)
	if body := r.Body.String(); r.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="registration-notice" class="error"`) {
		t.Errorf("a PIN for a verified brand = %d\n%s", r.Code, excerpt(r))
	}
}

// TestPublicCompanyWaitsForEmail: a public company's brand awaiting its
// contact's email confirmation says so, with a button to send the email
// again; once support confirms it (the simulator), the brand is verified.
func TestPublicCompanyWaitsForEmail(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.awaitingBrand(smsadmin.EntityPublicProfit)
	s := e.signInAs(e.admin)
	page := e.do("GET", "/t/"+e.acme.ID+"/sms", s, nil, false).Body.String()
	card := textOf(page, `<div id="verify-`+b.ID+`"`, "</div>\n</div>")
	for _, want := range []string{"Waiting for <strong>compliance@acme.example.com</strong> to confirm the email", "Send the email again"} {
		if !strings.Contains(card, want) {
			t.Errorf("the brand's verification does not hold %q:\n%s", want, card)
		}
	}
	if strings.Contains(card, `name="pin"`) {
		t.Errorf("a public company's brand is asked for a PIN")
	}
	r := e.do("POST", "/t/"+e.acme.ID+"/brands/"+b.ID+"/resend", s, nil, true)
	if body := r.Body.String(); r.Code != http.StatusOK || !strings.Contains(body, "The confirmation email was sent again to compliance@acme.example.com.") {
		t.Errorf("Send the email again = %d\n%s", r.Code, excerpt(r))
	}
	if err := e.Sim.ConfirmBrandEmail(b.CarrierRef); err != nil {
		t.Fatal(err)
	}
	e.Settle(func() bool { return e.acme.GetBrand(b.ID).Status == smsadmin.StatusVerified })
	page = e.do("GET", "/t/"+e.acme.ID+"/sms", s, nil, false).Body.String()
	if strings.Contains(page, `id="verify-`+b.ID+`"`) || strings.Contains(page, "to confirm the email") {
		t.Errorf("the verified brand still waits for its email")
	}
	if state := textOf(page, `<li id="state-`+b.ID+`">`, "</li>"); !strings.Contains(state, "Identity: Verified") {
		t.Errorf("the verified brand's state: %s", state)
	}
}
