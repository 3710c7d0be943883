package llm_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/internal/testkit"
	"github.com/candorhq/candor/llm"
)

// depthQuestion is the shared question with two depth signals.
func depthQuestion() analyzer.Question {
	q := question
	q.Depth = []analyzer.DepthSignal{
		{ID: "feelings", Text: "The customer's feelings at the time, named"},
		{ID: "cues", Text: "How the candidate noticed those feelings"},
		{ID: "own-words", Text: "What the candidate said, in their own words"},
	}
	return q
}

// TestDepthSignals: the prompt lists the question's depth signals, and the
// model's verdicts on them are grounded like areas: an exact quote is kept
// with its offsets, an invented one is dropped (present falls to partial),
// and absent keeps no evidence.
func TestDepthSignals(t *testing.T) {
	r := goodReply
	r.Depth = []area{
		{1, "covered", 0.9, []string{"She was upset"}},
		{2, "covered", 0.8, []string{"I could hear the panic in her voice"}}, // not in the answer
		{3, "missing", 0.7, nil},
	}
	fs := newServer(t, reply(r))
	e := newEngine(t, fs, &fallbackEngine{}, nil)
	q := depthQuestion()
	a, err := e.Analyze(context.Background(), q, goodAnswer)
	if err != nil {
		t.Fatal(err)
	}
	checkSpans(t, a)
	calls := fs.recorded()
	if len(calls) != 1 {
		t.Fatalf("server saw %d calls, want 1", len(calls))
	}
	prompt := calls[0].req.Messages[len(calls[0].req.Messages)-1].Content
	if got, want := testkit.PromptDepthTexts(prompt), []string{q.Depth[0].Text, q.Depth[1].Text, q.Depth[2].Text}; !reflect.DeepEqual(got, want) {
		t.Errorf("prompt depth signals %q, want %q", got, want)
	}
	if findWarning(a, analyzer.WarnLLMFallback) != nil {
		t.Fatalf("fell back: %+v", a.Warnings)
	}
	type got struct {
		ID, Status string
		Present    bool
		Quotes     []string
	}
	var gots []got
	for _, d := range a.Delivery.Depth {
		g := got{ID: d.ID, Status: d.Status, Present: d.Present}
		for _, s := range d.Evidence {
			g.Quotes = append(g.Quotes, s.Quote)
		}
		gots = append(gots, g)
	}
	want := []got{
		{"feelings", analyzer.DepthPresent, true, []string{"She was upset"}},
		{"cues", analyzer.DepthPartial, false, nil},
		{"own-words", analyzer.DepthAbsent, false, nil},
	}
	if !reflect.DeepEqual(gots, want) {
		t.Errorf("depth verdicts\ngot  %+v\nwant %+v", gots, want)
	}
	for _, d := range a.Delivery.Depth {
		if d.Evidence == nil {
			t.Errorf("%s: nil evidence, want []", d.ID)
		}
	}
	if a.Grounding == nil || a.Grounding.Quotes != a.Grounding.Found+1 {
		t.Errorf("grounding %+v: want the invented depth quote counted as not found", a.Grounding)
	}
}

// TestDepthSignalsReplyChecked: a reply that leaves some depth signal
// unjudged, or judges one twice, is unusable like one that skips an area:
// the engine falls back to the embedded engine, saying so. A reply that
// judges none is used, and the answer has no depth verdicts.
func TestDepthSignalsReplyChecked(t *testing.T) {
	for name, depth := range map[string][]area{
		"one missing": {{1, "covered", 0.9, []string{"She was upset"}}, {2, "missing", 0.5, nil}},
		"repeated":    {{1, "covered", 0.9, []string{"She was upset"}}, {1, "missing", 0.5, nil}, {2, "missing", 0.5, nil}},
		"out of range": {{1, "covered", 0.9, []string{"She was upset"}}, {2, "missing", 0.5, nil},
			{4, "missing", 0.5, nil}},
	} {
		t.Run(name, func(t *testing.T) {
			r := goodReply
			r.Depth = depth
			fs := newServer(t, reply(r))
			fb := &fallbackEngine{}
			e := newEngine(t, fs, fb, func(c *llm.Config) { c.MaxRetries = 0 })
			a, err := e.Analyze(context.Background(), depthQuestion(), goodAnswer)
			if err != nil {
				t.Fatal(err)
			}
			if findWarning(a, analyzer.WarnLLMFallback) == nil || fb.count() != 1 {
				t.Errorf("no fallback for a reply with depth %+v: warnings %+v", depth, a.Warnings)
			}
		})
	}
}

func TestDepthSignalsNoneJudged(t *testing.T) {
	fs := newServer(t, reply(goodReply))
	fb := &fallbackEngine{}
	e := newEngine(t, fs, fb, nil)
	a, err := e.Analyze(context.Background(), depthQuestion(), goodAnswer)
	if err != nil {
		t.Fatal(err)
	}
	if findWarning(a, analyzer.WarnLLMFallback) != nil || fb.count() != 0 {
		t.Fatalf("fell back: %+v", a.Warnings)
	}
	if a.Delivery.Depth != nil {
		t.Errorf("depth %+v from a reply that judged none", a.Delivery.Depth)
	}
}
