package testkit

import (
	"net/http"
	"regexp"
	"testing"
	"time"
)

// listenLine is the log line candor writes once it listens.
var listenLine = regexp.MustCompile(`"msg":"listening","addr":"(http://[^"]+)"`)

// ListenURL waits until logs carry candor's listening line and returns the
// address it names. It fails the test when exited reports that the
// program has stopped (with its error), or after timeout.
func ListenURL(tb testing.TB, name string, logs *SyncBuffer, exited func() (bool, error), timeout time.Duration) string {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if m := listenLine.FindStringSubmatch(logs.String()); m != nil {
			return m[1]
		}
		if gone, err := exited(); gone {
			tb.Fatalf("%s exited: %v\n%s", name, err, logs.String())
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%s did not listen within %s:\n%s", name, timeout, logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// WaitHealthy polls url's /healthz until it answers 200, failing the test
// after timeout.
func WaitHealthy(tb testing.TB, name, url string, logs *SyncBuffer, timeout time.Duration) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		resp, err := http.Get(url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%s: /healthz did not answer 200 within %s (%v):\n%s", name, timeout, err, logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
