package evaluation_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/evaluation"
	"github.com/candorhq/candor/guide"
)

func cxGuide(t testing.TB) *analyzer.Guide {
	t.Helper()
	g, ok := guide.Builtin("cx-empathy")
	if !ok {
		t.Fatal("no built-in guide cx-empathy")
	}
	return g
}

func loadSet(t testing.TB, path string) *evaluation.Set {
	t.Helper()
	s, err := evaluation.LoadSet(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// oracle answers every labelled answer with its gold labels (optionally
// spoiled by spoil), so the figures are known in advance.
type oracle struct {
	byText map[string]*evaluation.Item
	spoil  func(a *analyzer.AnswerAnalysis)
	calls  atomic.Int64
}

func newOracle(s *evaluation.Set, spoil func(a *analyzer.AnswerAnalysis)) *oracle {
	o := &oracle{byText: map[string]*evaluation.Item{}, spoil: spoil}
	for i := range s.Answers {
		o.byText[s.Answers[i].Text] = &s.Answers[i]
	}
	return o
}

func (o *oracle) Info() analyzer.EngineInfo { return analyzer.EngineInfo{Name: "oracle"} }

func (o *oracle) Analyze(_ context.Context, q analyzer.Question, text string) (analyzer.AnswerAnalysis, error) {
	o.calls.Add(1)
	it, ok := o.byText[text]
	if !ok {
		return analyzer.AnswerAnalysis{}, fmt.Errorf("oracle: no label for this answer")
	}
	a := analyzer.AnswerAnalysis{QuestionID: q.ID, Question: q.Text, Text: text, Engine: "oracle"}
	for i := range q.Areas {
		st := it.Areas[strconv.Itoa(i+1)]
		a.Coverage.Areas = append(a.Coverage.Areas, analyzer.AreaResult{Index: i + 1, Text: q.Areas[i], Status: st, Confidence: 0.95})
	}
	// Quote the first gold evidence sentence of each area, and one
	// sentence that is not evidence for area 8, marked tentative.
	for k, sents := range it.Evidence {
		i, _ := strconv.Atoi(k)
		start := len([]rune(text[:strings.Index(text, sents[0])]))
		a.Coverage.Areas[i-1].Evidence = []analyzer.Span{{Quote: sents[0], Start: start, End: start + len([]rune(sents[0]))}}
	}
	if len(it.Evidence) > 0 {
		a.Coverage.Areas[7].Evidence = append(a.Coverage.Areas[7].Evidence, analyzer.Span{Quote: "Last March", Start: 0, End: 10, Tentative: true})
	}
	a.Delivery.Label = it.Label
	a.Delivery.Specificity = *it.Specificity
	if it.STAR != nil {
		a.Delivery.STAR = *it.STAR
	}
	a.Words = len(strings.Fields(text))
	if o.spoil != nil {
		o.spoil(&a)
	}
	return a, nil
}

func TestEvaluateOracle(t *testing.T) {
	set := loadSet(t, "testdata/mini/answers.jsonl")
	res, err := evaluation.Evaluate(context.Background(), newOracle(set, nil), cxGuide(t), set, evaluation.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := res.AnswersFile
	for name, fig := range map[string]evaluation.Figure{
		"coverage QWK": f.CoverageQWK, "coverage accuracy": f.CoverageAccuracy, "label accuracy": f.LabelAccuracy,
		"label macro F1": f.LabelMacroF1, "Spearman": f.SpecificitySpearman, "AUC": f.AUC,
	} {
		if fig.Value != 1 {
			t.Errorf("%s = %v, want 1 for an engine that returns the labels", name, fig.Value)
		}
	}
	// m-1 has two gold sentences (areas 5 and 8); the oracle quotes both
	// and one more for area 8 that is not evidence: precision 2/3.
	if f.EvidencePrecision.N != 3 || math.Abs(f.EvidencePrecision.Value-2.0/3) > 1e-9 || f.EvidenceRecall.Value != 1 {
		t.Errorf("evidence precision %+v recall %+v", f.EvidencePrecision, f.EvidenceRecall)
	}
	// The quote that is not evidence is the tentative one: the two the
	// engine stands behind are both right.
	if f.EvidencePrecisionSure.N != 2 || f.EvidencePrecisionSure.Value != 1 {
		t.Errorf("evidence precision of the quotes not tentative %+v, want 2 of 2", f.EvidencePrecisionSure)
	}
	if res.CoverageConfusion[2][2]+res.CoverageConfusion[1][1]+res.CoverageConfusion[0][0] != 24 {
		t.Errorf("coverage confusion %v: want 24 areas on the diagonal", res.CoverageConfusion)
	}
	if res.LabelConfusion != [3][3]int{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}} {
		t.Errorf("label confusion %v", res.LabelConfusion)
	}
	if n := res.Reliability[9].Areas; n != 24 || res.Reliability[9].Accuracy != 1 {
		t.Errorf("reliability bin 0.9-1: %+v", res.Reliability[9])
	}
	if math.Abs(res.ECE-0.05) > 1e-9 {
		t.Errorf("ECE = %v, want 0.05 (confidence 0.95, accuracy 1)", res.ECE)
	}
	if len(res.Questions) != 2 || res.Questions[0].QuestionID != "q1" || res.Questions[0].Answers != 2 {
		t.Errorf("questions %+v", res.Questions)
	}
	if len(res.Areas) != 16 || res.Areas[0].Agreement != 1 || res.Areas[0].Text == "" {
		t.Errorf("areas %+v", res.Areas)
	}
	if g := res.Predictions[1].Group; g["gender"] != "male" || g["native_speaker"] != "false" {
		t.Errorf("groups %v", g)
	}
}

func TestEvaluateSpoiled(t *testing.T) {
	set := loadSet(t, "testdata/mini/answers.jsonl")
	// Every covered area read as missing and the reverse; every label
	// rehearsed.
	flip := func(a *analyzer.AnswerAnalysis) {
		for i := range a.Coverage.Areas {
			switch a.Coverage.Areas[i].Status {
			case analyzer.StatusCovered:
				a.Coverage.Areas[i].Status = analyzer.StatusMissing
			case analyzer.StatusMissing:
				a.Coverage.Areas[i].Status = analyzer.StatusCovered
			}
			a.Coverage.Areas[i].Evidence = nil
		}
		a.Delivery.Label = analyzer.LabelRehearsed
	}
	res, err := evaluation.Evaluate(context.Background(), newOracle(set, flip), cxGuide(t), set, evaluation.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := res.AnswersFile
	if f.CoverageQWK.Value >= 0 {
		t.Errorf("coverage QWK %v for an engine that reverses covered and missing, want < 0", f.CoverageQWK.Value)
	}
	if math.Abs(f.LabelAccuracy.Value-1.0/3) > 1e-9 {
		t.Errorf("label accuracy %v, want 1/3", f.LabelAccuracy.Value)
	}
	// The first row of the per-area table is an area the engine reads
	// differently from the labels.
	if res.Areas[0].Agreement != 0 {
		t.Errorf("least-agreed area %+v", res.Areas[0])
	}
	if f.EvidencePrecision.Defined() {
		t.Errorf("evidence precision %v with no quotes", f.EvidencePrecision)
	}
}

func TestEvaluateDeterministic(t *testing.T) {
	set := loadSet(t, "testdata/mini")
	run := func() []byte {
		res, err := evaluation.Evaluate(context.Background(), heuristic.New(), cxGuide(t), set, evaluation.Options{Concurrency: 3})
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b := run(), run()
	if !bytes.Equal(a, b) {
		t.Error("two runs of the embedded engine gave different results")
	}
	// Results hold no answer text (personal data).
	for _, w := range []string{"Dorota", "Tomasz", "sofa"} {
		if bytes.Contains(a, []byte(w)) {
			t.Errorf("result JSON quotes the answers (%q)", w)
		}
	}
	var back evaluation.Result
	if err := json.Unmarshal(a, &back); err != nil {
		t.Fatal(err)
	}
	if again, _ := json.Marshal(&back); !bytes.Equal(again, a) {
		t.Errorf("JSON round trip changed the result:\n%s\n%s", a, again)
	}
	if back.Transcripts == nil || back.Transcripts.SegmentF1 == nil || back.Transcripts.SegmentF1.Value != 1 || back.AnswersFile.CoverageQWK.CI == nil {
		t.Errorf("transcripts %+v", back.Transcripts)
	}
}

func TestEvaluateFailures(t *testing.T) {
	set := loadSet(t, "testdata/mini/answers.jsonl")
	o := newOracle(set, nil)
	delete(o.byText, set.Answers[1].Text)
	res, err := evaluation.Evaluate(context.Background(), o, cxGuide(t), set, evaluation.Options{Bootstrap: -1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failures) != 1 || res.Failures[0].ID != "m-2" || res.AnswersFile.Answers != 2 || res.AnswersFile.LabelAccuracy.N != 2 {
		t.Errorf("failures %+v, answers %d", res.Failures, res.AnswersFile.Answers)
	}
	if res.AnswersFile.CoverageQWK.CI != nil {
		t.Error("intervals with Bootstrap -1")
	}
}

func TestEvaluateChecksSetFirst(t *testing.T) {
	tests := []struct {
		name, line, want string
	}{
		{"unknown question", `{"id": "a", "question_id": "q99", "text": "I did it."}`, `x.jsonl:1: question_id: "q99" is not a question of guide "cx-empathy"`},
		{"area beyond the question's", `{"id": "a", "question_id": "q1", "text": "I did it.", "areas": {"9": "covered"}}`, `x.jsonl:1: areas.9: question q1 of guide "cx-empathy" has 8 areas`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := evaluation.ParseAnswers("x.jsonl", []byte(tt.line))
			if err != nil {
				t.Fatal(err)
			}
			set := &evaluation.Set{Name: "x", Answers: items}
			eng := newOracle(set, nil)
			_, err = evaluation.Evaluate(context.Background(), eng, cxGuide(t), set, evaluation.Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, analyzer.ErrInvalidInput) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if eng.calls.Load() != 0 {
				t.Errorf("%d answers analyzed before the set was found wrong", eng.calls.Load())
			}
		})
	}
}

func TestEvaluateCancelled(t *testing.T) {
	set := loadSet(t, repoEval)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := evaluation.Evaluate(ctx, heuristic.New(), cxGuide(t), set, evaluation.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestCompareEngines(t *testing.T) {
	set := loadSet(t, "testdata/mini/answers.jsonl")
	g := cxGuide(t)
	a, err := evaluation.Evaluate(context.Background(), newOracle(set, nil), g, set, evaluation.Options{Bootstrap: -1})
	if err != nil {
		t.Fatal(err)
	}
	same := evaluation.Compare(a, a)
	if same.Answers != 3 || same.CoverageQWK != 1 || same.LabelAgreement != 1 || same.SpecificityMeanGap != 0 {
		t.Errorf("an engine against itself: %+v", same)
	}
	ev, err := evaluation.EvaluateAll(context.Background(), []analyzer.Engine{newOracle(set, nil), heuristic.New()}, g, set, evaluation.Options{Bootstrap: -1})
	if err != nil {
		t.Fatal(err)
	}
	if len(ev.Results) != 2 || len(ev.Agreement) != 1 {
		t.Fatalf("%d results, %d agreements", len(ev.Results), len(ev.Agreement))
	}
	// The oracle is the labels, so its agreement with the embedded engine
	// is the embedded engine's agreement with the labels.
	ag, h := ev.Agreement[0], ev.Results[1].AnswersFile
	if ag.A != "oracle" || ag.B != "heuristic" || math.Abs(ag.CoverageQWK-h.CoverageQWK.Value) > 1e-9 || math.Abs(ag.LabelAgreement-h.LabelAccuracy.Value) > 1e-9 {
		t.Errorf("agreement %+v against the heuristic's figures %+v %+v", ag, h.CoverageQWK, h.LabelAccuracy)
	}
}

func TestPrices(t *testing.T) {
	p := evaluation.DefaultPrices()
	c := p.Cost("gpt-4o-mini-2024-07-18", analyzer.Usage{Calls: 2, PromptTokens: 1_000_000, CompletionTokens: 500_000})
	if c.Model != "gpt-4o-mini" || c.USD == nil || math.Abs(*c.USD-0.45) > 1e-9 {
		t.Errorf("cost %+v", c)
	}
	if c := p.Cost("qwen2.5:7b", analyzer.Usage{Calls: 1, PromptTokens: 10}); c.USD != nil || !strings.Contains(c.Note, "--prices") {
		t.Errorf("unknown model: %+v", c)
	}
	own, err := evaluation.ParsePrices("p.json", []byte(`{"qwen2.5:7b": {"input": 0, "output": 0}, "gpt-4o-mini": {"input": 1, "output": 1}}`))
	if err != nil {
		t.Fatal(err)
	}
	if c := own.Cost("qwen2.5:7b", analyzer.Usage{PromptTokens: 10}); c.USD == nil || *c.USD != 0 {
		t.Errorf("own price: %+v", c)
	}
	if c := own.Cost("gpt-4o-mini", analyzer.Usage{PromptTokens: 1e6}); *c.USD != 1 {
		t.Errorf("override: %+v", c)
	}
	for _, bad := range []string{`{"m": {"input": -1}}`, `{"m": {"inptu": 1}}`, `[1]`} {
		if _, err := evaluation.ParsePrices("p.json", []byte(bad)); err == nil || !strings.HasPrefix(err.Error(), "p.json") {
			t.Errorf("%s: err = %v", bad, err)
		}
	}
}

func TestRaterAgreement(t *testing.T) {
	a := loadSet(t, "testdata/mini/answers.jsonl")
	b := loadSet(t, "testdata/mini/answers.jsonl")
	if ag := evaluation.RaterAgreement(a, b); ag.Answers != 3 || ag.CoverageQWK != 1 || ag.LabelAgreement != 1 || ag.LabelKappa != 1 {
		t.Errorf("a rater against herself: %+v", ag)
	}
	// The second rater reads m-1's area 6 as partial and m-3 as rehearsed,
	// and left m-2's labels out.
	b.Answers[0].Areas["6"] = "partial"
	b.Answers[2].Label = "rehearsed"
	b.Answers[1].Label, b.Answers[1].Areas = "", nil
	ag := evaluation.RaterAgreement(a, b)
	if ag.Answers != 3 || math.Abs(ag.CoverageAgreement-15.0/16) > 1e-9 || math.Abs(ag.LabelAgreement-0.5) > 1e-9 {
		t.Errorf("agreement %+v: want 15 of 16 areas and 1 of 2 labels", ag)
	}
}
