package analyzer_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/candorhq/candor/analyzer"
)

// fakeEngine is a test double for analyzer.Engine: it records how many
// calls run at once, can hold calls until released, fails on chosen
// answers and reports blank answers as ErrEmptyAnswer.
type fakeEngine struct {
	// hold, when set, blocks every call until it is closed or ctx is done.
	hold chan struct{}
	// full receives once when `target` calls are in flight together.
	full   chan struct{}
	target int32
	// fail maps an answer text to the error its call returns at once.
	fail map[string]error
	// waitCancel makes calls that do not fail block until ctx is done.
	waitCancel bool

	inFlight, maxInFlight, calls atomic.Int32
	fullOnce                     sync.Once
}

func (e *fakeEngine) Info() analyzer.EngineInfo {
	return analyzer.EngineInfo{Name: "heuristic", Model: "fake", PromptVersion: "test"}
}

func (e *fakeEngine) Analyze(ctx context.Context, q analyzer.Question, text string) (analyzer.AnswerAnalysis, error) {
	e.calls.Add(1)
	n := e.inFlight.Add(1)
	defer e.inFlight.Add(-1)
	for {
		m := e.maxInFlight.Load()
		if n <= m || e.maxInFlight.CompareAndSwap(m, n) {
			break
		}
	}
	if e.full != nil && n == e.target {
		e.fullOnce.Do(func() { close(e.full) })
	}
	if err, ok := e.fail[text]; ok {
		return analyzer.AnswerAnalysis{}, err
	}
	if e.waitCancel {
		<-ctx.Done()
		return analyzer.AnswerAnalysis{}, ctx.Err()
	}
	if e.hold != nil {
		select {
		case <-e.hold:
		case <-ctx.Done():
			return analyzer.AnswerAnalysis{}, ctx.Err()
		}
	}
	if text == "" {
		return analyzer.AnswerAnalysis{}, fmt.Errorf("%s: %w", q.ID, analyzer.ErrEmptyAnswer)
	}
	areas := make([]analyzer.AreaResult, len(q.Areas))
	for i, a := range q.Areas {
		areas[i] = analyzer.AreaResult{Index: i + 1, Text: a, Status: analyzer.StatusCovered, Evidence: []analyzer.Span{}}
	}
	return analyzer.AnswerAnalysis{
		QuestionID: q.ID, Question: q.Text, Text: text,
		Coverage:  analyzer.Coverage{Score: 1, Areas: areas},
		Delivery:  analyzer.Delivery{Label: analyzer.LabelSpecific, Specificity: 50, Signals: []analyzer.Signal{}},
		FollowUps: []string{},
	}, nil
}

// testGuide has questions q1..qn with two areas each.
func testGuide(n int) *analyzer.Guide {
	g := &analyzer.Guide{ID: "test", Title: "Test guide", Version: "v1"}
	for i := 1; i <= n; i++ {
		g.Questions = append(g.Questions, analyzer.Question{
			ID: fmt.Sprintf("q%d", i), Text: fmt.Sprintf("Question %d?", i), Areas: []string{"first area", "second area"},
		})
	}
	return g
}

// answers returns n answers to q1..qn with distinct texts.
func answers(n int) []analyzer.Answer {
	out := make([]analyzer.Answer, n)
	for i := range out {
		out[i] = analyzer.Answer{QuestionID: fmt.Sprintf("q%d", i+1), Text: fmt.Sprintf("answer %d", i+1), AskedAt: -1}
	}
	return out
}

// deadline bounds a test that would otherwise hang on a broken bound or a
// missed cancellation; it is a guard, never a wait.
func deadline(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// TestConcurrencyBound checks that no more than Options.Concurrency answers
// are analyzed at once, and that the bound is reached. The engine holds
// every call until the expected number is in flight together.
func TestConcurrencyBound(t *testing.T) {
	tests := []struct {
		name        string
		concurrency int
		answers     int
		want        int32
	}{
		{"zero means one", 0, 6, 1},
		{"negative means one", -3, 6, 1},
		{"one", 1, 6, 1},
		{"three", 3, 12, 3},
		{"more than answers", 16, 5, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eng := &fakeEngine{hold: make(chan struct{}), full: make(chan struct{}), target: tt.want}
			go func() {
				<-eng.full
				close(eng.hold)
			}()
			rep, err := analyzer.Analyze(deadline(t), eng, testGuide(tt.answers), answers(tt.answers), analyzer.Options{Concurrency: tt.concurrency})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := eng.maxInFlight.Load(), tt.want; got != want {
				t.Errorf("max calls in flight = %d, want %d", got, want)
			}
			if got, want := int(eng.calls.Load()), tt.answers; got != want {
				t.Errorf("engine calls = %d, want %d", got, want)
			}
			if got, want := len(rep.Answers), tt.answers; got != want {
				t.Errorf("report answers = %d, want %d", got, want)
			}
			for i, a := range rep.Answers {
				if want := fmt.Sprintf("q%d", i+1); a.QuestionID != want {
					t.Errorf("answer %d is %s, want %s (input order)", i, a.QuestionID, want)
				}
			}
		})
	}
}

var errBoom = errors.New("engine exploded")

// TestFirstErrorCancels checks that the first engine error cancels the calls
// still running and is the error returned, wherever the failing answer is.
// The other calls block until their context is cancelled, so the run ends
// only if the failure cancels them (the failing answer must be among the
// first `concurrency` answers, or nothing would ever free a slot for it).
func TestFirstErrorCancels(t *testing.T) {
	tests := []struct {
		name        string
		failAt      int
		answers     int
		concurrency int
	}{
		{"first answer fails, sequential", 0, 5, 1},
		{"first answer fails, all at once", 0, 5, 5},
		{"middle answer fails, all at once", 2, 5, 5},
		{"last answer fails, all at once", 4, 5, 5},
		{"second answer fails, two at once", 1, 8, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			as := answers(tt.answers)
			eng := &fakeEngine{fail: map[string]error{as[tt.failAt].Text: errBoom}, waitCancel: true}
			rep, err := analyzer.Analyze(deadline(t), eng, testGuide(tt.answers), as, analyzer.Options{Concurrency: tt.concurrency})
			if rep != nil {
				t.Errorf("got a report, want none")
			}
			if !errors.Is(err, errBoom) {
				t.Fatalf("error = %v, want %v", err, errBoom)
			}
			if want := "analyze answer to " + as[tt.failAt].QuestionID; !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not name the answer (%q)", err, want)
			}
		})
	}
}

// TestParentCancel checks that a cancelled caller context stops the run
// with the context's error.
func TestParentCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	eng := &fakeEngine{waitCancel: true}
	_, err := analyzer.Analyze(ctx, eng, testGuide(3), answers(3), analyzer.Options{Concurrency: 1})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
}

// TestEmptyAnswersWarn checks that answers the engine finds empty are left
// out of the report with a warning each, and the rest are kept in order.
func TestEmptyAnswersWarn(t *testing.T) {
	as := answers(4)
	as[1].Text = ""
	as[3].Text = ""
	rep, err := analyzer.Analyze(context.Background(), &fakeEngine{}, testGuide(4), as, analyzer.Options{
		Concurrency: 2,
		Warnings:    []analyzer.Warning{{Code: analyzer.WarnRolesUnclear, Message: "given before analysis"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range rep.Answers {
		got = append(got, a.QuestionID)
	}
	if want := []string{"q1", "q3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("answers = %v, want %v", got, want)
	}
	if got, want := rep.Summary.Answers, 2; got != want {
		t.Errorf("summary.answers = %d, want %d", got, want)
	}
	var codes []string
	for _, w := range rep.Warnings {
		codes = append(codes, w.Code+"/"+w.QuestionID)
	}
	want := []string{analyzer.WarnRolesUnclear + "/", analyzer.WarnShortAnswer + "/q2", analyzer.WarnShortAnswer + "/q4"}
	if !reflect.DeepEqual(codes, want) {
		t.Errorf("warnings = %v, want %v", codes, want)
	}
}

// TestUnknownQuestion checks that an answer to a question the guide lacks
// is an error naming it, before any engine call.
func TestUnknownQuestion(t *testing.T) {
	as := answers(3)
	as[2].QuestionID = "q42"
	eng := &fakeEngine{}
	_, err := analyzer.Analyze(context.Background(), eng, testGuide(3), as, analyzer.Options{})
	if !errors.Is(err, analyzer.ErrUnknownQuestion) {
		t.Fatalf("error = %v, want ErrUnknownQuestion", err)
	}
	for _, want := range []string{"answers[2].question_id", `"q42"`, `"test"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if n := eng.calls.Load(); n != 0 {
		t.Errorf("engine called %d times, want 0", n)
	}
}

// TestReportIdentity checks the report's header fields and that its id
// depends on the answers, the source and the candidate, and on nothing else
// (not on concurrency, not on the role or date fields).
func TestReportIdentity(t *testing.T) {
	g := testGuide(2)
	run := func(as []analyzer.Answer, opts analyzer.Options) *analyzer.Report {
		t.Helper()
		rep, err := analyzer.Analyze(context.Background(), &fakeEngine{}, g, as, opts)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	base := run(answers(2), analyzer.Options{})
	if base.SchemaVersion != analyzer.SchemaVersion || base.Guide.ID != g.ID || base.Guide.Version != g.Version ||
		base.Engine.Model != "fake" || base.Disclaimer == "" || base.Warnings == nil {
		t.Errorf("header = %+v %+v %+v, disclaimer %q, warnings %v", base.SchemaVersion, base.Guide, base.Engine, base.Disclaimer, base.Warnings)
	}
	same := run(answers(2), analyzer.Options{Concurrency: 2, Role: "CX lead", InterviewDate: "2026-03-02", Interviewers: []string{"Ana"}})
	changed := answers(2)
	changed[1].Text += "."
	other := run(changed, analyzer.Options{})
	if base.ID == "" || base.ID != same.ID {
		t.Errorf("ids %q and %q, want the same non-empty id for the same answers", base.ID, same.ID)
	}
	if other.ID == base.ID {
		t.Errorf("changed answer text kept id %q", base.ID)
	}
	if same.Role != "CX lead" || same.InterviewDate != "2026-03-02" || len(same.Interviewers) != 1 {
		t.Errorf("report fields: role %q date %q interviewers %v", same.Role, same.InterviewDate, same.Interviewers)
	}
	// The same answers from another candidate, or from another file of
	// the interview (one with the small talk), are other reports.
	src := func(file, sum string) *analyzer.SourceInfo {
		return &analyzer.SourceInfo{File: file, SHA256: sum, Format: "plain", Candidate: "Candidate"}
	}
	ids := map[string]string{}
	for name, opts := range map[string]analyzer.Options{
		"no source":             {},
		"candidate Sofia":       {Candidate: "Sofia Ruiz"},
		"candidate Ana":         {Candidate: "Ana Diaz"},
		"file a":                {Source: src("a.txt", "aa")},
		"file a, other bytes":   {Source: src("a.txt", "bb")},
		"file b, same bytes":    {Source: src("b.txt", "aa")},
		"file a, Sofia":         {Source: src("a.txt", "aa"), Candidate: "Sofia Ruiz"},
		"file a, other speaker": {Source: &analyzer.SourceInfo{File: "a.txt", SHA256: "aa", Format: "plain", Candidate: "A"}},
	} {
		id := run(answers(2), opts).ID
		if prev, dup := ids[id]; dup {
			t.Errorf("%s and %s share the id %s", prev, name, id)
		}
		ids[id] = name
		if again := run(answers(2), opts).ID; again != id {
			t.Errorf("%s: id %s, then %s for the same input", name, id, again)
		}
	}
}

func TestSummarize(t *testing.T) {
	answer := func(score float64, spec int, label string, statuses ...string) analyzer.AnswerAnalysis {
		a := analyzer.AnswerAnalysis{Coverage: analyzer.Coverage{Score: score}, Delivery: analyzer.Delivery{Label: label, Specificity: spec}}
		for i, s := range statuses {
			a.Coverage.Areas = append(a.Coverage.Areas, analyzer.AreaResult{Index: i + 1, Status: s})
		}
		return a
	}
	const c, p, m = analyzer.StatusCovered, analyzer.StatusPartial, analyzer.StatusMissing
	withLLM := func(a analyzer.AnswerAnalysis, calls, quotes, found int, cached bool) analyzer.AnswerAnalysis {
		a.Usage = &analyzer.Usage{Calls: calls, PromptTokens: 100 * calls, CompletionTokens: 10 * calls}
		a.Grounding = &analyzer.Grounding{Quotes: quotes, Found: found}
		a.Cached = cached
		return a
	}
	rate := func(x float64) *float64 { return &x }
	zeroLabels := map[string]int{analyzer.LabelSpecific: 0, analyzer.LabelMixed: 0, analyzer.LabelRehearsed: 0}
	zeroAreas := map[string]int{c: 0, p: 0, m: 0}

	tests := []struct {
		name    string
		answers []analyzer.AnswerAnalysis
		want    analyzer.Summary
	}{
		{"none", nil, analyzer.Summary{Labels: zeroLabels, Areas: zeroAreas}},
		{
			"one",
			[]analyzer.AnswerAnalysis{answer(0.625, 78, analyzer.LabelSpecific, c, c, p, m)},
			analyzer.Summary{Answers: 1, Coverage: 0.625, Specificity: 78,
				Labels: map[string]int{analyzer.LabelSpecific: 1, analyzer.LabelMixed: 0, analyzer.LabelRehearsed: 0},
				Areas:  map[string]int{c: 2, p: 1, m: 1}},
		},
		{
			// (0.5+0.25+0.3)/3 = 0.35; (80+41+20)/3 = 47.0; rounding to 3 and 1 places.
			"three, rounded",
			[]analyzer.AnswerAnalysis{
				answer(0.5, 80, analyzer.LabelSpecific, c, p),
				answer(0.25, 41, analyzer.LabelMixed, p, m),
				answer(0.3, 20, analyzer.LabelRehearsed, m, m),
			},
			analyzer.Summary{Answers: 3, Coverage: 0.35, Specificity: 47,
				Labels: map[string]int{analyzer.LabelSpecific: 1, analyzer.LabelMixed: 1, analyzer.LabelRehearsed: 1},
				Areas:  map[string]int{c: 1, p: 2, m: 3}},
		},
		{
			// (1+0+0)/3 = 0.333...; (10+11+11)/3 = 10.666... -> 10.7.
			"repeating decimals",
			[]analyzer.AnswerAnalysis{
				answer(1, 10, analyzer.LabelMixed),
				answer(0, 11, analyzer.LabelMixed),
				answer(0, 11, analyzer.LabelRehearsed),
			},
			analyzer.Summary{Answers: 3, Coverage: 0.333, Specificity: 10.7,
				Labels: map[string]int{analyzer.LabelSpecific: 0, analyzer.LabelMixed: 2, analyzer.LabelRehearsed: 1},
				Areas:  zeroAreas},
		},
		{
			// Usage sums; grounding rate = (3+1)/(4+2) = 0.667; one cached.
			"llm usage and grounding",
			[]analyzer.AnswerAnalysis{
				withLLM(answer(1, 90, analyzer.LabelSpecific, c), 2, 4, 3, true),
				withLLM(answer(0, 10, analyzer.LabelRehearsed, m), 1, 2, 1, false),
			},
			analyzer.Summary{Answers: 2, Coverage: 0.5, Specificity: 50,
				Labels:        map[string]int{analyzer.LabelSpecific: 1, analyzer.LabelMixed: 0, analyzer.LabelRehearsed: 1},
				Areas:         map[string]int{c: 1, p: 0, m: 1},
				Usage:         &analyzer.Usage{Calls: 3, PromptTokens: 300, CompletionTokens: 30},
				GroundingRate: rate(0.667), Cached: 1},
		},
		{
			"grounding with no quotes is fully grounded",
			[]analyzer.AnswerAnalysis{withLLM(answer(0.5, 50, analyzer.LabelMixed, p), 1, 0, 0, false)},
			analyzer.Summary{Answers: 1, Coverage: 0.5, Specificity: 50,
				Labels:        map[string]int{analyzer.LabelSpecific: 0, analyzer.LabelMixed: 1, analyzer.LabelRehearsed: 0},
				Areas:         map[string]int{c: 0, p: 1, m: 0},
				Usage:         &analyzer.Usage{Calls: 1, PromptTokens: 100, CompletionTokens: 10},
				GroundingRate: rate(1)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := analyzer.Summarize(tt.answers)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Summarize =\n %+v\nwant\n %+v", fmtSummary(got), fmtSummary(tt.want))
			}
		})
	}
}

// fmtSummary spells out a summary's pointer fields for failure messages.
func fmtSummary(s analyzer.Summary) string {
	out := fmt.Sprintf("answers %d coverage %v specificity %v labels %v areas %v cached %d", s.Answers, s.Coverage, s.Specificity, s.Labels, s.Areas, s.Cached)
	if s.Usage != nil {
		out += fmt.Sprintf(" usage %+v", *s.Usage)
	}
	if s.GroundingRate != nil {
		out += fmt.Sprintf(" grounding %v", *s.GroundingRate)
	}
	return out
}
