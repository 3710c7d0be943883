package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/api"
	"github.com/candorhq/candor/store"
)

// labelledSet reads a set folder of evaluation/testdata as the API's JSON
// set: its answers.jsonl lines and its transcripts with their gold files.
func labelledSet(t *testing.T, dir string) map[string]any {
	t.Helper()
	dir = filepath.Join("..", "evaluation", "testdata", dir)
	data, err := os.ReadFile(filepath.Join(dir, "answers.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var answers []json.RawMessage
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		answers = append(answers, json.RawMessage(line))
	}
	set := map[string]any{"name": filepath.Base(dir), "answers": answers}
	golds, _ := filepath.Glob(filepath.Join(dir, "transcripts", "*.gold.json"))
	var trs []map[string]any
	for _, g := range golds {
		gold, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		base := strings.TrimSuffix(g, ".gold.json")
		matches, _ := filepath.Glob(base + ".*")
		for _, m := range matches {
			if m == g {
				continue
			}
			text, err := os.ReadFile(m)
			if err != nil {
				t.Fatal(err)
			}
			trs = append(trs, map[string]any{"name": filepath.Base(m), "text": string(text), "gold": json.RawMessage(gold)})
		}
	}
	if len(trs) > 0 {
		set["transcripts"] = trs
	}
	return set
}

// finish waits for a job to end and returns it.
func (e *env) finish(key string, r *response) api.Job {
	e.t.Helper()
	want(e.t, r, http.StatusAccepted, "")
	var acc api.JobAccepted
	r.json(e.t, &acc)
	if loc := r.header.Get("Location"); loc != acc.StatusURL || acc.State != store.JobQueued {
		e.t.Fatalf("202: Location %q, body %+v", loc, acc)
	}
	var j api.Job
	eventually(e.t, 60*time.Second, "job "+acc.JobID, func() bool {
		res := e.get(acc.StatusURL, key)
		want(e.t, res, http.StatusOK, "")
		j = api.Job{}
		res.json(e.t, &j)
		return j.State == store.JobDone || j.State == store.JobFailed
	})
	if j.State != store.JobDone {
		e.t.Fatalf("job failed: %+v", j)
	}
	return j
}

func TestEvaluationJob(t *testing.T) {
	e := newEnv(t, options{})
	set := labelledSet(t, "mini")
	r := e.postJSON("/v1/evaluations", keyA, map[string]any{"guide_id": "cx-empathy", "set": set, "bootstrap": 200})
	j := e.finish(keyA, r)
	if j.ResultKind != "evaluation" || !strings.HasPrefix(j.ResultID, "ev_") || j.ResultURL != "/v1/evaluations/"+j.ResultID || j.ReportURL != "" {
		t.Fatalf("job %+v", j)
	}

	res := e.get(j.ResultURL, keyA)
	want(t, res, http.StatusOK, "")
	var ev struct {
		ID      string `json:"id"`
		Kind    string `json:"kind"`
		Set     string `json:"set"`
		Results []struct {
			Engine            struct{ Name string }
			Counts            struct{ Answers, Transcripts int }
			CoverageConfusion [3][3]int `json:"coverage_confusion"`
			LabelConfusion    [3][3]int `json:"label_confusion"`
			Bootstrap         int       `json:"bootstrap"`
			All               struct {
				CoverageQWK struct{ Value *float64 } `json:"coverage_qwk"`
			} `json:"all"`
		} `json:"results"`
	}
	res.json(t, &ev)
	if ev.ID != j.ResultID || ev.Kind != "evaluation" || ev.Set != "mini" || len(ev.Results) != 1 {
		t.Fatalf("evaluation %s", res.body)
	}
	r0 := ev.Results[0]
	areas := 0
	for _, row := range r0.CoverageConfusion {
		for _, n := range row {
			areas += n
		}
	}
	if r0.Engine.Name != "heuristic" || r0.Counts.Answers != 3 || r0.Counts.Transcripts != 1 || areas == 0 || r0.Bootstrap != 200 || r0.All.CoverageQWK.Value == nil {
		t.Errorf("result %+v", r0)
	}

	// The same as a page and as Markdown.
	html := e.get(j.ResultURL+"?format=html", keyA)
	want(t, html, http.StatusOK, "")
	if ct := html.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") ||
		!bytes.Contains(html.body, []byte("<svg")) || !bytes.Contains(html.body, []byte(`class="matrix"`)) ||
		!strings.Contains(html.header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Errorf("html: %s %.300s", ct, html.body)
	}
	md := e.do(req{method: http.MethodGet, path: j.ResultURL, key: keyA, header: map[string]string{"Accept": "text/markdown"}})
	want(t, md, http.StatusOK, "")
	if !bytes.Contains(md.body, []byte("coverage QWK")) {
		t.Errorf("markdown: %.300s", md.body)
	}
	want(t, e.get(j.ResultURL+"?format=pdf", keyA), http.StatusUnprocessableEntity, "validation_failed")

	// Listed for its tenant only; another tenant cannot read or delete it.
	var list api.ResultList
	res = e.get("/v1/evaluations", keyA)
	want(t, res, http.StatusOK, "")
	res.json(t, &list)
	if len(list.Results) != 1 || list.Results[0].ID != j.ResultID || list.Results[0].Answers != 3+2 /* answers and gold segments */ ||
		!strings.HasPrefix(list.Results[0].Headline, "heuristic: coverage QWK 0.") || list.Results[0].Engines[0] != "heuristic" {
		t.Errorf("list %+v", list)
	}
	res = e.get("/v1/evaluations", keyB)
	list = api.ResultList{}
	res.json(t, &list)
	if len(list.Results) != 0 {
		t.Errorf("globex sees %+v", list)
	}
	want(t, e.get("/v1/audits", keyA), http.StatusOK, "")
	want(t, e.get(j.ResultURL, keyB), http.StatusNotFound, "not_found")
	want(t, e.get("/v1/audits/"+j.ResultID, keyA), http.StatusNotFound, "not_found")
	want(t, e.do(req{method: http.MethodDelete, path: j.ResultURL, key: keyB}), http.StatusNotFound, "not_found")
	want(t, e.do(req{method: http.MethodDelete, path: j.ResultURL, key: keyA}), http.StatusNoContent, "")
	want(t, e.get(j.ResultURL, keyA), http.StatusNotFound, "not_found")
	want(t, e.get("/v1/evaluations?cursor=nope", keyA), http.StatusUnprocessableEntity, "validation_failed")
}

func TestAuditJob(t *testing.T) {
	e := newEnv(t, options{noRedis: true})
	for _, tc := range []struct {
		dir     string
		flagged bool
	}{{"audit/planted", true}, {"audit/fair", false}} {
		r := e.postJSON("/v1/audits", keyA, map[string]any{"guide_id": "cx-empathy", "set": labelledSet(t, tc.dir), "fields": []string{"first_language"}})
		j := e.finish(keyA, r)
		if j.ResultKind != "audit" || j.ResultURL != "/v1/audits/"+j.ResultID {
			t.Fatalf("job %+v", j)
		}
		res := e.get(j.ResultURL, keyA)
		want(t, res, http.StatusOK, "")
		var a struct {
			Kind    string   `json:"kind"`
			Flagged []string `json:"flagged"`
			Tables  []struct {
				Fields []string `json:"fields"`
				Groups []struct {
					Group    string `json:"group"`
					Answers  int    `json:"answers"`
					TooSmall bool   `json:"too_small"`
				} `json:"groups"`
			} `json:"tables"`
			Swap *struct {
				Flips    int `json:"flips"`
				Variants int `json:"variants"`
			} `json:"swap"`
		}
		res.json(t, &a)
		if a.Kind != "audit" || len(a.Tables) != 1 || (len(a.Flagged) > 0) != tc.flagged {
			t.Errorf("%s: audit %.600s", tc.dir, res.body)
		}
		if a.Swap == nil || a.Swap.Variants == 0 {
			t.Errorf("%s: the swap test did not run for the embedded engine: %+v", tc.dir, a.Swap)
		}
		small := false
		for _, g := range a.Tables[0].Groups {
			if g.Group == "tagalog" {
				small = g.Answers == 3 && g.TooSmall
			}
		}
		if !small {
			t.Errorf("%s: the group of 3 is not reported as too small: %+v", tc.dir, a.Tables[0].Groups)
		}
		page := e.get(j.ResultURL+"?format=html", keyA)
		want(t, page, http.StatusOK, "")
		if !bytes.Contains(page.body, []byte("too small to compare")) {
			t.Errorf("%s: page %.300s", tc.dir, page.body)
		}
	}
	var list api.ResultList
	res := e.get("/v1/audits?limit=1", keyA)
	want(t, res, http.StatusOK, "")
	res.json(t, &list)
	if len(list.Results) != 1 || list.NextCursor == "" || list.Results[0].Set != "fair" {
		t.Fatalf("page 1 %+v", list)
	}
	res = e.get("/v1/audits?limit=1&cursor="+list.NextCursor, keyA)
	list = api.ResultList{}
	res.json(t, &list)
	if len(list.Results) != 1 || list.Results[0].Set != "planted" || list.NextCursor != "" ||
		!strings.Contains(list.Results[0].Headline, "flagged under four-fifths") {
		t.Errorf("page 2 %+v", list)
	}
}

// setUpload builds a multipart upload of a set file and fields.
func setUpload(t *testing.T, name string, data []byte, fields map[string]string) ([]byte, string) {
	t.Helper()
	return multipartForm(t, fields, formFile{"set", name, data})
}

func TestEvaluationAndAuditUploads(t *testing.T) {
	e := newEnv(t, options{})
	jsonl, err := os.ReadFile("../evaluation/testdata/mini/answers.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	body, ct := setUpload(t, "answers.jsonl", jsonl, map[string]string{"guide_id": "cx-empathy", "engines": "heuristic", "bootstrap": "0"})
	j := e.finish(keyA, e.do(req{method: http.MethodPost, path: "/v1/evaluations", key: keyA, ctype: ct, body: body}))
	if j.ResultKind != "evaluation" {
		t.Fatalf("job %+v", j)
	}
	csv, err := os.ReadFile("../evaluation/testdata/csvset/answers.csv")
	if err != nil {
		t.Fatal(err)
	}
	body, ct = setUpload(t, "my-team.csv", csv, map[string]string{"guide_id": "cx-empathy"})
	j = e.finish(keyA, e.do(req{method: http.MethodPost, path: "/v1/evaluations", key: keyA, ctype: ct, body: body}))
	var ev struct{ Set string }
	e.get(j.ResultURL, keyA).json(t, &ev)
	if ev.Set != "my-team" {
		t.Errorf("set named %q, want the file's name", ev.Set)
	}
	planted, err := os.ReadFile("../evaluation/testdata/audit/planted/answers.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	body, ct = setUpload(t, "planted.jsonl", planted, map[string]string{"guide_id": "cx-empathy", "swap": "off", "min_group_size": "3"})
	j = e.finish(keyA, e.do(req{method: http.MethodPost, path: "/v1/audits", key: keyA, ctype: ct, body: body}))
	var a struct {
		MinGroupSize int             `json:"min_group_size"`
		Swap         json.RawMessage `json:"swap"`
	}
	e.get(j.ResultURL, keyA).json(t, &a)
	if a.MinGroupSize != 3 || a.Swap != nil {
		t.Errorf("audit options not applied: %+v", a)
	}

	// A bad line in an uploaded file names the line.
	body, ct = setUpload(t, "answers.jsonl", []byte(`{"id": "a", "question_id": "q1", "text": "x", "label": "great"}`+"\n"), map[string]string{"guide_id": "cx-empathy"})
	r := e.do(req{method: http.MethodPost, path: "/v1/evaluations", key: keyA, ctype: ct, body: body})
	want(t, r, http.StatusUnprocessableEntity, api.CodeInvalidSet)
	if p := r.problem(t); p.Field != "set" || !strings.Contains(p.Detail, "answers.jsonl:1") {
		t.Errorf("problem %+v", p)
	}
	body, ct = setUpload(t, "answers.jsonl", jsonl, map[string]string{"guide_id": "cx-empathy", "bootstrap": "many"})
	want(t, e.do(req{method: http.MethodPost, path: "/v1/evaluations", key: keyA, ctype: ct, body: body}), http.StatusUnprocessableEntity, "validation_failed")
}

// TestBadSets: every refusal is a problem+json naming the field at fault,
// before anything is queued.
func TestBadSets(t *testing.T) {
	e := newEnv(t, options{workers: -1})
	answer := func(over map[string]any) map[string]any {
		a := map[string]any{"id": "a1", "question_id": "q1", "text": "I refunded her the same day.", "label": "specific"}
		for k, v := range over {
			a[k] = v
		}
		return a
	}
	set := func(answers ...map[string]any) map[string]any {
		return map[string]any{"name": "s", "answers": answers}
	}
	grouped := set(answer(map[string]any{"group": map[string]string{"gender": "female"}}))
	for _, tc := range []struct {
		name, path string
		body       map[string]any
		status     int
		code       string
		field      string
	}{
		{"no set", "/v1/evaluations", map[string]any{"guide_id": "cx-empathy"}, 422, "validation_failed", "set"},
		{"empty set", "/v1/evaluations", map[string]any{"guide_id": "cx-empathy", "set": map[string]any{"name": "s"}}, 422, api.CodeInvalidSet, "set.answers"},
		{"bad label", "/v1/evaluations", map[string]any{"guide_id": "cx-empathy", "set": set(answer(nil), answer(map[string]any{"id": "a2", "label": "great"}))}, 422, api.CodeInvalidSet, "set.answers[1].label"},
		{"bad status", "/v1/evaluations", map[string]any{"guide_id": "cx-empathy", "set": set(answer(map[string]any{"areas": map[string]string{"1": "done"}}))}, 422, api.CodeInvalidSet, "set.answers[0].areas.1"},
		{"duplicate id", "/v1/evaluations", map[string]any{"guide_id": "cx-empathy", "set": set(answer(nil), answer(nil))}, 422, api.CodeInvalidSet, "set.answers[1].id"},
		{"unknown question", "/v1/evaluations", map[string]any{"guide_id": "cx-empathy", "set": set(answer(nil), answer(map[string]any{"id": "a2", "question_id": "q99"}))}, 422, api.CodeInvalidSet, "set.answers[1].question_id"},
		{"area out of range", "/v1/evaluations", map[string]any{"guide_id": "cx-empathy", "set": set(answer(map[string]any{"areas": map[string]string{"9": "covered"}}))}, 422, api.CodeInvalidSet, "set.answers[0].areas.9"},
		{"unknown field in set", "/v1/evaluations", map[string]any{"guide_id": "cx-empathy", "set": map[string]any{"name": "s", "rows": []int{1}}}, 422, api.CodeInvalidSet, "set"},
		{"nothing labelled", "/v1/evaluations", map[string]any{"guide_id": "cx-empathy", "set": set(answer(map[string]any{"label": nil}))}, 422, api.CodeInvalidSet, "set"},
		{"second rater", "/v1/evaluations", map[string]any{"guide_id": "cx-empathy", "set": set(answer(nil)), "second_rater": set(answer(map[string]any{"label": "great"}))}, 422, api.CodeInvalidSet, "second_rater.answers[0].label"},
		{"bootstrap", "/v1/evaluations", map[string]any{"guide_id": "cx-empathy", "set": set(answer(nil)), "bootstrap": 100000}, 422, "validation_failed", "bootstrap"},
		{"engine", "/v1/evaluations", map[string]any{"guide_id": "cx-empathy", "set": set(answer(nil)), "engines": []string{"oracle"}}, 422, "validation_failed", "engine"},
		{"llm not configured", "/v1/audits", map[string]any{"guide_id": "cx-empathy", "set": grouped, "engine": "llm"}, 422, "engine_unavailable", "engine"},
		{"no guide", "/v1/evaluations", map[string]any{"set": set(answer(nil))}, 422, "validation_failed", "guide_id"},
		{"unknown guide", "/v1/evaluations", map[string]any{"guide_id": "nope", "set": set(answer(nil))}, 404, "guide_not_found", "guide_id"},
		{"unknown top-level field", "/v1/audits", map[string]any{"guide_id": "cx-empathy", "set": grouped, "engines": []string{"heuristic"}}, 422, "validation_failed", "engines"},
		{"swap", "/v1/audits", map[string]any{"guide_id": "cx-empathy", "set": grouped, "swap": "maybe"}, 422, "validation_failed", "swap"},
		{"unknown group field", "/v1/audits", map[string]any{"guide_id": "cx-empathy", "set": grouped, "fields": []string{"gender", "age"}}, 422, "validation_failed", "fields[1]"},
		{"nothing to audit", "/v1/audits", map[string]any{"guide_id": "cx-empathy", "set": set(answer(nil)), "swap": "off"}, 422, api.CodeInvalidSet, "set"},
		{"min group", "/v1/audits", map[string]any{"guide_id": "cx-empathy", "set": grouped, "min_group_size": -1}, 422, "validation_failed", "min_group_size"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.postJSON(tc.path, keyA, tc.body)
			want(t, r, tc.status, tc.code)
			if p := r.problem(t); p.Field != tc.field || p.Detail == "" {
				t.Errorf("problem %+v, want field %q", p, tc.field)
			}
		})
	}
	want(t, e.do(req{method: http.MethodPost, path: "/v1/audits", key: keyA, ctype: "text/csv", body: []byte("id\n")}), http.StatusUnsupportedMediaType, "unsupported_media_type")
	want(t, e.do(req{method: http.MethodPost, path: "/v1/audits", key: keyA, ctype: "application/json", body: []byte(`{"set": `)}), http.StatusBadRequest, "malformed_body")
	want(t, e.postJSON("/v1/evaluations", "", map[string]any{}), http.StatusUnauthorized, "")
}
