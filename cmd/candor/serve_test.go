package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/candorhq/candor/contract"
	"github.com/candorhq/candor/internal/testkit"
)

// program is `candor serve` or `candor worker` running in this process
// through run, as main runs it.
type program struct {
	url    string
	stderr *testkit.SyncBuffer
	stop   func() error
}

// start runs candor with args and env, waits for its listening line when
// it serves, polls /healthz, and stops it at the end of the test.
func start(t *testing.T, env map[string]string, args ...string) *program {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	p := &program{stderr: &testkit.SyncBuffer{}}
	done := make(chan error, 1)
	getenv := func(k string) string { return env[k] }
	go func() { done <- run(ctx, args, getenv, strings.NewReader(""), io.Discard, p.stderr) }()
	var once sync.Once
	var runErr error
	p.stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case runErr = <-done:
			case <-time.After(30 * time.Second):
				runErr = errors.New("did not stop within 30s")
			}
		})
		return runErr
	}
	t.Cleanup(func() {
		if err := p.stop(); err != nil {
			t.Errorf("candor %s: %v\n%s", args[0], err, p.stderr.String())
		}
	})
	name := "candor " + args[0]
	p.url = testkit.ListenURL(t, name, p.stderr, func() (bool, error) {
		select {
		case err := <-done:
			return true, err
		default:
			return false, nil
		}
	}, 15*time.Second)
	testkit.WaitHealthy(t, name, p.url, p.stderr, 15*time.Second)
	return p
}

type httpResult struct {
	status int
	header http.Header
	body   []byte
}

func call(t *testing.T, method, url, key, ctype string, body []byte) httpResult {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return httpResult{resp.StatusCode, resp.Header, b}
}

const (
	e2eKey   = "e2e-key-0123456789abcdef"
	otherKey = "other-key-0123456789abcdef"
)

func e2eTranscripts(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, dir := range []string{evalDir, filepath.Join("..", "..", "..", "shared", "eval", "dev", "transcripts")} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Logf("skipping %s: %v", dir, err)
			continue
		}
		for _, en := range entries {
			if !strings.HasSuffix(en.Name(), ".gold.json") {
				files = append(files, filepath.Join(dir, en.Name()))
			}
		}
	}
	return files
}

func TestServeEndToEnd(t *testing.T) {
	rs := testkit.StartRedis(t)
	env := map[string]string{"REDIS_URL": rs.URL(), "CANDOR_API_KEYS": "acme:" + e2eKey + ",other:" + otherKey,
		"CANDOR_REDIS_PREFIX": "e2e"}
	p := start(t, env, "serve", "--addr", "127.0.0.1:0")

	files := e2eTranscripts(t)
	if len(files) == 0 {
		t.Skip("no transcripts")
	}
	var reportID string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ctype := "text/plain"
		switch filepath.Ext(f) {
		case ".vtt":
			ctype = "text/vtt"
		case ".srt":
			ctype = "application/x-subrip"
		}
		r := call(t, "POST", p.url+"/v1/analyses?guide_id=cx-empathy", e2eKey, ctype, data)
		if r.status != 200 || r.header.Get("X-Cache") != "miss" {
			t.Fatalf("%s: %d X-Cache %q: %.300s", f, r.status, r.header.Get("X-Cache"), r.body)
		}
		if err := contract.Validate(r.body); err != nil {
			t.Errorf("%s: report breaks the contract: %v", f, err)
		}
		var rep struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(r.body, &rep)
		reportID = rep.ID
	}
	if r := call(t, "GET", p.url+"/v1/reports/"+reportID, e2eKey, "", nil); r.status != 200 {
		t.Errorf("GET report: %d", r.status)
	}
	if r := call(t, "GET", p.url+"/v1/reports/"+reportID, otherKey, "", nil); r.status != 404 {
		t.Errorf("another tenant's GET: %d, want 404", r.status)
	}
	if r := call(t, "GET", p.url+"/v1/reports", "", "", nil); r.status != 401 {
		t.Errorf("no key: %d, want 401", r.status)
	}

	// An async job to completion.
	body := []byte(`{"guide_id":"cx-empathy","answers":[{"question_id":"q1","text":"Last March a customer called, angry about a lost parcel; I listened, found it at the depot and drove it over that evening."}]}`)
	r := call(t, "POST", p.url+"/v1/analyses?async=true", e2eKey, "application/json", body)
	if r.status != 202 {
		t.Fatalf("async: %d %s", r.status, r.body)
	}
	loc := r.header.Get("Location")
	waitJob(t, p.url+loc, e2eKey, "done")

	if err := p.stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	logs := p.stderr.String()
	for _, s := range []string{`"msg":"stopped"`, `"route":"/v1/analyses"`, `"tenant":"acme"`, `"request_id":`} {
		if !strings.Contains(logs, s) {
			t.Errorf("logs lack %s", s)
		}
	}
	// Keys and transcript text never reach the logs.
	for _, secret := range []string{e2eKey, otherKey, "lost parcel", "Hannah"} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain %q", secret)
		}
	}
}

// waitJob polls a job until it is in state.
func waitJob(t *testing.T, url, key, state string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		r := call(t, "GET", url, key, "", nil)
		var job struct {
			State string `json:"state"`
		}
		_ = json.Unmarshal(r.body, &job)
		if job.State == state {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s: %d %s, want state %s", url, r.status, r.body, state)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// TestWorkerScaleOut: serve with no workers queues jobs; they survive its
// shutdown in Redis, and `candor worker` processes on the same Redis run
// them.
func TestWorkerScaleOut(t *testing.T) {
	rs := testkit.StartRedis(t)
	env := map[string]string{"REDIS_URL": rs.URL(), "CANDOR_API_KEYS": "acme:" + e2eKey, "CANDOR_REDIS_PREFIX": "scale",
		"CANDOR_METRICS_TOKEN": "metrics-token-0123456789"}
	p := start(t, env, "serve", "--addr", "127.0.0.1:0", "--workers", "0")
	var jobs []string
	for i := range 4 {
		body := fmt.Appendf(nil, `{"guide_id":"cx-empathy","answers":[{"question_id":"q1","text":"Answer %d: a customer called, upset; I listened and fixed the bill that week."}]}`, i)
		r := call(t, "POST", p.url+"/v1/analyses?async=true", e2eKey, "application/json", body)
		if r.status != 202 {
			t.Fatalf("async: %d %s", r.status, r.body)
		}
		jobs = append(jobs, r.header.Get("Location"))
	}
	waitJob(t, p.url+jobs[0], e2eKey, "queued")

	w1 := start(t, env, "worker", "--addr", "127.0.0.1:0", "--workers", "1")
	w2 := start(t, env, "worker", "--workers", "2", "--addr", "127.0.0.1:0")
	for _, j := range jobs {
		waitJob(t, p.url+j, e2eKey, "done")
	}
	// A worker serves only its operational routes.
	if r := call(t, "GET", w1.url+"/metrics", "metrics-token-0123456789", "", nil); r.status != 200 || !bytes.Contains(r.body, []byte("candor_jobs_total")) {
		t.Errorf("worker /metrics: %d", r.status)
	}
	if r := call(t, "POST", w2.url+"/v1/analyses", e2eKey, "application/json", []byte(`{}`)); r.status != 404 {
		t.Errorf("worker took an API call: %d", r.status)
	}
}

func TestServeStartupChecks(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		code int
		msg  string
	}{
		{"no keys on a public address", nil, []string{"serve", "--addr", "0.0.0.0:0"}, 2, "CANDOR_API_KEYS"},
		{"bad keys", map[string]string{"CANDOR_API_KEYS": "acme"}, []string{"serve", "--addr", "127.0.0.1:0"}, 2, "tenant:key"},
		{"bad redis url", map[string]string{"REDIS_URL": "mysql://x"}, []string{"serve", "--addr", "127.0.0.1:0"}, 2, "REDIS_URL"},
		{"worker without redis", nil, []string{"worker"}, 2, "REDIS_URL"},
		{"stray argument", nil, []string{"serve", "extra"}, 2, "unexpected argument"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			err := run(context.Background(), tc.args, func(k string) string { return tc.env[k] }, strings.NewReader(""), io.Discard, &stderr)
			code := exitCode(err, &stderr)
			if code != tc.code || !strings.Contains(stderr.String(), tc.msg) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr.String(), tc.code, tc.msg)
			}
		})
	}
}

func TestServeInMemory(t *testing.T) {
	p := start(t, nil, "serve", "--addr", "127.0.0.1:0")
	if !strings.Contains(p.stderr.String(), "in-memory store") {
		t.Errorf("start-up does not say it runs in memory:\n%s", p.stderr.String())
	}
	r := call(t, "GET", p.url+"/readyz", "", "", nil)
	if r.status != 200 || !bytes.Contains(r.body, []byte(`"redis":{"status":"disabled"`)) {
		t.Errorf("readyz: %d %s", r.status, r.body)
	}
	// No keys: the local tenant, on loopback.
	body := []byte(`{"guide_id":"cx-empathy","answers":[{"question_id":"q1","text":"A customer shouted at me about a refund; I listened, apologised and sent it the same day."}]}`)
	if r := call(t, "POST", p.url+"/v1/analyses", "", "application/json", body); r.status != 200 {
		t.Errorf("analysis: %d %s", r.status, r.body)
	}
	r = call(t, "POST", p.url+"/v1/analyses?async=true", "", "application/json", body)
	if r.status != 202 {
		t.Fatalf("async: %d", r.status)
	}
	waitJob(t, p.url+r.header.Get("Location"), "", "done")
}

// TestGracefulShutdown: a request in flight when the stop signal comes
// finishes with its answer; the server takes no new connections meanwhile
// and run returns nil. The request is slow because its LLM call is held
// by a local OpenAI-compatible server until the test lets it fail (the
// engine then falls back to the embedded engine).
func TestGracefulShutdown(t *testing.T) {
	called := make(chan struct{}, 1)
	release := make(chan struct{})
	llm := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/models") {
			_, _ = io.WriteString(w, `{"object":"list","data":[]}`)
			return
		}
		select {
		case called <- struct{}{}:
		default:
		}
		<-release
		http.Error(w, `{"error":{"message":"overloaded"}}`, http.StatusInternalServerError)
	}))
	defer llm.Close()
	defer close(release)
	env := map[string]string{"OPENAI_BASE_URL": llm.URL + "/v1", "OPENAI_API_KEY": "sk-test-0123456789",
		"CANDOR_LLM_RETRIES": "0"}
	p := start(t, env, "serve", "--addr", "127.0.0.1:0")
	if r := call(t, "GET", p.url+"/readyz", "", "", nil); !bytes.Contains(r.body, []byte(`"llm":{"status":"ok"}`)) {
		t.Errorf("readyz with the LLM up: %s", r.body)
	}

	type answer struct {
		r   httpResult
		err error
	}
	got := make(chan answer, 1)
	go func() {
		body := []byte(`{"guide_id":"cx-empathy","engine":"llm","answers":[{"question_id":"q1","text":"A customer called about a late refund; I listened, checked the ledger and paid it that afternoon."}]}`)
		resp, err := http.Post(p.url+"/v1/analyses", "application/json", bytes.NewReader(body))
		if err != nil {
			got <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- answer{httpResult{resp.StatusCode, resp.Header, b}, err}
	}()
	select {
	case <-called:
	case <-time.After(20 * time.Second):
		t.Fatal("the analysis never called the LLM")
	}
	stopped := make(chan error, 1)
	go func() { stopped <- p.stop() }()
	// Shutdown closes the listener first: poll until new connections fail.
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(p.url + "/healthz")
		if err != nil {
			break
		}
		resp.Body.Close()
		if time.Now().After(deadline) {
			t.Fatal("the server still takes connections while shutting down")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case <-stopped:
		t.Fatal("run returned with a request in flight")
	default:
	}
	release <- struct{}{}
	a := <-got
	if a.err != nil || a.r.status != 200 || !bytes.Contains(a.r.body, []byte(`"llm_fallback"`)) {
		t.Fatalf("in-flight request: %v %d %.300s", a.err, a.r.status, a.r.body)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("run: %v", err)
	}
	if logs := p.stderr.String(); strings.Contains(logs, "sk-test-0123456789") {
		t.Error("the LLM key reached the logs")
	}
}

func TestLogWriter(t *testing.T) {
	out := &testkit.SyncBuffer{}
	lw := newLogWriter(out, 10*time.Millisecond)
	_, _ = lw.Write([]byte("one\n"))
	deadline := time.Now().Add(5 * time.Second)
	for out.String() != "one\n" {
		if time.Now().After(deadline) {
			t.Fatalf("the line was not flushed: %q", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	lw2 := newLogWriter(out, time.Hour)
	_, _ = lw2.Write([]byte("two\n"))
	if err := lw2.Close(); err != nil || out.String() != "one\ntwo\n" {
		t.Fatalf("Close: %v, %q", err, out.String())
	}
	if err := lw2.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	_ = lw.Close()
}

// TestDrainDelay: after the stop signal, /readyz says draining (503)
// while requests are still taken, for the drain delay.
func TestDrainDelay(t *testing.T) {
	p := start(t, nil, "serve", "--addr", "127.0.0.1:0", "--drain-delay", "2s")
	stopped := make(chan error, 1)
	go func() { stopped <- p.stop() }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		r := call(t, "GET", p.url+"/readyz", "", "", nil)
		if r.status == 503 && bytes.Contains(r.body, []byte(`"status":"draining"`)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("readyz never said draining: %d %s", r.status, r.body)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if r := call(t, "GET", p.url+"/healthz", "", "", nil); r.status != 200 {
		t.Errorf("healthz while draining: %d", r.status)
	}
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
}
