package slate_test

import (
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/slate"
)

func TestBuild(t *testing.T) {
	g := &analyzer.Guide{ID: "g", Title: "G", Questions: []analyzer.Question{
		{ID: "q1", Text: "One?", Areas: []string{"a", "b"}},
		{ID: "q2", Text: "Two?", Areas: []string{"c"}},
	}}
	r1 := &analyzer.Report{ID: "r1", Candidate: "=cmd", Answers: []analyzer.AnswerAnalysis{{QuestionID: "q1",
		Delivery: analyzer.Delivery{Label: "specific", Specificity: 70},
		Coverage: analyzer.Coverage{Score: 0.5, Areas: []analyzer.AreaResult{
			{Index: 1, Status: "covered", Evidence: []analyzer.Span{{Quote: "we shipped | on day 3"}}},
			{Index: 2, Status: "missing"}}}}},
		Summary: analyzer.Summary{NotAsked: []string{"q2"}}}
	r2 := &analyzer.Report{ID: "r2", Candidate: "Bo"}
	m := slate.Build(g, []*analyzer.Report{r1, r2})
	if got := m.Questions[1].Areas[0].Cells[0].Status; got != slate.NotAsked {
		t.Errorf("r1 q2: %s, want not asked", got)
	}
	if got := m.Questions[0].Areas[0].Cells[1].Status; got != slate.NoAnswer {
		t.Errorf("r2 q1: %s, want no answer", got)
	}
	if c := m.Questions[0].Areas[0].Cells[0]; c.Status != "covered" || c.Quote != "we shipped | on day 3" {
		t.Errorf("r1 q1 a1: %+v", c)
	}
	if csv := string(m.CSV()); !strings.Contains(csv, "'=cmd") || strings.Contains(csv, ",=cmd") {
		t.Errorf("CSV does not defuse a formula:\n%s", csv)
	}
	if md := string(m.Markdown()); !strings.Contains(md, `we shipped \| on day 3`) || !strings.Contains(md, "– not asked") {
		t.Errorf("Markdown:\n%s", md)
	}
}
