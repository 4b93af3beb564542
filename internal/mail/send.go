package mail

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
	gosmtp "github.com/wneessen/go-mail/smtp"
)

// sendTimeout bounds one Send, the whole SMTP dialogue from the dial to the
// end of the data, so that a stuck server cannot hold a caller for long.
const sendTimeout = 15 * time.Second

// Message is one email to one recipient.
type Message struct {
	// From is the sender as an address, optionally with a display name, as
	// in "smsadmin <noreply@example.com>". Empty means the Sender's.
	From string

	// To is the one recipient, as an address optionally with a display name.
	To string

	// Subject is the subject line; it may not be empty.
	Subject string

	// Text and HTML are the two renderings of the body. With both the email
	// is multipart/alternative; at least one must be set.
	Text string
	HTML string

	// UnsubscribeURL, when set, is an https URL that unsubscribes the
	// recipient with one POST, and is sent in the List-Unsubscribe and
	// List-Unsubscribe-Post headers of RFC 8058.
	UnsubscribeURL string

	// Headers are extra header fields, by name. They may not replace the
	// fields that Send writes itself, such as From, To, Subject or Date.
	Headers map[string]string
}

// reserved lists the header fields that Send writes itself, or that would
// add recipients behind the Message's back.
var reserved = []string{
	"From", "Sender", "To", "Cc", "Bcc", "Subject", "Date", "Message-ID",
	"MIME-Version", "Content-Type", "Content-Transfer-Encoding",
	"List-Unsubscribe", "List-Unsubscribe-Post",
}

// Sender sends Messages through one SMTP server. It is safe for concurrent
// use: every Send opens its own connection.
type Sender struct {
	cfg     Config
	from    *netmail.Address
	timeout time.Duration
}

// New returns a Sender that sends through the server that cfg names, from
// the address from, such as "smsadmin <noreply@example.com>". It checks cfg
// and from but does not connect.
func New(cfg Config, from string) (*Sender, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if cfg.Port == 0 {
		cfg.Port = cfg.defaultPort()
	}
	addr, err := parseAddress("sender", from)
	if err != nil {
		return nil, err
	}
	return &Sender{cfg: cfg, from: addr, timeout: sendTimeout}, nil
}

// Send sends m, and returns once the server has accepted it or has failed.
// It gives up when ctx ends or after 15 seconds, whichever is first.
func (s *Sender) Send(ctx context.Context, m Message) error {
	msg, to, err := s.compose(m)
	if err != nil {
		return err
	}

	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if err := ctx.Err(); err != nil {
		return s.fail(ctx, to, "before connecting", err)
	}

	// go-mail heeds ctx only while dialling, and after that bounds each step
	// of the dialogue by its own timeout. So the dialer closes the
	// connection when ctx ends, and go-mail's timeout is the whole budget,
	// which always ends later than ctx: ctx bounds the whole dialogue, and
	// an error past its end wraps ctx.Err().
	stop := func() bool { return false }
	defer func() { stop() }()
	dial := func(dctx context.Context, network, _ string) (net.Conn, error) {
		// The address is built here rather than taken from go-mail, which
		// joins host and port without the brackets that IPv6 needs.
		addr := s.cfg.addr()
		var d net.Dialer
		var conn net.Conn
		var err error
		if s.cfg.TLS == ImplicitTLS {
			td := tls.Dialer{NetDialer: &d, Config: s.tlsConfig()}
			conn, err = td.DialContext(dctx, network, addr)
		} else {
			conn, err = d.DialContext(dctx, network, addr)
		}
		if err != nil {
			return nil, err
		}
		// The outer ctx, not dctx: go-mail cancels dctx once it is
		// connected.
		stop = context.AfterFunc(ctx, func() { conn.Close() })
		return conn, nil
	}

	client, err := gomail.NewClient(s.cfg.Host, s.options(dial, s.timeout)...)
	if err != nil {
		return s.fail(ctx, to, "setting up", err)
	}
	conn, err := client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return s.fail(ctx, to, "connecting", err)
	}
	if err := client.SendWithSMTPClient(conn, msg); err != nil {
		conn.Close()
		return s.fail(ctx, to, "sending", err)
	}
	// The server has taken the message. A failed QUIT is not reported, as
	// the caller would then send the message a second time.
	_ = client.CloseWithSMTPClient(conn)
	return nil
}

// compose checks m and builds the go-mail message for it. It returns the
// recipient's address for error messages.
func (s *Sender) compose(m Message) (*gomail.Msg, string, error) {
	if strings.TrimSpace(m.To) == "" {
		return nil, "", errors.New("mail: the message has no recipient (To is empty)")
	}
	to, err := parseAddress("recipient", m.To)
	if err != nil {
		return nil, "", err
	}
	if strings.TrimSpace(m.Subject) == "" {
		return nil, to.Address, fmt.Errorf("mail: the message to %s has no subject", to.Address)
	}
	if m.Text == "" && m.HTML == "" {
		return nil, to.Address, fmt.Errorf("mail: the message to %s has no body (Text and HTML are empty)", to.Address)
	}
	from := s.from
	if m.From != "" {
		if from, err = parseAddress("sender", m.From); err != nil {
			return nil, to.Address, err
		}
	}

	// go-mail's default User-Agent names the library, which says nothing
	// useful to the recipient.
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(from)
	msg.ToMailAddress(to)
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageIDWithValue(messageID(from))
	switch {
	case m.Text != "" && m.HTML != "":
		msg.SetBodyString(gomail.TypeTextPlain, m.Text)
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	case m.Text != "":
		msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	default:
		msg.SetBodyString(gomail.TypeTextHTML, m.HTML)
	}
	if m.UnsubscribeURL != "" {
		if strings.ContainsAny(m.UnsubscribeURL, " <>") {
			return nil, to.Address, errors.New("mail: the unsubscribe URL holds a space, < or >; percent-encode them")
		}
		// This refuses any URL but https, as RFC 8058 asks.
		if err := msg.SetListUnsubscribeOneClick(m.UnsubscribeURL); err != nil {
			return nil, to.Address, fmt.Errorf("mail: the unsubscribe URL %q is not an absolute https URL, which one-click unsubscribe (RFC 8058) needs", m.UnsubscribeURL)
		}
	}
	for name, value := range m.Headers {
		if err := checkHeaderName(name); err != nil {
			return nil, to.Address, err
		}
		// go-mail encodes the value (RFC 2047) when it holds anything but
		// printable ASCII, so a line break cannot start a new field.
		msg.SetGenHeader(gomail.Header(name), value)
	}
	return msg, to.Address, nil
}

// options returns the go-mail client options for s, with dial as the dialer
// and timeout as the time each step of the dialogue may take.
func (s *Sender) options(dial gomail.DialContextFunc, timeout time.Duration) []gomail.Option {
	opts := []gomail.Option{
		gomail.WithPort(s.cfg.Port),
		gomail.WithTimeout(timeout),
		gomail.WithDialContextFunc(dial),
		gomail.WithTLSConfig(s.tlsConfig()),
	}
	switch s.cfg.TLS {
	case StartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case StartTLSRequired:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case NoTLS, ImplicitTLS:
		// Implicit TLS is done by the dialer; go-mail must not try
		// STARTTLS inside it.
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if s.cfg.Username != "" {
		// The mechanisms are named rather than left to go-mail's discovery,
		// which cannot tell that a connection from our own TLS dialer is
		// encrypted. PLAIN and LOGIN still refuse an unencrypted connection
		// to anything but localhost; the -NOENC forms, used only when the
		// configuration asks for no TLS, do not.
		mechs := []gomail.SMTPAuthType{gomail.SMTPAuthSCRAMSHA256, gomail.SMTPAuthSCRAMSHA1, gomail.SMTPAuthCramMD5}
		if s.cfg.TLS == NoTLS {
			mechs = append(mechs, gomail.SMTPAuthPlainNoEnc, gomail.SMTPAuthLoginNoEnc)
		} else {
			mechs = append(mechs, gomail.SMTPAuthPlain, gomail.SMTPAuthLogin)
		}
		opts = append(opts,
			gomail.WithOpportunisticSMTPAuth(mechs...),
			gomail.WithUsername(s.cfg.Username),
			gomail.WithPassword(s.cfg.Password))
	}
	return opts
}

// tlsConfig returns the TLS settings for the server: its certificate must
// be valid for its host name, and TLS older than 1.2 is refused.
func (s *Sender) tlsConfig() *tls.Config {
	return &tls.Config{ServerName: s.cfg.Host, MinVersion: tls.VersionTLS12}
}

// fail wraps err, which happened at stage of sending to to, with what a
// person needs to act on it, and without the password.
func (s *Sender) fail(ctx context.Context, to, stage string, err error) error {
	if err != nil {
		// Nothing known puts the password into an error, but a server may
		// echo what it was sent; such an error is not passed on.
		if msg, ok := hide(err.Error(), s.cfg.Password); ok {
			err = errors.New(msg)
		}
	}
	hint := ""
	switch {
	case errors.Is(err, gosmtp.ErrUnencrypted):
		hint = "; the server offered no STARTTLS, so the password was not sent: use smtps://, or smtp+insecure:// on a trusted network only"
	case errors.Is(err, gomail.ErrNoSupportedAuthDiscovered):
		hint = "; the server offers none of the SMTP AUTH mechanisms used here (SCRAM-SHA-256, SCRAM-SHA-1, CRAM-MD5, PLAIN, LOGIN)"
	}
	where := fmt.Sprintf("mail: %s to %s via %s", stage, to, s.cfg.addr())
	// Once ctx has ended, whatever failed failed because of it: the
	// connection was closed under the dialogue.
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		return fmt.Errorf("%s: %w (%v)%s", where, ctxErr, err, hint)
	}
	return fmt.Errorf("%s: %w%s", where, err, hint)
}

// hide replaces each occurrence of secret in msg with xxxxx, and reports
// whether there was one. For a secret shorter than 8 bytes an occurrence
// inside a word is left alone: such a secret is otherwise found by chance in
// words like "tcp", which garbles the message and hides nothing.
func hide(msg, secret string) (string, bool) {
	if secret == "" {
		return msg, false
	}
	isWord := func(b byte) bool {
		return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
	}
	var out strings.Builder
	found := false
	for {
		i := strings.Index(msg, secret)
		if i < 0 {
			break
		}
		end := i + len(secret)
		inWord := len(secret) < 8 &&
			((i > 0 && isWord(msg[i-1])) || (end < len(msg) && isWord(msg[end])))
		out.WriteString(msg[:i])
		if inWord {
			out.WriteString(secret)
		} else {
			out.WriteString(redacted)
			found = true
		}
		msg = msg[end:]
	}
	out.WriteString(msg)
	return out.String(), found
}

// parseAddress parses one email address, optionally with a display name;
// role names it in the error.
func parseAddress(role, s string) (*netmail.Address, error) {
	addr, err := netmail.ParseAddress(s)
	if err != nil {
		return nil, fmt.Errorf("mail: the %s %q is not one email address like \"Name <name@example.com>\": %v", role, s, err)
	}
	return addr, nil
}

// messageID returns a new Message-ID value (without the angle brackets) in
// the domain of the sender, which is the domain that vouches for it.
func messageID(from *netmail.Address) string {
	domain := from.Address[strings.LastIndex(from.Address, "@")+1:]
	return rand.Text() + "@" + domain
}

// checkHeaderName refuses a header field name that is not one by RFC 5322,
// since it could break the header apart, or one that Send writes itself.
func checkHeaderName(name string) error {
	if name == "" {
		return errors.New("mail: an extra header has an empty name")
	}
	for _, r := range name {
		if r < '!' || r > '~' || r == ':' {
			return fmt.Errorf("mail: the extra header name %q holds a character other than printable ASCII, or a colon", name)
		}
	}
	for _, r := range reserved {
		if strings.EqualFold(name, r) {
			return fmt.Errorf("mail: the extra header %s is set by Send itself, or adds recipients; it cannot be given in Headers", r)
		}
	}
	return nil
}
