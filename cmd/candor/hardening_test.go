package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/internal/testkit"
)

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]*)"`)

// webSignIn signs a browser in to the pages at base with key and returns
// its session cookie.
func webSignIn(t *testing.T, base, key string) *http.Cookie {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(base + "/signin")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfField.FindSubmatch(b)
	if m == nil {
		t.Fatalf("sign-in page without a form: %d", res.StatusCode)
	}
	res, err = c.PostForm(base+"/signin", url.Values{"csrf": {string(m[1])}, "key": {key}, "next": {"/reports"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/reports" {
		t.Fatalf("sign in: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	for _, ck := range jar.Cookies(mustParse(t, base)) {
		if ck.Name == "candor_session" {
			return ck
		}
	}
	t.Fatal("no session cookie")
	return nil
}

func mustParse(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// pageWith GETs path with only cookie and returns the status and Location.
func pageWith(t *testing.T, base, path string, cookie *http.Cookie) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+path, nil)
	req.AddCookie(&http.Cookie{Name: cookie.Name, Value: cookie.Value})
	res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode, res.Header.Get("Location")
}

// TestServeRemovedKeyEndsWebSessions is issue 18's row 2 as it was found:
// signed in as acme, `candor serve` restarted (same Redis, same web
// secret) without acme's key: acme's Bearer key gets 401 and its cookie
// the sign-in page; the other tenant's session goes on.
func TestServeRemovedKeyEndsWebSessions(t *testing.T) {
	rs := testkit.StartRedis(t)
	env := map[string]string{"REDIS_URL": rs.URL(), "CANDOR_REDIS_PREFIX": "sess",
		"CANDOR_WEB_SECRET": "a-web-secret-0123456789abcdef0123",
		"CANDOR_API_KEYS":   "acme:" + e2eKey + ",other:" + otherKey}
	p := start(t, env, "serve", "--addr", "127.0.0.1:0")
	acme, other := webSignIn(t, p.url, e2eKey), webSignIn(t, p.url, otherKey)
	if st, _ := pageWith(t, p.url, "/reports", acme); st != http.StatusOK {
		t.Fatalf("acme's session before the restart: %d", st)
	}
	if err := p.stop(); err != nil {
		t.Fatal(err)
	}

	env["CANDOR_API_KEYS"] = "other:" + otherKey
	p = start(t, env, "serve", "--addr", "127.0.0.1:0")
	if r := call(t, "GET", p.url+"/v1/reports", e2eKey, "", nil); r.status != http.StatusUnauthorized {
		t.Errorf("removed Bearer key: %d, want 401", r.status)
	}
	if st, loc := pageWith(t, p.url, "/reports", acme); st != http.StatusSeeOther || !strings.HasPrefix(loc, "/signin") {
		t.Errorf("removed key's web session: %d to %q, want 303 to the sign-in page", st, loc)
	}
	if st, _ := pageWith(t, p.url, "/reports", other); st != http.StatusOK {
		t.Errorf("the other tenant's session: %d, want 200", st)
	}
	if !strings.Contains(p.stderr.String(), `"tenants":"acme"`) {
		t.Errorf("start-up does not say which tenants' sessions ended:\n%s", p.stderr.String())
	}
}

// TestServeWebhookSecrets (row 5): one webhook secret for every tenant is
// refused when there are keys (any tenant's receiver could forge another's
// events); per-tenant secrets are read and checked without echoing them.
func TestServeWebhookSecrets(t *testing.T) {
	keys := "acme:" + e2eKey + ",other:" + otherKey
	for _, tc := range []struct {
		name string
		env  map[string]string
		msg  string
	}{
		{"one secret for every tenant", map[string]string{"CANDOR_API_KEYS": keys, "CANDOR_WEBHOOK_SECRET": "one-secret-0123456789"}, "CANDOR_WEBHOOK_SECRETS=tenant:secret"},
		{"a short secret", map[string]string{"CANDOR_API_KEYS": keys, "CANDOR_WEBHOOK_SECRETS": "acme:short-one"}, `the secret of tenant "acme" is shorter`},
		{"one secret shared", map[string]string{"CANDOR_API_KEYS": keys, "CANDOR_WEBHOOK_SECRETS": "acme:shared-0123456789abc,other:shared-0123456789abc"}, "each tenant needs its own"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0"}, func(k string) string { return tc.env[k] },
				strings.NewReader(""), io.Discard, &stderr)
			if code := exitCode(err, &stderr); code != 2 || !strings.Contains(stderr.String(), tc.msg) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr.String(), tc.msg)
			}
			if strings.Contains(stderr.String(), "0123456789") {
				t.Errorf("the error quotes a secret: %q", stderr.String())
			}
		})
	}
}

// TestServeReadDeadline (row 8): a client that sends its headers and then
// trickles (here: stops sending) its body has its connection closed once
// --read-timeout has passed, instead of holding it for as long as it likes.
func TestServeReadDeadline(t *testing.T) {
	p := start(t, map[string]string{"CANDOR_API_KEYS": "acme:" + e2eKey}, "serve", "--addr", "127.0.0.1:0", "--read-timeout", "300ms")
	conn, err := net.Dial("tcp", strings.TrimPrefix(p.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "POST /signin HTTP/1.1\r\nHost: candor\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nk"); err != nil {
		t.Fatal(err)
	}
	// A guard, not a measurement: the server must end the connection on
	// its own long before it.
	_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	_, err = io.ReadAll(conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatal("the server kept a stalled upload's connection open")
	}
}

// TestServeRequestDeadline (row 8): the server reads a whole request within
// --read-timeout, answers within --request-timeout (its handlers' context
// carries that deadline), and closes a connection whose answer overruns it.
func TestServeRequestDeadline(t *testing.T) {
	f := &serverFlags{readTimeout: 30 * time.Second, requestTimeout: 2 * time.Minute}
	var got time.Time
	hs := newHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = r.Context().Deadline()
	}), f, slog.New(slog.DiscardHandler))
	if hs.ReadTimeout != 30*time.Second || hs.ReadHeaderTimeout != 10*time.Second || hs.WriteTimeout < 2*time.Minute {
		t.Errorf("server timeouts: read %v, header %v, write %v", hs.ReadTimeout, hs.ReadHeaderTimeout, hs.WriteTimeout)
	}
	before := time.Now()
	hs.Handler.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if got.IsZero() || got.Before(before.Add(2*time.Minute)) || got.After(time.Now().Add(2*time.Minute)) {
		t.Errorf("the handler's deadline %v, want two minutes after the request came", got)
	}
	// Zero: no deadlines (the flags' documented meaning).
	hs = newHTTPServer(http.NotFoundHandler(), &serverFlags{}, slog.New(slog.DiscardHandler))
	if hs.ReadTimeout != 0 || hs.WriteTimeout != 0 || hs.ReadHeaderTimeout != 10*time.Second {
		t.Errorf("zero timeouts: read %v, write %v, header %v", hs.ReadTimeout, hs.WriteTimeout, hs.ReadHeaderTimeout)
	}
}
