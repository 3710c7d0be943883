package faults

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/candorhq/candor/internal/testkit"
)

// TestWorkerKilledMidJob: two `candor worker` processes share a queue of
// 100 analyses that `candor serve --workers 0` filled. One is killed with
// SIGKILL while each of its workers holds a job; the other finishes
// everything, the killed worker's jobs once they have been idle for 30s.
// Every job ends with its report, and the tenant has exactly 100 reports:
// none lost, none stored twice.
//
// The jobs use the llm engine so that the test knows when every worker is
// mid-job: the model server holds their calls until the kill.
func TestWorkerKilledMidJob(t *testing.T) {
	skipShort(t)
	t.Parallel()
	const jobs = 100
	rs := testkit.StartRedis(t)
	llm := newFakeLLM(t, nil)
	llm.closeGate()
	env := map[string]string{
		"REDIS_URL": rs.URL(), "CANDOR_API_KEYS": tenant + ":" + apiKey, "CANDOR_REDIS_PREFIX": "kill",
		"CANDOR_RATE_LIMIT": "0", "OPENAI_BASE_URL": llm.URL + "/v1", "CANDOR_LLM_RETRIES": "0",
		"CANDOR_LOG_LEVEL": "info",
	}
	api := startCandor(t, "serve", env, "serve", "--addr", "127.0.0.1:0", "--workers", "0")
	victim := startCandor(t, "worker-1", env, "worker", "--addr", "127.0.0.1:0", "--workers", "2")
	survivor := startCandor(t, "worker-2", env, "worker", "--addr", "127.0.0.1:0", "--workers", "2")

	var ids []string
	for i := range jobs {
		ids = append(ids, submitJob(t, api.url, analysisBody(i, "llm", 1, "")))
	}
	// Each worker process runs two jobs, each held in its model call.
	waitUntil(t, 20*time.Second, "4 jobs in their model calls", func() bool { return llm.waiting() == 4 })
	victim.kill(t)
	killedAt := time.Now()
	llm.openGate()

	status := waitJobs(t, api.url, ids, 50*time.Second)
	t.Logf("all %d jobs done %.1fs after the kill", jobs, time.Since(killedAt).Seconds())

	// The kill landed mid-job: the victim's two jobs ran again.
	rerun := 0
	byReport := map[string]string{}
	for _, id := range ids {
		st := status[id]
		if st.ReportID == "" {
			t.Errorf("job %s is done without a report", id)
		}
		if other, dup := byReport[st.ReportID]; dup {
			t.Errorf("jobs %s and %s share report %s", other, id, st.ReportID)
		}
		byReport[st.ReportID] = id
		if st.Attempts > 1 {
			rerun++
		}
	}
	if rerun != 2 {
		t.Errorf("%d jobs ran more than once; want the 2 the killed worker held", rerun)
	}

	// Exactly one report per job: none missing, none twice, no strays.
	reports := listReports(t, api.url)
	perCandidate := map[string]int{}
	seen := map[string]int{}
	for _, r := range reports {
		seen[r.ID]++
		perCandidate[r.Candidate]++
	}
	if len(reports) != jobs || len(seen) != jobs {
		t.Errorf("the tenant has %d reports (%d distinct); want %d", len(reports), len(seen), jobs)
	}
	for i := range jobs {
		if c := fmt.Sprintf("Candidate %03d", i); perCandidate[c] != 1 {
			t.Errorf("%s has %d reports, want 1", c, perCandidate[c])
		}
	}
	for rid, jid := range byReport {
		if seen[rid] != 1 {
			t.Errorf("job %s's report %s is listed %d times", jid, rid, seen[rid])
		}
		r := mustDo(t, "GET", api.url+"/v1/reports/"+rid, nil)
		var rep report
		if r.status != 200 || json.Unmarshal(r.body, &rep) != nil || len(rep.Answers) != 1 {
			t.Errorf("GET report %s: %d %.200s", rid, r.status, r.body)
		} else if a := rep.Answers[0]; a.Engine != "llm" || len(a.Warnings) > 0 {
			t.Errorf("report %s: engine %q, warnings %v; want the model's analysis", rid, a.Engine, a.Warnings)
		}
	}
	if d := metric(t, api.url, "candor_queue_depth"); d != 0 {
		t.Errorf("candor_queue_depth is %v after every job is done, want 0", d)
	}
	if n := metric(t, survivor.url, `candor_jobs_total{event="done"}`); n < jobs/2 {
		t.Errorf("the surviving worker finished %v jobs", n)
	}
	t.Logf("figures: %d jobs, %d reports, 0 lost, 0 duplicated, %d rerun after the kill", jobs, len(reports), rerun)
	for _, p := range []*proc{api, victim, survivor} {
		assertNoSecrets(t, p, apiKey, secretPhrase)
	}
}
