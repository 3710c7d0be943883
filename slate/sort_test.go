package slate_test

import (
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/slate"
)

// TestSort: the columns move together (candidates, answers, cells);
// ties keep the order added; an unknown order is refused.
func TestSort(t *testing.T) {
	g := &analyzer.Guide{ID: "g", Title: "G", Questions: []analyzer.Question{{ID: "q1", Text: "One?", Areas: []string{"a"}}}}
	rep := func(id string, cov, spec float64, status string) *analyzer.Report {
		return &analyzer.Report{ID: id, Candidate: id,
			Summary: analyzer.Summary{Coverage: cov, Specificity: spec},
			Answers: []analyzer.AnswerAnalysis{{QuestionID: "q1", Delivery: analyzer.Delivery{Label: "mixed", Specificity: int(spec)},
				Coverage: analyzer.Coverage{Areas: []analyzer.AreaResult{{Index: 1, Status: status}}}}}}
	}
	build := func() *slate.Matrix {
		return slate.Build(g, []*analyzer.Report{rep("A", 0.2, 80, "missing"), rep("B", 0.9, 30, "covered"),
			rep("C", 0.5, 60, "partial"), rep("D", 0.5, 70, "partial"), rep("E", 0.2, 80, "missing")})
	}
	cols := func(m *slate.Matrix) (names, statuses string, specs []int) {
		for i, c := range m.Candidates {
			names += c.Name
			statuses += m.Questions[0].Areas[0].Cells[i].Status[:1]
			specs = append(specs, m.Questions[0].Answers[i].Specificity)
		}
		return
	}
	for _, tc := range []struct{ by, names, statuses string }{
		{slate.SortAdded, "ABCDE", "mcppm"},
		{slate.SortCoverage, "BDCAE", "cppmm"},
		{slate.SortSpecificity, "AEDCB", "mmppc"},
	} {
		m := build()
		if err := m.Sort(tc.by); err != nil {
			t.Fatal(err)
		}
		names, statuses, specs := cols(m)
		if names != tc.names || statuses != tc.statuses {
			t.Errorf("sort %q: columns %s with cells %s, want %s with %s", tc.by, names, statuses, tc.names, tc.statuses)
		}
		for i, c := range m.Candidates {
			if specs[i] != int(c.Specificity) {
				t.Errorf("sort %q: column %d answer specificity %d under candidate %s (%v)", tc.by, i, specs[i], c.Name, c.Specificity)
			}
		}
	}
	if err := build().Sort("name; drop"); err == nil {
		t.Error("an unknown order was accepted")
	}
}
