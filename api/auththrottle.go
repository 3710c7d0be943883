package api

import (
	"context"
	"math"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/candorhq/candor/store"
)

// Failed credentials are throttled per client address: every wrong API key
// (Bearer or web sign-in) takes a token from the address's bucket in the
// store, shared by the replicas like the rate limits; once it is empty the
// address is refused with 429 and Retry-After for every attempt, right or
// wrong, until a token is back (refusing only wrong keys would leave a
// guesser a free oracle). IPv6 clients count per /64. A wrong key names no
// tenant, so there is no per-tenant count of failures; the buckets live in
// the store's namespace of no tenant. The address is the connection's
// peer: behind a proxy, the proxy's.

// AuthThrottle throttles failed credentials; the web pages' sign-in uses
// the API's (Server.AuthThrottle).
type AuthThrottle struct {
	st            store.RateLimits
	interval, tau time.Duration
	perMinute     int

	mu      sync.Mutex
	blocked map[string]time.Time
}

// NewAuthThrottle returns a throttle of perMinute failures a minute per
// address on st; nil (no throttle) when perMinute is not positive.
func NewAuthThrottle(perMinute int, st store.RateLimits) *AuthThrottle {
	if perMinute <= 0 {
		return nil
	}
	interval := time.Minute / time.Duration(perMinute)
	return &AuthThrottle{st: st, interval: interval, tau: interval * time.Duration(perMinute), perMinute: perMinute,
		blocked: map[string]time.Time{}}
}

// ClientAddress is the address failures are counted under: the peer of
// remoteAddr (host:port), an IPv6 one as its /64.
func ClientAddress(remoteAddr string) string {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	a = a.WithZone("").Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// Blocked returns how long addr must still wait (0: it may try).
func (t *AuthThrottle) Blocked(addr string) time.Duration {
	if t == nil {
		return 0
	}
	now := time.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	until, ok := t.blocked[addr]
	if !ok {
		return 0
	}
	if !now.Before(until) {
		delete(t.blocked, addr)
		return 0
	}
	return until.Sub(now)
}

// Failed counts a failed attempt from addr; it returns how long addr is
// now blocked (0: not).
func (t *AuthThrottle) Failed(ctx context.Context, addr string) time.Duration {
	if t == nil {
		return 0
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	n, wait, err := t.st.TakeTokens(sctx, "", "authfail:"+addr, t.interval, t.tau, 1)
	if err != nil || n > 0 {
		// The store failing must not lock everyone out.
		return 0
	}
	wait = max(wait, time.Second)
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.blocked) > 100000 {
		clear(t.blocked)
	}
	t.blocked[addr] = time.Now().Add(wait)
	return wait
}

// RetryAfter is a wait as Retry-After's whole seconds.
func RetryAfter(d time.Duration) int { return int(math.Ceil(d.Seconds())) }

// AuthThrottle returns the server's throttle of failed credentials (nil
// when off).
func (s *Server) AuthThrottle() *AuthThrottle { return s.authFails }
