package httpapi_test

import (
	"strings"
	"testing"
)

// wantFieldProblem checks a 400 validation_failed that names field.
func wantFieldProblem(t *testing.T, r resp, field string) {
	t.Helper()
	wantProblem(t, r, 400, "validation_failed")
	errs, _ := r.Body["errors"].([]any)
	for _, e := range errs {
		if m, _ := e.(map[string]any); m["field"] == field {
			return
		}
	}
	t.Errorf("errors = %v, want one on field %q", r.Body["errors"], field)
}

// The JSON decoder is strict: Go's encoding/json alone would take each of
// these bodies (replacing, overwriting or matching leniently).
func TestStrictJSON(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	users := "/v1/tenants/" + a + "/users"
	tests := []struct {
		name  string
		path  string
		body  string
		field string // "" for a problem with the body as a whole
	}{
		{"null body", "/v1/tenants", `null`, ""},
		{"null body with spaces", "/v1/tenants", " null\n", ""},
		{"invalid UTF-8", "/v1/tenants", "{\"name\":\"Acme \xff\xfe\"}", ""},
		{"lone surrogate escape", "/v1/tenants", `{"name":"Acme \ud800"}`, "name"},
		{"duplicate key", users, `{"name":"Ada","email":"ada@example.com","email":"eve@example.com"}`, "email"},
		{"duplicate key in another case", users, `{"name":"Ada","email":"ada@example.com","EMAIL":"eve@example.com"}`, "EMAIL"},
		{"key in another case", users, `{"Name":"Ada","email":"ada@example.com"}`, "Name"},
		{"key in upper case", "/v1/tenants", `{"NAME":"Acme"}`, "NAME"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.call("POST", tt.path, admin, tt.body)
			if tt.path == "/v1/tenants" {
				r = e.call("POST", tt.path, supportToken, tt.body)
			}
			if tt.field == "" {
				wantProblem(t, r, 400, "validation_failed")
				return
			}
			wantFieldProblem(t, r, tt.field)
		})
	}
}

// Strings are capped in characters (not bytes), refuse control characters
// except where a field allows newlines, need a visible character in names,
// and are stored in NFC.
func TestStringFields(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	users := "/v1/tenants/" + a + "/users"
	refused := []struct {
		name  string
		path  string
		body  map[string]any
		field string
	}{
		{"long email", users, map[string]any{"name": "Ada", "email": strings.Repeat("a", 900) + "@example.com"}, "email"},
		{"NUL in a name", users, map[string]any{"name": "Ada\x00", "email": "ada@example.com"}, "name"},
		{"newline in a name", users, map[string]any{"name": "Ada\nLovelace", "email": "ada@example.com"}, "name"},
		{"C1 control in a name", users, map[string]any{"name": "Ada\u0085", "email": "ada@example.com"}, "name"},
		{"escape in a tenant name", "/v1/tenants", map[string]any{"name": "Acme\x1b[31m"}, "name"},
		{"invisible name", users, map[string]any{"name": "\u200b\u200d", "email": "ada@example.com"}, "name"},
		{"hangul filler name", users, map[string]any{"name": "\u3164", "email": "ada@example.com"}, "name"},
		{"invisible tenant name", "/v1/tenants", map[string]any{"name": "\u2060\ufeff"}, "name"},
		{"long name in characters", users, map[string]any{"name": strings.Repeat("é", 201), "email": "ada@example.com"}, "name"},
		{"long license in characters", users, map[string]any{"name": "Ada", "email": "ada@example.com", "license": strings.Repeat("é", 65)}, "license"},
		{"long website", "/v1/tenants/" + a + "/brands", map[string]any{"legal_name": "Acme", "website": "https://example.com/" + strings.Repeat("a", 900_000)}, "website"},
		{"control in a legal name", "/v1/tenants/" + a + "/brands", map[string]any{"legal_name": "Acme\x07"}, "legal_name"},
		{"NUL in a description", "/v1/tenants/" + a + "/campaigns", map[string]any{"brand_id": "brd_x", "description": "Reminders of appointments\x00 and more text here."}, "description"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			token := admin
			if tt.path == "/v1/tenants" {
				token = supportToken
			}
			wantFieldProblem(t, e.call("POST", tt.path, token, tt.body), tt.field)
		})
	}
	// 200 two-byte characters are 200 characters, within the cap.
	long := strings.Repeat("é", 200)
	if r := e.must(201, "POST", users, admin, map[string]any{"name": long, "email": "long@example.com", "license": strings.Repeat("é", 64)}); r.str("name") != long {
		t.Errorf("name = %q", r.str("name"))
	}
	// NFC: e + combining acute is stored as é.
	if r := e.must(201, "POST", users, admin, map[string]any{"name": "Rene\u0301 Magritte", "email": "rene@example.com"}); r.str("name") != "René Magritte" {
		t.Errorf("name = %q, want NFC %q", r.str("name"), "René Magritte")
	}
	if r := e.must(201, "POST", "/v1/tenants", supportToken, map[string]any{"name": "Cafe\u0301"}); r.str("name") != "Café" {
		t.Errorf("tenant name = %q, want NFC %q", r.str("name"), "Café")
	}
}

// number_limit is a whole number in range; 48.5 and 2^63 say so.
func TestNumberLimitWholeNumber(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, _ := e.tenant("Acme")
	for _, body := range []string{`{"number_limit":48.5}`, `{"number_limit":9223372036854775808}`, `{"number_limit":1e3}`, `{"number_limit":0}`, `{"number_limit":-1}`} {
		r := e.call("PUT", "/v1/tenants/"+a+"/campaigns/cmp_none/number-limit", supportToken, body)
		wantFieldProblem(t, r, "number_limit")
		if !strings.Contains(r.str("detail"), "must be a whole number between 1 and 100000") {
			t.Errorf("%s: detail = %q", body, r.str("detail"))
		}
	}
}

// ?object=number/+1… works although + decodes to a space in a query;
// number/%2B1… too.
func TestAuditObjectNumber(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	e.number(a, admin, "+14155550123", "")
	for _, q := range []string{"number/+14155550123", "number/%2B14155550123", "number/+1%20415%20555%200123"} {
		items := e.must(200, "GET", "/v1/tenants/"+a+"/audit?object="+q, admin, nil).items()
		if len(items) == 0 {
			t.Errorf("?object=%s: no entries", q)
		}
		for _, it := range items {
			if it["object"] != "number/+14155550123" {
				t.Errorf("?object=%s: entry on %v", q, it["object"])
			}
		}
	}
	wantFieldProblem(t, e.call("GET", "/v1/tenants/"+a+"/audit?object=number/+1415", admin, nil), "object")
}

// A cursor the server did not issue is a 400, even when it is base64.
func TestUnknownCursor(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	for _, c := range []string{"AAAA", "MTIz", "dXNyX3g"} {
		wantFieldProblem(t, e.call("GET", "/v1/tenants/"+a+"/users?cursor="+c, admin, nil), "cursor")
		wantFieldProblem(t, e.call("GET", "/v1/tenants/"+a+"/audit?cursor="+c, admin, nil), "cursor")
	}
}
