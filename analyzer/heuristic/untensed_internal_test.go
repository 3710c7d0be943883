package heuristic

import (
	"context"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/nlp"
)

// TestAgreementSlip: which answers are read a second time with their bare
// verbs told. A subject pronoun followed by a bare verb is a slip; a
// question's inversion, a verb whose past is its bare form, "it" as an
// object or as the department, and a subject and verb across a mark are
// not.
func TestAgreementSlip(t *testing.T) {
	for _, c := range []struct {
		text string
		slip bool
	}{
		{"She come back the next day and she was upset.", true},
		{"Then he tell me the order is lost.", true},
		{"The form was slow, and it make audits stressful.", true},
		{"He always call the same branch.", true},
		{"She came back the next day and she was upset.", false},
		{"Did she call you back?", false},
		{"Would he mind waiting?", false},
		{"She put the folder on the desk.", false},
		{"I let it go and made it happen.", false},
		{"We went through it line by line.", false},
		{"I asked the IT team, and IT fix the router overnight.", false},
		{"I wanted it perfect.", false},
		{"She, like, wanted a refund.", false},
		{"We checked what she said. Then it worked.", false},
		{"I fixed it. Imagine the queue otherwise.", false},
	} {
		if got := agreementSlip(nlp.Parse(c.text)); got != c.slip {
			t.Errorf("%q: slip %v, want %v", c.text, got, c.slip)
		}
	}
}

// TestUntensedReading: read untensed, a bare verb after its subject is a
// past event and a bare verb of speech reports speech; a habit, a stance
// verb or a verb with no subject before it stays as it was.
func TestUntensedReading(t *testing.T) {
	for _, c := range []struct {
		text         string
		past, speech bool
	}{
		{"I talk with the operators on each shift.", true, false},
		{"She write to the manager with my name.", true, false},
		{"I say, you must be tired, and I bring him a coffee.", true, true},
		{"I always talk with the operators.", false, false},
		{"I think the form is quick.", false, false},
		{"The tablets become the normal way.", false, false},
	} {
		doc := nlp.Parse(c.text)
		af := analyzeFeatures(doc, nil, newWorkspace(), true)
		past, speech := false, false
		for i := range af.units {
			f := &af.units[i]
			past = past || f.past > 0 && !f.habitual
			speech = speech || f.speech
		}
		if past != c.past || speech != c.speech {
			t.Errorf("%q: past %v speech %v, want %v %v", c.text, past, speech, c.past, c.speech)
		}
		// Read as usual, no bare verb is past.
		plain := analyzeFeatures(doc, nil, newWorkspace(), false)
		for i := range plain.units {
			if plain.units[i].past > 0 {
				t.Errorf("%q: read as usual, unit %d has a past verb", c.text, i)
			}
		}
	}
}

// TestUntensedDelivery: an answer with an agreement slip gets the higher
// of its two readings' scores and the delivery of that reading, never less
// than its first reading's; an answer without one is read once.
func TestUntensedDelivery(t *testing.T) {
	w, err := loadWeights()
	if err != nil || w.Delivery == nil {
		t.Fatalf("no delivery model: %v", err)
	}
	e := New()
	q := analyzer.Question{ID: "q1", Text: "Tell me about a time you helped a customer who was upset."}
	qs := e.questionSem(q)
	slipped := []string{
		"Last winter I was working the returns counter at a hardware store. One man, he bring back a heater that stop working " +
			"after two days, and he is shouting that we sell him junk. I ask him, can you show me what happen when you switch it on? " +
			"He plug it in and nothing. I check the fuse, it blow, so I swap the heater for a new one and I give him the fuse too. " +
			"He thank me and he come back next month to buy a second one.",
		"When I was team lead at a parcel depot, one driver she miss three pickups in one week. I sit with her after the shift " +
			"and she tell me her route have two new estates with no signs. I walk the route with her on Friday, we mark the " +
			"streets on the map, and the next week she make every pickup.",
		"When I was in the call centre, one customer she ring about a double charge and she is very angry. I listen first, " +
			"I check her account and I see the charge two times. I explain her what happen and I refund the second charge. " +
			"She say thank you and she close the call calm.",
	}
	used := 0
	for _, text := range slipped {
		_, _, af := readAnswer(text)
		d, st := e.delivery(af, qs)
		d1, _ := e.deliveryOf(af, qs)
		t.Logf("%.40q: %s %d; first reading %s %d", text, d.Label, d.Specificity, d1.Label, d1.Specificity)
		if st.untensed == nil {
			t.Fatalf("%.40q: no untensed reading", text)
		}
		first, second := w.Delivery.Score(st.x), w.Delivery.Score(st.untensed.st.x)
		if d.Specificity < d1.Specificity {
			t.Errorf("%.40q: specificity %d, below the first reading's %d", text, d.Specificity, d1.Specificity)
		}
		if st.untensed.used {
			used++
		}
		if st.untensed.used != (second > first) {
			t.Errorf("%.40q: untensed reading used %v with scores %.2f (first) and %.2f (untensed)", text, st.untensed.used, first, second)
		}
		tr, err := e.Trace(q, nil, text)
		if err != nil {
			t.Fatal(err)
		}
		if tr.DeliveryUntensed == nil || tr.Label != d.Label || tr.Specificity != d.Specificity {
			t.Errorf("%.40q: trace untensed %v, label %s %d; delivery %s %d", text, tr.DeliveryUntensed != nil, tr.Label, tr.Specificity, d.Label, d.Specificity)
		}
		res, err := e.Analyze(context.Background(), q, text)
		if err != nil {
			t.Fatal(err)
		}
		if res.Delivery.Label != d.Label || res.Delivery.Specificity != d.Specificity {
			t.Errorf("%.40q: Analyze %s %d, delivery %s %d", text, res.Delivery.Label, res.Delivery.Specificity, d.Label, d.Specificity)
		}
	}
	if used == 0 {
		t.Errorf("no story told in bare verbs read higher untensed")
	}
	_, _, af := readAnswer("When I was team lead at a parcel depot, one driver missed three pickups in one week. " +
		"I sat with her after the shift and she told me her route had two new estates with no signs.")
	if _, st := e.delivery(af, qs); st.untensed != nil {
		t.Errorf("an answer with no slip was read a second time")
	}
}

// TestFillerOnlyAnswer: an answer of marks of speech only ("er") has the
// words said, and its short-answer warning counts them in good English.
func TestFillerOnlyAnswer(t *testing.T) {
	q := analyzer.Question{ID: "q1", Text: "Tell me about a time you helped a customer who was upset.", Areas: []string{"What happened"}}
	for _, c := range []struct {
		text  string
		words int
		says  string
	}{
		{"er ", 1, "the answer has 1 word;"},
		{"um, uh", 2, "the answer has 2 words;"},
	} {
		a, err := New().Analyze(context.Background(), q, c.text)
		if err != nil {
			t.Fatalf("%q: %v", c.text, err)
		}
		if a.Words != c.words {
			t.Errorf("%q: %d words, want %d", c.text, a.Words, c.words)
		}
		found := false
		for _, w := range a.Warnings {
			found = found || w.Code == analyzer.WarnShortAnswer && strings.HasPrefix(w.Message, c.says)
		}
		if !found {
			t.Errorf("%q: no short-answer warning starting %q in %v", c.text, c.says, a.Warnings)
		}
	}
}
