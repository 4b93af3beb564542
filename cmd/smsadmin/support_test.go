package main

import (
	"context"
	"encoding/json"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/sqlite"
)

// printedToken returns the support token a start printed, or "".
func printedToken(out string) string {
	for _, line := range strings.Split(out, "\n") {
		if l := strings.TrimSpace(line); strings.HasPrefix(l, smsadmin.TokenPrefix) {
			return l
		}
	}
	return ""
}

// platformAudit returns the platform's audit entries (tenant ""), newest
// first, read from the database file.
func platformAudit(t *testing.T, db string) []*smsadmin.AuditEntry {
	t.Helper()
	store, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var entries []*smsadmin.AuditEntry
	err = store.View(context.Background(), func(tx smsadmin.Tx) error {
		entries, err = tx.AuditList(context.Background(), smsadmin.AuditListParams{TenantID: "", Limit: 100})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// A first start whose port is taken must not lock the operator out: the
// next start, on a free port, still prints a usable support token.
func TestFirstStartOnABusyPort(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "smsadmin.db")
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	status, out, errOut := smsRun(t, []string{"SMSADMIN_BOOTSTRAP_TOKEN="}, "", "serve", "--listen", busy.Addr().String(), "--db", "sqlite:"+db)
	if status != 1 || !strings.Contains(errOut, "listening on") {
		t.Fatalf("serve on a busy port: exit %d, want 1 and why:\n%s\n%s", status, out, errOut)
	}
	if printedToken(out) != "" {
		t.Errorf("serve printed a token although it could not serve:\n%s", out)
	}
	p := start(t, db, "SMSADMIN_BOOTSTRAP_TOKEN=")
	token := printedToken(p.stdout.String())
	if token == "" {
		t.Fatalf("the start after a failed one printed no token: the operator is locked out\n%s", p.stdout)
	}
	p.must(200, "GET", "/v1/tenants", token, nil)
	p.stop()
}

// "smsadmin support token" issues a new support token on the database
// file, prints it once and records it in the audit log.
func TestSupportTokenCommand(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "smsadmin.db")
	if status, out, errOut := smsRun(t, nil, "", "migrate", "--db", db); status != 0 {
		t.Fatalf("migrate: exit %d\n%s\n%s", status, out, errOut)
	}
	status, out, errOut := smsRun(t, nil, "", "support", "token", "--db", db, "--name", "rescue")
	if status != 0 {
		t.Fatalf("support token: exit %d\n%s\n%s", status, out, errOut)
	}
	token := printedToken(out)
	if token == "" {
		t.Fatalf("support token printed no token:\n%s", out)
	}
	if strings.Count(out, token) != 1 {
		t.Errorf("the token is printed %d times, want once:\n%s", strings.Count(out, token), out)
	}
	// Also with the serve spelling of --db; a second token leaves the first valid.
	status, out2, errOut := smsRun(t, nil, "", "support", "token", "--db", "sqlite:"+db)
	if status != 0 || printedToken(out2) == "" || printedToken(out2) == token {
		t.Fatalf("support token --db sqlite:PATH: exit %d\n%s\n%s", status, out2, errOut)
	}

	entries := platformAudit(t, db)
	found := 0
	for _, e := range entries {
		if e.Action == smsadmin.ActionPrincipalCreate && e.Actor == "system" && e.ActorName == "cli" {
			found++
		}
	}
	if found != 2 {
		t.Errorf("audit has %d principal.create entries by system/cli, want 2: %+v", found, entries)
	}

	// The server started on that file takes the token and prints none of its own.
	p := start(t, db, "SMSADMIN_BOOTSTRAP_TOKEN=")
	if printedToken(p.stdout.String()) != "" {
		t.Errorf("serve printed a token although the database has one:\n%s", p.stdout)
	}
	p.must(200, "GET", "/v1/tenants", token, nil)
	p.must(200, "GET", "/v1/tenants", printedToken(out2), nil)
	list := p.must(200, "GET", "/v1/support/tokens", token, nil)
	if items, _ := list["items"].([]any); len(items) != 2 {
		t.Errorf("support tokens = %v, want the two issued", list)
	}
	p.stop()

	if status, _, errOut := smsRun(t, nil, "", "support", "token"); status != 2 || !strings.Contains(errOut, "--db") {
		t.Errorf("support token without --db: exit %d, want 2 and a word on --db:\n%s", status, errOut)
	}
}

// Support creates, lists and revokes support tokens over the API; a
// revoked or expired token answers 401.
func TestSupportTokensAPI(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "smsadmin.db")
	p := start(t, db, "SMSADMIN_BOOTSTRAP_TOKEN="+bootstrap)
	created := p.must(201, "POST", "/v1/support/tokens", bootstrap, map[string]any{"name": "ops laptop"})
	id, token := created["id"].(string), created["token"].(string)
	if !strings.HasPrefix(token, smsadmin.TokenPrefix) || created["name"] != "ops laptop" || created["role"] != "support" {
		t.Fatalf("created = %v", created)
	}
	p.must(200, "GET", "/v1/tenants", token, nil)

	list := p.must(200, "GET", "/v1/support/tokens?limit=1", bootstrap, nil)
	if items, _ := list["items"].([]any); len(items) != 1 || list["next_cursor"] == nil {
		t.Errorf("first page of one = %v", list)
	}
	list = p.must(200, "GET", "/v1/support/tokens", token, nil)
	rawList, _ := json.Marshal(list)
	raw := string(rawList)
	if strings.Contains(raw, token) || strings.Contains(raw, bootstrap) || strings.Contains(raw, "token_hash") {
		t.Errorf("the list shows a secret: %s", raw)
	}
	ids := map[string]map[string]any{}
	for _, it := range list["items"].([]any) {
		m := it.(map[string]any)
		ids[m["id"].(string)] = m
	}
	if ids[id] == nil || len(ids) != 2 {
		t.Fatalf("support tokens = %v, want the bootstrap one and %s", list, id)
	}

	p.must(204, "DELETE", "/v1/support/tokens/"+id, bootstrap, nil)
	if code, body := p.call("GET", "/v1/tenants", token, nil); code != 401 || body["code"] != "unauthorized" {
		t.Errorf("revoked support token: %d %v, want 401 unauthorized", code, body)
	}
	p.must(204, "DELETE", "/v1/support/tokens/"+id, bootstrap, nil) // again: no error
	if code, body := p.call("DELETE", "/v1/support/tokens/prn_missing", bootstrap, nil); code != 404 || body["code"] != "not_found" {
		t.Errorf("revoking a missing token: %d %v, want 404", code, body)
	}
	// A tenant's token is not a support token.
	tenant := p.must(201, "POST", "/v1/tenants", bootstrap, map[string]any{"name": "Acme"})["id"].(string)
	admin := p.must(201, "POST", "/v1/tenants/"+tenant+"/tokens", bootstrap, map[string]any{"role": "admin"})
	if code, body := p.call("DELETE", "/v1/support/tokens/"+admin["id"].(string), bootstrap, nil); code != 404 {
		t.Errorf("revoking a tenant token as a support token: %d %v, want 404", code, body)
	}

	for _, bad := range []map[string]any{
		{"name": "x", "expires_at": "tomorrow"},
		{"name": "x", "expires_at": time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)},
		{"name": strings.Repeat("n", 201)},
	} {
		if code, body := p.call("POST", "/v1/support/tokens", bootstrap, bad); code != 400 || body["code"] != "validation_failed" {
			t.Errorf("POST /v1/support/tokens %v: %d %v, want 400 validation_failed", bad, code, body)
		}
	}

	// Every token can carry an expiry (TestTokenExpiry in httpapi checks
	// the 401 after it on a manual clock).
	expires := time.Now().Add(time.Hour).UTC().Format(time.RFC3339Nano)
	short := p.must(201, "POST", "/v1/support/tokens", bootstrap, map[string]any{"name": "short", "expires_at": expires})
	if short["expires_at"] == nil {
		t.Errorf("created = %v, want its expires_at", short)
	}
	p.must(200, "GET", "/v1/tenants", short["token"].(string), nil)
	p.stop()
}

// The bootstrap token is the one in SMSADMIN_BOOTSTRAP_TOKEN now: when it
// changes, or is removed, the previous one stops working.
func TestBootstrapTokenRotation(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "smsadmin.db")
	first, second := bootstrap, "e2e-second-bootstrap-token-0123456789"
	p := start(t, db, "SMSADMIN_BOOTSTRAP_TOKEN="+first)
	p.must(200, "GET", "/v1/tenants", first, nil)
	p.stop()

	p = start(t, db, "SMSADMIN_BOOTSTRAP_TOKEN="+second)
	if code, _ := p.call("GET", "/v1/tenants", first, nil); code != 401 {
		t.Errorf("the previous bootstrap token answers %d after it changed, want 401", code)
	}
	p.must(200, "GET", "/v1/tenants", second, nil)
	p.stop()

	// Removed: the old one stops working; with no other support token
	// left, the server prints a new one rather than lock the operator out.
	p = start(t, db, "SMSADMIN_BOOTSTRAP_TOKEN=")
	if code, _ := p.call("GET", "/v1/tenants", second, nil); code != 401 {
		t.Errorf("the bootstrap token answers %d after it was removed, want 401", code)
	}
	token := printedToken(p.stdout.String())
	if token == "" {
		t.Fatalf("no support token left and none printed:\n%s", p.stdout)
	}
	p.must(200, "GET", "/v1/tenants", token, nil)
	p.stop()

	revokes := 0
	for _, e := range platformAudit(t, db) {
		if e.Action == smsadmin.ActionPrincipalRevoke && e.Actor == "system" {
			revokes++
		}
	}
	if revokes != 2 {
		t.Errorf("audit has %d principal.revoke entries by the system, want 2", revokes)
	}
}
