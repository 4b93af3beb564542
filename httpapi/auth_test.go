package httpapi_test

import (
	"bytes"
	"fmt"
	"maps"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/sim"
	"smsadmin/httpapi"
	"smsadmin/smsadmintest"
)

// caller is one kind of principal in the authorization matrix.
type caller int

const (
	noToken     caller = iota
	support            // the platform's operator
	tenantAdmin        // an admin of the tenant in the path
	otherAdmin         // an admin of another tenant
	userSelf           // the user named by {user} in the path
	otherUser          // another user of the same tenant
)

var callers = []caller{noToken, support, tenantAdmin, otherAdmin, userSelf, otherUser}

func (c caller) String() string {
	return [...]string{"no token", "support", "admin of the tenant", "admin of another tenant", "the user itself", "another user"}[c]
}

// refusal is the status and code with which a route of access acc refuses
// c, or 0 when c may call it.
func refusal(acc httpapi.Access, c caller) (int, string) {
	switch {
	case acc == httpapi.CarrierSigned:
		// No token opens it, support's included: only the carrier's
		// signature, which the matrix's requests do not carry.
		return http.StatusUnauthorized, "invalid_signature"
	case acc == httpapi.Public || c == support:
		return 0, ""
	case c == noToken:
		return http.StatusUnauthorized, "unauthorized"
	case acc == httpapi.AnyToken:
		return 0, ""
	case acc == httpapi.Support:
		return http.StatusForbidden, "forbidden"
	case c == tenantAdmin, c == userSelf && acc == httpapi.UserSelf,
		(c == userSelf || c == otherUser) && acc == httpapi.TenantUser:
		return 0, ""
	case c == otherAdmin:
		// Another tenant's objects answer 404, so that their existence
		// is not revealed.
		return http.StatusNotFound, "not_found"
	}
	return http.StatusForbidden, "forbidden"
}

// authSample is a request for one route: its body, and for a route that
// uses up its object (a deleted number, a revoked token), path values made
// anew for each call.
type authSample struct {
	body  any
	fresh func() map[string]string
	// contentType, when set, is sent with body, a string, in place of
	// application/json.
	contentType string
}

var pathParam = regexp.MustCompile(`\{(\w+)\}`)

// TestAuthMatrix holds every route of the API to the Access it declares,
// for every kind of caller: who gets 401, 403 or 404, and that the callers
// it allows are not refused. A route without a sample request fails the
// test, so a new route is covered the day it is added. Path values name
// real objects of the tenant, so that a 404 can only come from isolation.
// A change that a caller is allowed must be in the audit log with that
// caller as actor (R20), unless unaudited says why not.
func TestAuthMatrix(t *testing.T) {
	t.Parallel()
	e := newSimEnv(t)
	a, adminA := e.tenant("Acme")
	_, adminB := e.tenant("Globex")
	alice := e.user(a, adminA, "Alice")
	bob := e.user(a, adminA, "Bob")
	e.number(a, adminA, "+14155550101", alice)
	verified := e.sendable(a, adminA, alice, "+14155550101")
	// Numbers whose enable and assign change something, so that the
	// matrix finds them audited: bob's to enable, carol's enabled to assign.
	e.number(a, adminA, "+14155550102", bob)
	carol := e.user(a, adminA, "Carol")
	e.number(a, adminA, "+14155550103", carol)
	e.must(202, "POST", "/v1/tenants/"+a+"/sms/numbers/enable", adminA, map[string]any{"numbers": []string{"+14155550103"}})
	// dave's number the simulated carrier refuses to enable (it ends in
	// 0999): Enabling Failed, to retry, and failed again once settled.
	dave := e.user(a, adminA, "Dave")
	e.number(a, adminA, "+14155550999", dave)
	e.must(202, "POST", "/v1/tenants/"+a+"/sms/numbers/enable", adminA, map[string]any{"numbers": []string{"+14155550999"}})
	e.RunFor(time.Minute)
	message := e.must(202, "POST", "/v1/tenants/"+a+"/messages", adminA, map[string]any{"user_id": alice, "to": "+14155550190", "body": "hi"}).str("id")
	brand := e.must(201, "POST", "/v1/tenants/"+a+"/brands", adminA, smsadmintest.BrandBody("US")).str("id")
	campaign := e.must(201, "POST", "/v1/tenants/"+a+"/campaigns", adminA, smsadmintest.CampaignBody(brand, "US")).str("id")
	// A webhook of the tenant and a delivery to it, queued by a test. Its
	// URL is a public name, which the service accepts without resolving
	// it; nothing here delivers.
	hookBody := map[string]any{"url": hookURL}
	webhook := e.must(201, "POST", "/v1/tenants/"+a+"/webhooks", adminA, hookBody).str("id")
	delivery := e.must(202, "POST", "/v1/tenants/"+a+"/webhooks/"+webhook+"/test", adminA, nil).str("id")
	tokens := map[caller]string{
		noToken: "", support: supportToken, tenantAdmin: adminA, otherAdmin: adminB,
		userSelf: e.userToken(a, adminA, alice), otherUser: e.userToken(a, adminA, bob),
	}
	values := map[string]string{"tenant": a, "user": alice, "brand": brand, "campaign": campaign, "number": "%2B14155550101", "message": message,
		"webhook": webhook, "delivery": delivery}
	principals := map[caller]string{}
	for c, tok := range tokens {
		if tok != "" {
			principals[c] = e.must(200, "GET", "/v1/me", tok, nil).str("principal_id")
		}
	}

	fresh := 0
	freshNumber := func() map[string]string {
		fresh++
		n := fmt.Sprintf("+1415555%04d", 200+fresh)
		e.number(a, supportToken, n, "")
		return map[string]string{"number": "%2B" + n[1:]}
	}
	freshToken := func() map[string]string {
		id := e.must(201, "POST", "/v1/tenants/"+a+"/tokens", supportToken, map[string]any{"role": "user", "user_id": bob}).str("id")
		return map[string]string{"principal": id}
	}
	freshSupportToken := func() map[string]string {
		id := e.must(201, "POST", "/v1/support/tokens", supportToken, map[string]any{"name": "to revoke"}).str("id")
		return map[string]string{"principal": id}
	}
	freshWebhook := func() map[string]string {
		id := e.must(201, "POST", "/v1/tenants/"+a+"/webhooks", supportToken, hookBody).str("id")
		return map[string]string{"webhook": id}
	}
	// A draft brand and a draft campaign (of the fixture's brand), to
	// delete.
	freshBrand := func() map[string]string {
		id := e.must(201, "POST", "/v1/tenants/"+a+"/brands", supportToken, map[string]any{"legal_name": "Draft Co"}).str("id")
		return map[string]string{"brand": id}
	}
	freshCampaign := func() map[string]string {
		id := e.must(201, "POST", "/v1/tenants/"+a+"/campaigns", supportToken, map[string]any{"brand_id": brand}).str("id")
		return map[string]string{"campaign": id}
	}
	// A limit is set on a verified campaign; enabling alice's number
	// again changes it once the unassign-disable before has settled.
	onVerified := func() map[string]string { return map[string]string{"campaign": verified} }
	settled := func() map[string]string { e.RunFor(time.Minute); return nil }
	// A PIN is given once: each call verifies a sole proprietor's brand of
	// its own that awaits it (R23). A resend leaves the brand awaiting, so
	// one brand serves every call, as one public company's brand awaiting
	// its email confirmation serves the simulator's confirm.
	awaitingPIN := func() map[string]string {
		return map[string]string{"brand": e.awaitingBrand(a, adminA, smsadmin.EntitySoleProprietor)}
	}
	resendable := map[string]string{"brand": e.awaitingBrand(a, adminA, smsadmin.EntitySoleProprietor)}
	confirmable := map[string]string{"brand": e.awaitingBrand(a, adminA, smsadmin.EntityPublicProfit)}
	aliceNumbers := map[string]any{"numbers": []string{"+14155550101"}}
	samples := map[string]authSample{
		"GET /healthz":      {},
		"GET /readyz":       {},
		"GET /metrics":      {},
		"GET /openapi.json": {},
		"GET /v1/me":        {},

		"POST /v1/tenants":         {body: map[string]any{"name": "Initech"}},
		"GET /v1/tenants":          {},
		"GET /v1/tenants/{tenant}": {},

		"POST /v1/tenants/{tenant}/tokens":               {body: map[string]any{"role": "user", "user_id": bob}},
		"GET /v1/tenants/{tenant}/tokens":                {},
		"DELETE /v1/tenants/{tenant}/tokens/{principal}": {fresh: freshToken},

		"POST /v1/support/tokens":               {body: map[string]any{"name": "ops laptop"}},
		"GET /v1/support/tokens":                {},
		"DELETE /v1/support/tokens/{principal}": {fresh: freshSupportToken},

		"POST /v1/tenants/{tenant}/users":         {body: map[string]any{"name": "Mallory", "email": "mallory@example.com"}},
		"GET /v1/tenants/{tenant}/users":          {},
		"GET /v1/tenants/{tenant}/users/{user}":   {},
		"PATCH /v1/tenants/{tenant}/users/{user}": {body: map[string]any{"name": "Alice Liddell"}},

		"POST /v1/tenants/{tenant}/phone-numbers":            {body: map[string]any{"number": "+14155550150"}},
		"GET /v1/tenants/{tenant}/phone-numbers":             {},
		"GET /v1/tenants/{tenant}/phone-numbers/{number}":    {},
		"DELETE /v1/tenants/{tenant}/phone-numbers/{number}": {fresh: freshNumber},

		"POST /v1/tenants/{tenant}/imports": {body: "name,email,license,number\nIvy,ivy@example.com,X2,+14155550170\n", contentType: "text/csv"},

		"GET /v1/tenants/{tenant}/audit": {},

		"GET /v1/tenants/{tenant}/events":                            {},
		"POST /v1/tenants/{tenant}/webhooks":                         {body: hookBody},
		"GET /v1/tenants/{tenant}/webhooks":                          {},
		"GET /v1/tenants/{tenant}/webhooks/{webhook}":                {},
		"PATCH /v1/tenants/{tenant}/webhooks/{webhook}":              {body: map[string]any{"description": "Order system"}},
		"DELETE /v1/tenants/{tenant}/webhooks/{webhook}":             {fresh: freshWebhook},
		"POST /v1/tenants/{tenant}/webhooks/{webhook}/rotate-secret": {},
		"POST /v1/tenants/{tenant}/webhooks/{webhook}/test":          {},
		"GET /v1/tenants/{tenant}/webhooks/{webhook}/deliveries":     {},
		"POST /v1/tenants/{tenant}/deliveries/{delivery}/retry":      {},

		"POST /v1/tenants/{tenant}/brands":                {body: smsadmintest.BrandBody("US")},
		"GET /v1/tenants/{tenant}/brands":                 {},
		"GET /v1/tenants/{tenant}/brands/{brand}":         {},
		"PATCH /v1/tenants/{tenant}/brands/{brand}":       {body: map[string]any{"website": "https://acme.example.org"}},
		"DELETE /v1/tenants/{tenant}/brands/{brand}":      {fresh: freshBrand},
		"POST /v1/tenants/{tenant}/brands/{brand}/submit": {},
		"GET /v1/tenants/{tenant}/brands/{brand}/check":   {},
		"POST /v1/tenants/{tenant}/brands/{brand}/verify": {body: map[string]any{"pin": sim.SimPIN}, fresh: awaitingPIN},
		"POST /v1/tenants/{tenant}/brands/{brand}/resend": {fresh: func() map[string]string { return resendable }},

		"POST /v1/tenants/{tenant}/campaigns":                        {body: smsadmintest.CampaignBody(brand, "US")},
		"GET /v1/tenants/{tenant}/campaigns":                         {},
		"GET /v1/tenants/{tenant}/campaigns/{campaign}":              {},
		"PATCH /v1/tenants/{tenant}/campaigns/{campaign}":            {body: map[string]any{"help_message": "Acme support: reply STOP to opt out. Help at acme.example.org"}},
		"DELETE /v1/tenants/{tenant}/campaigns/{campaign}":           {fresh: freshCampaign},
		"POST /v1/tenants/{tenant}/campaigns/{campaign}/submit":      {},
		"GET /v1/tenants/{tenant}/campaigns/{campaign}/check":        {},
		"PUT /v1/tenants/{tenant}/campaigns/{campaign}/number-limit": {body: map[string]any{"number_limit": 60}, fresh: onVerified},
		"POST /v1/tenants/{tenant}/campaigns/{campaign}/deactivate":  {body: map[string]any{"confirm": true}},

		"GET /v1/tenants/{tenant}/sms":                           {},
		"GET /v1/tenants/{tenant}/sms/numbers":                   {},
		"GET /v1/tenants/{tenant}/sms/numbers/counts":            {},
		"POST /v1/tenants/{tenant}/sms/numbers/enable":           {body: map[string]any{"numbers": []string{"+14155550102"}}},
		"POST /v1/tenants/{tenant}/sms/numbers/assign":           {body: map[string]any{"campaign_id": verified, "numbers": []string{"+14155550103"}}},
		"POST /v1/tenants/{tenant}/sms/numbers/unassign-disable": {body: aliceNumbers},
		"POST /v1/tenants/{tenant}/sms/numbers/retry":            {body: map[string]any{"numbers": []string{"+14155550999"}}, fresh: settled},
		"GET /v1/tenants/{tenant}/users/{user}/sms":              {},
		"PUT /v1/tenants/{tenant}/users/{user}/sms":              {body: map[string]any{"number": "+14155550101", "enabled": true}, fresh: settled},
		"GET /v1/tenants/{tenant}/users/{user}/sms/diagnosis":    {},
		"GET /v1/tenants/{tenant}/sms/diagnoses":                 {},
		"POST /v1/tenants/{tenant}/messages":                     {body: map[string]any{"user_id": alice, "to": "+14155550190", "body": "hi"}},
		"GET /v1/tenants/{tenant}/messages":                      {},
		"GET /v1/tenants/{tenant}/messages/{message}":            {},
		"GET /v1/tenants/{tenant}/opt-outs":                      {},
		"POST /v1/sim/campaigns/{campaign}/status":               {body: map[string]any{"status": "suspended"}},
		"POST /v1/sim/inbound":                                   {body: map[string]any{"from": "+14155550190", "to": "+14155550101", "body": "HELP"}},
		"POST /v1/sim/numbers/{number}/drop":                     {},
		"POST /v1/sim/brands/{brand}/status":                     {body: map[string]any{"status": "suspended"}},
		"POST /v1/sim/brands/{brand}/confirm":                    {fresh: func() map[string]string { return confirmable }},
		"POST /v1/carrier/telnyx/events":                         {body: telnyxEvent("ev-matrix", "10dlc.campaign.update", map[string]any{"campaignId": "c1"})},
	}

	// Changes that the matrix does not find in a tenant's audit log, and
	// why. Every other change a caller is allowed must write an entry
	// naming that caller (R20).
	unaudited := map[string]string{
		"POST /v1/support/tokens":                  "audited outside any tenant, which the API does not list",
		"DELETE /v1/support/tokens/{principal}":    "audited outside any tenant, which the API does not list",
		"POST /v1/tenants/{tenant}/messages":       "a message is recorded as itself, not as a change",
		"POST /v1/sim/campaigns/{campaign}/status": "the simulated carrier acts, audited as the carrier",
		"POST /v1/sim/brands/{brand}/status":       "the simulated carrier acts, audited as the carrier",
		"POST /v1/sim/brands/{brand}/confirm":      "the brand's contact acts at the simulated carrier, audited as the carrier",
		"POST /v1/sim/inbound":                     "the simulated carrier acts, audited as the carrier",
		"POST /v1/sim/numbers/{number}/drop":       "the simulated carrier acts, audited as the carrier",
		"POST /v1/carrier/telnyx/events":           "the carrier acts, audited as the carrier",

		"POST /v1/tenants/{tenant}/webhooks/{webhook}/test":     "a test event is recorded as itself (events, deliveries), not as a change",
		"POST /v1/tenants/{tenant}/deliveries/{delivery}/retry": "a delivery sent again is recorded in its attempts, not as a change",
	}
	// lastAudit is the ID of a tenant's newest audit entry.
	lastAudit := func(tenant string) float64 {
		items := e.must(200, "GET", "/v1/tenants/"+tenant+"/audit?limit=1", supportToken, nil).items()
		if len(items) == 0 {
			return 0
		}
		id, _ := items[0]["id"].(float64)
		return id
	}

	routes := e.api.Routes()
	if len(routes) == 0 {
		t.Fatal("the API has no routes")
	}
	seen := map[string]bool{}
	for _, rt := range routes {
		key := rt.Method + " " + rt.Pattern
		seen[key] = true
		t.Run(key, func(t *testing.T) {
			switch rt.Access {
			case httpapi.Public, httpapi.AnyToken, httpapi.Support, httpapi.Admin, httpapi.UserSelf, httpapi.TenantUser, httpapi.CarrierSigned:
			default:
				t.Fatalf("%s declares no access (%v): say who may call it in routes.go", key, rt.Access)
			}
			sample, ok := samples[key]
			if !ok {
				t.Fatalf("%s has no sample request in TestAuthMatrix: add one that the callers it allows get a non-refusal answer to", key)
			}
			_, exempt := unaudited[key]
			checkAudit := rt.Method != "GET" && !exempt
			audited := false
			for _, c := range callers {
				t.Run(c.String(), func(t *testing.T) {
					vals := values
					if sample.fresh != nil {
						vals = maps.Clone(values)
						maps.Copy(vals, sample.fresh())
					}
					path := pathParam.ReplaceAllStringFunc(rt.Pattern, func(p string) string {
						v, ok := vals[p[1:len(p)-1]]
						if !ok {
							t.Fatalf("no value for path parameter %s of %s", p, key)
						}
						return v
					})
					status, code := refusal(rt.Access, c)
					auditTenant, since := a, 0.0
					if checkAudit && status == 0 && rt.Pattern != "/v1/tenants" {
						since = lastAudit(a)
					}
					var r resp
					if sample.contentType != "" {
						r = e.do(rawRequest(rt.Method, path, tokens[c], sample.contentType, strings.NewReader(sample.body.(string))))
					} else {
						r = e.call(rt.Method, path, tokens[c], sample.body)
					}
					if status == 0 {
						if r.Status == 401 || r.Status == 403 || r.Status == 404 || r.Status >= 500 {
							t.Errorf("%s %s as %s (access %v) = %d %q, want an answer that is not a refusal\n%s",
								rt.Method, path, c, rt.Access, r.Status, r.str("code"), r.Raw)
						}
						if !checkAudit || r.Status >= 300 {
							return
						}
						if rt.Pattern == "/v1/tenants" {
							auditTenant = r.str("id") // a new tenant's first entry
						}
						// A change that changed nothing (a repeat) writes
						// nothing; one that did names its caller.
						for _, en := range e.audit(auditTenant) {
							if id, _ := en["id"].(float64); id <= since {
								break
							}
							if actor := en["actor"]; actor == principals[c] {
								audited = true
							} else if actor != "system" {
								t.Errorf("%s %s as %s wrote %s %s with actor %v, want %s", rt.Method, path, c, en["action"], en["object"], actor, principals[c])
							}
						}
						return
					}
					if r.Status != status || r.str("code") != code {
						t.Errorf("%s %s as %s (access %v) = %d %q, want %d %q\n%s",
							rt.Method, path, c, rt.Access, r.Status, r.str("code"), status, code, r.Raw)
						return
					}
					wantProblem(t, r, status, code)
					if status == 401 && r.Header.Get("WWW-Authenticate") == "" {
						t.Errorf("401 without WWW-Authenticate")
					}
				})
			}
			if checkAudit && !audited {
				t.Errorf("%s: no call the route allows wrote an audit entry naming its caller (R20); a change must be audited, or say in unaudited why not", key)
			}
		})
	}
	for key := range unaudited {
		if !seen[key] {
			t.Errorf("unaudited names %s, which is not a route of the API", key)
		}
	}
	for key := range samples {
		if !seen[key] {
			t.Errorf("sample for %s, which is not a route of the API", key)
		}
	}
}

// What the matrix does not cover: bad and revoked tokens, rights that
// depend on the body, callers outside the matrix.
func TestAuthSpecialCases(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, adminA := e.tenant("Acme")
	b, adminB := e.tenant("Globex")
	alice := e.user(a, adminA, "Alice")
	bob := e.user(a, adminA, "Bob")
	carol := e.user(b, adminB, "Carol")
	aliceTok := e.userToken(a, adminA, alice)

	revoked := e.must(201, "POST", "/v1/tenants/"+a+"/tokens", supportToken, map[string]any{"role": "admin"})
	e.must(200, "DELETE", "/v1/tenants/"+a+"/tokens/"+revoked.str("id"), supportToken, nil)

	tests := []struct {
		name   string
		method string
		path   string
		token  string
		body   any
		status int
		code   string
	}{
		{"bad token", "GET", "/v1/tenants/" + a + "/users", "not-a-token", nil, 401, "unauthorized"},
		{"revoked token", "GET", "/v1/tenants/" + a + "/users", revoked.str("token"), nil, 401, "unauthorized"},
		{"admin creates an admin token", "POST", "/v1/tenants/" + a + "/tokens", adminA, map[string]any{"role": "admin"}, 403, "forbidden"},
		{"admin A makes a token for B's user", "POST", "/v1/tenants/" + a + "/tokens", adminA, map[string]any{"role": "user", "user_id": carol}, 404, "not_found"},
		{"admin A names B's user as number owner", "POST", "/v1/tenants/" + a + "/phone-numbers", adminA, map[string]any{"number": "+14155550124", "user_id": carol}, 404, "not_found"},
		{"user reads another tenant", "GET", "/v1/tenants/" + b + "/users/" + carol, aliceTok, nil, 404, "not_found"},
		{"support reads a tenant that does not exist", "GET", "/v1/tenants/ten_nope/users", supportToken, nil, 404, "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.call(tt.method, tt.path, tt.token, tt.body)
			wantProblem(t, r, tt.status, tt.code)
			if tt.status == 401 && r.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("401 without WWW-Authenticate")
			}
		})
	}
	e.must(201, "POST", "/v1/tenants/"+a+"/tokens", adminA, map[string]any{"role": "user", "user_id": bob})
	e.must(201, "POST", "/v1/tenants/"+b+"/tokens", supportToken, map[string]any{"role": "admin"})
}

// Tokens are shown once and stored only as a hash: the database file never
// holds a token's text.
func TestTokensStoredHashed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	u := e.user(a, admin, "Alice")
	userTok := e.userToken(a, admin, u)
	for _, tok := range []string{supportToken, admin, userTok} {
		if len(tok) < 32 {
			t.Fatalf("token %q is shorter than 32 characters", tok)
		}
	}
	list := e.must(200, "GET", "/v1/tenants/"+a+"/tokens", admin, nil)
	if bytes.Contains([]byte(list.Raw), []byte(admin)) || bytes.Contains([]byte(list.Raw), []byte("token_hash")) {
		t.Fatalf("token list shows a token or its hash: %s", list.Raw)
	}
	if e.File == "" {
		return // a server database: no file here to read (the column holds hashes by the same code)
	}
	// The WAL holds recent writes: read every file of the database.
	for _, suffix := range []string{"", "-wal"} {
		raw, err := os.ReadFile(e.File + suffix)
		if err != nil && suffix == "" {
			t.Fatal(err)
		}
		for _, tok := range []string{supportToken, admin, userTok} {
			if bytes.Contains(raw, []byte(tok)) {
				t.Errorf("database file %s contains a token in clear", e.File+suffix)
			}
		}
	}
}

// A revoked token stops working at once; revoking twice is not an error.
func TestRevokeToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	u := e.user(a, admin, "Alice")
	created := e.must(201, "POST", "/v1/tenants/"+a+"/tokens", admin, map[string]any{"role": "user", "user_id": u})
	tok, id := created.str("token"), created.str("id")
	e.must(200, "GET", "/v1/tenants/"+a+"/users/"+u, tok, nil)
	e.must(200, "DELETE", "/v1/tenants/"+a+"/tokens/"+id, admin, nil)
	e.must(200, "DELETE", "/v1/tenants/"+a+"/tokens/"+id, admin, nil)
	wantProblem(t, e.call("GET", "/v1/tenants/"+a+"/users/"+u, tok, nil), http.StatusUnauthorized, "unauthorized")
	// An admin may not revoke an admin token; support may.
	other := e.must(201, "POST", "/v1/tenants/"+a+"/tokens", supportToken, map[string]any{"role": "admin"}).str("id")
	wantProblem(t, e.call("DELETE", "/v1/tenants/"+a+"/tokens/"+other, admin, nil), 403, "forbidden")
	e.must(200, "DELETE", "/v1/tenants/"+a+"/tokens/"+other, supportToken, nil)
}
