package faults

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/candorhq/candor/internal/testkit"
)

// Answers carrying these markers always fail at the model server, so that
// some fallbacks are certain whatever the bursts do.
const (
	marker429 = " Marker-always-429."
	marker500 = " Marker-always-500."
)

// llmResult is one synchronous analysis with the llm engine.
type llmResult struct {
	i       int
	marker  string
	elapsed time.Duration
	rep     report
	err     string
}

// runLLMAnalyses sends n synchronous llm analyses of two answers each,
// conc at a time, and returns what came back.
func runLLMAnalyses(t *testing.T, base string, n, conc int, marker func(i int) string) []llmResult {
	t.Helper()
	out := make([]llmResult, n)
	sem := make(chan struct{}, conc)
	var wg sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			res := llmResult{i: i, marker: marker(i)}
			t0 := time.Now()
			r, err := do(context.Background(), "POST", base+"/v1/analyses", analysisBody(2000+i, "llm", 2, res.marker))
			res.elapsed = time.Since(t0)
			switch {
			case err != nil:
				res.err = err.Error()
			case r.status != http.StatusOK:
				res.err = fmt.Sprintf("status %d: %.200s", r.status, r.body)
			case json.Unmarshal(r.body, &res.rep) != nil || len(res.rep.Answers) != 2:
				res.err = fmt.Sprintf("200 without a whole report: %.200s", r.body)
			}
			out[i] = res
		})
	}
	wg.Wait()
	return out
}

// fallbacks counts a report's answers that fell back, with their messages.
func fallbacks(r report) (n int, msgs []string) {
	for _, a := range r.Answers {
		for _, w := range a.Warnings {
			if w.Code == "llm_fallback" {
				n++
				msgs = append(msgs, w.Message)
			}
		}
	}
	return n, msgs
}

// TestLLMFailsInBursts: the model server answers 429 and 500 in bursts
// (and always for some answers). Every analysis completes with 200; each
// answer is the model's or the embedded engine's with an llm_fallback
// warning saying why, and /metrics counts exactly those fallbacks.
func TestLLMFailsInBursts(t *testing.T) {
	skipShort(t)
	t.Parallel()
	llm := newFakeLLM(t, func(f *fakeLLM) {
		f.script = func(n int, body string) int {
			switch {
			case strings.Contains(body, strings.TrimSpace(marker429)):
				return http.StatusTooManyRequests
			case strings.Contains(body, strings.TrimSpace(marker500)):
				return http.StatusInternalServerError
			}
			// Bursts of six: 429s, then 500s, then twelve answers.
			switch (n / 6) % 4 {
			case 0:
				return http.StatusTooManyRequests
			case 1:
				return http.StatusInternalServerError
			}
			return 0
		}
	})
	rs := testkit.StartRedis(t)
	const timeout, retries = 2 * time.Second, 2
	env := map[string]string{
		"REDIS_URL": rs.URL(), "CANDOR_API_KEYS": tenant + ":" + apiKey, "CANDOR_REDIS_PREFIX": "bursts",
		"CANDOR_RATE_LIMIT": "0", "OPENAI_BASE_URL": llm.URL + "/v1", "OPENAI_API_KEY": "sk-fault-0123456789",
		"CANDOR_LLM_TIMEOUT": timeout.String(), "CANDOR_LLM_RETRIES": fmt.Sprint(retries),
	}
	api := startCandor(t, "serve", env, "serve", "--addr", "127.0.0.1:0")

	results := runLLMAnalyses(t, api.url, 40, 6, func(i int) string {
		switch i % 10 {
		case 3:
			return marker429
		case 7:
			return marker500
		}
		return ""
	})
	// One answer's worst case: every attempt fails after the call timeout,
	// with the backoffs between them (at most 0.5s, then 1s).
	bound := time.Duration(retries+1)*timeout + 1500*time.Millisecond + 5*time.Second
	total, byModel := 0, 0
	var slowest time.Duration
	for _, r := range results {
		if r.err != "" {
			t.Errorf("analysis %d: %s", r.i, r.err)
			continue
		}
		slowest = max(slowest, r.elapsed)
		if r.elapsed > bound {
			t.Errorf("analysis %d took %s, past its bound of %s", r.i, r.elapsed, bound)
		}
		n, msgs := fallbacks(r.rep)
		total += n
		for _, a := range r.rep.Answers {
			// Analysed by the model: no llm_fallback warning (other
			// warnings, such as story_reused between the two answers, may
			// be there).
			fellBack := false
			for _, w := range a.Warnings {
				fellBack = fellBack || w.Code == "llm_fallback"
			}
			if a.Engine == "llm" && !fellBack {
				byModel++
			}
		}
		for _, m := range msgs {
			if !strings.Contains(m, "embedded engine") || strings.Contains(m, secretPhrase) {
				t.Errorf("analysis %d: fallback message %q", r.i, m)
			}
		}
		switch want := map[string]string{marker429: "rate-limiting", marker500: "kept failing"}[r.marker]; {
		case want == "":
		case n != 2:
			t.Errorf("analysis %d (%q): %d of 2 answers fell back", r.i, r.marker, n)
		case !strings.Contains(strings.Join(msgs, " "), want):
			t.Errorf("analysis %d (%q): fallback says %q, want %q", r.i, r.marker, msgs, want)
		}
	}
	if byModel == 0 {
		t.Error("no answer was analysed by the model")
	}
	if got := metric(t, api.url, "candor_llm_errors_total"); int(got) != total {
		t.Errorf("candor_llm_errors_total = %v; the reports carry %d llm_fallback warnings", got, total)
	}
	t.Logf("figures: %d analyses, 0 failed, %d answers by the model, %d fell back (llm_fallback); slowest %.2fs (bound %s)",
		len(results), byModel, total, slowest.Seconds(), bound)
	assertNoSecrets(t, api, apiKey, secretPhrase, "sk-fault-0123456789")
}

// TestLLMHangs: the model server accepts calls and never answers (nor its
// model list). Analyses, a job and /readyz all come back within their
// deadlines: calls time out, answers fall back, readiness says degraded.
func TestLLMHangs(t *testing.T) {
	skipShort(t)
	t.Parallel()
	llm := newFakeLLM(t, func(f *fakeLLM) { f.hang = true })
	rs := testkit.StartRedis(t)
	const timeout, retries = time.Second, 1
	env := map[string]string{
		"REDIS_URL": rs.URL(), "CANDOR_API_KEYS": tenant + ":" + apiKey, "CANDOR_REDIS_PREFIX": "hang",
		"CANDOR_RATE_LIMIT": "0", "OPENAI_BASE_URL": llm.URL + "/v1",
		"CANDOR_LLM_TIMEOUT": timeout.String(), "CANDOR_LLM_RETRIES": fmt.Sprint(retries),
	}
	api := startCandor(t, "serve", env, "serve", "--addr", "127.0.0.1:0")

	// Readiness probes the model list with a 2s budget.
	t0 := time.Now()
	s, code, err := readiness(api.url)
	if d := time.Since(t0); err != nil || code != 200 || s != "degraded" || d > 4*time.Second {
		t.Errorf("readyz with a hanging model server: %q %d %v after %s; want degraded within 4s", s, code, err, d)
	}

	// A job first, on its own: its two answers time out like the rest.
	job := submitJob(t, api.url, analysisBody(3000, "llm", 2, ""))
	jobAt := time.Now()
	st := waitJobs(t, api.url, []string{job}, 20*time.Second)[job]
	jobTook := time.Since(jobAt)

	// Two answers per analysis, two at a time: four calls, as many as
	// the engine has in flight, so no call waits for a slot.
	results := runLLMAnalyses(t, api.url, 6, 2, func(int) string { return "" })
	bound := time.Duration(retries+1)*timeout + 500*time.Millisecond + 3*time.Second
	var slowest time.Duration
	for _, r := range results {
		if r.err != "" {
			t.Errorf("analysis %d: %s", r.i, r.err)
			continue
		}
		slowest = max(slowest, r.elapsed)
		if r.elapsed > bound {
			t.Errorf("analysis %d took %s, past its bound of %s", r.i, r.elapsed, bound)
		}
		if n, msgs := fallbacks(r.rep); n != 2 || !strings.Contains(msgs[0], "did not answer in time") {
			t.Errorf("analysis %d: %d fallbacks %q; want both answers timed out", r.i, n, msgs)
		}
	}
	r := mustDo(t, "GET", api.url+"/v1/reports/"+st.ReportID, nil)
	var rep report
	if r.status != 200 || json.Unmarshal(r.body, &rep) != nil {
		t.Fatalf("the job's report: %d %.200s", r.status, r.body)
	}
	if n, _ := fallbacks(rep); n != 2 {
		t.Errorf("the job's report has %d fallbacks, want 2", n)
	}
	t.Logf("figures: %d analyses and 1 job against a hanging model, 0 failed; slowest analysis %.2fs (bound %s), job done in %.2fs",
		len(results), slowest.Seconds(), bound, jobTook.Seconds())
	assertNoSecrets(t, api, apiKey, secretPhrase)
}
