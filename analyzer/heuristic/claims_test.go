package heuristic_test

import (
	"context"
	"slices"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/evaluation"
	"github.com/candorhq/candor/guide"
)

// claimAnswer is a line of testdata/eval/claims/answers.jsonl: an opinion
// answer and the key points (areas) it makes.
type claimAnswer struct {
	ID         string `json:"id"`
	QuestionID string `json:"question_id"`
	Text       string `json:"text"`
	Made       []int  `json:"made"`
	Kind       string `json:"kind"`
}

// TestClaimsSet measures claims on answers as interviews give them
// (testdata/eval/claims: four opinion questions whose areas are key
// points, 48 answers written and labelled blind after h2.23's claim model,
// most of several sentences, some making two or three key points, some
// naming one only to reject it). No training command reads it; it chose
// one thing, the least number of sentences from which an answer is read
// sentence by sentence as well (claimSentencesFrom), so it is a
// development set, not a held-out one.
func TestClaimsSet(t *testing.T) {
	g, err := guide.Load("../../testdata/eval/claims/guide.json")
	if err != nil {
		t.Fatal(err)
	}
	e := heuristic.New()
	var made, notMade []float64
	top1, withMade, madeCovered, falseCovered := 0, 0, 0, 0
	ids := map[string]bool{}
	for _, a := range readJSONL[claimAnswer](t, "../../testdata/eval/claims/answers.jsonl") {
		q, ok := g.Question(a.QuestionID)
		if !ok || ids[a.ID] {
			t.Fatalf("answers.jsonl: %s: question %q unknown or id repeated", a.ID, a.QuestionID)
		}
		ids[a.ID] = true
		res, err := e.Analyze(context.Background(), *q, a.Text)
		if err != nil {
			t.Fatalf("%s: %v", a.ID, err)
		}
		best := 0
		for i, ar := range res.Coverage.Areas {
			if ar.Confidence > res.Coverage.Areas[best].Confidence {
				best = i
			}
			if slices.Contains(a.Made, i) {
				made = append(made, ar.Confidence)
				if ar.Status == analyzer.StatusCovered {
					madeCovered++
				}
			} else {
				notMade = append(notMade, ar.Confidence)
				if ar.Status == analyzer.StatusCovered {
					falseCovered++
				}
			}
		}
		if len(a.Made) > 0 {
			withMade++
			if slices.Contains(a.Made, best) {
				top1++
			}
		}
	}
	auc := evaluation.AUC(made, notMade)
	t.Logf("claims set: %d answers, %d made and %d not made pairs; AUC %.3f; made read covered %d, not made read covered %d; the best key point made in %d of %d answers that make one",
		len(ids), len(made), len(notMade), auc, madeCovered, falseCovered, top1, withMade)
	if len(ids) != 48 || len(made) != 70 || len(notMade) != 218 {
		t.Fatalf("%d answers, %d and %d pairs; want 48, 70 and 218", len(ids), len(made), len(notMade))
	}
	// Measured when the least number of sentences was chosen (h2.23):
	// AUC 0.785, 29 of 70 made pairs covered, 15 of 218 not made ones,
	// the best key point made in 30 of 44 (through the CLI, h2.22's pair
	// model: 0.750, 14, 15, 24; h2.23 reading the whole answer only: 0.749,
	// 16, 8, 28). The floors leave about 0.03 and three answers.
	if auc < 0.75 || madeCovered < 25 || falseCovered > 20 || top1 < 27 {
		t.Errorf("claims set: AUC %.3f, made covered %d, not made covered %d, best made %d; floors 0.75, 25, at most 20, 27",
			auc, madeCovered, falseCovered, top1)
	}
}
