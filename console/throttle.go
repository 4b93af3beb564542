package console

import (
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"smsadmin"
)

// The sign-in budget of one client address: at most SignInAddressBudget
// failed sign-ins in any SignInAddressWindow. Past it, the address's
// sign-ins are refused without being checked until its oldest failure in
// the window is SignInAddressWindow old, so one address can neither guess
// on nor lock more than SignInAddressBudget / smsadmin.MaxFailedSignIns
// accounts (smsadmin.Service.SignIn's per-account lock) per window. An
// IPv6 address counts by its /64, which one client usually holds whole.
//
// The count is kept in the memory of the process: each instance serving
// the console keeps its own, and a restart forgets it.
const (
	SignInAddressBudget = 20
	SignInAddressWindow = 15 * time.Minute
)

// maxThrottledAddresses bounds the addresses the budget is kept for;
// past it, addresses whose failures have all left the window are
// forgotten first, then any.
const maxThrottledAddresses = 10000

// signInLimiter keeps each client address's failed sign-ins within the
// window.
type signInLimiter struct {
	clock smsadmin.Clock
	mu    sync.Mutex
	// failures holds each address's failures in the window, oldest first,
	// and the attempts under way, which count until they succeed.
	failures map[string][]time.Time
}

func newSignInLimiter(clock smsadmin.Clock) *signInLimiter {
	return &signInLimiter{clock: clock, failures: map[string][]time.Time{}}
}

// begin counts an attempt of addr as a failure and returns done, to call
// when the attempt ends (a success takes it back); or, when addr has used
// its budget, nil and how long until it may try again. Counting the
// attempt before it is checked keeps attempts made at once within the
// budget too.
func (l *signInLimiter) begin(addr string) (done func(failed bool), wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	recent := l.recent(addr, now)
	if len(recent) >= SignInAddressBudget {
		return nil, recent[0].Add(SignInAddressWindow).Sub(now)
	}
	if _, known := l.failures[addr]; !known && len(l.failures) >= maxThrottledAddresses {
		l.forget(now)
	}
	l.failures[addr] = append(recent, now)
	return func(failed bool) {
		if failed {
			return
		}
		l.mu.Lock()
		defer l.mu.Unlock()
		list := l.failures[addr]
		for i, at := range list {
			if at.Equal(now) {
				l.failures[addr] = append(list[:i:i], list[i+1:]...)
				break
			}
		}
		if len(l.failures[addr]) == 0 {
			delete(l.failures, addr)
		}
	}, 0
}

// recent returns addr's failures in the window that ends at now.
func (l *signInLimiter) recent(addr string, now time.Time) []time.Time {
	list := l.failures[addr]
	i := 0
	for i < len(list) && !now.Before(list[i].Add(SignInAddressWindow)) {
		i++
	}
	return list[i:]
}

// forget makes room for one more address: those whose failures have all
// left the window go first; if none has, one address, any.
func (l *signInLimiter) forget(now time.Time) {
	for addr := range l.failures {
		if len(l.recent(addr, now)) == 0 {
			delete(l.failures, addr)
		}
	}
	if len(l.failures) < maxThrottledAddresses {
		return
	}
	for addr := range l.failures {
		delete(l.failures, addr)
		return
	}
}

// clientAddress is the address a request comes from, as the sign-in budget
// counts it: the connection's peer; or, when that peer is one of the
// trusted proxies, the address X-Forwarded-For names before the trusted
// proxies that added themselves (read from the right). An IPv6 address
// counts by its /64.
func clientAddress(r *http.Request, trusted []netip.Prefix) string {
	addr, err := netip.ParseAddrPort(r.RemoteAddr)
	var ip netip.Addr
	if err == nil {
		ip = addr.Addr()
	} else if ip, err = netip.ParseAddr(r.RemoteAddr); err != nil {
		return "unknown"
	}
	ip = ip.Unmap()
	if isTrusted(ip, trusted) {
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break // not an address: trust nothing further left
			}
			ip = hop.Unmap()
			if !isTrusted(ip, trusted) {
				break
			}
		}
	}
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

func isTrusted(ip netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}
