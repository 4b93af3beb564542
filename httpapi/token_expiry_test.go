package httpapi_test

import (
	"strings"
	"testing"
	"time"
)

// Every token can carry an expiry: it answers until then and 401
// unauthorized from that instant on, support and tenant tokens alike. The
// server's clock decides.
func TestTokenExpiry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant, _ := e.tenant("Acme")
	expires := e.Clock.Now().Add(time.Hour)
	at := expires.UTC().Format(time.RFC3339Nano)
	support := e.must(201, "POST", "/v1/support/tokens", supportToken, map[string]any{"name": "short", "expires_at": at}).str("token")
	admin := e.must(201, "POST", "/v1/tenants/"+tenant+"/tokens", supportToken, map[string]any{"role": "admin", "expires_at": at}).str("token")

	e.Clock.Advance(time.Hour - time.Microsecond)
	e.must(200, "GET", "/v1/tenants", support, nil)
	e.must(200, "GET", "/v1/tenants/"+tenant, admin, nil)

	e.Clock.Advance(time.Microsecond)
	wantProblem(t, e.call("GET", "/v1/tenants", support, nil), 401, "unauthorized")
	wantProblem(t, e.call("GET", "/v1/tenants/"+tenant, admin, nil), 401, "unauthorized")
	e.must(200, "GET", "/v1/tenants", supportToken, nil) // one without an expiry
}

// A token's name is capped in characters, not bytes, and must be visible
// text, like every name.
func TestTokenName(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant, _ := e.tenant("Acme")
	e.must(201, "POST", "/v1/tenants/"+tenant+"/tokens", supportToken, map[string]any{"role": "admin", "name": strings.Repeat("é", 200)})
	e.must(201, "POST", "/v1/support/tokens", supportToken, map[string]any{"name": strings.Repeat("é", 200)})
	wantProblem(t, e.call("POST", "/v1/support/tokens", supportToken, map[string]any{"name": strings.Repeat("é", 201)}), 400, "validation_failed")
	wantProblem(t, e.call("POST", "/v1/tenants/"+tenant+"/tokens", supportToken, map[string]any{"role": "admin", "name": "\u200b"}), 400, "validation_failed")
}

// A tenant's name is capped in characters, not bytes, and must be visible,
// single-line text, like every name.
func TestTenantName(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.must(201, "POST", "/v1/tenants", supportToken, map[string]any{"name": strings.Repeat("é", 200)})
	wantProblem(t, e.call("POST", "/v1/tenants", supportToken, map[string]any{"name": strings.Repeat("é", 201)}), 400, "validation_failed")
	wantProblem(t, e.call("POST", "/v1/tenants", supportToken, map[string]any{"name": "Acme\nCorp"}), 400, "validation_failed")
	wantProblem(t, e.call("POST", "/v1/tenants", supportToken, map[string]any{"name": "\u200b"}), 400, "validation_failed")
}
