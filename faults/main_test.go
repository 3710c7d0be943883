package faults

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/candorhq/candor/internal/testkit"
)

// candorBin is the binary under test, built once by TestMain the way the
// Dockerfile builds it (static, no race detector: the processes are the
// system under test; the test code itself runs under -race).
var candorBin string

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		fmt.Println("faults: skipped in -short mode")
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "candor-faults-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	candorBin = filepath.Join(dir, "candor")
	// go test puts its own GOROOT/bin first on the PATH of the tests it runs.
	goBin, err := exec.LookPath("go")
	if err != nil {
		fmt.Fprintf(os.Stderr, "faults: go is not on PATH: %v\n", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	build := exec.Command(goBin, "build", "-trimpath", "-o", candorBin, "./cmd/candor")
	build.Dir = ".."
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "faults: go build: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// skipShort skips a fault test in -short mode.
func skipShort(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("fault suite: skipped in -short mode")
	}
}

// proc is a running candor process.
type proc struct {
	name string
	cmd  *exec.Cmd
	url  string // http://127.0.0.1:PORT, when it listens
	logs *testkit.SyncBuffer
	done chan struct{}
	err  error // Wait's error, once done is closed
}

// startCandor starts `candor args...` with exactly env (and PATH), waits
// for its listening line and a 200 from /healthz, and kills it when the
// test ends if it is still running. Every listener is on 127.0.0.1 port 0.
func startCandor(t *testing.T, name string, env map[string]string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(candorBin, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "CANDOR_METRICS_TOKEN=" + metricsToken}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	p := &proc{name: name, cmd: cmd, logs: &testkit.SyncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.logs, p.logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.kill(t)
		if t.Failed() {
			t.Logf("%s logs:\n%s", name, tail(p.logs.String(), 4000))
		}
	})
	p.url = testkit.ListenURL(t, name, p.logs, func() (bool, error) {
		if p.exited() {
			return true, p.err
		}
		return false, nil
	}, 20*time.Second)
	testkit.WaitHealthy(t, name, p.url, p.logs, 20*time.Second)
	return p
}

// kill sends SIGKILL (as the OOM killer or a lost node would) and waits
// for the process to be gone.
func (p *proc) kill(t *testing.T) {
	t.Helper()
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Kill()
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		t.Errorf("%s: still running 10s after SIGKILL", p.name)
	}
}

// terminate sends SIGTERM, as `docker stop` and Kubernetes do.
func (p *proc) terminate(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("%s: SIGTERM: %v", p.name, err)
	}
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

// waitUntil polls cond every 20ms until it holds, failing the test after
// timeout.
func waitUntil(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// assertNoSecrets fails the test when a process's logs hold an API key or
// answer text: transcripts are personal data and keys are secrets.
func assertNoSecrets(t *testing.T, p *proc, secrets ...string) {
	t.Helper()
	logs := p.logs.String()
	for _, s := range secrets {
		if strings.Contains(logs, s) {
			t.Errorf("%s's logs contain %q", p.name, s)
		}
	}
}

// The tenant and its key in every test.
const (
	tenant = "acme"
	apiKey = "fault-suite-key-0123456789abcdef"
)

// secretPhrase appears in every answer the tests send and must never be
// logged.
const secretPhrase = "duplicate charge on her card"

// answerText is a distinct, realistic answer: every i gives a different
// analysis, hence a different report.
func answerText(i int, marker string) string {
	return fmt.Sprintf("In March %d a customer called, upset about a refund of $%d that had been stuck for %d days. "+
		"I listened first, then checked the ledger myself, found the %s and paid it back that afternoon; "+
		"she wrote to my manager the next week to thank the team.%s", 2000+i, 100+i, 3+i%20, secretPhrase, marker)
}

// analysisBody is a POST /v1/analyses body with answers to q1 (and q2).
func analysisBody(i int, engine string, answers int, marker string) []byte {
	type ans struct {
		QuestionID string `json:"question_id"`
		Text       string `json:"text"`
	}
	req := struct {
		GuideID   string `json:"guide_id"`
		Engine    string `json:"engine,omitempty"`
		Candidate string `json:"candidate"`
		Answers   []ans  `json:"answers"`
	}{GuideID: "cx-empathy", Engine: engine, Candidate: fmt.Sprintf("Candidate %03d", i)}
	for q := 1; q <= answers; q++ {
		req.Answers = append(req.Answers, ans{fmt.Sprintf("q%d", q), answerText(i*10+q, marker)})
	}
	b, _ := json.Marshal(req)
	return b
}

// client has no keep-alives: every request is a connection of its own, so
// that a refused connection is told apart from a dropped request.
var client = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 60 * time.Second}

type response struct {
	status int
	header http.Header
	body   []byte
}

func do(ctx context.Context, method, url string, body []byte) (response, error) {
	return doWithID(ctx, method, url, body, "")
}

// doWithID sends the request with X-Request-Id id (when set), which the
// server logs with the request once it has handled it.
func doWithID(ctx context.Context, method, url string, body []byte, id string) (response, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return response{}, err
	}
	if id != "" {
		req.Header.Set("X-Request-Id", id)
	}
	req.Header.Set("Authorization", "Bearer "+apiKey)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, b}, err
}

func mustDo(t *testing.T, method, url string, body []byte) response {
	t.Helper()
	r, err := do(context.Background(), method, url, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	return r
}

// report is what the tests read of a report.
type report struct {
	ID        string `json:"id"`
	Candidate string `json:"candidate"`
	Answers   []struct {
		QuestionID string `json:"question_id"`
		Engine     string `json:"engine"`
		Warnings   []struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"warnings"`
	} `json:"answers"`
	Warnings []struct {
		Code string `json:"code"`
	} `json:"warnings"`
}

func (r report) hasWarning(code string) bool {
	for _, w := range r.Warnings {
		if w.Code == code {
			return true
		}
	}
	return false
}

// submitJob queues an analysis and returns its job id.
func submitJob(t *testing.T, base string, body []byte) string {
	t.Helper()
	r := mustDo(t, "POST", base+"/v1/analyses?async=true", body)
	var acc struct {
		JobID string `json:"job_id"`
	}
	if r.status != http.StatusAccepted || json.Unmarshal(r.body, &acc) != nil || acc.JobID == "" {
		t.Fatalf("async analysis: %d %s", r.status, r.body)
	}
	return acc.JobID
}

type jobStatus struct {
	ID       string `json:"id"`
	State    string `json:"state"`
	Attempts int    `json:"attempts"`
	ReportID string `json:"report_id"`
	Error    string `json:"error"`
}

// waitJobs polls the jobs until every one is done, failing on a failed job
// or after timeout, and returns their last status.
func waitJobs(t *testing.T, base string, ids []string, timeout time.Duration) map[string]jobStatus {
	t.Helper()
	out := map[string]jobStatus{}
	deadline := time.Now().Add(timeout)
	for {
		pending := 0
		for _, id := range ids {
			if out[id].State == "done" {
				continue
			}
			r := mustDo(t, "GET", base+"/v1/jobs/"+id, nil)
			var st jobStatus
			if r.status != http.StatusOK || json.Unmarshal(r.body, &st) != nil {
				t.Fatalf("job %s: %d %s", id, r.status, r.body)
			}
			if st.State == "failed" {
				t.Fatalf("job %s failed: %s", id, st.Error)
			}
			out[id] = st
			if st.State != "done" {
				pending++
			}
		}
		if pending == 0 {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d jobs not done after %s", pending, len(ids), timeout)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// listReports returns every report of the tenant, following the cursor.
func listReports(t *testing.T, base string) []report {
	t.Helper()
	var all []report
	cursor := ""
	for range 100 {
		r := mustDo(t, "GET", base+"/v1/reports?limit=37&cursor="+cursor, nil)
		var page struct {
			Reports    []report `json:"reports"`
			NextCursor string   `json:"next_cursor"`
		}
		if r.status != http.StatusOK || json.Unmarshal(r.body, &page) != nil {
			t.Fatalf("list reports: %d %s", r.status, r.body)
		}
		all = append(all, page.Reports...)
		if page.NextCursor == "" {
			return all
		}
		cursor = page.NextCursor
	}
	t.Fatal("list reports: more than 100 pages")
	return nil
}

// readiness is GET /readyz's status ("ready", "degraded", "draining").
func readiness(base string) (string, int, error) {
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		return "", 0, err
	}
	defer resp.Body.Close()
	var r struct {
		Status string `json:"status"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return "", resp.StatusCode, err
	}
	return r.Status, resp.StatusCode, nil
}

// metricsToken opens /metrics on every process the tests start.
const metricsToken = "faults-metrics-token-0123"

// metric returns the value of a sample line of /metrics ("name{labels}").
func metric(t *testing.T, base, sample string) float64 {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+metricsToken)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET /metrics: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, sample+" "); ok {
			var f float64
			if _, err := fmt.Sscan(v, &f); err == nil {
				return f
			}
		}
	}
	t.Fatalf("/metrics has no %s", sample)
	return 0
}

// isRefused says whether err is a connection the server never took.
func isRefused(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED)
}
