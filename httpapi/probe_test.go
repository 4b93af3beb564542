package httpapi_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"smsadmin/httpapi"
	"smsadmin/internal/web"
	"smsadmin/smsadmintest"
)

// loggedServer is an API server whose log the test reads, with an
// admin's tenant.
type loggedServer struct {
	h      http.Handler
	log    *smsadmintest.LogBuffer
	tenant string
	admin  string
}

func newLoggedServer(t *testing.T, cfg httpapi.Config) *loggedServer {
	t.Helper()
	ls := &loggedServer{log: &smsadmintest.LogBuffer{}}
	log := slog.New(slog.NewTextHandler(ls.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := &env{World: smsadmintest.New(t, smsadmintest.WithLogger(log)), t: t}
	if err := e.Service.EnsureSupportToken(context.Background(), supportToken); err != nil {
		t.Fatal(err)
	}
	cfg.Service, cfg.Logger = e.Service, log
	ls.h, _ = serveAPI(cfg)
	e.h = ls.h
	ls.tenant, ls.admin = e.tenant("Acme")
	return ls
}

// stalledBody sends method path with a body that announces more bytes
// than it sends, over a real loopback connection to h, after which the
// server's read deadline passes (as http.Server.ReadTimeout makes it
// pass), and returns the answer.
func stalledBody(t *testing.T, h http.Handler, method, path, token, contentType string, partial string) *http.Response {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The read timeout runs out now, before the rest of the body
		// arrives; the handler meets it on its next read.
		if err := http.NewResponseController(w).SetReadDeadline(time.Now()); err != nil {
			t.Errorf("SetReadDeadline: %v", err)
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: smsadmin.test\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s",
		method, path, token, contentType, len(partial)+1000, partial)
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%s %s with a stalled body: no answer: %v", method, path, err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

// wantProblemResponse checks that res is problem+json with status and
// code.
func wantProblemResponse(t *testing.T, res *http.Response, status int, code string) {
	t.Helper()
	var p struct{ Code string }
	raw, _ := io.ReadAll(res.Body)
	_ = json.Unmarshal(raw, &p)
	if res.StatusCode != status || p.Code != code || res.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("answer = %d %s %q, want %d problem+json %q\n%s", res.StatusCode, res.Header.Get("Content-Type"), p.Code, status, code, raw)
	}
}

// TestSlowBodyIsTheClientsFault: a request body that does not arrive
// before the server's read timeout is the client's fault: 408
// request_timeout, logged as a warning, not a 500 logged as an error.
// (An import pushes its own read deadline back as it goes: see
// TestImportBodyCutShort.)
func TestSlowBodyIsTheClientsFault(t *testing.T) {
	t.Parallel()
	s := newLoggedServer(t, httpapi.Config{})
	for _, tc := range []struct{ name, path, contentType, partial string }{
		{"JSON", "/v1/tenants/" + s.tenant + "/users", "application/json", `{"name":"Ann`},
	} {
		res := stalledBody(t, s.h, "POST", tc.path, s.admin, tc.contentType, tc.partial)
		wantProblemResponse(t, res, http.StatusRequestTimeout, "request_timeout")
		if !strings.Contains(s.log.String(), "level=WARN msg=\"request body timed out\"") {
			t.Errorf("%s: no warning logged for the slow body:\n%s", tc.name, s.log.String())
		}
	}
	if strings.Contains(s.log.String(), "level=ERROR") {
		t.Errorf("a slow body was logged as an error:\n%s", s.log.String())
	}
}

// timeoutBody is a request body whose next read meets the connection's
// read deadline, as the server's body reader reports it.
type timeoutBody struct{ data *strings.Reader }

func (b timeoutBody) Read(p []byte) (int, error) {
	if b.data.Len() > 0 {
		return b.data.Read(p)
	}
	return 0, &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}
}

// TestImportBodyCutShort: an import whose file ends before its announced
// length (the client went away) is 400, and one whose file stops arriving
// is 408, both the client's fault: neither is logged as an error.
func TestImportBodyCutShort(t *testing.T) {
	t.Parallel()
	s := newLoggedServer(t, httpapi.Config{})
	path := "/v1/tenants/" + s.tenant + "/imports"
	for _, tc := range []struct {
		name   string
		body   io.Reader
		status int
		code   string
	}{
		{"cut short", io.MultiReader(strings.NewReader("name,email,license,number\nAnn"), iotest.ErrReader(io.ErrUnexpectedEOF)), 400, "validation_failed"},
		{"stalled", timeoutBody{strings.NewReader("name,email,license,number\nAnn")}, 408, "request_timeout"},
	} {
		req := httptest.NewRequest("POST", path, tc.body)
		req.Header.Set("Authorization", "Bearer "+s.admin)
		req.Header.Set("Content-Type", "text/csv")
		w := httptest.NewRecorder()
		s.h.ServeHTTP(w, req)
		wantProblemResponse(t, w.Result(), tc.status, tc.code)
	}
	if strings.Contains(s.log.String(), "level=ERROR") {
		t.Errorf("an import cut short was logged as an error:\n%s", s.log.String())
	}
}

// TestTelnyxInboundUnactionable: a signed text nothing can be done about
// (a sender of a country without SMS, R1; a sender that is not a phone
// number, such as a short code or a name; our number of a country without
// SMS) is acknowledged with 200, since Telnyx would only repeat it, changes
// nothing, and is logged with our number and the shape of the sender's
// number alone, never its digits.
func TestTelnyxInboundUnactionable(t *testing.T) {
	t.Parallel()
	e := newSimEnv(t)
	a, admin := e.tenant("Acme")
	alice := e.user(a, admin, "Alice")
	const num = "+14155550123"
	e.number(a, admin, num, alice)
	before := len(e.audit(a))
	for i, tc := range []struct{ from, to, secret, shape string }{
		{"+442071838750", num, "2071838750", "+44 GB, 12 digits"},
		{"+33 1 42 68 53 00", num, "142685300", "+33 FR, 11 digits"},
		{"+1202999", num, "202999", "+1 US, 7 digits"},
		{"4155550190", num, "4155550190", "not in international form, 10 digits"},
		{"ACME Bank", num, "ACME Bank", "no digits, 9 characters"},
		{"+14155550190", "+442071838751", "4155550190", "+1 US, 11 digits"},
	} {
		body, _ := json.Marshal(telnyxEvent(fmt.Sprintf("5b5e0b1c-5b7e-4a8e-9a65-2f7f2d2a%04d", i), "message.received", map[string]any{
			"id": fmt.Sprintf("m-%d", i), "direction": "inbound", "record_type": "message", "type": "SMS", "text": "STOP",
			"from": map[string]any{"phone_number": tc.from}, "to": []map[string]any{{"phone_number": tc.to}}}))
		if r := e.deliver(signed(body, webhookKey, e.Clock.Now())); r.Status != http.StatusOK {
			t.Errorf("a text from %q to %s = %d %s, want 200", tc.from, tc.to, r.Status, r.Raw)
		}
		logs := e.Logs.String()
		if strings.Contains(logs, tc.secret) {
			t.Errorf("the sender's number %q is in the log:\n%s", tc.from, logs)
		}
		if !strings.Contains(logs, `from_shape="`+tc.shape+`"`) {
			t.Errorf("the text from %q is not logged with its shape %q:\n%s", tc.from, tc.shape, logs)
		}
	}
	if n := strings.Count(e.Logs.String(), "carrier text ignored"); n != 6 {
		t.Errorf("%d texts logged as ignored, want 6:\n%s", n, e.Logs.String())
	}
	if list := e.must(200, "GET", "/v1/tenants/"+a+"/opt-outs", admin, nil).items(); len(list) != 0 || len(e.audit(a)) != before {
		t.Errorf("an ignored text changed something: opt-outs %v", list)
	}
}

// TestSecurityHeaders: every answer, a route's, a problem's or the
// server's own 404 and 405, says X-Content-Type-Options: nosniff; an
// answer over TLS, or from a server reached over HTTPS (its public URL),
// also Strict-Transport-Security, and one over plain HTTP does not.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	plain := newEnv(t)
	log := slog.New(slog.DiscardHandler)
	behindTLS := web.NewServer(web.ServerConfig{Logger: log, HTTPS: true})
	httpapi.NewAPI(httpapi.Config{Service: smsadmintest.New(t).Service, Logger: log}).Register(behindTLS)
	for _, tc := range []struct{ method, path, token string }{
		{"GET", "/healthz", ""},
		{"GET", "/v1/me", supportToken},
		{"GET", "/v1/me", ""},
		{"GET", "/v1/no-such-thing", supportToken},
		{"DELETE", "/v1/me", supportToken},
		{"GET", "/openapi.json", ""},
		{"GET", "/nothing-here", ""},
	} {
		for _, h := range []struct {
			name string
			h    http.Handler
			tls  bool
			hsts bool
		}{
			{"plain HTTP", plain.h, false, false},
			{"TLS", plain.h, true, true},
			{"behind a proxy that ends TLS", behindTLS, false, true},
		} {
			req := httptest.NewRequest(tc.method, tc.path, nil)
			if tc.token != "" {
				req.Header.Set("Authorization", "Bearer "+tc.token)
			}
			if h.tls {
				req.TLS = &tls.ConnectionState{}
			}
			w := httptest.NewRecorder()
			h.h.ServeHTTP(w, req)
			if got := w.Header().Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("%s %s (%s) = %d with X-Content-Type-Options %q, want nosniff", tc.method, tc.path, h.name, w.Code, got)
			}
			got := w.Header().Get("Strict-Transport-Security")
			if h.hsts && !strings.HasPrefix(got, "max-age=31536000") || !h.hsts && got != "" {
				t.Errorf("%s %s (%s) = %d with Strict-Transport-Security %q, want it %v", tc.method, tc.path, h.name, w.Code, got, h.hsts)
			}
		}
	}
}

// TestNamesRefuseBidiControls: a name (of a tenant, a user, a token, a
// brand), an email address and a license refuse the bidirectional
// embedding, override and isolate characters (U+202A..U+202E,
// U+2066..U+2069), which would make a name show as another, with
// validation_failed on that field; a paragraph (a campaign's description)
// may hold them, as right-to-left writing does.
func TestNamesRefuseBidiControls(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ten, admin := e.tenant("Acme")
	base := "/v1/tenants/" + ten
	user := func(name, email, license string) map[string]any {
		return map[string]any{"name": name, "email": email, "license": license}
	}
	brand := func(legal string) map[string]any {
		b := map[string]any{}
		for k, v := range smsadmintest.BrandBody("US") {
			b[k] = v
		}
		b["legal_name"] = legal
		return b
	}
	for _, c := range []rune{'\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'} {
		s := string(c)
		for _, tc := range []struct {
			what, path, token string
			body              map[string]any
			field             string
		}{
			{"a tenant's name", "/v1/tenants", supportToken, map[string]any{"name": "Acme" + s + "evil"}, "name"},
			{"a user's name", base + "/users", admin, user("Ann"+s+" Lee", "ann@example.com", "X2"), "name"},
			{"a user's email", base + "/users", admin, user("Ann Lee", "ann"+s+"@example.com", "X2"), "email"},
			{"a license", base + "/users", admin, user("Ann Lee", "ann@example.com", "X2"+s), "license"},
			{"a tenant token's name", base + "/tokens", supportToken, map[string]any{"role": "admin", "name": "ops" + s + "laptop"}, "name"},
			{"a support token's name", "/v1/support/tokens", supportToken, map[string]any{"name": "ops" + s + "laptop"}, "name"},
			{"a brand's legal name", base + "/brands", admin, brand("Acme" + s + " Corporation"), "legal_name"},
		} {
			r := e.call("POST", tc.path, tc.token, tc.body)
			wantProblem(t, r, 400, "validation_failed")
			errs, _ := r.Body["errors"].([]any)
			found := false
			for _, fe := range errs {
				if m, _ := fe.(map[string]any); m["field"] == tc.field && strings.Contains(fmt.Sprint(m["message"]), fmt.Sprintf("%U", c)) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s with %U: the problem does not name field %q and the character\n%s", tc.what, c, tc.field, r.Raw)
			}
		}
	}
	// A paragraph may embed right-to-left text.
	b := e.must(201, "POST", base+"/brands", admin, smsadmintest.BrandBody("US")).str("id")
	c := smsadmintest.CampaignBody(b, "US")
	c["description"] = "Customer care conversations with customers, some in Arabic: \u202bمرحبا\u202c, from our contact page."
	e.must(201, "POST", base+"/campaigns", admin, c)
}

// TestUncleanAPIPathsAnswerProblems: a /v1 path with an empty, "." or ".."
// segment, written or percent-encoded, answers problem+json 404 (or the
// route's own not found), never the mux's 307 with HTML, so that the API
// never answers HTML and a client never follows a path it did not ask
// for.
func TestUncleanAPIPathsAnswerProblems(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ten, admin := e.tenant("Acme")
	users := "/v1/tenants/" + ten + "/users"
	for _, p := range []string{
		users + "/..", users + "/%2e%2e", users + "/%2E%2E", users + "/.", users + "/%2e",
		users + "/./x", users + "/../users", users + "/%2e%2e/%2e%2e", users + "//",
		"/v1//tenants", "/v1/.", "/v1/..", "/v1/../healthz", "/v1/tenants/" + ten + "/./users",
	} {
		for _, method := range []string{"GET", "POST", "DELETE"} {
			req := httptest.NewRequest(method, p, strings.NewReader("{}"))
			req.Header.Set("Authorization", "Bearer "+admin)
			r := e.do(req)
			if loc := r.Header.Get("Location"); loc != "" || r.Status/100 == 3 {
				t.Errorf("%s %s = %d to %q, want no redirect", method, p, r.Status, loc)
				continue
			}
			if r.Status != http.StatusNotFound && r.Status != http.StatusMethodNotAllowed {
				t.Errorf("%s %s = %d, want 404\n%s", method, p, r.Status, r.Raw)
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("%s %s = %d %s, want problem+json\n%s", method, p, r.Status, ct, r.Raw)
			}
		}
	}
}
