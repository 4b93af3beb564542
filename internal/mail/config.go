// Package mail sends the product's email over SMTP.
//
// A [Config] names the SMTP server and is parsed from a URL such as
// smtp://user:password@smtp.example.com:587 with [ParseURL]. A [Sender] built
// from it with [New] sends one [Message] at a time as a multipart/alternative
// email with a plain-text and an HTML part, and with the one-click
// unsubscribe headers of RFC 8058 when the message has an unsubscribe link.
//
// The password never leaves a Config in text: its String, GoString and
// LogValue methods print it as xxxxx, and no error of this package holds it.
package mail

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// TLSMode says how the connection to the SMTP server is protected.
type TLSMode int

const (
	// StartTLS upgrades the connection with STARTTLS when the server offers
	// it and goes on unencrypted when it does not. The password is then
	// sent only by a mechanism that does not reveal it, or to localhost.
	// It is what smtp:// means.
	StartTLS TLSMode = iota

	// StartTLSRequired upgrades the connection with STARTTLS and gives up
	// when the server does not offer it: smtp://...?starttls=required.
	StartTLSRequired

	// NoTLS never encrypts the connection, and sends the password in clear
	// text when the server offers nothing better: smtp+insecure://, or
	// smtp://...?starttls=off. It is meant for a test server on loopback.
	NoTLS

	// ImplicitTLS speaks TLS from the first byte: smtps://.
	ImplicitTLS
)

// String returns the name of m as used in messages.
func (m TLSMode) String() string {
	switch m {
	case StartTLS:
		return "starttls"
	case StartTLSRequired:
		return "starttls-required"
	case NoTLS:
		return "none"
	case ImplicitTLS:
		return "implicit"
	}
	return "TLSMode(" + strconv.Itoa(int(m)) + ")"
}

// Default ports: the submission port for STARTTLS and plain connections
// (RFC 6409), and the submissions port for implicit TLS (RFC 8314).
const (
	defaultPort    = 587
	defaultTLSPort = 465
)

// redacted stands in for the password wherever a Config is printed.
const redacted = "xxxxx"

// Config names an SMTP server and the credentials to use there.
//
// Print a Config with %v or log it freely: the password shows as xxxxx.
type Config struct {
	// Host is the server's host name or IP address, without brackets.
	Host string

	// Port is the server's TCP port. Zero means 587, or 465 with ImplicitTLS.
	Port int

	// Username and Password are the SMTP AUTH credentials. An empty
	// Username means no authentication.
	Username string
	Password string

	// TLS says how the connection is protected.
	TLS TLSMode
}

// ParseURL parses an SMTP URL into a Config. The forms are:
//
//	smtp://user:password@host:port            STARTTLS when offered (port 587)
//	smtp://user:password@host?starttls=required  STARTTLS or fail
//	smtp://host?starttls=off                  no TLS
//	smtp+insecure://user:password@host:port   no TLS (port 587)
//	smtps://user:password@host:port           implicit TLS (port 465)
//
// The user name and password are optional and percent-decoded; everything up
// to the last @ is taken as them, so a password may hold / ? # and @
// unescaped, while a % in it must be written %25.
func ParseURL(raw string) (Config, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return Config{}, errors.New("mail: the SMTP URL is empty; want one like smtp://user:password@smtp.example.com:587")
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok || scheme == "" {
		return Config{}, errors.New("mail: the SMTP URL has no scheme; want smtp://, smtps:// or smtp+insecure://, as in smtp://user:password@smtp.example.com:587")
	}

	var c Config
	switch strings.ToLower(scheme) {
	case "smtp":
		c.TLS = StartTLS
	case "smtp+insecure":
		c.TLS = NoTLS
	case "smtps":
		c.TLS = ImplicitTLS
	default:
		return Config{}, fmt.Errorf("mail: the SMTP URL has scheme %q; want smtp:// (STARTTLS), smtps:// (implicit TLS) or smtp+insecure:// (no TLS)", scheme)
	}

	// The credentials are cut off before the rest is parsed, so that no
	// parse error below can quote a piece of the password.
	if i := strings.LastIndex(rest, "@"); i >= 0 {
		user, pass, _ := strings.Cut(rest[:i], ":")
		rest = rest[i+1:]
		var err error
		if c.Username, err = url.PathUnescape(user); err != nil {
			return Config{}, errors.New("mail: the user name in the SMTP URL has a bad %-escape (write a % as %25)")
		}
		if c.Password, err = url.PathUnescape(pass); err != nil {
			return Config{}, errors.New("mail: the password in the SMTP URL has a bad %-escape (write a % as %25)")
		}
		if c.Username == "" && c.Password != "" {
			return Config{}, errors.New("mail: the SMTP URL has a password but no user name")
		}
	}

	u, err := url.Parse("//" + rest)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return Config{}, fmt.Errorf("mail: the SMTP URL's host part does not parse: %v", err)
	}
	c.Host = u.Hostname()
	if c.Host == "" {
		return Config{}, errors.New("mail: the SMTP URL has no host; want one like smtp://user:password@smtp.example.com:587")
	}
	if p := u.Port(); p != "" {
		// url.Parse has checked that the port is all digits.
		c.Port, err = strconv.Atoi(p)
		if err != nil || c.Port < 1 || c.Port > 65535 {
			return Config{}, fmt.Errorf("mail: the SMTP URL has port %s; want 1 to 65535", p)
		}
	}
	if (u.Path != "" && u.Path != "/") || u.Fragment != "" {
		return Config{}, errors.New("mail: the SMTP URL goes on after host:port; it names only the user, password, host and port")
	}

	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Config{}, fmt.Errorf("mail: the SMTP URL's query does not parse: %v", err)
	}
	for name, values := range q {
		if name != "starttls" {
			return Config{}, fmt.Errorf("mail: the SMTP URL has parameter %q; the only one known is starttls", name)
		}
		if c.TLS != StartTLS {
			return Config{}, fmt.Errorf("mail: the SMTP URL's starttls parameter applies to smtp:// only, not %s://", strings.ToLower(scheme))
		}
		if len(values) != 1 {
			return Config{}, errors.New("mail: the SMTP URL gives starttls more than once")
		}
		switch values[0] {
		case "required":
			c.TLS = StartTLSRequired
		case "off":
			c.TLS = NoTLS
		case "opportunistic":
			c.TLS = StartTLS
		default:
			return Config{}, fmt.Errorf("mail: the SMTP URL has starttls=%s; want required, off or opportunistic", values[0])
		}
	}

	if c.Port == 0 {
		c.Port = c.defaultPort()
	}
	return c, nil
}

// defaultPort returns the port that c's TLS mode uses when none is given.
func (c Config) defaultPort() int {
	if c.TLS == ImplicitTLS {
		return defaultTLSPort
	}
	return defaultPort
}

// Redacted returns c as a URL with the password replaced by xxxxx, as in
// smtp://user:xxxxx@host:587. ParseURL accepts it back.
func (c Config) Redacted() string {
	u := url.URL{Scheme: "smtp", Host: c.addr()}
	switch c.TLS {
	case StartTLSRequired:
		u.RawQuery = "starttls=required"
	case NoTLS:
		u.Scheme = "smtp+insecure"
	case ImplicitTLS:
		u.Scheme = "smtps"
	}
	switch {
	case c.Password != "":
		u.User = url.UserPassword(c.Username, redacted)
	case c.Username != "":
		u.User = url.User(c.Username)
	}
	return u.String()
}

// String returns c.Redacted(), so that printing a Config never shows the
// password.
func (c Config) String() string {
	return c.Redacted()
}

// GoString is for %#v, which would otherwise print the password field.
func (c Config) GoString() string {
	pass := ""
	if c.Password != "" {
		pass = redacted
	}
	return fmt.Sprintf("mail.Config{Host:%q, Port:%d, Username:%q, Password:%q, TLS:%v}",
		c.Host, c.Port, c.Username, pass, c.TLS)
}

// LogValue makes log/slog log c as its redacted URL; without it a JSON
// handler would write out every field, the password too.
func (c Config) LogValue() slog.Value {
	return slog.StringValue(c.Redacted())
}

// addr returns c's host and port as host:port, with the default port when c
// has none.
func (c Config) addr() string {
	port := c.Port
	if port == 0 {
		port = c.defaultPort()
	}
	return net.JoinHostPort(c.Host, strconv.Itoa(port))
}

// check reports what makes a hand-built c unusable.
func (c Config) check() error {
	switch {
	case c.Host == "":
		return errors.New("mail: the SMTP configuration has no host")
	case c.Port < 0 || c.Port > 65535:
		return fmt.Errorf("mail: the SMTP configuration has port %d; want 1 to 65535", c.Port)
	case c.TLS < StartTLS || c.TLS > ImplicitTLS:
		return fmt.Errorf("mail: the SMTP configuration has unknown TLS mode %d", int(c.TLS))
	case c.Username == "" && c.Password != "":
		return errors.New("mail: the SMTP configuration has a password but no user name")
	}
	return nil
}
