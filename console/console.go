// Package console is the admin web console: server-rendered pages
// (html/template, parsed at start) with their assets embedded, mounted on
// the same httpapi.Server as the JSON API and calling the same
// smsadmin.Service. It holds no rule of its own: a signed-in account acts
// as an smsadmin.Actor, and every page asks the Service, which checks roles
// and tenants as it does for the API and writes the audit log.
//
// Sign-in opens a server-side session (smsadmin.Service.SignIn) held in a
// Secure, HttpOnly, SameSite=Lax cookie. Every request that changes
// something passes http.CrossOriginProtection and carries the session's
// CSRF token. Pages are usable without JavaScript; htmx (vendored in
// static/, see static/README.md) makes forms answer in place and keeps
// statuses live by polling with ETags.
package console

import (
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"smsadmin"
	"smsadmin/httpapi"
)

//go:embed static
var staticFS embed.FS

// Config is what a Console is built from.
type Config struct {
	Service *smsadmin.Service
	Logger  *slog.Logger
	// SessionTTL is how long a sign-in lasts (default
	// smsadmin.DefaultSessionTTL).
	SessionTTL time.Duration
	// Poll is how often a page asks whether its live statuses changed
	// (default 2s).
	Poll time.Duration
}

// Console is the web console's handler set.
type Console struct {
	svc     *smsadmin.Service
	log     *slog.Logger
	ttl     time.Duration
	poll    time.Duration
	pages   *pages
	cop     *http.CrossOriginProtection
	statics http.Handler
}

// New returns a Console with every template parsed; a template that does
// not parse is an error here, at start, not on the first request.
func New(cfg Config) (*Console, error) {
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	c := &Console{svc: cfg.Service, log: cfg.Logger, ttl: cfg.SessionTTL, poll: cfg.Poll, pages: p,
		cop: http.NewCrossOriginProtection()}
	if c.log == nil {
		c.log = slog.Default()
	}
	if c.ttl <= 0 {
		c.ttl = smsadmin.DefaultSessionTTL
	}
	if c.poll <= 0 {
		c.poll = 2 * time.Second
	}
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	c.statics = http.StripPrefix("/static/", http.FileServerFS(sub))
	c.cop.SetDenyHandler(http.HandlerFunc(c.crossOrigin))
	return c, nil
}

// Register mounts every page of the console on srv, one pattern per page
// so that metrics are labelled by page. The API's paths stay the API's:
// "/" here serves only what nothing else claims (a page not found).
func (c *Console) Register(srv *httpapi.Server) {
	public := func(h handler) http.Handler { return c.cop.Handler(c.public(h)) }
	signed := func(h handler) http.Handler { return c.cop.Handler(c.signedIn(h)) }
	srv.Mount("GET /static/", c.cache(c.statics))
	srv.Mount("GET /{$}", public(c.home))
	srv.Mount("GET /signin", public(c.signInPage))
	srv.Mount("POST /signin", public(c.signIn))
	srv.Mount("POST /signout", signed(c.signOut))
	srv.Mount("POST /tenants", signed(c.createTenant))
	srv.Mount("GET /accounts", signed(c.accounts))
	srv.Mount("POST /accounts", signed(c.createAccount))
	srv.Mount("POST /accounts/{account}/disable", signed(c.disableAccount))

	srv.Mount("GET /t/{tenant}/users", signed(c.users))
	srv.Mount("GET /t/{tenant}/users/{user}", signed(c.user))
	srv.Mount("POST /t/{tenant}/users/{user}", signed(c.updateUser))
	srv.Mount("POST /t/{tenant}/users/{user}/sms", signed(c.toggleSMS))

	srv.Mount("GET /t/{tenant}/sms", signed(c.sms))
	srv.Mount("POST /t/{tenant}/sms/enable", signed(c.enableNumbers))
	srv.Mount("POST /t/{tenant}/sms/numbers", signed(c.numbersAction))
	srv.Mount("POST /t/{tenant}/brands", signed(c.saveBrand))
	srv.Mount("POST /t/{tenant}/brands/{brand}", signed(c.saveBrand))
	srv.Mount("POST /t/{tenant}/campaigns", signed(c.saveCampaign))
	srv.Mount("POST /t/{tenant}/campaigns/{campaign}", signed(c.saveCampaign))
	srv.Mount("POST /t/{tenant}/campaigns/{campaign}/limit", signed(c.setLimit))
	srv.Mount("GET /t/{tenant}/campaigns/{campaign}/deactivate", signed(c.deactivatePage))
	srv.Mount("POST /t/{tenant}/campaigns/{campaign}/deactivate", signed(c.deactivate))

	srv.Mount("GET /t/{tenant}/troubleshooting", signed(c.troubleshooting))
	srv.Mount("GET /t/{tenant}/audit", signed(c.audit))
	srv.Mount("/", c.public(c.notFound))
}

// cache lets browsers keep the embedded assets for an hour.
func (c *Console) cache(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}
