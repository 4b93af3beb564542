package webhook_test

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"smsadmin/internal/webhook"
)

// These addresses are only ever given to CheckAddr; nothing connects to them.
func TestCheckAddrRefuses(t *testing.T) {
	for _, tt := range []struct{ addr, reason string }{
		{"0.0.0.0", "unspecified"},
		{"0.1.2.3", "this network"},
		{"::", "unspecified"},
		{"127.0.0.1", "loopback"},
		{"127.255.0.9", "loopback"},
		{"::1", "loopback"},
		{"10.1.2.3", "private"},
		{"172.16.0.1", "private"},
		{"172.31.255.255", "private"},
		{"192.168.1.1", "private"},
		{"fc00::1", "private"},
		{"fd12:3456::1", "private"},
		{"169.254.0.1", "169.254.169.254"},
		{"169.254.169.254", "cloud metadata"},
		{"fe80::1", "link-local"},
		{"fe80::1%eth0", "link-local"},
		{"100.64.0.1", "carrier-grade NAT"},
		{"100.127.255.254", "carrier-grade NAT"},
		{"224.0.0.1", "multicast"},
		{"239.255.255.250", "multicast"},
		{"ff02::1", "multicast"},
		{"255.255.255.255", "broadcast"},
		{"192.0.0.8", "IETF"},
		{"198.18.0.1", "benchmarking"},
		{"198.19.255.255", "benchmarking"},
		{"192.0.2.1", "documentation"},
		{"198.51.100.1", "documentation"},
		{"203.0.113.1", "documentation"},
		{"2001:db8::1", "documentation"},
		{"3fff::1", "documentation"},
		{"240.0.0.1", "reserved"},
		{"::ffff:127.0.0.1", "loopback"},
		{"::ffff:10.0.0.1", "private"},
		{"::ffff:169.254.169.254", "cloud metadata"},
		{"64:ff9b::a9fe:a9fe", "169.254.169.254"},
		{"64:ff9b::7f00:1", "loopback"},
		{"64:ff9b::c0a8:101", "private"},
		{"64:ff9b:1::1", "NAT64"},
		{"2002:a00:1::1", "10.0.0.1"},
		{"2002:a9fe:a9fe::", "cloud metadata"},
		{"2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"},
		{"2001:2::1", "benchmarking"},
		{"fd00:ec2::254", "AWS metadata"},
		{"fec0::1", "site-local"},
		{"::7f00:1", "IPv4-compatible"},
		{"100::1", "discard"},
		{"4000::1", "global unicast"},
	} {
		err := webhook.CheckAddr(netip.MustParseAddr(tt.addr), false)
		if !errors.Is(err, webhook.ErrForbiddenAddress) {
			t.Errorf("CheckAddr(%s) = %v, want ErrForbiddenAddress", tt.addr, err)
			continue
		}
		if !strings.Contains(err.Error(), tt.reason) {
			t.Errorf("CheckAddr(%s) = %q, want it to mention %q", tt.addr, err, tt.reason)
		}
	}
	if err := webhook.CheckAddr(netip.Addr{}, true); !errors.Is(err, webhook.ErrForbiddenAddress) {
		t.Errorf("CheckAddr(invalid) = %v, want ErrForbiddenAddress", err)
	}
}

func TestCheckAddrAccepts(t *testing.T) {
	for _, a := range []string{
		"8.8.8.8",
		"1.1.1.1",
		"93.184.215.14",
		"172.32.0.1", // just past 172.16.0.0/12
		"100.128.0.1",
		"2606:4700::1",
		"2001:4860:4860::8888",
		"::ffff:8.8.8.8",
		"64:ff9b::808:808", // NAT64 of 8.8.8.8
		"2002:808:808::1",  // 6to4 of 8.8.8.8
	} {
		if err := webhook.CheckAddr(netip.MustParseAddr(a), false); err != nil {
			t.Errorf("CheckAddr(%s) = %v", a, err)
		}
	}
}

func TestCheckAddrAllowLoopback(t *testing.T) {
	for _, a := range []string{"127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1"} {
		if err := webhook.CheckAddr(netip.MustParseAddr(a), true); err != nil {
			t.Errorf("CheckAddr(%s, true) = %v", a, err)
		}
	}
	// Allowing loopback allows nothing else.
	for _, a := range []string{"10.0.0.1", "169.254.169.254", "0.0.0.0", "::", "64:ff9b::7f00:1"} {
		if err := webhook.CheckAddr(netip.MustParseAddr(a), true); !errors.Is(err, webhook.ErrForbiddenAddress) {
			t.Errorf("CheckAddr(%s, true) = %v, want ErrForbiddenAddress", a, err)
		}
	}
}

func TestCheckURL(t *testing.T) {
	tests := []struct {
		url       string
		loopback  bool
		forbidden bool   // the error wraps ErrForbiddenAddress
		want      string // part of the error; "" means accepted
	}{
		{"https://example.com/hooks", false, false, ""},
		{"HTTPS://Example.COM:8443/hooks?token=x", false, false, ""},
		{"https://8.8.8.8/hooks", false, false, ""},
		{"https://[2606:4700::1]/hooks", false, false, ""},
		{"http://127.0.0.1:8080/hooks", true, false, ""},
		{"http://localhost:8080/hooks", true, false, ""},
		{"http://[::1]:8080/hooks", true, false, ""},
		{"https://localhost/hooks", true, false, ""},

		{"http://example.com/hooks", false, false, "https"},
		{"http://example.com/hooks", true, false, "https"},
		{"http://127.0.0.1:8080/hooks", false, false, "https"},
		{"ftp://example.com/hooks", false, false, "https"},
		{"example.com/hooks", false, false, "absolute"},
		{"/hooks", false, false, "absolute"},
		{"https:example.com", false, false, "absolute"},
		{"https://", false, false, "absolute"},
		{"https://:443/hooks", false, false, "host"},
		{"https://user:pw@example.com/hooks", false, false, "user"},
		{"https://example.com/hooks#top", false, false, "fragment"},
		{"https://example.com/hooks#", false, false, "fragment"},
		{"https://example.com:0/", false, false, "port"},
		{"https://example.com:65536/", false, false, "port"},
		{"https://example.com/" + strings.Repeat("a", 2000), false, false, "limit"},
		{"https://exa mple.com/", false, false, "valid"},
		{"https://127.0.0.1/hooks", false, true, "loopback"},
		{"https://localhost/hooks", false, true, "this machine"},
		{"https://api.localhost/hooks", false, true, "this machine"},
		{"https://10.0.0.1/hooks", false, true, "private"},
		{"https://10.0.0.1/hooks", true, true, "private"},
		{"https://169.254.169.254/latest/meta-data", false, true, "cloud metadata"},
		{"https://[::ffff:a9fe:a9fe]/", false, true, "cloud metadata"},
		{"https://[fd00:ec2::254]/", false, true, "AWS metadata"},
		{"https://[fe80::1%25eth0]/", false, false, "zone"},
		{"https://2130706433/", false, false, "non-standard"},
		{"https://127.1/", false, false, "non-standard"},
		{"https://0x7f.1/", false, false, "non-standard"},
		{"https://0177.0.0.1/", false, false, "non-standard"},
	}
	for _, tt := range tests {
		err := webhook.CheckURL(tt.url, tt.loopback)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("CheckURL(%q, %v) = %v", tt.url, tt.loopback, err)
		case tt.want == "":
		case err == nil:
			t.Errorf("CheckURL(%q, %v) = nil, want an error about %q", tt.url, tt.loopback, tt.want)
		case !strings.Contains(err.Error(), tt.want):
			t.Errorf("CheckURL(%q, %v) = %q, want it to mention %q", tt.url, tt.loopback, err, tt.want)
		case errors.Is(err, webhook.ErrForbiddenAddress) != tt.forbidden:
			t.Errorf("CheckURL(%q, %v) = %v, ErrForbiddenAddress %v, want %v", tt.url, tt.loopback, err, !tt.forbidden, tt.forbidden)
		}
	}
}

func TestCheckURLHidesToken(t *testing.T) {
	err := webhook.CheckURL("https://example.com/hooks/s3cret%zz", false)
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("CheckURL = %v, want an error without the token", err)
	}
}

func TestTransportNoProxy(t *testing.T) {
	t.Setenv("HTTPS_PROXY", "http://127.0.0.1:9")
	t.Setenv("HTTP_PROXY", "http://127.0.0.1:9")
	if tr := webhook.Transport(false); tr.Proxy != nil {
		t.Error("Transport has a proxy")
	}
}

func TestClientRefusesLoopback(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
	}))
	defer srv.Close()
	_, port, err := net.SplitHostPort(srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}

	c := webhook.Client(false, 5*time.Second)
	defer c.CloseIdleConnections()
	// The literal address, and a name that resolves to it: the check is
	// at connect time, on what the name resolved to.
	for _, u := range []string{srv.URL, "http://localhost:" + port} {
		resp, err := c.Get(u)
		if err == nil {
			resp.Body.Close()
			t.Errorf("GET %s succeeded", u)
			continue
		}
		var ue *url.Error
		if !errors.As(err, &ue) || !errors.Is(err, webhook.ErrForbiddenAddress) {
			t.Errorf("GET %s = %v, want a *url.Error wrapping ErrForbiddenAddress", u, err)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("server was reached %d times", n)
	}

	c = webhook.Client(true, 5*time.Second)
	defer c.CloseIdleConnections()
	resp, err := c.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || hits.Load() != 1 {
		t.Errorf("status %d, %d hits; want 200 and 1", resp.StatusCode, hits.Load())
	}
}

func TestClientDoesNotFollowRedirects(t *testing.T) {
	var hits atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
	}))
	defer target.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/elsewhere", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()

	c := webhook.Client(true, 5*time.Second)
	defer c.CloseIdleConnections()
	resp, err := c.Post(srv.URL, "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTemporaryRedirect {
		t.Errorf("status %d, want %d", resp.StatusCode, http.StatusTemporaryRedirect)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("redirect target was reached %d times", n)
	}
}
