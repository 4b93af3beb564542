package console

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"smsadmin"
)

// sessionCookie holds the session's token. The __Host- prefix makes the
// browser keep it only when it is Secure, for this host alone, on path /.
const sessionCookie = "__Host-smsadmin_session"

// csrfField is the form field (and csrfHeader the header htmx sends) that
// carries the session's CSRF token.
const (
	csrfField  = "csrf"
	csrfHeader = "X-CSRF-Token"
)

// request is an HTTP request with who makes it: the Actor of its session
// (the zero Actor on public pages) and the session's CSRF token.
type request struct {
	*http.Request
	actor    smsadmin.Actor
	signedIn bool
	csrf     string
}

// handler serves one page. An error it returns is shown to the person, next
// to what caused it where the handler knows, else on an error page.
type handler func(w http.ResponseWriter, r *request) error

// public serves a page that needs no session; it still knows who is
// signed in, if anyone.
func (c *Console) public(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := &request{Request: r}
		if cookie, err := r.Cookie(sessionCookie); err == nil {
			if a, _, err := c.svc.SessionActor(r.Context(), cookie.Value); err == nil {
				req.actor, req.signedIn, req.csrf = a, true, csrfToken(cookie.Value)
				req.Request = r.WithContext(smsadmin.WithActor(r.Context(), a))
			}
		}
		c.serve(w, req, h)
	})
}

// signedIn serves a page that needs a session: without one a person is
// sent to the sign-in page (and back here after). A request that changes
// something must carry the session's CSRF token, besides passing
// http.CrossOriginProtection, which every console route does. The Actor
// of the session goes into the request's context, where the Service finds
// it: the Service decides what this person may see and do.
func (c *Console) signedIn(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cookie, err := r.Cookie(sessionCookie)
		token := ""
		if err == nil {
			token = cookie.Value
		}
		a, _, err := c.svc.SessionActor(r.Context(), token)
		if err != nil {
			if smsadmin.ErrorCode(err) != smsadmin.CodeUnauthorized {
				c.fail(w, &request{Request: r}, err)
				return
			}
			clearSession(w)
			c.toSignIn(w, r, smsadmin.ErrorMessage(err))
			return
		}
		req := &request{Request: r.WithContext(smsadmin.WithActor(r.Context(), a)), actor: a, signedIn: true, csrf: csrfToken(token)}
		// The form is read from req.Request, the request the page reads too:
		// a body is read once.
		if r.Method != http.MethodGet && r.Method != http.MethodHead && !validCSRF(req.Request, req.csrf) {
			c.refuse(w, req)
			return
		}
		c.serve(w, req, h)
	})
}

// serve runs h and shows its error, if any.
func (c *Console) serve(w http.ResponseWriter, r *request, h handler) {
	w.Header().Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "same-origin")
	if err := h(w, r); err != nil {
		c.fail(w, r, err)
	}
}

// toSignIn sends a person without a session to the sign-in page, with
// why, and where to come back to. htmx follows HX-Redirect with a full
// page load.
func (c *Console) toSignIn(w http.ResponseWriter, r *http.Request, why string) {
	next := r.URL.EscapedPath()
	if r.Method == http.MethodGet && r.URL.RawQuery != "" && r.Header.Get("HX-Request") == "" {
		next += "?" + r.URL.RawQuery
	}
	if r.Method != http.MethodGet || r.Header.Get("HX-Request") != "" {
		next = r.Header.Get("HX-Current-URL")
		if u, err := url.Parse(next); err == nil {
			next = u.RequestURI()
		}
	}
	target := "/signin?" + url.Values{"next": {safeNext(next)}, "why": {why}}.Encode()
	if r.Header.Get("HX-Request") != "" {
		w.Header().Set("HX-Redirect", target)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// safeNext returns where to send a person after signing in: next when it
// is a path of this site, else "/". next is parsed as a URL reference and
// must be a path alone (no scheme, host, user or opaque part) that starts
// with one slash and is not the sign-in page, with no backslash, space or
// control character anywhere (nor percent-encoded in its path). Browsers drop tabs and
// newlines from a URL, trim leading spaces and read a backslash as a
// slash, so "/\t/evil.example" or "/\\evil.example" would take them to
// another site. The answer is built from the parsed, cleaned path and the
// query, never echoed from next.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.ContainsFunc(next, unsafeInURL) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") || strings.ContainsFunc(u.Path, unsafeInURL) {
		return "/"
	}
	if _, err := url.ParseQuery(u.RawQuery); err != nil || strings.ContainsFunc(u.RawQuery, unsafeInURL) {
		return "/"
	}
	clean := path.Clean(u.Path)
	if strings.HasSuffix(u.Path, "/") && clean != "/" {
		clean += "/"
	}
	if clean == "/signin" || strings.HasPrefix(clean, "/signin/") {
		return "/"
	}
	return (&url.URL{Path: clean, RawQuery: u.RawQuery}).String()
}

// unsafeInURL reports whether r may not appear in a return path: a
// backslash, a space or a control character (C0, DEL, C1), which browsers
// read as a slash, trim or drop.
func unsafeInURL(r rune) bool {
	return r == '\\' || r == ' ' || r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == utf8.RuneError
}

// csrfToken derives a session's CSRF token from its secret token, so that
// nothing more is stored and only the holder of the cookie can know it.
func csrfToken(session string) string {
	m := hmac.New(sha256.New, []byte(session))
	m.Write([]byte("smsadmin console csrf"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// validCSRF reports whether r carries want, in its form or in the header
// htmx sends.
func validCSRF(r *http.Request, want string) bool {
	got := r.Header.Get(csrfHeader)
	if got == "" {
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			_ = r.ParseMultipartForm(maxUpload)
		}
		got = r.PostFormValue(csrfField)
	}
	return got != "" && hmac.Equal([]byte(got), []byte(want))
}

// refuse answers a change that did not carry the session's CSRF token.
func (c *Console) refuse(w http.ResponseWriter, r *request) {
	c.fail(w, r, smsadmin.Errorf(smsadmin.CodeForbidden,
		"This form did not come from this page of the console, so nothing was changed. Reload the page and try again."))
}

// crossOrigin answers a change that another site's page asked of the
// browser (http.CrossOriginProtection).
func (c *Console) crossOrigin(w http.ResponseWriter, r *http.Request) {
	c.fail(w, &request{Request: r}, smsadmin.Errorf(smsadmin.CodeForbidden,
		"This request came from another website, so nothing was changed. Use the console's own pages."))
}

// setSession hands the browser its session token.
func (c *Console) setSession(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", MaxAge: int(c.ttl.Seconds()),
		Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// clearSession makes the browser forget its session token.
func clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// signInData is the sign-in page.
type signInData struct {
	page
	Email, Next, Why string
	Error            string // next to the password or the token
	Token            bool   // the error is about the token form
}

func (c *Console) signInPage(w http.ResponseWriter, r *request) error {
	if r.signedIn {
		http.Redirect(w, r.Request, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return nil
	}
	return c.render(w, r, http.StatusOK, "signin", "", &signInData{page: c.page(r, "Sign in"),
		Next: safeNext(r.URL.Query().Get("next")), Why: r.URL.Query().Get("why")})
}

// signIn checks an email and password, or a support token, and opens a
// session. A refusal shows the sign-in page again with why.
func (c *Console) signIn(w http.ResponseWriter, r *request) error {
	d := &signInData{page: c.page(r, "Sign in"), Email: r.PostFormValue("email"), Next: safeNext(r.PostFormValue("next"))}
	t := r.PostFormValue("token")
	d.Token = t != ""
	// The client address's budget of failed sign-ins comes before the
	// account's lock: past it, nothing is checked (throttle.go).
	addr := clientAddress(r.Request, c.proxies)
	done, wait := c.limiter.begin(addr)
	if done == nil {
		c.log.Warn("console sign-in throttled", "client", addr, "email", d.Email, "with_token", d.Token, "retry_after", wait.Round(time.Second))
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		d.Error = fmt.Sprintf("Too many failed sign-ins from your network address: try again in %d minutes.", int(math.Ceil(wait.Minutes())))
		return c.render(w, r, http.StatusTooManyRequests, "signin", "", d)
	}
	var token string
	var err error
	if d.Token {
		token, _, err = c.svc.SignInWithToken(r.Context(), t, c.ttl)
	} else {
		token, _, err = c.svc.SignIn(r.Context(), d.Email, r.PostFormValue("password"), c.ttl)
	}
	code := smsadmin.ErrorCode(err)
	done(code == smsadmin.CodeUnauthorized || code == smsadmin.CodeForbidden)
	if err != nil {
		if code != smsadmin.CodeUnauthorized && code != smsadmin.CodeForbidden {
			return err
		}
		c.log.Info("console sign-in refused", "email", d.Email, "with_token", d.Token, "client", addr, "reason", smsadmin.ErrorMessage(err))
		d.Error = smsadmin.ErrorMessage(err)
		return c.render(w, r, http.StatusUnauthorized, "signin", "", d)
	}
	c.setSession(w, token)
	http.Redirect(w, r.Request, d.Next, http.StatusSeeOther)
	return nil
}

// signOut ends the session at once, server-side.
func (c *Console) signOut(w http.ResponseWriter, r *request) error {
	if cookie, err := r.Cookie(sessionCookie); err == nil {
		if err := c.svc.SignOut(r.Context(), cookie.Value); err != nil {
			return err
		}
	}
	clearSession(w)
	http.Redirect(w, r.Request, "/signin?why="+url.QueryEscape("You are signed out."), http.StatusSeeOther)
	return nil
}
