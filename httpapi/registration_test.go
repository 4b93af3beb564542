package httpapi_test

import (
	"testing"
	"time"

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
}
