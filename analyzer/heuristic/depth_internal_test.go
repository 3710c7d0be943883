package heuristic

import (
	"context"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/guide"
	"github.com/candorhq/candor/internal/testkit"
)

// TestDepthModelReadsTheTrace: the depth model decides a signal in an
// analysis from the same coverage features the training command reads for
// it (TraceDepth): the engine's second pass, which
// reuses the first pass's similarities, computes them as a fresh trace
// does. Checked on the training answers of answers2.jsonl with cx-empathy.
func TestDepthModelReadsTheTrace(t *testing.T) {
	w := New().mustWeights()
	if w.Depth == nil {
		t.Fatal("the embedded weights have no depth model")
	}
	g, ok := guide.Builtin("cx-empathy")
	if !ok {
		t.Fatal("no built-in guide cx-empathy")
	}
	type answer struct {
		ID         string `json:"id"`
		QuestionID string `json:"question_id"`
		Text       string `json:"text"`
	}
	answers, _ := testkit.ReadJSONL[answer](t, "../../testdata/eval/answers2.jsonl", false)
	e := New()
	n, statuses := 0, map[string]int{}
	for _, it := range answers {
		if n == 30 {
			break
		}
		q, ok := g.Question(it.QuestionID)
		if !ok {
			continue
		}
		n++
		a, err := e.Analyze(analyzer.WithQuestions(context.Background(), g.Questions), *q, it.Text)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := e.TraceDepth(*q, it.Text)
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range a.Delivery.Depth {
			x := tr.Areas[len(q.Areas)+i].Coverage
			s := w.Depth.Score(x)
			want := analyzer.DepthStatus([3]string{analyzer.StatusMissing, analyzer.StatusPartial, analyzer.StatusCovered}[w.Depth.Decide(s)])
			if d.Status != want || d.Confidence != analyzer.Round3(w.Depth.AtLeast(s, 2)) {
				t.Errorf("%s signal %s: analysis %s %.3f, the model on the trace %s %.3f", it.ID, d.ID, d.Status, d.Confidence, want, w.Depth.AtLeast(s, 2))
			}
			statuses[d.Status]++
		}
	}
	if n == 0 {
		t.Fatal("no answer read")
	}
	// A model that says the same of every signal would pass the check
	// above without deciding anything.
	if statuses[analyzer.DepthPresent] == 0 || statuses[analyzer.DepthAbsent]+statuses[analyzer.DepthPartial] == 0 {
		t.Errorf("depth statuses over %d answers: %v, want more than one", n, statuses)
	}
}
