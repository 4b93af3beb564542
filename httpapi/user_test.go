package httpapi_test

import (
	"strings"
	"testing"
)

func TestCreateAndReadUser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	r := e.must(201, "POST", "/v1/tenants/"+a+"/users", admin, map[string]any{"name": " Ada Lovelace ", "email": "Ada@Example.com", "license": "X2"})
	id := r.str("id")
	got := e.must(200, "GET", "/v1/tenants/"+a+"/users/"+id, admin, nil)
	if got.str("name") != "Ada Lovelace" || got.str("email") != "ada@example.com" || got.str("license") != "X2" {
		t.Errorf("user = %s", got.Raw)
	}
	if got.Body["sms_number"] != nil {
		t.Errorf("sms_number = %v, want null", got.Body["sms_number"])
	}
	if nums, ok := got.Body["phone_numbers"].([]any); !ok || len(nums) != 0 {
		t.Errorf("phone_numbers = %v, want []", got.Body["phone_numbers"])
	}
	// Without a license: null.
	r = e.must(201, "POST", "/v1/tenants/"+a+"/users", admin, map[string]any{"name": "Bo", "email": "bo@example.com"})
	if _, ok := r.Body["license"]; !ok || r.Body["license"] != nil {
		t.Errorf("license = %v, want null", r.Body["license"])
	}
}

func TestCreateUserValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	e.user(a, admin, "Alice")
	tests := []struct {
		name  string
		body  any
		code  string
		field string
	}{
		{"no name", map[string]any{"email": "x@example.com"}, "validation_failed", "name"},
		{"bad email", map[string]any{"name": "X", "email": "not-an-email"}, "validation_failed", "email"},
		{"empty license", map[string]any{"name": "X", "email": "x@example.com", "license": ""}, "validation_failed", "license"},
		{"long license", map[string]any{"name": "X", "email": "x@example.com", "license": strings.Repeat("L", 65)}, "validation_failed", "license"},
		{"license of the wrong type", map[string]any{"name": "X", "email": "x@example.com", "license": 4}, "validation_failed", "license"},
		{"unknown field", map[string]any{"name": "X", "email": "x@example.com", "licence": "X2"}, "validation_failed", "licence"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.call("POST", "/v1/tenants/"+a+"/users", admin, tt.body)
			wantProblem(t, r, 400, tt.code)
			errs, _ := r.Body["errors"].([]any)
			if len(errs) == 0 || errs[0].(map[string]any)["field"] != tt.field {
				t.Errorf("errors = %v, want one on field %q", r.Body["errors"], tt.field)
			}
		})
	}
	// Email unique per tenant, whatever its case; the same email is fine in
	// another tenant.
	wantProblem(t, e.call("POST", "/v1/tenants/"+a+"/users", admin, map[string]any{"name": "A2", "email": "ALICE@example.com"}), 409, "conflict")
	b, adminB := e.tenant("Globex")
	e.must(201, "POST", "/v1/tenants/"+b+"/users", adminB, map[string]any{"name": "Alice", "email": "alice@example.com"})
}

// PATCH replaces the license (null removes it) and leaves absent fields
// alone.
func TestPatchUserLicense(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	u := e.user(a, admin, "Alice")
	p := "/v1/tenants/" + a + "/users/" + u
	if r := e.must(200, "PATCH", p, admin, map[string]any{"license": "X4"}); r.str("license") != "X4" {
		t.Fatalf("license = %v, want X4", r.Body["license"])
	}
	if r := e.must(200, "PATCH", p, admin, map[string]any{"name": "Alice B"}); r.str("license") != "X4" || r.str("name") != "Alice B" {
		t.Fatalf("absent license changed: %s", r.Raw)
	}
	if r := e.must(200, "PATCH", p, admin, map[string]any{"license": nil}); r.Body["license"] != nil {
		t.Fatalf("license = %v, want null", r.Body["license"])
	}
	wantProblem(t, e.call("PATCH", p, admin, map[string]any{"phone_numbers": nil}), 400, "validation_failed")
	wantProblem(t, e.call("PATCH", "/v1/tenants/"+a+"/users/usr_nope", admin, map[string]any{"license": "X2"}), 404, "not_found")
}

// R1, R2 at the API: typed numbers are normalised, bad ones refused with the
// right code; R3: a number belongs to one user at most.
func TestPhoneNumbers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	alice := e.user(a, admin, "Alice")
	bob := e.user(a, admin, "Bob")
	base := "/v1/tenants/" + a + "/phone-numbers"

	r := e.must(201, "POST", base, admin, map[string]any{"number": "+1 (415) 555-0123", "user_id": alice})
	if r.str("number") != "+14155550123" || r.str("country") != "US" || r.str("user_id") != alice {
		t.Fatalf("created %s", r.Raw)
	}
	e.must(201, "POST", base, admin, map[string]any{"number": "+61 412 345 678"})
	e.must(201, "POST", base, admin, map[string]any{"number": "+16135550123"})
	wantProblem(t, e.call("POST", base, admin, map[string]any{"number": "+442071838750"}), 400, "unsupported_country")
	wantProblem(t, e.call("POST", base, admin, map[string]any{"number": "415-555-0199"}), 400, "invalid_phone_number")
	wantProblem(t, e.call("POST", base, admin, map[string]any{"number": "+14155550123"}), 409, "conflict")
	wantProblem(t, e.call("POST", base, admin, map[string]any{"number": "+14155550126", "user_id": "usr_nope"}), 404, "not_found")
	// A number is in one inventory only.
	b, adminB := e.tenant("Globex")
	wantProblem(t, e.call("POST", "/v1/tenants/"+b+"/phone-numbers", adminB, map[string]any{"number": "+1 415 555 0123"}), 409, "conflict")

	got := e.must(200, "GET", base+"/%2B14155550123", admin, nil)
	if got.str("user_id") != alice {
		t.Errorf("GET number = %s", got.Raw)
	}
	wantProblem(t, e.call("GET", base+"/%2B14155550199", admin, nil), 404, "number_not_found")

	// R3: Bob cannot take Alice's number; he can take an unowned one.
	userPath := "/v1/tenants/" + a + "/users/"
	wantProblem(t, e.call("PATCH", userPath+bob, admin, map[string]any{"phone_numbers": []string{"+14155550123"}}), 409, "conflict")
	wantProblem(t, e.call("PATCH", userPath+bob, admin, map[string]any{"phone_numbers": []string{"+14155550177"}}), 404, "number_not_found")
	wantProblem(t, e.call("PATCH", userPath+bob, admin, map[string]any{"phone_numbers": []string{"+44 20 7183 8750"}}), 400, "unsupported_country")
	r = e.must(200, "PATCH", userPath+bob, admin, map[string]any{"phone_numbers": []string{"+61412345678", "+1 613 555 0123", "+61 412 345 678"}})
	if got := r.Body["phone_numbers"]; len(got.([]any)) != 2 {
		t.Fatalf("phone_numbers = %v, want the two distinct numbers", got)
	}
	owned := e.must(200, "GET", base+"?user_id="+bob, admin, nil).items()
	if len(owned) != 2 {
		t.Fatalf("Bob's numbers = %v", owned)
	}
	// Replacing the list returns left-out numbers to the inventory.
	e.must(200, "PATCH", userPath+bob, admin, map[string]any{"phone_numbers": []string{"+16135550123"}})
	unowned := e.must(200, "GET", base+"?unowned=true", admin, nil).items()
	if len(unowned) != 1 || unowned[0]["number"] != "+61412345678" {
		t.Fatalf("unowned = %v, want +61412345678", unowned)
	}
	// Deleting a number takes it from its user too.
	e.must(204, "DELETE", base+"/%2B14155550123", admin, nil)
	if u := e.must(200, "GET", userPath+alice, admin, nil); len(u.Body["phone_numbers"].([]any)) != 0 {
		t.Errorf("Alice still holds a deleted number: %s", u.Raw)
	}
}
