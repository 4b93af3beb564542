package main

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// --trusted-proxies (SMSADMIN_TRUSTED_PROXIES) takes addresses and CIDRs;
// anything else stops the server at start, naming the flag. (Not
// parallel: t.Setenv.)
func TestServeConfigTrustedProxies(t *testing.T) {
	t.Setenv("SMSADMIN_BOOTSTRAP_TOKEN", "")
	cfg, err := serveConfig(t, map[string]string{"SMSADMIN_TRUSTED_PROXIES": ""})
	if p, _ := cfg.trustedProxies(); err != nil || len(p) != 0 {
		t.Fatalf("default = %v, %v; want no proxy trusted", p, err)
	}
	cfg, err = serveConfig(t, nil, "--trusted-proxies", "10.0.0.0/8, 192.0.2.7,fd00::/8, 2001:db8::1")
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.7/32"),
		netip.MustParsePrefix("fd00::/8"), netip.MustParsePrefix("2001:db8::1/128")}
	if got, _ := cfg.trustedProxies(); !slices.Equal(got, want) {
		t.Errorf("trusted proxies = %v, want %v", got, want)
	}
	_, err = serveConfig(t, map[string]string{"SMSADMIN_TRUSTED_PROXIES": "10.0.0.0/8,proxy.internal"})
	if err == nil || !strings.Contains(err.Error(), "--trusted-proxies") || !strings.Contains(err.Error(), "proxy.internal") {
		t.Errorf("a name for a proxy = %v, want refused naming --trusted-proxies", err)
	}
}

// An https public URL says that people reach the server over HTTPS (a
// proxy ends TLS), so answers carry Strict-Transport-Security. (Not
// parallel: t.Setenv.)
func TestServeConfigHTTPS(t *testing.T) {
	t.Setenv("SMSADMIN_BOOTSTRAP_TOKEN", "")
	for url, want := range map[string]bool{"": false, "http://sms.example.com": false, "https://sms.example.com": true, "HTTPS://sms.example.com/": true, "https://": false} {
		cfg, err := serveConfig(t, map[string]string{"SMSADMIN_PUBLIC_URL": url})
		if err != nil {
			t.Fatal(err)
		}
		if got := cfg.https(); got != want {
			t.Errorf("public URL %q: https() = %v, want %v", url, got, want)
		}
	}
}
