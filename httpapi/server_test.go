package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"smsadmin/internal/web"
)

// A handler set mounted at "/" beside the API (as the web console will be)
// answers what the API does not claim, with its own 404 page; the API's
// paths keep their problem+json 404 and 405. The request ID, panic
// recovery and metrics apply to both.
func TestMountBesideAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.h.(*web.Server).Mount("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<p>console home</p>"))
		case "/boom":
			panic("console page failed")
		default:
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte("<p>console: no such page</p>"))
		}
	}))

	wantProblem(t, e.call("GET", "/v1/unknown", supportToken, nil), 404, "not_found")
	wantProblem(t, e.call("GET", "/v1", "", nil), 404, "not_found")
	for _, tt := range []struct{ method, path, allow string }{
		{"GET", "/v1/tenants/ten_x/sms/numbers/enable", "POST"},
		{"PUT", "/v1/tenants", "GET, HEAD, POST"},
		{"POST", "/healthz", "GET, HEAD"},
	} {
		r := e.call(tt.method, tt.path, supportToken, map[string]any{})
		wantProblem(t, r, 405, "method_not_allowed")
		if got := r.Header.Get("Allow"); got != tt.allow {
			t.Errorf("%s %s: Allow = %q, want %q", tt.method, tt.path, got, tt.allow)
		}
	}
	e.must(200, "GET", "/v1/tenants", supportToken, nil)

	page := func(path string, wantStatus int, wantBody string) {
		t.Helper()
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("X-Request-ID", "page-1")
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		if rec.Code != wantStatus || !strings.Contains(rec.Body.String(), wantBody) {
			t.Errorf("GET %s = %d %q, want %d with %q", path, rec.Code, rec.Body.String(), wantStatus, wantBody)
		}
		if got := rec.Header().Get("X-Request-ID"); got != "page-1" {
			t.Errorf("GET %s: X-Request-ID = %q, want page-1", path, got)
		}
	}
	page("/", 200, "console home")
	page("/elsewhere", 404, "console: no such page")
	page("/boom", 500, "internal")
	if r := e.call("GET", "/elsewhere", "", nil); !strings.HasPrefix(r.Header.Get("X-Request-ID"), "req_") {
		t.Errorf("a console page has no generated X-Request-ID: %q", r.Header.Get("X-Request-ID"))
	}

	metrics := e.must(200, "GET", "/metrics", "", nil).Raw
	for _, want := range []string{
		`smsadmin_http_requests_total{code="200",method="GET",route="/"} 1`,
		`smsadmin_http_requests_total{code="404",method="GET",route="/"} 2`,
		`smsadmin_http_requests_total{code="500",method="GET",route="/"} 1`,
		`smsadmin_http_requests_total{code="404",method="GET",route="/v1/"} 1`,
		`smsadmin_http_requests_total{code="405",method="GET",route="/v1/"} 1`,
		`smsadmin_http_requests_total{code="200",method="GET",route="GET /v1/tenants"} 1`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
