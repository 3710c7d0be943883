package faults

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/candorhq/candor/internal/testkit"
)

// TestSIGTERMUnderLoad: `candor serve` gets SIGTERM while synchronous
// analyses are in flight, more keep coming, and jobs are queued for
// workers that have not started yet. The requests in flight complete with
// their reports, no request gets a 5xx, serve exits 0, and a worker
// started afterwards finishes every queued job.
//
// Three of the requests in flight use the llm engine with a model server
// that holds their calls, so the test knows they are mid-request when the
// signal comes; the rest is a steady heuristic load.
func TestSIGTERMUnderLoad(t *testing.T) {
	skipShort(t)
	rs := testkit.StartRedis(t)
	llm := newFakeLLM(t, nil)
	env := map[string]string{
		"REDIS_URL": rs.URL(), "CANDOR_API_KEYS": tenant + ":" + apiKey, "CANDOR_REDIS_PREFIX": "term",
		"CANDOR_RATE_LIMIT": "0", "OPENAI_BASE_URL": llm.URL + "/v1", "CANDOR_LLM_RETRIES": "0",
		"CANDOR_SHUTDOWN_TIMEOUT": "30s",
	}
	api := startCandor(t, "serve", env, "serve", "--addr", "127.0.0.1:0", "--workers", "0")

	// The image's HEALTHCHECK, against the real process.
	hc := exec.Command(candorBin, "healthcheck", "--url", api.url+"/healthz")
	if out, err := hc.CombinedOutput(); err != nil {
		t.Fatalf("candor healthcheck while serving: %v: %s", err, out)
	}

	const queued = 20
	var jobs []string
	for i := range queued {
		jobs = append(jobs, submitJob(t, api.url, analysisBody(4000+i, "", 1, "")))
	}

	// Three llm analyses held in their model calls.
	llm.closeGate()
	type held struct {
		r   response
		err error
	}
	heldDone := make(chan held, 3)
	for i := range 3 {
		go func() {
			r, err := do(context.Background(), "POST", api.url+"/v1/analyses", analysisBody(5000+i, "llm", 1, ""))
			heldDone <- held{r, err}
		}()
	}
	waitUntil(t, 20*time.Second, "3 analyses in their model calls", func() bool { return llm.waiting() == 3 })

	// A steady heuristic load, from four loops, each request with an id
	// that the server logs once it has handled the request.
	var (
		seq               atomic.Int64
		okBefore, okAfter atomic.Int64
		inFlight          atomic.Int64 // sent before SIGTERM, answered after
		refused           atomic.Int64
		termAt            atomic.Int64 // unix nanoseconds of SIGTERM, 0 before
		mu                sync.Mutex
		failures          []string
		errored           = map[string]error{} // request id -> transport error
		wg                sync.WaitGroup
		loadCtx, stopLoad = context.WithCancel(context.Background())
		beforeTerm        = func(t time.Time) bool { at := termAt.Load(); return at == 0 || t.UnixNano() < at }
		failf             = func(format string, a ...any) {
			mu.Lock()
			failures = append(failures, fmt.Sprintf(format, a...))
			mu.Unlock()
		}
	)
	defer stopLoad()
	for range 4 {
		wg.Go(func() {
			for loadCtx.Err() == nil {
				i := int(seq.Add(1))
				id := fmt.Sprintf("load-%d", i)
				t0 := time.Now()
				r, err := doWithID(loadCtx, "POST", api.url+"/v1/analyses", analysisBody(6000+i, "", 1, ""), id)
				if loadCtx.Err() != nil {
					return
				}
				var rep report
				switch {
				case err != nil && isRefused(err):
					// The listener is closed: this loop is done.
					refused.Add(1)
					return
				case err != nil:
					// Judged below, from the server's logs.
					mu.Lock()
					errored[id] = err
					mu.Unlock()
				case r.status != http.StatusOK:
					failf("request %s: status %d: %.200s", id, r.status, r.body)
				case json.Unmarshal(r.body, &rep) != nil || rep.ID == "":
					failf("request %s: 200 without a whole report: %.200s", id, r.body)
				case beforeTerm(t0) && !beforeTerm(time.Now()):
					inFlight.Add(1)
				case beforeTerm(t0):
					okBefore.Add(1)
				default:
					okAfter.Add(1)
				}
			}
		})
	}
	waitUntil(t, 20*time.Second, "load before SIGTERM", func() bool { return okBefore.Load() >= 20 })

	termAt.Store(time.Now().UnixNano())
	api.terminate(t)
	// The listener closes: new connections are refused, while the held
	// requests keep the process alive.
	waitUntil(t, 10*time.Second, "new connections refused", func() bool {
		_, err := http.Get(api.url + "/healthz")
		return err != nil
	})
	if api.exited() {
		t.Fatal("serve exited with requests in flight")
	}
	waitUntil(t, 10*time.Second, "the load to see refusals", func() bool { return refused.Load() > 0 })
	hc = exec.Command(candorBin, "healthcheck", "--url", api.url+"/healthz", "--timeout", "2s")
	if err := hc.Run(); err == nil {
		t.Error("candor healthcheck succeeds against a server that stopped listening")
	}
	llm.openGate()
	for range 3 {
		h := <-heldDone
		var rep report
		if h.err != nil || h.r.status != 200 || json.Unmarshal(h.r.body, &rep) != nil || len(rep.Answers) != 1 || rep.Answers[0].Engine != "llm" {
			t.Errorf("request in flight at SIGTERM: %v %d %.300s", h.err, h.r.status, h.r.body)
		}
	}
	select {
	case <-api.done:
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not exit within 20s of its last request")
	}
	stopLoad()
	wg.Wait()
	if api.err != nil {
		t.Errorf("serve exited with %v, want status 0", api.err)
	}
	if !strings.Contains(api.logs.String(), `"msg":"stopped"`) {
		t.Error(`serve's logs lack "stopped"`)
	}
	// A request that failed at the transport either reached the server,
	// which logged it (then the server dropped it: a failure), or sat in
	// the kernel's accept queue when the listener closed and never reached
	// it (an orchestrator stops routing to a draining replica before
	// SIGTERM; see the README's runbook).
	logs := api.logs.String()
	if !strings.Contains(logs, `"request_id":"load-1"`) {
		t.Error("serve's logs lack the load's request ids: transport errors cannot be judged")
	}
	dropped := 0
	mu.Lock()
	for id, err := range errored {
		if strings.Contains(logs, `"request_id":"`+id+`"`) {
			failures = append(failures, fmt.Sprintf("request %s was handled by serve but its answer was lost: %v", id, err))
		} else {
			dropped++
		}
	}
	for _, f := range failures {
		t.Error(f)
	}
	mu.Unlock()

	// The queued jobs outlived serve, in Redis: a worker finishes them,
	// and a new serve finds their reports.
	startCandor(t, "worker", env, "worker", "--addr", "127.0.0.1:0", "--workers", "2")
	api2 := startCandor(t, "serve-2", env, "serve", "--addr", "127.0.0.1:0", "--workers", "0")
	status := waitJobs(t, api2.url, jobs, 30*time.Second)
	for id, st := range status {
		if r := mustDo(t, "GET", api2.url+"/v1/reports/"+st.ReportID, nil); r.status != 200 {
			t.Errorf("job %s's report: %d", id, r.status)
		}
	}
	t.Logf("figures: %d load requests answered before SIGTERM; in flight at SIGTERM and completed: 3 held + %d; %d sent after it answered, %d refused, %d dropped from the accept queue unseen; %d failed; %d/%d queued jobs finished by a later worker",
		okBefore.Load(), inFlight.Load(), okAfter.Load(), refused.Load(), dropped, len(failures), len(status), queued)
	assertNoSecrets(t, api, apiKey, secretPhrase)
}
