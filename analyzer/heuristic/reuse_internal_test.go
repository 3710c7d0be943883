package heuristic

import (
	"slices"
	"testing"

	"github.com/candorhq/candor/guide"
	"github.com/candorhq/candor/internal/testkit"
)

// The depth pass takes the first pass's similarity matrix and the pair
// stats and base features of the areas both passes share: every number it
// derives is the one a pass from scratch derives, bit for bit.
func TestDepthPassReusesExactly(t *testing.T) {
	type item struct {
		QuestionID string `json:"question_id"`
		Text       string `json:"text"`
	}
	if PairFeatures[iRecallDistinct] != "recall_distinct" {
		t.Fatalf("PairFeatures[%d] = %s", iRecallDistinct, PairFeatures[iRecallDistinct])
	}
	items, _ := testkit.ReadJSONL[item](t, "../../testdata/eval/answers.jsonl", false)
	g, ok := guide.Builtin("cx-empathy")
	if !ok {
		t.Fatal("no cx-empathy")
	}
	e := New()
	checked := 0
	for _, it := range items {
		q, ok := g.Question(it.QuestionID)
		if !ok || len(q.Depth) == 0 {
			continue
		}
		_, _, af := readAnswer(it.Text)
		qs := e.questionSem(*q)
		_, st := e.delivery(af, qs)
		_, _, first := e.coverage(*q, qs, af, st, nil, true, false, 0)
		ext := withDepth(*q)
		cov, decs, reused := e.coverage(ext, qs.ext, af, st, first, false, true, 0)
		fresh := New() // nothing cached: the extended question read on its own
		sq := fresh.questionSem(ext)
		sq.placed = len(q.Areas) // its signals have no place in the story's order
		wcov, wdecs, scratch := fresh.coverage(ext, sq, af, st, nil, false, true, 0)
		for ui := range reused.pair {
			if !slices.Equal(reused.pair[ui], scratch.pair[ui]) {
				t.Fatalf("%s unit %d: pair %v, from scratch %v", it.QuestionID, ui, reused.pair[ui], scratch.pair[ui])
			}
		}
		for ai := range reused.pxAll {
			if !slices.Equal(reused.pxAll[ai], scratch.pxAll[ai]) {
				t.Fatalf("%s area %d: whole-answer pair features %v, from scratch %v", it.QuestionID, ai, reused.pxAll[ai], scratch.pxAll[ai])
			}
		}
		for ai := range decs {
			d, w := decs[ai], wdecs[ai]
			if !slices.Equal(d.x, w.x) || !slices.Equal(d.evidence, w.evidence) || !slices.Equal(d.quote, w.quote) ||
				!slices.EqualFunc(d.evx, w.evx, slices.Equal) || !slices.EqualFunc(d.qx, w.qx, slices.Equal) {
				t.Fatalf("%s area %d: decision differs from scratch", it.QuestionID, ai)
			}
			if cov.Areas[ai].Status != wcov.Areas[ai].Status || cov.Areas[ai].Confidence != wcov.Areas[ai].Confidence {
				t.Fatalf("%s area %d: %s %v, from scratch %s %v", it.QuestionID, ai,
					cov.Areas[ai].Status, cov.Areas[ai].Confidence, wcov.Areas[ai].Status, wcov.Areas[ai].Confidence)
			}
		}
		checked++
	}
	if checked < 10 {
		t.Fatalf("only %d answers checked", checked)
	}
}
