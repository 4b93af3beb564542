// Package console is the admin web console: server-rendered pages
// (html/template, parsed at start) with their assets embedded, mounted on
// the same web.Server as the JSON API and calling the same
// smsadmin.Service. It holds no rule of its own: a signed-in account acts
// as an smsadmin.Actor, and every page asks the Service, which checks roles
// and tenants as it does for the API and writes the audit log.
//
// Sign-in opens a server-side session (smsadmin.Service.SignIn) held in a
// Secure, HttpOnly, SameSite=Lax cookie. Every request that changes
// something passes http.CrossOriginProtection and carries the session's
// CSRF token, but the one-click unsubscribe of an email (RFC 8058), which
// a mail client posts with the link's signed token alone (see New).
// Pages are usable without JavaScript; htmx (vendored in static/, see
// static/README.md) makes forms answer in place and keeps statuses live
// by polling with ETags; static/console.js holds back a live update of a
// region someone is working in.
package console

import (
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"smsadmin"
	"smsadmin/internal/web"
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
	// Clock times the sign-in budget of client addresses (default
	// smsadmin.SystemClock).
	Clock smsadmin.Clock
	// TrustedProxies are the proxies (load balancers) whose
	// X-Forwarded-For says which address a request comes from; from any
	// other peer it is the connection's. None by default.
	TrustedProxies []netip.Prefix
	// MailOff tells the console that the server sends no email (no SMTP
	// server is configured: --smtp-url); the Notifications page says so
	// beside the email choices.
	MailOff bool
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
	limiter *signInLimiter // failed sign-ins per client address
	proxies []netip.Prefix
	mailOff bool
}

// New returns a Console with every template parsed; a template that does
// not parse is an error here, at start, not on the first request.
func New(cfg Config) (*Console, error) {
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	c := &Console{svc: cfg.Service, log: cfg.Logger, ttl: cfg.SessionTTL, poll: cfg.Poll, pages: p,
		cop: http.NewCrossOriginProtection(), mailOff: cfg.MailOff}
	if c.log == nil {
		c.log = slog.Default()
	}
	if c.ttl <= 0 {
		c.ttl = smsadmin.DefaultSessionTTL
	}
	if c.poll <= 0 {
		c.poll = 2 * time.Second
	}
	clock := cfg.Clock
	if clock == nil {
		clock = smsadmin.SystemClock{}
	}
	c.limiter, c.proxies = newSignInLimiter(clock), cfg.TrustedProxies
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	c.statics = c.files(sub)
	c.cop.SetDenyHandler(http.HandlerFunc(c.crossOrigin))
	// The one-click unsubscribe of an email (RFC 8058) is posted by the
	// recipient's mail client or provider, from its own origin or from
	// none, with no session and no CSRF token: the signed token it carries
	// in the URL is the whole authority, and it only turns email off. A
	// forged cross-site POST would need that token, whose holder can
	// unsubscribe anyway; and what it does comes of the token alone, never
	// of a session (whose cookie, SameSite=Lax, another site's POST does
	// not carry anyway). So it alone passes by the cross-origin check; a
	// Public route checks no CSRF token (auth.go), as it has no session.
	c.cop.AddInsecureBypassPattern(unsubscribePattern)
	return c, nil
}

// Access declares who may use a route of the console. A signed-in
// account acts as itself through the Service, which checks roles and
// tenants for each call; the declaration is what handler_test.go holds
// every route to. The zero value declares nothing: Register refuses it.
type Access int

const (
	// Public routes need no session: sign-in, assets, the home page (the
	// sign-in page to a person not signed in) and a page not found.
	Public Access = iota + 1
	// SignedIn routes take any session (sign-out).
	SignedIn
	// Support routes are for support; an admin, of any tenant, is
	// forbidden (a campaign's limit, R9, included).
	Support
	// Tenant routes are for support and the admins of the route's
	// {tenant}; another tenant's admin gets not found, which does not say
	// whether the tenant exists.
	Tenant
)

func (a Access) String() string {
	switch a {
	case Public:
		return "public"
	case SignedIn:
		return "signed in"
	case Support:
		return "support"
	case Tenant:
		return "tenant"
	}
	return "undeclared"
}

// Route is one page or form of the console: Pattern as http.ServeMux
// reads it (method and path) and who may use it. Every route but an
// asset, a page not found and the one-click unsubscribe (see New) passes
// http.CrossOriginProtection; every
// route but a Public one needs a session and, to change anything, the
// session's CSRF token.
type Route struct {
	Pattern string
	Access  Access
	handle  handler
	raw     http.Handler // served as it is: assets, a page not found
	// maxBody, when set, is the route's body limit instead of
	// web.MaxBodyBytes (an import's file).
	maxBody int64
}

// unsubscribePattern is the one-click unsubscribe's POST.
const unsubscribePattern = "POST /mail/unsubscribe"

// Routes is the table of every page and form of the console.
func (c *Console) Routes() []Route {
	return []Route{
		{Pattern: "GET /static/", Access: Public, raw: c.cache(c.statics)},
		{Pattern: "GET /favicon.ico", Access: Public, raw: c.cache(c.favicon())},
		{Pattern: "GET /{$}", Access: Public, handle: c.home},
		{Pattern: "GET /signin", Access: Public, handle: c.signInPage},
		{Pattern: "POST /signin", Access: Public, handle: c.signIn},
		{Pattern: "POST /signout", Access: SignedIn, handle: c.signOut},
		{Pattern: "POST /tenants", Access: Support, handle: c.createTenant},
		{Pattern: "GET /accounts", Access: Support, handle: c.accounts},
		{Pattern: "POST /accounts", Access: Support, handle: c.createAccount},
		{Pattern: "POST /accounts/{account}/disable", Access: Support, handle: c.disableAccount},

		{Pattern: "GET /t/{tenant}/users", Access: Tenant, handle: c.users},
		{Pattern: "POST /t/{tenant}/users", Access: Tenant, handle: c.createUser},
		{Pattern: "GET /t/{tenant}/users/{user}", Access: Tenant, handle: c.user},
		{Pattern: "POST /t/{tenant}/users/{user}", Access: Tenant, handle: c.updateUser},
		{Pattern: "POST /t/{tenant}/users/{user}/sms", Access: Tenant, handle: c.toggleSMS},
		{Pattern: "POST /t/{tenant}/users/{user}/sms/retry", Access: Tenant, handle: c.retrySMS},

		// The inventory (R3) and the import of users and numbers.
		{Pattern: "GET /t/{tenant}/numbers", Access: Tenant, handle: c.numbers},
		{Pattern: "POST /t/{tenant}/numbers", Access: Tenant, handle: c.addNumber},
		{Pattern: "POST /t/{tenant}/numbers/{number}/delete", Access: Tenant, handle: c.deleteNumber},
		{Pattern: "POST /t/{tenant}/imports", Access: Tenant, handle: c.importInventory, maxBody: maxImport},

		{Pattern: "GET /t/{tenant}/tokens", Access: Tenant, handle: c.tokens},
		{Pattern: "POST /t/{tenant}/tokens", Access: Tenant, handle: c.createToken},
		{Pattern: "POST /t/{tenant}/tokens/{token}/revoke", Access: Tenant, handle: c.revokeToken},

		{Pattern: "GET /t/{tenant}/sms", Access: Tenant, handle: c.sms},
		{Pattern: "POST /t/{tenant}/sms/enable", Access: Tenant, handle: c.enableNumbers},
		{Pattern: "POST /t/{tenant}/sms/numbers", Access: Tenant, handle: c.numbersAction},
		{Pattern: "GET /t/{tenant}/sms/export", Access: Tenant, handle: c.exportNumbers},
		{Pattern: "POST /t/{tenant}/brands", Access: Tenant, handle: c.saveBrand},
		{Pattern: "POST /t/{tenant}/brands/{brand}", Access: Tenant, handle: c.saveBrand},
		// The readiness check (R24) of a form as it stands, unsaved: it
		// changes nothing, and is a POST for the form's size and its CSRF
		// token.
		{Pattern: "POST /t/{tenant}/brands/check", Access: Tenant, handle: c.checkBrand},
		{Pattern: "POST /t/{tenant}/brands/{brand}/check", Access: Tenant, handle: c.checkBrand},
		{Pattern: "POST /t/{tenant}/brands/{brand}/verify", Access: Tenant, handle: c.verifyBrand},
		{Pattern: "POST /t/{tenant}/brands/{brand}/resend", Access: Tenant, handle: c.resendVerification},
		{Pattern: "POST /t/{tenant}/brands/{brand}/delete", Access: Tenant, handle: c.deleteBrand},
		{Pattern: "POST /t/{tenant}/campaigns", Access: Tenant, handle: c.saveCampaign},
		{Pattern: "POST /t/{tenant}/campaigns/{campaign}", Access: Tenant, handle: c.saveCampaign},
		{Pattern: "POST /t/{tenant}/campaigns/check", Access: Tenant, handle: c.checkCampaign},
		{Pattern: "POST /t/{tenant}/campaigns/{campaign}/check", Access: Tenant, handle: c.checkCampaign},
		{Pattern: "POST /t/{tenant}/campaigns/{campaign}/delete", Access: Tenant, handle: c.deleteCampaign},
		{Pattern: "POST /t/{tenant}/campaigns/{campaign}/limit", Access: Support, handle: c.setLimit},
		{Pattern: "GET /t/{tenant}/campaigns/{campaign}/deactivate", Access: Tenant, handle: c.deactivatePage},
		{Pattern: "POST /t/{tenant}/campaigns/{campaign}/deactivate", Access: Tenant, handle: c.deactivate},

		{Pattern: "GET /t/{tenant}/troubleshooting", Access: Tenant, handle: c.troubleshooting},
		{Pattern: "GET /t/{tenant}/audit", Access: Tenant, handle: c.audit},

		{Pattern: "GET /t/{tenant}/notifications", Access: Tenant, handle: c.notifications},
		{Pattern: "POST /t/{tenant}/notifications/webhooks", Access: Tenant, handle: c.createWebhook},
		{Pattern: "POST /t/{tenant}/notifications/webhooks/{webhook}/test", Access: Tenant, handle: c.testWebhook},
		{Pattern: "POST /t/{tenant}/notifications/webhooks/{webhook}/enabled", Access: Tenant, handle: c.enableWebhook},
		{Pattern: "POST /t/{tenant}/notifications/webhooks/{webhook}/rotate", Access: Tenant, handle: c.rotateWebhook},
		{Pattern: "POST /t/{tenant}/notifications/webhooks/{webhook}/delete", Access: Tenant, handle: c.deleteWebhook},
		{Pattern: "POST /t/{tenant}/notifications/deliveries/{delivery}/retry", Access: Tenant, handle: c.retryDelivery},
		{Pattern: "POST /t/{tenant}/notifications/mail", Access: Tenant, handle: c.saveMail},

		// The link of every email (RFC 8058): no sign-in; the POST passes
		// by the cross-origin check (New says why).
		{Pattern: "GET /mail/unsubscribe", Access: Public, handle: c.unsubscribePage},
		{Pattern: unsubscribePattern, Access: Public, handle: c.unsubscribe},
		// The API's paths stay the API's: "/" serves only what nothing
		// else claims.
		{Pattern: "/", Access: Public, raw: c.public(c.notFound)},
	}
}

// Register mounts every route of the console on srv, one pattern per page
// so that metrics are labelled by page.
func (c *Console) Register(srv *web.Server) {
	for _, rt := range c.Routes() {
		if rt.maxBody > 0 {
			srv.MountLarge(rt.Pattern, c.handler(rt), rt.maxBody)
			continue
		}
		srv.Mount(rt.Pattern, c.handler(rt))
	}
}

// handler is rt's handler with what its Access asks for.
func (c *Console) handler(rt Route) http.Handler {
	switch {
	case rt.Access == 0:
		panic("console: route " + rt.Pattern + " declares no Access")
	case rt.raw != nil:
		return rt.raw
	case rt.Access == Public:
		return c.cop.Handler(c.public(rt.handle))
	}
	return c.cop.Handler(c.signedIn(rt.handle))
}

// files serves the files of fsys under /static/, and the console's page
// not found for anything else: a directory is not listed.
func (c *Console) files(fsys fs.FS) http.Handler {
	serve := http.StripPrefix("/static/", http.FileServerFS(fsys))
	notFound := c.public(c.notFound)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// fs.Stat refuses "" and a name ending in "/" as invalid names.
		if fi, err := fs.Stat(fsys, strings.TrimPrefix(r.URL.Path, "/static/")); err != nil || fi.IsDir() {
			notFound.ServeHTTP(w, r)
			return
		}
		serve.ServeHTTP(w, r)
	})
}

// favicon serves static/favicon.ico at /favicon.ico, where browsers look
// for a site's icon when a page names none (the pages name it and
// static/favicon.svg).
func (c *Console) favicon() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/x-icon") // not in every system's MIME table
		http.ServeFileFS(w, r, staticFS, "static/favicon.ico")
	})
}

// cache lets browsers keep the embedded assets for an hour.
func (c *Console) cache(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}
