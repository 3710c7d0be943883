package evaluation_test

import (
	"context"
	"os"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/evaluation"
	"github.com/candorhq/candor/guide"
)

// Agreement floors of the embedded engine on the project's own labelled set
// (testdata/eval: 45 single answers and 9 transcripts), each set about 0.02
// below what the engine measured when the floor was last raised. A change
// that lowers agreement with the labels fails TestAgreementFloor.
//
// The floors only ever move up: when the engine gets better, raise them to
// about 0.02 below the new figures (the test logs them); never lower one to
// let a change through. If a change must trade one figure for another, say
// so in its commit and in the README's figures.
//
// The one trade so far: the coverage floors came down (0.46 -> 0.43 and
// 0.55 -> 0.50) when the hand-fitted coverage model gave way to the learned
// one (engine h2.0). The old figures were in-sample: its weights were fitted
// on this very set (and dev). The learned engine never trains on
// testdata/eval/answers.jsonl, so these figures are held out; on sets
// neither engine was fitted on it does better (analyzer/heuristic/README.md).
// h2.1 (hubness-corrected word similarity) moved them by -0.010 (seed) and
// +0.007 (cx-empathy); the floors stand. h2.15 with cx-empathy stating
// its area kinds: cx-empathy 0.475 -> 0.513, floor raised to 0.49; seed
// 0.528 -> 0.516 (the refit; the seed guide states no kinds).
//
// Built-in guide cx-empathy (a rewording of the seed guide with the same
// areas in the same order), so the test runs on a fresh clone:
const (
	floorCoverageQWK   = 0.49 // single answers' areas (score.py's cov_qwk); measured 0.513 (held out, h2.15)
	floorLabelAccuracy = 0.86 // single answers' labels (label_acc); measured 0.911 (learned delivery, held out), 0.933 (h2.9-h2.17), 0.889 (h2.18: spoken answers in the delivery fit, the spoken set 76 -> 90 of 112), 0.867 (h2.19: rubric_share; two answers mended, three mixed ones read as specific)
	floorSegmentF1     = 0.83 // question alignment on the transcripts (seg_f1); measured 0.848
)

// The same against the seed guide the set was labelled with (when
// ../shared is there), as README's figures are measured:
const (
	floorSeedCoverageQWK   = 0.50 // measured 0.519 (held out)
	floorSeedLabelAccuracy = 0.86 // measured 0.911 (held out), 0.933 (h2.9-h2.17), 0.889 (h2.18), 0.867 (h2.19)
	floorSeedSegmentF1     = 0.90 // measured 0.925
)

func TestAgreementFloor(t *testing.T) {
	set, err := evaluation.LoadSet(repoEval)
	if err != nil {
		t.Fatal(err)
	}
	cx, ok := guide.Builtin("cx-empathy")
	if !ok {
		t.Fatal("no built-in guide cx-empathy")
	}
	cases := []struct {
		name             string
		guide            func(t *testing.T) *analyzer.Guide
		cov, label, segs float64
	}{
		{"cx-empathy", func(*testing.T) *analyzer.Guide { return cx }, floorCoverageQWK, floorLabelAccuracy, floorSegmentF1},
		{"seed", func(t *testing.T) *analyzer.Guide {
			if _, err := os.Stat(seedGuide); err != nil {
				t.Skip("../shared/seeds is absent (a fresh clone): the cx-empathy floors still hold")
			}
			g, err := guide.Load(seedGuide)
			if err != nil {
				t.Fatal(err)
			}
			return g
		}, floorSeedCoverageQWK, floorSeedLabelAccuracy, floorSeedSegmentF1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := evaluation.Evaluate(context.Background(), heuristic.New(), c.guide(t), set, evaluation.Options{Bootstrap: -1})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Failures) > 0 {
				t.Fatalf("failures: %v", res.Failures)
			}
			figs := []struct {
				name       string
				got, floor float64
			}{
				{"coverage QWK (cov_qwk)", res.AnswersFile.CoverageQWK.Value, c.cov},
				{"label accuracy (label_acc)", res.AnswersFile.LabelAccuracy.Value, c.label},
				{"question alignment F1 (seg_f1)", res.Transcripts.SegmentF1.Value, c.segs},
			}
			for _, f := range figs {
				t.Logf("%-32s %.3f (floor %.2f)", f.name, f.got, f.floor)
				if !(f.got >= f.floor) {
					t.Errorf("%s = %.3f, below its floor %.2f: this change lowers agreement with the labels in testdata/eval", f.name, f.got, f.floor)
				}
			}
		})
	}
}

// degraded is the embedded engine with a planted regression: it reads every
// area it finds partly covered as missing.
type degraded struct{ analyzer.Engine }

func (d degraded) Analyze(ctx context.Context, q analyzer.Question, text string) (analyzer.AnswerAnalysis, error) {
	a, err := d.Engine.Analyze(ctx, q, text)
	for i := range a.Coverage.Areas {
		if a.Coverage.Areas[i].Status == analyzer.StatusPartial {
			a.Coverage.Areas[i].Status = analyzer.StatusMissing
			a.Coverage.Areas[i].Evidence = nil
		}
	}
	return a, err
}

// TestAgreementFloorCatchesRegression checks that the floor can fail: the
// engine with a planted coverage regression falls below it.
func TestAgreementFloorCatchesRegression(t *testing.T) {
	set, err := evaluation.LoadSet(repoEval)
	if err != nil {
		t.Fatal(err)
	}
	cx, _ := guide.Builtin("cx-empathy")
	res, err := evaluation.Evaluate(context.Background(), degraded{heuristic.New()}, cx, set, evaluation.Options{Bootstrap: -1})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.AnswersFile.CoverageQWK.Value; got >= floorCoverageQWK {
		t.Errorf("coverage QWK with partial read as missing = %.3f, not below the floor %.2f", got, floorCoverageQWK)
	}
}
