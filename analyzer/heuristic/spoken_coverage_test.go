package heuristic_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

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
	var want, got []int
	var sumWant, sumGot float64
	quoted, right, labelled := 0, 0, 0
	for _, it := range readJSONL[answer](t, "../../testdata/eval/delivery_spoken_train.jsonl") {
		l, ok := gold[it.ID]
		if !ok || l.QuestionID != it.QuestionID {
			t.Fatalf("%s: no coverage labels for question %s", it.ID, it.QuestionID)
		}
		a := analyzeInGuide(t, e, campus, it.QuestionID, it.Text)
		if len(a.Coverage.Areas) != len(l.Areas) {
			t.Fatalf("%s: %d areas read, %d labelled", it.ID, len(a.Coverage.Areas), len(l.Areas))
		}
		for _, ar := range a.Coverage.Areas {
			k := strconv.Itoa(ar.Index)
			w, ok1 := evaluation.StatusValue(l.Areas[k])
			g, ok2 := evaluation.StatusValue(ar.Status)
			if !ok1 || !ok2 {
				t.Fatalf("%s area %s: status %q labelled, %q read", it.ID, k, l.Areas[k], ar.Status)
			}
			want, got = append(want, w), append(got, g)
			sumWant, sumGot = sumWant+float64(w), sumGot+float64(g)
			sents := l.Evidence[k]
			if len(sents) == 0 {
				continue
			}
			labelled++
			if len(ar.Evidence) == 0 {
				continue
			}
			quoted++
			if slices.ContainsFunc(sents, func(s string) bool { return strings.Contains(s, ar.Evidence[0].Quote) }) {
				right++
			}
		}
	}
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
