package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"smsadmin"
	"smsadmin/internal/web"
)

// serve sends a request to srv and returns the answer.
func serve(srv http.Handler, method, path string, body io.Reader, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, body)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	return rec
}

// wantProblem checks that rec is a problem+json of status and code.
func wantProblem(t *testing.T, what string, rec *httptest.ResponseRecorder, status int, code string) {
	t.Helper()
	var p web.Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || rec.Code != status || p.Status != status || p.Code != code ||
		rec.Header().Get("Content-Type") != "application/problem+json" || p.RequestID != rec.Header().Get("X-Request-ID") {
		t.Errorf("%s = %d %s %s, want a problem+json %d %s with the request's ID", what, rec.Code, rec.Header().Get("Content-Type"), rec.Body, status, code)
	}
}

// What every request passes through, whichever handler set serves it:
// the request ID, problem+json for what no pattern matches, recovery, the
// body limit, the log line naming the actor, and metrics by pattern.
func TestServer(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	srv := web.NewServer(web.ServerConfig{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	read := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
		}
	})
	srv.Mount("POST /small", read)
	srv.MountLarge("POST /large", read, 2*web.MaxBodyBytes)
	srv.Mount("GET /items/{id}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		web.NoteActor(r.Context(), smsadmin.Actor{PrincipalID: "prn_ann"})
		_, _ = io.WriteString(w, r.PathValue("id")+" "+smsadmin.RequestIDFrom(r.Context()))
	}))
	srv.Mount("GET /boom", http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("page failed") }))
	srv.Mount("GET /metrics", srv.Metrics())

	if rec := serve(srv, "GET", "/items/7", nil, "X-Request-ID", "given-1"); rec.Code != 200 || rec.Body.String() != "7 given-1" ||
		rec.Header().Get("X-Request-ID") != "given-1" {
		t.Errorf("GET /items/7 = %d %q (X-Request-ID %q), want the client's request ID kept", rec.Code, rec.Body, rec.Header().Get("X-Request-ID"))
	}
	if rec := serve(srv, "GET", "/items/8", nil, "X-Request-ID", "not a sane id\n"); !strings.HasPrefix(rec.Header().Get("X-Request-ID"), "req_") {
		t.Errorf("an unusable client request ID was kept: %q", rec.Header().Get("X-Request-ID"))
	}
	if !strings.Contains(logs.String(), "actor=prn_ann") {
		t.Errorf("the log line does not name the actor:\n%s", logs.String())
	}
	wantProblem(t, "GET /nowhere", serve(srv, "GET", "/nowhere", nil), 404, smsadmin.CodeNotFound)
	rec := serve(srv, "DELETE", "/items/7", nil)
	wantProblem(t, "DELETE /items/7", rec, 405, smsadmin.CodeMethodNotAllowed)
	if allow := rec.Header().Get("Allow"); allow != "GET, HEAD" {
		t.Errorf("DELETE /items/7: Allow = %q", allow)
	}
	wantProblem(t, "GET /boom", serve(srv, "GET", "/boom", nil), 500, smsadmin.CodeInternal)
	if strings.Contains(serve(srv, "GET", "/boom", nil).Body.String(), "page failed") {
		t.Error("a panic's value reached the client")
	}

	big := strings.Repeat("x", web.MaxBodyBytes+1)
	if rec := serve(srv, "POST", "/small", strings.NewReader(big)); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("a body over MaxBodyBytes = %d, want 413", rec.Code)
	}
	if rec := serve(srv, "POST", "/large", strings.NewReader(big)); rec.Code != 200 {
		t.Errorf("a body within MountLarge's limit = %d, want 200", rec.Code)
	}

	metrics := serve(srv, "GET", "/metrics", nil).Body.String()
	for _, want := range []string{
		`smsadmin_http_requests_total{code="200",method="GET",route="GET /items/{id}"} 2`,
		`smsadmin_http_requests_total{code="404",method="GET",route="unmatched"} 1`,
		`smsadmin_http_requests_total{code="500",method="GET",route="GET /boom"} 2`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// Every error code has its status in the one map, and an unknown code is
// a server error.
func TestStatusOf(t *testing.T) {
	t.Parallel()
	for code, want := range map[string]int{
		smsadmin.CodeUnauthorized: 401, smsadmin.CodeForbidden: 403, smsadmin.CodeNotFound: 404,
		smsadmin.CodeValidationFailed: 400, smsadmin.CodeBulkTooLarge: 413, smsadmin.CodeCampaignFull: 409,
		smsadmin.CodeUnavailable: 503, smsadmin.CodeInternal: 500, "no_such_code": 500,
	} {
		if got := web.StatusOf(code); got != want {
			t.Errorf("StatusOf(%s) = %d, want %d", code, got, want)
		}
	}
}
