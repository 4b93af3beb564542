package console_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
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
	users := "/t/" + e.tenant + "/users"
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
