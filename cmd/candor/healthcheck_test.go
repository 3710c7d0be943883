package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHealthcheck(t *testing.T) {
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		_, _ = io.WriteString(w, `{"status":"ok"}`)
	}))
	defer ok.Close()
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "draining", http.StatusServiceUnavailable)
	}))
	defer failing.Close()
	// A port nothing listens on: bind one, then free it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/healthz"
	ln.Close()
	_, okPort, _ := net.SplitHostPort(strings.TrimPrefix(ok.URL, "http://"))

	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		code int
		out  string // in stdout (code 0) or stderr
	}{
		{"healthy", nil, []string{"--url", ok.URL + "/healthz"}, 0, "answered 200"},
		{"port from CANDOR_ADDR", map[string]string{"CANDOR_ADDR": "0.0.0.0:" + okPort}, nil, 0, "127.0.0.1:" + okPort},
		{"url from the environment", map[string]string{"CANDOR_HEALTHCHECK_URL": ok.URL + "/healthz"}, nil, 0, "answered 200"},
		{"not 200", nil, []string{"--url", failing.URL + "/healthz"}, 1, "answered 503"},
		{"wrong path", nil, []string{"--url", ok.URL + "/nope"}, 1, "answered 404"},
		{"nothing listening", nil, []string{"--url", closed}, 1, "does not answer"},
		{"not a URL", nil, []string{"--url", "127.0.0.1:8080"}, 2, "absolute http"},
		{"bad timeout", nil, []string{"--url", ok.URL, "--timeout", "0s"}, 2, `--timeout "0s": must be more than 0`},
		{"bad timeout from the environment", map[string]string{"CANDOR_HEALTHCHECK_TIMEOUT": "3"}, []string{"--url", ok.URL}, 2, `CANDOR_HEALTHCHECK_TIMEOUT="3": not a duration`},
		{"stray argument", nil, []string{"extra"}, 2, "unexpected argument"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			err := run(context.Background(), append([]string{"healthcheck"}, tc.args...), func(k string) string { return tc.env[k] },
				strings.NewReader(""), &stdout, &stderr)
			code := exitCode(err, &stderr)
			got := stderr.String()
			if code == 0 {
				got = stdout.String()
			}
			if code != tc.code || !strings.Contains(got, tc.out) {
				t.Errorf("exit %d, output %q; want %d and %q", code, got, tc.code, tc.out)
			}
		})
	}
}

func TestHealthURL(t *testing.T) {
	for addr, want := range map[string]string{
		"":               "http://127.0.0.1:8080/healthz",
		"0.0.0.0:9090":   "http://127.0.0.1:9090/healthz",
		":8081":          "http://127.0.0.1:8081/healthz",
		"[::]:8082":      "http://127.0.0.1:8082/healthz",
		"localhost:8083": "http://127.0.0.1:8083/healthz",
		"10.0.0.5:8084":  "http://10.0.0.5:8084/healthz",
		"[::1]:8085":     "http://[::1]:8085/healthz",
		"127.0.0.1:0":    "http://127.0.0.1:8080/healthz",
		"garbage":        "http://127.0.0.1:8080/healthz",
	} {
		if got := healthURL(addr); got != want {
			t.Errorf("healthURL(%q) = %q, want %q", addr, got, want)
		}
	}
}
