package console

import (
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"smsadmin"
)

// Attempts made at once count before they are checked: however many
// arrive together, at most SignInAddressBudget are checked.
func TestSignInLimiterCountsAttemptsUnderWay(t *testing.T) {
	t.Parallel()
	l := newSignInLimiter(smsadmin.NewManualClock(time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)))
	var under []func(bool)
	for range SignInAddressBudget + 5 {
		if done, _ := l.begin("198.51.100.7"); done != nil {
			under = append(under, done)
		}
	}
	if len(under) != SignInAddressBudget {
		t.Fatalf("%d attempts at once let through, want %d", len(under), SignInAddressBudget)
	}
	under[0](false) // one succeeds: its place is free again
	if done, _ := l.begin("198.51.100.7"); done == nil {
		t.Error("no attempt let through after one of those under way succeeded")
	}
}

func TestClientAddress(t *testing.T) {
	t.Parallel()
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	for _, tc := range []struct {
		peer, xff string
		trusted   []netip.Prefix
		want      string
	}{
		{"198.51.100.7:1234", "", nil, "198.51.100.7"},
		{"198.51.100.7:1234", "203.0.113.1", nil, "198.51.100.7"},
		{"198.51.100.7:1234", "203.0.113.1", proxies, "198.51.100.7"}, // the peer is no proxy of ours
		{"10.0.0.2:1234", "203.0.113.1", proxies, "203.0.113.1"},
		{"10.0.0.2:1234", "1.2.3.4, 203.0.113.1, 10.9.9.9", proxies, "203.0.113.1"},
		{"10.0.0.2:1234", "", proxies, "10.0.0.2"},
		{"10.0.0.2:1234", "not-an-address, 10.3.3.3", proxies, "10.3.3.3"},
		{"[fd00::1]:1234", "2001:db8:1:2::77", proxies, "2001:db8:1:2::/64"},
		{"[::ffff:198.51.100.7]:1234", "", nil, "198.51.100.7"},
		{"[2001:db8:1:2:3:4:5:6]:1234", "", nil, "2001:db8:1:2::/64"},
		{"pipe", "", nil, "unknown"},
	} {
		r := httptest.NewRequest("POST", "/signin", nil)
		r.RemoteAddr = tc.peer
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		if got := clientAddress(r, tc.trusted); got != tc.want {
			t.Errorf("clientAddress(peer %s, X-Forwarded-For %q) = %q, want %q", tc.peer, tc.xff, got, tc.want)
		}
	}
}
