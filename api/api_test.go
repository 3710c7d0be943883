package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/api"
	"github.com/candorhq/candor/store"
)

// transcriptFiles lists the dev transcripts: the repository's eval set and,
// when checked out, the shared dev set.
func transcriptFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, dir := range []string{"../testdata/eval/transcripts", "../../shared/eval/dev/transcripts"} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Logf("skipping %s: %v", dir, err)
			continue
		}
		for _, en := range entries {
			if n := en.Name(); !strings.HasSuffix(n, ".gold.json") && !strings.HasPrefix(n, ".") {
				files = append(files, filepath.Join(dir, n))
			}
		}
	}
	if len(files) == 0 {
		t.Skip("no dev transcripts found")
	}
	return files
}

// rawType is the Content-Type a raw upload of the file is sent with.
func rawType(path string) string {
	switch filepath.Ext(path) {
	case ".vtt":
		return "text/vtt"
	case ".srt":
		return "application/x-subrip"
	}
	return "text/plain"
}

func TestAnalyzeEveryTranscriptFormat(t *testing.T) {
	e := newEnv(t, options{})
	for _, path := range transcriptFiles(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(path)
		mp, mpType := multipartBody(t, name, data, map[string]string{"guide_id": "cx-empathy"})
		jsonBody, _ := json.Marshal(map[string]any{"guide_id": "cx-empathy", "transcript": string(data)})
		for _, tc := range []struct {
			how   string
			r     req
			cache string
		}{
			{"json", req{method: "POST", path: "/v1/analyses", ctype: "application/json", body: jsonBody}, "miss"},
			{"json again", req{method: "POST", path: "/v1/analyses", ctype: "application/json", body: jsonBody}, "hit"},
			{"multipart", req{method: "POST", path: "/v1/analyses", ctype: mpType, body: mp}, "hit"},
			{"raw", req{method: "POST", path: "/v1/analyses?guide_id=cx-empathy", ctype: rawType(path), body: data}, "hit"},
		} {
			t.Run(name+"/"+tc.how, func(t *testing.T) {
				tc.r.key = keyA
				r := e.do(tc.r)
				want(t, r, http.StatusOK, "")
				if got := r.header.Get("X-Cache"); got != tc.cache {
					t.Errorf("X-Cache %q, want %q", got, tc.cache)
				}
				var rep analyzer.Report
				r.json(t, &rep)
				if len(rep.Answers) == 0 || rep.Guide.ID != "cx-empathy" || rep.Source == nil {
					t.Fatalf("report has %d answers, guide %q, source %v", len(rep.Answers), rep.Guide.ID, rep.Source)
				}
				if got, want := rep.Summary.Cached == len(rep.Answers), tc.cache == "hit"; got != want {
					t.Errorf("summary.cached = %d of %d answers, X-Cache %s", rep.Summary.Cached, len(rep.Answers), tc.cache)
				}
				stored := e.get("/v1/reports/"+rep.ID, keyA)
				want(t, stored, http.StatusOK, "")
				var back analyzer.Report
				stored.json(t, &back)
				if back.ID != rep.ID || len(back.Answers) != len(rep.Answers) {
					t.Errorf("stored report %s with %d answers, want %s with %d", back.ID, len(back.Answers), rep.ID, len(rep.Answers))
				}
			})
		}
	}
}

func TestAnalyzeAnswersContract(t *testing.T) {
	e := newEnv(t, options{})
	r := e.postJSON("/v1/analyses", keyA, answers(answerQ1))
	want(t, r, http.StatusOK, "")
	if r.header.Get("X-Cache") != "miss" {
		t.Errorf("first analysis X-Cache %q, want miss", r.header.Get("X-Cache"))
	}
	var rep analyzer.Report
	r.json(t, &rep)
	if rep.SchemaVersion != "1" || !strings.HasPrefix(rep.ID, "rep_") || len(rep.Answers) != 1 || rep.Answers[0].Text != answerQ1 {
		t.Fatalf("report %+v", rep)
	}
	if got := r.header.Get("Content-Location"); got != "/v1/reports/"+rep.ID {
		t.Errorf("Content-Location %q", got)
	}
	again := e.postJSON("/v1/analyses", keyA, answers(answerQ1))
	if again.header.Get("X-Cache") != "hit" {
		t.Errorf("repeat X-Cache %q, want hit", again.header.Get("X-Cache"))
	}
	// The same answer in another request (another candidate) is a hit
	// from the answer cache, not the response cache.
	other := answers(answerQ1)
	other["candidate"] = "Dana"
	r3 := e.postJSON("/v1/analyses", keyA, other)
	if r3.header.Get("X-Cache") != "hit" {
		t.Errorf("same answer, other candidate: X-Cache %q, want hit", r3.header.Get("X-Cache"))
	}
	var rep3 analyzer.Report
	r3.json(t, &rep3)
	if rep3.Candidate != "Dana" || !rep3.Answers[0].Cached {
		t.Errorf("candidate %q cached %v", rep3.Candidate, rep3.Answers[0].Cached)
	}

	// The answers format can also come as an inline transcript.
	inline := e.do(req{method: "POST", path: "/v1/analyses", key: keyA, ctype: "application/json",
		body: []byte(`{"guide_id":"cx-empathy","transcript":{"candidate":"Eve","answers":[{"question_id":"q1","text":` + mustJSON(answerQ1) + `}]}}`)})
	want(t, inline, 200, "")
	var repInline analyzer.Report
	inline.json(t, &repInline)
	if repInline.Candidate != "Eve" || repInline.Source.Format != "answers-json" || !repInline.Answers[0].Cached {
		t.Errorf("inline answers transcript: candidate %q format %q cached %v", repInline.Candidate, repInline.Source.Format, repInline.Answers[0].Cached)
	}

	for _, tc := range []struct {
		name, path, accept, ctype string
		status                    int
	}{
		{"json default", "/v1/reports/" + rep.ID, "", "application/json", 200},
		{"markdown by Accept", "/v1/reports/" + rep.ID, "text/markdown", "text/markdown", 200},
		{"csv by Accept", "/v1/reports/" + rep.ID, "text/csv", "text/csv", 200},
		{"csv by query", "/v1/reports/" + rep.ID + "?format=csv", "application/json", "text/csv", 200},
		{"md by query", "/v1/reports/" + rep.ID + "?format=md", "", "text/markdown", 200},
		{"not acceptable", "/v1/reports/" + rep.ID, "image/png", "application/problem+json", 406},
		{"bad format", "/v1/reports/" + rep.ID + "?format=pdf", "", "application/problem+json", 422},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do(req{method: "GET", path: tc.path, key: keyA, header: map[string]string{"Accept": tc.accept}})
			if r.status != tc.status || !strings.HasPrefix(r.header.Get("Content-Type"), tc.ctype) {
				t.Fatalf("status %d type %q, want %d %q: %s", r.status, r.header.Get("Content-Type"), tc.status, tc.ctype, r.body)
			}
			if tc.ctype == "text/csv" && !strings.Contains(string(r.body), "q1") {
				t.Errorf("CSV without the answer's row: %s", r.body)
			}
		})
	}
}

func TestAuth(t *testing.T) {
	e := newEnv(t, options{})
	for _, tc := range []struct {
		name, auth string
		status     int
		code       string
	}{
		{"no header", "", 401, api.CodeMissingCredentials},
		{"not bearer", "Basic " + keyA, 401, api.CodeMissingCredentials},
		{"empty bearer", "Bearer ", 401, api.CodeMissingCredentials},
		{"unknown key", "Bearer not-a-key-0123456789abcdef", 401, api.CodeInvalidCredentials},
		{"key with a suffix", "Bearer " + keyA + "x", 401, api.CodeInvalidCredentials},
		{"valid key", "Bearer " + keyA, 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do(req{method: "GET", path: "/v1/guides", header: map[string]string{"Authorization": tc.auth}})
			want(t, r, tc.status, tc.code)
			if tc.status == 401 && !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("WWW-Authenticate %q", r.header.Get("WWW-Authenticate"))
			}
		})
	}
	t.Run("built-in guides are read-only", func(t *testing.T) {
		want(t, e.do(req{method: "DELETE", path: "/v1/guides/cx-empathy", key: keyA}), 403, api.CodeForbidden)
		want(t, e.do(req{method: "PUT", path: "/v1/guides/cx-empathy", key: keyA, ctype: "text/plain", body: yardstickGuide(t)}), 403, api.CodeForbidden)
	})
	t.Run("operational routes need no key", func(t *testing.T) {
		for _, p := range []string{"/healthz", "/readyz", "/openapi.yaml"} {
			if r := e.get(p, ""); r.status != 200 {
				t.Errorf("%s: %d", p, r.status)
			}
		}
	})
}

func TestTenantIsolation(t *testing.T) {
	e := newEnv(t, options{})
	r := e.postJSON("/v1/analyses", keyA, answers(answerQ1))
	want(t, r, 200, "")
	var rep analyzer.Report
	r.json(t, &rep)
	g := e.do(req{method: "POST", path: "/v1/guides", key: keyA, ctype: "text/plain", body: yardstickGuide(t)})
	want(t, g, 201, "")
	var guide api.GuideCreated
	g.json(t, &guide)
	job := e.postJSON("/v1/analyses?async=true", keyA, answers(answerQ1))
	want(t, job, 202, "")
	var acc api.JobAccepted
	job.json(t, &acc)

	// B sees none of A's things, and cannot delete them.
	want(t, e.get("/v1/reports/"+rep.ID, keyB), 404, api.CodeNotFound)
	want(t, e.do(req{method: "DELETE", path: "/v1/reports/" + rep.ID, key: keyB}), 404, api.CodeNotFound)
	want(t, e.get("/v1/guides/"+guide.ID, keyB), 404, api.CodeGuideNotFound)
	want(t, e.do(req{method: "DELETE", path: "/v1/guides/" + guide.ID, key: keyB}), 404, api.CodeGuideNotFound)
	want(t, e.get("/v1/jobs/"+acc.JobID, keyB), 404, api.CodeNotFound)
	var list api.ReportList
	lr := e.get("/v1/reports", keyB)
	want(t, lr, 200, "")
	lr.json(t, &list)
	if len(list.Reports) != 0 {
		t.Errorf("B lists %d reports", len(list.Reports))
	}
	var guides api.GuideList
	e.get("/v1/guides", keyB).json(t, &guides)
	for _, gi := range guides.Guides {
		if !gi.Builtin {
			t.Errorf("B lists A's guide %s", gi.ID)
		}
	}
	// B's analysis of A's guide id fails; of the same answer, it is B's
	// own cache miss.
	want(t, e.postJSON("/v1/analyses", keyB, map[string]any{"guide_id": guide.ID,
		"answers": []map[string]string{{"question_id": "q1", "text": answerQ1}}}), 404, api.CodeGuideNotFound)
	rb := e.postJSON("/v1/analyses", keyB, answers(answerQ1))
	want(t, rb, 200, "")
	if rb.header.Get("X-Cache") != "miss" {
		t.Errorf("B's first analysis X-Cache %q: it must not use A's cache", rb.header.Get("X-Cache"))
	}
	// B's copy has an id of its own (ids are keyed by tenant); deleting it
	// leaves A's.
	var repB analyzer.Report
	rb.json(t, &repB)
	if repB.ID == rep.ID {
		t.Errorf("B's report of the same content has A's id %s", rep.ID)
	}
	want(t, e.do(req{method: "DELETE", path: "/v1/reports/" + repB.ID, key: keyB}), 204, "")
	want(t, e.get("/v1/reports/"+rep.ID, keyA), 200, "")
	want(t, e.get("/v1/guides/"+guide.ID, keyA), 200, "")
}

func TestValidationAndLimits(t *testing.T) {
	e := newEnv(t, options{cfg: api.Config{MaxBodyBytes: 64 << 10, MaxAnswers: 3, MaxAnswerChars: 500}})
	long := strings.Repeat("word ", 101) // 505 characters
	big := strings.Repeat("x", 70<<10)
	for _, tc := range []struct {
		name   string
		ctype  string
		body   string
		status int
		code   string
		field  string
		limit  string
	}{
		{"body over the limit", "application/json", `{"guide_id":"cx-empathy","transcript":"` + big + `"}`, 413, api.CodeBodyTooLarge, "", "65536"},
		{"too many answers", "application/json", mustJSON(answers("a", "b", "c", "d")), 422, api.CodeValidation, "answers", "3 answers"},
		{"answer too long", "application/json", mustJSON(answers(long)), 422, api.CodeValidation, "answers[0].text", "500 characters"},
		{"malformed JSON", "application/json", `{"guide_id": "cx-empathy",`, 400, api.CodeMalformedBody, "", ""},
		{"not JSON at all", "application/json", `hello`, 400, api.CodeMalformedBody, "", ""},
		{"empty body", "application/json", ``, 400, api.CodeMalformedBody, "", ""},
		{"unknown field", "application/json", `{"guide_id":"cx-empathy","answer":[]}`, 422, api.CodeValidation, "answer", ""},
		{"wrong type", "application/json", `{"guide_id":"cx-empathy","answers":"q1"}`, 422, api.CodeValidation, "answers", ""},
		{"no guide", "application/json", `{"answers":[{"question_id":"q1","text":"hi"}]}`, 422, api.CodeValidation, "guide_id", ""},
		{"no input", "application/json", `{"guide_id":"cx-empathy"}`, 422, api.CodeValidation, "answers", ""},
		{"both inputs", "application/json", `{"guide_id":"cx-empathy","answers":[{"question_id":"q1","text":"hi"}],"transcript":"A: hi"}`, 422, api.CodeValidation, "transcript", ""},
		{"missing question id", "application/json", `{"guide_id":"cx-empathy","answers":[{"text":"hi"}]}`, 422, api.CodeValidation, "answers[0].question_id", ""},
		{"unknown question", "application/json", `{"guide_id":"cx-empathy","answers":[{"question_id":"q99","text":"` + answerQ1 + `"}]}`, 422, api.CodeUnknownQuestion, "answers[0].question_id", ""},
		{"unknown engine", "application/json", `{"guide_id":"cx-empathy","engine":"gpt","answers":[{"question_id":"q1","text":"hi"}]}`, 422, api.CodeValidation, "engine", ""},
		{"llm not configured", "application/json", `{"guide_id":"cx-empathy","engine":"llm","answers":[{"question_id":"q1","text":"hi"}]}`, 422, api.CodeEngineUnavailable, "engine", ""},
		{"unknown guide", "application/json", `{"guide_id":"no-such-guide","answers":[{"question_id":"q1","text":"hi"}]}`, 404, api.CodeGuideNotFound, "guide_id", ""},
		{"bad inline guide", "application/json", `{"guide":{"title":"x","questions":[]},"answers":[{"question_id":"q1","text":"hi"}]}`, 422, api.CodeInvalidGuide, "guide", ""},
		{"transcript not detected", "text/plain", "just some words with no speakers", 422, api.CodeInvalidInput, "", ""},
		{"unsupported type", "application/xml", "<a/>", 415, api.CodeUnsupportedMedia, "", ""},
		{"webhooks off", "application/json", `{"guide_id":"cx-empathy","webhook_url":"http://127.0.0.1:1/x","answers":[{"question_id":"q1","text":"hi"}]}`, 422, api.CodeValidation, "webhook_url", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := "/v1/analyses"
			if tc.ctype == "text/plain" {
				path += "?guide_id=cx-empathy"
			}
			r := e.do(req{method: "POST", path: path, key: keyA, ctype: tc.ctype, body: []byte(tc.body)})
			want(t, r, tc.status, tc.code)
			p := r.problem(t)
			if !strings.HasPrefix(p.Field, tc.field) {
				t.Errorf("field %q, want %q", p.Field, tc.field)
			}
			if !strings.Contains(p.Detail, tc.limit) {
				t.Errorf("detail %q does not state the limit %q", p.Detail, tc.limit)
			}
			if p.Status != tc.status || p.Title == "" || p.RequestID == "" {
				t.Errorf("problem %+v", p)
			}
		})
	}
	t.Run("unknown route and method", func(t *testing.T) {
		want(t, e.get("/v1/nothing", keyA), 404, api.CodeRouteNotFound)
		want(t, e.do(req{method: "PATCH", path: "/v1/guides/x", key: keyA}), 405, api.CodeMethodNotAllowed)
	})
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestIdempotencyKey(t *testing.T) {
	e := newEnv(t, options{})
	post := func(key, body string) *response {
		return e.do(req{method: "POST", path: "/v1/analyses?async=true", key: keyA, ctype: "application/json", body: []byte(body),
			header: map[string]string{"Idempotency-Key": key}})
	}
	body := mustJSON(answers(answerQ1))
	first := post("k1", body)
	want(t, first, 202, "")
	again := post("k1", body)
	want(t, again, 202, "")
	if string(first.body) != string(again.body) || again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay %s (replayed %q), want %s", again.body, again.header.Get("Idempotent-Replayed"), first.body)
	}
	if again.header.Get("Location") != first.header.Get("Location") {
		t.Errorf("replayed Location %q, want %q", again.header.Get("Location"), first.header.Get("Location"))
	}
	other := post("k2", body)
	if string(other.body) == string(first.body) {
		t.Errorf("a new key got the first key's job")
	}
	want(t, post("k1", mustJSON(answers(answerQ1+" And more."))), 422, api.CodeIdempotencyMismatch)
	// Keys are per tenant: B's k1 is B's own.
	rb := e.do(req{method: "POST", path: "/v1/analyses?async=true", key: keyB, ctype: "application/json", body: []byte(body),
		header: map[string]string{"Idempotency-Key": "k1"}})
	want(t, rb, 202, "")
	if string(rb.body) == string(first.body) {
		t.Errorf("tenant B got tenant A's response for the same key")
	}
	// Guides too: the replay is the first 201.
	g1 := e.do(req{method: "POST", path: "/v1/guides", key: keyA, ctype: "text/plain", body: yardstickGuide(t), header: map[string]string{"Idempotency-Key": "g"}})
	g2 := e.do(req{method: "POST", path: "/v1/guides", key: keyA, ctype: "text/plain", body: yardstickGuide(t), header: map[string]string{"Idempotency-Key": "g"}})
	if g1.status != 201 || g2.status != 201 || string(g1.body) != string(g2.body) || g2.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("guide replay: %d %s / %d %s", g1.status, g1.body, g2.status, g2.body)
	}
}

func TestRateLimit(t *testing.T) {
	for _, noRedis := range []bool{false, true} {
		t.Run(fmt.Sprintf("redis=%v", !noRedis), func(t *testing.T) {
			e := newEnv(t, options{noRedis: noRedis, cfg: api.Config{RateLimit: 3, RatePeriod: time.Hour, RateBurst: 3}})
			for i := range 3 {
				want(t, e.get("/v1/guides", keyA), 200, "")
				_ = i
			}
			r := e.get("/v1/guides", keyA)
			want(t, r, 429, api.CodeRateLimited)
			secs, err := strconv.Atoi(r.header.Get("Retry-After"))
			// One token per 20 minutes.
			if err != nil || secs < 1 || secs > 1200 {
				t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
			}
			if p := r.problem(t); !strings.Contains(p.Detail, "3 requests per 1h0m0s") {
				t.Errorf("detail %q does not state the limit", p.Detail)
			}
			// Another key has its own bucket.
			want(t, e.get("/v1/guides", keyB), 200, "")
		})
	}
}

func TestAsyncJobAndWebhook(t *testing.T) {
	const secret = "whsec-test-0123456789"
	got := make(chan *http.Request, 4)
	bodies := make(chan []byte, 4)
	var calls atomic.Int32
	hook := newHookServer(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		if calls.Add(1) == 1 {
			// The first delivery fails: the worker must retry.
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		got <- r
		bodies <- body
	})
	e := newEnv(t, options{cfg: api.Config{WebhookSecrets: hookSecrets(t, tenantA+":"+secret), WebhookAllowPrivate: true, WebhookBackoff: 10 * time.Millisecond}})
	data, err := os.ReadFile("../testdata/eval/transcripts/t05_plain.txt")
	if err != nil {
		t.Fatal(err)
	}
	r := e.postJSON("/v1/analyses", keyA, map[string]any{"guide_id": "cx-empathy", "transcript": string(data), "webhook_url": hook})
	want(t, r, 202, "")
	var acc api.JobAccepted
	r.json(t, &acc)
	if loc := r.header.Get("Location"); loc != "/v1/jobs/"+acc.JobID || acc.StatusURL != loc {
		t.Fatalf("Location %q, status_url %q", loc, acc.StatusURL)
	}
	var job api.Job
	eventually(t, 20*time.Second, "the job to finish", func() bool {
		jr := e.get(acc.StatusURL, keyA)
		want(t, jr, 200, "")
		jr.json(t, &job)
		return job.State == store.JobDone || job.State == store.JobFailed
	})
	if job.State != store.JobDone || job.ReportID == "" || job.Total == 0 || job.Done != job.Total {
		t.Fatalf("job %+v", job)
	}
	want(t, e.get(job.ReportURL, keyA), 200, "")

	select {
	case req := <-got:
		body := <-bodies
		if err := api.VerifySignature(secret, req.Header.Get(api.SignatureHeader), body, time.Minute, time.Now()); err != nil {
			t.Errorf("signature: %v", err)
		}
		var ev api.WebhookEvent
		if err := json.Unmarshal(body, &ev); err != nil {
			t.Fatal(err)
		}
		if ev.Event != api.EventCompleted || ev.JobID != acc.JobID || ev.ReportID != job.ReportID || len(ev.Report) == 0 {
			t.Errorf("event %+v", ev)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no webhook delivered")
	}
}

func TestAsyncLargeTranscriptAndFailedJob(t *testing.T) {
	e := newEnv(t, options{cfg: api.Config{AsyncThreshold: 100, JobMaxAttempts: 1}})
	// A transcript over the threshold runs as a job without ?async.
	r := e.do(req{method: "POST", path: "/v1/analyses?guide_id=cx-empathy", key: keyA, ctype: "text/plain",
		body: []byte(strings.Repeat("Just words, no speakers at all. ", 10))})
	want(t, r, 202, "")
	var acc api.JobAccepted
	r.json(t, &acc)
	var job api.Job
	eventually(t, 20*time.Second, "the job to fail", func() bool {
		e.get(acc.StatusURL, keyA).json(t, &job)
		return job.State == store.JobFailed
	})
	if job.Error == "" {
		t.Errorf("failed job without an error: %+v", job)
	}
}

func TestLoggedJobErrorsHoldNoInput(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&analyzer.InputError{Line: 3, Reason: "only one speaker (Hannah Lindqvist) found"}, `invalid input (field "", line 3)`},
		{fmt.Errorf("wrapped: %w", &analyzer.InputError{Field: "transcript", Reason: "secret words"}), `invalid input (field "transcript", line 0)`},
		{fmt.Errorf("%w: questions[0]: empty text", analyzer.ErrInvalidGuide), "invalid guide"},
		{fmt.Errorf("get analysis: %w", store.ErrUnavailable), "get analysis: store unavailable"},
	} {
		if got := api.Loggable(tc.err); got != tc.want {
			t.Errorf("Loggable(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}

func TestRedisOutage(t *testing.T) {
	e := newEnv(t, options{})
	var ready api.Readiness
	e.get("/readyz", "").json(t, &ready)
	if ready.Status != "ready" || ready.Checks["redis"].Status != "ok" {
		t.Fatalf("readiness before the outage: %+v", ready)
	}
	e.redis.Stop()

	r := e.postJSON("/v1/analyses", keyA, answers(answerQ1))
	want(t, r, 200, "")
	var rep analyzer.Report
	r.json(t, &rep)
	if r.header.Get("X-Cache") != "miss" || !hasWarning(rep, "report_not_stored") {
		t.Errorf("analysis during the outage: X-Cache %q, warnings %+v", r.header.Get("X-Cache"), rep.Warnings)
	}
	want(t, e.postJSON("/v1/analyses?async=true", keyA, answers(answerQ1)), 503, api.CodeStoreUnavailable)
	j := e.get("/v1/jobs/job_x", keyA)
	want(t, j, 503, api.CodeStoreUnavailable)
	if j.header.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	rr := e.get("/readyz", "")
	want(t, rr, 200, "")
	rr.json(t, &ready)
	if ready.Status != "degraded" || ready.Checks["redis"].Status != "down" || ready.Checks["redis"].Impact == "" {
		t.Errorf("readiness during the outage: %+v", ready)
	}

	if err := e.redis.Start(); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "readiness after the restart", func() bool {
		e.get("/readyz", "").json(t, &ready)
		return ready.Status == "ready"
	})
	r = e.postJSON("/v1/analyses?async=true", keyA, answers(answerQ1))
	want(t, r, 202, "")
	var acc api.JobAccepted
	r.json(t, &acc)
	var job api.Job
	eventually(t, 20*time.Second, "a job after the restart", func() bool {
		e.get(acc.StatusURL, keyA).json(t, &job)
		return job.State == store.JobDone
	})
	want(t, e.postJSON("/v1/analyses", keyA, answers(answerQ1)), 200, "")
}

func hasWarning(rep analyzer.Report, code string) bool {
	for _, w := range rep.Warnings {
		if w.Code == code {
			return true
		}
	}
	return false
}

// TestRateLimitSharedByReplicas: two servers on one Redis draw on one
// bucket per key, even with leases of several tokens and concurrent
// requests: together they never admit more than the burst.
func TestRateLimitSharedByReplicas(t *testing.T) {
	e := newEnv(t, options{workers: -1, cfg: api.Config{RateLimit: 40, RatePeriod: time.Hour, RateBurst: 40}})
	// A second replica: same Redis, same key prefix.
	cfg := api.Config{Keys: testKeys(t), RateLimit: 40, RatePeriod: time.Hour, RateBurst: 40}
	second := api.NewServer(cfg, api.Deps{Store: e.store,
		Engines: map[string]analyzer.Engine{analyzer.EngineHeuristic: heuristic.New()}})
	ts := httptest.NewServer(second)
	defer ts.Close()

	var allowed, limited atomic.Int32
	var wg sync.WaitGroup
	for i := range 60 {
		base := e.url
		if i%2 == 1 {
			base = ts.URL
		}
		wg.Go(func() {
			hr, _ := http.NewRequest("GET", base+"/v1/guides", nil)
			hr.Header.Set("Authorization", "Bearer "+keyA)
			resp, err := http.DefaultClient.Do(hr)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			switch resp.StatusCode {
			case 200:
				allowed.Add(1)
			case 429:
				limited.Add(1)
			default:
				t.Errorf("status %d", resp.StatusCode)
			}
		})
	}
	wg.Wait()
	// Leases of 2 tokens may leave one unspent per replica.
	if n := allowed.Load(); n > 40 || n < 38 || allowed.Load()+limited.Load() != 60 {
		t.Errorf("allowed %d, limited %d: want at most the burst of 40 (and at least 38)", n, limited.Load())
	}
}
