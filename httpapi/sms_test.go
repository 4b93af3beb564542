package httpapi_test

import (
	"fmt"
	"testing"
	"time"

	"smsadmin/smsadmintest"
)

// The SMS endpoints over HTTP, as API.md fixes them: bulk answers, roles,
// confirmation, the user's own view.
func TestSMSAPI(t *testing.T) {
	t.Parallel()
	e := newSimEnv(t)
	a, admin := e.tenant("Acme")
	base := "/v1/tenants/" + a
	alice := e.user(a, admin, "Alice")
	bob := e.user(a, admin, "Bob")
	e.number(a, admin, "+14155550123", alice)
	e.number(a, admin, "+14155550124", alice)
	e.number(a, admin, "+14155550125", bob)
	brand := e.must(201, "POST", base+"/brands", admin, smsadmintest.BrandBody("US")).str("id")
	e.must(202, "POST", base+"/brands/"+brand+"/submit", admin, nil)
	camp := e.must(201, "POST", base+"/campaigns", admin, smsadmintest.CampaignBody(brand, "US")).str("id")
	e.must(202, "POST", base+"/campaigns/"+camp+"/submit", admin, nil)
	e.RunFor(time.Minute)

	r := e.must(202, "POST", base+"/sms/numbers/enable", admin, map[string]any{"numbers": []string{"+1 415 555 0123", "+14155550124", "+442071838750"}})
	results, _ := r.Body["results"].([]any)
	if len(results) != 3 {
		t.Fatalf("results = %s", r.Raw)
	}
	first, second, third := results[0].(map[string]any), results[1].(map[string]any), results[2].(map[string]any)
	if first["ok"] != true || first["number"] != "+14155550123" || first["status"] != "pending" || first["pending_operation"] != "enable" || first["is_default"] != true {
		t.Errorf("first = %v", first)
	}
	if second["ok"] != false || second["error"].(map[string]any)["code"] != "duplicate_user_in_request" {
		t.Errorf("second = %v", second)
	}
	if third["ok"] != false || third["error"].(map[string]any)["code"] != "unsupported_country" || third["number"] != "+442071838750" {
		t.Errorf("third = %v", third)
	}
	many := make([]string, 1001)
	for i := range many {
		many[i] = fmt.Sprintf("+1415555%04d", i)
	}
	wantProblem(t, e.call("POST", base+"/sms/numbers/enable", admin, map[string]any{"numbers": many}), 413, "bulk_too_large")
	wantProblem(t, e.call("POST", base+"/sms/numbers/enable", admin, map[string]any{"numbers": []string{}}), 400, "validation_failed")
	wantProblem(t, e.call("POST", base+"/sms/numbers/assign", admin, map[string]any{"campaign_id": "cmp_nope", "numbers": []string{"+14155550123"}}), 404, "not_found")

	wantProblem(t, e.call("GET", base+"/sms/numbers?status=disabled", admin, nil), 400, "validation_failed")
	wantProblem(t, e.call("GET", base+"/sms/numbers?status=Enabled", admin, nil), 400, "validation_failed")
	wantProblem(t, e.call("GET", base+"/campaigns?status=approved", admin, nil), 400, "validation_failed")

	e.RunFor(time.Minute)
	list := e.must(200, "GET", base+"/sms/numbers?status=enabled_unassigned", admin, nil).items()
	if len(list) != 1 || list[0]["number"] != "+14155550123" || list[0]["user_id"] != alice || list[0]["campaign_id"] != nil {
		t.Fatalf("SMS page = %v", list)
	}
	r = e.must(202, "POST", base+"/sms/numbers/assign", admin, map[string]any{"campaign_id": camp, "numbers": []string{"+14155550123"}})
	if res := r.Body["results"].([]any)[0].(map[string]any); res["ok"] != true || res["pending_operation"] != "assign" || res["campaign_id"] != camp {
		t.Fatalf("assign = %s", r.Raw)
	}
	e.RunFor(time.Minute)
	if c := e.must(200, "GET", base+"/campaigns/"+camp, admin, nil); c.Body["number_count"] != float64(1) {
		t.Fatalf("campaign = %s", c.Raw)
	}

	// The profile: the user's own token reads it; enabling assigns (R6).
	bobTok := e.userToken(a, admin, bob)
	r = e.must(202, "PUT", base+"/users/"+bob+"/sms", admin, map[string]any{"number": "+14155550125", "enabled": true})
	if r.str("campaign_id") != camp || r.Body["warning"] != nil {
		t.Fatalf("profile enable = %s", r.Raw)
	}
	e.RunFor(time.Minute)
	own := e.must(200, "GET", base+"/users/"+bob+"/sms", bobTok, nil)
	if own.Body["can_send"] != true || len(own.Body["numbers"].([]any)) != 1 {
		t.Fatalf("Bob's SMS = %s", own.Raw)
	}
	wantProblem(t, e.call("GET", base+"/users/"+alice+"/sms", bobTok, nil), 403, "forbidden")
	wantProblem(t, e.call("PUT", base+"/users/"+bob+"/sms", bobTok, map[string]any{"number": "+14155550125", "enabled": false}), 403, "forbidden")
	wantProblem(t, e.call("PUT", base+"/users/"+bob+"/sms", admin, map[string]any{"number": "+14155550125"}), 400, "validation_failed")
	if u := e.must(200, "GET", base+"/users/"+alice, admin, nil); u.str("sms_number") != "+14155550123" {
		t.Fatalf("Alice = %s", u.Raw)
	}
	// The users list shows each one's default SMS number too (R4).
	smsNumbers := map[any]any{}
	for _, u := range e.must(200, "GET", base+"/users", admin, nil).items() {
		smsNumbers[u["id"]] = u["sms_number"]
	}
	if smsNumbers[alice] != "+14155550123" || smsNumbers[bob] != "+14155550125" {
		t.Fatalf("users list's sms_number = %v", smsNumbers)
	}

	// R9 limit: support only; R14 deactivate: confirmation, then final.
	wantProblem(t, e.call("PUT", base+"/campaigns/"+camp+"/number-limit", admin, map[string]any{"number_limit": 100}), 403, "forbidden")
	wantProblem(t, e.call("PUT", base+"/campaigns/"+camp+"/number-limit", supportToken, map[string]any{"number_limit": 1}), 409, "conflict")
	if c := e.must(200, "PUT", base+"/campaigns/"+camp+"/number-limit", supportToken, map[string]any{"number_limit": 100}); c.Body["number_limit"] != float64(100) {
		t.Fatalf("limit = %s", c.Raw)
	}
	wantProblem(t, e.call("POST", base+"/campaigns/"+camp+"/deactivate", admin, map[string]any{}), 400, "confirmation_required")
	wantProblem(t, e.call("POST", base+"/campaigns/"+camp+"/deactivate", admin, nil), 400, "confirmation_required")
	if c := e.must(202, "POST", base+"/campaigns/"+camp+"/deactivate", admin, map[string]any{"confirm": true}); c.str("status") != "deactivated" {
		t.Fatalf("deactivate = %s", c.Raw)
	}
	e.RunFor(time.Minute)
	if list := e.must(200, "GET", base+"/sms/numbers", admin, nil).items(); len(list) != 0 {
		t.Fatalf("numbers left after deactivation: %v", list)
	}
	// Every step is in the audit log.
	if n := len(e.must(200, "GET", base+"/audit?object=number/%2B14155550123&limit=500", admin, nil).items()); n < 6 {
		t.Errorf("%d audit entries for the number", n)
	}
}

// An enable that turns off its user's other SMS number (R4) names it in
// its result, "replaced", from the bulk route and the profile's toggle
// alike; an ordinary enable has no "replaced".
func TestSMSAPIReplaced(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	base := "/v1/tenants/" + a
	alice, bob := e.user(a, admin, "Alice"), e.user(a, admin, "Bob")
	const first, second, bobs = "+14155550123", "+14155550124", "+14155550125"
	e.number(a, admin, first, alice)
	e.number(a, admin, second, alice)
	e.number(a, admin, bobs, bob)
	result := func(r resp, i int) map[string]any {
		t.Helper()
		results, _ := r.Body["results"].([]any)
		if len(results) <= i {
			t.Fatalf("no result %d: %s", i, r.Raw)
		}
		res, _ := results[i].(map[string]any)
		return res
	}

	r := e.must(202, "POST", base+"/sms/numbers/enable", admin, map[string]any{"numbers": []string{first, bobs}})
	for i := range 2 {
		if res := result(r, i); res["ok"] != true || res["replaced"] != nil {
			t.Errorf("ordinary enable: result %d = %v; want ok and no replaced", i, res)
		}
	}
	r = e.must(202, "POST", base+"/sms/numbers/enable", admin, map[string]any{"numbers": []string{"+1 415 555 0124"}})
	if res := result(r, 0); res["ok"] != true || res["number"] != second || res["replaced"] != first || res["is_default"] != true {
		t.Errorf("enabling Alice's second number = %v; want replaced %s", res, first)
	}
	r = e.must(202, "PUT", base+"/users/"+alice+"/sms", admin, map[string]any{"number": first, "enabled": true})
	if r.str("replaced") != second {
		t.Errorf("the profile's enable of Alice's first number = %s; want replaced %s", r.Raw, second)
	}
	r = e.must(202, "PUT", base+"/users/"+alice+"/sms", admin, map[string]any{"number": first, "enabled": true})
	if _, ok := r.Body["replaced"]; ok {
		t.Errorf("the profile's enable of a number on already = %s; want no replaced", r.Raw)
	}
}
