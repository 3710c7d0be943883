package guide_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/guide"
)

// TestLimits: every limit holds at its value and is refused one past it,
// with the field and the limit in the error.
func TestLimits(t *testing.T) {
	many := func(n int, s string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("%s %d", s, i)
		}
		return out
	}
	questions := func(n int) []analyzer.Question {
		qs := make([]analyzer.Question, n)
		for i := range qs {
			qs[i] = analyzer.Question{ID: fmt.Sprintf("q%d", i+1), Text: "Tell me about it?", Areas: []string{"a"}}
		}
		return qs
	}
	long := strings.Repeat("é", guide.MaxTextChars) // characters, not bytes
	tests := []struct {
		name   string
		change func(g *analyzer.Guide)
		want   string // "" when the guide is within the limits
	}{
		{"questions at the limit", func(g *analyzer.Guide) { g.Questions = questions(guide.MaxQuestions) }, ""},
		{"questions over", func(g *analyzer.Guide) { g.Questions = questions(guide.MaxQuestions + 1) }, "questions: 1001 questions, more than the limit of 1000"},
		{"ten thousand questions", func(g *analyzer.Guide) { g.Questions = questions(10000) }, "questions: 10000 questions, more than the limit of 1000"},
		{"areas at the limit", func(g *analyzer.Guide) { g.Questions[0].Areas = many(guide.MaxAreas, "area") }, ""},
		{"areas over", func(g *analyzer.Guide) { g.Questions[0].Areas = many(guide.MaxAreas+1, "area") }, "questions[0].areas: 31 areas, more than the limit of 30"},
		{"forty thousand areas", func(g *analyzer.Guide) { g.Questions[1].Areas = many(40000, "area") }, "questions[1].areas: 40000 areas, more than the limit of 30"},
		{"follow-ups over", func(g *analyzer.Guide) { g.Questions[0].FollowUps = many(guide.MaxFollowUps+1, "f") }, "questions[0].follow_ups: 21 follow-ups, more than the limit of 20"},
		{"depth signals over", func(g *analyzer.Guide) {
			for i := range guide.MaxDepthSignals + 1 {
				g.DepthSignals = append(g.DepthSignals, analyzer.DepthSignal{ID: fmt.Sprintf("d%d", i), Text: "x"})
			}
		}, "depth_signals: 31 depth signals, more than the limit of 30"},
		{"notes over", func(g *analyzer.Guide) {
			for range guide.MaxNotes + 1 {
				g.Notes = append(g.Notes, analyzer.Note{Title: "t", Text: "x"})
			}
		}, "notes: 102 notes, more than the limit of 100"},
		{"texts at the limit", func(g *analyzer.Guide) {
			g.Title, g.Questions[0].Text, g.Questions[0].Areas[0], g.Questions[0].FollowUps[0] = long, long, long, long
		}, ""},
		{"question text over", func(g *analyzer.Guide) { g.Questions[0].Text = long + "?" }, "questions[0].text: 1001 characters, more than the limit of 1000"},
		{"area over", func(g *analyzer.Guide) { g.Questions[1].Areas[0] = long + "a" }, "questions[1].areas[0]: 1001 characters, more than the limit of 1000"},
		{"follow-up over", func(g *analyzer.Guide) { g.Questions[0].FollowUps[0] = long + "f" }, "questions[0].follow_ups[0]: 1001 characters, more than the limit of 1000"},
		{"title over", func(g *analyzer.Guide) { g.Title = long + "t" }, "title: 1001 characters, more than the limit of 1000"},
		{"description over", func(g *analyzer.Guide) { g.Description = strings.Repeat("d", guide.MaxLongChars+1) }, "description: 10001 characters, more than the limit of 10000"},
		{"note text over", func(g *analyzer.Guide) { g.Notes[0].Text = strings.Repeat("n", guide.MaxLongChars+1) }, "notes[0].text: 10001 characters, more than the limit of 10000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkValidate(t, tt.change, tt.want, false) })
	}

}

// TestLimitsEveryFormat: the limits hold however the guide arrives: JSON,
// YAML and Yardstick text all end in the same validation.
func TestLimitsEveryFormat(t *testing.T) {
	var areas strings.Builder
	var yaml strings.Builder
	yaml.WriteString("id: big\ntitle: Big\nquestions:\n  - id: q1\n    text: Tell me?\n    areas:\n")
	areas.WriteString("Big guide\nInterview Questions\nTell me about a time?\nAreas to Cover\n")
	as := make([]string, 40000)
	for i := range as {
		as[i] = fmt.Sprintf("area %d", i)
		fmt.Fprintf(&areas, "- area %d\n", i)
		fmt.Fprintf(&yaml, "      - area %d\n", i)
	}
	js, _ := json.Marshal(map[string]any{"id": "big", "title": "Big", "questions": []any{map[string]any{"id": "q1", "text": "Tell me?", "areas": as}}})
	for _, in := range []struct{ format, data string }{
		{guide.FormatJSON, string(js)}, {guide.FormatYAML, yaml.String()}, {guide.FormatYardstick, areas.String()},
	} {
		_, err := guide.ParseFormat("big", in.format, []byte(in.data))
		if err == nil || !strings.Contains(err.Error(), "40000 areas, more than the limit of 30") {
			t.Errorf("%s: %v", in.format, err)
		}
	}
}

// TestIDs: guide, question and depth-signal ids are plain: safe in URLs,
// file names, CSV cells and Markdown headings as they are.
func TestIDs(t *testing.T) {
	for _, tt := range []struct {
		name   string
		change func(g *analyzer.Guide)
		want   string
	}{
		{"plain ids", func(g *analyzer.Guide) { g.ID = "cx-2.v_1"; g.Questions[0].ID = "Q1.a_b-c" }, ""},
		{"formula id", func(g *analyzer.Guide) { g.Questions[0].ID = `=HYPERLINK("http://evil.example","q")` }, "questions[0].id: "},
		{"markdown id", func(g *analyzer.Guide) { g.Questions[1].ID = "q2\n# Hired!" }, "questions[1].id: "},
		{"html id", func(g *analyzer.Guide) { g.Questions[1].ID = "<img src=x>" }, "questions[1].id: "},
		{"space", func(g *analyzer.Guide) { g.Questions[1].ID = "q 2" }, "questions[1].id: "},
		{"long question id", func(g *analyzer.Guide) { g.Questions[1].ID = strings.Repeat("q", guide.MaxQuestionID+1) }, "questions[1].id: "},
		{"guide id", func(g *analyzer.Guide) { g.ID = "my guide" }, "id: "},
		{"depth id", func(g *analyzer.Guide) { g.DepthSignals = []analyzer.DepthSignal{{ID: "d 1", Text: "x"}} }, "depth_signals[0].id: "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g := valid()
			tt.change(g)
			err := guide.Validate(g)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "A-Z a-z 0-9 . _ -") {
				t.Fatalf("Validate: %v, want %q and the allowed characters", err, tt.want)
			}
		})
	}
}

// FuzzParseFormat decodes any bytes as each format, the way the API and the
// CLI do when they know the format: never a panic, an ErrInvalidGuide or a
// guide inside every limit.
func FuzzParseFormat(f *testing.F) {
	for _, data := range corpus(f) {
		f.Add(data, uint8(0))
	}
	f.Add([]byte("questions:\n  - text: a\n    areas: [x, y]\n"), uint8(1))
	f.Add([]byte("Interview Questions\nTell me?\nAreas to Cover\n- a\n"), uint8(2))
	f.Add([]byte(`{"id":"g","questions":[{"id":"=1+1","text":"t","areas":["a"]}]}`), uint8(0))
	formats := []string{guide.FormatJSON, guide.FormatYAML, guide.FormatYardstick}
	f.Fuzz(func(t *testing.T, data []byte, which uint8) {
		format := formats[int(which)%len(formats)]
		g, err := guide.ParseFormat("fuzz", format, data)
		if err != nil {
			if !errors.Is(err, analyzer.ErrInvalidGuide) {
				t.Fatalf("%s: error does not match ErrInvalidGuide: %v", format, err)
			}
			return
		}
		if len(g.Questions) == 0 || len(g.Questions) > guide.MaxQuestions || len(g.Notes) > guide.MaxNotes {
			t.Fatalf("%s: accepted %d questions, %d notes", format, len(g.Questions), len(g.Notes))
		}
		for _, q := range g.Questions {
			if len(q.Areas) > guide.MaxAreas || len(q.FollowUps) > guide.MaxFollowUps || len([]rune(q.Text)) > guide.MaxTextChars {
				t.Fatalf("%s: accepted question %q with %d areas, %d follow-ups", format, q.ID, len(q.Areas), len(q.FollowUps))
			}
		}
		if err := guide.Validate(g); err != nil {
			t.Fatalf("%s: accepted a guide that does not validate: %v", format, err)
		}
	})
}
