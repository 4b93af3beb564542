package console_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"smsadmin"
)

// hiddenInput is a hidden field of a form, as the templates write it.
var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

// confirmForm reads the fields of the enable's confirmation form
// (#enable-confirm) in body: questionForm.
func confirmForm(t *testing.T, body string) url.Values {
	t.Helper()
	return questionForm(t, body, "enable-confirm")
}

// questionForm reads the fields of the form of the question whose element
// has id in body, as a browser without JavaScript would post them (the
// CSRF token aside: do adds it).
func questionForm(t *testing.T, body, id string) url.Values {
	t.Helper()
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no question (#%s) in the answer:\n%s", id, body)
	}
	body = body[i:]
	body = body[:strings.Index(body, "</form>")]
	form := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(body, -1) {
		if m[1] != "csrf" {
			form.Add(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
		}
	}
	return form
}

// Without JavaScript: the bulk enable and the profile's toggle answer
// first with the question when they would turn off a number that sends
// SMS (R4), changing nothing, and the question's form does it, the
// answer saying what was turned off. A user's other number that does not
// send yet is turned off without a question, and the result says so.
func TestEnableAsksBeforeReplacingWithoutJavaScript(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	campaignID := e.acme.VerifiedCampaign("US")
	ann := e.acme.LicensedUser("Ann Lee", "+12025550142", "+12025550146", "+12025550148")
	e.acme.LicensedUser("Bob Stone", "+12025550143", "+12025550147")
	e.acme.Assigned(campaignID, "+12025550142")
	if _, err := e.Service.EnableNumbers(e.acme.Admin, e.acme.ID, []string{"+12025550143"}); err != nil {
		t.Fatal(err)
	}
	s := e.signInAs(e.admin)
	enable := "/t/" + e.acme.ID + "/sms/enable"

	// Bob's other number is Pending (enabling): no question.
	r := e.do("POST", enable, s, url.Values{"numbers": {"+12025550147"}}, true)
	if body := html.UnescapeString(r.Body.String()); r.Code != http.StatusOK || strings.Contains(body, `id="enable-confirm"`) ||
		!strings.Contains(body, "SMS turned off on +1 202 555 0143, Bob Stone's other number") {
		t.Errorf("enabling Bob's other number = %d:\n%s", r.Code, excerpt(r))
	}

	// Ann's sends: the question first, and nothing changes.
	r = e.do("POST", enable, s, url.Values{"numbers": {"+1 202 555 0146"}}, true)
	if r.Code != http.StatusOK || !strings.Contains(html.UnescapeString(r.Body.String()), `data-number="+12025550142"`) {
		t.Fatalf("enabling Ann's other number = %d, no question naming +12025550142:\n%s", r.Code, excerpt(r))
	}
	if got := e.acme.NumberStatus("+12025550146"); got != smsadmin.NumberDisabled {
		t.Fatalf("the question enabled +12025550146: %s", got)
	}
	form := confirmForm(t, r.Body.String())
	if want := (url.Values{"confirm": {"true"}, "number": {"+1 202 555 0146"}}); form.Encode() != want.Encode() {
		t.Errorf("the question's form posts %v, want %v", form, want)
	}
	r = e.do("POST", enable, s, form, true)
	if body := html.UnescapeString(r.Body.String()); r.Code != http.StatusOK || strings.Contains(body, `id="enable-confirm"`) ||
		!strings.Contains(body, "SMS turned off on +1 202 555 0142, Ann Lee's other number: a user sends SMS from one number.") {
		t.Errorf("the confirmed enable = %d:\n%s", r.Code, excerpt(r))
	}
	if !e.acme.GetNumber("+12025550146").SMS.WantSMS || e.acme.GetNumber("+12025550142").SMS.WantSMS {
		t.Errorf("once confirmed, +12025550146 is not Ann's SMS number in place of +12025550142 (R4)")
	}

	// The profile: +12025550146 is on its way into no campaign (bulk
	// enable assigns nothing, R5), so turning +12025550148 on asks
	// nothing; once +12025550148 is in the campaign (R6), turning
	// +12025550146 on asks.
	toggle := "/t/" + e.acme.ID + "/users/" + ann + "/sms"
	r = e.do("POST", toggle, s, url.Values{"number": {"+12025550148"}, "enabled": {"true"}}, true)
	if body := html.UnescapeString(r.Body.String()); r.Code != http.StatusOK || strings.Contains(body, `id="enable-confirm"`) ||
		!strings.Contains(body, "SMS turned off on +1 202 555 0146, Ann Lee's other number") {
		t.Errorf("turning +12025550148 on = %d:\n%s", r.Code, excerpt(r))
	}
	if !e.acme.GetNumber("+12025550148").SMS.InCampaign() {
		t.Fatalf("+12025550148 was not assigned from the profile (R6)")
	}
	r = e.do("POST", toggle, s, url.Values{"number": {"+12025550146"}, "enabled": {"true"}}, true)
	if r.Code != http.StatusOK || !strings.Contains(html.UnescapeString(r.Body.String()), `data-number="+12025550148"`) {
		t.Fatalf("turning +12025550146 on = %d, no question naming +12025550148:\n%s", r.Code, excerpt(r))
	}
	if e.acme.GetNumber("+12025550146").SMS.WantSMS {
		t.Fatalf("the question turned +12025550146 on")
	}
	r = e.do("POST", toggle, s, confirmForm(t, r.Body.String()), true)
	if body := html.UnescapeString(r.Body.String()); r.Code != http.StatusOK ||
		!strings.Contains(body, "SMS turned off on +1 202 555 0148, Ann Lee's other number") {
		t.Errorf("the confirmed toggle = %d:\n%s", r.Code, excerpt(r))
	}
	if !e.acme.GetNumber("+12025550146").SMS.WantSMS {
		t.Errorf("the confirmed toggle did not turn +12025550146 on")
	}
}
