package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"smsadmin"
	"smsadmin/httpapi"
	"smsadmin/internal/web"
	"smsadmin/smsadmintest"
)

// supportToken is the bootstrap support token of every test server.
const supportToken = "test-support-token-0123456789abcdef"

// env is the API served in-process over a World: the API on a
// web.Server, its support token supportToken. Nothing runs by itself: the
// World's Step, Settle and RunFor drive the carrier and the reconciler.
type env struct {
	*smsadmintest.World
	t   *testing.T
	h   http.Handler
	api *httpapi.API // the API that h serves
}

// newEnv is an env whose API has no carrier simulator and no carrier
// webhook, as with a carrier that has neither.
func newEnv(t *testing.T) *env {
	t.Helper()
	return serveWorld(t, false)
}

// newSimEnv is an env whose API drives the World's simulator (/v1/sim/...)
// and reads Telnyx webhooks signed with webhookKey.
func newSimEnv(t *testing.T) *env {
	t.Helper()
	return serveWorld(t, true)
}

func serveWorld(t *testing.T, withSim bool) *env {
	t.Helper()
	e := &env{World: smsadmintest.New(t), t: t}
	if err := e.Service.EnsureSupportToken(context.Background(), supportToken); err != nil {
		t.Fatalf("EnsureSupportToken: %v", err)
	}
	cfg := httpapi.Config{Service: e.Service, Logger: e.Logger,
		Ready: func(ctx context.Context) error { return e.Store.View(ctx, func(smsadmin.Tx) error { return nil }) }}
	if withSim {
		cfg.Sim, cfg.Webhook = e.Sim, newTestWebhook(t, e.Clock)
	}
	e.h, e.api = serveAPI(cfg)
	return e
}

// serveAPI registers the API built from cfg on a new Server, as serve.go
// does.
func serveAPI(cfg httpapi.Config) (*web.Server, *httpapi.API) {
	srv := web.NewServer(web.ServerConfig{Logger: cfg.Logger})
	api := httpapi.NewAPI(cfg)
	api.Register(srv)
	return srv, api
}

// resp is a decoded answer.
type resp struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    string
}

// str returns a top-level string member of the body.
func (r resp) str(key string) string { s, _ := r.Body[key].(string); return s }

// items returns the "items" of a list body.
func (r resp) items() []map[string]any {
	raw, _ := r.Body["items"].([]any)
	out := make([]map[string]any, len(raw))
	for i, v := range raw {
		out[i], _ = v.(map[string]any)
	}
	return out
}

// call sends a request; body is marshalled unless it is a string (sent as
// is) or nil.
func (e *env) call(method, path, token string, body any) resp {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req := httptest.NewRequest(method, path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return e.do(req)
}

// do serves req and decodes the answer.
func (e *env) do(req *http.Request) resp {
	e.t.Helper()
	method, path := req.Method, req.URL.Path
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	r := resp{Status: rec.Code, Header: rec.Header(), Raw: rec.Body.String()}
	if strings.Contains(rec.Header().Get("Content-Type"), "json") && rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &r.Body); err != nil {
			e.t.Fatalf("%s %s: body is not a JSON object: %v\n%s", method, path, err, rec.Body.String())
		}
	}
	return r
}

// must sends a request and fails the test unless the status is want.
func (e *env) must(want int, method, path, token string, body any) resp {
	e.t.Helper()
	r := e.call(method, path, token, body)
	if r.Status != want {
		e.t.Fatalf("%s %s = %d, want %d\n%s", method, path, r.Status, want, r.Raw)
	}
	return r
}

// tenant creates a tenant and an admin token for it.
func (e *env) tenant(name string) (id, admin string) {
	e.t.Helper()
	id = e.must(201, "POST", "/v1/tenants", supportToken, map[string]any{"name": name}).str("id")
	admin = e.must(201, "POST", "/v1/tenants/"+id+"/tokens", supportToken, map[string]any{"role": "admin"}).str("token")
	return id, admin
}

// user creates a user with a license.
func (e *env) user(tenant, admin, name string) string {
	e.t.Helper()
	return e.must(201, "POST", "/v1/tenants/"+tenant+"/users", admin,
		map[string]any{"name": name, "email": strings.ToLower(name) + "@example.com", "license": "X2"}).str("id")
}

// userToken creates a token that acts as user.
func (e *env) userToken(tenant, admin, user string) string {
	e.t.Helper()
	return e.must(201, "POST", "/v1/tenants/"+tenant+"/tokens", admin, map[string]any{"role": "user", "user_id": user}).str("token")
}

// number adds a number to the inventory, owned by user when not "".
func (e *env) number(tenant, admin, number, user string) {
	e.t.Helper()
	body := map[string]any{"number": number}
	if user != "" {
		body["user_id"] = user
	}
	e.must(201, "POST", "/v1/tenants/"+tenant+"/phone-numbers", admin, body)
}

// audit returns the tenant's audit entries, newest first.
func (e *env) audit(tenant string) []map[string]any {
	e.t.Helper()
	return e.must(200, "GET", "/v1/tenants/"+tenant+"/audit?limit=500", supportToken, nil).items()
}

// wantProblem checks that r is a problem+json with status and code.
func wantProblem(t *testing.T, r resp, status int, code string) {
	t.Helper()
	if r.Status != status || r.str("code") != code {
		t.Fatalf("got %d %q, want %d %q\n%s", r.Status, r.str("code"), status, code, r.Raw)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type = %q, want application/problem+json", ct)
	}
	if r.str("detail") == "" || r.str("type") == "" || r.str("title") == "" || r.Body["status"] != float64(status) {
		t.Errorf("problem document incomplete: %s", r.Raw)
	}
}

func pathf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
