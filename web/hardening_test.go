package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/api"
	"github.com/candorhq/candor/store"
	"github.com/candorhq/candor/web"
)

// TestSignInNextIsACleanPath: the redirect after sign-in is a path on this
// site, nothing a browser could read as another host (issue 18 row 11).
func TestSignInNextIsACleanPath(t *testing.T) {
	e := newEnv(t, envOpts{})
	for _, tc := range []struct{ next, want string }{
		{"/reports", "/reports"},
		{"/reports?guide=behavioral-core&cursor=a-b_c", "/reports?guide=behavioral-core&cursor=a-b_c"},
		{"/reports/r-1%2F2", "/reports/r-1%2F2"},
		{"//evil.example/x", "/"},
		{"/\t/evil.example/x", "/"},
		{"/\v/evil.example/x", "/"},
		{"/\\evil.example/x", "/"},
		{"/x\\y", "/"},
		{"/a//evil.example", "/"},
		{"/\x00x", "/"},
		{"/\x7fx", "/"},
		{"/\u0085x", "/"},
		{"/\u2028x", "/"},
		{"/ x", "/"},
		{"https://evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{"evil.example", "/"},
		{"/signin?next=/x", "/"},
		{"", "/"},
	} {
		u := e.user()
		u.get("/signin")
		p := u.post("/signin", url.Values{"csrf": {u.csrf}, "key": {acmeKey}, "next": {tc.next}})
		if p.status != http.StatusSeeOther || p.header.Get("Location") != tc.want {
			t.Errorf("next %q: %d to %q, want 303 to %q", tc.next, p.status, p.header.Get("Location"), tc.want)
		}
		// The sign-in page's hidden field gets the same treatment.
		p = u.get("/signin?next=" + url.QueryEscape(tc.next))
		if want := `name="next" value="` + tc.want + `"`; tc.want == "/" && !strings.Contains(p.body, want) {
			t.Errorf("GET /signin?next=%q: the form does not carry %s", tc.next, want)
		}
	}
}

// sessionCookie returns u's session cookie value for e.
func sessionCookie(t *testing.T, u *user, base string) string {
	t.Helper()
	for _, c := range u.c.Jar.Cookies(mustURL(t, base)) {
		if c.Name == "candor_session" {
			return c.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

// getWithCookie sends GET path with only the given session cookie.
func getWithCookie(t *testing.T, base, path, cookie string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+path, nil)
	req.AddCookie(&http.Cookie{Name: "candor_session", Value: cookie})
	res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode, res.Header.Get("Location")
}

// TestSignOutEndsTheSession: after sign-out the old cookie, replayed, gets
// the sign-in page (issue 18 row 3).
func TestSignOutEndsTheSession(t *testing.T) {
	e := newEnv(t, envOpts{})
	u := e.user()
	u.signIn(acmeKey)
	old := sessionCookie(t, u, e.ts.URL)
	if st, _ := getWithCookie(t, e.ts.URL, "/reports", old); st != http.StatusOK {
		t.Fatalf("signed-in cookie: %d", st)
	}
	other := e.user()
	other.signIn(globexKey)

	u.get("/")
	if p := u.post("/signout", url.Values{"csrf": {u.csrf}}); p.status != http.StatusSeeOther {
		t.Fatalf("sign out: %d", p.status)
	}
	if st, loc := getWithCookie(t, e.ts.URL, "/reports", old); st != http.StatusSeeOther || !strings.HasPrefix(loc, "/signin") {
		t.Errorf("signed-out cookie replayed: %d to %q, want 303 to the sign-in page", st, loc)
	}
	if p := other.get("/reports"); p.status != http.StatusOK {
		t.Errorf("another tenant's session ended with acme's sign-out: %d", p.status)
	}
	// Signing in again works.
	u.signIn(acmeKey)
}

// TestRemovedKeyEndsItsSessions: a restart (same secret, same store)
// without a tenant's key ends the sessions signed in with it, and they stay
// ended when the key comes back (issue 18 row 2).
func TestRemovedKeyEndsItsSessions(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	st := store.NewMemory(store.Options{})
	start := func(keySpec string) string {
		t.Helper()
		return startPages(t, keySpec, st, secret, true)
	}
	const acme2 = "acme-second-key-0123456789"
	base := start("acme:" + acmeKey + ",acme:" + acme2 + ",globex:" + globexKey)
	e := &env{t: t, ts: &httptest.Server{URL: base}}
	signIn := func(key string) string {
		u := e.user()
		u.signIn(key)
		return sessionCookie(t, u, base)
	}
	acmeFirst, acmeSecond, globex := signIn(acmeKey), signIn(acme2), signIn(globexKey)

	// Restart without acme's first key.
	base = start("acme:" + acme2 + ",globex:" + globexKey)
	if st, loc := getWithCookie(t, base, "/reports", acmeFirst); st != http.StatusSeeOther || !strings.HasPrefix(loc, "/signin") {
		t.Errorf("removed key's session: %d to %q, want 303 to the sign-in page", st, loc)
	}
	// Its tenant's other sessions end too (one generation per tenant);
	// other tenants' go on.
	if st, _ := getWithCookie(t, base, "/reports", acmeSecond); st != http.StatusSeeOther {
		t.Errorf("acme's other session after the removal: %d, want 303", st)
	}
	if st, _ := getWithCookie(t, base, "/reports", globex); st != http.StatusOK {
		t.Errorf("globex's session after acme's key went: %d, want 200", st)
	}
	// The key back: its old session stays ended.
	base = start("acme:" + acmeKey + ",globex:" + globexKey)
	if st, _ := getWithCookie(t, base, "/reports", acmeFirst); st != http.StatusSeeOther {
		t.Errorf("removed key's session after the key came back: %d, want 303", st)
	}
	// A server that never recorded the keys (a fresh store, no sync)
	// still refuses a session whose key it does not have: the cookie's
	// key fingerprint is checked on every request.
	st = store.NewMemory(store.Options{})
	base = startPages(t, "acme:"+acme2+",globex:"+globexKey, st, secret, false)
	if st, _ := getWithCookie(t, base, "/reports", acmeFirst); st != http.StatusSeeOther {
		t.Errorf("session of a key this server lacks: %d, want 303", st)
	}
	if st, _ := getWithCookie(t, base, "/reports", acmeSecond); st != http.StatusOK {
		t.Errorf("session of a key this server has: %d, want 200", st)
	}
}

// startPages starts the API with the pages on st, as `candor serve` does
// (sync: recording the configured keys at start), and returns its URL.
func startPages(t *testing.T, keySpec string, st *store.Memory, secret []byte, sync bool) string {
	t.Helper()
	keys, err := api.ParseKeys(keySpec)
	if err != nil {
		t.Fatal(err)
	}
	var srv *api.Server
	pages, err := web.New(web.Config{Keys: keys, Sessions: st, Secret: secret,
		API: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { srv.ServeHTTP(w, r) })})
	if err != nil {
		t.Fatal(err)
	}
	if sync {
		if _, err := pages.RevokeRemovedKeys(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	srv = api.NewServer(api.Config{Keys: keys}, api.Deps{Store: st, Web: pages,
		Engines: map[string]analyzer.Engine{analyzer.EngineHeuristic: heuristic.New()}})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts.URL
}

// TestSignInThrottled (row 9): wrong keys at sign-in are counted per client
// address; past the allowance the form answers 429 with Retry-After (the
// right key too), and "sign-in refused" names the address, never the key.
func TestSignInThrottled(t *testing.T) {
	keys, err := api.ParseKeys("acme:" + acmeKey)
	if err != nil {
		t.Fatal(err)
	}
	st := store.NewMemory(store.Options{})
	var logs bytes.Buffer
	var mu sync.Mutex
	log := slog.New(slog.NewJSONHandler(lockedWriter{&mu, &logs}, nil))
	th := api.NewAuthThrottle(2, st)
	var srv *api.Server
	pages, err := web.New(web.Config{Keys: keys, Sessions: st, Throttle: th, Logger: log,
		API: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { srv.ServeHTTP(w, r) })})
	if err != nil {
		t.Fatal(err)
	}
	srv = api.NewServer(api.Config{Keys: keys}, api.Deps{Store: st, Web: pages, AuthThrottle: th,
		Engines: map[string]analyzer.Engine{analyzer.EngineHeuristic: heuristic.New()}})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	e := &env{t: t, ts: ts}
	u := e.user()
	u.get("/signin")
	const wrong = "wrong-key-0123456789abcdef"
	for range 2 {
		if p := u.post("/signin", url.Values{"csrf": {u.csrf}, "key": {wrong}, "next": {"/"}}); p.status != http.StatusUnauthorized {
			t.Fatalf("wrong key: %d", p.status)
		}
	}
	p := u.post("/signin", url.Values{"csrf": {u.csrf}, "key": {wrong}, "next": {"/"}})
	if p.status != http.StatusTooManyRequests || p.header.Get("Retry-After") == "" {
		t.Errorf("third wrong key: %d, Retry-After %q; want 429 with it", p.status, p.header.Get("Retry-After"))
	}
	u.get("/signin")
	if p := u.post("/signin", url.Values{"csrf": {u.csrf}, "key": {acmeKey}, "next": {"/"}}); p.status != http.StatusTooManyRequests {
		t.Errorf("the right key from a throttled address: %d, want 429", p.status)
	}
	// The API's Bearer keys share the count.
	req, _ := http.NewRequest("GET", ts.URL+"/v1/reports", nil)
	req.Header.Set("Authorization", "Bearer "+acmeKey)
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("Bearer key from the throttled address: %v %v, want 429", res.StatusCode, err)
	}
	mu.Lock()
	text := logs.String()
	mu.Unlock()
	if !strings.Contains(text, `"msg":"web: sign-in refused","client":"127.0.0.1"`) {
		t.Errorf("the refusal's log line lacks the client address:\n%s", text)
	}
	if strings.Contains(text, "wrong-key") || strings.Contains(text, acmeKey) {
		t.Errorf("a key reached the log:\n%s", text)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
