package webhook

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrForbiddenAddress is wrapped by the errors of CheckAddr, of CheckURL for
// an IP literal, and of a Transport's dials: the address is inside a
// network a webhook must not reach.
var ErrForbiddenAddress = errors.New("forbidden webhook address")

// MaxURL is the longest webhook URL CheckURL accepts.
const MaxURL = 2000

// CheckURL reports whether raw may be registered as a webhook: an absolute
// https URL with a host, no user info and no fragment, at most MaxURL long.
// With allowLoopbackHTTP, meant for development and tests, http is allowed
// too when the host is "localhost" or a loopback IP literal. A host that is
// an IP literal is checked with CheckAddr now; a name is checked at every
// connection by Transport, since what it resolves to may change.
func CheckURL(raw string, allowLoopbackHTTP bool) error {
	if len(raw) > MaxURL {
		return fmt.Errorf("webhook url is %d characters, the limit is %d", len(raw), MaxURL)
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Parse's error would repeat the URL, which may hold a token.
		return errors.New("webhook url is not a valid URL")
	}
	if u.Scheme == "" || u.Opaque != "" || u.Host == "" {
		return errors.New("webhook url must be absolute, like https://example.com/hooks")
	}
	if u.User != nil {
		return errors.New("webhook url must not contain a user name or password; the signature authenticates deliveries")
	}
	if strings.Contains(raw, "#") {
		return errors.New("webhook url must not have a #fragment; it is never sent")
	}
	host := u.Hostname()
	if host == "" {
		return errors.New("webhook url must have a host")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("webhook url port %s is not between 1 and 65535", p)
		}
	}
	ip, err := netip.ParseAddr(host)
	isIP := err == nil
	if isIP && ip.Zone() != "" {
		return errors.New("webhook url host must not have an IPv6 zone")
	}
	if !isIP && numeric(host) {
		return fmt.Errorf("webhook url host %q looks like an IP address in a non-standard form; write it as a name or a dotted IPv4 address", host)
	}
	loopback := isIP && ip.Unmap().IsLoopback() || isLocalhost(host)
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && allowLoopbackHTTP && loopback:
	default:
		return fmt.Errorf("webhook url must use https, not %s", u.Scheme)
	}
	if isIP {
		if err := CheckAddr(ip, allowLoopbackHTTP); err != nil {
			return fmt.Errorf("webhook url host: %w", err)
		}
	} else if loopback && !allowLoopbackHTTP {
		return fmt.Errorf("webhook url host: %w: %s is this machine", ErrForbiddenAddress, host)
	}
	return nil
}

// isLocalhost reports whether host is one of the names that always mean
// this machine (RFC 6761).
func isLocalhost(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	return host == "localhost" || strings.HasSuffix(host, ".localhost")
}

// numeric reports whether host's last label is a number, decimal or 0x
// hex. No top-level domain is, but resolvers read such names as IPv4
// addresses ("127.1", "2130706433", "0x7f.1"), which would slip a
// loopback or private address past the IP literal check.
func numeric(host string) bool {
	host = strings.TrimSuffix(host, ".")
	last := host[strings.LastIndexByte(host, '.')+1:]
	if hex, ok := strings.CutPrefix(strings.ToLower(last), "0x"); ok {
		return strings.Trim(hex, "0123456789abcdef") == ""
	}
	return last != "" && strings.Trim(last, "0123456789") == ""
}

type forbiddenRange struct {
	prefix netip.Prefix
	reason string
}

// forbidden lists the ranges a webhook must not reach, most specific first
// so that the reason names the narrowest one. Loopback is decided before it
// is consulted, and NAT64 and 6to4 by the IPv4 address they embed.
var forbidden = []forbiddenRange{
	{netip.MustParsePrefix("0.0.0.0/32"), "the unspecified address"},
	{netip.MustParsePrefix("0.0.0.0/8"), `a "this network" address (0.0.0.0/8)`},
	{netip.MustParsePrefix("10.0.0.0/8"), "a private address (10.0.0.0/8)"},
	{netip.MustParsePrefix("100.64.0.0/10"), "a carrier-grade NAT address (100.64.0.0/10)"},
	{netip.MustParsePrefix("127.0.0.0/8"), "a loopback address (127.0.0.0/8)"},
	{netip.MustParsePrefix("169.254.169.254/32"), "the cloud metadata service"},
	{netip.MustParsePrefix("169.254.0.0/16"), "a link-local address (169.254.0.0/16, which holds the cloud metadata service 169.254.169.254)"},
	{netip.MustParsePrefix("172.16.0.0/12"), "a private address (172.16.0.0/12)"},
	{netip.MustParsePrefix("192.0.0.0/24"), "an IETF protocol assignment (192.0.0.0/24)"},
	{netip.MustParsePrefix("192.0.2.0/24"), "a documentation address (192.0.2.0/24)"},
	{netip.MustParsePrefix("192.88.99.0/24"), "a deprecated 6to4 relay address (192.88.99.0/24)"},
	{netip.MustParsePrefix("192.168.0.0/16"), "a private address (192.168.0.0/16)"},
	{netip.MustParsePrefix("198.18.0.0/15"), "a benchmarking address (198.18.0.0/15)"},
	{netip.MustParsePrefix("198.51.100.0/24"), "a documentation address (198.51.100.0/24)"},
	{netip.MustParsePrefix("203.0.113.0/24"), "a documentation address (203.0.113.0/24)"},
	{netip.MustParsePrefix("224.0.0.0/4"), "a multicast address (224.0.0.0/4)"},
	{netip.MustParsePrefix("255.255.255.255/32"), "the broadcast address"},
	{netip.MustParsePrefix("240.0.0.0/4"), "a reserved address (240.0.0.0/4)"},

	{netip.MustParsePrefix("::/128"), "the unspecified address"},
	{netip.MustParsePrefix("::1/128"), "the loopback address"},
	{netip.MustParsePrefix("::/96"), "a deprecated IPv4-compatible address (::/96)"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "a local-use NAT64 address (64:ff9b:1::/48)"},
	{netip.MustParsePrefix("100::/64"), "a discard-only address (100::/64)"},
	{netip.MustParsePrefix("2001::/32"), "a Teredo tunnel address (2001::/32)"},
	{netip.MustParsePrefix("2001:2::/48"), "a benchmarking address (2001:2::/48)"},
	{netip.MustParsePrefix("2001::/23"), "an IETF protocol assignment (2001::/23)"},
	{netip.MustParsePrefix("2001:db8::/32"), "a documentation address (2001:db8::/32)"},
	{netip.MustParsePrefix("3fff::/20"), "a documentation address (3fff::/20)"},
	{netip.MustParsePrefix("fd00:ec2::254/128"), "the AWS metadata service"},
	{netip.MustParsePrefix("fc00::/7"), "a unique local (private) address (fc00::/7)"},
	{netip.MustParsePrefix("fe80::/10"), "a link-local address (fe80::/10)"},
	{netip.MustParsePrefix("fec0::/10"), "a deprecated site-local address (fec0::/10)"},
	{netip.MustParsePrefix("ff00::/8"), "a multicast address (ff00::/8)"},
}

var (
	nat64      = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour  = netip.MustParsePrefix("2002::/16")
	globalIPv6 = netip.MustParsePrefix("2000::/3")
)

// CheckAddr reports whether a webhook may connect to ip. It refuses
// loopback unless allowLoopback, and always every other address inside a
// network (private, link-local including the cloud metadata service,
// carrier-grade NAT, ...) or not unicast, as well as reserved and
// documentation ranges. An IPv4-mapped IPv6 address is checked as IPv4,
// and NAT64 and 6to4 addresses by the IPv4 address they embed. The error
// wraps ErrForbiddenAddress.
func CheckAddr(ip netip.Addr, allowLoopback bool) error {
	if !ip.IsValid() {
		return fmt.Errorf("%w: invalid address", ErrForbiddenAddress)
	}
	if reason := forbiddenReason(ip, allowLoopback); reason != "" {
		return fmt.Errorf("%w: %s is %s", ErrForbiddenAddress, ip, reason)
	}
	return nil
}

func forbiddenReason(ip netip.Addr, allowLoopback bool) string {
	// Prefix.Contains never matches an address with a zone, nor a mapped
	// address against an IPv4 prefix.
	ip = ip.WithZone("").Unmap()
	if allowLoopback && ip.IsLoopback() {
		return ""
	}
	if ip.Is6() {
		b := ip.As16()
		var v4 netip.Addr
		switch {
		case nat64.Contains(ip):
			v4 = netip.AddrFrom4([4]byte(b[12:]))
		case sixToFour.Contains(ip):
			v4 = netip.AddrFrom4([4]byte(b[2:6]))
		}
		if v4.IsValid() {
			// Loopback stays refused here: no test serves through a
			// translator, so such an address is only ever an evasion.
			if r := forbiddenReason(v4, false); r != "" {
				return fmt.Sprintf("a translated address embedding %s, %s", v4, r)
			}
			return ""
		}
	}
	for _, r := range forbidden {
		if r.prefix.Contains(ip) {
			return r.reason
		}
	}
	if ip.Is6() && !globalIPv6.Contains(ip) {
		return "not a global unicast address (2000::/3)"
	}
	return ""
}

// Transport returns a transport for deliveries. Its dialer checks every
// address it connects to with CheckAddr, after DNS resolution, so a name
// registered while it pointed outside and changed to point inside (DNS
// rebinding) is still refused. It never uses a proxy: one from the
// environment would both bypass that check and see the deliveries.
func Transport(allowLoopback bool) *http.Transport {
	dialer := &net.Dialer{
		Timeout:   5 * time.Second,
		KeepAlive: 30 * time.Second,
		Control: func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				// Fail closed: an address the check cannot read is not
				// one it has cleared.
				return fmt.Errorf("%w: cannot parse %q: %v", ErrForbiddenAddress, address, err)
			}
			return CheckAddr(ap.Addr(), allowLoopback)
		},
	}
	return &http.Transport{
		Proxy:                  nil,
		DialContext:            dialer.DialContext,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    5 * time.Second,
		ResponseHeaderTimeout:  10 * time.Second,
		ExpectContinueTimeout:  time.Second,
		IdleConnTimeout:        90 * time.Second,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    4,
		MaxResponseHeaderBytes: 64 << 10, // a receiver owes us a status, not megabytes of headers
	}
}

// Client returns a client for deliveries on Transport(allowLoopback).
// timeout bounds a whole delivery, reading the response included; zero
// means no limit, as for http.Client. It does not follow redirects, since
// one could point anywhere: a 3xx is returned as the response, for the
// deliverer to count as a failure.
func Client(allowLoopback bool, timeout time.Duration) *http.Client {
	return &http.Client{
		Transport: Transport(allowLoopback),
		Timeout:   timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
