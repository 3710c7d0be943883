package heuristic_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/evaluation"
	"github.com/candorhq/candor/guide"
)

// TestSpokenCoverageHeldOut measures coverage on short spoken answers to a
// guide the coverage models never saw: the 100 answers of
// testdata/eval/delivery_spoken_train.jsonl (the campus guide of
// testdata/spoken, two or three areas a question) with the area statuses
// and evidence of testdata/eval/spoken_coverage.jsonl, labelled blind.
// The delivery model is fitted on these answers' labels; the training
// command never reads their area statuses or evidence (fitted on, they
// lowered every other set's held-out figures: analyzer/heuristic/README.md).
// It logs counts only.
func TestSpokenCoverageHeldOut(t *testing.T) {
	type answer struct {
		ID         string `json:"id"`
		QuestionID string `json:"question_id"`
		Text       string `json:"text"`
	}
	type labels struct {
		ID         string              `json:"id"`
		QuestionID string              `json:"question_id"`
		Areas      map[string]string   `json:"areas"`
		Evidence   map[string][]string `json:"evidence"`
	}
	gold := map[string]labels{}
	for _, l := range readJSONL[labels](t, "../../testdata/eval/spoken_coverage.jsonl") {
		gold[l.ID] = l
	}
	campus, err := guide.Load("../../testdata/spoken/guide.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e := heuristic.New()
	var tally areaTally
	for _, it := range readJSONL[answer](t, "../../testdata/eval/delivery_spoken_train.jsonl") {
		l, ok := gold[it.ID]
		if !ok || l.QuestionID != it.QuestionID {
			t.Fatalf("%s: no coverage labels for question %s", it.ID, it.QuestionID)
		}
		a := analyzeInGuide(t, e, campus, it.QuestionID, it.Text)
		tally.add(t, it.ID, a.Coverage.Areas, l.Areas, l.Evidence)
	}
	want, got := tally.want, tally.got
	sumWant, sumGot := float64(sum(want)), float64(sum(got))
	quoted, right, labelled := tally.quoted, tally.right, tally.labelled
	n := len(want)
	if n != 262 {
		t.Fatalf("%d labelled areas, want 262", n)
	}
	qwk, acc := evaluation.QWK(want, got, 3), evaluation.Accuracy(want, got)
	t.Logf("spoken coverage (campus guide, held out): %d areas, QWK %.3f, accuracy %.3f, mean status read %.2f, labelled %.2f; first quote inside a labelled sentence %d of %d quoted (%d labelled with evidence)",
		n, qwk, acc, sumGot/float64(n), sumWant/float64(n), right, quoted, labelled)
	// Measured when the set arrived: h2.20 QWK 0.215, accuracy 0.454, mean
	// status read 1.27 against 1.78 labelled (an answer of 95 words read as
	// short whatever its question asks for); h2.21, answer_words read
	// against the question's number of areas and the match weights held
	// rising: QWK 0.331, accuracy 0.760, mean 1.76, first quotes 182 of
	// 250. h2.21 was chosen among four variants partly on this set
	// (analyzer/heuristic/README.md), so for that choice it served as a
	// development set. The floors leave about 0.02.
	if qwk < 0.31 || acc < 0.74 {
		t.Errorf("spoken coverage QWK %.3f, accuracy %.3f; floors 0.31 and 0.74", qwk, acc)
	}
	if d := sumGot/float64(n) - sumWant/float64(n); d < -0.2 || d > 0.2 {
		t.Errorf("mean status read %.2f, labelled %.2f: more than 0.2 apart", sumGot/float64(n), sumWant/float64(n))
	}
}

// areaTally holds a report's area statuses beside the labelled ones and
// counts its first quotes against the labelled evidence sentences.
type areaTally struct {
	want, got               []int // labelled and read statuses, 0..2
	labelled, quoted, right int   // areas with labelled evidence; of them quoted; first quote inside a labelled sentence
}

// add tallies the areas read for one answer against its labels and
// evidence (keyed "1".."n").
func (c *areaTally) add(t *testing.T, id string, areas []analyzer.AreaResult, labels map[string]string, evidence map[string][]string) {
	t.Helper()
	if len(areas) != len(labels) {
		t.Fatalf("%s: %d areas read, %d labelled", id, len(areas), len(labels))
	}
	for _, ar := range areas {
		k := strconv.Itoa(ar.Index)
		w, ok1 := evaluation.StatusValue(labels[k])
		g, ok2 := evaluation.StatusValue(ar.Status)
		if !ok1 || !ok2 {
			t.Fatalf("%s area %s: status %q labelled, %q read", id, k, labels[k], ar.Status)
		}
		c.want, c.got = append(c.want, w), append(c.got, g)
		sents := evidence[k]
		if len(sents) == 0 {
			continue
		}
		c.labelled++
		if len(ar.Evidence) == 0 {
			continue
		}
		c.quoted++
		if slices.ContainsFunc(sents, func(s string) bool { return strings.Contains(s, ar.Evidence[0].Quote) }) {
			c.right++
		}
	}
}

// merge appends o's tally to c's.
func (c *areaTally) merge(o areaTally) {
	c.want, c.got = append(c.want, o.want...), append(c.got, o.got...)
	c.labelled += o.labelled
	c.quoted += o.quoted
	c.right += o.right
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}
