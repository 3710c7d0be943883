package guide_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/guide"
)

func TestBuiltinsShape(t *testing.T) {
	tests := []struct {
		id                 string
		questions          int
		minAreas, maxAreas int
		minFU, maxFU       int
		minNotes           int
	}{
		{"behavioral-core", 8, 5, 7, 3, 4, 0},
		{"cx-empathy", 15, 8, 8, 4, 4, 2},
	}
	var ids []string
	for _, g := range guide.Builtins() {
		ids = append(ids, g.ID)
	}
	if !slices.IsSorted(ids) || len(ids) != len(tests) {
		t.Errorf("Builtins ids = %q, want %d sorted ids", ids, len(tests))
	}
	if got := guide.BuiltinIDs(); !reflect.DeepEqual(got, ids) {
		t.Errorf("BuiltinIDs = %q, want %q", got, ids)
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			g, ok := guide.Builtin(tt.id)
			if !ok {
				t.Fatalf("no built-in %q", tt.id)
			}
			if err := guide.Validate(g); err != nil {
				t.Fatal(err)
			}
			if g.ID != tt.id || g.Title == "" || g.Description == "" || len(g.Version) != 12 {
				t.Errorf("id, title, description, version = %q, %q, %q, %q", g.ID, g.Title, g.Description, g.Version)
			}
			if len(g.Questions) != tt.questions {
				t.Fatalf("%d questions, want %d", len(g.Questions), tt.questions)
			}
			for i, q := range g.Questions {
				if want := "q" + itoa(i+1); q.ID != want {
					t.Errorf("questions[%d].id = %q, want %q", i, q.ID, want)
				}
				if n := len(q.Areas); n < tt.minAreas || n > tt.maxAreas {
					t.Errorf("%s: %d areas, want %d..%d", q.ID, n, tt.minAreas, tt.maxAreas)
				}
				if n := len(q.FollowUps); n < tt.minFU || n > tt.maxFU {
					t.Errorf("%s: %d follow-ups, want %d..%d", q.ID, n, tt.minFU, tt.maxFU)
				}
			}
			if len(g.Notes) < tt.minNotes {
				t.Errorf("%d notes, want at least %d", len(g.Notes), tt.minNotes)
			}
		})
	}
	if _, ok := guide.Builtin("nope"); ok {
		t.Error(`Builtin("nope") found a guide`)
	}
}

// TestBuiltinIsACopy: a caller that edits a built-in guide must not change
// what the next caller gets.
func TestBuiltinIsACopy(t *testing.T) {
	g, _ := guide.Builtin("cx-empathy")
	g.Title = "changed"
	g.Questions[0].Areas[0] = "changed"
	g.Questions[0].FollowUps[0] = "changed"
	g.Notes[0].Text = "changed"
	again, _ := guide.Builtin("cx-empathy")
	if again.Title == "changed" || again.Questions[0].Areas[0] == "changed" ||
		again.Questions[0].FollowUps[0] == "changed" || again.Notes[0].Text == "changed" {
		t.Error("editing a returned guide changed the built-in")
	}
}

// TestCXEmpathyFollowsSeed: cx-empathy is a paraphrase of the seed with the
// same structure, so area i of question qN means the same in both.
func TestCXEmpathyFollowsSeed(t *testing.T) {
	seed, err := guide.Parse("seed.txt", readSeed(t))
	if err != nil {
		t.Fatal(err)
	}
	cx, _ := guide.Builtin("cx-empathy")
	if len(cx.Questions) != len(seed.Questions) {
		t.Fatalf("%d questions, seed has %d", len(cx.Questions), len(seed.Questions))
	}
	for i, q := range cx.Questions {
		s := seed.Questions[i]
		if q.ID != s.ID || len(q.Areas) != len(s.Areas) || len(q.FollowUps) != len(s.FollowUps) {
			t.Errorf("%s: %d areas, %d follow-ups; seed %s has %d and %d", q.ID, len(q.Areas), len(q.FollowUps), s.ID, len(s.Areas), len(s.FollowUps))
		}
	}
}

// words lower-cases s and splits it into words, dropping punctuation, so
// that copying survives re-punctuation.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	})
}

// TestBuiltinsOwnWords: no built-in text shares a run of 8 or more
// consecutive words with the seed guide, which the project must not copy.
func TestBuiltinsOwnWords(t *testing.T) {
	const run = 8
	seed := words(string(readSeed(t)))
	shingles := make(map[string]bool, len(seed))
	for i := 0; i+run <= len(seed); i++ {
		shingles[strings.Join(seed[i:i+run], " ")] = true
	}
	check := func(where, text string) {
		w := words(text)
		for i := 0; i+run <= len(w); i++ {
			if s := strings.Join(w[i:i+run], " "); shingles[s] {
				t.Errorf("%s shares %q with the seed guide", where, s)
			}
		}
	}
	for _, g := range guide.Builtins() {
		check(g.ID+" title", g.Title)
		check(g.ID+" description", g.Description)
		for _, q := range g.Questions {
			check(g.ID+" "+q.ID, q.Text)
			for i, a := range q.Areas {
				check(g.ID+" "+q.ID+" area "+itoa(i+1), a)
			}
			for i, f := range q.FollowUps {
				check(g.ID+" "+q.ID+" follow-up "+itoa(i+1), f)
			}
		}
		for i, n := range g.Notes {
			check(g.ID+" note "+itoa(i+1), n.Title+" "+n.Text)
		}
	}
	// The test fixtures are the project's own content too.
	for _, path := range fixtures(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		check(path, string(data))
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "mine.yaml")
	if err := os.WriteFile(file, []byte("title: Mine\nquestions:\n  - text: Q?\n    areas: [a]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.txt")
	if err := os.WriteFile(big, make([]byte, guide.MaxSize+10), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"title": "x", "questions": [{"text": "Q"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}

	g, err := guide.Load("cx-empathy")
	if err != nil || g.ID != "cx-empathy" {
		t.Errorf("Load(cx-empathy) = %v, %v", g, err)
	}
	g, err = guide.Load(file)
	if err != nil || g.ID != "mine" {
		t.Errorf("Load(file) = %v, %v", g, err)
	}

	_, err = guide.Load("no-such-guide")
	if !errors.Is(err, analyzer.ErrUnknownGuide) {
		t.Errorf("Load(unknown) = %v, want ErrUnknownGuide", err)
	}
	for _, id := range guide.BuiltinIDs() {
		if err != nil && !strings.Contains(err.Error(), id) {
			t.Errorf("error %q does not list built-in %q", err, id)
		}
	}

	_, err = guide.Load(big)
	if !errors.Is(err, analyzer.ErrInvalidGuide) || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("Load(big) = %v", err)
	}
	_, err = guide.Load(bad)
	if !errors.Is(err, analyzer.ErrInvalidGuide) || !strings.Contains(err.Error(), bad+":1: questions[0].areas: empty") {
		t.Errorf("Load(bad) = %v", err)
	}
	_, err = guide.Load(dir)
	if err == nil || errors.Is(err, analyzer.ErrUnknownGuide) {
		t.Errorf("Load(dir) = %v, want a read error", err)
	}
}
