package console_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"smsadmin"
	"smsadmin/console"
	"smsadmin/smsadmintest"
)

// xss is markup that would run a script, or close an attribute (double
// or single quoted) and open an element, in an answer that wrote it as it
// is. It holds no '+', which html/template writes as an entity too.
const xss = `<script>x</script>"><img src=x onerror=1>' q='1`

// unescaped are the parts of xss that only an answer writing it as it is
// holds: html/template writes < > " ' as entities in text and attributes
// and %-escapes them in a URL, and so must every other writer of the
// console.
var unescaped = []string{"<script>x</script>", "<img src=x onerror=1>", `"><img`, "' q='1"}

// markup is text with markup typed into the service, and where.
type markup struct {
	where, value string
	// hidden is set for text that no page of the console shows: it is
	// only held never to appear as it is.
	hidden bool
}

// markedWorld is the fixture with markup in every field that the service
// accepts text in, or the most hostile text it accepts there (an email
// address takes no < > or ").
type markedWorld struct {
	typed []markup
	// admin and support are sessions of accounts named with markup: an
	// admin of the fixture's tenant, and support.
	admin, support *session
	tenant         string // a tenant named with markup
	// deactivated is a draft campaign deactivated meanwhile: its form
	// sent now is a save overtaken, which shows what was typed.
	deactivated string
}

// mark is tag followed by xss; it is noted as typed at where. No tag
// ends another, so that each text is found as itself.
func (m *markedWorld) mark(where, tag string) string {
	v := tag + xss
	m.typed = append(m.typed, markup{where: where, value: v})
	return v
}

// markEmail is an email address with a quote and an ampersand, the most
// hostile one the service accepts (tag, lower case, names it).
func (m *markedWorld) markEmail(where, tag string) string {
	v := tag + "'q=1&x@example.com"
	m.typed = append(m.typed, markup{where: where, value: v})
	return v
}

// markedWorld types markup into everything of the fixture's tenant that
// takes text: a tenant's name, console accounts, users, a token that acts,
// a message, a brand and campaigns, and so the audit log's details.
func (f *fixture) markedWorld(t *testing.T) *markedWorld {
	t.Helper()
	m := &markedWorld{}
	ctx, tenant := context.Background(), f.acme.ID
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}

	evil := &smsadmin.Tenant{Name: m.mark("tenant name", "tenantname")}
	check(f.Service.CreateTenant(f.Support, evil))
	m.tenant = evil.ID

	admin, err := f.Service.CreateAccount(f.Support, smsadmin.AccountRequest{Role: smsadmin.RoleAdmin, TenantID: tenant,
		Name: m.mark("admin account name", "adminname"), Email: m.markEmail("admin account email", "adminemail"), Password: password})
	check(err)
	support, err := f.Service.CreateAccount(f.Support, smsadmin.AccountRequest{Role: smsadmin.RoleSupport,
		Name: m.mark("support account name", "supportname"), Email: m.markEmail("support account email", "supportemail"), Password: password})
	check(err)
	m.admin, m.support = f.signInAs(admin), f.signInAs(support)

	// Two users: one who can send, one whose SMS a token named with markup
	// turned off (the diagnosis and troubleshooting name who did).
	license := m.mark("user license", "license")
	sender := &smsadmin.User{Name: m.mark("user name", "username"), Email: m.markEmail("user email", "useremail"), License: &license}
	check(f.Service.CreateUser(f.acme.Admin, tenant, sender))
	x2 := "X2"
	off := &smsadmin.User{Name: m.mark("user name", "offname"), Email: m.markEmail("user email", "offemail"), License: &x2}
	check(f.Service.CreateUser(f.acme.Admin, tenant, off))
	const senderNumber, offNumber = "+12025550150", "+12025550151"
	for _, n := range []struct{ user, number string }{{sender.ID, senderNumber}, {off.ID, offNumber}} {
		_, err := f.Service.CreateNumber(f.acme.Admin, tenant, smsadmin.NumberRequest{Number: n.number, UserID: n.user})
		check(err)
	}
	_, token, err := f.Service.CreateToken(f.Support, tenant, smsadmin.TokenRequest{Role: smsadmin.RoleAdmin, Name: m.mark("token name", "tokenname")})
	check(err)
	actor, err := f.Service.Authenticate(ctx, token)
	check(err)
	byToken := smsadmin.WithActor(ctx, actor)
	for _, n := range []struct{ user, number string }{{sender.ID, senderNumber}, {off.ID, offNumber}} {
		_, err := f.Service.SetUserSMS(byToken, tenant, n.user, n.number, true)
		check(err)
	}
	f.acme.WaitStatus(smsadmin.NumberEnabledAssigned, senderNumber, offNumber)
	_, err = f.Service.SetUserSMS(byToken, tenant, off.ID, offNumber, false)
	check(err)
	f.acme.WaitStatus(smsadmin.NumberDisabled, offNumber)
	// The console shows no message: its body is only held never to
	// appear as it is.
	_, err = f.Service.SendMessage(f.acme.Admin, tenant, smsadmin.SendRequest{UserID: sender.ID, To: "+12025550199",
		Body: m.mark("message body", "messagebody")})
	check(err)
	m.typed[len(m.typed)-1].hidden = true

	// A draft brand and a draft campaign, whose forms show every field.
	b := brand(m.mark("brand legal name", "legalname"))
	b.Website = "https://website.example/" + m.mark("brand website", "website")
	b.ContactEmail = m.markEmail("brand contact email", "contactemail")
	b.FirstName, b.LastName = m.mark("brand contact first name", "firstname"), m.mark("brand contact last name", "lastname")
	b.Street, b.City = m.mark("brand street", "street"), m.mark("brand city", "city")
	check(f.Service.CreateBrand(f.acme.Admin, tenant, b))
	c := smsadmintest.Campaign(f.verifiedBrand, "US")
	c.Description = m.mark("campaign description", "description")
	c.SampleMessages = []string{m.mark("sample message", "sampleone"), m.mark("sample message", "sampletwo")}
	c.OptInDescription = m.mark("campaign opt-in", "optin")
	c.HelpMessage = m.mark("HELP message", "helpmessage")
	c.StopMessage = m.mark("STOP message", "stopmessage")
	c.Name = m.mark("campaign name", "campaignname")
	c.PrivacyPolicyURL = "https://privacy.example/" + m.mark("privacy policy address", "privacyurl")
	c.TermsURL = "https://terms.example/" + m.mark("terms address", "termsurl")
	c.OptInMessage = m.mark("opt-in message", "optinmessage")
	check(f.Service.CreateCampaign(f.acme.Admin, tenant, c))

	// A webhook described with markup, at an address with markup in its
	// path (R25): the Notifications page shows both.
	hookDesc := m.mark("webhook description", "webhookdesc")
	hookURL := "https://hooks.example.com/" + m.mark("webhook address", "webhookurl")
	_, _, err = f.Service.CreateWebhook(f.acme.Admin, tenant, smsadmin.WebhookInput{URL: &hookURL, Description: &hookDesc})
	check(err)

	gone := smsadmintest.Campaign(f.verifiedBrand, "US")
	check(f.Service.CreateCampaign(f.acme.Admin, tenant, gone))
	_, err = f.Service.DeactivateCampaign(f.Support, tenant, gone.ID, true)
	check(err)
	m.deactivated = gone.ID
	return m
}

// answer is one request of the test and its answer.
type answer struct {
	what   string
	method string
	htmx   bool // htmx sent it
	r      *httptest.ResponseRecorder
}

// alert reports whether a is htmx's error fragment, put in the page's
// alert area.
func (a answer) alert() bool { return a.r.Header().Get("HX-Retarget") == "#alert" }

// quotes reports whether a's body quotes tag+xss, escaped.
func (a answer) quotes(tag string) bool { return strings.Contains(a.r.Body.String(), quoted(tag)) }

var htmx = http.Header{"HX-Request": {"true"}, "HX-Current-URL": {"http://example.com/"}}

// TestEveryAnswerEscapesUserText types markup into every field the
// service takes text in (markedWorld), then asks for every page and form
// of the console's route table: each GET route as support, as an admin
// and as nobody, whole and as htmx's fragment or poll, with markup in its
// query and in each of its path values (a page not found quotes them);
// each change with markup in every field of its form and in each path
// value, from a form and from htmx (a refusal quotes what was sent, as
// htmx's error fragment or next to its field); and saves of a brand and a
// campaign overtaken, which show what was typed. No answer holds the
// markup as it is, and no answer fails to render; each text typed shows,
// escaped, somewhere, the audit log's details show it as JSON, and each
// writer of a refusal is reached with what was sent (so the test looks
// where it should).
func TestEveryAnswerEscapesUserText(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	m := f.markedWorld(t)
	samples := f.samples()
	var answers []answer
	send := func(method, path string, s *session, form url.Values, header http.Header, what string) {
		t.Helper()
		r := f.doWith(method, path, s, form, s != nil, header)
		answers = append(answers, answer{what: method + " " + path + " " + what, method: method, htmx: header != nil, r: r})
	}
	who := func(s *session) string {
		if s == nil {
			return "as nobody"
		}
		return "as " + string(s.account.Role)
	}
	// routeSession is the session allowed to use rt.
	routeSession := func(rt console.Route) *session {
		switch rt.Access {
		case console.Public:
			return nil
		case console.Support:
			return m.support
		}
		return m.admin
	}
	// variants are rt's path with the fixture's values, in the tenant
	// named with markup, and with markup in each path value in turn
	// (marked).
	type variant struct {
		path, what string
		marked     bool
	}
	variants := func(rt console.Route, s sample) []variant {
		_, path := f.freshPath(t, rt, s)
		out := []variant{{path: path, what: "with the fixture's path values"}}
		for _, p := range pathParam.FindAllStringSubmatch(rt.Pattern, -1) {
			name := p[1]
			if name == "tenant" {
				_, path := f.path(t, rt, sample{path: s.path, values: with(s.values, "tenant", m.tenant)})
				out = append(out, variant{path: path, what: "in the tenant named with markup"})
			}
			_, path := f.path(t, rt, sample{path: s.path, values: with(s.values, name, "pathvalue"+xss)})
			out = append(out, variant{path: path, what: "with markup as its " + name, marked: true})
		}
		return out
	}

	// Changes first, so that the pages read after show what they made:
	// the sample's form with markup in every field, and the sample's form
	// with markup in a path value.
	for _, rt := range f.con.Routes() {
		s, ok := samples[rt.Pattern]
		if !ok {
			t.Fatalf("%s has no sample request", rt.Pattern)
		}
		method, _ := f.path(t, rt, s)
		if method == "GET" {
			continue
		}
		marked := url.Values{}
		for name := range s.form {
			marked.Set(name, "posted"+xss)
		}
		for _, v := range variants(rt, s) {
			for _, h := range []http.Header{nil, htmx} {
				sess := routeSession(rt)
				if s.fresh {
					sess = f.signInAs(sess.account)
				}
				what, form := v.what+" "+who(sess), s.form
				if !v.marked {
					what, form = what+", with markup in every field", marked
				}
				if h != nil {
					what += ", from htmx"
				}
				send(method, v.path, sess, form, h, what)
			}
		}
	}
	// Saves overtaken: a verified brand's form, and a deactivated
	// campaign's, show what was typed in the form's place.
	typedBrand := formValues(brandFields(brand(m.mark("brand legal name typed", "legalnametyped"))))
	typedBrand.Set("country", "US")
	typedBrand.Set("website", "https://typed.example/"+m.mark("brand website typed", "websitetyped"))
	for name, tag := range map[string]string{"first_name": "firstnametyped", "last_name": "lastnametyped", "street": "streettyped", "city": "citytyped"} {
		typedBrand.Set(name, m.mark("brand "+name+" typed", tag))
	}
	typedCampaign := formValues(campaignFields(smsadmintest.Campaign("", "US")))
	typedCampaign.Set("country", "US")
	for name, tag := range map[string]string{"description": "descriptiontyped", "opt_in_description": "optintyped",
		"help_message": "helptyped", "stop_message": "stoptyped", "name": "campaignnametyped", "opt_in_message": "optinmessagetyped"} {
		typedCampaign.Set(name, m.mark("campaign "+name+" typed", tag))
	}
	typedCampaign.Set("sample_messages", m.mark("sample message typed", "sampleonetyped")+"\n"+m.mark("sample message typed", "sampletwotyped"))
	typedCampaign.Set("privacy_policy_url", "https://typed.example/"+m.mark("privacy policy address typed", "privacyurltyped"))
	typedCampaign.Set("terms_url", "https://typed.example/"+m.mark("terms address typed", "termsurltyped"))
	for _, h := range []http.Header{nil, htmx} {
		what := "a save overtaken"
		if h != nil {
			what += ", from htmx"
		}
		send("POST", "/t/"+f.acme.ID+"/brands/"+f.verifiedBrand, m.admin, typedBrand, h, what)
		send("POST", "/t/"+f.acme.ID+"/campaigns/"+m.deactivated, m.admin, typedCampaign, h, what)
	}

	query := url.Values{}
	for _, name := range []string{"q", "action", "object", "cause", "status", "campaign", "overdue", "cursor", "next", "why"} {
		query.Set(name, "query"+xss)
	}
	for _, rt := range f.con.Routes() {
		s := samples[rt.Pattern]
		if method, _ := f.path(t, rt, s); method != "GET" {
			continue
		}
		for _, v := range variants(rt, s) {
			path := v.path
			for _, sess := range []*session{m.support, m.admin, nil} {
				w := v.what + " " + who(sess)
				send("GET", path, sess, nil, nil, w)
				send("GET", path, sess, nil, htmx, w+", from htmx")
				send("GET", path+"?live=1", sess, nil, htmx, w+", polled")
				send("GET", path+"?"+query.Encode(), sess, nil, nil, w+", with markup in the query")
				send("GET", path+"?"+query.Encode(), sess, nil, htmx, w+", with markup in the query, from htmx")
			}
		}
	}

	for _, a := range answers {
		body := a.r.Body.String()
		if a.r.Code >= 500 {
			t.Errorf("%s = %d: the answer did not render, so the test cannot look at it\n%s", a.what, a.r.Code, excerpt(a.r))
		}
		if strings.HasPrefix(a.r.Header().Get("Content-Type"), "text/csv") {
			// An export is data, as typed: a browser saves it (an
			// attachment), never renders it (nosniff, from the server).
			if !strings.HasPrefix(a.r.Header().Get("Content-Disposition"), "attachment") {
				t.Errorf("%s = %d: a CSV that is not an attachment", a.what, a.r.Code)
			}
			continue
		}
		for _, raw := range unescaped {
			if i := strings.Index(body, raw); i >= 0 {
				t.Errorf("%s = %d holds markup as it is: …%s…", a.what, a.r.Code, body[max(0, i-80):min(len(body), i+len(raw)+20)])
				break
			}
		}
		for _, typed := range m.typed {
			if strings.ContainsAny(typed.value, `<>"'&`) && strings.Contains(body, typed.value) {
				t.Errorf("%s = %d holds the %s as it was typed, unescaped", a.what, a.r.Code, typed.where)
			}
		}
	}
	// Each text typed shows, escaped: else the test looks in the wrong
	// place.
	for _, typed := range m.typed {
		want := html.EscapeString(typed.value)
		found := false
		for _, a := range answers {
			if strings.Contains(a.r.Body.String(), want) {
				found = true
				break
			}
		}
		if found == typed.hidden {
			t.Errorf("the %s %q: shown on a page %v, want %v", typed.where, typed.value, found, !typed.hidden)
		}
	}
	// The audit log's details show what was typed as JSON, escaped: the
	// brand's and the campaign's, written last, are on its first page.
	for _, where := range []string{"brand legal name", "brand website", "campaign description", "STOP message"} {
		found := false
		for _, typed := range m.typed {
			j, _ := json.Marshal(typed.value)
			want := html.EscapeString(strings.Trim(string(j), `"`))
			for _, a := range answers {
				found = found || typed.where == where && strings.Contains(a.what, "/audit") && strings.Contains(a.r.Body.String(), want)
			}
		}
		if !found {
			t.Errorf("the audit log's details do not show the %s", where)
		}
	}
	// The refusals quote what was sent, escaped: htmx's error fragment
	// (a page or form not found quotes its path, a filter refused its
	// query), a refused form's fragment or page (next to its field), and a
	// page its filter.
	for what, echo := range map[string]func(a answer) bool{
		"htmx's error fragment to a change, quoting a path value": func(a answer) bool {
			return a.method == "POST" && a.alert() && a.quotes("pathvalue")
		},
		"htmx's error fragment to a page, quoting a path value": func(a answer) bool {
			return a.method == "GET" && a.alert() && a.quotes("pathvalue")
		},
		"htmx's error fragment quoting the query (a validation error)": func(a answer) bool {
			return a.alert() && a.r.Code >= 400 && a.r.Code < 500 && a.r.Code != http.StatusNotFound && a.quotes("query")
		},
		"htmx's fragment of a refused form, quoting a field": func(a answer) bool {
			return a.htmx && !a.alert() && a.r.Code == http.StatusUnprocessableEntity && a.quotes("posted") && !strings.Contains(a.r.Body.String(), "<html")
		},
		"a refused form's page, quoting a field": func(a answer) bool {
			return !a.htmx && a.r.Code == http.StatusUnprocessableEntity && a.quotes("posted")
		},
		"a page quoting its query": func(a answer) bool {
			return a.r.Code < 300 && a.quotes("query")
		},
	} {
		n := 0
		for _, a := range answers {
			if echo(a) {
				n++
			}
		}
		if n == 0 {
			t.Errorf("no answer is %s: the test no longer reaches that writer", what)
		}
	}
}

// quoted is how an answer quoting tag+xss shows its start, escaped,
// whether quoted as it is or with %q (which writes " as \").
func quoted(tag string) string { return html.EscapeString(tag + "<script>x</script>") }

// with is values with name set to v.
func with(values map[string]string, name, v string) map[string]string {
	out := map[string]string{name: v}
	for k, x := range values {
		if k != name {
			out[k] = x
		}
	}
	return out
}
