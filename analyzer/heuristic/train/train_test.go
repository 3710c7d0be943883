package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/internal/testkit"
)

// TestTrainingReproducesWeights checks that the training command gives the
// committed weights.json, byte for byte: the file is what the command makes
// from the data it names.
func TestTrainingReproducesWeights(t *testing.T) {
	if testing.Short() {
		t.Skip("retrains every model (about twenty seconds)")
	}
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "..", "shared", "eval", "external", "argkp")); err != nil {
		t.Skip("../shared/eval/external/argkp is absent (a fresh clone without ../shared): the training data is not here")
	}
	testkit.ReproducesFile(t, root, "analyzer/heuristic/weights.json", "./analyzer/heuristic/train", "-shared", "../shared")
}

// kindPriors shrinks each kind's mean status towards the mean of all rows
// it reads, and setKindPrior writes it into the last coverage feature,
// the mean for a kind the table lacks.
func TestKindPriors(t *testing.T) {
	in, out := &item{fold: 0}, &item{fold: 1}
	row := func(kind string, y int, it *item) covRow {
		return covRow{x: make([]float64, len(heuristic.CoverageFeatures)), y: y, it: it, kind: kind}
	}
	rows := []covRow{
		row("lesson", 0, in), row("lesson", 0, in), // mean status 0
		row("emotion", 2, in), row("emotion", 2, in), // mean status 1
		row("lesson", 2, out), // left out by keep
	}
	keep := func(r covRow) bool { return r.it == in }
	p := kindPriors(rows, keep, 2)
	// All kept rows: (0 + 0 + 1 + 1) / 4 = 0.5. Lesson: (0 + 2*0.5) / (2+2).
	want := map[string]float64{"": 0.5, "lesson": 0.25, "emotion": 0.75}
	if len(p) != len(want) {
		t.Fatalf("priors %v, want %v", p, want)
	}
	for k, v := range want {
		if p[k] != v {
			t.Errorf("prior of %q is %v, want %v", k, p[k], v)
		}
	}
	if p0 := kindPriors(rows, keep, 0); p0["lesson"] != 0 || p0["emotion"] != 1 {
		t.Errorf("no shrinkage: lesson %v, emotion %v, want 0 and 1", p0["lesson"], p0["emotion"])
	}
	foreign := []covRow{row("future", 0, in)}
	setKindPrior(rows, foreign, p)
	last := len(heuristic.CoverageFeatures) - 1
	if rows[0].x[last] != 0.25 || rows[2].x[last] != 0.75 || foreign[0].x[last] != 0.5 {
		t.Errorf("kind_prior written as %v, %v and %v, want 0.25, 0.75 and 0.5 (a kind the table lacks)",
			rows[0].x[last], rows[2].x[last], foreign[0].x[last])
	}
}

// sureCut takes the least probability from which the quotes at or above it
// are right often enough, never splits quotes of one probability, and
// needs minSure quotes behind it.
func TestSureCut(t *testing.T) {
	// n quotes at probability p, right of them r.
	block := func(p float64, n, r int) []topQuote {
		out := make([]topQuote, n)
		for i := range out {
			out[i] = topQuote{p: p, right: i < r}
		}
		return out
	}
	cat := func(bs ...[]topQuote) []topQuote {
		var out []topQuote
		for _, b := range bs {
			out = append(out, b...)
		}
		return out
	}
	tests := []struct {
		name string
		tops []topQuote
		cut  float64
		ok   bool
	}{
		{"every block right enough", cat(block(0.9, 40, 38), block(0.7, 40, 35), block(0.5, 40, 34)), 0.5, true},
		// 0.9: 38/40; with 0.7: 73/80 = 0.91; with 0.4: 83/120 < 0.85.
		{"stops where precision falls", cat(block(0.9, 40, 38), block(0.7, 40, 35), block(0.4, 40, 10)), 0.7, true},
		// A late block that lifts the running share back over the target
		// counts: the cut is the least probability that reaches it.
		{"precision recovers", cat(block(0.9, 40, 40), block(0.8, 10, 5), block(0.6, 50, 45)), 0.6, true},
		{"too few quotes", cat(block(0.9, 39, 39), block(0.2, 100, 10)), 0, false},
		{"never right enough", cat(block(0.9, 100, 80)), 0, false},
		{"nothing", nil, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cut, ok := sureCut(tt.tops, 0.85)
			if ok != tt.ok || cut != tt.cut {
				t.Errorf("sureCut = %v, %v; want %v, %v", cut, ok, tt.cut, tt.ok)
			}
		})
	}
}

// TestOffWithheld: the off-question warning is raised only when, on the
// held-out folds, it caught off-question answers and was right more often
// than wrong.
func TestOffWithheld(t *testing.T) {
	tests := []struct {
		caught, falseAlarms int
		withheld            bool
	}{
		{0, 0, true},  // silent: nothing to show for it
		{0, 4, true},  // only false alarms (h2.21's held-out folds)
		{3, 3, true},  // a coin toss
		{3, 4, true},  // wrong more often than right
		{1, 0, false}, // right whenever it fires
		{5, 4, false},
		{29, 2, false},
	}
	for _, tt := range tests {
		if got := offWithheld(tt.caught, tt.falseAlarms); got != tt.withheld {
			t.Errorf("offWithheld(%d caught, %d false alarms) = %v, want %v", tt.caught, tt.falseAlarms, got, tt.withheld)
		}
	}
}
