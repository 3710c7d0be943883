package heuristic_test

import (
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/evaluation"
)

type labelledSentence struct {
	ID    string `json:"id"`
	Genre string `json:"genre"`
	Label string `json:"label"`
	Text  string `json:"text"`
}

// TestSentenceSpecificityHeldOut measures the specificity of answers of one
// sentence on testdata/sentences/heldout.jsonl: 240 sentences (news,
// interview answers, reviews and reports) labelled general or specific,
// written blind and never trained on (the training command reads
// train.jsonl only). It logs counts only, never a sentence. The AUC must
// stay well above that of the sentence's length, which on this set is
// below chance (its general sentences are the longer ones).
func TestSentenceSpecificityHeldOut(t *testing.T) {
	rows := readJSONL[labelledSentence](t, "../../testdata/sentences/heldout.jsonl")
	e := heuristic.New()
	q := question(t, "q1")
	type scores struct{ pos, neg, posLen, negLen []float64 }
	by := map[string]*scores{"": {}}
	notOne := 0
	for _, r := range rows {
		if _, one := heuristic.SentenceVector(r.Text); !one {
			notOne++
		}
		a := analyze(t, e, q, r.Text)
		sp, n := float64(a.Delivery.Specificity), float64(len(strings.Fields(r.Text)))
		for _, g := range []string{"", r.Genre} {
			s := by[g]
			if s == nil {
				s = &scores{}
				by[g] = s
			}
			if r.Label == "specific" {
				s.pos, s.posLen = append(s.pos, sp), append(s.posLen, n)
			} else {
				s.neg, s.negLen = append(s.neg, sp), append(s.negLen, n)
			}
		}
	}
	for g, s := range by {
		t.Logf("%-9s %3d specific, %3d general: AUC %.3f (by length %.3f)", g, len(s.pos), len(s.neg),
			evaluation.AUC(s.pos, s.neg), evaluation.AUC(s.posLen, s.negLen))
	}
	// The parser splits a few sentences (a stop inside "3 a.m. local
	// time"); the engine reads those with the delivery model, and so does
	// the AUC.
	t.Logf("%d of %d sentences not read as one sentence", notOne, len(rows))
	if notOne > len(rows)/20 {
		t.Errorf("%d of %d sentences not read as one sentence, want at most 5%%", notOne, len(rows))
	}
	all := by[""]
	auc, byLength := evaluation.AUC(all.pos, all.neg), evaluation.AUC(all.posLen, all.negLen)
	// Measured at h2.17: 0.975 (h2.16, before one sentence was read as
	// a sentence: 0.774); the floor leaves a few pairs.
	if auc < 0.95 || auc < byLength+0.2 {
		t.Errorf("AUC %.3f (by length %.3f), want at least 0.95 and 0.2 above length", auc, byLength)
	}
}

// TestSentenceFeatures: each of the sentence model's features reads what
// its name says, on sentences written for it.
func TestSentenceFeatures(t *testing.T) {
	idx := map[string]int{}
	for i, f := range heuristic.SentenceFeatures {
		idx[f] = i
	}
	for _, c := range []struct {
		text, feature string
		want          float64
	}{
		{"Maria Lopez called Dana from the Leeds office.", "names", 3},
		{"The customer called twice.", "names", 0},
		{"We shipped 40 boxes, 12 crates and 3 pallets to 2 depots.", "numbers", 3},
		{"On Tuesday the shop opened late.", "times", 1},
		{"She said, \"I will never come back here.\"", "speech", 1},
		{"The storm closed the road.", "past", 1},
		{"The storm closes roads.", "past", 0},
		{"I rang every driver before six.", "own_action", 1},
		{"The driver rang me before six.", "own_action", 0},
		{"I usually listen before I answer.", "habit", 1},
		{"I would ask the customer what happened.", "hypothetical", 1},
		{"Most people want many things from every job.", "generic_words", 3},
		{"You have to listen to what they need.", "you_generic", 1},
		{"Managers should listen.", "modal", 1},
		{"Managers listen.", "modal", 0},
		{"In May 2019 I joined the team.", "modal", 0},
		{"Most people, Will said, want many things.", "modal", 0},
		{"I fixed it.", "people", 0},
		{"I told her about it and she smiled.", "people", 2},
		{"I think it went well.", "hedge", 1},
		{"At the end of the day, customer is king.", "cliches", 2},
	} {
		if _, ok := idx[c.feature]; !ok {
			t.Fatalf("no sentence feature %q", c.feature)
		}
		x, one := heuristic.SentenceVector(c.text)
		if !one {
			t.Errorf("%q not read as one sentence", c.text)
			continue
		}
		if got := x[idx[c.feature]]; got != c.want {
			t.Errorf("%q: %s = %g, want %g", c.text, c.feature, got, c.want)
		}
	}
	x, _ := heuristic.SentenceVector("The ceramicist glazed a teapot.")
	y, _ := heuristic.SentenceVector("The person made a thing.")
	if r := idx["rarity"]; x[r] <= y[r] {
		t.Errorf("rarity of rare words %.3f, of common ones %.3f: want the first higher", x[r], y[r])
	}
}

// TestOneSentenceAnswer: an answer of one sentence is read for its
// particulars and says so; an answer of two is read for its episode.
func TestOneSentenceAnswer(t *testing.T) {
	e := heuristic.New()
	q := question(t, "q1")
	spec := analyze(t, e, q, "Last March, at our Denver branch, I gave Mrs Okafor a refund of $240 after her flight was cancelled twice.")
	gen := analyze(t, e, q, "Customers generally want to feel heard, and most problems can be solved with patience.")
	if spec.Delivery.Specificity <= gen.Delivery.Specificity {
		t.Errorf("specific sentence %d, general %d: want the first higher", spec.Delivery.Specificity, gen.Delivery.Specificity)
	}
	if spec.Delivery.Label != analyzer.LabelSpecific || gen.Delivery.Label == analyzer.LabelSpecific {
		t.Errorf("specific sentence labelled %s, general %s: want specific and not specific", spec.Delivery.Label, gen.Delivery.Label)
	}
	// Without a particular (a name, a number, a time, someone's words) a
	// sentence is mixed at most, however much happens in it.
	for _, text := range []string{"I fixed it.", "I talked to him.", "I stayed calm, listened to the customer, apologised, and fixed the problem."} {
		if d := analyze(t, e, q, text).Delivery; d.Label == analyzer.LabelSpecific || d.Specificity > 59 {
			t.Errorf("%q: %s %d, want mixed at most (no particular)", text, d.Label, d.Specificity)
		}
	}
	for _, a := range []analyzer.AnswerAnalysis{spec, gen} {
		if len(a.Delivery.Reasons) == 0 || !strings.HasPrefix(a.Delivery.Reasons[0], "one sentence") {
			t.Errorf("reasons %q, want the one-sentence reading first", a.Delivery.Reasons)
		}
	}
	// Speech transcribed without stops is read for its episode, however
	// it parses.
	runOn := analyze(t, e, q, "so last March this guest comes to the desk shouting about her room and I listened and then I rebooked her into the suite and she thanked me the next day")
	if len(runOn.Delivery.Reasons) > 0 && strings.HasPrefix(runOn.Delivery.Reasons[0], "one sentence") {
		t.Errorf("an unpunctuated run-on read as one sentence: %q", runOn.Delivery.Reasons)
	}
	two := analyze(t, e, q, "Last March a guest shouted at me. I listened, then I rebooked her flight.")
	if len(two.Delivery.Reasons) > 0 && strings.HasPrefix(two.Delivery.Reasons[0], "one sentence") {
		t.Errorf("two sentences read as one: %q", two.Delivery.Reasons)
	}
}
