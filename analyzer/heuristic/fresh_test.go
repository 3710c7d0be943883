package heuristic_test

import (
	"fmt"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/evaluation"
	"github.com/candorhq/candor/guide"
)

// labelledAnswer is an answer to a guide of one's own with its labels
// (testdata/eval/fresh, testdata/eval/answers3): the labelled-set item
// candor eval reads, and whether it answers another question.
type labelledAnswer struct {
	evaluation.Item
	Off bool `json:"off_question"`
}

// guideFigures is what the engine does on the labelled answers to one guide
// of one's own.
type guideFigures struct {
	areaTally                 // the areas of the answers to their own question
	labels, labelsRight       int
	onWarned                  int // answers to their own question that drew answer_off_question
	off, offAreas, offMissing int // off-question answers; their areas; those read missing
	offAllMissing, offWarned  int
}

func (f guideFigures) String() string {
	return fmt.Sprintf("%d areas QWK %.3f accuracy %.3f, mean status read %.2f labelled %.2f; labels %d of %d; first quote inside a labelled sentence %d of %d quoted (%d labelled); off-question answers %d: areas read missing %d of %d, all missing %d, warned %d; on-topic warned %d",
		len(f.want), evaluation.QWK(f.want, f.got, 3), evaluation.Accuracy(f.want, f.got), mean(f.got), mean(f.want), f.labelsRight, f.labels,
		f.right, f.quoted, f.labelled, f.off, f.offMissing, f.offAreas, f.offAllMissing, f.offWarned, f.onWarned)
}

func mean(xs []int) float64 { return float64(sum(xs)) / float64(max(len(xs), 1)) }

func guideRun(t *testing.T, e *heuristic.Engine, g *analyzer.Guide, items []labelledAnswer, f *guideFigures) {
	t.Helper()
	for _, it := range items {
		a := analyzeInGuide(t, e, g, it.QuestionID, it.Text)
		if len(a.Coverage.Areas) != len(it.Areas) {
			t.Fatalf("%s: %d areas read, %d labelled", it.ID, len(a.Coverage.Areas), len(it.Areas))
		}
		f.labels++
		if a.Delivery.Label == it.Label {
			f.labelsRight++
		}
		if it.Off {
			f.off++
			all := true
			for _, ar := range a.Coverage.Areas {
				f.offAreas++
				if ar.Status == analyzer.StatusMissing {
					f.offMissing++
				} else {
					all = false
				}
			}
			if all {
				f.offAllMissing++
			}
			if hasWarning(a, analyzer.WarnOffQuestion) {
				f.offWarned++
			}
			continue
		}
		if hasWarning(a, analyzer.WarnOffQuestion) {
			f.onWarned++
		}
		f.areaTally.add(t, it.ID, a.Coverage.Areas, it.Areas, it.Evidence)
	}
}

// guidesHeldOut runs the embedded engine on the labelled answers to each
// named guide (paths gives the guide's file and its answers' file), n
// answers a guide, logs each guide's figures and returns their sum.
func guidesHeldOut(t *testing.T, names []string, n int, paths func(name string) (guideFile, answersFile string)) guideFigures {
	t.Helper()
	e := heuristic.New()
	var all guideFigures
	for _, name := range names {
		gf, af := paths(name)
		g, err := guide.Load(gf)
		if err != nil {
			t.Fatal(err)
		}
		items := readJSONL[labelledAnswer](t, af)
		if len(items) != n {
			t.Fatalf("%s: %d answers, want %d", af, len(items), n)
		}
		var f guideFigures
		guideRun(t, e, g, items, &f)
		t.Logf("%s: %v", name, f)
		all.add(f)
	}
	return all
}

// TestFreshGuidesHeldOut measures the embedded engine on two guides
// written for it after h2.21 and never trained on or tuned to
// (testdata/eval/fresh: a warehouse shift lead's and a support agent's, 40
// spoken answers each, five of them to another question, labelled blind
// by helpers who ran no engine; testdata/eval/README.md). It is the fresh
// held-out check that h2.21's choice, made partly on the campus set, asked
// for.
func TestFreshGuidesHeldOut(t *testing.T) {
	all := guidesHeldOut(t, []string{"warehouse-lead", "support-agent"}, 40,
		func(name string) (string, string) {
			return "../../testdata/eval/fresh/" + name + ".yaml", "../../testdata/eval/fresh/" + name + "_answers.jsonl"
		})
	t.Logf("both guides: %v", all)
	if len(all.want) != 224 || all.off != 10 {
		t.Fatalf("%d areas of on-question answers and %d off-question answers, want 224 and 10", len(all.want), all.off)
	}
	// Measured when the sets arrived, both guides: h2.20 QWK 0.436,
	// accuracy 0.536, labels 61 of 80, first quotes 97 of 151, one
	// off-question answer warned; h2.21-h2.22 QWK 0.425, accuracy 0.621,
	// labels 61, first quotes 123 of 189 (more areas quoted), no warning.
	// No off-question answer has an area read missing (0 of 32): the
	// embedded engine's coverage follows the answer's length and
	// specificity, not its topic (analyzer/heuristic/README.md, h2.21 and
	// h2.22). The floors leave about 0.02, and two answers.
	qwk, acc := evaluation.QWK(all.want, all.got, 3), evaluation.Accuracy(all.want, all.got)
	if qwk < 0.40 || acc < 0.60 {
		t.Errorf("fresh guides: coverage QWK %.3f, accuracy %.3f; floors 0.40 and 0.60", qwk, acc)
	}
	if all.labelsRight < 59 {
		t.Errorf("fresh guides: %d of 80 delivery labels as labelled, floor 59", all.labelsRight)
	}
	if all.right < 118 {
		t.Errorf("fresh guides: %d first quotes inside a labelled sentence, floor 118", all.right)
	}
	if all.onWarned > 0 {
		t.Errorf("fresh guides: %d answers to their own question drew answer_off_question", all.onWarned)
	}
}

// add appends g's figures to f's.
func (f *guideFigures) add(g guideFigures) {
	f.merge(g.areaTally)
	f.labels += g.labels
	f.labelsRight += g.labelsRight
	f.onWarned += g.onWarned
	f.off += g.off
	f.offAreas += g.offAreas
	f.offMissing += g.offMissing
	f.offAllMissing += g.offAllMissing
	f.offWarned += g.offWarned
}
