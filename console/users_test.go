package console_test

import (
	"bytes"
	"context"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"smsadmin"
)

// ready has user name hold number and send SMS from it: enabled from
// the profile, assigned to Acme's verified US campaign (R6), which
// ready makes on its first call.
func (e *env) ready(name, number string) string {
	e.t.Helper()
	if o, err := e.Service.GetSMSOverview(e.Support, e.acme.ID); err != nil || len(o.Campaigns) == 0 {
		e.acme.VerifiedCampaign("US")
	}
	u := e.acme.LicensedUser(name, number)
	if _, err := e.Service.SetUserSMS(e.Support, e.acme.ID, u, number, true); err != nil {
		e.t.Fatal(err)
	}
	e.Settle(func() bool { return e.acme.NumberStatus(number) == smsadmin.NumberEnabledAssigned })
	return u
}

// updateForm reads the fields of the profile's question's form
// (#update-confirm) in body: questionForm.
func updateForm(t *testing.T, body string) url.Values {
	t.Helper()
	return questionForm(t, body, "update-confirm")
}

// turnOff is the item of the question about number, for cause.
func turnOff(body, number, cause string) string {
	body = html.UnescapeString(body)
	m := regexp.MustCompile(`<li data-number="` + regexp.QuoteMeta(number) + `" data-cause="` + cause + `">([\s\S]*?)</li>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], "")
}

// Without JavaScript: a profile's save that turns SMS off answers first
// with the question, saying which number goes off, why and what to do
// (R16: a license changed; R15: the number replaced, the new one not
// enabled by itself), and changes nothing; the question's form saves,
// and the diagnosis then names the cause (R19). A save that turns
// nothing off (a user without a license, or without SMS) asks nothing.
// From htmx, the question comes in place, as the profile's fragment.
func TestProfileAsksBeforeTurningSMSOffWithoutJavaScript(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ann := e.ready("Ann Lee", "+12025550142")
	bob := e.ready("Bob Stone", "+12025550143")
	s := e.signInAs(e.admin)
	profile := func(user string) string { return "/t/" + e.acme.ID + "/users/" + user }
	saves := func() int { return len(e.audit(smsadmin.ActionUserUpdate)) }

	// R16: Ann's license changed.
	form := url.Values{"name": {"Ann Lee"}, "email": {"ann.lee@example.com"}, "license": {"X4"}}
	before := saves()
	r := e.do("POST", profile(ann), s, form, true)
	body := r.Body.String()
	if got := turnOff(body, "+12025550142", smsadmin.CauseLicenseChanged); r.Code != http.StatusOK ||
		!strings.Contains(got, "Changing the license to X4 turns SMS off on +1 202 555 0142, even though the number stays; you will need to enable it again.") ||
		!strings.Contains(got, "Ann Lee cannot send SMS") {
		t.Fatalf("saving Ann's license = %d, the question says %q:\n%s", r.Code, got, excerpt(r))
	}
	if saves() != before || !e.acme.GetNumber("+12025550142").SMS.WantSMS || e.userLicense(ann) != "X2" {
		t.Fatalf("the question saved the profile")
	}
	confirm := updateForm(t, body)
	if want := (url.Values{"confirm": {"true"}, "name": {"Ann Lee"}, "email": {"ann.lee@example.com"}, "license": {"X4"}, "add": {""}}); confirm.Encode() != want.Encode() {
		t.Errorf("the question's form posts %v, want %v", confirm, want)
	}
	r = e.do("POST", profile(ann), s, confirm, true)
	if body := r.Body.String(); r.Code != http.StatusOK || strings.Contains(body, `id="update-confirm"`) || !strings.Contains(body, ">Saved.<") ||
		!strings.Contains(body, `data-code="license_changed"`) {
		t.Errorf("the confirmed save = %d:\n%s", r.Code, excerpt(r))
	}
	if e.acme.GetNumber("+12025550142").SMS.WantSMS || e.userLicense(ann) != "X4" {
		t.Errorf("the confirmed save did not change the license and turn SMS off (R16)")
	}

	// R15: Bob's number replaced by a new one, from htmx: the question in
	// place.
	form = url.Values{"name": {"Bob Stone"}, "email": {"bob.stone@example.com"}, "license": {"X2"}, "remove": {"+12025550143"}, "add": {"+1 202 555 0150"}}
	r = e.doWith("POST", profile(bob), s, form, true, http.Header{"HX-Request": {"true"}})
	body = r.Body.String()
	if got := turnOff(body, "+12025550143", smsadmin.CauseNumberChanged); r.Code != http.StatusOK || strings.Contains(body, "<html") ||
		!strings.Contains(got, "Changing the number turns SMS off for +1 202 555 0143; you will need to enable the new number, +1 202 555 0150: it is not enabled automatically.") {
		t.Fatalf("replacing Bob's number from htmx = %d, the question says %q:\n%s", r.Code, got, excerpt(r))
	}
	if _, err := e.Service.GetNumber(e.Support, e.acme.ID, "+12025550150"); smsadmin.ErrorCode(err) != smsadmin.CodeNumberNotFound {
		t.Fatalf("the question added the new number: %v", err)
	}
	r = e.do("POST", profile(bob), s, updateForm(t, body), true)
	if body := r.Body.String(); r.Code != http.StatusOK || !strings.Contains(body, `data-code="number_changed"`) {
		t.Errorf("the confirmed replacement = %d:\n%s", r.Code, excerpt(r))
	}
	u, err := e.Service.GetUser(e.Support, e.acme.ID, bob)
	if err != nil {
		t.Fatal(err)
	}
	old := e.acme.GetNumber("+12025550143")
	if !slices.Equal(u.PhoneNumbers, []string{"+12025550150"}) || old.SMS.WantSMS || old.UserID != "" || e.acme.GetNumber("+12025550150").SMS.WantSMS {
		t.Errorf("after the replacement Bob holds %v, the old number wants SMS %v and belongs to %q (R15: the new one is not enabled)", u.PhoneNumbers, old.SMS.WantSMS, old.UserID)
	}

	// No question: a license given to a user without one, and a license
	// changed for a user without SMS.
	cy := &smsadmin.User{Name: "Cy Young", Email: "cy@example.com"}
	if err := e.Service.CreateUserWithNumbers(e.Support, e.acme.ID, cy, []string{"+12025550144"}); err != nil {
		t.Fatal(err)
	}
	dee := e.acme.LicensedUser("Dee Ray", "+12025550145")
	for _, tc := range []struct{ user, name, email string }{{cy.ID, "Cy Young", "cy@example.com"}, {dee, "Dee Ray", "dee.ray@example.com"}} {
		r := e.do("POST", profile(tc.user), s, url.Values{"name": {tc.name}, "email": {tc.email}, "license": {"X4"}}, true)
		if body := r.Body.String(); r.Code != http.StatusOK || strings.Contains(body, `id="update-confirm"`) || !strings.Contains(body, ">Saved.<") {
			t.Errorf("saving %s's license, which turns nothing off = %d:\n%s", tc.name, r.Code, excerpt(r))
		}
		if got := e.userLicense(tc.user); got != "X4" {
			t.Errorf("%s's license is %q after the save", tc.name, got)
		}
	}

	// A number refused (R1) is said by its field, and nothing is saved.
	r = e.do("POST", profile(dee), s, url.Values{"name": {"Dee Ray"}, "email": {"dee.ray@example.com"}, "license": {"X4"}, "add": {"+44 20 7946 0958"}}, true)
	if got := within(r.Body.String(), `<p class="error" id="add-error">`, "</p>"); r.Code != http.StatusUnprocessableEntity || !strings.Contains(got, "United States, Canada and Australia") {
		t.Errorf("adding a UK number = %d, its error %q:\n%s", r.Code, got, excerpt(r))
	}
}

// within is the text of body between the first from and the next to,
// unescaped ("" without from).
func within(body, from, to string) string {
	_, rest, ok := strings.Cut(body, from)
	if !ok {
		return ""
	}
	rest, _, _ = strings.Cut(rest, to)
	return html.UnescapeString(rest)
}

// userLicense is the license of Acme's user ("" for none).
func (e *env) userLicense(user string) string {
	e.t.Helper()
	u, err := e.Service.GetUser(e.Support, e.acme.ID, user)
	if err != nil {
		e.t.Fatal(err)
	}
	if u.License == nil {
		return ""
	}
	return *u.License
}

// "+ Add user" without JavaScript: refused by field (a number that is
// not one, R2; another user's, R3; an email taken), with what was typed,
// adding nothing; accepted, the new user's page follows with the number
// in the profile and in the SMS section. The Users page counts its users
// and lists them by name, each with their SMS number and whether they
// can send.
func TestAddUserWithoutJavaScript(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.ready("Zed Sender", "+12025550142")
	s := e.signInAs(e.admin)
	users := "/t/" + e.acme.ID + "/users"
	for _, tc := range []struct{ email, number, field, want string }{
		{"nia@example.com", "+1 202 555", "new-number-error", "too short"},
		{"nia@example.com", "+12025550142", "new-number-error", "belongs to another user"},
		{"zed.sender@example.com", "+12025550150", "new-email-error", "already exists"},
	} {
		r := e.do("POST", users, s, url.Values{"name": {"Nia New"}, "email": {tc.email}, "license": {"X2"}, "number": {tc.number}}, true)
		body := html.UnescapeString(r.Body.String())
		if got := within(body, `<p class="error" id="`+tc.field+`">`, "</p>"); r.Code != http.StatusUnprocessableEntity || !strings.Contains(got, tc.want) ||
			!strings.Contains(body, `value="`+tc.number+`"`) {
			t.Errorf("adding Nia with %s, %s = %d, %s %q:\n%s", tc.email, tc.number, r.Code, tc.field, got, excerpt(r))
		}
	}
	if _, err := e.Service.GetUserByEmail(e.Support, e.acme.ID, "nia@example.com"); smsadmin.ErrorCode(err) != smsadmin.CodeNotFound {
		t.Fatalf("a refused user was added: %v", err)
	}
	r := e.do("POST", users, s, url.Values{"name": {"Nia New"}, "email": {"nia@example.com"}, "license": {"X2"}, "number": {"+1 (202) 555-0150"}}, true)
	loc := r.Header().Get("Location")
	if r.Code != http.StatusSeeOther || !strings.HasPrefix(loc, users+"/usr_") {
		t.Fatalf("adding Nia = %d to %q\n%s", r.Code, loc, excerpt(r))
	}
	body := e.do("GET", loc, s, nil, false).Body.String()
	if !strings.Contains(body, `id="added"`) || !strings.Contains(body, `id="remove-12025550150"`) || !strings.Contains(body, `id="toggle-12025550150"`) {
		t.Errorf("Nia's page does not show her added with +12025550150:\n%s", body)
	}
	list := html.UnescapeString(e.do("GET", users, s, nil, false).Body.String())
	if got := within(list, `<p class="count" id="users-count" role="status">`, "</p>"); got != "2 users, by name." {
		t.Errorf("the count says %q", got)
	}
	if i, j := strings.Index(list, ">Nia New<"), strings.Index(list, ">Zed Sender<"); i < 0 || j < i {
		t.Errorf("the users are not by name")
	}
	if !regexp.MustCompile(`\+1 202 555 0142 <span class="badge ok">Enabled and Assigned</span>\s*<span class="badge ok">Can send</span>`).MatchString(list) {
		t.Errorf("Zed's row does not show his SMS number and that he can send:\n%s", list)
	}
}

// The inventory without JavaScript: a number refused (R1, R2) by its
// field, one added, one that belongs to nobody deleted, and a CSV import
// answered with its summary and the rows it refused.
func TestInventoryWithoutJavaScript(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.signInAs(e.admin)
	numbers := "/t/" + e.acme.ID + "/numbers"
	for typed, want := range map[string]string{"+44 20 7946 0958": "United States, Canada and Australia", "4155550123": "international form"} {
		r := e.do("POST", numbers, s, url.Values{"number": {typed}}, true)
		if got := within(r.Body.String(), `<p class="error" id="number-error">`, "</p>"); r.Code != http.StatusUnprocessableEntity || !strings.Contains(got, want) {
			t.Errorf("adding %s = %d, %q", typed, r.Code, got)
		}
	}
	r := e.do("POST", numbers, s, url.Values{"number": {"+1 (202) 555-0150"}}, true)
	if r.Code != http.StatusOK || !strings.Contains(r.Body.String(), `id="number-added"`) || !strings.Contains(r.Body.String(), `id="delete-12025550150"`) {
		t.Errorf("adding +12025550150 = %d\n%s", r.Code, excerpt(r))
	}
	r = e.do("POST", numbers+"/+12025550150/delete", s, nil, true)
	if r.Code != http.StatusOK || !strings.Contains(r.Body.String(), `id="number-deleted"`) {
		t.Errorf("deleting +12025550150 = %d\n%s", r.Code, excerpt(r))
	}
	if _, err := e.Service.GetNumber(e.Support, e.acme.ID, "+12025550150"); smsadmin.ErrorCode(err) != smsadmin.CodeNumberNotFound {
		t.Errorf("+12025550150 after its delete: %v", err)
	}

	csv := "name,email,license,number\nAnn Lee,ann@example.com,X2,+12025550151\nBob Stone,bob@example.com,,+44 20 7946 0958\nCy Young,cy@example.com,X2,\n"
	r = e.do("POST", "/t/"+e.acme.ID+"/imports", s, url.Values{"csv": {csv}}, true)
	body := r.Body.String()
	if got := within(body, `<p id="import-summary">`, "</p>"); r.Code != http.StatusOK || got != "2 imported (2 changed something), 1 refused." ||
		!strings.Contains(body, "<tr><td>3</td>") {
		t.Errorf("the import = %d, summary %q\n%s", r.Code, got, excerpt(r))
	}
	if !strings.Contains(html.UnescapeString(body), "United States, Canada and Australia") {
		t.Errorf("the import's refused row does not say why")
	}
	if _, err := e.Service.GetUserByEmail(e.Support, e.acme.ID, "ann@example.com"); err != nil {
		t.Errorf("the import did not add Ann: %v", err)
	}
	// A file uploaded, as a form with a file sends it.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", s.csrf)
	fw, _ := mw.CreateFormFile("file", "users.csv")
	io.WriteString(fw, "name,email,license,number\nDee Ray,dee@example.com,X2,+12025550152\nEve,eve@example.com,X2,+12025550151\n")
	mw.Close()
	req := httptest.NewRequest("POST", "/t/"+e.acme.ID+"/imports", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: "__Host-smsadmin_session", Value: s.cookie})
	w := httptest.NewRecorder()
	e.srv.Config.Handler.ServeHTTP(w, req)
	if got := within(w.Body.String(), `<p id="import-summary">`, "</p>"); w.Code != http.StatusOK || got != "1 imported (1 changed something), 1 refused." ||
		!strings.Contains(html.UnescapeString(w.Body.String()), "+12025550151 belongs to another user") {
		t.Errorf("the file's import = %d, summary %q\n%s", w.Code, got, excerpt(w))
	}
	r = e.do("POST", "/t/"+e.acme.ID+"/imports", s, url.Values{"csv": {"email,name\nann@example.com,Ann\n"}}, true)
	if got := within(r.Body.String(), `<p class="error" role="alert" id="import-error">`, "</p>"); r.Code != http.StatusUnprocessableEntity || got == "" {
		t.Errorf("an import without the header = %d, %q", r.Code, got)
	}
}

// API tokens without JavaScript: a user token created shows its secret
// in that answer alone, which works until the token is revoked; an admin
// is not offered an admin token.
func TestTokensWithoutJavaScript(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.acme.LicensedUser("Ann Lee", "+12025550142")
	s := e.signInAs(e.admin)
	tokens := "/t/" + e.acme.ID + "/tokens"
	page := e.do("GET", tokens, s, nil, false).Body.String()
	if strings.Contains(page, `value="admin"`) {
		t.Errorf("an admin is offered an admin token")
	}
	r := e.do("POST", tokens, s, url.Values{"role": {"user"}, "user": {"nobody@example.com"}}, true)
	if got := within(r.Body.String(), `<p class="error" id="token-user-error">`, "</p>"); r.Code != http.StatusUnprocessableEntity || !strings.Contains(got, "nobody@example.com") {
		t.Errorf("a token of nobody = %d, %q", r.Code, got)
	}
	r = e.do("POST", tokens, s, url.Values{"role": {"user"}, "user": {"Ann.Lee@example.com"}, "name": {"Ann's phone"}}, true)
	secret := within(r.Body.String(), `<code class="secret-value" id="token-value">`, "</code>")
	if r.Code != http.StatusOK || !strings.HasPrefix(secret, smsadmin.TokenPrefix) {
		t.Fatalf("creating Ann's token = %d, secret %q\n%s", r.Code, secret, excerpt(r))
	}
	if _, err := e.Service.Authenticate(context.Background(), secret); err != nil {
		t.Errorf("the token shown does not work: %v", err)
	}
	page = e.do("GET", tokens, s, nil, false).Body.String()
	if strings.Contains(page, secret) || !strings.Contains(page, "Ann&#39;s phone") {
		t.Errorf("the tokens page shows the secret again, or not the token")
	}
	if strings.Contains(e.Logs.String(), secret) {
		t.Errorf("the secret is in the log")
	}
	id := regexp.MustCompile(`id="revoke-(prn_[^"]+)"`).FindStringSubmatch(page)
	if id == nil {
		t.Fatalf("no Revoke on the tokens page")
	}
	r = e.do("POST", tokens+"/"+id[1]+"/revoke", s, nil, true)
	if r.Code != http.StatusOK || !strings.Contains(r.Body.String(), `id="token-revoked"`) {
		t.Errorf("revoking = %d\n%s", r.Code, excerpt(r))
	}
	if _, err := e.Service.Authenticate(context.Background(), secret); smsadmin.ErrorCode(err) != smsadmin.CodeUnauthorized {
		t.Errorf("a revoked token authenticates: %v", err)
	}
}
