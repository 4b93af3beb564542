package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/carrier/sim"
	"smsadmin/smsadmintest"
)

// The registration lifecycle over the API, as API.md documents it.
func TestRegistrationAPI(t *testing.T) {
	t.Parallel()
	e := newSimEnv(t)
	a, admin := e.tenant("Acme")
	base := "/v1/tenants/" + a

	// An empty tenant's SMS page lists nothing, as lists.
	if sms := e.must(200, "GET", base+"/sms", admin, nil); sms.Raw != "" && (sms.Body["brands"] == nil || sms.Body["campaigns"] == nil) {
		t.Fatalf("empty SMS page = %s, want [] lists", sms.Raw)
	}

	// A draft may be incomplete; submitting checks every field.
	draft := e.must(201, "POST", base+"/brands", admin, map[string]any{"legal_name": "Acme Corporation"})
	if draft.str("status") != "draft" || draft.Body["errors"] == nil {
		t.Fatalf("draft = %s", draft.Raw)
	}
	r := e.call("POST", base+"/brands/"+draft.str("id")+"/submit", admin, nil)
	wantProblem(t, r, 400, "validation_failed")
	if errs, _ := r.Body["errors"].([]any); len(errs) < 5 {
		t.Fatalf("submit of an incomplete brand lists %d field errors, want one per missing field: %s", len(errs), r.Raw)
	}
	wantProblem(t, e.call("POST", base+"/brands", admin, map[string]any{"legal_name": "A", "website": "acme"}), 400, "validation_failed")

	brand := e.must(201, "POST", base+"/brands", admin, smsadmintest.BrandBody("US")).str("id")
	camp := e.must(201, "POST", base+"/campaigns", admin, smsadmintest.CampaignBody(brand, "US"))
	if camp.Body["number_limit"] != float64(48) || camp.Body["number_count"] != float64(0) || camp.str("status") != "draft" {
		t.Fatalf("campaign = %s", camp.Raw)
	}
	cid := camp.str("id")
	wantProblem(t, e.call("POST", base+"/campaigns/"+cid+"/submit", admin, nil), 409, "conflict") // brand not submitted (R11)
	wantProblem(t, e.call("POST", base+"/campaigns", admin, smsadmintest.CampaignBody("brd_nope", "US")), 404, "not_found")
	if got := e.must(202, "POST", base+"/brands/"+brand+"/submit", admin, nil); got.str("status") != "pending" {
		t.Fatalf("submitted brand = %s", got.Raw)
	}
	wantProblem(t, e.call("PATCH", base+"/brands/"+brand, admin, map[string]any{"website": "https://x.example.com"}), 409, "conflict")
	e.must(202, "POST", base+"/campaigns/"+cid+"/submit", admin, nil)
	wantProblem(t, e.call("POST", base+"/campaigns/"+cid+"/submit", admin, nil), 409, "conflict")
	if sms := e.must(200, "GET", base+"/sms", admin, nil); sms.Body["verified"] != false {
		t.Fatalf("SMS page = %s", sms.Raw)
	}

	e.RunFor(time.Minute)
	if got := e.must(200, "GET", base+"/campaigns/"+cid, admin, nil); got.str("status") != "verified" {
		t.Fatalf("campaign after review = %s", got.Raw)
	}
	if sms := e.must(200, "GET", base+"/sms", admin, nil); sms.Body["verified"] != true {
		t.Fatalf("SMS page = %s", sms.Raw)
	}
	wantProblem(t, e.call("PATCH", base+"/campaigns/"+cid, admin, map[string]any{"description": "x"}), 409, "conflict")
	if list := e.must(200, "GET", base+"/campaigns?status=verified", admin, nil).items(); len(list) != 1 {
		t.Fatalf("verified campaigns = %v", list)
	}

	// R13 through the simulator's endpoint: support only.
	path := "/v1/sim/campaigns/" + cid + "/status"
	wantProblem(t, e.call("POST", path, admin, map[string]any{"status": "suspended"}), 403, "forbidden")
	wantProblem(t, e.call("POST", path, supportToken, map[string]any{"status": "rejected"}), 400, "validation_failed")
	wantProblem(t, e.call("POST", "/v1/sim/campaigns/cmp_nope/status", supportToken, map[string]any{"status": "suspended"}), 404, "not_found")
	e.must(202, "POST", path, supportToken, map[string]any{"status": "suspended"})
	e.RunFor(time.Minute)
	if got := e.must(200, "GET", base+"/campaigns/"+cid, admin, nil); got.str("status") != "suspended" || got.str("carrier_status") != "SUSPENDED" {
		t.Fatalf("campaign after suspension = %s", got.Raw)
	}
	if sms := e.must(200, "GET", base+"/sms", admin, nil); sms.Body["verified"] != false {
		t.Fatalf("SMS page with a suspended campaign = %s", sms.Raw)
	}
	e.must(202, "POST", path, supportToken, map[string]any{"status": "verified"})
	e.RunFor(time.Minute)
	if got := e.must(200, "GET", base+"/campaigns/"+cid, admin, nil); got.str("status") != "verified" {
		t.Fatalf("campaign after re-verification = %s", got.Raw)
	}
	// R11 through the simulator's brand endpoint: a US campaign of a
	// suspended brand cannot take numbers, and the SMS page is not
	// verified.
	bpath := "/v1/sim/brands/" + e.must(200, "GET", base+"/campaigns/"+cid, admin, nil).str("brand_id") + "/status"
	wantProblem(t, e.call("POST", bpath, admin, map[string]any{"status": "suspended"}), 403, "forbidden")
	wantProblem(t, e.call("POST", bpath, supportToken, map[string]any{"status": "draft"}), 400, "validation_failed")
	wantProblem(t, e.call("POST", "/v1/sim/brands/brd_nope/status", supportToken, map[string]any{"status": "suspended"}), 404, "not_found")
	if r := e.must(202, "POST", bpath, supportToken, map[string]any{"status": "suspended"}); r.str("carrier_status") != "suspended" || r.str("brand_id") == "" {
		t.Fatalf("brand suspension = %s", r.Raw)
	}
	e.RunFor(time.Minute)
	if sms := e.must(200, "GET", base+"/sms", admin, nil); sms.Body["verified"] != false {
		t.Fatalf("SMS page with a suspended brand = %s", sms.Raw)
	}
	e.must(202, "POST", bpath, supportToken, map[string]any{"status": "verified"})
	e.RunFor(time.Minute)
	if sms := e.must(200, "GET", base+"/sms", admin, nil); sms.Body["verified"] != true {
		t.Fatalf("SMS page after the brand's re-verification = %s", sms.Raw)
	}

	// Another tenant's admin sees none of it.
	_, other := e.tenant("Globex")
	wantProblem(t, e.call("GET", base+"/campaigns/"+cid, other, nil), 404, "not_found")
	wantProblem(t, e.call("GET", base+"/sms", other, nil), 404, "not_found")
}

// Without the simulator the simulator's endpoint does not exist.
func TestSimEndpointNeedsSimulator(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	wantProblem(t, e.call("POST", "/v1/sim/campaigns/cmp_x/status", supportToken, map[string]any{"status": "suspended"}), 404, "not_found")
	wantProblem(t, e.call("POST", "/v1/sim/brands/brd_x/confirm", supportToken, nil), 404, "not_found")
}

// awaitingBrand creates a US brand of entity, a sole proprietor's or a
// public company's, submits it and runs the carrier until the brand awaits
// its contact (R23): the PIN, or the email confirmation. It returns the
// brand's ID.
func (e *env) awaitingBrand(tenant, admin string, entity smsadmin.EntityType) string {
	e.t.Helper()
	want := map[smsadmin.EntityType]string{
		smsadmin.EntitySoleProprietor: smsadmin.AwaitingPhonePIN,
		smsadmin.EntityPublicProfit:   smsadmin.AwaitingEmailConfirmation,
	}[entity]
	if want == "" {
		e.t.Fatalf("awaitingBrand: a %s brand awaits nothing of its contact", entity)
	}
	base := "/v1/tenants/" + tenant + "/brands"
	id := e.must(201, "POST", base, admin, smsadmintest.BrandBodyOf("US", entity)).str("id")
	e.must(202, "POST", base+"/"+id+"/submit", admin, nil)
	e.Settle(func() bool { return e.must(200, "GET", base+"/"+id, admin, nil).str("awaiting") == want })
	return id
}

// entry returns the member of list (a readiness' problems, a problem
// document's errors) with field and code, or nil.
func entry(list any, field, code string) map[string]any {
	items, _ := list.([]any)
	for _, it := range items {
		if m, _ := it.(map[string]any); m["field"] == field && m["code"] == code {
			return m
		}
	}
	return nil
}

// errorsOf returns the problems of a readiness whose severity is error, as
// "field code".
func errorsOf(r resp) []string {
	var out []string
	items, _ := r.Body["problems"].([]any)
	for _, it := range items {
		if m, _ := it.(map[string]any); m["severity"] == "error" {
			out = append(out, fmt.Sprint(m["field"], " ", m["code"]))
		}
	}
	return out
}

// The readiness check (R24) over the API: a campaign's check lists what the
// carrier would reject on, with the fix and its source; an error refuses
// the submission with registration_incomplete, naming it in errors; a
// warning does not.
func TestReadinessCheckAPI(t *testing.T) {
	t.Parallel()
	e := newSimEnv(t)
	a, admin := e.tenant("Acme")
	base := "/v1/tenants/" + a
	brand := e.must(201, "POST", base+"/brands", admin, smsadmintest.BrandBody("US")).str("id")
	if r := e.must(200, "GET", base+"/brands/"+brand+"/check", admin, nil); r.Body["ready"] != true || r.Body["problems"] == nil || len(r.Body["problems"].([]any)) != 0 {
		t.Fatalf("check of a complete brand = %s, want ready with no problem", r.Raw)
	}
	e.must(202, "POST", base+"/brands/"+brand+"/submit", admin, nil) // a US campaign needs its brand submitted (R11)

	// A draft that leaves the four questions unanswered: complete
	// otherwise, so that its check lists those four errors and nothing
	// else.
	body := smsadmintest.CampaignBody(brand, "US")
	answers := []string{"embedded_links", "embedded_phone", "age_gated", "direct_lending"}
	for _, k := range answers {
		delete(body, k)
	}
	draft := e.must(201, "POST", base+"/campaigns", admin, body)
	cid := draft.str("id")
	for _, k := range answers {
		if v, ok := draft.Body[k]; !ok || v != nil {
			t.Errorf("draft %s = %v (present %v), want null: unanswered", k, v, ok)
		}
	}
	check := base + "/campaigns/" + cid + "/check"
	r := e.must(200, "GET", check, admin, nil)
	if r.Body["ready"] != false {
		t.Fatalf("check of a draft with unanswered questions = %s, want ready false", r.Raw)
	}
	if got := errorsOf(r); len(got) != len(answers) {
		t.Errorf("check errors = %q, want the %d unanswered questions", got, len(answers))
	}
	for _, k := range answers {
		p := entry(r.Body["problems"], k, "unanswered")
		if p == nil {
			t.Fatalf("check does not list %s unanswered: %s", k, r.Raw)
		}
		if p["severity"] != "error" || p["message"] == "" || p["source"] == "" || p["message"] == nil || p["source"] == nil {
			t.Errorf("problem %v: want severity error, a message and a source", p)
		}
	}
	sub := e.call("POST", base+"/campaigns/"+cid+"/submit", admin, nil)
	wantProblem(t, sub, 422, "registration_incomplete")
	if entry(sub.Body["errors"], "embedded_links", "unanswered") == nil {
		t.Errorf("registration_incomplete does not name embedded_links: %s", sub.Raw)
	}

	// Answered, the draft is ready: no problem at all.
	e.must(200, "PATCH", base+"/campaigns/"+cid, admin, map[string]any{"embedded_links": false, "embedded_phone": false, "age_gated": false, "direct_lending": false})
	if r := e.must(200, "GET", check, admin, nil); r.Body["ready"] != true || len(r.Body["problems"].([]any)) != 0 {
		t.Fatalf("check after answering = %s, want ready with no problem", r.Raw)
	}

	// A link in a sample that embedded_links denies: refused, and nothing
	// sent.
	withLink := []string{"Acme support: track your order at https://acme.example.com/orders/1234 today.",
		"Acme support: your replacement part shipped today; reply here with any questions."}
	e.must(200, "PATCH", base+"/campaigns/"+cid, admin, map[string]any{"sample_messages": withLink})
	r = e.must(200, "GET", check, admin, nil)
	if p := entry(r.Body["problems"], "embedded_links", "undeclared_link"); r.Body["ready"] != false || p == nil || p["severity"] != "error" ||
		!strings.Contains(fmt.Sprint(p["message"]), "https://acme.example.com/orders/1234") {
		t.Fatalf("check with an undeclared link = %s, want ready false and an embedded_links undeclared_link error quoting the link", r.Raw)
	}
	auditBefore := len(e.audit(a))
	sub = e.call("POST", base+"/campaigns/"+cid+"/submit", admin, nil)
	wantProblem(t, sub, 422, "registration_incomplete")
	if p := entry(sub.Body["errors"], "embedded_links", "undeclared_link"); p == nil || p["message"] == "" {
		t.Fatalf("registration_incomplete errors = %v, want embedded_links undeclared_link", sub.Body["errors"])
	}
	if got := e.must(200, "GET", base+"/campaigns/"+cid, admin, nil); got.str("status") != "draft" || len(e.audit(a)) != auditBefore {
		t.Fatalf("a refused submission changed the campaign (%s) or wrote audit entries", got.str("status"))
	}

	// Declared, it goes.
	e.must(200, "PATCH", base+"/campaigns/"+cid, admin, map[string]any{"embedded_links": true})
	if r := e.must(200, "GET", check, admin, nil); r.Body["ready"] != true {
		t.Fatalf("check with the link declared = %s, want ready", r.Raw)
	}
	e.must(202, "POST", base+"/campaigns/"+cid+"/submit", admin, nil)
	e.RunFor(time.Minute)
	if got := e.must(200, "GET", base+"/campaigns/"+cid, admin, nil); got.str("status") != "verified" {
		t.Fatalf("campaign after review = %s", got.Raw)
	}

	// A brand's check: a draft lists what is missing as errors; warnings
	// (an http website, a contact email at another domain) leave it ready,
	// and it is submitted.
	r = e.must(200, "GET", base+"/brands/"+e.must(201, "POST", base+"/brands", admin, map[string]any{"legal_name": "Acme Corporation"}).str("id")+"/check", admin, nil)
	if p := entry(r.Body["problems"], "phone", "required"); r.Body["ready"] != false || p == nil || p["severity"] != "error" {
		t.Fatalf("check of a brand draft = %s, want ready false with phone required", r.Raw)
	}
	warned := smsadmintest.BrandBody("US")
	warned["website"], warned["contact_email"] = "http://acme.example.com", "dana.reyes@gmail.com"
	wid := e.must(201, "POST", base+"/brands", admin, warned).str("id")
	r = e.must(200, "GET", base+"/brands/"+wid+"/check", admin, nil)
	if r.Body["ready"] != true || len(errorsOf(r)) != 0 || entry(r.Body["problems"], "website", "insecure_link")["severity"] != "warning" ||
		entry(r.Body["problems"], "contact_email", "domain_mismatch")["severity"] != "warning" {
		t.Fatalf("check of a brand with warnings = %s, want ready with warnings website insecure_link and contact_email domain_mismatch", r.Raw)
	}
	e.must(202, "POST", base+"/brands/"+wid+"/submit", admin, nil)

	// Another tenant's admin checks nothing of it.
	_, other := e.tenant("Globex")
	wantProblem(t, e.call("GET", check, other, nil), 404, "not_found")
	wantProblem(t, e.call("GET", base+"/brands/"+brand+"/check", other, nil), 404, "not_found")
}

// Every kind of organisation (R23) is registered through the API and the
// simulated carrier to verified: a public company once its contact
// confirmed the email, a sole proprietor once its contact's PIN is given.
func TestBrandEntityTypesAPI(t *testing.T) {
	t.Parallel()
	e := newSimEnv(t)
	for _, entity := range smsadmin.EntityTypes {
		t.Run(string(entity), func(t *testing.T) {
			e := &env{World: e.World, t: t, h: e.h, api: e.api}
			a, admin := e.tenant("Acme " + string(entity))
			me := e.must(200, "GET", "/v1/me", admin, nil).str("principal_id")
			path := "/v1/tenants/" + a + "/brands"
			created := e.must(201, "POST", path, admin, smsadmintest.BrandBodyOf("US", entity))
			id := created.str("id")
			path += "/" + id
			if created.str("entity_type") != string(entity) || created.Body["identity_status"] != nil || created.Body["awaiting"] != nil {
				t.Fatalf("created brand = %s", created.Raw)
			}
			e.must(202, "POST", path+"/submit", admin, nil)
			e.RunFor(time.Minute)
			got := e.must(200, "GET", path, admin, nil)

			switch entity {
			case smsadmin.EntityPublicProfit:
				// Reviewed, but not verified until the contact confirms.
				if got.str("status") != "pending" || got.str("awaiting") != "email_confirmation" {
					t.Fatalf("public company's brand after review = %s, want pending, awaiting email_confirmation", got.Raw)
				}
				wantProblem(t, e.call("POST", path+"/verify", admin, map[string]any{"pin": sim.SimPIN}), 409, "conflict") // no PIN awaited
				if r := e.must(202, "POST", path+"/resend", admin, nil); r.str("awaiting") != "email_confirmation" {
					t.Fatalf("resend = %s", r.Raw)
				}
				confirm := "/v1/sim/brands/" + id + "/confirm"
				wantProblem(t, e.call("POST", confirm, admin, nil), 403, "forbidden")
				wantProblem(t, e.call("POST", "/v1/sim/brands/brd_nope/confirm", supportToken, nil), 404, "not_found")
				if r := e.must(202, "POST", confirm, supportToken, nil); r.Body["confirmed"] != true || r.str("brand_id") != id || r.str("carrier_ref") == "" {
					t.Fatalf("confirm = %s", r.Raw)
				}
				e.RunFor(time.Minute)
				wantProblem(t, e.call("POST", confirm, supportToken, nil), 409, "conflict") // confirmed already
			case smsadmin.EntitySoleProprietor:
				if got.str("status") != "pending" || got.str("awaiting") != "phone_pin" {
					t.Fatalf("sole proprietor's brand after review = %s, want pending, awaiting phone_pin", got.Raw)
				}
				r := e.call("POST", path+"/verify", admin, map[string]any{"pin": "000000"})
				wantProblem(t, r, 400, "validation_failed")
				if entry(r.Body["errors"], "pin", "rejected") == nil {
					t.Fatalf("wrong PIN = %s, want field pin code rejected", r.Raw)
				}
				for _, bad := range []map[string]any{{"pin": "12345"}, {"pin": "12345a"}, {}} {
					r := e.call("POST", path+"/verify", admin, bad)
					wantProblem(t, r, 400, "validation_failed")
					if errs, _ := r.Body["errors"].([]any); len(errs) != 1 || errs[0].(map[string]any)["field"] != "pin" {
						t.Errorf("verify %v = %s, want an error on field pin", bad, r.Raw)
					}
				}
				if r := e.must(202, "POST", path+"/resend", admin, nil); r.str("awaiting") != "phone_pin" {
					t.Fatalf("resend = %s, want the brand still awaiting its PIN", r.Raw)
				}
				if r := e.must(202, "POST", path+"/verify", admin, map[string]any{"pin": sim.SimPIN}); r.Body["awaiting"] != nil {
					t.Fatalf("verify = %s, want awaiting null", r.Raw)
				}
				e.RunFor(time.Minute)
				// Audited with the admin as actor (R20); the refused PINs
				// wrote nothing.
				var verifies, resends int
				for _, en := range e.audit(a) {
					if en["object"] != "brand/"+id {
						continue
					}
					switch en["action"] {
					case smsadmin.ActionBrandVerify:
						verifies++
						if en["actor"] != me {
							t.Errorf("brand.verify actor = %v, want %s", en["actor"], me)
						}
					case smsadmin.ActionBrandResend:
						resends++
						if en["actor"] != me {
							t.Errorf("brand.resend actor = %v, want %s", en["actor"], me)
						}
					}
				}
				if verifies != 1 || resends != 1 {
					t.Errorf("audit has %d brand.verify and %d brand.resend entries of the brand, want 1 and 1", verifies, resends)
				}
			default:
				if got.Body["awaiting"] != nil {
					t.Fatalf("%s brand awaits %v", entity, got.Body["awaiting"])
				}
			}

			got = e.must(200, "GET", path, admin, nil)
			if got.str("status") != "verified" || got.str("identity_status") != "verified" || got.Body["awaiting"] != nil {
				t.Fatalf("brand = %s, want verified, identity_status verified, awaiting null", got.Raw)
			}
			// Verified, it awaits nothing more.
			wantProblem(t, e.call("POST", path+"/verify", admin, map[string]any{"pin": sim.SimPIN}), 409, "conflict")
			wantProblem(t, e.call("POST", path+"/resend", admin, nil), 409, "conflict")
		})
	}
}

// A sole proprietor has no tax ID and holds one campaign with one number
// (R23).
func TestSoleProprietorCampaignAPI(t *testing.T) {
	t.Parallel()
	e := newSimEnv(t)
	a, admin := e.tenant("Dana Reyes")
	base := "/v1/tenants/" + a
	withTax := smsadmintest.BrandBodyOf("US", smsadmin.EntitySoleProprietor)
	withTax["tax_id"] = "12-3456789"
	r := e.call("POST", base+"/brands", admin, withTax)
	wantProblem(t, r, 400, "validation_failed")
	if entry(r.Body["errors"], "tax_id", "not_allowed") == nil {
		t.Fatalf("sole proprietor with a tax ID = %s, want tax_id not_allowed", r.Raw)
	}

	brand := e.awaitingBrand(a, admin, smsadmin.EntitySoleProprietor)
	e.must(202, "POST", base+"/brands/"+brand+"/verify", admin, map[string]any{"pin": sim.SimPIN})
	camp := e.must(201, "POST", base+"/campaigns", admin, smsadmintest.CampaignBody(brand, "US"))
	if camp.Body["number_limit"] != float64(1) {
		t.Fatalf("sole proprietor's campaign = %s, want number_limit 1", camp.Raw)
	}
	wantProblem(t, e.call("POST", base+"/campaigns", admin, smsadmintest.CampaignBody(brand, "US")), 409, "conflict")
	cid := camp.str("id")
	e.must(202, "POST", base+"/campaigns/"+cid+"/submit", admin, nil)
	e.RunFor(time.Minute)
	if got := e.must(200, "GET", base+"/campaigns/"+cid, admin, nil); got.str("status") != "verified" {
		t.Fatalf("campaign after review = %s", got.Raw)
	}
	limit := base + "/campaigns/" + cid + "/number-limit"
	wantProblem(t, e.call("PUT", limit, supportToken, map[string]any{"number_limit": 2}), 409, "conflict")
	if got := e.must(200, "PUT", limit, supportToken, map[string]any{"number_limit": 1}); got.Body["number_limit"] != float64(1) {
		t.Fatalf("limit 1 = %s", got.Raw)
	}
	// A company's campaign, beside it, takes more.
	other := e.must(201, "POST", base+"/brands", admin, smsadmintest.BrandBody("US")).str("id")
	oc := e.must(201, "POST", base+"/campaigns", admin, smsadmintest.CampaignBody(other, "US"))
	if oc.Body["number_limit"] != float64(smsadmin.DefaultNumberLimit) {
		t.Fatalf("a company's campaign = %s, want the default limit", oc.Raw)
	}
}

// message_flow (the carriers' name) and opt_in_description (API.md's) are
// one field: giving either sets both; giving both, different, is refused
// on message_flow.
func TestCampaignMessageFlowAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	base := "/v1/tenants/" + a
	brand := e.must(201, "POST", base+"/brands", admin, smsadmintest.BrandBody("US")).str("id")
	const flow = "Customers opt in by ticking the SMS box on the order form at acme.example.com."
	const other = "Customers opt in by texting JOIN to our number, as our receipts say."
	both := func(r resp, want string) {
		t.Helper()
		if r.str("message_flow") != want || r.str("opt_in_description") != want {
			t.Fatalf("message_flow %q, opt_in_description %q, want both %q\n%s", r.str("message_flow"), r.str("opt_in_description"), want, r.Raw)
		}
	}
	c := e.must(201, "POST", base+"/campaigns", admin, map[string]any{"brand_id": brand, "message_flow": flow})
	both(c, flow)
	path := base + "/campaigns/" + c.str("id")
	both(e.must(200, "GET", path, admin, nil), flow)
	both(e.must(200, "PATCH", path, admin, map[string]any{"opt_in_description": other}), other)
	both(e.must(200, "PATCH", path, admin, map[string]any{"message_flow": flow}), flow)
	both(e.must(200, "PATCH", path, admin, map[string]any{"message_flow": other, "opt_in_description": other}), other)
	for _, r := range []resp{
		e.call("POST", base+"/campaigns", admin, map[string]any{"brand_id": brand, "message_flow": flow, "opt_in_description": other}),
		e.call("PATCH", path, admin, map[string]any{"message_flow": flow, "opt_in_description": other}),
	} {
		wantProblem(t, r, 400, "validation_failed")
		if entry(r.Body["errors"], "message_flow", "invalid") == nil {
			t.Fatalf("differing message_flow and opt_in_description = %s, want field message_flow", r.Raw)
		}
	}
	both(e.must(200, "GET", path, admin, nil), other)
}

// A brand's address is of its country (R23): a state of another country
// is refused on state; a Canadian postal code is stored in its written
// form; only a public company has a stock listing.
func TestBrandAddressAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	base := "/v1/tenants/" + a + "/brands"
	bad := smsadmintest.BrandBody("US")
	bad["state"] = "ON"
	r := e.call("POST", base, admin, bad)
	wantProblem(t, r, 400, "validation_failed")
	if entry(r.Body["errors"], "state", "invalid") == nil {
		t.Fatalf("US brand in ON = %s, want field state", r.Raw)
	}
	ca := smsadmintest.BrandBody("CA")
	ca["postal_code"] = "k1a0a9"
	b := e.must(201, "POST", base, admin, ca)
	if b.str("postal_code") != "K1A 0A9" || b.str("state") != "ON" {
		t.Fatalf("CA brand = %s, want postal_code K1A 0A9", b.Raw)
	}
	r = e.call("PATCH", base+"/"+b.str("id"), admin, map[string]any{"state": "NY"})
	wantProblem(t, r, 400, "validation_failed")
	if entry(r.Body["errors"], "state", "invalid") == nil {
		t.Fatalf("CA brand moved to NY = %s, want field state", r.Raw)
	}
	listed := smsadmintest.BrandBody("US")
	listed["stock_symbol"] = "ACME"
	r = e.call("POST", base, admin, listed)
	wantProblem(t, r, 400, "validation_failed")
	if entry(r.Body["errors"], "stock_symbol", "not_allowed") == nil {
		t.Fatalf("private company with a stock symbol = %s, want stock_symbol not_allowed", r.Raw)
	}
	// What the carrier reports is read only.
	wantProblem(t, e.call("PATCH", base+"/"+b.str("id"), admin, map[string]any{"awaiting": nil}), 400, "validation_failed")
	wantProblem(t, e.call("PATCH", base+"/"+b.str("id"), admin, map[string]any{"identity_status": "verified"}), 400, "validation_failed")
}

// A draft brand or campaign (never submitted) can be deleted: 204, then
// it is not found; a submitted one stays (409 conflict), as does a brand
// with campaigns. Another tenant's admin gets 404, a user token 403. The
// deletion is in the audit log with its actor and the draft as it was.
func TestDeleteDraftAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	g, other := e.tenant("Globex")
	base := "/v1/tenants/" + a
	user := e.userToken(a, admin, e.user(a, admin, "Ursula"))
	me := e.must(200, "GET", "/v1/me", admin, nil).str("principal_id")

	draft := e.must(201, "POST", base+"/brands", admin, map[string]any{}).str("id") // a nameless draft
	brand := e.must(201, "POST", base+"/brands", admin, smsadmintest.BrandBody("US")).str("id")
	campaign := e.must(201, "POST", base+"/campaigns", admin, smsadmintest.CampaignBody(brand, "US")).str("id")
	for _, path := range []string{base + "/brands/" + draft, base + "/campaigns/" + campaign} {
		wantProblem(t, e.call("DELETE", path, user, nil), 403, "forbidden")
		wantProblem(t, e.call("DELETE", path, other, nil), 404, "not_found")
		e.must(200, "GET", path, admin, nil)
	}
	// Another tenant's brand, named in the other tenant's own path.
	wantProblem(t, e.call("DELETE", "/v1/tenants/"+g+"/brands/"+draft, other, nil), 404, "not_found")

	// The brand has a campaign: it stays, and the refusal names it.
	r := e.call("DELETE", base+"/brands/"+brand, admin, nil)
	wantProblem(t, r, 409, "conflict")
	if !strings.Contains(r.str("detail"), campaign) {
		t.Errorf("the refusal does not name the brand's campaign %s: %s", campaign, r.Raw)
	}

	for _, path := range []string{base + "/brands/" + draft, base + "/campaigns/" + campaign, base + "/brands/" + brand} {
		if r := e.must(204, "DELETE", path, admin, nil); r.Raw != "" {
			t.Errorf("DELETE %s answered a body: %s", path, r.Raw)
		}
		wantProblem(t, e.call("GET", path, admin, nil), 404, "not_found")
		wantProblem(t, e.call("DELETE", path, admin, nil), 404, "not_found")
	}
	audited := map[string]map[string]any{}
	for _, en := range e.audit(a) {
		if action, _ := en["action"].(string); strings.HasSuffix(action, ".delete") {
			audited[en["object"].(string)] = en
		}
	}
	for _, object := range []string{"brand/" + draft, "campaign/" + campaign, "brand/" + brand} {
		en := audited[object]
		before, _ := en["before"].(map[string]any)
		if en == nil || en["actor"] != me || before["status"] != "draft" || en["after"] != nil {
			t.Errorf("the audit entry of deleting %s = %v; want one by %s, the draft before, nothing after", object, en, me)
		}
	}
	if got := audited["brand/"+brand]["action"]; got != "brand.delete" {
		t.Errorf("deleting a brand is audited as %v", got)
	}
	if got := audited["campaign/"+campaign]["action"]; got != "campaign.delete" {
		t.Errorf("deleting a campaign is audited as %v", got)
	}

	// Submitted, a brand and its campaign stay.
	submitted := e.must(201, "POST", base+"/brands", admin, smsadmintest.BrandBody("US")).str("id")
	e.must(202, "POST", base+"/brands/"+submitted+"/submit", admin, nil)
	sc := e.must(201, "POST", base+"/campaigns", admin, smsadmintest.CampaignBody(submitted, "US")).str("id")
	e.must(202, "POST", base+"/campaigns/"+sc+"/submit", admin, nil)
	for _, path := range []string{base + "/campaigns/" + sc, base + "/brands/" + submitted} {
		wantProblem(t, e.call("DELETE", path, admin, nil), 409, "conflict")
		e.must(200, "GET", path, admin, nil)
	}
}
