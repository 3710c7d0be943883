package evaluation_test

import (
	"context"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/evaluation"
)

// The audit sets (testdata/audit, written by build.py there): the groups
// "english" and "spanish" tell the same eight stories, "tagalog" three of
// its own. In planted/ the "spanish" group's answers are generic.

func runAudit(t *testing.T, dir string) *evaluation.AuditReport {
	t.Helper()
	rep, err := evaluation.RunAudit(context.Background(), heuristic.New(), cxGuide(t), loadSet(t, dir), evaluation.AuditOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failures) > 0 {
		t.Fatalf("failures %v", rep.Failures)
	}
	return rep
}

func table(t *testing.T, rep *evaluation.AuditReport, fields ...string) evaluation.GroupTable {
	t.Helper()
	for _, tb := range rep.Tables {
		if slices.Equal(tb.Fields, fields) {
			return tb
		}
	}
	t.Fatalf("no table for %v", fields)
	return evaluation.GroupTable{}
}

func group(t *testing.T, tb evaluation.GroupTable, name string) evaluation.GroupStats {
	t.Helper()
	for _, g := range tb.Groups {
		if g.Group == name {
			return g
		}
	}
	t.Fatalf("no group %q in %v", name, tb.Fields)
	return evaluation.GroupStats{}
}

func TestAuditPlantedDifference(t *testing.T) {
	rep := runAudit(t, "testdata/audit/planted")
	tb := table(t, rep, "first_language")
	es := group(t, tb, "spanish")
	if !tb.Flagged || !slices.Contains(es.Flags, evaluation.MeasureSpecific) {
		t.Fatalf("the group whose answers were made generic is not flagged: %+v", es)
	}
	if r := es.ImpactRatios[evaluation.MeasureSpecific]; r >= evaluation.FourFifths {
		t.Errorf("impact ratio %v", r)
	}
	if p := es.PValues[evaluation.MeasureSpecific]; p > 0.01 {
		t.Errorf("Fisher p = %v for 0/8 against 8/8", p)
	}
	if tb.Reference[evaluation.MeasureSpecific] != "english" {
		t.Errorf("reference %v", tb.Reference)
	}
	if !slices.ContainsFunc(rep.Flagged, func(s string) bool { return strings.HasPrefix(s, "first_language: spanish (specific_rate 0.00)") }) {
		t.Errorf("flag list %v", rep.Flagged)
	}
}

func TestAuditFairSet(t *testing.T) {
	rep := runAudit(t, "testdata/audit/fair")
	if len(rep.Flagged) != 0 {
		t.Errorf("the set without a planted difference is flagged: %v", rep.Flagged)
	}
	tb := table(t, rep, "first_language")
	en, es := group(t, tb, "english"), group(t, tb, "spanish")
	if en.Answers != 8 || es.Answers != 8 || es.ImpactRatios[evaluation.MeasureSpecific] < evaluation.FourFifths {
		t.Errorf("english %+v\nspanish %+v", en, es)
	}
}

func TestAuditSmallAndUnknownGroups(t *testing.T) {
	rep := runAudit(t, "testdata/audit/planted")
	tl := group(t, table(t, rep, "first_language"), "tagalog")
	if tl.Answers != 3 || !tl.TooSmall || len(tl.Flags) != 0 {
		t.Errorf("a group of 3: %+v", tl)
	}
	// Its rates are shown all the same: never hidden, and the share of its
	// answers called specific (which one it is is the engine's judgement,
	// not this test's).
	if r, ok := tl.Rates[evaluation.MeasureSpecific]; !ok || r != float64(tl.Specific)/float64(tl.Answers) || tl.Specific == 0 {
		t.Errorf("rates of the small group %v, %d of %d specific", tl.Rates, tl.Specific, tl.Answers)
	}
	gender := table(t, rep, "gender")
	unknown := group(t, gender, evaluation.Unknown)
	if unknown.Answers != 3 || len(unknown.Flags) != 0 || gender.Groups[len(gender.Groups)-1].Group != evaluation.Unknown {
		t.Errorf("answers with no gender: %+v", unknown)
	}
	// Intersections: four cells of 4 and the small group's 3, all too
	// small to compare at the default minimum of 5.
	inter := table(t, rep, "first_language", "gender")
	if len(inter.Groups) != 5 || inter.Flagged || len(inter.Reference) != 0 {
		t.Errorf("intersection table %+v", inter)
	}
	if g := group(t, inter, "spanish × female"); g.Answers != 4 || !g.TooSmall {
		t.Errorf("spanish × female %+v", g)
	}
	// With a minimum of 3, the small group is compared too.
	rep3, err := evaluation.RunAudit(context.Background(), heuristic.New(), cxGuide(t), loadSet(t, "testdata/audit/planted"), evaluation.AuditOptions{MinGroupSize: 3, Fields: []string{"first_language"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep3.Tables) != 1 || group(t, rep3.Tables[0], "tagalog").TooSmall {
		t.Errorf("min 3: %+v", rep3.Tables)
	}
}

func TestAuditGroupsArithmetic(t *testing.T) {
	// 10 answers in group a (8 specific), 10 in b (5 specific): b's impact
	// ratio is 0.625, flagged; Fisher's p for [[5,5],[8,2]] is 0.3498.
	var preds []evaluation.Prediction
	for i := range 20 {
		g, label := "a", analyzer.LabelSpecific
		if i >= 10 {
			g = "b"
		}
		if (i < 10 && i >= 8) || (i >= 10 && i >= 15) {
			label = analyzer.LabelMixed
		}
		preds = append(preds, evaluation.Prediction{Label: label, Specificity: i, Coverage: float64(i) / 20, Group: map[string]string{"g": g}})
	}
	rep := evaluation.AuditGroups(preds, evaluation.AuditOptions{})
	b := group(t, rep.Tables[0], "b")
	if math.Abs(b.ImpactRatios[evaluation.MeasureSpecific]-0.625) > 1e-9 || !slices.Contains(b.Flags, evaluation.MeasureSpecific) {
		t.Errorf("b %+v", b)
	}
	if p := b.PValues[evaluation.MeasureSpecific]; math.Abs(p-0.34984520123839) > 1e-6 {
		t.Errorf("p = %v", p)
	}
	// Specificity 0..19: median 9.5; a has none above it, b all: a's
	// scoring rate is 0, its ratio 0.
	a := group(t, rep.Tables[0], "a")
	if rep.MedianSpecificity != 9.5 || a.Rates[evaluation.MeasureSpecificity] != 0 || b.Rates[evaluation.MeasureSpecificity] != 1 {
		t.Errorf("median %v, a %v, b %v", rep.MedianSpecificity, a.Rates, b.Rates)
	}
	raw, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var back evaluation.AuditReport
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if again, _ := json.Marshal(&back); string(again) != string(raw) {
		t.Errorf("JSON round trip:\n%s\n%s", raw, again)
	}
}
