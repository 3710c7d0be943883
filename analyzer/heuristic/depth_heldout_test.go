package heuristic_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/evaluation"
	"github.com/candorhq/candor/guide"
)

// The depth model's figures on the held-out depth labels when it was
// fitted (h2.20: QWK 0.647, first quotes inside a labelled sentence 35 of
// 104 with the depth_quote model), less a margin: a refit that loses more
// fails here.
const (
	depthHeldOutFloorQWK    = 0.60
	depthHeldOutFloorQuotes = 31
	depthRetellingsFloor    = 279 // h2.20: 281 of 320 (23 lower, 16 higher); read as areas, h2.19: 281 (13 lower, 26 higher)
	// depthAreaReadingQWK is h2.19's reading of the signals as areas on the
	// same labels, which the depth model replaced. Since h2.21 the coverage
	// model reads an area's length against its question's areas and a
	// signal's not, so its reading of a signal's vector is no longer that
	// comparison (it is logged, not compared).
	depthAreaReadingQWK = 0.435
)

// TestDepthHeldOut measures the depth signals on answers the training
// command never reads: the 45 answers of testdata/eval/answers.jsonl, their
// cx-empathy depth signals labelled blind (testdata/eval/depth_heldout.jsonl:
// present, partial or absent, with the sentences that show them). It
// compares the depth model with the reading it replaced (each signal
// decided as an extra area by the coverage model, which Trace still
// reports as the signal's area status) and logs counts only, never texts.
func TestDepthHeldOut(t *testing.T) {
	type answer struct {
		ID         string `json:"id"`
		QuestionID string `json:"question_id"`
		Text       string `json:"text"`
	}
	type label struct {
		ID      string `json:"id"`
		Signals map[string]struct {
			Status   string   `json:"status"`
			Evidence []string `json:"evidence"`
		} `json:"signals"`
	}
	answers := readJSONL[answer](t, "../../testdata/eval/answers.jsonl")
	labels := map[string]label{}
	for _, l := range readJSONL[label](t, "../../testdata/eval/depth_heldout.jsonl") {
		labels[l.ID] = l
	}
	g, ok := guide.Builtin("cx-empathy")
	if !ok {
		t.Fatal("no built-in guide cx-empathy")
	}
	value := map[string]int{analyzer.DepthAbsent: 0, analyzer.DepthPartial: 1, analyzer.DepthPresent: 2}
	e := heuristic.New()
	var gold, model, area []int
	quoted, right := 0, 0
	for _, a := range answers {
		l, ok := labels[a.ID]
		if !ok {
			t.Fatalf("%s: no depth labels", a.ID)
		}
		q, ok := g.Question(a.QuestionID)
		if !ok {
			t.Fatalf("%s: no question %s in cx-empathy", a.ID, a.QuestionID)
		}
		res := analyzeInGuide(t, e, g, a.QuestionID, a.Text)
		tr, err := e.TraceDepth(*q, a.Text)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Delivery.Depth) != len(q.Depth) {
			t.Fatalf("%s: %d depth results for %d signals", a.ID, len(res.Delivery.Depth), len(q.Depth))
		}
		for i, d := range res.Delivery.Depth {
			gl, ok := l.Signals[d.ID]
			gv, known := value[gl.Status]
			if !ok || !known {
				t.Fatalf("%s: signal %s: label %q", a.ID, d.ID, gl.Status)
			}
			gold = append(gold, gv)
			model = append(model, value[d.Status])
			area = append(area, value[analyzer.DepthStatus(tr.Areas[len(q.Areas)+i].Status)])
			if gv > 0 && len(d.Evidence) > 0 && len(gl.Evidence) > 0 {
				quoted++
				for _, s := range gl.Evidence {
					if quoteInside(a.Text, d.Evidence[0].Quote, s) {
						right++
						break
					}
				}
			}
		}
	}
	qm, qa := evaluation.QWK(gold, model, 3), evaluation.QWK(gold, area, 3)
	t.Logf("held-out depth signals: %d answers, %d signals; depth model QWK %.3f, accuracy %.3f, %s; read by the coverage model (a reference since h2.21) QWK %.3f, accuracy %.3f, %s",
		len(answers), len(gold), qm, evaluation.Accuracy(gold, model), confusion(gold, model), qa, evaluation.Accuracy(gold, area), confusion(gold, area))
	t.Logf("held-out depth quotes: first quote inside a labelled sentence %d of %d signals labelled present or partial and quoted", right, quoted)
	if qm < depthAreaReadingQWK {
		t.Errorf("depth model QWK %.3f on held-out answers, below the area reading it replaced (h2.19: %.3f)", qm, depthAreaReadingQWK)
	}
	if qm < depthHeldOutFloorQWK {
		t.Errorf("depth model QWK %.3f on held-out answers, below the floor %.2f", qm, depthHeldOutFloorQWK)
	}
	if right < depthHeldOutFloorQuotes {
		t.Errorf("held-out depth quotes: %d of %d inside a labelled sentence, below the floor %d", right, quoted, depthHeldOutFloorQuotes)
	}
}

// quoteInside: the quote, found in text, overlaps a place of the labelled
// sentence s by at least half of the quote's bytes.
func quoteInside(text, quote, s string) bool {
	start := strings.Index(text, quote)
	if start < 0 || s == "" {
		return false
	}
	end := start + len(quote)
	for from := 0; ; {
		i := strings.Index(text[from:], s)
		if i < 0 {
			return false
		}
		i += from
		lo, hi := max(start, i), min(end, i+len(s))
		if hi > lo && 2*(hi-lo) >= end-start {
			return true
		}
		from = i + 1
	}
}

func confusion(g, p []int) string {
	var c [3][3]int
	for i := range g {
		c[g[i]][p[i]]++
	}
	return fmt.Sprintf("gold absent / partial / present read as (absent, partial, present): %v %v %v", c[0], c[1], c[2])
}

// TestDepthRetellings: a story retold in non-native grammar, a dialect or
// with disfluencies keeps its depth signals. Measured on the retellings of
// testdata/eval/delivery_variants.jsonl against their sources (answers2 and
// the behavioural set, each in its own guide): the share of signals whose
// status is the source's. Grammar must never count against an answer; the
// floor holds what h2.20 measured less two signals.
func TestDepthRetellings(t *testing.T) {
	type item struct {
		ID         string `json:"id"`
		QuestionID string `json:"question_id"`
		Text       string `json:"text"`
		Source     string `json:"x_source"`
		Group      struct {
			Guide string `json:"guide"`
		} `json:"group"`
	}
	sources := map[string]string{}
	for _, path := range []string{"../../testdata/eval/answers2.jsonl", "../../testdata/eval/behavioral/answers.jsonl"} {
		for _, it := range readJSONL[item](t, path) {
			sources[it.ID] = it.Text
		}
	}
	e := heuristic.New()
	same, all, lower := 0, 0, 0
	for _, v := range readJSONL[item](t, "../../testdata/eval/delivery_variants.jsonl") {
		src, ok := sources[v.Source]
		if !ok {
			t.Fatalf("%s: no source %q", v.ID, v.Source)
		}
		g, ok := guide.Builtin(v.Group.Guide)
		if !ok {
			t.Fatalf("%s: no built-in guide %q", v.ID, v.Group.Guide)
		}
		a, b := analyzeInGuide(t, e, g, v.QuestionID, src), analyzeInGuide(t, e, g, v.QuestionID, v.Text)
		rank := map[string]int{analyzer.DepthAbsent: 0, analyzer.DepthPartial: 1, analyzer.DepthPresent: 2}
		for i := range a.Delivery.Depth {
			all++
			switch sa, sb := a.Delivery.Depth[i].Status, b.Delivery.Depth[i].Status; {
			case sa == sb:
				same++
			case rank[sb] < rank[sa]:
				lower++
			}
		}
	}
	t.Logf("depth signals of retellings: %d of %d as the source's; %d lower, %d higher", same, all, lower, all-same-lower)
	if all == 0 || same < depthRetellingsFloor {
		t.Errorf("depth signals of retellings: %d of %d as the source's, want at least %d", same, all, depthRetellingsFloor)
	}
}
