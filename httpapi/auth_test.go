package httpapi_test

import (
	"bytes"
	"net/http"
	"os"
	"testing"
)

// The auth matrix: who may call what. Roles are enforced by the server;
// another tenant's objects answer 404 so their existence is not revealed.
func TestAuthMatrix(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, adminA := e.tenant("Acme")
	b, adminB := e.tenant("Globex")
	alice := e.user(a, adminA, "Alice")
	bob := e.user(a, adminA, "Bob")
	carol := e.user(b, adminB, "Carol")
	aliceTok := e.userToken(a, adminA, alice)
	e.number(b, adminB, "+14155550123", carol)

	revoked := e.must(201, "POST", "/v1/tenants/"+a+"/tokens", supportToken, map[string]any{"role": "admin"})
	e.must(200, "DELETE", "/v1/tenants/"+a+"/tokens/"+revoked.str("id"), supportToken, nil)

	tests := []struct {
		name   string
		method string
		path   string
		token  string
		body   any
		status int
		code   string
	}{
		{"no token", "GET", "/v1/tenants", "", nil, 401, "unauthorized"},
		{"bad token", "GET", "/v1/tenants/" + a + "/users", "not-a-token", nil, 401, "unauthorized"},
		{"revoked token", "GET", "/v1/tenants/" + a + "/users", revoked.str("token"), nil, 401, "unauthorized"},
		{"no token on a tenant route", "GET", "/v1/tenants/" + a + "/users/" + alice, "", nil, 401, "unauthorized"},

		{"admin creates a tenant", "POST", "/v1/tenants", adminA, map[string]any{"name": "X"}, 403, "forbidden"},
		{"admin lists tenants", "GET", "/v1/tenants", adminA, nil, 403, "forbidden"},
		{"admin creates an admin token", "POST", "/v1/tenants/" + a + "/tokens", adminA, map[string]any{"role": "admin"}, 403, "forbidden"},

		{"admin A reads tenant B", "GET", "/v1/tenants/" + b, adminA, nil, 404, "not_found"},
		{"admin A reads B's user", "GET", "/v1/tenants/" + b + "/users/" + carol, adminA, nil, 404, "not_found"},
		{"admin A lists B's users", "GET", "/v1/tenants/" + b + "/users", adminA, nil, 404, "not_found"},
		{"admin A patches B's user", "PATCH", "/v1/tenants/" + b + "/users/" + carol, adminA, map[string]any{"license": nil}, 404, "not_found"},
		{"admin A creates a user in B", "POST", "/v1/tenants/" + b + "/users", adminA, map[string]any{"name": "M", "email": "m@example.com"}, 404, "not_found"},
		{"admin A reads B's number", "GET", "/v1/tenants/" + b + "/phone-numbers/%2B14155550123", adminA, nil, 404, "not_found"},
		{"admin A deletes B's number", "DELETE", "/v1/tenants/" + b + "/phone-numbers/%2B14155550123", adminA, nil, 404, "not_found"},
		{"admin A reads B's audit", "GET", "/v1/tenants/" + b + "/audit", adminA, nil, 404, "not_found"},
		{"admin A makes a token in B", "POST", "/v1/tenants/" + b + "/tokens", adminA, map[string]any{"role": "user", "user_id": carol}, 404, "not_found"},
		{"admin A makes a token for B's user", "POST", "/v1/tenants/" + a + "/tokens", adminA, map[string]any{"role": "user", "user_id": carol}, 404, "not_found"},
		{"admin A names B's user as number owner", "POST", "/v1/tenants/" + a + "/phone-numbers", adminA, map[string]any{"number": "+14155550124", "user_id": carol}, 404, "not_found"},

		{"user lists users", "GET", "/v1/tenants/" + a + "/users", aliceTok, nil, 403, "forbidden"},
		{"user reads another user", "GET", "/v1/tenants/" + a + "/users/" + bob, aliceTok, nil, 403, "forbidden"},
		{"user patches self", "PATCH", "/v1/tenants/" + a + "/users/" + alice, aliceTok, map[string]any{"license": "X4"}, 403, "forbidden"},
		{"user creates a user", "POST", "/v1/tenants/" + a + "/users", aliceTok, map[string]any{"name": "M", "email": "m@example.com"}, 403, "forbidden"},
		{"user adds a number", "POST", "/v1/tenants/" + a + "/phone-numbers", aliceTok, map[string]any{"number": "+14155550125"}, 403, "forbidden"},
		{"user reads audit", "GET", "/v1/tenants/" + a + "/audit", aliceTok, nil, 403, "forbidden"},
		{"user makes a token", "POST", "/v1/tenants/" + a + "/tokens", aliceTok, map[string]any{"role": "user", "user_id": alice}, 403, "forbidden"},
		{"user reads another tenant", "GET", "/v1/tenants/" + b + "/users/" + carol, aliceTok, nil, 404, "not_found"},
		{"support reads a tenant that does not exist", "GET", "/v1/tenants/ten_nope/users", supportToken, nil, 404, "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.call(tt.method, tt.path, tt.token, tt.body)
			wantProblem(t, r, tt.status, tt.code)
			if tt.status == 401 && r.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("401 without WWW-Authenticate")
			}
		})
	}

	// What each role may do.
	allowed := []struct {
		name   string
		method string
		path   string
		token  string
		body   any
		status int
	}{
		{"user reads self", "GET", "/v1/tenants/" + a + "/users/" + alice, aliceTok, nil, 200},
		{"user asks who it is", "GET", "/v1/me", aliceTok, nil, 200},
		{"admin makes a user token", "POST", "/v1/tenants/" + a + "/tokens", adminA, map[string]any{"role": "user", "user_id": bob}, 201},
		{"admin reads own tenant", "GET", "/v1/tenants/" + a, adminA, nil, 200},
		{"admin reads own audit", "GET", "/v1/tenants/" + a + "/audit", adminA, nil, 200},
		{"support lists tenants", "GET", "/v1/tenants", supportToken, nil, 200},
		{"support reads B's user", "GET", "/v1/tenants/" + b + "/users/" + carol, supportToken, nil, 200},
		{"support makes an admin token", "POST", "/v1/tenants/" + b + "/tokens", supportToken, map[string]any{"role": "admin"}, 201},
	}
	for _, tt := range allowed {
		t.Run(tt.name, func(t *testing.T) { e.must(tt.status, tt.method, tt.path, tt.token, tt.body) })
	}
}

// Tokens are shown once and stored only as a hash: the database file never
// holds a token's text.
func TestTokensStoredHashed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	u := e.user(a, admin, "Alice")
	userTok := e.userToken(a, admin, u)
	for _, tok := range []string{supportToken, admin, userTok} {
		if len(tok) < 32 {
			t.Fatalf("token %q is shorter than 32 characters", tok)
		}
	}
	list := e.must(200, "GET", "/v1/tenants/"+a+"/tokens", admin, nil)
	if bytes.Contains([]byte(list.Raw), []byte(admin)) || bytes.Contains([]byte(list.Raw), []byte("token_hash")) {
		t.Fatalf("token list shows a token or its hash: %s", list.Raw)
	}
	// The WAL holds recent writes: read every file of the database.
	for _, suffix := range []string{"", "-wal"} {
		raw, err := os.ReadFile(e.path + suffix)
		if err != nil && suffix == "" {
			t.Fatal(err)
		}
		for _, tok := range []string{supportToken, admin, userTok} {
			if bytes.Contains(raw, []byte(tok)) {
				t.Errorf("database file %s contains a token in clear", e.path+suffix)
			}
		}
	}
}

// A revoked token stops working at once; revoking twice is not an error.
func TestRevokeToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, admin := e.tenant("Acme")
	u := e.user(a, admin, "Alice")
	created := e.must(201, "POST", "/v1/tenants/"+a+"/tokens", admin, map[string]any{"role": "user", "user_id": u})
	tok, id := created.str("token"), created.str("id")
	e.must(200, "GET", "/v1/tenants/"+a+"/users/"+u, tok, nil)
	e.must(200, "DELETE", "/v1/tenants/"+a+"/tokens/"+id, admin, nil)
	e.must(200, "DELETE", "/v1/tenants/"+a+"/tokens/"+id, admin, nil)
	wantProblem(t, e.call("GET", "/v1/tenants/"+a+"/users/"+u, tok, nil), http.StatusUnauthorized, "unauthorized")
	// An admin may not revoke an admin token; support may.
	other := e.must(201, "POST", "/v1/tenants/"+a+"/tokens", supportToken, map[string]any{"role": "admin"}).str("id")
	wantProblem(t, e.call("DELETE", "/v1/tenants/"+a+"/tokens/"+other, admin, nil), 403, "forbidden")
	e.must(200, "DELETE", "/v1/tenants/"+a+"/tokens/"+other, supportToken, nil)
}
