package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"smsadmin"
	"smsadmin/carrier/sim"
	"smsadmin/console"
	"smsadmin/smsadmintest"
)

// These tests call the console's handlers without a browser, over every
// route of its table (Console.Routes): a route added to the table is held
// to its Access, to the CSRF check and to the audit log the day it is
// added, or the test says what it lacks.

// session is a signed-in console account as a browser holds it.
type session struct {
	account *smsadmin.Account
	cookie  string // the session cookie's value
	csrf    string // the CSRF token its pages carry
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// signInAs opens a session for acc through the Service, then reads the
// CSRF token from a page, as a browser would.
func (e *env) signInAs(acc *smsadmin.Account) *session {
	e.t.Helper()
	token, _, err := e.Service.SignIn(context.Background(), acc.Email, password, sessionTTL)
	if err != nil {
		e.t.Fatalf("SignIn %s: %v", acc.Email, err)
	}
	s := &session{account: acc, cookie: token}
	r := e.do("GET", "/no-such-page", s, nil, false)
	m := csrfInput.FindStringSubmatch(r.Body.String())
	if m == nil {
		e.t.Fatalf("no CSRF token on a page for %s:\n%s", acc.Email, r.Body)
	}
	s.csrf = m[1]
	return s
}

// do serves one request: as s (nil: nobody signed in), with form as its
// body, and with s's CSRF token in the form when csrf is set.
func (e *env) do(method, path string, s *session, form url.Values, csrf bool) *httptest.ResponseRecorder {
	e.t.Helper()
	return e.doWith(method, path, s, form, csrf, nil)
}

// doWith is do with header's fields added to the request (htmx's, a
// browser's).
func (e *env) doWith(method, path string, s *session, form url.Values, csrf bool, header http.Header) *httptest.ResponseRecorder {
	e.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if csrf && s != nil {
		form = cloneValues(form)
		form.Set("csrf", s.csrf)
	}
	var req *http.Request
	if method == "GET" {
		req = httptest.NewRequest(method, path, nil)
	} else {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, vs := range header {
		req.Header[http.CanonicalHeaderKey(k)] = vs
	}
	if s != nil {
		req.AddCookie(&http.Cookie{Name: "__Host-smsadmin_session", Value: s.cookie})
	}
	w := httptest.NewRecorder()
	e.srv.Config.Handler.ServeHTTP(w, req)
	return w
}

// excerpt is the start of r's body, for a failure message.
func excerpt(r *httptest.ResponseRecorder) string {
	b := r.Body.String()
	if i := strings.Index(b, "<main"); i >= 0 {
		b = b[i:]
	}
	return b[:min(len(b), 400)]
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// toSignIn reports whether r sends the person to sign in before going on
// (to next; signing out goes to the sign-in page too, with nowhere next).
func toSignIn(r *httptest.ResponseRecorder) bool {
	loc, err := url.Parse(r.Header().Get("Location"))
	return r.Code == http.StatusSeeOther && err == nil && loc.Path == "/signin" && loc.Query().Has("next")
}

// fixture is a tenant with something of each kind for the routes to act
// on, another tenant with its admin, and support.
type fixture struct {
	*env
	support, admin, otherAdmin *smsadmin.Account
	spare                      *smsadmin.Account // an admin of the tenant to disable
	values                     map[string]string // path values
	verifiedBrand              string
	draftBrand, draftCampaign  string
	// pinBrand is a sole proprietor's brand awaiting the PIN sent to its
	// contact, emailBrand a public company's awaiting its contact's email
	// confirmation (R23).
	pinBrand, emailBrand      string
	ann, annNumber, bobNumber string
	cyNumber                  string
	// failedNumber is a number the simulated carrier refuses to enable
	// (Enabling Failed), to retry.
	failedNumber string
	// toggle is a webhook to disable, apart from the fixture's webhook
	// (values), which stays enabled; unsubscribe is the token of the
	// admin's one-click unsubscribe link (R25).
	toggle, unsubscribe string
	numbers             int // the numbers newNumber added
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	e := newEnv(t)
	f := &fixture{env: e, admin: e.admin}
	var err error
	f.support, err = e.Service.CreateAccount(e.Support, smsadmin.AccountRequest{Role: smsadmin.RoleSupport, Email: "sam@support.example.com",
		Name: "Sam Support", Password: password})
	if err != nil {
		t.Fatal(err)
	}
	other := e.Tenant("Globex").ID
	f.otherAdmin = e.account(other, "olga@globex.example.com")
	f.spare = e.account(e.acme.ID, "spare@acme.example.com")
	campaignID := e.acme.VerifiedCampaign("US")
	f.annNumber, f.bobNumber, f.cyNumber = "+12025550142", "+12025550143", "+12025550144"
	f.ann = e.acme.LicensedUser("Ann Lee", f.annNumber)
	e.acme.LicensedUser("Bob Stone", f.bobNumber)
	e.acme.LicensedUser("Cy Young", f.cyNumber)
	if _, err := e.Service.EnableNumbers(e.Support, e.acme.ID, []string{f.cyNumber}); err != nil {
		t.Fatal(err)
	}
	e.Settle(func() bool { return e.acme.NumberStatus(f.cyNumber) == smsadmin.NumberEnabledUnassigned })
	f.failedNumber = "+12025550999" // the simulator refuses to enable ...0999
	e.acme.LicensedUser("Dee Ray", f.failedNumber)
	if _, err := e.Service.EnableNumbers(e.Support, e.acme.ID, []string{f.failedNumber}); err != nil {
		t.Fatal(err)
	}
	e.Settle(func() bool { return e.acme.NumberStatus(f.failedNumber) == smsadmin.NumberEnablingFailed })
	o, err := e.Service.GetSMSOverview(e.Support, e.acme.ID)
	if err != nil {
		t.Fatal(err)
	}
	f.verifiedBrand = o.Brands[0].ID
	b := brand("Acme Draft Brand")
	if err := e.Service.CreateBrand(e.Support, e.acme.ID, b); err != nil {
		t.Fatal(err)
	}
	f.draftBrand = b.ID
	c := smsadmintest.Campaign(f.verifiedBrand, "US")
	if err := e.Service.CreateCampaign(e.Support, e.acme.ID, c); err != nil {
		t.Fatal(err)
	}
	f.draftCampaign = c.ID
	f.pinBrand = e.awaitingBrand(smsadmin.EntitySoleProprietor).ID
	f.emailBrand = e.awaitingBrand(smsadmin.EntityPublicProfit).ID
	f.values = map[string]string{"tenant": e.acme.ID, "user": f.ann, "brand": f.draftBrand, "campaign": campaignID, "account": f.spare.ID}
	// A webhook with a delivery waiting (a test event), and the admin's
	// unsubscribe link (R25).
	f.values["webhook"] = f.newWebhook()
	d, err := e.Service.TestWebhook(e.Support, e.acme.ID, f.values["webhook"])
	if err != nil {
		t.Fatal(err)
	}
	f.values["delivery"] = d.ID
	f.toggle = f.newWebhook()
	// A number of the inventory that belongs to nobody, and a user's API
	// token, for the routes that delete and revoke (each makes its own).
	f.values["number"], f.values["token"] = f.newNumber(), f.newToken()
	if f.unsubscribe, err = e.Service.UnsubscribeToken(smsadmin.WithActor(context.Background(), smsadmin.SystemActor("test")), f.admin); err != nil {
		t.Fatal(err)
	}
	return f
}

// settleFailed settles the fixture's failed number until the carrier has
// refused it again.
func (f *fixture) settleFailed() {
	f.Settle(func() bool { return f.acme.NumberStatus(f.failedNumber) == smsadmin.NumberEnablingFailed })
}

// newDraftBrand and newDraftCampaign register a draft (of the verified
// brand, for a campaign), for a Delete draft to delete, and return its ID.
func (f *fixture) newDraftBrand() string {
	f.t.Helper()
	b := &smsadmin.Brand{LegalName: "Acme Scratch"}
	if err := f.Service.CreateBrand(f.Support, f.acme.ID, b); err != nil {
		f.t.Fatal(err)
	}
	return b.ID
}

func (f *fixture) newDraftCampaign() string {
	f.t.Helper()
	c := &smsadmin.Campaign{BrandID: f.verifiedBrand}
	if err := f.Service.CreateCampaign(f.Support, f.acme.ID, c); err != nil {
		f.t.Fatal(err)
	}
	return c.ID
}

// newNumber adds a number to Acme's inventory, belonging to nobody, and
// returns it: one not added before.
func (f *fixture) newNumber() string {
	f.t.Helper()
	f.numbers++
	n, err := f.Service.CreateNumber(f.Support, f.acme.ID, smsadmin.NumberRequest{Number: fmt.Sprintf("+1202555%04d", 300+f.numbers)})
	if err != nil {
		f.t.Fatal(err)
	}
	return n.Number
}

// newToken creates an API token of Ann's, and returns its ID.
func (f *fixture) newToken() string {
	f.t.Helper()
	p, _, err := f.Service.CreateToken(f.Support, f.acme.ID, smsadmin.TokenRequest{Role: smsadmin.RoleUser, UserID: f.ann})
	if err != nil {
		f.t.Fatal(err)
	}
	return p.ID
}

// newWebhook adds a webhook to Acme, of every event type, and returns its
// ID. Its URL is one the service takes without connecting to it.
func (e *env) newWebhook() string {
	e.t.Helper()
	u := "https://hooks.example.com/x"
	w, _, err := e.Service.CreateWebhook(e.Support, e.acme.ID, smsadmin.WebhookInput{URL: &u})
	if err != nil {
		e.t.Fatal(err)
	}
	return w.ID
}

// awaitingBrand submits smsadmintest's US brand of entity (a sole
// proprietor or a public company) and settles until the carrier awaits its
// contact's answer: the PIN, or the email's confirmation (R23).
func (e *env) awaitingBrand(entity smsadmin.EntityType) *smsadmin.Brand {
	e.t.Helper()
	b := smsadmintest.BrandOf("US", entity)
	e.acme.SubmitBrand(b)
	e.Settle(func() bool { return e.acme.GetBrand(b.ID).Awaiting != nil })
	return e.acme.GetBrand(b.ID)
}

// sample is a request for one route, and what a change it makes writes
// to the audit log.
type sample struct {
	path   string            // instead of the pattern with the path values
	values map[string]string // path values instead of the fixture's
	form   url.Values
	fresh  bool // the request ends its session: give it a session of its own
	// action is the audit entry that the request, made by an account
	// allowed to, writes with the account as actor; "" for a route that
	// changes nothing of a tenant (sign-in, sign-out).
	action string
	// auditTenant is the tenant whose log has the entry (default the
	// fixture's), read from the answer.
	auditTenant func(r *httptest.ResponseRecorder) string
	// changesNothing is set for a POST that changes nothing (the readiness
	// check of a form as it stands, R24): it writes no audit entry.
	changesNothing bool
	// notAudited is set for a change the Service keeps no audit entry of,
	// as it changes nothing an admin set: a webhook's test event, a
	// delivery sent again (each shows in the webhook's deliveries).
	notAudited bool
	notFound   bool // the route answers 404 to everyone (a page not found)
	// each makes path values anew for each request, for a route that
	// removes what it acts on (a webhook deleted), for freshPath: they
	// come before the fixture's, after values.
	each func() map[string]string
}

var pathParam = regexp.MustCompile(`\{(\w+)\}`)

// freshPath is path with the sample's each values made anew, for a
// request that acts (a refused one needs none: path).
func (f *fixture) freshPath(t *testing.T, rt console.Route, s sample) (method, path string) {
	t.Helper()
	if s.each != nil {
		values := s.each()
		for k, v := range s.values {
			values[k] = v
		}
		s.values = values
	}
	return f.path(t, rt, s)
}

// path is the path of rt for s: the pattern without its method, with path
// values filled in.
func (f *fixture) path(t *testing.T, rt console.Route, s sample) (method, path string) {
	t.Helper()
	method, pattern, ok := strings.Cut(rt.Pattern, " ")
	if !ok {
		method, pattern = "GET", rt.Pattern
	}
	if s.path != "" {
		return method, s.path
	}
	pattern = strings.TrimSuffix(pattern, "{$}")
	return method, pathParam.ReplaceAllStringFunc(pattern, func(p string) string {
		name := p[1 : len(p)-1]
		if v, ok := s.values[name]; ok {
			return url.PathEscape(v)
		}
		v, ok := f.values[name]
		if !ok {
			t.Fatalf("no value for %s of %s", p, rt.Pattern)
		}
		return url.PathEscape(v)
	})
}

// samples are a request for every route of the console.
func (f *fixture) samples() map[string]sample {
	b := brand("Acme Holdings")
	b.TaxID = "12-3456780"
	brandForm := formValues(brandFields(b))
	brandForm.Set("country", "US")
	c := smsadmintest.Campaign("", "US")
	c.Description += " Weekdays only."
	campaignForm := formValues(campaignFields(c))
	campaignForm.Set("country", "US")
	newCampaign := cloneValues(campaignForm)
	newCampaign.Set("brand_id", f.verifiedBrand)
	return map[string]sample{
		"GET /static/":                     {path: "/static/console.css"},
		"GET /favicon.ico":                 {},
		"GET /{$}":                         {},
		"GET /signin":                      {},
		"POST /signin":                     {form: url.Values{"email": {f.admin.Email}, "password": {password}}},
		"POST /signout":                    {fresh: true},
		"POST /tenants":                    {form: url.Values{"name": {"Initech"}}, action: smsadmin.ActionTenantCreate, auditTenant: tenantOfLocation},
		"GET /accounts":                    {},
		"POST /accounts":                   {form: url.Values{"role": {"admin"}, "tenant_id": {f.acme.ID}, "email": {"new@acme.example.com"}, "name": {"Nia New"}, "password": {password}}, action: smsadmin.ActionAccountCreate},
		"POST /accounts/{account}/disable": {form: url.Values{"tenant_id": {f.acme.ID}}, action: smsadmin.ActionAccountDisable},

		"GET /t/{tenant}/users": {},
		"POST /t/{tenant}/users": {form: url.Values{"name": {"Nia New"}, "email": {"nia@acme.example.com"}, "license": {"X2"}, "number": {"+1 202 555 0160"}},
			action: smsadmin.ActionUserCreate},
		"GET /t/{tenant}/users/{user}":      {},
		"POST /t/{tenant}/users/{user}":     {form: url.Values{"name": {"Ann Lee"}, "email": {"ann.lee@acme.example.com"}, "license": {"X4"}}, action: smsadmin.ActionUserUpdate},
		"POST /t/{tenant}/users/{user}/sms": {form: url.Values{"number": {f.annNumber}, "enabled": {"true"}}, action: smsadmin.ActionNumberSMSEnable},
		// Each retry is refused again once settled: Enabling Failed anew.
		"POST /t/{tenant}/users/{user}/sms/retry": {form: url.Values{"number": {f.failedNumber}}, action: smsadmin.ActionNumberSMSEnable,
			each: func() map[string]string { f.settleFailed(); return map[string]string{} }},

		"GET /t/{tenant}/numbers":  {},
		"POST /t/{tenant}/numbers": {form: url.Values{"number": {"+1 (202) 555-0161"}}, action: smsadmin.ActionNumberCreate},
		"POST /t/{tenant}/numbers/{number}/delete": {action: smsadmin.ActionNumberDelete,
			each: func() map[string]string { return map[string]string{"number": f.newNumber()} }},
		"POST /t/{tenant}/imports": {form: url.Values{"csv": {"name,email,license,number\nIda Import,ida@acme.example.com,X2,+12025550162\n"}},
			action: smsadmin.ActionUserCreate},
		"GET /t/{tenant}/tokens":  {},
		"POST /t/{tenant}/tokens": {form: url.Values{"role": {"user"}, "user": {"bob.stone@example.com"}, "name": {"CRM"}}, action: smsadmin.ActionPrincipalCreate},
		"POST /t/{tenant}/tokens/{token}/revoke": {action: smsadmin.ActionPrincipalRevoke,
			each: func() map[string]string { return map[string]string{"token": f.newToken()} }},

		"GET /t/{tenant}/sms":                              {},
		"GET /t/{tenant}/sms/export":                       {},
		"POST /t/{tenant}/sms/enable":                      {form: url.Values{"numbers": {f.bobNumber}}, action: smsadmin.ActionNumberSMSEnable},
		"POST /t/{tenant}/sms/numbers":                     {form: url.Values{"action": {"unassign-disable"}, "number": {f.cyNumber}}, action: smsadmin.ActionNumberSMSDisable},
		"POST /t/{tenant}/brands":                          {form: brandForm, action: smsadmin.ActionBrandCreate},
		"POST /t/{tenant}/brands/{brand}":                  {form: brandForm, action: smsadmin.ActionBrandUpdate},
		"POST /t/{tenant}/brands/check":                    {form: brandForm, changesNothing: true},
		"POST /t/{tenant}/brands/{brand}/check":            {form: brandForm, changesNothing: true},
		"POST /t/{tenant}/brands/{brand}/verify":           {values: map[string]string{"brand": f.pinBrand}, form: url.Values{"pin": {sim.SimPIN}}, action: smsadmin.ActionBrandVerify},
		"POST /t/{tenant}/brands/{brand}/resend":           {values: map[string]string{"brand": f.emailBrand}, action: smsadmin.ActionBrandResend},
		"POST /t/{tenant}/brands/{brand}/delete":           {action: smsadmin.ActionBrandDelete, each: func() map[string]string { return map[string]string{"brand": f.newDraftBrand()} }},
		"POST /t/{tenant}/campaigns":                       {form: newCampaign, action: smsadmin.ActionCampaignCreate},
		"POST /t/{tenant}/campaigns/{campaign}":            {values: map[string]string{"campaign": f.draftCampaign}, form: campaignForm, action: smsadmin.ActionCampaignUpdate},
		"POST /t/{tenant}/campaigns/check":                 {form: newCampaign, changesNothing: true},
		"POST /t/{tenant}/campaigns/{campaign}/check":      {values: map[string]string{"campaign": f.draftCampaign}, form: campaignForm, changesNothing: true},
		"POST /t/{tenant}/campaigns/{campaign}/delete":     {action: smsadmin.ActionCampaignDelete, each: func() map[string]string { return map[string]string{"campaign": f.newDraftCampaign()} }},
		"POST /t/{tenant}/campaigns/{campaign}/limit":      {form: url.Values{"number_limit": {"60"}}, action: smsadmin.ActionCampaignLimit},
		"GET /t/{tenant}/campaigns/{campaign}/deactivate":  {},
		"POST /t/{tenant}/campaigns/{campaign}/deactivate": {form: url.Values{"confirm": {"true"}}, action: smsadmin.ActionCampaignDeactivate},

		"GET /t/{tenant}/troubleshooting": {},
		"GET /t/{tenant}/audit":           {},

		"GET /t/{tenant}/notifications": {},
		"POST /t/{tenant}/notifications/webhooks": {form: url.Values{"url": {"https://hooks.example.com/x"}, "events": {smsadmin.EventBrandVerified, smsadmin.EventNumberDropped},
			"description": {"Our CRM"}}, action: smsadmin.ActionWebhookCreate},
		"POST /t/{tenant}/notifications/webhooks/{webhook}/test": {notAudited: true},
		"POST /t/{tenant}/notifications/webhooks/{webhook}/enabled": {values: map[string]string{"webhook": f.toggle}, form: url.Values{"enabled": {"false"}},
			action: smsadmin.ActionWebhookUpdate},
		"POST /t/{tenant}/notifications/webhooks/{webhook}/rotate": {action: smsadmin.ActionWebhookRotate},
		"POST /t/{tenant}/notifications/webhooks/{webhook}/delete": {action: smsadmin.ActionWebhookDelete,
			each: func() map[string]string { return map[string]string{"webhook": f.newWebhook()} }},
		"POST /t/{tenant}/notifications/deliveries/{delivery}/retry": {form: url.Values{"webhook": {f.values["webhook"]}}, notAudited: true},
		"POST /t/{tenant}/notifications/mail":                        {form: url.Values{"registration": {"on"}}, action: smsadmin.ActionAccountMail},
		"GET /mail/unsubscribe":                                      {path: "/mail/unsubscribe?token=" + url.QueryEscape(f.unsubscribe)},
		"POST /mail/unsubscribe":                                     {form: url.Values{"token": {f.unsubscribe}}},

		"/": {path: "/no-such-page", notFound: true},
	}
}

// tenantOfLocation reads the tenant a redirect goes to (/t/ID/...).
func tenantOfLocation(r *httptest.ResponseRecorder) string {
	rest, _ := strings.CutPrefix(r.Header().Get("Location"), "/t/")
	id, _, _ := strings.Cut(rest, "/")
	return id
}

// caller is one kind of person in the access matrix.
type caller int

const (
	anonymous   caller = iota
	supportAcc         // a support account
	tenantAdmin        // an admin of the tenant in the path
	otherAdmin         // an admin of another tenant
)

var callers = []caller{anonymous, supportAcc, tenantAdmin, otherAdmin}

func (c caller) String() string {
	return [...]string{"anonymous", "support", "admin of the tenant", "admin of another tenant"}[c]
}

// refusal is the status with which a route of access acc refuses c (303:
// sent to sign in), or 0 when c may use it.
func refusal(acc console.Access, c caller) int {
	switch {
	case acc == console.Public:
		return 0
	case c == anonymous:
		return http.StatusSeeOther
	case acc == console.SignedIn, c == supportAcc:
		return 0
	case acc == console.Support:
		return http.StatusForbidden
	case c == otherAdmin:
		// Another tenant's pages are not found: the answer does not say
		// whether the tenant exists.
		return http.StatusNotFound
	}
	return 0
}

// TestRouteAccess holds every route of the console to its Access, for
// each kind of caller: anonymous is sent to sign in, an admin is refused
// support's pages, another tenant's admin gets 404, and those allowed are
// not refused. A route without a sample fails.
func TestRouteAccess(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	sessions := map[caller]*session{supportAcc: f.signInAs(f.support), tenantAdmin: f.signInAs(f.admin), otherAdmin: f.signInAs(f.otherAdmin)}
	accounts := map[caller]*smsadmin.Account{supportAcc: f.support, tenantAdmin: f.admin, otherAdmin: f.otherAdmin}
	samples := f.samples()
	seen := map[string]bool{}
	for _, rt := range f.con.Routes() {
		seen[rt.Pattern] = true
		t.Run(rt.Pattern, func(t *testing.T) {
			switch rt.Access {
			case console.Public, console.SignedIn, console.Support, console.Tenant:
			default:
				t.Fatalf("%s declares no Access (%v): say who may use it in console.go", rt.Pattern, rt.Access)
			}
			s, ok := samples[rt.Pattern]
			if !ok {
				t.Fatalf("%s has no sample request in handler_test.go: add one, and the audit action of a change", rt.Pattern)
			}
			for _, c := range callers {
				method, path := f.freshPath(t, rt, s)
				sess := sessions[c]
				if s.fresh && c != anonymous {
					sess = f.signInAs(accounts[c])
				}
				r := f.do(method, path, sess, s.form, true)
				want := refusal(rt.Access, c)
				switch {
				case s.notFound:
					if r.Code != http.StatusNotFound {
						t.Errorf("%s %s as %s = %d, want 404", method, path, c, r.Code)
					}
				case want == http.StatusSeeOther:
					if !toSignIn(r) {
						t.Errorf("%s %s as %s = %d (Location %q), want 303 to /signin", method, path, c, r.Code, r.Header().Get("Location"))
					}
				case want != 0:
					if r.Code != want {
						t.Errorf("%s %s as %s (access %v) = %d, want %d\n%s", method, path, c, rt.Access, r.Code, want, excerpt(r))
					}
				default:
					if r.Code == http.StatusForbidden || r.Code == http.StatusNotFound || r.Code == http.StatusUnauthorized || r.Code >= 500 || toSignIn(r) {
						t.Errorf("%s %s as %s (access %v) = %d (Location %q), want an answer that is not a refusal\n%s",
							method, path, c, rt.Access, r.Code, r.Header().Get("Location"), excerpt(r))
					}
				}
			}
		})
	}
	for p := range samples {
		if !seen[p] {
			t.Errorf("sample for %s, which is not a route of the console", p)
		}
	}
}

// sameSite are the headers a request from the console's own pages, or
// from a script, may come with: htmx's, a same-origin Origin, Referer or
// Sec-Fetch-Site, X-Requested-With, an empty token header. Each passes
// http.CrossOriginProtection, so that what must refuse a change without
// the session's CSRF token is the token's check, and none of them stands
// in for the token.
var sameSite = []struct {
	name   string
	header http.Header
}{
	{"no header", nil},
	{"htmx", http.Header{"HX-Request": {"true"}, "HX-Current-URL": {"http://example.com/"}, "HX-Target": {"alert"}, "HX-Trigger": {"save"}}},
	{"htmx boosted", http.Header{"HX-Request": {"true"}, "HX-Boosted": {"true"}}},
	{"same origin", http.Header{"Origin": {"http://example.com"}, "Referer": {"http://example.com/"}}},
	{"same-origin fetch", http.Header{"Sec-Fetch-Site": {"same-origin"}, "Sec-Fetch-Mode": {"cors"}}},
	{"typed address", http.Header{"Sec-Fetch-Site": {"none"}}},
	{"script", http.Header{"X-Requested-With": {"XMLHttpRequest"}}},
	{"empty token header", http.Header{"X-CSRF-Token": {""}, "HX-Request": {"true"}}},
	{"all of them", http.Header{"HX-Request": {"true"}, "HX-Boosted": {"true"}, "HX-Current-URL": {"http://example.com/"},
		"Origin": {"http://example.com"}, "Referer": {"http://example.com/"}, "Sec-Fetch-Site": {"same-origin"},
		"X-Requested-With": {"XMLHttpRequest"}}},
}

// withHeader is h with key set to value.
func withHeader(h http.Header, key, value string) http.Header {
	out := h.Clone()
	if out == nil {
		out = http.Header{}
	}
	out.Set(key, value)
	return out
}

// TestRouteCSRF sends every change a signed-in person may make, as a
// session allowed to make it, without the session's CSRF token, with
// another session's (in the form or in htmx's header), and from another
// site: each is refused with 403 and nothing changes, whatever same-site
// headers come with it (sameSite). The other unsafe methods on the same
// paths change nothing either.
func TestRouteCSRF(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin, support := f.signInAs(f.admin), f.signInAs(f.support)
	stranger := f.signInAs(f.spare)
	before := f.audit("")
	samples := f.samples()
	checked := 0
	var fresh []*session
	for _, rt := range f.con.Routes() {
		method, _, _ := strings.Cut(rt.Pattern, " ")
		if method == "GET" || rt.Access == console.Public {
			continue
		}
		s, ok := samples[rt.Pattern]
		if !ok {
			t.Fatalf("%s has no sample request", rt.Pattern)
		}
		_, path := f.path(t, rt, s)
		sess := admin
		if rt.Access == console.Support {
			sess = support
		}
		if s.fresh {
			// A sign-out let through would end the session the other
			// routes are sent with.
			sess = f.signInAs(sess.account)
			fresh = append(fresh, sess)
		}
		checked++
		t.Run(rt.Pattern, func(t *testing.T) {
			for _, h := range sameSite {
				if r := f.doWith(method, path, sess, s.form, false, h.header); r.Code != http.StatusForbidden || !strings.Contains(r.Body.String(), "did not come from this page") {
					t.Errorf("%s, without the CSRF token: %d\n%s", h.name, r.Code, excerpt(r))
				}
				wrong := cloneValues(s.form)
				wrong.Set("csrf", stranger.csrf)
				if r := f.doWith(method, path, sess, wrong, false, h.header); r.Code != http.StatusForbidden {
					t.Errorf("%s, with another session's CSRF token in the form: %d\n%s", h.name, r.Code, excerpt(r))
				}
				if r := f.doWith(method, path, sess, s.form, false, withHeader(h.header, "X-CSRF-Token", stranger.csrf)); r.Code != http.StatusForbidden {
					t.Errorf("%s, with another session's CSRF token in X-CSRF-Token: %d\n%s", h.name, r.Code, excerpt(r))
				}
				for _, m := range []string{"PUT", "PATCH", "DELETE"} {
					if r := f.doWith(m, path, sess, s.form, false, h.header); r.Code < 400 {
						t.Errorf("%s, %s without the CSRF token: %d\n%s", h.name, m, r.Code, excerpt(r))
					}
				}
			}
			// A form another site's page posts: refused by
			// CrossOriginProtection even with the token.
			form := cloneValues(s.form)
			form.Set("csrf", sess.csrf)
			req := httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			req.AddCookie(&http.Cookie{Name: "__Host-smsadmin_session", Value: sess.cookie})
			w := httptest.NewRecorder()
			f.srv.Config.Handler.ServeHTTP(w, req)
			if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "another website") {
				t.Errorf("from another site: %d\n%s", w.Code, excerpt(w))
			}
		})
	}
	if checked == 0 {
		t.Fatal("no route changes anything")
	}
	if after := f.audit(""); len(after) != len(before) {
		var actions []string
		for _, e := range after[:len(after)-len(before)] {
			actions = append(actions, e.Action)
		}
		t.Errorf("refused requests wrote %d audit entries: %v", len(actions), actions)
	}
	if tenants, err := f.Service.ListTenants(f.Support, smsadmin.PageRequest{Limit: 10}); err != nil || len(tenants.Items) != 2 {
		t.Errorf("tenants after refused requests: %d, %v", len(tenants.Items), err)
	}
	for _, s := range append(fresh, admin, support) {
		if _, _, err := f.Service.SessionActor(context.Background(), s.cookie); err != nil {
			t.Errorf("the session of %s after refused requests: %v", s.account.Email, err)
		}
	}
}

// TestRouteChangesAudited makes each change the console offers, as the
// account allowed to (an admin of the tenant, or support where only
// support may), and finds it in the audit log with the account as actor.
func TestRouteChangesAudited(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin, support := f.signInAs(f.admin), f.signInAs(f.support)
	samples := f.samples()
	for _, rt := range f.con.Routes() {
		method, _, _ := strings.Cut(rt.Pattern, " ")
		s, ok := samples[rt.Pattern]
		if method == "GET" || rt.Access == console.Public || rt.Access == console.SignedIn {
			continue // sign-in and sign-out change no tenant's data
		}
		t.Run(rt.Pattern, func(t *testing.T) {
			if ok && s.changesNothing {
				_, path := f.path(t, rt, s)
				before := f.audit("")
				if r := f.do(method, path, admin, s.form, true); r.Code != http.StatusOK {
					t.Errorf("%s as %s = %d\n%s", path, admin.account.Email, r.Code, excerpt(r))
				}
				if after := f.audit(""); len(after) != len(before) {
					t.Errorf("%s, which changes nothing, wrote %d audit entries", path, len(after)-len(before))
				}
				return
			}
			if ok && s.notAudited {
				_, path := f.path(t, rt, s)
				if r := f.do(method, path, admin, s.form, true); r.Code >= 400 || toSignIn(r) {
					t.Errorf("%s as %s = %d\n%s", path, admin.account.Email, r.Code, excerpt(r))
				}
				return
			}
			if !ok || s.action == "" {
				t.Fatalf("%s changes something: its sample must name the audit action it writes", rt.Pattern)
			}
			sess := admin
			if rt.Access == console.Support {
				sess = support
			}
			_, path := f.freshPath(t, rt, s)
			before := f.audit(s.action)
			r := f.do(method, path, sess, s.form, true)
			if r.Code >= 400 || toSignIn(r) {
				t.Fatalf("%s as %s = %d\n%s", path, sess.account.Email, r.Code, excerpt(r))
			}
			var entries []*smsadmin.AuditEntry
			if s.auditTenant != nil {
				p, err := f.Service.ListAudit(f.Support, s.auditTenant(r), smsadmin.AuditFilter{Action: s.action}, smsadmin.PageRequest{Limit: 100})
				if err != nil {
					t.Fatal(err)
				}
				entries = p.Items
			} else if entries = f.audit(s.action); len(entries) <= len(before) {
				entries = nil
			}
			if len(entries) == 0 {
				t.Fatalf("no new %s audit entry after %s", s.action, path)
			}
			if got := entries[0]; got.Actor != sess.account.ID || got.ActorName != sess.account.Name {
				t.Errorf("%s audit entry by %s (%s), want the account %s (%s)", s.action, got.Actor, got.ActorName, sess.account.ID, sess.account.Name)
			}
		})
	}
}

// TestSessionExpires: on the service's clock, a session ends after its
// lifetime; the next page sends the person to sign in, saying why and
// with where to come back to, and a form sent then changes nothing.
func TestSessionExpires(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	s := f.signInAs(f.admin)
	users := "/t/" + f.acme.ID + "/users"
	if r := f.do("GET", users, s, nil, false); r.Code != http.StatusOK {
		t.Fatalf("GET %s = %d before the session ends", users, r.Code)
	}
	f.Clock.Advance(sessionTTL - 1)
	if r := f.do("GET", users, s, nil, false); r.Code != http.StatusOK {
		t.Fatalf("GET %s = %d a moment before the session ends", users, r.Code)
	}
	f.Clock.Advance(1)
	r := f.do("GET", users+"?q=ann", s, nil, false)
	if !toSignIn(r) {
		t.Fatalf("GET %s after the session ended = %d, want 303 to /signin", users, r.Code)
	}
	loc, _ := url.Parse(r.Header().Get("Location"))
	if loc.Query().Get("next") != users+"?q=ann" || !strings.Contains(loc.Query().Get("why"), "session has ended") {
		t.Errorf("sent to %s", loc)
	}
	if c := r.Result().Cookies(); len(c) != 1 || c[0].MaxAge >= 0 {
		t.Errorf("the session cookie is not cleared: %v", c)
	}
	// htmx's poll is told to load the sign-in page.
	req := httptest.NewRequest("GET", "/t/"+f.acme.ID+"/sms?live=1", nil)
	req.Header.Set("HX-Request", "true")
	req.AddCookie(&http.Cookie{Name: "__Host-smsadmin_session", Value: s.cookie})
	w := httptest.NewRecorder()
	f.srv.Config.Handler.ServeHTTP(w, req)
	if w.Code != http.StatusUnauthorized || !strings.HasPrefix(w.Header().Get("HX-Redirect"), "/signin?") {
		t.Errorf("htmx after the session ended = %d, HX-Redirect %q", w.Code, w.Header().Get("HX-Redirect"))
	}
	// A change sent with the ended session does nothing.
	before := f.audit(smsadmin.ActionNumberSMSEnable)
	if r := f.do("POST", "/t/"+f.acme.ID+"/users/"+f.ann+"/sms", s, url.Values{"number": {f.annNumber}, "enabled": {"true"}}, true); !toSignIn(r) {
		t.Errorf("a change after the session ended = %d, want 303 to /signin", r.Code)
	}
	if after := f.audit(smsadmin.ActionNumberSMSEnable); len(after) != len(before) {
		t.Errorf("a change with an ended session was made")
	}
}

// TestSignOutEndsTheSession: signing out ends the session on the server,
// not only in the browser. The answer clears the cookie; the store then
// holds the session as revoked (or not at all); and the old cookie,
// replayed with its CSRF token, opens no page and makes no change on any
// route of the console (sent to sign in, htmx told to load the sign-in
// page), while another session of the same account goes on.
func TestSignOutEndsTheSession(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	admin, support := f.signInAs(f.admin), f.signInAs(f.support)
	other := f.signInAs(f.admin)
	for _, s := range []*session{admin, support} {
		r := f.do("POST", "/signout", s, nil, true)
		if loc, _ := url.Parse(r.Header().Get("Location")); r.Code != http.StatusSeeOther || loc == nil || loc.Path != "/signin" {
			t.Fatalf("signing out %s = %d to %q, want 303 to /signin", s.account.Email, r.Code, r.Header().Get("Location"))
		}
		if c := r.Result().Cookies(); len(c) != 1 || c[0].Name != "__Host-smsadmin_session" || c[0].MaxAge >= 0 || c[0].Value != "" {
			t.Errorf("signing out %s does not clear the session cookie: %v", s.account.Email, c)
		}
		var sess *smsadmin.Session
		err := f.Store.View(ctx, func(tx smsadmin.Tx) error {
			var err error
			sess, err = tx.SessionGetByTokenHash(ctx, smsadmin.HashToken(s.cookie))
			return err
		})
		switch {
		case smsadmin.ErrorCode(err) == smsadmin.CodeNotFound:
		case err != nil:
			t.Fatal(err)
		case sess.RevokedAt == nil || sess.Usable(f.Clock.Now()):
			t.Errorf("the session of %s after signing out: revoked at %v, expires at %v: still usable", s.account.Email, sess.RevokedAt, sess.ExpiresAt)
		}
		if _, _, err := f.Service.SessionActor(ctx, s.cookie); smsadmin.ErrorCode(err) != smsadmin.CodeUnauthorized {
			t.Errorf("SessionActor of %s after signing out = %v, want unauthorized", s.account.Email, err)
		}
	}
	before := f.audit("")
	samples := f.samples()
	for _, rt := range f.con.Routes() {
		if rt.Access == console.Public {
			continue
		}
		s, ok := samples[rt.Pattern]
		if !ok {
			t.Fatalf("%s has no sample request", rt.Pattern)
		}
		method, path := f.path(t, rt, s)
		old := admin
		if rt.Access == console.Support {
			old = support
		}
		if r := f.do(method, path, old, s.form, true); !toSignIn(r) {
			t.Errorf("%s %s with the cookie of a session signed out = %d (Location %q), want 303 to /signin\n%s",
				method, path, r.Code, r.Header().Get("Location"), excerpt(r))
		}
		r := f.doWith(method, path, old, s.form, true, http.Header{"HX-Request": {"true"}})
		if r.Code != http.StatusUnauthorized || !strings.HasPrefix(r.Header().Get("HX-Redirect"), "/signin?") {
			t.Errorf("%s %s from htmx with the cookie of a session signed out = %d, HX-Redirect %q, want 401 to /signin",
				method, path, r.Code, r.Header().Get("HX-Redirect"))
		}
	}
	if after := f.audit(""); len(after) != len(before) {
		var actions []string
		for _, e := range after[:len(after)-len(before)] {
			actions = append(actions, e.Action)
		}
		t.Errorf("requests with sessions signed out wrote %d audit entries: %v", len(actions), actions)
	}
	if tenants, err := f.Service.ListTenants(f.Support, smsadmin.PageRequest{Limit: 10}); err != nil || len(tenants.Items) != 2 {
		t.Errorf("tenants after requests with sessions signed out: %d, %v", len(tenants.Items), err)
	}
	if r := f.do("GET", "/t/"+f.acme.ID+"/users", other, nil, false); r.Code != http.StatusOK {
		t.Errorf("another session of the account signed out = %d, want 200: signing out ends one session", r.Code)
	}
}

// A console account is an admin of one tenant or support: support cannot
// make one with a user's role, which would read no tenant's pages.
func TestNoUserRoleAccount(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	s := f.signInAs(f.support)
	r := f.do("POST", "/accounts", s, url.Values{"role": {"user"}, "tenant_id": {f.acme.ID}, "email": {"uma@acme.example.com"},
		"name": {"Uma User"}, "password": {password}}, true)
	if r.Code != http.StatusUnprocessableEntity || !strings.Contains(r.Body.String(), "The role must be admin or support") {
		t.Errorf("POST /accounts with role user = %d\n%s", r.Code, excerpt(r))
	}
	if _, _, err := f.Service.SignIn(context.Background(), "uma@acme.example.com", password, sessionTTL); smsadmin.ErrorCode(err) != smsadmin.CodeUnauthorized {
		t.Errorf("signing in as the refused account: %v", err)
	}
}

// TestSignInStaysOnThisSite: where to go after signing in is a path of
// this site; any other address sends the person home.
func TestSignInStaysOnThisSite(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for next, want := range map[string]string{
		"/t/" + e.acme.ID + "/sms?status=pending": "/t/" + e.acme.ID + "/sms?status=pending",
		"//evil.example.com/x":                    "/",
		"/\\evil.example.com":                     "/",
		"https://evil.example.com/":               "/",
		"/signin?next=//evil.example.com":         "/",
	} {
		r := e.do("POST", "/signin", nil, url.Values{"email": {e.admin.Email}, "password": {password}, "next": {next}}, false)
		if loc := r.Header().Get("Location"); r.Code != http.StatusSeeOther || loc != want {
			t.Errorf("signing in with next %q = %d to %q, want 303 to %q", next, r.Code, loc, want)
		}
	}
}

// TestDeactivateNeedsConfirmation: Deactivate campaign sent without its
// confirmation (R14) changes nothing and answers the confirmation page
// again, saying why.
func TestDeactivateNeedsConfirmation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.acme.VerifiedCampaign("US")
	s := (&fixture{env: e}).signInAs(e.admin)
	path := "/t/" + e.acme.ID + "/campaigns/" + id + "/deactivate"
	r := e.do("POST", path, s, url.Values{}, true)
	if body := r.Body.String(); r.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="consequences"`) || !strings.Contains(body, `class="error"`) {
		t.Errorf("POST %s without confirm = %d\n%s", path, r.Code, excerpt(r))
	}
	if got := e.acme.GetCampaign(id).Status; got != smsadmin.StatusVerified {
		t.Errorf("campaign %s after a deactivation without confirmation", got)
	}
	if got := e.audit(smsadmin.ActionCampaignDeactivate); len(got) != 0 {
		t.Errorf("audit entries of a deactivation without confirmation: %+v", got)
	}
}

// R4 on the user's page: a number on its way out (Disabling Failed) no
// longer counts, so its switch shows SMS off, and the user's number that
// is enabled shows on.
func TestSwitchFollowsR4(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.acme.VerifiedCampaign("US")
	ann := e.acme.LicensedUser("Ann Lee", "+12025550997") // the simulator fails disabling ...0997
	for _, on := range []bool{true, false} {
		if _, err := e.Service.SetUserSMS(e.Support, e.acme.ID, ann, "+12025550997", on); err != nil {
			t.Fatal(err)
		}
		e.Settle(func() bool {
			st := e.acme.NumberStatus("+12025550997")
			return st != smsadmin.NumberPending
		})
	}
	if st := e.acme.NumberStatus("+12025550997"); st != smsadmin.NumberDisablingFailed {
		t.Fatalf("+12025550997 is %s, want disabling_failed", st)
	}
	s := (&fixture{env: e}).signInAs(e.admin)
	body := e.do("GET", "/t/"+e.acme.ID+"/users/"+ann, s, nil, false).Body.String()
	if !regexp.MustCompile(`aria-checked="false" id="toggle-12025550997"`).MatchString(body) {
		t.Errorf("the switch of a number whose disable failed is not off:\n%s", body)
	}
}

// A campaign's save overtaken by its deactivation (R14) elsewhere: the
// service refuses it (campaign_deactivated), the campaign's form is no
// longer shown, and the answer says so in its place, with who deactivated
// it and when, and what was typed, to copy.
func TestCampaignSaveOvertakenByDeactivation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := brand("Acme")
	if err := e.Service.CreateBrand(e.Support, e.acme.ID, b); err != nil {
		t.Fatal(err)
	}
	c := smsadmintest.Campaign(b.ID, "US")
	if err := e.Service.CreateCampaign(e.Support, e.acme.ID, c); err != nil {
		t.Fatal(err)
	}
	s := (&fixture{env: e}).signInAs(e.admin)
	if _, err := e.Service.DeactivateCampaign(e.Support, e.acme.ID, c.ID, true); err != nil {
		t.Fatal(err)
	}
	form := formValues(campaignFields(c))
	form.Set("country", "US")
	form.Set("description", "Typed here: weekdays only.")
	r := e.do("POST", "/t/"+e.acme.ID+"/campaigns/"+c.ID, s, form, true)
	body := r.Body.String()
	if r.Code != http.StatusUnprocessableEntity {
		t.Errorf("POST of the deactivated campaign's form = %d, want 422", r.Code)
	}
	for _, want := range []string{`id="overtaken"`, `role="alert">Your changes were not saved: Campaign ` + c.ID + ` is deactivated`,
		"It was deactivated by support (support) at 4 Mar 2026 05:06 UTC.", "<dd>Typed here: weekdays only.</dd>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the answer does not hold %q:\n%s", want, excerpt(r))
		}
	}
	if strings.Contains(body, `id="campaign-`+c.ID+`"`) {
		t.Errorf("the answer shows the deactivated campaign's form")
	}
}

// oobID finds the live regions in a poll's answer (and its poller):
// the id of each element that htmx swaps in out of band.
var oobID = regexp.MustCompile(`id="([^"]+)"[^>]*hx-swap-oob`)

// TestLivePollSendsWhatChanged: the SMS page's poll, sent with the ETag of
// what it was last sent, is answered 304 while nothing changed, and else
// with the regions that changed alone, and a new poller: a number's status
// is the numbers table, a brand registered elsewhere the registration's
// regions. A poll with no ETag gets every region.
func TestLivePollSendsWhatChanged(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.acme.LicensedUser("Ann Lee", "+12025550142")
	s := e.signInAs(e.admin)
	// poll polls the SMS page as its poller holding etag, and returns the
	// answer's status, the ids of its regions and its ETag.
	poll := func(etag string) (int, string, string) {
		t.Helper()
		req := httptest.NewRequest("GET", "/t/"+e.acme.ID+"/sms?live=1", nil)
		req.Header.Set("HX-Request", "true")
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		req.AddCookie(&http.Cookie{Name: "__Host-smsadmin_session", Value: s.cookie})
		w := httptest.NewRecorder()
		e.srv.Config.Handler.ServeHTTP(w, req)
		var ids []string
		for _, m := range oobID.FindAllStringSubmatch(w.Body.String(), -1) {
			ids = append(ids, m[1])
		}
		return w.Code, strings.Join(ids, " "), w.Header().Get("ETag")
	}
	// want checks a poll's answer.
	want := func(what string, code int, ids string, gotCode int, gotIDs string) {
		t.Helper()
		if gotCode != code || gotIDs != ids {
			t.Errorf("%s: the poll = %d with %q, want %d with %q", what, gotCode, gotIDs, code, ids)
		}
	}

	code, ids, etag := poll("")
	want("with no ETag", http.StatusOK, "registration-state registration-forms new-campaign campaigns numbers-counts numbers-table poller", code, ids)
	code, ids, _ = poll(etag)
	want("nothing changed", http.StatusNotModified, "", code, ids)

	if _, err := e.Service.EnableNumbers(e.Support, e.acme.ID, []string{"+12025550142"}); err != nil {
		t.Fatal(err)
	}
	code, ids, etag = poll(etag)
	want("a number's status changed", http.StatusOK, "numbers-counts numbers-table poller", code, ids)

	if err := e.Service.CreateBrand(e.Support, e.acme.ID, brand("Acme")); err != nil {
		t.Fatal(err)
	}
	code, ids, etag = poll(etag)
	want("a brand registered", http.StatusOK, "registration-state registration-forms new-campaign poller", code, ids)
	code, ids, _ = poll(etag)
	want("nothing changed since", http.StatusNotModified, "", code, ids)
}
