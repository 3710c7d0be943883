package api_test

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/api"
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
