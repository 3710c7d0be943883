package heuristic_test

import (
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/analyzer/nlp"
	"github.com/candorhq/candor/analyzer/semantic"
	"github.com/candorhq/candor/evaluation"
	"github.com/candorhq/candor/guide"
	"github.com/candorhq/candor/internal/testkit"
)

// readJSONL decodes every non-blank line of a JSON Lines file into a T.
func readJSONL[T any](t testing.TB, path string) []T {
	t.Helper()
	out, _ := testkit.ReadJSONL[T](t, path, false)
	return out
}

// analyzeInGuide analyzes one answer as a report does: with the guide's
// questions in the context.
func analyzeInGuide(t *testing.T, e *heuristic.Engine, g *analyzer.Guide, qid, text string) analyzer.AnswerAnalysis {
	t.Helper()
	q, ok := g.Question(qid)
	if !ok {
		t.Fatalf("no question %s in %s", qid, g.ID)
	}
	a, err := e.Analyze(analyzer.WithQuestions(context.Background(), g.Questions), *q, text)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func hasWarning(a analyzer.AnswerAnalysis, code string) bool {
	return slices.ContainsFunc(a.Warnings, func(w analyzer.Warning) bool { return w.Code == code })
}

// TestOffQuestionProbes measures the off-question warning on a probe set
// the engine was never trained on (testdata/probes/offtopic.jsonl: 24
// answers given to a question they do not answer, 24 on-topic answers in
// everyday words). The training command withholds the warning when its
// held-out folds show it wrong as often as right (h2.22:
// Weights.OffQuestionWithheld); then no probe may draw it, and the model
// is measured at its cut as it would fire, so that a change that makes it
// blind or noisy still shows here.
func TestOffQuestionProbes(t *testing.T) {
	probes := readJSONL[struct {
		ID         string `json:"id"`
		QuestionID string `json:"question_id"`
		Text       string `json:"text"`
		Off        bool   `json:"off_question"`
	}](t, "../../testdata/probes/offtopic.jsonl")
	g := cxGuide(t)
	count := func(e *heuristic.Engine) (caught, off, alarms, on int) {
		for _, p := range probes {
			a := analyzeInGuide(t, e, g, p.QuestionID, p.Text)
			flagged := hasWarning(a, analyzer.WarnOffQuestion)
			if p.Off {
				off++
				if flagged {
					caught++
				}
			} else {
				on++
				if flagged {
					alarms++
					t.Logf("false alarm on %s", p.ID)
				}
			}
		}
		return caught, off, alarms, on
	}
	w := embeddedWeights(t)
	caught, off, alarms, on := count(heuristic.New())
	t.Logf("off-question probes, as the engine reports (withheld %v): %d of %d off-question answers flagged, %d of %d on-topic", w.OffQuestionWithheld, caught, off, alarms, on)
	if w.OffQuestionWithheld && caught+alarms > 0 {
		t.Errorf("the warning is withheld, yet %d probes drew it", caught+alarms)
	}
	raised := *w
	raised.OffQuestionWithheld = false
	heuristic.SetWeights(&raised)
	t.Cleanup(func() { heuristic.SetWeights(w) })
	caught, off, alarms, on = count(heuristic.New())
	t.Logf("off-question probes, the model at its cut: %d of %d off-question answers flagged, %d of %d on-topic", caught, off, alarms, on)
	// Measured: 1 of 24 and 0 of 24 (h2.9, whose cut allows 2% false
	// alarms on held-out folds; h2.5-h2.8 at 5%: 4 and 1). The model is
	// cautious by design, so it misses most off-question answers; these
	// bounds catch a change that makes it blind or noisy.
	if caught < 1 {
		t.Errorf("%d of %d off-question answers flagged, want at least 1", caught, off)
	}
	if alarms > 1 {
		t.Errorf("%d of %d on-topic answers flagged, want at most 1", alarms, on)
	}
}

// embeddedWeights decodes the committed weights file afresh: a copy the
// test may change and hand to heuristic.SetWeights.
func embeddedWeights(t *testing.T) *heuristic.Weights {
	t.Helper()
	b, err := os.ReadFile("weights.json")
	if err != nil {
		t.Fatal(err)
	}
	w, err := heuristic.DecodeWeights(b)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// TestOffQuestionSet measures the warning on testdata/eval/offquestion.jsonl
// (96 answers written blind for it, never trained on: off-domain stories,
// answers to another question of the guide, and on-topic answers in
// everyday words, both built-in guides).
func TestOffQuestionSet(t *testing.T) {
	items := readJSONL[struct {
		ID         string `json:"id"`
		Guide      string `json:"guide"`
		QuestionID string `json:"question_id"`
		Text       string `json:"text"`
		Off        bool   `json:"off_question"`
		Kind       string `json:"kind"`
	}](t, "../../testdata/eval/offquestion.jsonl")
	e := heuristic.New()
	flagged := map[string]int{}
	total := map[string]int{}
	for _, it := range items {
		g, ok := guide.Builtin(it.Guide)
		if !ok {
			t.Fatalf("%s: no built-in guide %q", it.ID, it.Guide)
		}
		a := analyzeInGuide(t, e, g, it.QuestionID, it.Text)
		total[it.Kind]++
		if hasWarning(a, analyzer.WarnOffQuestion) {
			flagged[it.Kind]++
			if !it.Off {
				t.Logf("false alarm on %s", it.ID)
			}
		}
	}
	t.Logf("off-question set: flagged %d of %d off-domain, %d of %d answers to another question, %d of %d on-topic",
		flagged["off_domain"], total["off_domain"], flagged["other_question"], total["other_question"], flagged["on_topic"], total["on_topic"])
	if total["off_domain"] != 24 || total["other_question"] != 24 || total["on_topic"] != 48 {
		t.Fatalf("set has %v, want 24 / 24 / 48", total)
	}
	// Measured: 0 of 24, 0 of 24 and 0 of 48 (h2.9, cut at 2% false
	// alarms; h2.7 at 5%: 3, 1 and 0). Training on this set caught more of
	// the probes (9 of 24 instead of 4) but flagged an on-topic answer to
	// the angry-customer question (render's fixture): kept as a measure,
	// not as training data (analyzer/heuristic/README.md).
	if flagged["on_topic"] > 1 {
		t.Errorf("%d of 48 on-topic answers flagged, want at most 1", flagged["on_topic"])
	}
}

// TestSpokenDeliverySet measures the delivery label on
// testdata/eval/spoken_delivery.jsonl: 112 answers of the spoken
// transcripts (s31-s66), labelled blind, never trained on. An answer with
// also_acceptable counts when either label is given.
func TestSpokenDeliverySet(t *testing.T) {
	items := readJSONL[struct {
		ID             string            `json:"id"`
		Group          map[string]string `json:"group"`
		QuestionID     string            `json:"question_id"`
		Tags           []string          `json:"tags"`
		Text           string            `json:"text"`
		Label          string            `json:"label"`
		AlsoAcceptable []string          `json:"x_also_acceptable"`
	}](t, "../../testdata/eval/spoken_delivery.jsonl")
	campus, err := guide.Load("../../testdata/spoken/guide.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e := heuristic.New()
	type tally struct{ right, n int }
	by := map[bool]*tally{true: {}, false: {}}
	confusion := map[string]int{}
	// The label confidence on answers it was never fitted on: labels that
	// held against those that did not.
	var conf [2]struct {
		sum       float64
		n, border int
	}
	for _, it := range items {
		g := campus
		if id := it.Group["guide"]; id != "testdata/spoken/guide.yaml" {
			var ok bool
			if g, ok = guide.Builtin(id); !ok {
				t.Fatalf("%s: no guide %q", it.ID, id)
			}
		}
		episodeAsk := slices.Contains(it.Tags, "episode_question")
		a := analyzeInGuide(t, e, g, it.QuestionID, it.Text)
		got := a.Delivery.Label
		confusion[it.Label+" -> "+got]++
		ok := got == it.Label || slices.Contains(it.AlsoAcceptable, got)
		if c := a.Delivery.LabelConfidence; c > 0 {
			k := 0
			if ok {
				k = 1
			}
			conf[k].sum += c
			conf[k].n++
			if a.Delivery.Borderline() {
				conf[k].border++
			}
		}
		by[episodeAsk].n++
		if ok {
			by[episodeAsk].right++
		} else {
			t.Logf("%s: %s %d, labelled %s", it.ID, got, a.Delivery.Specificity, it.Label)
		}
	}
	right, n := by[true].right+by[false].right, by[true].n+by[false].n
	t.Logf("spoken delivery set: %d of %d labels as labelled (%.3f); episode questions %d of %d, others %d of %d; %v",
		right, n, float64(right)/float64(n), by[true].right, by[true].n, by[false].right, by[false].n, confusion)
	if n != 112 {
		t.Fatalf("%d answers, want 112", n)
	}
	if conf[0].n == 0 || conf[1].n == 0 {
		t.Fatalf("label confidence given for %d right and %d wrong labels, want both", conf[1].n, conf[0].n)
	}
	rightMean, wrongMean := conf[1].sum/float64(conf[1].n), conf[0].sum/float64(conf[0].n)
	rightBorder, wrongBorder := float64(conf[1].border)/float64(conf[1].n), float64(conf[0].border)/float64(conf[0].n)
	t.Logf("label confidence: labels as labelled mean %.3f, borderline %d of %d; the others mean %.3f, borderline %d of %d",
		rightMean, conf[1].border, conf[1].n, wrongMean, conf[0].border, conf[0].n)
	// The confidence must tell, on answers it never saw, the labels that
	// hold from those that do not: higher on average, and borderline more
	// often where the label is wrong.
	if rightMean <= wrongMean || rightBorder >= wrongBorder {
		t.Errorf("label confidence %.3f on labels as labelled, %.3f on the others; borderline %.2f and %.2f: it does not tell them apart",
			rightMean, wrongMean, rightBorder, wrongBorder)
	}
	// Measured (h2.18, spoken answers of its own in the delivery fit and
	// whether the question asks for an episode read): 90 of 112 (0.804):
	// episode questions 44 of 55, the others 46 of 57. h2.10-h2.17: 76
	// (0.679), the others 32 (h2.9: 75; h2.8: 69, 0.616: short spoken
	// episodes read as mixed, self-introductions as mixed). Issue 13's bar
	// for real spoken answers is 0.65 (an outside set); this set is not
	// trained on (analyzer/heuristic/README.md says why), and the floor
	// holds what was measured, less two answers. h2.19 (rubric_share):
	// 93 of 112 (0.830): episode questions 47 of 55, the others 46.
	if acc := float64(right) / float64(n); acc < 0.81 {
		t.Errorf("label accuracy %.3f on the spoken delivery set, want at least 0.81", acc)
	}
}

// TestOffQuestionNeverOnLabelledAnswers: no labelled answer to its own
// question (../shared/eval/dev, testdata/eval) gets the warning.
func TestOffQuestionNeverOnLabelledAnswers(t *testing.T) {
	e := heuristic.New()
	g := cxGuide(t)
	files := []string{evalAnswers}
	if _, err := os.Stat(devAnswers); err == nil {
		files = append(files, devAnswers)
	} else {
		t.Logf("%s is absent (a fresh clone without ../shared): checking testdata/eval only", devAnswers)
	}
	n := 0
	for _, f := range files {
		for _, it := range readJSONL[item](t, f) {
			n++
			if a := analyzeInGuide(t, e, g, it.QuestionID, it.Text); hasWarning(a, analyzer.WarnOffQuestion) {
				t.Errorf("%s: %s flagged off the question", f, it.ID)
			}
		}
	}
	t.Logf("%d labelled answers, none flagged", n)
}

// agreement is how far two tellings of one story got the same verdict.
type agreement struct {
	label, within3   bool // the same delivery label; specificity within 3
	flagged          bool // two labels, and one telling's is borderline
	lower            bool // two labels, the telling's the lower of the two
	sameAreas, areas int  // area statuses the same, of all
}

// agreements sums agreement over pairs of tellings.
type agreements struct{ pairs, labels, within3, sameAreas, areas, flagged, lower int }

func (s *agreements) add(ag agreement) {
	s.pairs++
	s.labels += b2i(ag.label)
	s.within3 += b2i(ag.within3)
	s.sameAreas += ag.sameAreas
	s.areas += ag.areas
	s.flagged += b2i(ag.flagged)
	s.lower += b2i(ag.lower)
}

// logSplits logs how many pairs got two labels, of those how many were
// marked borderline in at least one telling (the report's way of saying
// that a second reading may differ), and how many read the retelling lower
// than the telling it is compared with: issue 13 asks that another variety
// of English never lower an answer, so a split should lean neither way.
func (s *agreements) logSplits(t *testing.T, what string) {
	t.Helper()
	split := s.pairs - s.labels
	t.Logf("%s: %d pairs with two labels, %d of them with a borderline telling; the retelling lower in %d, higher in %d", what, split, s.flagged, s.lower, split-s.lower)
}

// deliveryRank orders the delivery labels: rehearsed 0, mixed 1, specific 2.
func deliveryRank(label string) int {
	switch label {
	case analyzer.LabelSpecific:
		return 2
	case analyzer.LabelMixed:
		return 1
	}
	return 0
}

// agreeing compares a telling (what) with another (than), logging each
// difference.
func agreeing(t *testing.T, what, than string, a, b analyzer.AnswerAnalysis) agreement {
	t.Helper()
	ag := agreement{label: a.Delivery.Label == b.Delivery.Label, areas: len(a.Coverage.Areas)}
	ag.flagged = !ag.label && (a.Delivery.Borderline() || b.Delivery.Borderline())
	ag.lower = deliveryRank(a.Delivery.Label) < deliveryRank(b.Delivery.Label)
	if !ag.label {
		t.Logf("%s: %s %d, %s %s %d", what, a.Delivery.Label, a.Delivery.Specificity, than, b.Delivery.Label, b.Delivery.Specificity)
	}
	d := a.Delivery.Specificity - b.Delivery.Specificity
	ag.within3 = d >= -3 && d <= 3
	if ag.label && !ag.within3 {
		t.Logf("%s: %s %d, %s %d", what, a.Delivery.Label, a.Delivery.Specificity, than, b.Delivery.Specificity)
	}
	for k := range a.Coverage.Areas {
		if a.Coverage.Areas[k].Status == b.Coverage.Areas[k].Status {
			ag.sameAreas++
		} else {
			t.Logf("%s area %d: %s, %s %s", what, k+1, a.Coverage.Areas[k].Status, than, b.Coverage.Areas[k].Status)
		}
	}
	return ag
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestInvarianceProbes: the same story told in standard English, in
// non-native grammar and in two dialects (testdata/probes/invariance.jsonl)
// gets the same area statuses.
func TestInvarianceProbes(t *testing.T) {
	type story struct {
		Story      string `json:"story"`
		QuestionID string `json:"question_id"`
		Variants   []struct {
			ID      string `json:"id"`
			Variety string `json:"variety"`
			Text    string `json:"text"`
		} `json:"variants"`
	}
	e := heuristic.New()
	g := cxGuide(t)
	var sum agreements
	for _, s := range readJSONL[story](t, "../../testdata/probes/invariance.jsonl") {
		var base analyzer.AnswerAnalysis
		for i, v := range s.Variants {
			a := analyzeInGuide(t, e, g, s.QuestionID, v.Text)
			if i == 0 {
				base = a
				continue
			}
			sum.add(agreeing(t, s.Story+" "+v.Variety, "the standard telling", a, base))
		}
	}
	same, total, labels, close, variants := sum.sameAreas, sum.areas, sum.labels, sum.within3, sum.pairs
	sum.logSplits(t, "invariance")
	t.Logf("invariance: %d of %d area statuses as in the standard telling; of %d variants, %d labels the same and %d within 3 points of its specificity",
		same, total, variants, labels, close)
	// Measured 248 of 288 (h2.0; h1.1: 258). Identical statuses for all
	// 288 is the goal; this floor catches a change that makes grammar or
	// dialect count more than it does now.
	if same < 240 {
		t.Errorf("%d of %d area statuses as in the standard telling, want at least 240", same, total)
	}
	// The delivery verdict (issue 13's bar: the same label, specificity
	// within 3, for every variant). Measured h2.13: 35 labels and 35
	// within 3 of 36 (the curve pulled towards its label's mean; h2.11:
	// 35 and 24; h2.9-h2.10: 35 and 18; h2.8: 32 and 18; h2.7: 31 and
	// 16). h2.19 (rubric_share): 33 and 33, one story's standard telling
	// mixed 36 and two of its variants rehearsed 11-12, while the blind
	// set's invariance rose from 18 to 19 of 20 and the held-out scripts,
	// spoken answers and retellings rose (analyzer/heuristic/README.md).
	// Floors at what is reached.
	if labels < 33 {
		t.Errorf("%d of %d variants labelled as the standard telling, want at least 33", labels, variants)
	}
	if close < 33 {
		t.Errorf("%d of %d variants within 3 points of the standard telling, want at least 33", close, variants)
	}
}

// TestDeliveryProbes measures the delivery verdict on the probe set written
// for its tricks (testdata/probes/delivery.jsonl, expected verdicts written
// before any engine ran on them; never trained on).
func TestDeliveryProbes(t *testing.T) {
	type probe struct {
		ID         string   `json:"id"`
		QuestionID string   `json:"question_id"`
		Text       string   `json:"text"`
		Label      string   `json:"label"`
		Also       []string `json:"also_acceptable"`
		Trick      string   `json:"trick"`
	}
	e := heuristic.New()
	g := cxGuide(t)
	ok, n := 0, 0
	for _, p := range readJSONL[probe](t, "../../testdata/probes/delivery.jsonl") {
		n++
		a := analyzeInGuide(t, e, g, p.QuestionID, p.Text)
		if a.Delivery.Label == p.Label || slices.Contains(p.Also, a.Delivery.Label) {
			ok++
		} else {
			t.Logf("%s (%s): %s %d, expected %s", p.ID, p.Trick, a.Delivery.Label, a.Delivery.Specificity, p.Label)
		}
	}
	t.Logf("delivery probes: %d of %d labels as expected", ok, n)
	// Measured 46 of 51 (h2.10; h2.9: 45; h2.7-h2.8: 47; h2.0-h2.6: 43;
	// the counting rule of h1.1: 38). The bar is 90%: 46. The
	// floor holds what is reached (h2.19: 47).
	if ok < 48 { // h2.24: 47; h2.25 (an answer that marks no tense read both ways): 48
		t.Errorf("%d of %d probe labels as expected, want at least 48", ok, n)
	}
}

// TestFillerNeverEvidence: a back-channel or filler sentence ("Sure.",
// "Oh, plenty.") is never the quote for an area, over every labelled answer
// of testdata/eval and a spoken answer full of them.
func TestFillerNeverEvidence(t *testing.T) {
	e := heuristic.New()
	g := cxGuide(t)
	items := readJSONL[item](t, "../../testdata/eval/answers2.jsonl")
	items = append(items, readJSONL[item](t, evalAnswers)...)
	items = append(items, item{ID: "spoken", QuestionID: "q1", Text: "Sure. Oh, plenty. So last March a caller, Mr. Osei, was shouting because his pension payment had bounced twice. " +
		"Right. I told him I could hear how worried he was and that I would stay on the line until we found it. Yeah. " +
		"I traced it to a typo in his sort code, fixed it, and the payment went through within the hour. Okay. " +
		"I rang him the next day and he said his landlord had been paid. Mm-hm. What I learned is to name the worry before the fix."})
	quotes := 0
	for _, it := range items {
		a := analyzeInGuide(t, e, g, it.QuestionID, it.Text)
		for _, ar := range a.Coverage.Areas {
			for _, ev := range ar.Evidence {
				quotes++
				if n := len(semantic.New(ev.Quote).Words); n < 2 {
					t.Errorf("%s area %d quoted with %q (%d content words)", it.ID, ar.Index, ev.Quote, n)
				}
			}
		}
	}
	t.Logf("%d quotes over %d answers", quotes, len(items))
}

// TestExplicitLessonAndOutcomeQuoted: a sentence that plainly states the
// lesson, or how the matter ended, is the quote for that area.
func TestExplicitLessonAndOutcomeQuoted(t *testing.T) {
	e := heuristic.New()
	g := cxGuide(t)
	text := "Last March a caller was shouting because his pension payment had bounced twice. " +
		"I told him I could hear how worried he was and that I would stay on the line until we found it. " +
		"I traced it to a typo in his sort code, fixed it, and the payment went through within the hour. " +
		"I rang him the next day and he said his landlord had been paid. " +
		"What I learned is to name the worry before the fix."
	a := analyzeInGuide(t, e, g, "q1", text)
	want := map[int]string{ // cx-empathy q1: area 7 the ending and checking back, area 8 the lesson
		7: "I rang him the next day and he said his landlord had been paid.",
		8: "What I learned is to name the worry before the fix.",
	}
	for _, ar := range a.Coverage.Areas {
		w, ok := want[ar.Index]
		if !ok {
			continue
		}
		if ar.Status == analyzer.StatusMissing || !slices.ContainsFunc(ar.Evidence, func(s analyzer.Span) bool { return s.Quote == w }) {
			t.Errorf("area %d (%s): %s with %v, want %q quoted", ar.Index, ar.Text, ar.Status, ar.Evidence, w)
		}
	}
}

// disfluent retells text as it might be said: fillers at sentence starts
// and between words ("Um,", "uh", "you know,"), false starts ("swi-")
// and a bracketed event now and then, drawn from r.
func disfluent(text string, r *rand.Rand) string {
	words := strings.Fields(text)
	var out []string
	for i, w := range words {
		if i > 0 && strings.HasSuffix(words[i-1], ".") && r.IntN(2) == 0 {
			out = append(out, []string{"Um,", "Uh,", "So, um,", "And, uh,", "(laughs)"}[r.IntN(5)])
		}
		if r.IntN(12) == 0 {
			out = append(out, []string{"uh", "um,", "erm", "[inaudible]"}[r.IntN(4)])
		}
		if r.IntN(25) == 0 && len(w) > 3 && strings.Trim(w, ".,;:!?") == w {
			out = append(out, w[:2]+"-")
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

// TestDisfluencyPairs: the same answer said with fillers, false starts and
// a transcriber's "(laughs)" gets the same verdict as written. Every
// labelled answer of testdata/eval/answers2.jsonl is retold disfluently
// (deterministic draws) and analysed both ways.
func TestDisfluencyPairs(t *testing.T) {
	type item struct {
		ID         string `json:"id"`
		QuestionID string `json:"question_id"`
		Text       string `json:"text"`
	}
	e := heuristic.New()
	g := cxGuide(t)
	r := rand.New(rand.NewPCG(7, 8))
	n, sameLabel, sameArea, areas, shift, moved := 0, 0, 0, 0, 0, 0
	for _, it := range readJSONL[item](t, "../../testdata/eval/answers2.jsonl") {
		if _, ok := g.Question(it.QuestionID); !ok {
			continue
		}
		said := disfluent(it.Text, r)
		a := analyzeInGuide(t, e, g, it.QuestionID, it.Text)
		b := analyzeInGuide(t, e, g, it.QuestionID, said)
		n++
		if a.Delivery.Label == b.Delivery.Label {
			sameLabel++
		} else {
			t.Logf("%s: %s %d written, %s %d said", it.ID, a.Delivery.Label, a.Delivery.Specificity, b.Delivery.Label, b.Delivery.Specificity)
		}
		d := b.Delivery.Specificity - a.Delivery.Specificity
		shift += d
		if d < -3 || d > 3 {
			moved++
		}
		for k := range a.Coverage.Areas {
			areas++
			if a.Coverage.Areas[k].Status == b.Coverage.Areas[k].Status {
				sameArea++
			}
		}
		// Quotes still come from what was said.
		for _, area := range b.Coverage.Areas {
			for _, ev := range area.Evidence {
				if !strings.Contains(said, ev.Quote) {
					t.Fatalf("%s: quote %q is not in the answer as said", it.ID, ev.Quote)
				}
			}
		}
	}
	t.Logf("disfluency pairs: %d answers, label the same %d, specificity moved by more than 3 in %d (mean shift %+.1f); area statuses the same %d of %d",
		n, sameLabel, moved, float64(shift)/float64(n), sameArea, areas)
	// h2.13 (the curve pulled towards its label's mean): 88 of 90 labels,
	// 2 moved by more than 3 (the two whose label changes), mean shift
	// +0.7, 711 of 720 area statuses.
	// h2.5, which reads the marks of speech as blanks: 89 of 90 labels,
	// specificity moved by more than 3 in 5, mean shift +0.5, 710 of 720
	// area statuses. h2.4, which read them as words: 81 of 90, 25, -1.1,
	// 649 of 720. What still moves is the parse around a removed word.
	if sameLabel < 87 || moved > 3 || shift > n || shift < -n || sameArea < 700 {
		t.Errorf("disfluency moves too much: labels %d of %d, %d moved by more than 3, mean shift %+.1f, areas %d of %d",
			sameLabel, n, moved, float64(shift)/float64(n), sameArea, areas)
	}
}

// TestHeldOutRetellings: 108 retellings of training answers (non-native
// grammar, five varieties of English, spoken disfluency;
// testdata/eval/retellings_heldout.jsonl, never trained on: fitting them
// lowered every held-out label measure, analyzer/heuristic/README.md)
// against their source answer: the same label, specificity within 3, the
// same area statuses.
func TestHeldOutRetellings(t *testing.T) {
	type line struct {
		ID         string `json:"id"`
		QuestionID string `json:"question_id"`
		Text       string `json:"text"`
		Source     string `json:"x_source"`
	}
	type source struct {
		ID   string `json:"id"`
		Text string `json:"text"`
	}
	texts := map[string]string{}
	for _, f := range []string{"../../testdata/eval/answers2.jsonl", "../../testdata/eval/behavioral/answers.jsonl"} {
		for _, s := range readJSONL[source](t, f) {
			texts[s.ID] = s.Text
		}
	}
	e := heuristic.New()
	cx := cxGuide(t)
	behav, ok := guide.Builtin("behavioral-core")
	if !ok {
		t.Fatal("no built-in guide behavioral-core")
	}
	var sum agreements
	for _, l := range readJSONL[line](t, "../../testdata/eval/retellings_heldout.jsonl") {
		src, ok := texts[l.Source]
		if !ok {
			t.Fatalf("%s: no source %s", l.ID, l.Source)
		}
		g := cx
		if strings.HasPrefix(l.Source, "b-") {
			g = behav
		}
		a, b := analyzeInGuide(t, e, g, l.QuestionID, l.Text), analyzeInGuide(t, e, g, l.QuestionID, src)
		sum.add(agreeing(t, l.ID, "its source", a, b))
	}
	n, labels, close, sameAreas, areas := sum.pairs, sum.labels, sum.within3, sum.sameAreas, sum.areas
	sum.logSplits(t, "held-out retellings")
	t.Logf("held-out retellings: %d, label as its source's %d, specificity within 3 %d; area statuses as the source's %d of %d",
		n, labels, close, sameAreas, areas)
	// Issue 13's bar is every one; measured h2.13: 98 labels and 98
	// within 3 of 108 (h2.12: 98 and 82; h2.10, before the specificity
	// curve: 98 and 66), 711 of 756 area statuses (h2.10: 707). h2.15
	// (stated area kinds for behavioral-core and the coverage model refitted
	// with them): 704 of 756, while the invariance probes rose from 246 to
	// 258 of 288. h2.18 (spoken answers in the delivery fit): 97 and 97,
	// 705 (one retelling more read otherwise than its source, while the
	// spoken set rose from 76 to 90 of 112). h2.19 (rubric_share): 100
	// and 100. h2.25 (an answer that marks no tense read both ways): 101
	// and 101, and of the 7 pairs with two labels the retelling is the
	// lower in 5 (h2.24: 6 of 8). Floors at what is reached.
	if labels < 101 || close < 101 || sameAreas < 704 {
		t.Errorf("%d of %d labels as the source's, %d within 3, %d of %d area statuses; want at least 101, 101 and 704",
			labels, n, close, sameAreas, areas)
	}
	if sum.lower > 5 {
		t.Errorf("%d of %d retellings read lower than their source, want at most 5", sum.lower, n)
	}
}

// TestSentenceSpecificity: single sentences (a proxy for issue 13's
// sentence-specificity sets, which are not here): the sentences of
// answers labelled specific against those of answers labelled rehearsed
// (testdata/eval/answers2.jsonl and the behavioural set; the answers are in
// the delivery fit, their sentences alone never). The reported specificity
// must rank them well above what sentence length does.
func TestSentenceSpecificity(t *testing.T) {
	type answer struct {
		Text, Label string
	}
	e := heuristic.New()
	q := question(t, "q1")
	var pos, neg, posLen, negLen []float64
	for _, f := range []string{"../../testdata/eval/answers2.jsonl", "../../testdata/eval/behavioral/answers.jsonl"} {
		for _, a := range readJSONL[answer](t, f) {
			if a.Label == analyzer.LabelMixed {
				continue
			}
			doc := nlp.Parse(a.Text)
			for _, u := range doc.Units {
				s := doc.UnitText(u)
				if !u.SentenceStart || nlp.Words(s) < 6 {
					continue
				}
				r, err := e.Analyze(context.Background(), q, s)
				if err != nil {
					t.Fatal(err)
				}
				sp, n := float64(r.Delivery.Specificity), float64(nlp.Words(s))
				if a.Label == analyzer.LabelSpecific {
					pos, posLen = append(pos, sp), append(posLen, n)
				} else {
					neg, negLen = append(neg, sp), append(negLen, n)
				}
			}
		}
	}
	auc, byLength := evaluation.AUC(pos, neg), evaluation.AUC(posLen, negLen)
	t.Logf("sentence specificity: %d sentences of specific answers, %d of rehearsed ones; AUC %.3f, by length %.3f",
		len(pos), len(neg), auc, byLength)
	// Measured h2.12: 0.832 (the logistic map of h2.10 on the same scores:
	// 0.834; the curve's fewer distinct values tie a few more pairs); by
	// length 0.626.
	if auc < 0.80 || auc < byLength+0.1 {
		t.Errorf("AUC %.3f (by length %.3f), want at least 0.80 and 0.1 above length", auc, byLength)
	}
}

// TestQuotesTentative: every quote of a descriptive area carries the quote
// model's probability and is tentative exactly when that falls below the
// cut of the model that picked it (quote_proto_sure for an area with a
// prototype, quote_sure for any other: the probability from which held-out
// quotes were the labelled sentence 85% of the time); the mark separates
// quotes, it does not fall on all or none of them. The guide is run as
// built in (every area has a prototype) and with its areas reworded (none
// has), so both models' cuts are checked.
func TestQuotesTentative(t *testing.T) {
	var w struct {
		QuoteSure      float64 `json:"quote_sure"`
		QuoteProtoSure float64 `json:"quote_proto_sure"`
		Prototypes     struct {
			Keys map[string]int `json:"keys"`
		} `json:"prototypes"`
	}
	b, err := os.ReadFile("weights.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &w); err != nil {
		t.Fatal(err)
	}
	for _, c := range []float64{w.QuoteSure, w.QuoteProtoSure} {
		if c <= 0 || c >= 1 {
			t.Fatalf("quote_sure %v, quote_proto_sure %v: the weights carry no cut inside (0, 1)", w.QuoteSure, w.QuoteProtoSure)
		}
	}
	e := heuristic.New()
	builtin := cxGuide(t)
	reworded := withoutPrototypes(builtin)
	for _, g := range []*analyzer.Guide{builtin, reworded} {
		sure, tentative, proto := 0, 0, 0
		for _, it := range readJSONL[item](t, evalAnswers) {
			a := analyzeInGuide(t, e, g, it.QuestionID, it.Text)
			for _, ar := range a.Coverage.Areas {
				cut := w.QuoteSure
				if _, ok := w.Prototypes.Keys[heuristic.AreaKey(ar.Text)]; ok {
					cut = w.QuoteProtoSure
					proto++
				}
				for _, sp := range ar.Evidence {
					if sp.Confidence <= 0 || sp.Confidence > 1 {
						t.Fatalf("%s area %d: quote confidence %v outside (0, 1]", it.ID, ar.Index, sp.Confidence)
					}
					// The confidence is rounded to three places; the mark is
					// decided before rounding.
					if math.Abs(sp.Confidence-cut) > 0.001 && sp.Tentative != (sp.Confidence < cut) {
						t.Errorf("%s area %d: confidence %.3f, cut %.3f, tentative %v", it.ID, ar.Index, sp.Confidence, cut, sp.Tentative)
					}
					if sp.Tentative {
						tentative++
					} else {
						sure++
					}
				}
			}
		}
		t.Logf("guide %s: quotes: %d the engine stands behind, %d tentative; %d areas with a prototype", g.ID, sure, tentative, proto)
		if sure == 0 || tentative == 0 {
			t.Errorf("%d sure and %d tentative quotes: the mark separates nothing", sure, tentative)
		}
		if reworded := g != builtin; reworded != (proto == 0) {
			t.Errorf("guide %s (reworded %v): %d areas found a prototype", g.ID, reworded, proto)
		}
	}
}

// withoutPrototypes is g with stopwords after every area (" as for
// this"), which the engine reads as before (an area's opening words, such as
// "The particular ...", keep their place) except that no area finds its
// prototype (prototype.go keys them by their wording): g as h2.15 read it.
func withoutPrototypes(g *analyzer.Guide) *analyzer.Guide {
	out := *g
	out.Questions = nil
	for _, q := range g.Questions {
		q.Areas = slices.Clone(q.Areas)
		for i := range q.Areas {
			q.Areas[i] += " as for this"
		}
		out.Questions = append(out.Questions, q)
	}
	return &out
}

// TestQuotePrecisionHeldOut measures the quotes on answers the engine is
// never trained on (testdata/eval/answers.jsonl), against evidence
// sentences labelled for them blind (evidence_heldout.jsonl, written without
// running the engine): for every area with labelled sentences that the
// engine quotes, is its most probable quote inside one of them? The
// built-in guide (quotes by the prototype model, h2.16) against the same
// guide with no prototypes (the plain quote model, h2.15's quotes), and the
// precision of the quotes each stands behind (not tentative).
func TestQuotePrecisionHeldOut(t *testing.T) {
	type labels struct {
		ID       string              `json:"id"`
		Evidence map[string][]string `json:"evidence"`
	}
	gold := map[string]map[string][]string{}
	for _, l := range readJSONL[labels](t, "../../testdata/eval/evidence_heldout.jsonl") {
		gold[l.ID] = l.Evidence
	}
	builtin := cxGuide(t)
	type figures struct{ quoted, right, sure, sureRight, labelled int }
	measure := func(e *heuristic.Engine, g *analyzer.Guide) figures {
		var f figures
		for _, it := range readJSONL[item](t, evalAnswers) {
			ev, ok := gold[it.ID]
			if !ok {
				t.Fatalf("%s: no held-out evidence labels", it.ID)
			}
			a := analyzeInGuide(t, e, g, it.QuestionID, it.Text)
			for _, ar := range a.Coverage.Areas {
				sents := ev[strconv.Itoa(ar.Index)]
				if len(sents) == 0 {
					continue
				}
				f.labelled++
				if len(ar.Evidence) == 0 {
					continue
				}
				top := ar.Evidence[0]
				for _, sp := range ar.Evidence[1:] {
					if sp.Confidence > top.Confidence {
						top = sp
					}
				}
				hit := slices.ContainsFunc(sents, func(s string) bool { return strings.Contains(s, top.Quote) })
				f.quoted++
				if hit {
					f.right++
				}
				if !top.Tentative {
					f.sure++
					if hit {
						f.sureRight++
					}
				}
			}
		}
		return f
	}
	// A guide of one's own (the built-in one reworded, so no built-in
	// prototype fits it), with prototypes learned by the ProtoBuilder from
	// the labelled evidence of testdata/eval/answers2.jsonl, as `candor
	// guides prototypes` learns them from a team's own labelled answers.
	own := withoutPrototypes(builtin)
	b := heuristic.NewProtoBuilder()
	for _, it := range readJSONL[struct {
		QuestionID string              `json:"question_id"`
		Text       string              `json:"text"`
		Evidence   map[string][]string `json:"evidence"`
	}](t, "../../testdata/eval/answers2.jsonl") {
		q, ok := own.Question(it.QuestionID)
		if !ok {
			t.Fatalf("answers2: no question %s", it.QuestionID)
		}
		tr, err := heuristic.New().Trace(*q, own.Questions, it.Text)
		if err != nil {
			t.Fatal(err)
		}
		for k, sents := range it.Evidence {
			a, _ := strconv.Atoi(k)
			b.Add(heuristic.AreaKey(q.Areas[a-1]), tr.Units, heuristic.GoldUnits(it.Text, tr.Units, sents))
		}
	}
	learned := b.Build(3, nil)
	eOwn, err := heuristic.NewWithPrototypes(learned)
	if err != nil {
		t.Fatal(err)
	}
	proto, plain, ownProto := measure(heuristic.New(), builtin), measure(heuristic.New(), own), measure(eOwn, own)
	t.Logf("a guide of one's own: %d of its areas given a prototype from answers2.jsonl (3 answers or more)", len(learned.Keys))
	for _, c := range []struct {
		name string
		f    figures
	}{{"prototypes (h2.16)", proto}, {"no prototypes (h2.15)", plain}, {"a guide of one's own, prototypes from answers2", ownProto}} {
		t.Logf("%s: %d of %d labelled areas quoted; first quote right %d (%.3f); not tentative %d, right %d (%.3f)",
			c.name, c.f.quoted, c.f.labelled, c.f.right, float64(c.f.right)/float64(c.f.quoted),
			c.f.sure, c.f.sureRight, float64(c.f.sureRight)/float64(max(c.f.sure, 1)))
	}
	if proto.quoted == 0 || proto.right*plain.quoted < plain.right*proto.quoted {
		t.Errorf("held-out quote precision with prototypes %d/%d, below the plain model's %d/%d", proto.right, proto.quoted, plain.right, plain.quoted)
	}
	if ownProto.right*plain.quoted <= plain.right*ownProto.quoted {
		t.Errorf("held-out quote precision with prototypes learned from answers2 %d/%d, not above the plain model's %d/%d", ownProto.right, ownProto.quoted, plain.right, plain.quoted)
	}
	// Measured at h2.16: 219 of 306 (0.716); the floor leaves two quotes.
	if float64(proto.right) < 0.70*float64(proto.quoted) {
		t.Errorf("held-out quote precision with prototypes %d/%d, below the floor 0.70", proto.right, proto.quoted)
	}
}

// TestBlindProbeSet2 measures the engine on testdata/probes/blind2: 40
// delivery probes and 10 stories told three ways, written blind on
// 2026-12-06 (no engine run, no engine code read; README there). It logs
// counts only, never texts, so that reading a run does not tune the engine
// to them; the floors are the counts measured when the set arrived (h2.16),
// less one (labels) or two (area statuses), so a change that loses two
// labels or three statuses fails here; the other figures are logged.
func TestBlindProbeSet2(t *testing.T) {
	type probe struct {
		ID          string            `json:"id"`
		Guide       string            `json:"guide"`
		QuestionID  string            `json:"question_id"`
		Text        string            `json:"text"`
		Label       string            `json:"label"`
		Specificity string            `json:"specificity"`
		Trick       string            `json:"trick"`
		Story       string            `json:"story"`
		Variant     string            `json:"variant"`
		Areas       map[string]string `json:"areas"`
	}
	e := heuristic.New()
	guides := map[string]*analyzer.Guide{}
	guideOf := func(id string) *analyzer.Guide {
		if g := guides[id]; g != nil {
			return g
		}
		g, ok := guide.Builtin(id)
		if !ok {
			t.Fatalf("no built-in guide %s", id)
		}
		guides[id] = g
		return g
	}
	inBand := func(band string, v int) bool {
		switch {
		case strings.HasPrefix(band, ">="):
			n, _ := strconv.Atoi(band[2:])
			return v >= n
		case strings.HasPrefix(band, "<="):
			n, _ := strconv.Atoi(band[2:])
			return v <= n
		}
		lo, hi, _ := strings.Cut(band, "-")
		l, _ := strconv.Atoi(lo)
		h, _ := strconv.Atoi(hi)
		return v >= l && v <= h
	}
	labels, bands := 0, 0
	byTrick := map[string][3]int{} // right label, in band, of
	misread := map[string]int{}    // "expected -> got", by label
	probes := readJSONL[probe](t, "../../testdata/probes/blind2/delivery.jsonl")
	for _, p := range probes {
		a := analyzeInGuide(t, e, guideOf(p.Guide), p.QuestionID, p.Text)
		if a.Delivery.Label != p.Label {
			misread[p.Label+" -> "+a.Delivery.Label]++
		}
		c := byTrick[p.Trick]
		c[2]++
		if a.Delivery.Label == p.Label {
			labels++
			c[0]++
		}
		if inBand(p.Specificity, a.Delivery.Specificity) {
			bands++
			c[1]++
		}
		byTrick[p.Trick] = c
	}
	t.Logf("blind delivery probes: %d of %d labels as expected, %d specificities in their band; by trick (label right, in band, of): %v; labels misread: %v",
		labels, len(probes), bands, byTrick, misread)

	type told struct {
		label      string
		spec       int
		areas      []string
		borderline bool
	}
	tellings := map[string]map[string]told{}
	goldAreas := map[string]map[string]string{}
	var order []string
	for _, p := range readJSONL[probe](t, "../../testdata/probes/blind2/invariance.jsonl") {
		a := analyzeInGuide(t, e, guideOf(p.Guide), p.QuestionID, p.Text)
		var st []string
		for _, ar := range a.Coverage.Areas {
			st = append(st, ar.Status)
		}
		if tellings[p.Story] == nil {
			tellings[p.Story] = map[string]told{}
			order = append(order, p.Story)
		}
		tellings[p.Story][p.Variant] = told{a.Delivery.Label, a.Delivery.Specificity, st, a.Delivery.Borderline()}
		goldAreas[p.Story] = p.Areas
	}
	sameLabel, within3, sameArea, areaPairs, goldArea, goldAll := 0, 0, 0, 0, 0, 0
	variants, flagged, lower := 0, 0, 0
	for _, s := range order {
		std, ok := tellings[s]["standard"]
		if !ok {
			t.Fatalf("story %s: no standard telling", s)
		}
		for name, v := range tellings[s] {
			for i, st := range v.areas {
				goldAll++
				if goldAreas[s][strconv.Itoa(i+1)] == st {
					goldArea++
				}
			}
			if name == "standard" {
				continue
			}
			variants++
			if v.label == std.label {
				sameLabel++
			} else if v.borderline || std.borderline {
				flagged++
			}
			if deliveryRank(v.label) < deliveryRank(std.label) {
				lower++
			}
			if d := v.spec - std.spec; d >= -3 && d <= 3 {
				within3++
			}
			for i := range v.areas {
				areaPairs++
				if i < len(std.areas) && v.areas[i] == std.areas[i] {
					sameArea++
				}
			}
		}
	}
	t.Logf("blind invariance: of %d variants, %d labels as the standard telling's and %d within 3 points; %d of %d area statuses as the standard telling's; %d of %d area statuses as labelled",
		variants, sameLabel, within3, sameArea, areaPairs, goldArea, goldAll)
	t.Logf("blind invariance: %d pairs with two labels, %d of them with a borderline telling; the retelling lower in %d, higher in %d", variants-sameLabel, flagged, lower, variants-sameLabel-lower)
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"delivery labels as expected", labels, blind2Labels - 1},
		{"variants with the standard telling's label", sameLabel, blind2SameLabel - 1},
		{"area statuses as the standard telling's", sameArea, blind2SameArea - 2},
	} {
		if c.got < c.want {
			t.Errorf("%s: %d, floor %d", c.what, c.got, c.want)
		}
	}
}

// Counts measured on testdata/probes/blind2 when it arrived (h2.16), the
// labels since h2.19 (29; h2.18: 31, h2.16-h2.17: 29: rubric_share reads
// two more scripts as mixed where the set expects rehearsed, one invented
// example as mixed; seven of its eight scripts are now in their band); the
// area statuses are 152 at h2.21 as at h2.16.
const (
	blind2Labels    = 29
	blind2SameLabel = 18
	blind2SameArea  = 152
)

// TestDevScripts measures the delivery verdict on a development set of
// coached scripts that wear details (names, dates, percentages, acronyms,
// claims chained by "then", a generic line of speech) and of told episodes
// with as many details (testdata/eval/delivery_dev_scripts.jsonl, written
// blind, never trained on; unlike the probe sets, its texts may be read
// while developing). A script passes as rehearsed or mixed at no more than
// 45 (issue 13's bar); an episode as specific.
func TestDevScripts(t *testing.T) {
	rows := readJSONL[struct {
		ID, Guide, Label, Text, Trick, Disguise string
		QuestionID                              string `json:"question_id"`
	}](t, "../../testdata/eval/delivery_dev_scripts.jsonl")
	e := heuristic.New()
	guides := map[string]*analyzer.Guide{}
	scripts, scriptsOK, episodes, episodesOK := 0, 0, 0, 0
	for _, r := range rows {
		g := guides[r.Guide]
		if g == nil {
			var ok bool
			if g, ok = guide.Builtin(r.Guide); !ok {
				t.Fatalf("%s: no built-in guide %s", r.ID, r.Guide)
			}
			guides[r.Guide] = g
		}
		d := analyzeInGuide(t, e, g, r.QuestionID, r.Text).Delivery
		if r.Trick == "detail-sprinkled-script" {
			scripts++
			if d.Label != analyzer.LabelSpecific && d.Specificity <= 45 {
				scriptsOK++
			}
			continue
		}
		episodes++
		if d.Label == analyzer.LabelSpecific {
			episodesOK++
		}
	}
	t.Logf("scripts read as rehearsed or mixed at <= 45: %d of %d; told episodes read as specific: %d of %d",
		scriptsOK, scripts, episodesOK, episodes)
	if scripts != 20 || episodes != 16 {
		t.Fatalf("%d scripts and %d episodes, want 20 and 16", scripts, episodes)
	}
	// Measured at h2.17: 13 of 20 and 16 of 16; h2.18: 12 and 16; h2.19
	// (rubric_share): 15 and 16.
	if scriptsOK < 15 || episodesOK < 16 {
		t.Errorf("scripts %d of %d, episodes %d of %d: want at least 15 and 16", scriptsOK, scripts, episodesOK, episodes)
	}
}
