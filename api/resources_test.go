package api_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/api"
	"github.com/candorhq/candor/store"
)

// yardstickGuide is a guide in the Yardstick text format (q1, q2).
func yardstickGuide(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../guide/testdata/plain.txt")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// newHookServer receives webhooks; it returns the URL to give.
func newHookServer(t *testing.T, fn func(w http.ResponseWriter, r *http.Request, body []byte)) string {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fn(w, r, body)
	}))
	t.Cleanup(ts.Close)
	return ts.URL + "/hook"
}

func TestGuides(t *testing.T) {
	for _, noRedis := range []bool{false, true} {
		name := "redis"
		if noRedis {
			name = "memory"
		}
		t.Run(name, func(t *testing.T) { testGuides(t, newEnv(t, options{noRedis: noRedis})) })
	}
}

func testGuides(t *testing.T, e *env) {
	text := yardstickGuide(t)
	r := e.do(req{method: "POST", path: "/v1/guides", key: keyA, ctype: "text/plain; charset=utf-8", body: text})
	want(t, r, 201, "")
	var g api.GuideCreated
	r.json(t, &g)
	if g.ID == "" || g.Questions != 2 || r.header.Get("Location") != "/v1/guides/"+g.ID {
		t.Fatalf("created %+v, Location %q", g, r.header.Get("Location"))
	}
	// The same guide again keeps its id.
	var again api.GuideCreated
	e.do(req{method: "POST", path: "/v1/guides", key: keyA, ctype: "text/plain", body: text}).json(t, &again)
	if again.ID != g.ID {
		t.Errorf("same guide posted again: id %q, want %q", again.ID, g.ID)
	}
	// A different guide with the same title gets a numbered id.
	changed := strings.Replace(string(text), "What they did first", "What they tried first", 1)
	if changed == string(text) {
		t.Fatal("the fixture changed: no area to edit")
	}
	var second api.GuideCreated
	e.do(req{method: "POST", path: "/v1/guides", key: keyA, ctype: "text/plain", body: []byte(changed)}).json(t, &second)
	if second.ID != g.ID+"-2" || second.Version == g.Version {
		t.Errorf("changed guide: %+v, want id %s-2", second, g.ID)
	}
	// JSON and YAML.
	jsonGuide := `{"id":"json-guide","title":"JSON guide","questions":[{"id":"q1","text":"Tell me about a hard customer.","areas":["The situation"]}]}`
	want(t, e.do(req{method: "POST", path: "/v1/guides", key: keyA, ctype: "application/json", body: []byte(jsonGuide)}), 201, "")
	yamlGuide := "id: yaml-guide\ntitle: YAML guide\nquestions:\n  - id: q1\n    text: Tell me about a hard customer.\n    areas: [The situation]\n"
	want(t, e.do(req{method: "POST", path: "/v1/guides", key: keyA, ctype: "application/yaml", body: []byte(yamlGuide)}), 201, "")

	bad := e.do(req{method: "POST", path: "/v1/guides", key: keyA, ctype: "application/json", body: []byte(`{"id":"x","questions":[{"id":"q1","text":"Q?","areaz":[]}]}`)})
	want(t, bad, 422, api.CodeInvalidGuide)
	if p := bad.problem(t); !strings.Contains(p.Field+p.Detail, "areaz") {
		t.Errorf("invalid guide problem does not name the field: %+v", p)
	}
	want(t, e.do(req{method: "POST", path: "/v1/guides", key: keyA, ctype: "image/png", body: []byte("x")}), 415, api.CodeUnsupportedMedia)

	var list api.GuideList
	e.get("/v1/guides", keyA).json(t, &list)
	ids := map[string]bool{}
	for _, gi := range list.Guides {
		ids[gi.ID] = gi.Builtin
	}
	for id, builtin := range map[string]bool{"cx-empathy": true, "behavioral-core": true, g.ID: false, "json-guide": false, "yaml-guide": false} {
		if b, ok := ids[id]; !ok || b != builtin {
			t.Errorf("list: %s present %v builtin %v", id, ok, b)
		}
	}
	var full analyzer.Guide
	e.get("/v1/guides/"+g.ID, keyA).json(t, &full)
	if full.ID != g.ID || len(full.Questions) != 2 {
		t.Errorf("GET guide: %+v", full)
	}
	if y := e.get("/v1/guides/cx-empathy?format=yaml", keyA); y.status != 200 || !strings.Contains(string(y.body), "questions:") {
		t.Errorf("YAML guide: %d %.100s", y.status, y.body)
	}

	// An analysis with the tenant's guide, then a PUT changes it: the
	// next identical request is analyzed against the new version.
	body := map[string]any{"guide_id": g.ID, "answers": []map[string]string{{"question_id": "q1", "text": "I noticed the nightly export had failed for a week, so I rebuilt the job and told my lead on Monday."}}}
	r1 := e.postJSON("/v1/analyses", keyA, body)
	want(t, r1, 200, "")
	if e.postJSON("/v1/analyses", keyA, body).header.Get("X-Cache") != "hit" {
		t.Error("repeat with a tenant guide is not a hit")
	}
	put := e.do(req{method: "PUT", path: "/v1/guides/" + g.ID, key: keyA, ctype: "text/plain", body: []byte(changed)})
	want(t, put, 200, "")
	r2 := e.postJSON("/v1/analyses", keyA, body)
	want(t, r2, 200, "")
	var rep analyzer.Report
	r2.json(t, &rep)
	if r2.header.Get("X-Cache") != "miss" || rep.Guide.Version != second.Version {
		t.Errorf("after PUT: X-Cache %q, guide version %q, want miss and %q", r2.header.Get("X-Cache"), rep.Guide.Version, second.Version)
	}
	want(t, e.do(req{method: "PUT", path: "/v1/guides/new-one", key: keyA, ctype: "text/plain", body: text}), 201, "")
	want(t, e.do(req{method: "PUT", path: "/v1/guides/bad%20id", key: keyA, ctype: "text/plain", body: text}), 422, api.CodeValidation)

	want(t, e.do(req{method: "DELETE", path: "/v1/guides/" + g.ID, key: keyA}), 204, "")
	want(t, e.get("/v1/guides/"+g.ID, keyA), 404, api.CodeGuideNotFound)
	want(t, e.do(req{method: "DELETE", path: "/v1/guides/" + g.ID, key: keyA}), 404, api.CodeGuideNotFound)
	want(t, e.postJSON("/v1/analyses", keyA, body), 404, api.CodeGuideNotFound)
}

func TestListReports(t *testing.T) {
	e := newEnv(t, options{})
	texts := []string{answerQ1, answerQ1 + " I still think about it.", answerQ1 + " We kept her as a customer."}
	cands := []string{"Ann Lee", "Bo Chen", "Ann Marsh"}
	var ids []string
	for i := range texts {
		b := answers(texts[i])
		b["candidate"] = cands[i]
		r := e.postJSON("/v1/analyses", keyA, b)
		want(t, r, 200, "")
		var rep analyzer.Report
		r.json(t, &rep)
		ids = append(ids, rep.ID)
	}
	list := func(q string) api.ReportList {
		t.Helper()
		r := e.get("/v1/reports"+q, keyA)
		want(t, r, 200, "")
		var l api.ReportList
		r.json(t, &l)
		return l
	}
	idsOf := func(l api.ReportList) string {
		var out []string
		for _, r := range l.Reports {
			out = append(out, r.ID)
		}
		return strings.Join(out, ",")
	}
	// Newest first; reports made in the same millisecond are ordered by
	// id, so the expected order comes from the full list.
	all := list("")
	if len(all.Reports) != 3 {
		t.Fatalf("list: %d reports", len(all.Reports))
	}
	pos := map[string]int{}
	for i, r := range all.Reports {
		pos[r.ID] = i
		if i > 0 && r.CreatedAt.After(all.Reports[i-1].CreatedAt) {
			t.Errorf("list is not newest first: %v after %v", r.CreatedAt, all.Reports[i-1].CreatedAt)
		}
	}
	ordered := func(ids ...string) string {
		ids = slices.Clone(ids)
		slices.SortFunc(ids, func(a, b string) int { return pos[a] - pos[b] })
		return strings.Join(ids, ",")
	}
	today := time.Now().UTC().Format(time.DateOnly)
	for _, tc := range []struct{ q, want string }{
		{"?candidate=ann", ordered(ids[0], ids[2])},
		{"?guide=cx-empathy&candidate=BO", ids[1]},
		{"?guide=behavioral-core", ""},
		{"?date=" + today, ordered(ids...)},
		{"?to=2000-01-01", ""},
	} {
		if got := idsOf(list(tc.q)); got != tc.want {
			t.Errorf("list %q: %s, want %s", tc.q, got, tc.want)
		}
	}
	// Cursor pagination, one at a time.
	var seen []string
	q := "?limit=1"
	for range 5 {
		l := list(q)
		seen = append(seen, idsOf(l))
		if l.NextCursor == "" {
			break
		}
		q = "?limit=1&cursor=" + l.NextCursor
	}
	if got := strings.Join(seen, ","); got != idsOf(all) {
		t.Errorf("pages %s, want %s", got, idsOf(all))
	}
	for _, q := range []string{"?limit=0", "?limit=x", "?from=yesterday", "?date=2024-13-01", "?cursor=%21%21"} {
		want(t, e.get("/v1/reports"+q, keyA), 422, api.CodeValidation)
	}
}

func TestDeleteReportForgetsCachedResponses(t *testing.T) {
	e := newEnv(t, options{})
	body := answers(answerQ1)
	r := e.postJSON("/v1/analyses", keyA, body)
	var rep analyzer.Report
	r.json(t, &rep)
	if e.postJSON("/v1/analyses", keyA, body).header.Get("X-Cache") != "hit" {
		t.Fatal("repeat is not a hit")
	}
	want(t, e.do(req{method: "DELETE", path: "/v1/reports/" + rep.ID, key: keyA}), 204, "")
	want(t, e.get("/v1/reports/"+rep.ID, keyA), 404, api.CodeNotFound)
	// Deleting the report deletes its cached analyses: the repeat is a
	// miss, and stores the report again.
	r2 := e.postJSON("/v1/analyses", keyA, body)
	if r2.header.Get("X-Cache") != "miss" {
		t.Errorf("after DELETE: X-Cache %q, want miss", r2.header.Get("X-Cache"))
	}
	want(t, e.get("/v1/reports/"+rep.ID, keyA), 200, "")
}

func TestHealthAndReadiness(t *testing.T) {
	var llmUp atomic.Bool
	llmUp.Store(true)
	probe := func(context.Context) error {
		if llmUp.Load() {
			return nil
		}
		return errors.New("the LLM server does not answer")
	}
	e := newEnv(t, options{noRedis: true, llmProbe: probe})
	var h api.Health
	e.get("/healthz", "").json(t, &h)
	if h.Status != "ok" {
		t.Errorf("healthz %+v", h)
	}
	var ready api.Readiness
	e.get("/readyz", "").json(t, &ready)
	if ready.Status != "ready" || ready.Checks["redis"].Status != "disabled" || ready.Checks["llm"].Status != "ok" {
		t.Errorf("readyz %+v", ready)
	}
	e.srv.Drain()
	r := e.get("/readyz", "")
	want(t, r, 503, "")
	r.json(t, &ready)
	if ready.Status != "draining" {
		t.Errorf("readyz while draining: %+v", ready)
	}

	// The probe's result is kept for a while; a fresh server sees the
	// LLM down at once.
	llmUp.Store(false)
	e2 := newEnv(t, options{noRedis: true, llmProbe: probe})
	e2.get("/readyz", "").json(t, &ready)
	if ready.Status != "degraded" || ready.Checks["llm"].Status != "down" {
		t.Errorf("readyz with the LLM down: %+v", ready)
	}
}

func TestLLMProbe(t *testing.T) {
	for _, tc := range []struct {
		status int
		ok     bool
	}{{200, true}, {404, true}, {401, false}, {503, false}} {
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/v1/models" || r.Header.Get("Authorization") != "Bearer sk-test" {
				t.Errorf("probe asked %s with %q", r.URL.Path, r.Header.Get("Authorization"))
			}
			w.WriteHeader(tc.status)
		}))
		err := api.LLMProbe(nil, ts.URL+"/v1/", "sk-test")(context.Background())
		if (err == nil) != tc.ok {
			t.Errorf("status %d: err %v", tc.status, err)
		}
		if err != nil && strings.Contains(err.Error(), "sk-test") {
			t.Errorf("probe error leaks the key: %v", err)
		}
		ts.Close()
	}
	if err := api.LLMProbe(nil, "http://127.0.0.1:1/v1", "k")(context.Background()); err == nil {
		t.Error("probe of a closed port succeeded")
	}
}

// fakeLLM stands in for the LLM engine: the embedded engine's analysis
// with model usage, and a fallback warning for answers that mention
// "timeout".
type fakeLLM struct{}

func (fakeLLM) Info() analyzer.EngineInfo {
	return analyzer.EngineInfo{Name: "llm", Model: "fake", PromptVersion: "p1"}
}

func (fakeLLM) Analyze(ctx context.Context, q analyzer.Question, text string) (analyzer.AnswerAnalysis, error) {
	a, err := heuristic.New().Analyze(ctx, q, text)
	if err != nil {
		return a, err
	}
	a.Engine = "llm"
	a.Usage = &analyzer.Usage{Calls: 2, PromptTokens: 100, CompletionTokens: 20}
	if strings.Contains(text, "timeout") {
		a.Warnings = append(a.Warnings, analyzer.Warning{Code: analyzer.WarnLLMFallback, Message: "the model timed out"})
	}
	return a, nil
}

func TestMetrics(t *testing.T) {
	e := newEnv(t, options{cfg: api.Config{MetricsToken: metricsToken}, engines: map[string]analyzer.Engine{analyzer.EngineLLM: fakeLLM{}}})
	e.postJSON("/v1/analyses", keyA, answers(answerQ1))
	e.postJSON("/v1/analyses", keyA, answers(answerQ1))
	e.get("/v1/reports/nope", keyA)
	llmReq := answers(answerQ1, "We had a timeout on the phone system, so I called every customer back myself.")
	llmReq["engine"] = "llm"
	want(t, e.postJSON("/v1/analyses", keyA, llmReq), 200, "")
	// Cached answers cost no model calls.
	llmReq["candidate"] = "Someone"
	want(t, e.postJSON("/v1/analyses", keyA, llmReq), 200, "")
	r := e.get("/metrics", metricsToken)
	want(t, r, 200, "")
	text := string(r.body)
	for _, s := range []string{
		`candor_http_request_duration_seconds_count{method="POST",route="/v1/analyses",status="200"} 4`,
		`candor_http_request_duration_seconds_count{method="GET",route="/v1/reports/:id",status="404"} 1`,
		`candor_analysis_cache_total{result="miss"} 3`,
		`candor_response_cache_total{result="hit"} 1`,
		`candor_queue_depth 0`,
		`candor_llm_calls_total 4`,
		`candor_llm_tokens_total{kind="prompt"} 200`,
		`candor_llm_tokens_total{kind="completion"} 40`,
		`candor_llm_errors_total 1`,
	} {
		if !strings.Contains(text, s) {
			t.Errorf("metrics lack %s", s)
		}
	}
}

func TestWebHook(t *testing.T) {
	web := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "page "+r.URL.Path)
	})
	e := newEnv(t, options{noRedis: true, web: web})
	if r := e.get("/reports/rep_1", ""); r.status != 200 || string(r.body) != "page /reports/rep_1" {
		t.Errorf("web route: %d %s", r.status, r.body)
	}
	want(t, e.get("/v1/nothing", keyA), 404, api.CodeRouteNotFound)
}

func TestNoAuthMode(t *testing.T) {
	e := newEnv(t, options{noRedis: true, noAuth: true})
	r := e.postJSON("/v1/analyses", "", answers(answerQ1))
	want(t, r, 200, "")
	var l api.ReportList
	e.get("/v1/reports", "").json(t, &l)
	if len(l.Reports) != 1 {
		t.Errorf("no-auth tenant lists %d reports", len(l.Reports))
	}
}

func TestMemoryStoreJobs(t *testing.T) {
	e := newEnv(t, options{noRedis: true})
	r := e.postJSON("/v1/analyses?async=true", keyA, answers(answerQ1))
	want(t, r, 202, "")
	var acc api.JobAccepted
	r.json(t, &acc)
	var job api.Job
	eventually(t, 20*time.Second, "the job", func() bool {
		e.get(acc.StatusURL, keyA).json(t, &job)
		return job.State == store.JobDone
	})
	want(t, e.get(job.ReportURL, keyA), 200, "")
}

func TestCheckListen(t *testing.T) {
	keys := testKeys(t)
	for _, tc := range []struct {
		addr string
		keys *api.Keys
		ok   bool
	}{
		{"127.0.0.1:8080", nil, true},
		{"localhost:0", nil, true},
		{"[::1]:8080", nil, true},
		{"0.0.0.0:8080", nil, false},
		{":8080", nil, false},
		{"10.1.2.3:8080", nil, false},
		{"0.0.0.0:8080", keys, true},
		{"nonsense", nil, false},
	} {
		err := api.CheckListen(tc.addr, tc.keys)
		if (err == nil) != tc.ok {
			t.Errorf("CheckListen(%q, %d keys) = %v", tc.addr, tc.keys.Len(), err)
		}
		if err != nil && tc.addr == "0.0.0.0:8080" && !errors.Is(err, api.ErrNoAuthOnPublicAddress) {
			t.Errorf("error %v does not wrap ErrNoAuthOnPublicAddress", err)
		}
	}
}

func TestParseKeys(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		fail bool
	}{
		{"", 0, false},
		{"a:0123456789abcdef", 1, false},
		{" a:0123456789abcdef , b:fedcba9876543210 ", 2, false},
		{"a:0123456789abcdef,a:0123456789abcdeX", 2, false}, // two keys for one tenant
		{"a0123456789abcdef", 0, true},
		{"a:short", 0, true},
		{"bad tenant:0123456789abcdef", 0, true},
		{"a:0123456789abcdef,b:0123456789abcdef", 0, true}, // one key twice
	} {
		k, err := api.ParseKeys(tc.in)
		if (err != nil) != tc.fail || (err == nil && k.Len() != tc.n) {
			t.Errorf("ParseKeys(%q) = %d keys, %v", tc.in, k.Len(), err)
		}
		if err != nil && strings.Contains(err.Error(), "0123456789abcdef") {
			t.Errorf("error leaks a key: %v", err)
		}
	}
	var k api.Keys
	err := k.ReadKeys(strings.NewReader("# comment\n\nacme:0123456789abcdef\nglobex:fedcba9876543210\n"))
	if err != nil || k.Len() != 2 {
		t.Errorf("ReadKeys: %d keys, %v", k.Len(), err)
	}
}

func TestWebhookSignature(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	body := []byte(`{"event":"analysis.completed"}`)
	sig := api.Sign("s3cret", now, body)
	for _, tc := range []struct {
		name, secret, header string
		body                 []byte
		at                   time.Time
		ok                   bool
	}{
		{"valid", "s3cret", sig, body, now, true},
		{"within tolerance", "s3cret", sig, body, now.Add(4 * time.Minute), true},
		{"too old", "s3cret", sig, body, now.Add(6 * time.Minute), false},
		{"wrong secret", "other", sig, body, now, false},
		{"tampered body", "s3cret", sig, []byte(`{"event":"analysis.failed"}`), now, false},
		{"malformed", "s3cret", "v1=abc", body, now, false},
		{"rotated: one of two matches", "s3cret", sig + ",v1=00", body, now, true},
	} {
		err := api.VerifySignature(tc.secret, tc.header, tc.body, 5*time.Minute, tc.at)
		if (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}
