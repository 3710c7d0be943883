package heuristic

import (
	"testing"

	"github.com/candorhq/candor/analyzer/nlp"
)

// TestTenseReading: what counts as a past event in a unit. Negative
// contractions are past only when their verb is; a participle after a
// present auxiliary is no event; past forms inside a clause the speaker
// tells in the present belong to it; a stance verb ("I think") frames a past
// event without hiding it.
func TestTenseReading(t *testing.T) {
	for _, c := range []struct {
		text string
		past bool
	}{
		{"I don't know what to do about it.", false},
		{"They can't see it and they won't wait.", false},
		{"I didn't call her back.", true},
		{"It wasn't the first time.", true},
		{"They're not being heard.", false},
		{"People want to feel respected.", false},
		{"I've got a direct line for them.", false},
		{"I repeat back what they said.", false},
		{"I think it took a couple of weeks.", true},
		{"She said the waits were due to the scanner.", true},
		// A verb whose past is its bare form sets no present frame.
		{"I let him talk and I found the refund stuck in a queue.", true},
		{"I put her on hold and checked the order.", true},
	} {
		_, _, af := readAnswer(c.text)
		got := false
		for i := range af.units {
			got = got || af.units[i].past > 0
		}
		if got != c.past {
			t.Errorf("%q: past %v, want %v", c.text, got, c.past)
		}
	}
}

// TestSentenceFrame: a habit or a hypothetical frames the rest of its
// sentence (units split where a subject is repeated); a unit with a past
// verb or a time of its own, or a new sentence, keeps its reading.
func TestSentenceFrame(t *testing.T) {
	doc := &nlp.Doc{Units: []nlp.Unit{{SentenceStart: true}, {}, {}, {SentenceStart: true}, {}, {}}}
	units := []unitFeat{{habitual: true}, {}, {past: 1}, {}, {hypothetical: true}, {timeMarks: []int{0}}}
	frameSentences(doc, units)
	want := []bool{true, true, false, false, true, false}
	for i := range units {
		if got := units[i].habitual || units[i].hypothetical; got != want[i] {
			t.Errorf("unit %d framed %v, want %v", i, got, want[i])
		}
	}
}

// TestTenselessOutcome: in an anchored story told without tense marks, an
// outcome verb counts as it does in the past.
func TestTenselessOutcome(t *testing.T) {
	for _, text := range []string{
		"In 2022 I run the desk at Eastmoor. The complaints drop to nine the next month.",
		"In 2022 I ran the desk at Eastmoor. The complaints dropped to nine the next month.",
	} {
		_, _, af := readAnswer(text)
		if !af.units[len(af.units)-1].result {
			t.Errorf("%q: no outcome read", text)
		}
	}
	_, _, af := readAnswer("I always drop everything when a customer calls.")
	if af.units[0].result {
		t.Error("a habit read as an outcome")
	}
}

// TestLittleHedge: "a little" before a noun describes; before an
// adjective it hedges.
func TestLittleHedge(t *testing.T) {
	for text, want := range map[string]bool{
		"A father came in carrying a little girl.": false,
		"I was a little late to the meeting.":      true,
	} {
		_, _, af := readAnswer(text)
		if got := af.units[0].hedge; got != want {
			t.Errorf("%q: hedge %v, want %v", text, got, want)
		}
	}
}

// TestReportedWouldIsNoHypothetical: "would" or "will" reported after a
// verb of saying or thinking in the past tells what was said or meant then;
// the same words on their own say what the candidate would do.
func TestReportedWouldIsNoHypothetical(t *testing.T) {
	for _, c := range []struct {
		text string
		hyp  bool
	}{
		{"I said I'd be angry too.", false},
		{"I told her I would call back by five.", false},
		{"I promised the customer I will fix it.", false},
		{"I knew I could sort it out.", false},
		{"I told his wife I would call back.", false},
		{"I said no, and I'd do it again.", true},
		{"I'd be angry too.", true},
		{"I would call back by five.", true},
		{"I will fix it.", true},
		{"Honestly I would say I'd listen first.", true},
	} {
		_, _, af := readAnswer(c.text)
		got := false
		for i := range af.units {
			got = got || af.units[i].hypothetical
		}
		if got != c.hyp {
			t.Errorf("%q: hypothetical %v, want %v", c.text, got, c.hyp)
		}
	}
}
