package guide_test

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/guide"
)

type labelled struct {
	kind  string
	dup   bool
	a, b  string
	fit   bool
	score float64
}

// readPairs reads testdata/lint/pairs.tsv and scores every pair the way
// Lint does. Within each kind, rows 1-2 fit, 3-4 are held out, and so on.
func readPairs(t *testing.T) []labelled {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "lint", "pairs.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	n := map[string]int{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		l := sc.Text()
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		p := strings.Split(l, "\t")
		if len(p) != 4 {
			t.Fatalf("pairs.tsv:%d: %d fields, want 4", line, len(p))
		}
		r := labelled{kind: p[0], dup: p[1] == "dup" || p[1] == "repeats", a: p[2], b: p[3]}
		r.fit = (n[r.kind]/2)%2 == 0
		n[r.kind]++
		switch r.kind {
		case "area":
			x, y := guide.AreaText(r.a), guide.AreaText(r.b)
			r.score = guide.PairScore(&x, &y)
		case "question":
			x, y := guide.QuestionText(r.a), guide.QuestionText(r.b)
			r.score = guide.PairScore(&x, &y)
		case "followup":
			r.score, _ = guide.FollowUpRepeats(r.b, r.a)
		default:
			t.Fatalf("pairs.tsv:%d: kind %q", line, r.kind)
		}
		out = append(out, r)
	}
	return out
}

type prf struct {
	tp, fp, fn, tn int
}

func (c prf) String() string {
	p, r := ratio(c.tp, c.tp+c.fp), ratio(c.tp, c.tp+c.fn)
	f1 := 0.0
	if p+r > 0 {
		f1 = 2 * p * r / (p + r)
	}
	return fmt.Sprintf("precision %.2f recall %.2f F1 %.2f (tp %d fp %d fn %d tn %d)", p, r, f1, c.tp, c.fp, c.fn, c.tn)
}

// f05 is F-beta with beta 0.5: precision weighs twice recall.
func (c prf) f05() float64 {
	if c.tp == 0 {
		return 0
	}
	return 1.25 * float64(c.tp) / (1.25*float64(c.tp) + 0.25*float64(c.fn) + float64(c.fp))
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func confusion(rows []labelled, cut float64) prf {
	var c prf
	for _, r := range rows {
		switch got := r.score >= cut; {
		case got && r.dup:
			c.tp++
		case got:
			c.fp++
		case r.dup:
			c.fn++
		default:
			c.tn++
		}
	}
	return c
}

// fitCutoff picks the cut-off with the best F0.5 on rows: the midpoint
// between two neighbouring scores, rounded to 3 places; on ties, the
// higher cut-off (fewer findings).
func fitCutoff(rows []labelled) float64 {
	var s []float64
	for _, r := range rows {
		s = append(s, r.score)
	}
	sort.Float64s(s)
	s = slices.Compact(s)
	best, bestF := 1.0, -1.0
	for i := len(s) - 1; i >= 1; i-- {
		cut := math.Round((s[i]+s[i-1])/2*1000) / 1000
		if f := confusion(rows, cut).f05(); f > bestF {
			best, bestF = cut, f
		}
	}
	return best
}

// TestLintCutoffs refits the lint cut-offs on the fit half of the labelled
// pairs and reports them on the held-out half (go test -run
// TestLintCutoffs -v ./guide prints the figures). It fails when the
// constants in lint.go are not the fitted ones.
func TestLintCutoffs(t *testing.T) {
	rows := readPairs(t)
	for _, k := range []struct {
		kind string
		have float64
	}{
		{"area", guide.AreaOverlapCutoff},
		{"question", guide.QuestionDuplicateCutoff},
		{"followup", guide.FollowUpRepeatsCutoff},
	} {
		var fit, held []labelled
		for _, r := range rows {
			if r.kind != k.kind {
				continue
			}
			if r.fit {
				fit = append(fit, r)
			} else {
				held = append(held, r)
			}
		}
		cut := fitCutoff(fit)
		top := builtinMax(k.kind)
		t.Logf("%-8s fitted %.3f; highest in the built-in guides %.3f", k.kind, cut, top)
		if floor := math.Floor(top*1000)/1000 + 0.001; cut < floor {
			cut = math.Round(floor*1000) / 1000
		}
		t.Logf("%-8s cut-off %.3f  fit (%d pairs): %v", k.kind, cut, len(fit), confusion(fit, cut))
		t.Logf("%-8s cut-off %.3f  held out (%d pairs): %v", k.kind, cut, len(held), confusion(held, cut))
		if cut != k.have {
			t.Errorf("%s: fitted cut-off %.3f, lint.go has %.3f", k.kind, cut, k.have)
		}
	}
}

// builtinMax is the highest score of a kind among the built-in guides'
// pairs (areas within a question, questions, follow-up and question).
func builtinMax(kind string) float64 {
	top := 0.0
	for _, g := range guide.Builtins() {
		for i, q := range g.Questions {
			qt := guide.QuestionText(q.Text)
			switch kind {
			case "question":
				for j := 0; j < i; j++ {
					o := guide.QuestionText(g.Questions[j].Text)
					top = max(top, guide.PairScore(&o, &qt))
				}
			case "area":
				for k := range q.Areas {
					a := guide.AreaText(q.Areas[k])
					for l := 0; l < k; l++ {
						b := guide.AreaText(q.Areas[l])
						top = max(top, guide.PairScore(&b, &a))
					}
				}
			case "followup":
				for _, f := range q.FollowUps {
					s, _ := guide.FollowUpRepeats(f, q.Text)
					top = max(top, s)
				}
			}
		}
	}
	return top
}

func codes(fs []guide.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Code)
	}
	return out
}

func TestLintBuiltinsClean(t *testing.T) {
	for _, g := range guide.Builtins() {
		if fs := guide.Lint(g); len(fs) > 0 {
			for _, f := range fs {
				t.Errorf("%s: %v [%s | %s]", g.ID, f, f.Text, f.Other)
			}
		}
	}
}

func TestLintSeedClean(t *testing.T) {
	g, err := guide.Parse("seed", readSeed(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range guide.Lint(g) {
		t.Errorf("seed: %v [%s | %s]", f, f.Text, f.Other)
	}
}

// TestLintPlantedFaults: testdata/lint/faulty.yaml has one planted fault
// of each kind a parsed guide can have; an area list cannot be empty in a
// parsed guide, so that one is planted in the struct.
func TestLintPlantedFaults(t *testing.T) {
	g, err := guide.Load(filepath.Join("testdata", "lint", "faulty.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	fs := guide.Lint(g)
	type key struct{ code, field string }
	got := map[key]guide.Finding{}
	for _, f := range fs {
		got[key{f.Code, f.Field}] = f
		t.Logf("%v", f)
	}
	want := []key{
		{guide.LintAreaOverlap, "questions[0].areas[2]"},
		{guide.LintAreaTrait, "questions[1].areas[1]"},
		{guide.LintAreaTrait, "questions[1].areas[3]"},
		{guide.LintFollowUpRepeats, "questions[2].follow_ups[0]"},
		{guide.LintQuestionDuplicate, "questions[3].text"},
		{guide.LintFollowUpsEmpty, "questions[4].follow_ups"},
		{guide.LintAreasTooMany, "questions[5].areas"},
		{guide.LintFollowUpsTooMany, "questions[5].follow_ups"},
	}
	for _, k := range want {
		f, ok := got[k]
		if !ok {
			t.Errorf("no %s at %s", k.code, k.field)
			continue
		}
		if f.Message == "" || (k.field[len(k.field)-1] == ']' && f.Text == "") {
			t.Errorf("%s at %s: no text or message: %+v", k.code, k.field, f)
		}
		if f.Code == guide.LintAreaTrait && f.Suggestion == "" {
			t.Errorf("%s at %s: no suggested rewrite", k.code, k.field)
		}
		if (f.Code == guide.LintAreaOverlap || f.Code == guide.LintQuestionDuplicate || f.Code == guide.LintFollowUpRepeats) && f.Other == "" {
			t.Errorf("%s at %s: does not name the other text", k.code, k.field)
		}
	}
	if len(fs) != len(want) {
		t.Errorf("%d findings %q, want %d", len(fs), codes(fs), len(want))
	}

	g.Questions[0].Areas = nil
	if fs := guide.Lint(g); !slices.Contains(codes(fs), guide.LintAreasEmpty) {
		t.Errorf("no %s for a question without areas: %q", guide.LintAreasEmpty, codes(fs))
	}
}

func TestLintEmptyGuide(t *testing.T) {
	if fs := guide.Lint(&analyzer.Guide{}); len(fs) != 0 {
		t.Errorf("findings for a guide with no questions: %v", fs)
	}
}
