package heuristic

import (
	"sort"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/nlp"
)

// The told episode and its details, from the unit features the engine
// already computes (features.go). The report shows them, the delivery
// verdict's reasons say what they found (delivery.go), and the delivery
// model reads the links and counts only the details bound to the episode
// (deliverymodel.go).
//
// A story unit is a unit that is no habit, no hypothetical and not flagged
// as injection, and that narrates: a past-tense verb, or, in an answer
// anchored by a time or a name, the candidate or another person in it (so
// "yesterday I call him" reads like "I called him": tense is never
// required of a speaker who does not mark it). An event unit is a story
// unit with the candidate in it ("I called her back", "I was working the
// desk").
//
// Past-tense claims in a row are not an episode ("I spotted a gap ... I
// used my empathy, took steps to close it, advocated for the customer"): an
// episode is told when, beside at least minEventUnits event units, the
// story links its events: one happens after or because of another ("then",
// "when", "after", "until", "later" ...), someone else acts in it ("she",
// "he", "they", "him" ...) or speaks (reported speech). Its span runs from
// the first event unit to the last, widened over the story units right
// before and after them (the scene set, what came of it).
//
// Details are the units' time markers, proper names (each name once),
// numbers and reported speech (the whole unit). A detail is bound when the
// answer tells an episode and the detail's unit lies inside it, is a story
// unit, and has someone acting in it (the candidate, another person, or
// reported speech) or tells an outcome ("the chats dropped by a third"): a
// number or a name told in an event of the story.
// Anything else (a metric in a list of claims, a number in a habit, a date
// and a company name with nothing happening) is decoration and unbound.

// minEventUnits is the fewest event units that make a told episode: one
// past first-person clause is a claim ("I improved CSAT"); two are a
// sequence.
const minEventUnits = 2

// successionWords tie an event to the one before it (after, when, until)
// or to what came of it.
var successionWords = set("then when after afterwards later until once next finally eventually before soon immediately meanwhile")

// telling is what an answer tells: its story units, event units and the
// links between them, and the episode's units.
type telling struct {
	story       []bool // per unit
	nEvent      int    // event units
	links       int    // story units with a succession word, another person acting or reported speech
	first, last int    // the episode's first and last unit; -1, -2 when none is told
}

// anchoredAnswer reports an answer with a time or a name outside any habit
// or hypothetical: its clauses can narrate without a past-tense verb.
func anchoredAnswer(af *answerFeat) bool {
	for i := range af.units {
		f := &af.units[i]
		if !f.injected && !f.habitual && !f.hypothetical && (len(f.timeMarks) > 0 || len(f.names) > 0) {
			return true
		}
	}
	return false
}

// storyUnit reports a unit that narrates: no habit or hypothetical, and
// a past-tense verb or, in an anchored answer, someone acting or speaking
// in it (the candidate, "we", another person or a name).
func storyUnit(f *unitFeat, anchored bool) bool {
	if f.habitual || f.hypothetical {
		return false
	}
	return f.past > 0 || anchored && (f.iSubj > 0 || f.weSubj > 0 || f.people > 0 || len(f.names) > 0 || f.speech)
}

func tellingOf(af *answerFeat) telling {
	doc := af.doc
	tl := telling{story: make([]bool, len(af.units)), first: -1, last: -2}
	anchored := anchoredAnswer(af)
	first, last := -1, -1
	for i, u := range doc.Units {
		f := &af.units[i]
		if f.injected || !storyUnit(f, anchored) {
			continue
		}
		tl.story[i] = true
		if f.iSubj > 0 {
			tl.nEvent++
			if first < 0 {
				first = i
			}
			last = i
		}
		link := f.speech
		for ti := u.First; ti < u.Last && !link; ti++ {
			link = af.infos[ti].flags&(wSuccession|wPronoun3) != 0
		}
		if link {
			tl.links++
		}
	}
	if tl.nEvent >= minEventUnits && tl.links > 0 {
		// The episode takes in the story told around the candidate's
		// events: the scene set before the first ("Last spring a man
		// called about a double charge") and what came of the last.
		for first > 0 && tl.story[first-1] {
			first--
		}
		for last+1 < len(tl.story) && tl.story[last+1] {
			last++
		}
		tl.first, tl.last = first, last
	}
	return tl
}

// told reports an episode.
func (tl *telling) told() bool { return tl.first >= 0 }

// boundAt reports whether unit i's details are bound to the episode.
func (tl *telling) boundAt(af *answerFeat, i int) bool {
	f := &af.units[i]
	return i >= tl.first && i <= tl.last && tl.story[i] && (f.iSubj > 0 || f.people > 0 || f.speech || f.result)
}

// episode returns the told episode's span (nil when none) and the answer's
// details.
// Quotes come from answer, not from the masked text the engine reads (the
// episode may run across a flagged passage); byte offsets are the same.
func episode(af *answerFeat, tl *telling, answer string) (*analyzer.Span, []analyzer.Detail) {
	doc := af.doc
	var ep *analyzer.Span
	if tl.told() {
		s := quoteOf(doc, answer, doc.Units[tl.first].ByteStart, doc.Units[tl.last].ByteEnd)
		ep = &s
	}
	var out []analyzer.Detail
	seenName := map[string]bool{}
	for i, u := range doc.Units {
		f := &af.units[i]
		if f.injected {
			continue
		}
		bound := tl.boundAt(af, i)
		add := func(kind string, bstart, bend int) {
			out = append(out, analyzer.Detail{Span: quoteOf(doc, answer, bstart, bend), Kind: kind, Bound: bound})
		}
		for _, ti := range f.timeMarks {
			add("time", doc.Tokens[ti].ByteStart, doc.Tokens[ti].ByteEnd)
		}
		for _, ti := range f.names {
			t := doc.Tokens[ti]
			if !seenName[t.Lower] {
				seenName[t.Lower] = true
				add("name", t.ByteStart, t.ByteEnd)
			}
		}
		for _, ti := range f.numbers {
			add("number", doc.Tokens[ti].ByteStart, doc.Tokens[ti].ByteEnd)
		}
		if f.speech {
			add("speech", u.ByteStart, u.ByteEnd)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return ep, out
}

// quoteOf is spanOf quoting answer rather than the masked doc.Text.
func quoteOf(doc *nlp.Doc, answer string, bstart, bend int) analyzer.Span {
	s := spanOf(doc, bstart, bend)
	s.Quote = answer[bstart:bend]
	return s
}
