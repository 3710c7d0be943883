package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Cookies. The session cookie holds a signed token (tenant, expiry, nonce,
// session generation, key fingerprint), never the API key. The sign-in form gets a cookie of its own so that a
// visit that arrives without the session cookie (SameSite=Strict drops it
// on cross-site navigations) cannot overwrite a signed-in session.
const (
	sessionCookie = "candor_session"
	signinCookie  = "candor_signin"
	csrfField     = "csrf"
)

// session is a verified token: who the browser acts for, and the nonce its
// CSRF token derives from.
type session struct {
	tenant  string
	expires time.Time
	nonce   string
	// gen is the tenant's session generation at sign-in and key the
	// fingerprint of the key signed in with: the session ends when
	// either is no longer current.
	gen int64
	key string
}

// sessions signs and verifies tokens with an HMAC key.
type sessions struct {
	key []byte
	// mode is mixed into every MAC, so that a token issued without keys
	// (tenant local) is worthless to a server with keys sharing the secret.
	mode string
	ttl  time.Duration
	now  func() time.Time
}

var errBadToken = errors.New("bad session token")

func newNonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (s *sessions) mac(parts ...string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(s.mode))
	m.Write([]byte{0})
	for _, p := range parts {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return m.Sum(nil)
}

// issue returns a fresh session for tenant ("" for the sign-in form's).
func (s *sessions) issue(tenant string, ttl time.Duration) session {
	return session{tenant: tenant, expires: s.now().Add(ttl).Truncate(time.Second), nonce: newNonce()}
}

// encode signs ses as "payload.mac", both base64url. kind binds the token
// to its cookie, so a sign-in token cannot pass as a session.
func (s *sessions) encode(kind string, ses session) string {
	payload := "v2|" + ses.tenant + "|" + strconv.FormatInt(ses.expires.Unix(), 10) + "|" + ses.nonce + "|" +
		strconv.FormatInt(ses.gen, 10) + "|" + ses.key
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." +
		base64.RawURLEncoding.EncodeToString(s.mac(kind, payload))
}

func (s *sessions) decode(kind, tok string) (session, error) {
	p64, m64, ok := strings.Cut(tok, ".")
	if !ok || len(tok) > 512 {
		return session{}, errBadToken
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(p64)
	mac, err2 := base64.RawURLEncoding.DecodeString(m64)
	if err1 != nil || err2 != nil || !hmac.Equal(mac, s.mac(kind, string(payload))) {
		return session{}, errBadToken
	}
	f := strings.Split(string(payload), "|")
	if len(f) != 6 || f[0] != "v2" || f[3] == "" {
		return session{}, errBadToken
	}
	exp, err1 := strconv.ParseInt(f[2], 10, 64)
	gen, err2 := strconv.ParseInt(f[4], 10, 64)
	if err1 != nil || err2 != nil {
		return session{}, errBadToken
	}
	ses := session{tenant: f[1], expires: time.Unix(exp, 0), nonce: f[3], gen: gen, key: f[5]}
	if !s.now().Before(ses.expires) {
		return session{}, errBadToken
	}
	return ses, nil
}

// csrf is the form token of ses: derived from its nonce, so it changes
// with every sign-in and needs no server-side state.
func (s *sessions) csrf(ses session) string {
	return base64.RawURLEncoding.EncodeToString(s.mac("csrf", ses.nonce))
}

func (s *sessions) checkCSRF(ses session, got string) bool {
	want := s.csrf(ses)
	return len(got) == len(want) && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// read returns the session held in cookie name, if it is valid.
func (s *sessions) read(r *http.Request, name string) (session, bool) {
	c, err := r.Cookie(name)
	if err != nil {
		return session{}, false
	}
	ses, err := s.decode(name, c.Value)
	return ses, err == nil
}

// set sends ses in cookie name: HttpOnly, SameSite=Strict, Secure over
// HTTPS.
func (s *sessions) set(w http.ResponseWriter, r *http.Request, name string, ses session) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: s.encode(name, ses), Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: secureRequest(r), Expires: ses.expires,
		MaxAge: int(time.Until(ses.expires).Seconds())})
}

func clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: secureRequest(r), MaxAge: -1})
}

// secureRequest reports whether the browser reached us over HTTPS (directly
// or through a proxy that says so); the cookie is then marked Secure.
func secureRequest(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}
