package heuristic

import (
	"slices"
	"strconv"
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

// TestDepthPassLight: depth's second pass reads the question's own areas
// only for the signals' relative features (coverage's from); every
// signal's vector, quote probabilities, status, confidence and quotes are
// those of a second pass that decides every area, and the depth results of
// an analysis are the same either way.
func TestDepthPassLight(t *testing.T) {
	type item struct {
		QuestionID string `json:"question_id"`
		Text       string `json:"text"`
	}
	items, _ := testkit.ReadJSONL[item](t, "../../testdata/eval/answers2.jsonl", false)
	g, ok := guide.Builtin("cx-empathy")
	if !ok {
		t.Fatal("no cx-empathy")
	}
	e := New()
	w := e.mustWeights()
	checked := 0
	for _, it := range items {
		q, ok := g.Question(it.QuestionID)
		if !ok || len(q.Depth) == 0 {
			continue
		}
		ext := withDepth(*q)
		read := func(from int) (cov []string, decs []areaDecision) {
			_, _, af := readAnswer(it.Text)
			qs := e.questionSem(*q)
			_, st := e.delivery(af, qs)
			_, _, first := e.coverage(*q, qs, af, st, nil, true, false, 0)
			c, d, _ := e.coverage(ext, qs.ext, af, st, first, false, false, from)
			e.decideDepth(w, af, *q, c, d)
			for _, ar := range c.Areas[len(q.Areas):] {
				s := ar.Status + " " + strconv.FormatFloat(ar.Confidence, 'g', -1, 64)
				for _, sp := range ar.Evidence {
					s += " | " + sp.Quote + " " + strconv.FormatFloat(sp.Confidence, 'g', -1, 64)
				}
				cov = append(cov, s)
			}
			return cov, d[len(q.Areas):]
		}
		light, ld := read(len(q.Areas))
		full, fd := read(0)
		if !slices.Equal(light, full) {
			t.Fatalf("%s: signals read light %q, fully %q", it.QuestionID, light, full)
		}
		for i := range ld {
			if !slices.Equal(ld[i].x, fd[i].x) || !slices.Equal(ld[i].quote, fd[i].quote) {
				t.Fatalf("%s signal %d: vector or quote probabilities differ", it.QuestionID, i)
			}
		}
		checked++
	}
	if checked < 80 {
		t.Fatalf("only %d answers checked", checked)
	}
}
