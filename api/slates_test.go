package api_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/api"
	"github.com/candorhq/candor/guide"
	"github.com/candorhq/candor/store"
)

// TestSlates: five reports of one guide become a slate; its comparison has
// a column per candidate and a row per guide area, "not asked" apart from
// "missing"; CSV and Markdown exports; tenants and guides kept apart.
func TestSlates(t *testing.T) {
	e := newEnv(t, options{})
	var ids []string
	for i := 0; i < 5; i++ {
		body := answers(answerQ1 + strings.Repeat(" It took a week.", i))
		body["candidate_name"] = []string{"Ana", "Ben", "Chloé", "Dev", "Eli"}[i]
		r := e.postJSON("/v1/analyses", keyA, body)
		want(t, r, 200, "")
		var rep analyzer.Report
		r.json(t, &rep)
		ids = append(ids, rep.ID)
	}
	r := e.postJSON("/v1/slates", keyA, map[string]any{"name": "CX lead shortlist", "report_ids": ids})
	want(t, r, 201, "")
	var v api.SlateView
	r.json(t, &v)
	if v.Name != "CX lead shortlist" || v.Guide.ID != "cx-empathy" || len(v.Matrix.Candidates) != 5 || len(v.Matrix.Questions) != 15 {
		t.Fatalf("slate = %+v (%d candidates, %d questions)", v.Slate, len(v.Matrix.Candidates), len(v.Matrix.Questions))
	}
	if v.Matrix.Candidates[2].Name != "Chloé" {
		t.Errorf("third column %q", v.Matrix.Candidates[2].Name)
	}
	q1, q2 := v.Matrix.Questions[0], v.Matrix.Questions[1]
	if q1.Answers[0].Status != "answered" || q1.Answers[0].Label == "" || len(q1.Areas) != 8 || len(q1.Areas[0].Cells) != 5 {
		t.Errorf("q1 row: %+v", q1)
	}
	quoted := false
	for _, a := range q1.Areas {
		for _, c := range a.Cells {
			quoted = quoted || (c.Status != "missing" && c.Quote != "")
		}
	}
	if !quoted {
		t.Errorf("no quote in q1's cells")
	}
	if q2.Answers[0].Status == "answered" || q2.Areas[0].Cells[0].Status == "missing" {
		t.Errorf("q2 was never answered, cells say %+v / %+v", q2.Answers[0], q2.Areas[0].Cells[0])
	}

	want(t, e.get(v.URL, keyA), 200, "")
	want(t, e.get(v.URL, keyB), 404, api.CodeNotFound)
	cr := e.get(v.URL+"?format=csv", keyA)
	want(t, cr, 200, "")
	recs, err := csv.NewReader(strings.NewReader(string(cr.body))).ReadAll()
	if err != nil || len(recs) != 1+15+15*8 || len(recs[0]) != 2+2*5 {
		t.Errorf("CSV: %d rows, err %v", len(recs), err)
	}
	mr := e.get(v.URL+"?format=md", keyA)
	want(t, mr, 200, "")
	if !strings.Contains(string(mr.body), "| Area | Ana | Ben | Chloé | Dev | Eli |") {
		t.Errorf("Markdown: %.300s", mr.body)
	}
	var list api.ResultList
	e.get("/v1/slates", keyA).json(t, &list)
	if len(list.Results) != 1 || list.Results[0].Set != "CX lead shortlist" {
		t.Errorf("list: %+v", list)
	}

	// Refusals: an unknown report, another tenant's, no name, a repeat.
	want(t, e.postJSON("/v1/slates", keyA, map[string]any{"name": "x", "report_ids": []string{"rep_nope"}}), 422, "")
	want(t, e.postJSON("/v1/slates", keyB, map[string]any{"name": "x", "report_ids": ids[:1]}), 422, "")
	want(t, e.postJSON("/v1/slates", keyA, map[string]any{"name": " ", "report_ids": ids[:1]}), 422, "")
	want(t, e.postJSON("/v1/slates", keyA, map[string]any{"name": "x", "report_ids": []string{ids[0], ids[0]}}), 422, "")

	want(t, e.do(req{method: "DELETE", path: v.URL, key: keyB}), 404, api.CodeNotFound)
	want(t, e.do(req{method: "DELETE", path: v.URL, key: keyA}), 204, "")
	want(t, e.get(v.URL, keyA), 404, api.CodeNotFound)
}

// TestRoleSlates: analyses given a role join the tenant's slate for it,
// made by the first of them on its guide; the role reads without case and
// extra spaces, or names the slate by id; a job joins as a sync analysis
// does; another guide's analysis under the role, or one past the limit, is
// refused with 409 and stores nothing; an inline guide joins nothing, with
// a warning; a deleted report leaves its slate, and an emptied slate
// stays; tenants have their own slates; POST /v1/slates refuses a name in
// use.
func TestRoleSlates(t *testing.T) {
	e := newEnv(t, options{})
	analyze := func(key, role string, extra string) (analyzer.Report, *response) {
		t.Helper()
		body := answers(answerQ1 + extra)
		body["role"] = role
		r := e.postJSON("/v1/analyses", key, body)
		var rep analyzer.Report
		if r.status == 200 {
			r.json(t, &rep)
		}
		return rep, r
	}
	first, r := analyze(keyA, "  REQ-118  CX lead ", "")
	want(t, r, 200, "")
	if first.SlateID == "" || first.Role != "REQ-118  CX lead" {
		t.Fatalf("first report: slate %q, role %q", first.SlateID, first.Role)
	}
	second, r := analyze(keyA, "req-118 cx LEAD", " It took a week.")
	want(t, r, 200, "")
	byID, r := analyze(keyA, first.SlateID, " It took a month.")
	want(t, r, 200, "")
	if second.SlateID != first.SlateID || byID.SlateID != first.SlateID {
		t.Errorf("slates %q, %q, %q: want one", first.SlateID, second.SlateID, byID.SlateID)
	}
	// The same request again: the same report, still in once.
	again, r := analyze(keyA, "REQ-118 CX lead", "")
	want(t, r, 200, "")
	if again.ID != first.ID {
		t.Fatalf("the same answers gave report %s, then %s", first.ID, again.ID)
	}

	// A job joins too, and says so in its report.
	body := answers(answerQ1 + " It took a year.")
	body["role"] = "REQ-118 CX lead"
	jr := e.postJSON("/v1/analyses?async=true", keyA, body)
	want(t, jr, 202, "")
	var acc api.JobAccepted
	jr.json(t, &acc)
	var job api.Job
	eventually(t, 20*time.Second, "the job", func() bool {
		e.get(acc.StatusURL, keyA).json(t, &job)
		return job.State == store.JobDone || job.State == store.JobFailed
	})
	if job.State != store.JobDone {
		t.Fatalf("job %+v", job)
	}
	var fromJob analyzer.Report
	e.get(job.ReportURL, keyA).json(t, &fromJob)
	if fromJob.SlateID != first.SlateID {
		t.Errorf("the job's report joined %q", fromJob.SlateID)
	}

	var v api.SlateView
	sr := e.get("/v1/slates/"+first.SlateID, keyA)
	want(t, sr, 200, "")
	sr.json(t, &v)
	wantIDs := []string{first.ID, second.ID, byID.ID, fromJob.ID}
	if v.Name != "REQ-118 CX lead" || v.Guide.ID != "cx-empathy" || !slices.Equal(v.ReportIDs, wantIDs) || len(v.Matrix.Candidates) != 4 {
		t.Fatalf("slate %+v, %d columns; want reports %v", v.Slate, len(v.Matrix.Candidates), wantIDs)
	}

	// Another guide under the role: refused before it runs, nothing kept.
	count := func() int {
		var list api.ReportList
		e.get("/v1/reports", keyA).json(t, &list)
		return len(list.Reports)
	}
	before := count()
	other := map[string]any{"guide_id": "behavioral-core", "role": "REQ-118 CX lead",
		"answers": []map[string]string{{"question_id": "q1", "text": answerQ1}}}
	want(t, e.postJSON("/v1/analyses", keyA, other), 409, api.CodeSlateGuide)
	if p := e.postJSON("/v1/analyses", keyA, other).problem(t); p.Field != "role" || !strings.Contains(p.Detail, "cx-empathy") {
		t.Errorf("refusal: %+v", p)
	}
	want(t, e.postJSON("/v1/analyses?async=true", keyA, other), 409, api.CodeSlateGuide)
	if n := count(); n != before {
		t.Errorf("%d reports after the refusals, %d before", n, before)
	}

	// A full slate refuses the next report.
	for i := 0; i < store.MaxSlateReports; i++ {
		if _, err := store.JoinSlate(context.Background(), e.store, tenantA, "Volume hiring", analyzer.GuideRef{ID: "cx-empathy"}, fmt.Sprintf("rep_%02d", i)); err != nil {
			t.Fatal(err)
		}
	}
	_, r = analyze(keyA, "volume hiring", " Another one.")
	want(t, r, 409, api.CodeSlateFull)

	// An inline guide joins nothing, and the report says why.
	g, _ := guide.Builtin("cx-empathy")
	inline := map[string]any{"guide": g, "role": "REQ-118 CX lead", "answers": []map[string]string{{"question_id": "q1", "text": answerQ1}}}
	ir := e.postJSON("/v1/analyses", keyA, inline)
	want(t, ir, 200, "")
	var irep analyzer.Report
	ir.json(t, &irep)
	if irep.SlateID != "" || !hasWarning(irep, analyzer.WarnSlateNotJoined) {
		t.Errorf("inline guide: slate %q, warnings %+v", irep.SlateID, irep.Warnings)
	}

	// Tenants apart: globex's slate of the same role is its own.
	theirs, r := analyze(keyB, "REQ-118 CX lead", "")
	want(t, r, 200, "")
	if theirs.SlateID == "" || theirs.SlateID == first.SlateID {
		t.Errorf("globex's slate %q, acme's %q", theirs.SlateID, first.SlateID)
	}
	want(t, e.get("/v1/slates/"+first.SlateID, keyB), 404, api.CodeNotFound)

	// A name in use, in any case.
	want(t, e.postJSON("/v1/slates", keyA, map[string]any{"name": "req-118 CX LEAD", "report_ids": []string{first.ID}}), 409, api.CodeSlateExists)

	// Deleted reports leave; the emptied slate stays, and the role's next
	// report joins it.
	for _, id := range wantIDs {
		want(t, e.do(req{method: "DELETE", path: "/v1/reports/" + id, key: keyA}), 204, "")
		e.get("/v1/slates/"+first.SlateID, keyA).json(t, &v)
		if slices.Contains(v.ReportIDs, id) {
			t.Fatalf("deleted report %s still in %v", id, v.ReportIDs)
		}
	}
	sr = e.get("/v1/slates/"+first.SlateID, keyA)
	want(t, sr, 200, "")
	sr.json(t, &v)
	if len(v.ReportIDs) != 0 || len(v.Matrix.Candidates) != 0 || len(v.Matrix.Questions) != 15 {
		t.Errorf("emptied slate: %+v, %d columns", v.Slate, len(v.Matrix.Candidates))
	}
	back, r := analyze(keyA, "REQ-118 CX lead", " Back again.")
	want(t, r, 200, "")
	e.get("/v1/slates/"+first.SlateID, keyA).json(t, &v)
	if back.SlateID != first.SlateID || !slices.Equal(v.ReportIDs, []string{back.ID}) {
		t.Errorf("after emptying: report joined %q, slate holds %v", back.SlateID, v.ReportIDs)
	}
}
