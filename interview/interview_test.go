package interview_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/guide"
	"github.com/candorhq/candor/interview"
	"github.com/candorhq/candor/transcript"
)

// evalDir holds the project's labelled transcripts, relative to this package.
var evalDir = filepath.Join("..", "testdata", "eval", "transcripts")

func cxGuide(t *testing.T) *analyzer.Guide {
	t.Helper()
	g, ok := guide.Builtin("cx-empathy")
	if !ok {
		t.Fatal("built-in guide cx-empathy is missing")
	}
	return g
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// goldFormat reads the format that a transcript's gold file names.
func goldFormat(t *testing.T, path string) string {
	t.Helper()
	var gold struct {
		Format string `json:"format"`
	}
	if err := json.Unmarshal(readFile(t, strings.TrimSuffix(path, filepath.Ext(path))+".gold.json"), &gold); err != nil {
		t.Fatal(err)
	}
	return gold.Format
}

// TestAnalyzeFormats runs the whole pipeline on a transcript of every
// format and checks the report's source, answers and not-asked list.
func TestAnalyzeFormats(t *testing.T) {
	g := cxGuide(t)
	type input struct{ path, format string }
	inputs := []input{{filepath.Join("testdata", "answers_order.json"), transcript.FormatAnswersJSON}}
	entries, err := os.ReadDir(evalDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if n := e.Name(); !strings.HasSuffix(n, ".gold.json") {
			p := filepath.Join(evalDir, n)
			inputs = append(inputs, input{p, goldFormat(t, p)})
		}
	}
	seen := map[string]bool{}
	for _, in := range inputs {
		t.Run(filepath.Base(in.path), func(t *testing.T) {
			rep, err := interview.Analyze(context.Background(), heuristic.New(), g, in.path, readFile(t, in.path), interview.Options{Concurrency: 4})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Source == nil {
				t.Fatal("report has no source")
			}
			if got, want := rep.Source.Format, in.format; got != want {
				t.Errorf("source format = %q, want %q", got, want)
			}
			seen[rep.Source.Format] = true
			if len(rep.Answers) == 0 {
				t.Fatal("no answers")
			}
			if rep.Candidate == "" {
				t.Errorf("report names no candidate")
			}
			answered := map[string]bool{}
			for _, a := range rep.Answers {
				answered[a.QuestionID] = true
			}
			for _, id := range rep.Summary.NotAsked {
				if answered[id] {
					t.Errorf("%s is both answered and listed as not asked", id)
				}
			}
			if in.format == transcript.FormatAnswersJSON && len(rep.Summary.NotAsked) != 0 {
				t.Errorf("answers JSON report lists questions not asked: %v", rep.Summary.NotAsked)
			}
			if in.format != transcript.FormatAnswersJSON && len(rep.Summary.NotAsked)+len(answered) > len(g.Questions) {
				t.Errorf("%d answered + %d not asked > %d questions", len(answered), len(rep.Summary.NotAsked), len(g.Questions))
			}
		})
	}
	for _, f := range transcript.Formats {
		if !seen[f] {
			t.Errorf("no input of format %s was analyzed", f)
		}
	}
}

// TestAnalyzeNoQuestion checks that a transcript in which no guide question
// is asked is an input error naming the file, not an empty report.
func TestAnalyzeNoQuestion(t *testing.T) {
	name := filepath.Join("testdata", "small_talk.txt")
	rep, err := interview.Analyze(context.Background(), heuristic.New(), cxGuide(t), name, readFile(t, name), interview.Options{})
	if rep != nil {
		t.Errorf("got a report with %d answers, want none", len(rep.Answers))
	}
	if !errors.Is(err, analyzer.ErrInvalidInput) {
		t.Fatalf("error = %v, want one wrapping analyzer.ErrInvalidInput", err)
	}
	var ie *analyzer.InputError
	if !errors.As(err, &ie) || ie.File != name {
		t.Errorf("error %v does not name the file %s", err, name)
	}
}

// TestCandidateOverride checks that Options.Candidate replaces the inferred
// roles: the report names that candidate, the other speakers become
// interviewers, and only the candidate's turns make up the answers.
func TestCandidateOverride(t *testing.T) {
	g := cxGuide(t)
	path := filepath.Join(evalDir, "t06_panel.txt")
	data := readFile(t, path)
	inferred, _, err := interview.Parse(g, path, data, interview.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Choose an interviewer of the inferred roles as the candidate, so the
	// override must change the result.
	override := inferred.Interviewers[len(inferred.Interviewers)-1]
	if override == inferred.Candidate {
		t.Fatalf("inferred candidate %q is also an interviewer", override)
	}

	seg, tr, err := interview.Parse(g, path, data, interview.Options{Candidate: override})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := seg.Candidate, override; got != want {
		t.Errorf("candidate = %q, want %q", got, want)
	}
	wantInterviewers := map[string]bool{inferred.Candidate: false}
	for _, s := range inferred.Interviewers {
		if s != override {
			wantInterviewers[s] = false
		}
	}
	for _, s := range seg.Interviewers {
		if _, ok := wantInterviewers[s]; !ok {
			t.Errorf("interviewer %q, want only %v", s, wantInterviewers)
		}
	}
	for _, a := range seg.Answers {
		for _, i := range a.Turns {
			if got := tr.Turns[i].Speaker; got != override {
				t.Errorf("%s: answer turn %d is by %q, want %q", a.QuestionID, i, got, override)
			}
		}
	}

	rep, err := interview.Analyze(context.Background(), heuristic.New(), g, path, data, interview.Options{Candidate: override})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Candidate != override || rep.Source.Candidate != override {
		t.Errorf("report candidate %q, source candidate %q; want %q", rep.Candidate, rep.Source.Candidate, override)
	}
}

// TestParseErrorsNameTheFile checks that errors from segmentation carry the
// input's name.
func TestParseErrorsNameTheFile(t *testing.T) {
	path := filepath.Join(evalDir, "t05_plain.txt")
	tests := []struct {
		name string
		opts interview.Options
	}{
		{"unknown candidate", interview.Options{Candidate: "Nobody Here"}},
		{"unknown interviewer", interview.Options{Interviewers: []string{"Nobody Here"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := interview.Parse(cxGuide(t), path, readFile(t, path), tt.opts)
			var ie *analyzer.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error = %v, want an *analyzer.InputError", err)
			}
			if ie.File != path || !strings.Contains(err.Error(), "Nobody Here") {
				t.Errorf("error %q: want it to name %s and the speaker", err, path)
			}
		})
	}
}

// TestReportKeepsAnswerOrder checks that a report on an answers file keeps
// the file's order, not the guide's, and lists no questions as not asked.
func TestReportKeepsAnswerOrder(t *testing.T) {
	g := cxGuide(t)
	path := filepath.Join("testdata", "answers_order.json")
	data := readFile(t, path)
	var in struct {
		Candidate string                 `json:"candidate"`
		Answers   []analyzer.GivenAnswer `json:"answers"`
	}
	if err := json.Unmarshal(data, &in); err != nil {
		t.Fatal(err)
	}
	seg, tr, err := interview.Parse(g, path, data, interview.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := interview.Report(context.Background(), heuristic.New(), g, seg, tr, interview.Options{Concurrency: 3})
	if err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for _, a := range rep.Answers {
		got = append(got, a.QuestionID)
	}
	for _, a := range in.Answers {
		want = append(want, a.QuestionID)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("answer order = %v, want %v", got, want)
	}
	for i, a := range rep.Answers {
		if a.Text != in.Answers[i].Text {
			t.Errorf("answer %d text changed: %q", i, a.Text)
		}
	}
	if rep.Candidate != in.Candidate {
		t.Errorf("candidate = %q, want %q", rep.Candidate, in.Candidate)
	}
	if len(rep.Summary.NotAsked) != 0 {
		t.Errorf("not asked = %v, want none for an answers file", rep.Summary.NotAsked)
	}
}

// TestConcurrencyDoesNotChangeReport checks that the report is the same
// whatever the number of answers analyzed at once.
func TestConcurrencyDoesNotChangeReport(t *testing.T) {
	g := cxGuide(t)
	path := filepath.Join(evalDir, "t09_reordered.txt")
	data := readFile(t, path)
	var reports []*analyzer.Report
	for _, n := range []int{0, 1, 8} {
		rep, err := interview.Analyze(context.Background(), heuristic.New(), g, path, data, interview.Options{Concurrency: n})
		if err != nil {
			t.Fatal(err)
		}
		reports = append(reports, rep)
	}
	for i := 1; i < len(reports); i++ {
		if !reflect.DeepEqual(reports[i], reports[0]) {
			t.Errorf("report %d differs from report 0", i)
		}
	}
}
