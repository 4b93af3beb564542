package httpapi_test

import (
	"encoding/json"
	"testing"
)

// R20: every change writes one audit entry with who, when, what, before and
// after.
func TestAuditRecordsEachChange(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	me := e.must(200, "GET", "/v1/me", admin, nil).str("principal_id")
	u := e.user(a, admin, "Alice")
	e.number(a, admin, "+14155550123", "")
	e.must(200, "PATCH", "/v1/tenants/"+a+"/users/"+u, admin, map[string]any{"license": "X4", "phone_numbers": []string{"+14155550123"}})
	e.must(204, "DELETE", "/v1/tenants/"+a+"/phone-numbers/%2B14155550123", admin, nil)

	entries := e.audit(a)
	var actions []string
	for _, en := range entries {
		actions = append(actions, en["action"].(string))
	}
	want := []string{"number.delete", "user.update", "number.update", "number.create", "user.create", "principal.create", "tenant.create"}
	if len(actions) != len(want) {
		t.Fatalf("actions = %v, want %v", actions, want)
	}
	for i := range want {
		if actions[i] != want[i] {
			t.Fatalf("actions = %v, want %v", actions, want)
		}
	}
	upd := entries[1]
	if upd["actor"] != me || upd["actor_role"] != "admin" || upd["object"] != "user/"+u || upd["at"] == "" {
		t.Errorf("user.update entry = %v", upd)
	}
	before, _ := json.Marshal(upd["before"])
	after, _ := json.Marshal(upd["after"])
	var b, af struct {
		License      *string  `json:"license"`
		PhoneNumbers []string `json:"phone_numbers"`
	}
	_ = json.Unmarshal(before, &b)
	_ = json.Unmarshal(after, &af)
	if b.License == nil || *b.License != "X2" || len(b.PhoneNumbers) != 0 || af.License == nil || *af.License != "X4" || len(af.PhoneNumbers) != 1 {
		t.Errorf("before = %s, after = %s", before, after)
	}
	if entries[0]["after"] != nil || entries[0]["before"] == nil {
		t.Errorf("number.delete entry: before %v after %v, want a snapshot then null", entries[0]["before"], entries[0]["after"])
	}
	if entries[len(entries)-1]["before"] != nil {
		t.Errorf("tenant.create has a before: %v", entries[len(entries)-1]["before"])
	}
	// Filters.
	byObject := e.must(200, "GET", "/v1/tenants/"+a+"/audit?object=user/"+u, admin, nil).items()
	if len(byObject) != 2 {
		t.Errorf("entries for user/%s = %d, want 2", u, len(byObject))
	}
	// The actor's name is recorded beside its ID.
	if entries[4]["actor_name"] == "" {
		t.Errorf("no actor_name on %v", entries[4])
	}
}

// R20: a change that fails writes nothing, not even the parts of it that
// came before the failure.
func TestAuditNotWrittenForFailedChange(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	alice := e.user(a, admin, "Alice")
	bob := e.user(a, admin, "Bob")
	e.number(a, admin, "+14155550123", "")
	e.number(a, admin, "+14155550124", bob)
	n := len(e.audit(a))

	failing := []struct {
		method, path string
		body         any
		status       int
	}{
		{"POST", "/v1/tenants/" + a + "/users", map[string]any{"name": "A", "email": "alice@example.com"}, 409},
		{"POST", "/v1/tenants/" + a + "/users", map[string]any{"name": "", "email": "x@example.com"}, 400},
		// The first number could be taken; the second belongs to Bob: all of
		// it fails, so the first stays unowned and nothing is recorded.
		{"PATCH", "/v1/tenants/" + a + "/users/" + alice, map[string]any{"license": "X9", "phone_numbers": []string{"+14155550123", "+14155550124"}}, 409},
		{"PATCH", "/v1/tenants/" + a + "/users/" + alice, map[string]any{"phone_numbers": []string{"+14155550123", "+14155550199"}}, 404},
		{"POST", "/v1/tenants/" + a + "/phone-numbers", map[string]any{"number": "+14155550123"}, 409},
		{"POST", "/v1/tenants/" + a + "/phone-numbers", map[string]any{"number": "+33142685300"}, 400},
		{"POST", "/v1/tenants/" + a + "/tokens", map[string]any{"role": "user", "user_id": "usr_nope"}, 404},
	}
	for _, f := range failing {
		e.must(f.status, f.method, f.path, admin, f.body)
	}
	if got := len(e.audit(a)); got != n {
		t.Fatalf("audit entries = %d after failed changes, want %d", got, n)
	}
	u := e.must(200, "GET", "/v1/tenants/"+a+"/users/"+alice, admin, nil)
	if u.str("license") != "X2" || len(u.Body["phone_numbers"].([]any)) != 0 {
		t.Fatalf("a failed PATCH changed the user: %s", u.Raw)
	}
	if got := e.must(200, "GET", "/v1/tenants/"+a+"/phone-numbers/%2B14155550123", admin, nil); got.str("user_id") != "" {
		t.Fatalf("a failed PATCH changed the number: %s", got.Raw)
	}
	// A PATCH that changes nothing records nothing.
	e.must(200, "PATCH", "/v1/tenants/"+a+"/users/"+alice, admin, map[string]any{"license": "X2"})
	if got := len(e.audit(a)); got != n {
		t.Fatalf("audit entries = %d after a no-op PATCH, want %d", got, n)
	}
}
