package guide_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/guide"
)

// valid returns a small guide that passes Validate; each case breaks one
// thing in it.
func valid() *analyzer.Guide {
	return &analyzer.Guide{
		ID:    "g",
		Title: "G",
		Questions: []analyzer.Question{
			{ID: "q1", Text: "One?", Areas: []string{"a", "b"}, FollowUps: []string{"f"}},
			{ID: "q2", Text: "Two?", Areas: []string{"c"}},
		},
		Notes: []analyzer.Note{{Title: "n", Text: "t"}},
	}
}

// checkValidate applies change to a valid guide and checks Validate's
// verdict: nil when want is empty; else an ErrInvalidGuide holding an
// *analyzer.InputError whose text after "invalid guide: " is want (exact)
// or contains it.
func checkValidate(t *testing.T, change func(*analyzer.Guide), want string, exact bool) {
	t.Helper()
	g := valid()
	change(g)
	err := guide.Validate(g)
	if want == "" {
		if err != nil {
			t.Fatalf("Validate: %v", err)
		}
		return
	}
	if err == nil {
		t.Fatal("Validate accepted it")
	}
	var ie *analyzer.InputError
	if !errors.Is(err, analyzer.ErrInvalidGuide) || !errors.As(err, &ie) {
		t.Errorf("%v is not an ErrInvalidGuide holding an *analyzer.InputError", err)
	}
	got := strings.TrimPrefix(err.Error(), "invalid guide: ")
	if exact && got != want || !exact && !strings.Contains(got, want) {
		t.Errorf("error = %q\nwant    %q", got, want)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(g *analyzer.Guide)
		want   string // the error's text after "invalid guide: "; "" for valid
	}{
		{"valid", func(*analyzer.Guide) {}, ""},
		{"no follow-ups or notes is fine", func(g *analyzer.Guide) { g.Questions[0].FollowUps = nil; g.Notes = nil }, ""},
		{"no id", func(g *analyzer.Guide) { g.ID = " " }, "id: empty"},
		{"no questions", func(g *analyzer.Guide) { g.Questions = nil }, "questions: empty"},
		{"question id empty", func(g *analyzer.Guide) { g.Questions[1].ID = "" }, "questions[1].id: empty"},
		{"duplicate id", func(g *analyzer.Guide) { g.Questions[1].ID = "q1" }, `questions[1].id: duplicate "q1"`},
		{"no text", func(g *analyzer.Guide) { g.Questions[0].Text = "\t" }, "questions[0].text: empty"},
		{"no areas", func(g *analyzer.Guide) { g.Questions[1].Areas = nil }, "questions[1].areas: empty"},
		{"empty area", func(g *analyzer.Guide) { g.Questions[0].Areas[1] = "" }, "questions[0].areas[1]: empty"},
		{"empty follow-up", func(g *analyzer.Guide) { g.Questions[0].FollowUps[0] = " " }, "questions[0].follow_ups[0]: empty"},
		{"empty note", func(g *analyzer.Guide) { g.Notes[0] = analyzer.Note{} }, "notes[0]: empty"},
		{"area kinds stated", func(g *analyzer.Guide) { g.Questions[0].AreaKinds = []string{"outcome", ""} }, ""},
		{"area kinds fewer than areas", func(g *analyzer.Guide) { g.Questions[0].AreaKinds = []string{"outcome"} },
			`questions[0].area_kinds: 1 kinds for 2 areas: state one per area ("" for none)`},
		{"area kind unknown", func(g *analyzer.Guide) { g.Questions[1].AreaKinds = []string{"vibes"} },
			`questions[1].area_kinds[0]: "vibes" is no kind of content; one of ` + strings.Join(analyzer.AreaKindNames, ", ")},
		{"several problems, all reported", func(g *analyzer.Guide) {
			g.Questions[0].Text = ""
			g.Questions[1].Areas = []string{""}
		}, "questions[0].text: empty\nquestions[1].areas[0]: empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkValidate(t, tt.change, tt.want, true) })
	}
	if err := guide.Validate(nil); err == nil {
		t.Error("Validate(nil) succeeded")
	}
}

func TestValidateManyProblemsBounded(t *testing.T) {
	g := valid()
	for i := range 50 {
		g.Questions = append(g.Questions, analyzer.Question{ID: "x", Text: "T", Areas: []string{"a"}})
		_ = i
	}
	err := guide.Validate(g)
	if err == nil {
		t.Fatal("Validate succeeded")
	}
	if n := strings.Count(err.Error(), "\n"); n != 20 {
		t.Errorf("error has %d lines, want 20 problems and a count of the rest:\n%v", n+1, err)
	}
	if !strings.HasSuffix(err.Error(), "... and 29 more problems") {
		t.Errorf("error ends %q", err.Error()[len(err.Error())-40:])
	}
}

func TestNormalize(t *testing.T) {
	g := &analyzer.Guide{
		Title: "  Café Leadership: 2025 Edition ",
		Questions: []analyzer.Question{
			{Text: " A? ", Areas: []string{" x ", ""}},
			{ID: " q1 ", Text: "B?", Areas: []string{"y"}, FollowUps: []string{" f "}},
			{Text: "C?", Areas: []string{"z"}},
		},
		Notes: []analyzer.Note{{Title: " t ", Text: " n "}},
	}
	guide.Normalize(g)
	if g.ID != "caf-leadership-2025-edition" {
		t.Errorf("ID = %q", g.ID)
	}
	if g.Title != "Café Leadership: 2025 Edition" {
		t.Errorf("Title = %q", g.Title)
	}
	var ids []string
	for _, q := range g.Questions {
		ids = append(ids, q.ID)
	}
	// q1 is taken by the second question; the first takes the lowest free
	// id, and the third keeps its position.
	if got, want := strings.Join(ids, ","), "q2,q1,q3"; got != want {
		t.Errorf("ids = %s, want %s", got, want)
	}
	if g.Questions[0].Text != "A?" || g.Questions[0].Areas[0] != "x" || len(g.Questions[0].Areas) != 2 || g.Questions[1].FollowUps[0] != "f" {
		t.Errorf("not trimmed, or an empty area dropped: %+v", g.Questions)
	}
	if g.Notes[0] != (analyzer.Note{Title: "t", Text: "n"}) {
		t.Errorf("note = %+v", g.Notes[0])
	}
	if len(g.Version) != 12 || strings.Trim(g.Version, "0123456789abcdef") != "" {
		t.Errorf("Version = %q, want 12 hex digits", g.Version)
	}
	guide.Normalize(nil) // must not panic
}

// TestVersion: the version follows the wording an analysis depends on, and
// nothing else.
func TestVersion(t *testing.T) {
	base := valid()
	guide.Normalize(base)
	tests := []struct {
		name    string
		change  func(g *analyzer.Guide)
		changes bool
	}{
		{"same content", func(*analyzer.Guide) {}, false},
		{"whitespace", func(g *analyzer.Guide) { g.Questions[0].Text = "  One? " }, false},
		{"description", func(g *analyzer.Guide) { g.Description = "new" }, false},
		{"notes", func(g *analyzer.Guide) { g.Notes = nil }, false},
		{"title", func(g *analyzer.Guide) { g.Title = "H" }, true},
		{"question text", func(g *analyzer.Guide) { g.Questions[0].Text = "Uno?" }, true},
		{"question id", func(g *analyzer.Guide) { g.Questions[0].ID = "x" }, true},
		{"area", func(g *analyzer.Guide) { g.Questions[1].Areas[0] = "d" }, true},
		{"area moved to follow-ups", func(g *analyzer.Guide) {
			g.Questions[0].Areas = g.Questions[0].Areas[:1]
			g.Questions[0].FollowUps = []string{"b", "f"}
		}, true},
		{"follow-up", func(g *analyzer.Guide) { g.Questions[0].FollowUps[0] = "g" }, true},
		{"order", func(g *analyzer.Guide) { g.Questions[0], g.Questions[1] = g.Questions[1], g.Questions[0] }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := valid()
			tt.change(g)
			guide.Normalize(g)
			if got := g.Version != base.Version; got != tt.changes {
				t.Errorf("version %s -> %s: changed = %v, want %v", base.Version, g.Version, got, tt.changes)
			}
		})
	}
}

func TestDepthSignals(t *testing.T) {
	g := &analyzer.Guide{Title: "T", Questions: []analyzer.Question{{Text: "Tell me about X.", Areas: []string{"a"}}},
		DepthSignals: []analyzer.DepthSignal{{Text: " Names the other person's feelings "}, {ID: "own", Text: "Says how they noticed"}}}
	guide.Normalize(g)
	if g.DepthSignals[0].ID != "d1" || g.DepthSignals[0].Text != "Names the other person's feelings" {
		t.Errorf("normalised signal %+v", g.DepthSignals[0])
	}
	if len(g.Questions[0].Depth) != 2 {
		t.Errorf("question depth %v, want the guide's two signals", g.Questions[0].Depth)
	}
	before := g.Version
	g.DepthSignals[1].Text = "Says how they recognised it"
	guide.Normalize(g)
	if g.Version == before {
		t.Error("changing a depth signal did not change the guide's version")
	}
	if err := guide.Validate(g); err != nil {
		t.Fatal(err)
	}
	g.DepthSignals = append(g.DepthSignals, analyzer.DepthSignal{ID: "own", Text: ""})
	err := guide.Validate(g)
	if err == nil || !strings.Contains(err.Error(), "depth_signals[2].text: empty") || !strings.Contains(err.Error(), `duplicate "own"`) {
		t.Errorf("Validate = %v, want empty text and duplicate id named", err)
	}
}
