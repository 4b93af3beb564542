package httpapi_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestUnknownRouteAndMethod(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	wantProblem(t, e.call("GET", "/v1/nothing-here", supportToken, nil), 404, "not_found")
	wantProblem(t, e.call("GET", "/", "", nil), 404, "not_found")
	r := e.call("PUT", "/v1/tenants", supportToken, map[string]any{})
	wantProblem(t, r, 405, "method_not_allowed")
	if allow := r.Header.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") {
		t.Errorf("Allow = %q, want GET and POST", allow)
	}
}

func TestRequestBodies(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		name   string
		body   string
		status int
		code   string
	}{
		{"empty", "", 400, "validation_failed"},
		{"not JSON", "{name:", 400, "validation_failed"},
		{"not an object", `["x"]`, 400, "validation_failed"},
		{"trailing data", `{"name":"A"}{"name":"B"}`, 400, "validation_failed"},
		{"unknown field", `{"name":"A","owner":"me"}`, 400, "validation_failed"},
		{"wrong type", `{"name":7}`, 400, "validation_failed"},
		{"cut short", `{"name":"A"`, 400, "validation_failed"},
		{"over 1 MiB", `{"name":"` + strings.Repeat("a", 1<<20) + `"}`, 413, "request_too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantProblem(t, e.call("POST", "/v1/tenants", supportToken, tt.body), tt.status, tt.code)
		})
	}
}

func TestRequestID(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	req := httptest.NewRequest("GET", "/v1/tenants", nil)
	req.Header.Set("X-Request-ID", "abc-123")
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	if got := rec.Header().Get("X-Request-ID"); got != "abc-123" {
		t.Errorf("X-Request-ID = %q, want the client's abc-123", got)
	}
	r := e.call("GET", "/v1/tenants", "", nil)
	id := r.Header.Get("X-Request-ID")
	if !strings.HasPrefix(id, "req_") || r.str("request_id") != id {
		t.Errorf("X-Request-ID %q, problem request_id %q: want the same generated ID", id, r.str("request_id"))
	}
}

// Lists page with ?limit and ?cursor, without gaps or repeats.
func TestPagination(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	want := map[string]bool{}
	for i := range 7 {
		want[e.user(a, admin, fmt.Sprintf("User%d", i))] = true
	}
	seen := map[string]bool{}
	var sizes []int
	cursor := ""
	for {
		r := e.must(200, "GET", "/v1/tenants/"+a+"/users?limit=3&cursor="+cursor, admin, nil)
		items := r.items()
		sizes = append(sizes, len(items))
		for _, it := range items {
			id := it["id"].(string)
			if seen[id] {
				t.Fatalf("user %s on two pages", id)
			}
			seen[id] = true
		}
		next, ok := r.Body["next_cursor"]
		if !ok {
			t.Fatalf("no next_cursor member: %s", r.Raw)
		}
		if next == nil {
			break
		}
		cursor = next.(string)
	}
	if fmt.Sprint(sizes) != "[3 3 1]" || len(seen) != len(want) {
		t.Fatalf("page sizes %v, %d users seen, want [3 3 1] and %d", sizes, len(seen), len(want))
	}
	for _, q := range []string{"limit=0", "limit=501", "limit=x", "cursor=not-a-cursor!"} {
		wantProblem(t, e.call("GET", "/v1/tenants/"+a+"/users?"+q, admin, nil), 400, "validation_failed")
	}
	// The audit log pages newest first by its own cursor.
	first := e.must(200, "GET", "/v1/tenants/"+a+"/audit?limit=2", admin, nil)
	second := e.must(200, "GET", "/v1/tenants/"+a+"/audit?limit=2&cursor="+first.str("next_cursor"), admin, nil)
	if a1, a2 := first.items()[1]["id"].(float64), second.items()[0]["id"].(float64); a2 >= a1 {
		t.Errorf("audit page 2 starts at %v after %v: not newest first", a2, a1)
	}
}

func TestHealthReadyMetrics(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.must(200, "GET", "/healthz", "", nil)
	e.must(200, "GET", "/readyz", "", nil)
	e.must(200, "GET", "/v1/tenants", supportToken, nil)
	e.call("GET", "/v1/tenants", "", nil)
	r := e.must(200, "GET", "/metrics", "", nil)
	for _, want := range []string{
		`smsadmin_http_requests_total{code="200",method="GET",route="GET /v1/tenants"} 1`,
		`smsadmin_http_requests_total{code="401",method="GET",route="GET /v1/tenants"} 1`,
		`smsadmin_http_request_duration_seconds_bucket{method="GET",route="GET /v1/tenants"`,
	} {
		if !strings.Contains(r.Raw, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if doc := e.must(200, "GET", "/openapi.json", "", nil); doc.str("openapi") == "" {
		t.Errorf("/openapi.json is not an OpenAPI document")
	}
}
