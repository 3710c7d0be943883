package api

import (
	"bufio"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// LocalTenant is the tenant of every request when the server runs without
// API keys (local use on loopback only).
const LocalTenant = "local"

// ErrNoAuthOnPublicAddress is returned by CheckListen for a server without
// API keys on an address other hosts can reach.
var ErrNoAuthOnPublicAddress = errors.New("no API keys configured: refusing to listen on a non-loopback address without auth")

// Keys are the API keys of every tenant, kept only as sha256 hashes.
type Keys struct {
	entries []keyEntry
}

type keyEntry struct {
	tenant string
	hash   [sha256.Size]byte
	// id names the key in logs and rate limits without revealing it.
	id string
}

// Len returns the number of keys.
func (k *Keys) Len() int {
	if k == nil {
		return 0
	}
	return len(k.entries)
}

// Add adds a key for tenant. Tenants are [A-Za-z0-9._-], 1..64
// characters; keys at least 16 characters.
func (k *Keys) Add(tenant, key string) error {
	if !plainID(tenant, 64) {
		return fmt.Errorf("api keys: tenant %q: want 1..64 characters of A-Z a-z 0-9 . _ -", tenant)
	}
	if len(key) < 16 || strings.ContainsAny(key, " \t\r\n,") {
		return fmt.Errorf("api keys: the key of tenant %q is shorter than 16 characters or holds spaces or commas", tenant)
	}
	h := sha256.Sum256([]byte(key))
	for _, e := range k.entries {
		if e.hash == h {
			return fmt.Errorf("api keys: a key is given twice (tenant %q)", tenant)
		}
	}
	k.entries = append(k.entries, keyEntry{tenant: tenant, hash: h, id: hex.EncodeToString(h[:6])})
	return nil
}

// ParseKeys parses CANDOR_API_KEYS: tenant:key pairs separated by commas.
// Errors name the tenant, never the key.
func ParseKeys(s string) (*Keys, error) {
	k := &Keys{}
	for i, pair := range strings.Split(s, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		tenant, key, ok := strings.Cut(pair, ":")
		if !ok {
			return nil, fmt.Errorf("api keys: entry %d is not tenant:key", i+1)
		}
		if err := k.Add(strings.TrimSpace(tenant), strings.TrimSpace(key)); err != nil {
			return nil, err
		}
	}
	return k, nil
}

// ReadKeys reads a keys file: one tenant:key per line; blank lines and
// lines starting with # are skipped. The keys are added to k.
func (k *Keys) ReadKeys(r io.Reader) error {
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		tenant, key, ok := strings.Cut(line, ":")
		if !ok {
			return fmt.Errorf("api keys file: line %d is not tenant:key", n)
		}
		if err := k.Add(strings.TrimSpace(tenant), strings.TrimSpace(key)); err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
	}
	return sc.Err()
}

// lookup returns the entry of key, comparing its hash with every stored
// hash in constant time (no early exit), so that timing tells nothing
// about which key, if any, came close.
func (k *Keys) lookup(key string) (keyEntry, bool) {
	h := sha256.Sum256([]byte(key))
	found := -1
	for i := range k.entries {
		if subtle.ConstantTimeCompare(h[:], k.entries[i].hash[:]) == 1 {
			found = i
		}
	}
	if found < 0 {
		return keyEntry{}, false
	}
	return k.entries[found], true
}

// Tenant returns the tenant whose key is key, comparing in constant time as
// the API does. The web pages use it to sign a user in.
func (k *Keys) Tenant(key string) (string, bool) {
	if k.Len() == 0 {
		return "", false
	}
	e, ok := k.lookup(key)
	return e.tenant, ok
}

// Identify returns the tenant of key and the key's fingerprint (the first
// 48 bits of its sha256, as logs and rate limits name it), comparing in
// constant time. Web sessions carry the fingerprint, so that a session
// ends when its key is no longer configured (Current).
func (k *Keys) Identify(key string) (tenant, fingerprint string, ok bool) {
	if k.Len() == 0 {
		return "", "", false
	}
	e, ok := k.lookup(key)
	return e.tenant, e.id, ok
}

// Current reports whether a key with fingerprint is configured for tenant.
func (k *Keys) Current(tenant, fingerprint string) bool {
	if k == nil {
		return false
	}
	for _, e := range k.entries {
		if e.tenant == tenant && e.id == fingerprint {
			return true
		}
	}
	return false
}

// Fingerprints returns every configured key's fingerprint with its tenant.
func (k *Keys) Fingerprints() map[string]string {
	out := map[string]string{}
	if k != nil {
		for _, e := range k.entries {
			out[e.id] = e.tenant
		}
	}
	return out
}

type actAsKey struct{}

// ActAs returns a context under which the API serves a request for tenant
// without an API key. It is for callers in the same process that have
// authenticated the user themselves (the web pages, whose sessions were
// signed in with a key); no request from the network can carry it.
func ActAs(ctx context.Context, tenant string) context.Context {
	return context.WithValue(ctx, actAsKey{}, tenant)
}

// CheckListen refuses to run without keys on an address that is not
// loopback: no-auth mode is for local use only.
func CheckListen(addr string, keys *Keys) error {
	if keys.Len() > 0 {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("listen address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("%w (%s); set CANDOR_API_KEYS=tenant:key,... or listen on 127.0.0.1", ErrNoAuthOnPublicAddress, addr)
}

// authenticate resolves the bearer key to its tenant: 401 without a key or
// with an unknown one.
func (s *Server) authenticate(c *gin.Context) {
	if s.cfg.Keys.Len() == 0 {
		c.Set(ctxTenant, LocalTenant)
		c.Set(ctxKeyID, LocalTenant)
		c.Next()
		return
	}
	if t, ok := c.Request.Context().Value(actAsKey{}).(string); ok && t != "" {
		c.Set(ctxTenant, t)
		c.Set(ctxKeyID, "web:"+t)
		c.Next()
		return
	}
	addr := ClientAddress(c.Request.RemoteAddr)
	if wait := s.authFails.Blocked(addr); wait > 0 {
		s.authThrottled(c, wait)
		return
	}
	h := c.GetHeader("Authorization")
	scheme, key, _ := strings.Cut(h, " ")
	key = strings.TrimSpace(key)
	if h == "" || !strings.EqualFold(scheme, "Bearer") || key == "" {
		c.Header("WWW-Authenticate", `Bearer realm="candor"`)
		s.fail(c, errorf(http.StatusUnauthorized, CodeMissingCredentials, "send an API key as Authorization: Bearer KEY"))
		return
	}
	e, ok := s.cfg.Keys.lookup(key)
	if !ok {
		// The client's address, never the key.
		s.log.Info("API key refused", "request_id", c.GetString(ctxRequestID), "client", addr)
		if wait := s.authFails.Failed(c.Request.Context(), addr); wait > 0 {
			s.authThrottled(c, wait)
			return
		}
		c.Header("WWW-Authenticate", `Bearer realm="candor", error="invalid_token"`)
		s.fail(c, errorf(http.StatusUnauthorized, CodeInvalidCredentials, "the API key is not valid"))
		return
	}
	c.Set(ctxTenant, e.tenant)
	c.Set(ctxKeyID, e.id)
	c.Next()
}

// authThrottled answers 429: too many wrong keys from this address.
func (s *Server) authThrottled(c *gin.Context, wait time.Duration) {
	secs := RetryAfter(wait)
	s.metrics.rateLimited.Inc()
	c.Header("Retry-After", strconv.Itoa(secs))
	s.fail(c, errorf(http.StatusTooManyRequests, CodeRateLimited,
		"too many wrong API keys from this address (at most %d a minute); retry after %d s", s.cfg.AuthFailures, secs))
}
