package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"smsadmin/internal/mail"
	"strconv"
	"strings"
	"time"

	"smsadmin"
	"smsadmin/carrier/telnyx"
)

// Config is everything the server reads from its flags and environment.
// Nothing outside package main reads configuration.
type Config struct {
	Listen         string        // SMSADMIN_LISTEN
	DB             string        // SMSADMIN_DB: sqlite:PATH or postgres://...
	Carrier        string        // SMSADMIN_CARRIER: sim or telnyx
	BootstrapToken string        // SMSADMIN_BOOTSTRAP_TOKEN
	LogFormat      string        // SMSADMIN_LOG_FORMAT: text or json
	LogLevel       string        // SMSADMIN_LOG_LEVEL: debug, info, warn, error
	ShutdownGrace  time.Duration // SMSADMIN_SHUTDOWN_GRACE
	SimDelay       time.Duration // SMSADMIN_SIM_DELAY
	SimReviewDelay time.Duration // SMSADMIN_SIM_REVIEW_DELAY
	SimLatency     time.Duration // SMSADMIN_SIM_LATENCY
	SimJournal     string        // SMSADMIN_SIM_JOURNAL
	SimRate        float64       // SMSADMIN_SIM_RATE
	CarrierRate    float64       // SMSADMIN_CARRIER_RATE
	CarrierWorkers int           // SMSADMIN_CARRIER_CONCURRENCY
	Window         time.Duration // SMSADMIN_PROVISIONING_WINDOW
	ReenableWindow time.Duration // SMSADMIN_REENABLE_WINDOW
	NumberRecheck  time.Duration // SMSADMIN_NUMBER_RECHECK
	CarrierPoll    time.Duration // SMSADMIN_CARRIER_POLL
	TrustedProxies string        // SMSADMIN_TRUSTED_PROXIES: addresses or CIDRs, comma-separated
	RegFetch       bool          // SMSADMIN_REGISTRATION_FETCH
	SMTPURL        string        // SMSADMIN_SMTP_URL: a secret (its password), never shown
	MailFrom       string        // SMSADMIN_MAIL_FROM
	HookLoopback   bool          // SMSADMIN_WEBHOOK_ALLOW_LOOPBACK
	Telnyx         TelnyxConfig  // with --carrier telnyx
	errs           []string      // environment values that did not parse
}

// TelnyxConfig is how the server reaches Telnyx (--carrier telnyx).
type TelnyxConfig struct {
	APIKey             string // SMSADMIN_TELNYX_API_KEY: a secret, never shown
	BaseURL            string // SMSADMIN_TELNYX_BASE_URL
	MessagingProfileID string // SMSADMIN_TELNYX_MESSAGING_PROFILE_ID
	PublicKey          string // SMSADMIN_TELNYX_PUBLIC_KEY: base64 Ed25519, for webhooks
	PublicURL          string // SMSADMIN_PUBLIC_URL: where Telnyx calls back, and mails link to
}

// secretValue is a string flag whose value --help never prints (its
// default comes from the environment).
type secretValue struct{ s *string }

func (v secretValue) String() string     { return "" }
func (v secretValue) Set(s string) error { *v.s = s; return nil }

// Defaults (API.md "Starting the server").
const (
	defaultListen  = "127.0.0.1:8080"
	defaultDB      = "sqlite:./smsadmin.db"
	defaultCarrier = "sim"
)

// env returns the environment variable, or def when it is unset or empty.
func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// dbFlags registers the flags shared by serve and migrate.
func (c *Config) dbFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.DB, "db", env("SMSADMIN_DB", defaultDB), dbFlagHelp+" (env SMSADMIN_DB)")
	fs.StringVar(&c.LogFormat, "log-format", env("SMSADMIN_LOG_FORMAT", "text"), "log format: text or json (env SMSADMIN_LOG_FORMAT)")
	fs.StringVar(&c.LogLevel, "log-level", env("SMSADMIN_LOG_LEVEL", "info"), "log level: debug, info, warn or error (env SMSADMIN_LOG_LEVEL)")
}

// serveFlags registers the flags of serve.
func (c *Config) serveFlags(fs *flag.FlagSet) {
	c.dbFlags(fs)
	fs.StringVar(&c.Listen, "listen", env("SMSADMIN_LISTEN", defaultListen), "address to serve HTTP on (env SMSADMIN_LISTEN)")
	fs.StringVar(&c.Carrier, "carrier", env("SMSADMIN_CARRIER", defaultCarrier), "carrier: sim, the built-in simulator, or telnyx (env SMSADMIN_CARRIER)")
	t := &c.Telnyx
	t.APIKey = os.Getenv("SMSADMIN_TELNYX_API_KEY")
	fs.Var(secretValue{&t.APIKey}, "telnyx-api-key", "telnyx: the API key (env SMSADMIN_TELNYX_API_KEY; prefer it: a flag shows in the process list)")
	fs.StringVar(&t.BaseURL, "telnyx-base-url", env("SMSADMIN_TELNYX_BASE_URL", telnyx.DefaultBaseURL), "telnyx: the API's root URL (env SMSADMIN_TELNYX_BASE_URL)")
	fs.StringVar(&t.MessagingProfileID, "telnyx-messaging-profile-id", env("SMSADMIN_TELNYX_MESSAGING_PROFILE_ID", ""), "telnyx: the messaging profile numbers are enabled on (env SMSADMIN_TELNYX_MESSAGING_PROFILE_ID)")
	fs.StringVar(&t.PublicKey, "telnyx-public-key", env("SMSADMIN_TELNYX_PUBLIC_KEY", ""), "telnyx: the account's base64 Ed25519 public key, to verify webhooks (env SMSADMIN_TELNYX_PUBLIC_KEY)")
	fs.StringVar(&t.PublicURL, "public-url", env("SMSADMIN_PUBLIC_URL", ""), "the URL this server is reached at from the internet, such as https://sms.example.com: the links in mails point there, and the carrier calls back at PUBLIC_URL/v1/carrier/telnyx/events (env SMSADMIN_PUBLIC_URL)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", env("SMSADMIN_TRUSTED_PROXIES", ""), "proxies (load balancers) in front of this server whose X-Forwarded-For names the client, for the console's sign-in limit per client address: addresses or CIDRs, comma-separated, such as 10.0.0.0/8 (default none: the connection's address) (env SMSADMIN_TRUSTED_PROXIES)")
	fs.BoolVar(&c.RegFetch, "registration-fetch", c.envBool("SMSADMIN_REGISTRATION_FETCH", false), "the readiness check (R24) also fetches the website, privacy policy and terms a registration names, over https from this server, and reports one that does not answer or a privacy policy that does not exclude sharing mobile numbers; off by default, for a server with no internet (env SMSADMIN_REGISTRATION_FETCH)")
	c.SMTPURL = os.Getenv("SMSADMIN_SMTP_URL")
	fs.Var(secretValue{&c.SMTPURL}, "smtp-url", "email (R25): the SMTP server events are mailed through, smtp://user:pass@host:587 (STARTTLS when offered; ?starttls=required insists) or smtps://user:pass@host:465; unset, email is off (env SMSADMIN_SMTP_URL; prefer it: a flag shows in the process list)")
	fs.StringVar(&c.MailFrom, "mail-from", env("SMSADMIN_MAIL_FROM", ""), "email: the From address of mails, such as 'smsadmin <noreply@example.com>' (env SMSADMIN_MAIL_FROM)")
	fs.BoolVar(&c.HookLoopback, "webhook-allow-loopback", c.envBool("SMSADMIN_WEBHOOK_ALLOW_LOOPBACK", false), "webhooks may be http on this machine (http://127.0.0.1:PORT, http://localhost:PORT), for development; off, a webhook must be https to a public address, checked again at every delivery (env SMSADMIN_WEBHOOK_ALLOW_LOOPBACK)")
	fs.DurationVar(&c.ShutdownGrace, "shutdown-grace", c.envDuration("SMSADMIN_SHUTDOWN_GRACE", 20*time.Second), "time in-flight requests get to finish on shutdown (env SMSADMIN_SHUTDOWN_GRACE)")
	fs.DurationVar(&c.Window, "provisioning-window", c.envDuration("SMSADMIN_PROVISIONING_WINDOW", 48*time.Hour), "carrier work pending longer than this is flagged overdue (env SMSADMIN_PROVISIONING_WINDOW)")
	fs.DurationVar(&c.ReenableWindow, "reenable-window", c.envDuration("SMSADMIN_REENABLE_WINDOW", smsadmin.DefaultReenableWindow), "re-enabling a number whose carrier provisioning completed within this window is immediate, with no new carrier work (R17) (env SMSADMIN_REENABLE_WINDOW)")
	fs.DurationVar(&c.NumberRecheck, "number-recheck", c.envDuration("SMSADMIN_NUMBER_RECHECK", 24*time.Hour), "how often each SMS-enabled number is checked at the carrier for changes made there (R22) (env SMSADMIN_NUMBER_RECHECK)")
	fs.DurationVar(&c.CarrierPoll, "carrier-poll", c.envDuration("SMSADMIN_CARRIER_POLL", 0), "the shortest time between looks at work in the carrier's hands when no callback came (0: 10s with a carrier that calls back, 1s without); looks spend the carrier rate (env SMSADMIN_CARRIER_POLL)")
	fs.DurationVar(&c.SimDelay, "sim-delay", c.envDuration("SMSADMIN_SIM_DELAY", 2*time.Second), "simulator: time to provision, assign or remove a number (env SMSADMIN_SIM_DELAY)")
	fs.DurationVar(&c.SimReviewDelay, "sim-review-delay", c.envDuration("SMSADMIN_SIM_REVIEW_DELAY", 5*time.Second), "simulator: time to review a brand or campaign (env SMSADMIN_SIM_REVIEW_DELAY)")
	fs.Float64Var(&c.CarrierRate, "carrier-rate", c.envFloat("SMSADMIN_CARRIER_RATE", 0), "the carrier account's limit in calls per second, polls included, shared by every instance on the database (0: none) (env SMSADMIN_CARRIER_RATE)")
	fs.IntVar(&c.CarrierWorkers, "carrier-concurrency", int(c.envFloat("SMSADMIN_CARRIER_CONCURRENCY", 0)), "carrier calls in flight at once (0: sized from --carrier-rate and the calls' latency, up to 32) (env SMSADMIN_CARRIER_CONCURRENCY)")
	fs.Float64Var(&c.SimRate, "sim-rate", c.envFloat("SMSADMIN_SIM_RATE", 0), "simulator: calls per second the simulated account accepts; above it, 429 with Retry-After (0: unlimited) (env SMSADMIN_SIM_RATE)")
	fs.DurationVar(&c.SimLatency, "sim-latency", c.envDuration("SMSADMIN_SIM_LATENCY", 0), "simulator: time each call takes to answer, as a real carrier's round trip (env SMSADMIN_SIM_LATENCY)")
	fs.StringVar(&c.SimJournal, "sim-journal", env("SMSADMIN_SIM_JOURNAL", ""), "simulator: file keeping the simulated carrier's state (default: the SQLite path + .carrier-sim; in memory on PostgreSQL); instances on one machine that share a database share it too (env SMSADMIN_SIM_JOURNAL)")
	// The bootstrap token is a secret: environment only, never a flag that
	// would show in the process list.
	c.BootstrapToken = os.Getenv("SMSADMIN_BOOTSTRAP_TOKEN")
}

// envFloat reads a number from the environment; a value that does not
// parse is reported by validate rather than silently ignored.
func (c *Config) envFloat(name string, def float64) float64 {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		c.errs = append(c.errs, fmt.Sprintf("%s=%q is not a number", name, v))
		return def
	}
	return f
}

// envDuration reads a Go duration from the environment; a value that does
// not parse is reported by validate rather than silently ignored.
func (c *Config) envBool(name string, def bool) bool {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		c.errs = append(c.errs, fmt.Sprintf("%s=%q is not true or false", name, v))
		return def
	}
	return b
}

func (c *Config) envDuration(name string, def time.Duration) time.Duration {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		c.errs = append(c.errs, fmt.Sprintf("%s=%q is not a duration such as 2s or 48h", name, v))
		return def
	}
	return d
}

// validate checks the configuration and says what is wrong in terms of the
// flag or variable to fix.
func (c *Config) validate(serving bool) error {
	if _, _, err := c.database(); err != nil {
		return err
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		return errUsage{msg: fmt.Sprintf("--log-format (SMSADMIN_LOG_FORMAT) must be text or json, not %q", c.LogFormat)}
	}
	if _, err := c.level(); err != nil {
		return err
	}
	if !serving {
		return nil
	}
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		return errUsage{msg: fmt.Sprintf("--listen (SMSADMIN_LISTEN) must be HOST:PORT such as 127.0.0.1:8080, not %q", c.Listen)}
	}
	switch c.Carrier {
	case "sim":
	case "telnyx":
		if err := c.Telnyx.validate(); err != nil {
			return err
		}
	default:
		return errUsage{msg: fmt.Sprintf("--carrier (SMSADMIN_CARRIER) %q is not available; this build has: sim, telnyx", c.Carrier)}
	}
	if _, err := c.trustedProxies(); err != nil {
		return err
	}
	if _, err := c.mailer(); err != nil {
		return err
	}
	if c.BootstrapToken != "" && len(c.BootstrapToken) < smsadmin.MinTokenLength {
		return errUsage{msg: fmt.Sprintf("SMSADMIN_BOOTSTRAP_TOKEN must be at least %d characters; it has %d", smsadmin.MinTokenLength, len(c.BootstrapToken))}
	}
	if len(c.errs) > 0 {
		return errUsage{msg: strings.Join(c.errs, "; ")}
	}
	if c.ShutdownGrace <= 0 {
		return errUsage{msg: "--shutdown-grace must be positive"}
	}
	if c.Window <= 0 {
		return errUsage{msg: "--provisioning-window must be positive"}
	}
	if c.ReenableWindow <= 0 {
		return errUsage{msg: "--reenable-window (SMSADMIN_REENABLE_WINDOW) must be positive"}
	}
	if c.NumberRecheck <= 0 {
		return errUsage{msg: "--number-recheck (SMSADMIN_NUMBER_RECHECK) must be positive"}
	}
	if c.CarrierPoll < 0 {
		return errUsage{msg: "--carrier-poll (SMSADMIN_CARRIER_POLL) must not be negative"}
	}
	if c.CarrierRate < 0 || c.SimRate < 0 || c.CarrierWorkers < 0 {
		return errUsage{msg: "--carrier-rate, --carrier-concurrency and --sim-rate (SMSADMIN_CARRIER_RATE, SMSADMIN_CARRIER_CONCURRENCY, SMSADMIN_SIM_RATE) must not be negative"}
	}
	if c.SimDelay < 0 || c.SimReviewDelay < 0 || c.SimLatency < 0 {
		return errUsage{msg: "--sim-delay, --sim-review-delay and --sim-latency (SMSADMIN_SIM_DELAY, SMSADMIN_SIM_REVIEW_DELAY, SMSADMIN_SIM_LATENCY) must not be negative"}
	}
	return nil
}

// validate checks what --carrier telnyx needs, naming the variable (and
// flag) of the first thing missing or wrong. The API key is never quoted.
func (t *TelnyxConfig) validate() error {
	for _, req := range []struct{ value, name, flag, why string }{
		{t.APIKey, "SMSADMIN_TELNYX_API_KEY", "--telnyx-api-key", "the Telnyx API key (Telnyx portal: Auth, API Keys)"},
		{t.MessagingProfileID, "SMSADMIN_TELNYX_MESSAGING_PROFILE_ID", "--telnyx-messaging-profile-id", "the messaging profile numbers are enabled on"},
		{t.PublicKey, "SMSADMIN_TELNYX_PUBLIC_KEY", "--telnyx-public-key", "the account's public key, to verify Telnyx's webhooks"},
		{t.PublicURL, "SMSADMIN_PUBLIC_URL", "--public-url", "where Telnyx calls this server back"},
	} {
		if strings.TrimSpace(req.value) == "" {
			return errUsage{msg: fmt.Sprintf("--carrier telnyx needs %s (%s): %s", req.name, req.flag, req.why)}
		}
	}
	for _, u := range []struct{ value, name string }{{t.BaseURL, "SMSADMIN_TELNYX_BASE_URL"}, {t.PublicURL, "SMSADMIN_PUBLIC_URL"}} {
		if p, err := url.Parse(u.value); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return errUsage{msg: fmt.Sprintf("%s must be an http(s) URL such as https://example.com, not %q", u.name, u.value)}
		}
	}
	if _, err := telnyx.NewWebhook(t.PublicKey, nil); err != nil {
		return errUsage{msg: "SMSADMIN_TELNYX_PUBLIC_KEY (--telnyx-public-key) must be the base64 of a 32-byte Ed25519 key, as the Telnyx portal shows it"}
	}
	return nil
}

// https reports whether people reach the server over HTTPS: its public
// URL (--public-url) is https.
func (c *Config) https() bool {
	u, err := url.Parse(strings.TrimSpace(c.Telnyx.PublicURL))
	return err == nil && strings.EqualFold(u.Scheme, "https") && u.Host != ""
}

// trustedProxies parses --trusted-proxies: addresses (a /32 or /128) and
// CIDRs, comma-separated.
func (c *Config) trustedProxies() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(c.TrustedProxies, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil {
				return nil, errUsage{msg: fmt.Sprintf("--trusted-proxies (SMSADMIN_TRUSTED_PROXIES) takes addresses or CIDRs such as 10.0.0.0/8, comma-separated, not %q", f)}
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// WebhookURL is where Telnyx sends its events to this server.
func (t *TelnyxConfig) WebhookURL() string {
	return strings.TrimSuffix(t.PublicURL, "/") + "/v1/carrier/telnyx/events"
}

// database splits the --db value into its kind and location (parseDB).
func (c *Config) database() (kind, location string, err error) {
	return parseDB(c.DB)
}

// dbFlagHelp is how every command's --db flag says what it takes.
const dbFlagHelp = "database: the SQLite file as PATH or sqlite:PATH, or postgres://..."

// dbScheme is the scheme of a URL-like --db value, such as "mysql:" (two
// letters at least, so that a Windows drive letter stays a path).
var dbScheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]+:`)

// parseDB reads a --db value (or SMSADMIN_DB) as every command takes it:
// sqlite:PATH (sqlite://PATH too) or a bare PATH is the embedded SQLite
// file, postgres://... (or postgresql://...) a PostgreSQL database. It
// returns the kind, "sqlite" or "postgres", and the location: the file's
// path or the URL. Anything else is a usage error that names what is
// wrong, never quoting a password.
func parseDB(db string) (kind, location string, err error) {
	switch {
	case strings.HasPrefix(db, "sqlite:"):
		location = strings.TrimPrefix(strings.TrimPrefix(db, "sqlite:"), "//")
		if location == "" {
			return "", "", errUsage{msg: "--db sqlite: needs a file path, such as sqlite:./smsadmin.db"}
		}
		return "sqlite", location, nil
	case strings.HasPrefix(db, "postgres://"), strings.HasPrefix(db, "postgresql://"):
		if _, err := url.Parse(db); err != nil {
			// Only what is wrong: url.Error would quote the URL, password included.
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err
			}
			return "", "", errUsage{msg: "--db (SMSADMIN_DB) is not a PostgreSQL URL such as postgres://user:password@host:5432/smsadmin: " + err.Error()}
		}
		return "postgres", db, nil
	case strings.TrimSpace(db) == "":
		return "", "", errUsage{msg: "--db (SMSADMIN_DB) is empty: give the SQLite file as PATH or sqlite:PATH, or postgres://..."}
	case dbScheme.MatchString(db):
		// Only the scheme: the rest may hold a password.
		return "", "", errUsage{msg: fmt.Sprintf("--db (SMSADMIN_DB) must be the SQLite file as PATH or sqlite:PATH, or postgres://...; %q is no database smsadmin opens", dbScheme.FindString(db))}
	}
	return "sqlite", db, nil
}

func (c *Config) level() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return 0, errUsage{msg: fmt.Sprintf("--log-level (SMSADMIN_LOG_LEVEL) must be debug, info, warn or error, not %q", c.LogLevel)}
	}
	return l, nil
}

// logger returns the structured logger the configuration asks for.
func (c *Config) logger(w io.Writer) *slog.Logger {
	l, _ := c.level()
	opts := &slog.HandlerOptions{Level: l}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// dbDisplay is the --db value to show: a PostgreSQL URL without its
// password.
func (c *Config) dbDisplay() string {
	u, err := url.Parse(c.DB)
	if err != nil || u.User == nil {
		return c.DB
	}
	if _, set := u.User.Password(); !set {
		return c.DB
	}
	return u.Redacted()
}

// simJournal is where the simulated carrier keeps its state: beside the
// SQLite file unless set; in memory for other databases.
func (c *Config) simJournal() string {
	if c.SimJournal != "" {
		return c.SimJournal
	}
	if kind, location, err := c.database(); err == nil && kind == "sqlite" {
		return location + ".carrier-sim"
	}
	return ""
}

// mailDisplay says where email goes, the SMTP password hidden, or that it
// is off.
func (c *Config) mailDisplay() string {
	if c.SMTPURL == "" {
		return "off (set --smtp-url and --mail-from to mail admins what happens)"
	}
	cfg, err := mail.ParseURL(c.SMTPURL)
	if err != nil {
		return "invalid" // validate refused it already
	}
	return cfg.Redacted() + ", from " + c.MailFrom
}

// mailer returns the email sender --smtp-url and --mail-from describe, or
// nil when email is off. The SMTP URL's password is never quoted.
func (c *Config) mailer() (*mail.Sender, error) {
	if c.SMTPURL == "" {
		if c.MailFrom != "" {
			return nil, errUsage{msg: "--mail-from (SMSADMIN_MAIL_FROM) is set but --smtp-url (SMSADMIN_SMTP_URL) is not: email needs both"}
		}
		return nil, nil
	}
	if c.MailFrom == "" {
		return nil, errUsage{msg: "--smtp-url (SMSADMIN_SMTP_URL) is set but --mail-from (SMSADMIN_MAIL_FROM) is not: email needs both, such as --mail-from 'smsadmin <noreply@example.com>'"}
	}
	cfg, err := mail.ParseURL(c.SMTPURL)
	if err != nil {
		return nil, errUsage{msg: "--smtp-url (SMSADMIN_SMTP_URL): " + err.Error()}
	}
	s, err := mail.New(cfg, c.MailFrom)
	if err != nil {
		return nil, errUsage{msg: "--mail-from (SMSADMIN_MAIL_FROM): " + err.Error()}
	}
	return s, nil
}
