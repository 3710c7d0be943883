package heuristic

import (
	"fmt"
	"sort"
	"strings"

	"github.com/candorhq/candor/analyzer"
)

// Delivery: how concrete the answer is. A specific answer tells one
// particular past situation with the candidate's own actions and details
// that could be checked (when, who, how many, what was said, what came of
// it); a rehearsed one describes habits, hypotheticals and principles. The
// signals are about content, never about grammar: tense is read from any
// past form or time anchor, so "yesterday I call him" counts like "I called".

type deliveryStats struct {
	particular   bool // the answer tells a particular past situation
	narrative    int  // units narrating it
	iActions     int  // first-person actions in the story
	weOnly       int  // story units with "we" and no "I"
	timeMarks    int
	names        int
	storyNumbers int
	looseNumbers int
	speech       int
	results      int
	habitual     int
	hypothetical int
	cliches      int
	frameworks   int
	hedges       int
	units        int
	score        int       // the specificity score
	x            []float64 // DeliveryFeatures
	tl           telling   // the told episode (episode.go)
	ruleLabel    string    // the label of the counting rule (before the model)
	// sentence: the answer is one sentence, whose label and specificity
	// are the sentence model's (sentence.go).
	sentence bool
	// recited holds the rarest rubric words of an answer that is not
	// read as specific and whose strongest pull towards rehearsed, of
	// all the delivery model's features, is its rubric vocabulary
	// (rubricLead); nil otherwise.
	recited []string
	// nothing: no word of the answer is left to read (readableWords).
	nothing bool
	// untensed is the answer read with its bare verbs told, for an answer
	// with an agreement slip (Engine.delivery); nil otherwise.
	untensed *untensedReading
}

// untensedReading is an answer's delivery read with its bare verbs told.
type untensedReading struct {
	af *answerFeat
	st deliveryStats
	// used: the reported delivery is this reading's.
	used bool
}

// told returns the reading behind the reported delivery: the answer as
// read, or its untensed reading when that one was used. The coverage
// model reads the answer as read either way.
func (st *deliveryStats) told(af *answerFeat) (*answerFeat, *deliveryStats) {
	if st.untensed != nil && st.untensed.used {
		return st.untensed.af, &st.untensed.st
	}
	return af, st
}

// delivery judges the answer's delivery (deliveryOf). An answer whose
// grammar marks no tense (agreementSlip: "she come back upset") is read a
// second time with its bare verbs told, and the delivery is the reading
// the delivery model scores higher: issue 13 asks that non-native grammar
// never lower an answer, and the tense the engine reads an episode by is
// what such grammar leaves out. An answer with no slip is read once, as
// before. The stats returned are the first reading's: the coverage model
// was fitted on it.
func (e *Engine) delivery(af *answerFeat, qs *qSem) (analyzer.Delivery, deliveryStats) {
	d, st := e.deliveryOf(af, qs)
	if st.sentence || st.nothing || af.untensed || !agreementSlip(af.doc) {
		return d, st
	}
	uaf := analyzeFeatures(af.doc, af.injected, newWorkspace(), true)
	ud, ust := e.deliveryOf(uaf, qs)
	st.untensed = &untensedReading{af: uaf, st: ust}
	w, err := loadWeights()
	if err != nil || w.Delivery == nil {
		return d, st // the counting rule's reading (the training command's, before its delivery model)
	}
	if !ust.sentence && !ust.nothing && w.Delivery.Score(ust.x) > w.Delivery.Score(st.x) { // DeliveryScore's choice
		st.untensed.used = true
		return ud, st
	}
	return d, st
}

// deliveryOf judges the answer's delivery; qs is the engine's reading of
// the question it answers (questionSem): the delivery model reads whether
// it asks for an episode (asksEpisode) and its areas' words (rubric words:
// rubricShare). nil reads as a question that asks for an episode and has
// no areas.
func (e *Engine) deliveryOf(af *answerFeat, qs *qSem) (analyzer.Delivery, deliveryStats) {
	var own map[string]bool
	if qs != nil {
		own = qs.rubric
	}
	doc := af.doc
	var st deliveryStats
	var sig []analyzer.Signal
	add := func(kind, pol string, bstart, bend int) {
		s := spanOf(doc, bstart, bend)
		sig = append(sig, analyzer.Signal{Span: s, Kind: kind, Polarity: pol})
	}
	seenName := map[string]bool{}
	anchored := anchoredAnswer(af) // the answer has a time or a named anchor
	for i, u := range doc.Units {
		f := &af.units[i]
		if f.injected {
			continue
		}
		st.units++
		generic := f.habitual || f.hypothetical
		story := storyUnit(f, anchored)
		if story {
			st.narrative++
		}
		if f.habitual {
			st.habitual++
			add("habit", analyzer.PolarityRehearsed, u.ByteStart, u.ByteEnd)
		}
		if f.hypothetical {
			st.hypothetical++
			add("hypothetical", analyzer.PolarityRehearsed, u.ByteStart, u.ByteEnd)
		}
		for _, p := range f.cliche {
			st.cliches++
			add("cliche", analyzer.PolarityRehearsed, p.start, p.end)
		}
		for _, p := range f.framework {
			st.frameworks++
			add("framework", analyzer.PolarityRehearsed, p.start, p.end)
		}
		if f.hedge && story {
			st.hedges++
			if st.hedges <= 3 {
				add("hedge", analyzer.PolarityRehearsed, u.ByteStart, u.ByteEnd)
			}
		}
		if generic {
			for _, ti := range f.numbers {
				t := doc.Tokens[ti]
				st.looseNumbers++
				add("number_without_situation", analyzer.PolarityRehearsed, t.ByteStart, t.ByteEnd)
			}
			continue
		}
		if story && f.iSubj > 0 && (f.past > 0 || anchored) {
			st.iActions++
			if st.iActions <= 4 {
				add("first_person_action", analyzer.PolaritySpecific, u.ByteStart, u.ByteEnd)
			}
		}
		if story && f.weSubj > 0 && f.iSubj == 0 {
			st.weOnly++
		}
		for _, ti := range f.timeMarks {
			t := doc.Tokens[ti]
			st.timeMarks++
			add("time_marker", analyzer.PolaritySpecific, t.ByteStart, t.ByteEnd)
		}
		for _, ti := range f.names {
			t := doc.Tokens[ti]
			if !seenName[t.Lower] {
				seenName[t.Lower] = true
				st.names++
				add("name", analyzer.PolaritySpecific, t.ByteStart, t.ByteEnd)
			}
		}
		for _, ti := range f.numbers {
			t := doc.Tokens[ti]
			if story {
				st.storyNumbers++
				add("quantity", analyzer.PolaritySpecific, t.ByteStart, t.ByteEnd)
			} else {
				st.looseNumbers++
			}
		}
		if f.speech && story {
			st.speech++
			add("reported_speech", analyzer.PolaritySpecific, u.ByteStart, u.ByteEnd)
		}
		if f.result && story {
			st.results++
			if st.results <= 2 {
				add("outcome", analyzer.PolaritySpecific, u.ByteStart, u.ByteEnd)
			}
		}
	}
	st.particular = st.narrative >= 2 && (st.iActions >= 1 || st.weOnly >= 1) &&
		(st.timeMarks+st.names+st.storyNumbers+st.speech >= 1 || st.narrative >= 4)
	if st.weOnly > st.iActions && st.weOnly >= 2 {
		add("we_without_own_role", analyzer.PolarityRehearsed, doc.Units[0].ByteStart, doc.Units[0].ByteEnd)
	}

	score := specificity(st)
	st.score = score
	d := analyzer.Delivery{Specificity: score, Signals: sig, Label: labelOf(score)}
	st.ruleLabel = d.Label
	st.tl = tellingOf(af)
	ex := deliveryExtraOf(af, &st.tl)
	ex.asksEpisode = qs == nil || qs.asksEpisode
	ex.rubric = rubricShare(af, own)
	st.x = deliveryVector(st, ex)
	if w, err := loadWeights(); err == nil {
		learnedDelivery(w, &d, st.x, st.iActions == 0 && st.weOnly >= 2)
		if d.Label != analyzer.LabelSpecific && rubricLead(w, st.x) {
			st.recited = rubricTop(af, own, 4)
		}
		if w.Sentence != nil && oneSentence(af) {
			st.sentence = true
			sentenceDelivery(w, &d, sentenceVector(af))
		}
	}
	if readableWords(af) == 0 {
		// Nothing is left once the text that instructs the analyzer and
		// the marks of speech are set aside: no model has anything to
		// read (on all-zero features the delivery model's score lands
		// anywhere; it was "specific" before this), so the answer shows
		// nothing particular.
		st.nothing = true
		d.Label, d.Specificity = analyzer.LabelRehearsed, 0
	}
	if st.particular {
		d.STAR.Situation = true
		d.STAR.Action = st.iActions > 0
		d.STAR.Task = d.STAR.Action && (st.iActions >= 2 || e.hasTask(af))
		d.STAR.Result = st.results > 0
	}
	sort.SliceStable(d.Signals, func(i, j int) bool { return d.Signals[i].Start < d.Signals[j].Start })
	if d.Signals == nil {
		d.Signals = []analyzer.Signal{}
	}
	return d, st
}

// labelOf is the label whose band holds a specificity: rehearsed up to
// 25, mixed 26-59, specific from 60 (the labellers' bands).
func labelOf(specificity int) string {
	switch {
	case specificity >= 60:
		return analyzer.LabelSpecific
	case specificity >= 26:
		return analyzer.LabelMixed
	default:
		return analyzer.LabelRehearsed
	}
}

// readableWords counts the answer's words outside text flagged as
// instructing the analyzer (fillers and stutters are blanks already).
func readableWords(af *answerFeat) int {
	n := 0
	for i, u := range af.doc.Units {
		if !af.units[i].injected {
			n += u.Last - u.First
		}
	}
	return n
}

// deliveryReasons says in a few words why the answer reads as it does:
// whether it tells an episode, whether its details are bound to it, and
// the generic talk in it. details are the report's (episode.go).
func deliveryReasons(st *deliveryStats, details []analyzer.Detail) []string {
	var out []string
	tl := &st.tl
	if st.nothing {
		return append(out, "nothing to read: every word of the answer is text that instructs the analyzer, or a filler")
	}
	if st.sentence {
		// One sentence tells no episode and binds no detail to one: what
		// it was read for is its particulars (sentence.go).
		out = append(out, "one sentence: read for its particulars (who, where, when, how many, a particular event, someone's words), not for a told episode")
	} else {
		out = episodeReasons(out, tl, details)
	}
	if st.habitual > 0 {
		out = append(out, fmt.Sprintf("habits: %d of %d sentences say what the candidate usually does", st.habitual, st.units))
	}
	if st.hypothetical > 0 {
		out = append(out, fmt.Sprintf("hypotheticals: %d of %d sentences say what the candidate would do", st.hypothetical, st.units))
	}
	switch k := st.cliches + st.frameworks; {
	case k == 1:
		out = append(out, "a cliché or named framework in place of an example")
	case k > 1:
		out = append(out, fmt.Sprintf("%d clichés or named frameworks in place of an example", k))
	}
	if st.weOnly > st.iActions && st.weOnly >= 2 {
		out = append(out, "\"we\" without the candidate's own part in it")
	}
	if len(st.recited) > 0 && !st.sentence {
		out = append(out, fmt.Sprintf("worded in the rubric's own terms (%s): the qualities looked for are named rather than shown in what happened",
			strings.Join(st.recited, ", ")))
	}
	return out
}

func (e *Engine) hasTask(af *answerFeat) bool {
	for i := range af.units {
		if af.units[i].task && !af.units[i].hypothetical && !af.units[i].injected {
			return true
		}
	}
	return false
}

// specificity turns the counts into a 0..100 score. The weights give each
// kind of checkable detail a bounded say, so that no single habit of speech
// (many numbers, many names) can make an answer look particular, and so that
// length alone does not.
func specificity(st deliveryStats) int {
	s := 18.0
	s += 4 * float64(min(st.narrative, 6))
	s += 3 * float64(min(st.iActions, 6))
	s += 5 * float64(min(st.timeMarks, 3))
	s += 4 * float64(min(st.names, 4))
	s += 2.5 * float64(min(st.storyNumbers, 4))
	s += 5 * float64(min(st.speech, 3))
	s += 4 * float64(min(st.results, 2))
	s -= 7 * float64(min(st.habitual, 5))
	s -= 7 * float64(min(st.hypothetical, 5))
	s -= 5 * float64(min(st.cliches, 4))
	s -= 6 * float64(min(st.frameworks, 2))
	s -= 4 * float64(min(st.hedges, 5))
	s -= 2 * float64(min(st.looseNumbers, 3))
	if st.units > 0 && st.particular {
		// Dense answers: a short story can be as particular as a long one.
		details := float64(st.timeMarks + st.names + st.storyNumbers + st.speech)
		s += 12 * min(1, details/float64(st.units))
	}
	if st.weOnly > st.iActions {
		s -= 4 * float64(min(st.weOnly-st.iActions, 4))
	}
	if !st.particular {
		s = min(s, 40)
	}
	if st.units > 0 {
		// A story that is mostly generic talk is mixed at best.
		genericShare := float64(st.habitual+st.hypothetical) / float64(st.units)
		s -= 20 * genericShare
	}
	return int(clamp(s, 0, 100) + 0.5)
}

func clamp(x, lo, hi float64) float64 {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}

// episodeReasons says whether an episode is told and how many of the
// details are bound to it.
func episodeReasons(out []string, tl *telling, details []analyzer.Detail) []string {
	switch {
	case tl.told():
		out = append(out, fmt.Sprintf("an episode is told: %d events of the candidate's, linked in sequence", tl.nEvent))
	case tl.nEvent >= minEventUnits:
		out = append(out, "no episode: past-tense claims in a row; no event follows from another, no one else acts or speaks")
	default:
		out = append(out, "no episode: no particular past events of the candidate's are told")
	}
	n, bound := 0, 0
	for _, d := range details {
		if d.Kind == "speech" {
			continue
		}
		n++
		if d.Bound {
			bound++
		}
	}
	switch {
	case n == 0:
	case bound == 0:
		out = append(out, fmt.Sprintf("details not bound to actions: none of its %d times, names and numbers is told in an event of a story", n))
	case bound < n:
		out = append(out, fmt.Sprintf("%d of %d times, names and numbers bound to the episode's events", bound, n))
	default:
		out = append(out, fmt.Sprintf("all %d times, names and numbers bound to the episode's events", n))
	}
	return out
}
