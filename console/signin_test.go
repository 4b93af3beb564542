package console_test

import (
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"smsadmin"
	"smsadmin/console"
	"smsadmin/internal/web"
)

// TestSignInNextIsAPathOfThisSite: where a person goes after signing in
// (the next parameter) is a path of this site, rebuilt from its parsed
// form. Anything a browser could read as another site (a tab or newline
// it drops, a backslash it reads as a slash, a leading space it trims, a
// scheme, a host) sends the person home instead, whether next comes with
// the sign-in form or in the address of the sign-in page of someone
// already signed in.
func TestSignInNextIsAPathOfThisSite(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.signInAs(e.admin)
	users := "/t/" + e.acme.ID + "/users"
	for _, tc := range []struct{ next, want string }{
		{"/ok?x=1", "/ok?x=1"},
		{users + "?q=ann&limit=5", users + "?q=ann&limit=5"},
		{users + "/", users + "/"},
		{"/t/./x/../sms", "/t/sms"},
		{"/", "/"},
		{"", "/"},
		{"/\t/evil.example", "/"},
		{"/\n/evil.example", "/"},
		{"/\r/evil.example", "/"},
		{"/\t\t//evil.example", "/"},
		{"/%09/evil.example", "/"},
		{"/%0a/evil.example", "/"},
		{"/%0d/evil.example", "/"},
		{"\\evil.example", "/"},
		{"/\\evil.example", "/"},
		{"\\\\evil.example", "/"},
		{"/%5Cevil.example", "/"},
		{"/%5C%5Cevil.example", "/"},
		{" //evil.example", "/"},
		{" /ok", "/"},
		{"//evil.example", "/"},
		{"//evil.example/x", "/"},
		{"///evil.example", "/"},
		{"/%2F/evil.example", "/"},
		{"/%2f%2fevil.example", "/"},
		{"/\\x", "/"},
		{"https://evil.example/", "/"},
		{"https:/evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"evil.example", "/"},
		{"/ok?x=\\evil", "/"},
		{"/\x00/evil.example", "/"},
		{"/\u0085/evil.example", "/"},
		{"/signin", "/"},
		{"/signin?next=//evil.example", "/"},
		{"/signin/", "/"},
		{"/x/../signin", "/"},
	} {
		// The sign-in form, as a person not yet signed in posts it.
		r := e.do("POST", "/signin", nil, url.Values{"email": {e.admin.Email}, "password": {password}, "next": {tc.next}}, false)
		if loc := r.Header().Get("Location"); r.Code != http.StatusSeeOther || loc != tc.want {
			t.Errorf("signing in with next %q = %d to %q, want 303 to %q", tc.next, r.Code, loc, tc.want)
		}
		// The sign-in page opened by someone signed in sends them on at once.
		req := httptest.NewRequest("GET", "/signin?"+url.Values{"next": {tc.next}}.Encode(), nil)
		req.AddCookie(&http.Cookie{Name: "__Host-smsadmin_session", Value: s.cookie})
		w := httptest.NewRecorder()
		e.srv.Config.Handler.ServeHTTP(w, req)
		if loc := w.Header().Get("Location"); w.Code != http.StatusSeeOther || loc != tc.want {
			t.Errorf("GET /signin?next=%q signed in = %d to %q, want 303 to %q", tc.next, w.Code, loc, tc.want)
		}
	}
}

// TestSignInNextRawQuery: the address the probe used, exactly as a
// browser sends it.
func TestSignInNextRawQuery(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.signInAs(e.admin)
	for _, raw := range []string{"%2F%09%2Fevil.example", "%2F%0A%2Fevil.example", "%2F%0D%2Fevil.example", "%2F%5Cevil.example", "%20%2F%2Fevil.example"} {
		req := httptest.NewRequest("GET", "/signin?next="+raw, nil)
		req.AddCookie(&http.Cookie{Name: "__Host-smsadmin_session", Value: s.cookie})
		w := httptest.NewRecorder()
		e.srv.Config.Handler.ServeHTTP(w, req)
		if loc := w.Header().Get("Location"); w.Code != http.StatusSeeOther || loc != "/" {
			t.Errorf("GET /signin?next=%s signed in = %d to %q, want 303 to /", raw, w.Code, loc)
		}
	}
}

var passwordError = regexp.MustCompile(`<p class="error" id="password-error">([^<]*)</p>`)

// signInFrom posts the sign-in form to h from the client address addr
// ("ip:port") and returns the answer and the words shown next to the
// password ("" when none).
func signInFrom(t *testing.T, h http.Handler, addr string, form url.Values, header http.Header) (*httptest.ResponseRecorder, string) {
	t.Helper()
	req := httptest.NewRequest("POST", "/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header[k] = v
	}
	req.RemoteAddr = addr
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	msg := ""
	if m := passwordError.FindStringSubmatch(w.Body.String()); m != nil {
		msg = html.UnescapeString(m[1])
	}
	return w, msg
}

// consoleWith serves a console over e's service built from cfg.
func (e *env) consoleWith(cfg console.Config) http.Handler {
	e.t.Helper()
	cfg.Service, cfg.SessionTTL, cfg.Logger = e.Service, sessionTTL, slog.New(slog.DiscardHandler)
	con, err := console.New(cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	srv := web.NewServer(web.ServerConfig{})
	con.Register(srv)
	return srv
}

// TestSignInRefusalsSayTheSame: an unknown email, a wrong password, a
// locked account (with the right password or a wrong one) and a disabled
// account are all refused with the same words, so that the answer tells
// nobody whether an account has an email (an unknown email is never
// locked).
func TestSignInRefusalsSayTheSame(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	h := e.consoleWith(console.Config{Clock: e.Clock})
	locked := e.account(e.acme.ID, "locked@acme.example.com")
	disabled := e.account(e.acme.ID, "disabled@acme.example.com")
	if _, err := e.Service.DisableAccount(e.Support, e.acme.ID, disabled.ID); err != nil {
		t.Fatal(err)
	}
	try := func(what, email, pw string) string {
		t.Helper()
		r, msg := signInFrom(t, h, "192.0.2.1:1234", url.Values{"email": {email}, "password": {pw}}, nil)
		if r.Code != http.StatusUnauthorized || msg == "" {
			t.Fatalf("%s = %d %q, want 401 with words next to the password", what, r.Code, msg)
		}
		return msg
	}
	want := try("an unknown email", "nobody@acme.example.com", password)
	for i := range smsadmin.MaxFailedSignIns {
		if got := try(fmt.Sprintf("wrong password %d", i+1), locked.Email, "not the password"); got != want {
			t.Errorf("wrong password %d says %q, an unknown email %q", i+1, got, want)
		}
	}
	if got := try("a locked account's right password", locked.Email, password); got != want {
		t.Errorf("a locked account says %q, an unknown email %q", got, want)
	}
	if got := try("a locked account's wrong password", locked.Email, "not the password"); got != want {
		t.Errorf("a locked account, wrong password, says %q, an unknown email %q", got, want)
	}
	if got := try("a disabled account", disabled.Email, password); got != want {
		t.Errorf("a disabled account says %q, an unknown email %q", got, want)
	}
	if n := len(e.audit(smsadmin.ActionAccountLock)); n != 1 {
		t.Errorf("%d account.lock entries, want 1: the account was locked", n)
	}
}

// TestSignInAddressBudget: one client address gets SignInAddressBudget
// failed sign-ins in any SignInAddressWindow; past it, its sign-ins are
// refused (429, Retry-After) without being checked, so it can neither
// guess on nor lock more accounts, while other addresses sign in as ever.
// A sign-in that succeeds does not count. An IPv6 address counts by its
// /64. X-Forwarded-For is not believed unless the peer is a trusted proxy.
func TestSignInAddressBudget(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	h := e.consoleWith(console.Config{Clock: e.Clock})
	const attacker = "198.51.100.7:40000"
	right := url.Values{"email": {e.admin.Email}, "password": {password}}
	fail := func(addr string, i int, header http.Header) *httptest.ResponseRecorder {
		t.Helper()
		r, _ := signInFrom(t, h, addr, url.Values{"email": {fmt.Sprintf("nobody%d@acme.example.com", i)}, "password": {password}}, header)
		return r
	}
	for i := range console.SignInAddressBudget - 1 {
		if r := fail(attacker, i, nil); r.Code != http.StatusUnauthorized {
			t.Fatalf("failed sign-in %d = %d, want 401", i+1, r.Code)
		}
	}
	// Sign-ins that succeed take nothing from the budget.
	for range 3 {
		if r, msg := signInFrom(t, h, attacker, right, nil); r.Code != http.StatusSeeOther {
			t.Fatalf("the right password within the budget = %d %q, want 303", r.Code, msg)
		}
	}
	// Forging X-Forwarded-For changes nothing: no proxy is trusted.
	if r := fail(attacker, 99, http.Header{"X-Forwarded-For": {"203.0.113.9"}}); r.Code != http.StatusUnauthorized {
		t.Fatalf("the last failed sign-in of the budget = %d, want 401", r.Code)
	}
	r, msg := signInFrom(t, h, attacker, right, http.Header{"X-Forwarded-For": {"203.0.113.10"}})
	if r.Code != http.StatusTooManyRequests || r.Header().Get("Retry-After") != "900" || !strings.Contains(msg, "try again in 15 minutes") {
		t.Fatalf("a sign-in past the budget = %d, Retry-After %q, %q; want 429 after 900 s", r.Code, r.Header().Get("Retry-After"), msg)
	}
	if r.Header().Get("Set-Cookie") != "" {
		t.Fatal("a sign-in past the budget opened a session")
	}
	// Past the budget a wrong password is not even checked: the account
	// is not locked by it.
	for range smsadmin.MaxFailedSignIns {
		signInFrom(t, h, attacker, url.Values{"email": {e.admin.Email}, "password": {"not the password"}}, nil)
	}
	if n := len(e.audit(smsadmin.ActionAccountLock)); n != 0 {
		t.Fatalf("wrong passwords past the budget locked the account (%d account.lock)", n)
	}
	// Another address signs in as ever.
	if r, msg := signInFrom(t, h, "192.0.2.55:1234", right, nil); r.Code != http.StatusSeeOther {
		t.Fatalf("another address = %d %q, want 303", r.Code, msg)
	}
	// The oldest failure leaves the window: one more attempt.
	e.Clock.Advance(console.SignInAddressWindow - time.Second)
	if r, _ := signInFrom(t, h, attacker, right, nil); r.Code != http.StatusTooManyRequests {
		t.Fatalf("a second before the window ends = %d, want 429", r.Code)
	}
	e.Clock.Advance(time.Second)
	if r, msg := signInFrom(t, h, attacker, right, nil); r.Code != http.StatusSeeOther {
		t.Fatalf("once the window has passed = %d %q, want 303", r.Code, msg)
	}

	// An IPv6 client's budget is its /64's.
	for i := range console.SignInAddressBudget {
		fail(fmt.Sprintf("[2001:db8:1:2::%x]:443", i+1), i, nil)
	}
	if r, _ := signInFrom(t, h, "[2001:db8:1:2:ffff::1]:443", right, nil); r.Code != http.StatusTooManyRequests {
		t.Errorf("another address of the same /64 = %d, want 429", r.Code)
	}
	if r, _ := signInFrom(t, h, "[2001:db8:1:3::1]:443", right, nil); r.Code != http.StatusSeeOther {
		t.Errorf("an address of another /64 = %d, want 303", r.Code)
	}
}

// TestSignInAddressBehindProxy: behind a trusted proxy the budget is the
// client's that X-Forwarded-For names (read from the right, past the
// trusted proxies), so that one client cannot spend everyone's.
func TestSignInAddressBehindProxy(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	h := e.consoleWith(console.Config{Clock: e.Clock, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}})
	const proxy = "10.0.0.2:5555"
	for i := range console.SignInAddressBudget {
		// A client writing its own X-Forwarded-For: the proxy appends the
		// address it saw, the right-most untrusted one.
		xff := http.Header{"X-Forwarded-For": {fmt.Sprintf("192.0.2.%d, 198.51.100.7", i+1)}}
		r, _ := signInFrom(t, h, proxy, url.Values{"email": {"nobody@acme.example.com"}, "password": {password}}, xff)
		if r.Code != http.StatusUnauthorized {
			t.Fatalf("failed sign-in %d = %d, want 401", i+1, r.Code)
		}
	}
	right := url.Values{"email": {e.admin.Email}, "password": {password}}
	if r, _ := signInFrom(t, h, proxy, right, http.Header{"X-Forwarded-For": {"198.51.100.7, 10.1.1.1"}}); r.Code != http.StatusTooManyRequests {
		t.Errorf("the client past its budget, through two proxies = %d, want 429", r.Code)
	}
	if r, msg := signInFrom(t, h, proxy, right, http.Header{"X-Forwarded-For": {"198.51.100.8"}}); r.Code != http.StatusSeeOther {
		t.Errorf("another client through the same proxy = %d %q, want 303", r.Code, msg)
	}
}
