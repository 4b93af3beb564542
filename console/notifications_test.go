package console_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"smsadmin"
	"smsadmin/console"
	"smsadmin/internal/web"
	"smsadmin/outbox"
)

// These tests hold the Notifications page (R25) to what it offers: the
// tenant's webhooks with their latest deliveries and what may be done to
// each, a webhook's signing secret shown once, the refusals of the
// Service next to the form, another tenant's webhooks out of reach, the
// account's email choices, and the one-click unsubscribe of an email.

// hookURL is a webhook address the Service takes without connecting to it.
const hookURL = "https://hooks.example.com/x"

// secretShown finds a signing secret on a page.
var secretShown = regexp.MustCompile(`id="secret-value">([^<]+)<`)

// shownSecret is the signing secret on page, as a browser shows it
// (html/template writes its + as &#43;), or "".
func shownSecret(page string) string {
	m := secretShown.FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// holdsSecret reports whether page shows secret anywhere.
func holdsSecret(page, secret string) bool {
	return strings.Contains(html.UnescapeString(page), secret)
}

// notificationsPath is the Notifications page of Acme.
func (e *env) notificationsPath() string { return "/t/" + e.acme.ID + "/notifications" }

// answering is an http.RoundTripper that answers every request with
// status and body, and counts them: a webhook endpoint, without a network.
type answering struct {
	status int
	body   string
	n      int
}

func (a *answering) RoundTrip(r *http.Request) (*http.Response, error) {
	a.n++
	return &http.Response{StatusCode: a.status, Body: io.NopCloser(strings.NewReader(a.body)), Header: http.Header{}, Request: r}, nil
}

// deliver runs a deliverer whose endpoints answer with a's status once.
func (e *env) deliver(a *answering) {
	e.t.Helper()
	d := outbox.New(outbox.Config{Service: e.Service, Clock: e.Clock, Client: &http.Client{Transport: a}, Owner: "console-test", Logger: e.Logger})
	if _, err := d.RunOnce(context.Background()); err != nil {
		e.t.Fatal(err)
	}
}

// TestNotificationsPage: an admin's Notifications page lists each webhook
// with what it gets, how it stands and its latest deliveries (the last
// attempt's answer, its latency), with the buttons of each; every page of
// the tenant links it, and the header's bell shows the latest events.
func TestNotificationsPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u, desc, events := hookURL, "Our CRM", []string{smsadmin.EventBrandVerified, smsadmin.EventNumberDropped}
	hook, _, err := e.Service.CreateWebhook(e.Support, e.acme.ID, smsadmin.WebhookInput{URL: &u, Description: &desc, Events: &events})
	if err != nil {
		t.Fatal(err)
	}
	all := "https://hooks.example.com/all"
	if _, _, err := e.Service.CreateWebhook(e.Support, e.acme.ID, smsadmin.WebhookInput{URL: &all}); err != nil {
		t.Fatal(err)
	}
	d, err := e.Service.TestWebhook(e.Support, e.acme.ID, hook.ID)
	if err != nil {
		t.Fatal(err)
	}
	down := &answering{status: http.StatusServiceUnavailable, body: "down for maintenance"}
	e.deliver(down)
	if down.n != 1 {
		t.Fatalf("the endpoint was posted %d times, want once", down.n)
	}
	s := e.signInAs(e.admin)
	r := e.do("GET", e.notificationsPath(), s, nil, false)
	body := r.Body.String()
	if r.Code != http.StatusOK {
		t.Fatalf("GET %s = %d\n%s", e.notificationsPath(), r.Code, excerpt(r))
	}
	for _, want := range []string{
		`<h3 id="webhook-` + hook.ID + `-h"><code>https://hooks.example.com/x</code></h3>`,
		"<p>Our CRM</p>", "<code>brand.verified</code>, <code>number.dropped</code>", "All events",
		`<span class="badge ok">Enabled</span>`, `<span class="badge bad">Failing</span>`, "<dt>Failing since</dt><dd>4 Mar 2026 05:06 UTC: its deliveries wait",
		`<tr id="delivery-` + d.ID + `">`, "Webhook test <code>webhook.test</code>", `<span class="badge wait">Pending</span>`,
		"<td>1</td>", "HTTP 503", " ms</td>",
		">Send test</button>", ">Disable</button>", ">Rotate secret</button>", ">Delete webhook</button>", ">Retry</button>",
		`action="/t/` + e.acme.ID + `/notifications/deliveries/` + d.ID + `/retry"`,
		`name="csrf" value="` + s.csrf + `"`,
		// The form to add one, and the email choices (on by default).
		`<input id="wh-url" name="url"`, `id="wh-events-brand.verified" name="events" value="brand.verified"`,
		`id="mail-registration" name="registration" value="on" checked`, `id="mail-failures" name="failures" value="on" checked`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page does not hold %q", want)
		}
	}
	// The secret is never on the page.
	if holdsSecret(body, hook.Secret) || strings.Contains(body, `id="secret-value"`) {
		t.Errorf("the page shows a webhook's secret")
	}
	if strings.Contains(body, "down for maintenance") {
		t.Errorf("the page shows the endpoint's answer")
	}
	// Every page of the tenant links the page, and its bell lists the
	// latest events, in words, linked to their page.
	users := e.do("GET", "/t/"+e.acme.ID+"/users", s, nil, false).Body.String()
	for _, want := range []string{`<a href="/t/` + e.acme.ID + `/notifications" >Notifications</a>`, `<details class="bell">`,
		"Notifications (1)</summary>", `<a href="/t/` + e.acme.ID + `/notifications">Webhook test</a>`} {
		if !strings.Contains(users, want) {
			t.Errorf("the users page does not hold %q", want)
		}
	}
	if !strings.Contains(body, `aria-current="page">Notifications</a>`) {
		t.Errorf("the Notifications page is not marked current in the navigation")
	}
	// A fragment for htmx, and a poll, do not read the bell.
	for _, path := range []string{"/t/" + e.acme.ID + "/users?q=ann", "/t/" + e.acme.ID + "/sms?live=1"} {
		r := e.doWith("GET", path, s, nil, false, htmx)
		if strings.Contains(r.Body.String(), `class="bell"`) {
			t.Errorf("GET %s from htmx holds the bell", path)
		}
	}
}

// TestCreateWebhookShowsSecretOnce: the form adds a webhook and its
// answer (no redirect: the secret is in no URL) shows the signing secret,
// saying it will not be shown again; a reload does not show it. Rotating
// shows the new one once too.
func TestCreateWebhookShowsSecretOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.signInAs(e.admin)
	r := e.do("POST", e.notificationsPath()+"/webhooks", s, url.Values{"url": {hookURL}, "events": {smsadmin.EventCampaignVerified},
		"description": {"Our CRM"}}, true)
	body := r.Body.String()
	if r.Code != http.StatusOK || r.Header().Get("Location") != "" {
		t.Fatalf("adding a webhook = %d (Location %q)\n%s", r.Code, r.Header().Get("Location"), excerpt(r))
	}
	hooks, err := e.Service.ListWebhooks(e.Support, e.acme.ID, smsadmin.PageRequest{Limit: 10})
	if err != nil || len(hooks.Items) != 1 {
		t.Fatalf("webhooks after adding one: %d, %v", len(hooks.Items), err)
	}
	hook := hooks.Items[0]
	if hook.URL != hookURL || hook.Description != "Our CRM" || len(hook.Events) != 1 || hook.Events[0] != smsadmin.EventCampaignVerified {
		t.Errorf("the webhook added: %+v", hook)
	}
	if got := shownSecret(body); got != hook.Secret {
		t.Fatalf("the answer shows the secret %q, want the webhook's", got)
	}
	if !strings.Contains(body, "it will not be shown again") {
		t.Errorf("the answer does not say the secret will not be shown again")
	}
	if got := e.audit(smsadmin.ActionWebhookCreate); len(got) != 1 || got[0].Actor != e.admin.ID {
		t.Errorf("webhook.create audit entries: %+v", got)
	}
	if strings.Contains(string(e.audit(smsadmin.ActionWebhookCreate)[0].After), hook.Secret) {
		t.Errorf("the audit log holds the secret")
	}
	reload := e.do("GET", e.notificationsPath(), s, nil, false).Body.String()
	if holdsSecret(reload, hook.Secret) || strings.Contains(reload, `id="secret-value"`) {
		t.Errorf("a reload shows the secret again")
	}
	if !strings.Contains(reload, "<code>"+hookURL+"</code>") {
		t.Errorf("the page does not list the webhook added")
	}

	r = e.do("POST", e.notificationsPath()+"/webhooks/"+hook.ID+"/rotate", s, nil, true)
	shown := shownSecret(r.Body.String())
	hook2, err := e.Service.GetWebhook(e.Support, e.acme.ID, hook.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Code != http.StatusOK || shown != hook2.Secret || hook2.Secret == hook.Secret {
		t.Fatalf("rotating = %d, showing %q; the secret was %q, is %q\n%s", r.Code, shown, hook.Secret, hook2.Secret, excerpt(r))
	}
	if !strings.Contains(r.Body.String(), "The old secret still signs") {
		t.Errorf("the answer to a rotation does not say the old secret goes on signing a while")
	}
	if reload := e.do("GET", e.notificationsPath(), s, nil, false).Body.String(); holdsSecret(reload, hook2.Secret) || holdsSecret(reload, hook.Secret) {
		t.Errorf("a reload shows the rotated secret again")
	}
}

// TestCreateWebhookRefused: the Service's refusal of an http address is
// shown next to the URL field, with the form as sent; nothing is added.
// Too many webhooks is said above the form.
func TestCreateWebhookRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.signInAs(e.admin)
	r := e.do("POST", e.notificationsPath()+"/webhooks", s, url.Values{"url": {"http://hooks.example.com/x"}, "events": {smsadmin.EventBrandRejected},
		"description": {"Plain"}}, true)
	body := r.Body.String()
	if r.Code != http.StatusUnprocessableEntity {
		t.Fatalf("an http URL = %d, want 422\n%s", r.Code, excerpt(r))
	}
	for _, want := range []string{`<p class="error" id="wh-url-error">webhook url must use https, not http</p>`,
		`value="http://hooks.example.com/x" aria-invalid="true" aria-describedby="wh-url-hint wh-url-error"`,
		`id="wh-events-brand.rejected" name="events" value="brand.rejected" checked`, ">Plain</textarea>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the answer does not hold %q\n%s", want, excerpt(r))
		}
	}
	if strings.Contains(body, `id="secret-value"`) {
		t.Errorf("a refusal shows a secret")
	}
	// A private address, and an unknown event type.
	for _, c := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"url": {"https://10.0.0.1/x"}}, `id="wh-url-error"`},
		{url.Values{"url": {hookURL}, "events": {"brand.exploded"}}, `id="wh-events-error">&#34;brand.exploded&#34; is not an event type`},
		{url.Values{"url": {hookURL}, "description": {strings.Repeat("d", 501)}}, `id="wh-description-error"`},
	} {
		r := e.do("POST", e.notificationsPath()+"/webhooks", s, c.form, true)
		if r.Code != http.StatusUnprocessableEntity || !strings.Contains(r.Body.String(), c.want) {
			t.Errorf("%v = %d, want 422 with %q\n%s", c.form, r.Code, c.want, excerpt(r))
		}
	}
	if hooks, err := e.Service.ListWebhooks(e.Support, e.acme.ID, smsadmin.PageRequest{Limit: 10}); err != nil || len(hooks.Items) != 0 {
		t.Fatalf("webhooks after refusals: %d, %v", len(hooks.Items), err)
	}
	// The tenant's limit: said above the form.
	for range smsadmin.MaxWebhooksPerTenant {
		e.newWebhook()
	}
	r = e.do("POST", e.notificationsPath()+"/webhooks", s, url.Values{"url": {hookURL}}, true)
	if r.Code != http.StatusConflict || !strings.Contains(r.Body.String(), `<p class="error" role="alert">A tenant may have 20 webhooks`) {
		t.Errorf("a webhook past the limit = %d\n%s", r.Code, excerpt(r))
	}
}

// TestWebhookActions: Send test queues a delivery, Disable and Enable
// turn the webhook off and on (a test of a disabled one is refused by
// it, saying why), Retry sends a delivery again, Delete removes it.
func TestWebhookActions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.signInAs(e.admin)
	id := e.newWebhook()
	hook := e.notificationsPath() + "/webhooks/" + id
	r := e.do("POST", hook+"/test", s, nil, true)
	if r.Code != http.StatusOK || !strings.Contains(r.Body.String(), "A test event is on its way") {
		t.Fatalf("Send test = %d\n%s", r.Code, excerpt(r))
	}
	ds, err := e.Service.ListDeliveries(e.Support, e.acme.ID, id, smsadmin.PageRequest{Limit: 5})
	if err != nil || len(ds.Items) != 1 || ds.Items[0].EventType != smsadmin.EventWebhookTest {
		t.Fatalf("deliveries after Send test: %+v, %v", ds.Items, err)
	}
	if !strings.Contains(r.Body.String(), `id="delivery-`+ds.Items[0].ID+`"`) {
		t.Errorf("the answer does not list the test's delivery")
	}
	ok := &answering{status: http.StatusNoContent}
	e.deliver(ok)
	page := e.do("GET", e.notificationsPath(), s, nil, false).Body.String()
	for _, want := range []string{`<span class="badge ok">Delivered</span>`, "HTTP 204", ">Send again</button>"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page after the delivery does not hold %q", want)
		}
	}
	r = e.do("POST", e.notificationsPath()+"/deliveries/"+ds.Items[0].ID+"/retry", s, url.Values{"webhook": {id}}, true)
	if r.Code != http.StatusOK || !strings.Contains(r.Body.String(), "The webhook.test event is sent again") {
		t.Errorf("Send again = %d\n%s", r.Code, excerpt(r))
	}
	if ds, _ := e.Service.ListDeliveries(e.Support, e.acme.ID, id, smsadmin.PageRequest{Limit: 5}); len(ds.Items) != 2 {
		t.Errorf("deliveries after Send again: %d, want 2", len(ds.Items))
	}

	r = e.do("POST", hook+"/enabled", s, url.Values{"enabled": {"false"}}, true)
	if got, _ := e.Service.GetWebhook(e.Support, e.acme.ID, id); r.Code != http.StatusOK || got.Enabled {
		t.Fatalf("Disable = %d, enabled %v\n%s", r.Code, got.Enabled, excerpt(r))
	}
	body := r.Body.String()
	for _, want := range []string{`<span class="badge off">Disabled</span>`, ", by an admin", ">Enable</button>", "Disabled: it gets no events"} {
		if !strings.Contains(body, want) {
			t.Errorf("the answer to Disable does not hold %q", want)
		}
	}
	if strings.Contains(body, ">Send test</button>") || strings.Contains(body, ">Send again</button>") {
		t.Errorf("a disabled webhook offers to send")
	}
	r = e.do("POST", hook+"/test", s, nil, true)
	if r.Code != http.StatusConflict || !strings.Contains(r.Body.String(), `<p class="error" role="alert">Webhook `+id+` is disabled; enable it to send a test.</p>`) {
		t.Errorf("Send test of a disabled webhook = %d\n%s", r.Code, excerpt(r))
	}
	if r := e.do("POST", hook+"/enabled", s, url.Values{"enabled": {"true"}}, true); r.Code != http.StatusOK {
		t.Errorf("Enable = %d", r.Code)
	} else if got, _ := e.Service.GetWebhook(e.Support, e.acme.ID, id); !got.Enabled {
		t.Errorf("the webhook is not enabled after Enable")
	}

	r = e.do("POST", hook+"/delete", s, nil, true)
	if r.Code != http.StatusOK || !strings.Contains(r.Body.String(), "Webhook "+id+" is deleted") || strings.Contains(r.Body.String(), `id="webhook-`+id+`"`) {
		t.Errorf("Delete = %d\n%s", r.Code, excerpt(r))
	}
	if _, err := e.Service.GetWebhook(e.Support, e.acme.ID, id); smsadmin.ErrorCode(err) != smsadmin.CodeNotFound {
		t.Errorf("the webhook after Delete: %v", err)
	}
	// Deleted twice: not found.
	if r := e.do("POST", hook+"/delete", s, nil, true); r.Code != http.StatusNotFound {
		t.Errorf("Delete of a deleted webhook = %d, want 404", r.Code)
	}
}

// TestWebhooksOfAnotherTenant: another tenant's admin cannot see Acme's
// webhooks, nor act on one or on its deliveries, by Acme's paths or by
// their own tenant's: each is not found, and nothing changes.
func TestWebhooksOfAnotherTenant(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.newWebhook()
	d, err := e.Service.TestWebhook(e.Support, e.acme.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	globex := e.Tenant("Globex").ID
	olga := e.signInAs(e.account(globex, "olga@globex.example.com"))
	before, err := e.Service.GetWebhook(e.Support, e.acme.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	audited := len(e.audit(""))
	if r := e.do("GET", e.notificationsPath(), olga, nil, false); r.Code != http.StatusNotFound || strings.Contains(r.Body.String(), hookURL) {
		t.Errorf("GET Acme's Notifications as Globex's admin = %d\n%s", r.Code, excerpt(r))
	}
	if r := e.do("GET", "/t/"+globex+"/notifications", olga, nil, false); r.Code != http.StatusOK || strings.Contains(r.Body.String(), hookURL) {
		t.Errorf("Globex's own Notifications = %d, or it lists Acme's webhook", r.Code)
	}
	for _, tenant := range []string{e.acme.ID, globex} {
		base := "/t/" + tenant + "/notifications"
		for path, form := range map[string]url.Values{
			base + "/webhooks/" + id + "/test":      nil,
			base + "/webhooks/" + id + "/enabled":   {"enabled": {"false"}},
			base + "/webhooks/" + id + "/rotate":    nil,
			base + "/webhooks/" + id + "/delete":    nil,
			base + "/deliveries/" + d.ID + "/retry": {"webhook": {id}},
			base + "/webhooks":                      {"url": {hookURL}},
		} {
			if tenant == globex && strings.HasSuffix(path, "/webhooks") {
				continue // Globex's admin adds a webhook to Globex
			}
			r := e.do("POST", path, olga, form, true)
			if r.Code != http.StatusNotFound || strings.Contains(r.Body.String(), `id="secret-value"`) {
				t.Errorf("POST %s as Globex's admin = %d, want 404\n%s", path, r.Code, excerpt(r))
			}
		}
	}
	after, err := e.Service.GetWebhook(e.Support, e.acme.ID, id)
	if err != nil {
		t.Fatalf("Acme's webhook after Globex's admin's requests: %v", err)
	}
	if after.Secret != before.Secret || !after.Enabled {
		t.Errorf("Acme's webhook was changed by Globex's admin")
	}
	if ds, _ := e.Service.ListDeliveries(e.Support, e.acme.ID, id, smsadmin.PageRequest{Limit: 5}); len(ds.Items) != 1 {
		t.Errorf("Acme's webhook has %d deliveries, want 1", len(ds.Items))
	}
	if got := e.audit(""); len(got) != audited {
		t.Errorf("Globex's admin's requests wrote %d audit entries of Acme's", len(got)-audited)
	}
}

// myChoices reads the email choices of acc.
func (e *env) myChoices(acc *smsadmin.Account) smsadmin.MailChoices {
	e.t.Helper()
	p, err := e.Service.ListAccounts(e.Support, acc.TenantID, smsadmin.PageRequest{Limit: 100})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, a := range p.Items {
		if a.ID == acc.ID {
			return a.MailChoice()
		}
	}
	e.t.Fatalf("no account %s", acc.ID)
	return smsadmin.MailChoices{}
}

// TestMailChoices: an admin saves what they are emailed about, audited
// as their choice; support is told that email choices are the admins';
// a console told that email is off says so.
func TestMailChoices(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.signInAs(e.admin)
	r := e.do("POST", e.notificationsPath()+"/mail", s, url.Values{"registration": {"on"}}, true)
	body := r.Body.String()
	if r.Code != http.StatusOK || !strings.Contains(body, "Your email choices are saved.") {
		t.Fatalf("saving email choices = %d\n%s", r.Code, excerpt(r))
	}
	if got := e.myChoices(e.admin); got != (smsadmin.MailChoices{Registration: true}) {
		t.Errorf("the choices saved: %+v", got)
	}
	if !strings.Contains(body, `name="registration" value="on" checked`) || strings.Contains(body, `name="failures" value="on" checked`) {
		t.Errorf("the answer does not show the choices saved")
	}
	if got := e.audit(smsadmin.ActionAccountMail); len(got) != 1 || got[0].Actor != e.admin.ID {
		t.Errorf("account.mail audit entries: %+v", got)
	}
	if strings.Contains(body, `id="mail-off"`) {
		t.Errorf("the page says email is off on a console not told so")
	}
	e.do("POST", e.notificationsPath()+"/mail", s, url.Values{}, true)
	if got := e.myChoices(e.admin); got != (smsadmin.MailChoices{}) {
		t.Errorf("the choices with both boxes unchecked: %+v", got)
	}

	// Support: no choice to make.
	sam, err := e.Service.CreateAccount(e.Support, smsadmin.AccountRequest{Role: smsadmin.RoleSupport, Email: "sam@support.example.com",
		Name: "Sam Support", Password: password})
	if err != nil {
		t.Fatal(err)
	}
	support := e.signInAs(sam)
	page := e.do("GET", e.notificationsPath(), support, nil, false).Body.String()
	if !strings.Contains(page, `<p id="mail-why">Email choices belong to the console accounts of a tenant&#39;s admins`) || strings.Contains(page, `id="mail-registration"`) {
		t.Errorf("support's page does not say email choices are the admins'")
	}
	r = e.do("POST", e.notificationsPath()+"/mail", support, url.Values{"registration": {"on"}}, true)
	if r.Code != http.StatusConflict || !strings.Contains(r.Body.String(), "Nothing was saved.") {
		t.Errorf("support saving email choices = %d\n%s", r.Code, excerpt(r))
	}

	// A console told that email is off.
	srv := web.NewServer(web.ServerConfig{Logger: e.Logger})
	con, err := console.New(console.Config{Service: e.Service, Logger: e.Logger, SessionTTL: sessionTTL, MailOff: true})
	if err != nil {
		t.Fatal(err)
	}
	con.Register(srv)
	req := httptest.NewRequest("GET", e.notificationsPath(), nil)
	req.AddCookie(&http.Cookie{Name: "__Host-smsadmin_session", Value: s.cookie})
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req)
	if !strings.Contains(w.Body.String(), `id="mail-off">Email is off on this server: no SMTP server is configured`) ||
		!strings.Contains(w.Body.String(), "--smtp-url") {
		t.Errorf("a console told email is off does not say so:\n%s", w.Body.String())
	}
}

// TestUnsubscribe: an email's link opens a page with a button, which
// changes nothing until pressed; the button, or a mail client's one-click
// POST (RFC 8058: from another origin, no session, no CSRF token, the
// token in the URL), turns every email of the account off. A token
// smsadmin did not make is not found, and changes nothing. The
// cross-origin check lets this route alone go by.
func TestUnsubscribe(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	bob := e.account(e.acme.ID, "bob@acme.example.com")
	system := smsadmin.WithActor(context.Background(), smsadmin.SystemActor("test"))
	tokens := map[*smsadmin.Account]string{}
	for _, a := range []*smsadmin.Account{e.admin, bob} {
		tok, err := e.Service.UnsubscribeToken(system, a)
		if err != nil {
			t.Fatal(err)
		}
		tokens[a] = tok
	}

	link := "/mail/unsubscribe?token=" + url.QueryEscape(tokens[e.admin])
	r := e.do("GET", link, nil, nil, false)
	if r.Code != http.StatusOK || !strings.Contains(r.Body.String(), `<input type="hidden" name="token" value="`+tokens[e.admin]+`">`) ||
		!strings.Contains(r.Body.String(), ">Unsubscribe</button>") {
		t.Fatalf("GET %s = %d\n%s", link, r.Code, excerpt(r))
	}
	if got := e.myChoices(e.admin); got != smsadmin.DefaultMailChoices {
		t.Errorf("opening the link changed the choices: %+v", got)
	}
	// The page's button.
	r = e.do("POST", "/mail/unsubscribe", nil, url.Values{"token": {tokens[e.admin]}}, false)
	if r.Code != http.StatusOK || !strings.Contains(r.Body.String(), "You will get no more emails from smsadmin.") {
		t.Fatalf("the button = %d\n%s", r.Code, excerpt(r))
	}
	if got := e.myChoices(e.admin); got != (smsadmin.MailChoices{}) {
		t.Errorf("the choices after unsubscribing: %+v", got)
	}
	// A mail client's one-click POST, from another origin.
	req := httptest.NewRequest("POST", "/mail/unsubscribe?token="+url.QueryEscape(tokens[bob]), strings.NewReader("List-Unsubscribe=One-Click"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://mail.example.net")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	w := httptest.NewRecorder()
	e.srv.Config.Handler.ServeHTTP(w, req)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "You will get no more emails from smsadmin.") {
		t.Fatalf("a one-click POST = %d\n%s", w.Code, w.Body.String())
	}
	if got := e.myChoices(bob); got != (smsadmin.MailChoices{}) {
		t.Errorf("the choices after a one-click POST: %+v", got)
	}
	if got := e.audit(smsadmin.ActionAccountMail); len(got) != 2 {
		t.Errorf("account.mail audit entries: %d, want 2", len(got))
	}

	// Tokens smsadmin did not make: not found, nothing changed.
	if _, err := e.Service.SetMailChoices(smsadmin.WithActor(context.Background(), smsadmin.Actor{PrincipalID: bob.ID, TenantID: e.acme.ID,
		Role: smsadmin.RoleAdmin, Name: bob.Name}), smsadmin.DefaultMailChoices); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"x.y", tokens[bob] + "x", strings.Replace(tokens[bob], ".", ".A", 1), "", "no-dot"} {
		r := e.do("POST", "/mail/unsubscribe?token="+url.QueryEscape(bad), nil, url.Values{"List-Unsubscribe": {"One-Click"}}, false)
		if r.Code != http.StatusNotFound || !strings.Contains(r.Body.String(), `<p class="error-page">`) {
			t.Errorf("POST with the token %q = %d, want 404 with a sentence\n%s", bad, r.Code, excerpt(r))
		}
	}
	if r := e.do("GET", "/mail/unsubscribe", nil, nil, false); r.Code != http.StatusNotFound {
		t.Errorf("GET /mail/unsubscribe without a token = %d, want 404", r.Code)
	}
	if got := e.myChoices(bob); got != smsadmin.DefaultMailChoices {
		t.Errorf("bad tokens changed the choices: %+v", got)
	}

	// Another Public form from another origin is still refused: the
	// exemption is this route's alone.
	req = httptest.NewRequest("POST", "/signin", strings.NewReader(url.Values{"email": {e.admin.Email}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://mail.example.net")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	w = httptest.NewRecorder()
	e.srv.Config.Handler.ServeHTTP(w, req)
	if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "another website") {
		t.Errorf("a cross-site sign-in = %d, want 403", w.Code)
	}
}
