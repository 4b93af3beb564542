// Package pagefetch fetches the web pages a registration names (a brand's
// website, a campaign's privacy policy and terms) for the readiness check
// (R24, smsadmin serve --registration-fetch): https only, short timeouts,
// a capped body, and never an address inside the network smsadmin runs
// in (loopback, private, link-local, metadata), checked at every
// connection so that neither a redirect nor a DNS answer can lead there.
package pagefetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"
	"time"

	"smsadmin"
)

// Config is how a Fetcher fetches.
type Config struct {
	// Timeout bounds one fetch, redirects included (default 5s).
	Timeout time.Duration
	// AllowLoopback lets it reach 127.0.0.0/8 and ::1, for tests that
	// serve the pages on this machine; every other inside address stays
	// refused.
	AllowLoopback bool
	// Transport, for tests, replaces the TLS settings (e.g. to trust a
	// test server's certificate); its dialer is always Fetcher's own.
	TLS *http.Transport
}

// MaxBody is how much of a page is read.
const MaxBody = 1 << 20

// Fetcher fetches pages. It implements smsadmin.PageFetcher.
type Fetcher struct {
	client *http.Client
}

var _ smsadmin.PageFetcher = (*Fetcher)(nil)

// New returns a Fetcher.
func New(cfg Config) *Fetcher {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	dialer := &net.Dialer{Timeout: cfg.Timeout, Control: func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("pagefetch: %s: %w", address, err)
		}
		if !Public(ap.Addr(), cfg.AllowLoopback) {
			return fmt.Errorf("pagefetch: %s is not a public address", ap.Addr())
		}
		return nil
	}}
	tr := &http.Transport{}
	if cfg.TLS != nil {
		tr = cfg.TLS.Clone()
	}
	tr.Proxy = nil
	tr.DialContext = dialer.DialContext
	tr.TLSHandshakeTimeout = cfg.Timeout
	tr.ResponseHeaderTimeout = cfg.Timeout
	client := &http.Client{Transport: tr, Timeout: cfg.Timeout, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) > 3 { // via holds the requests made: the first and each redirect
			return errors.New("more than 3 redirects")
		}
		if req.URL.Scheme != "https" {
			return fmt.Errorf("redirected to %s, which is not https", req.URL.Redacted())
		}
		return nil
	}}
	return &Fetcher{client: client}
}

// Fetch implements smsadmin.PageFetcher: the page at rawURL, with its
// status, and its body when it answered 200.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string) (int, string, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "https" {
		return 0, "", fmt.Errorf("%s is not an https address", rawURL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("User-Agent", "smsadmin-registration-check")
	resp, err := f.client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, "", nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody))
	return resp.StatusCode, string(body), err
}

// Public reports whether addr is an address on the internet: not
// loopback (unless allowLoopback), private, link-local (the cloud
// metadata address among them), multicast, unspecified, or shared (CGNAT).
func Public(addr netip.Addr, allowLoopback bool) bool {
	addr = addr.Unmap()
	switch {
	case addr.IsLoopback():
		return allowLoopback
	case addr.IsPrivate(), addr.IsLinkLocalUnicast(), addr.IsLinkLocalMulticast(), addr.IsInterfaceLocalMulticast(),
		addr.IsMulticast(), addr.IsUnspecified():
		return false
	}
	for _, p := range []netip.Prefix{netip.MustParsePrefix("100.64.0.0/10"), netip.MustParsePrefix("0.0.0.0/8"),
		netip.MustParsePrefix("192.0.0.0/24"), netip.MustParsePrefix("198.18.0.0/15"), netip.MustParsePrefix("64:ff9b::/96")} {
		if p.Contains(addr) {
			return false
		}
	}
	return true
}
