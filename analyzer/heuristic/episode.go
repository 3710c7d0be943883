package heuristic

import (
	"sort"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/nlp"
)

// The told episode and its details, from the unit features the engine
// already computes (features.go); no model reads them yet, so they change
// no label, score or status.
//
// An event unit is a unit that is no habit, no hypothetical and not flagged
// as injection, with a first-person singular word and a past-tense verb
// ("I called her back", "I was working the desk"). The episode is told when
// the answer has at least minEventUnits of them; its span runs from the
// first event unit's start to the last one's end.
//
// Details are the units' time markers, proper names (each name once),
// numbers and reported speech (the whole unit). A detail is bound when its
// unit lies inside the episode's span, is no habit or hypothetical, and
// narrates (a past-tense verb, a first-person word or reported speech): a
// number or a name told inside the story. Anything else (a metric in a
// present-tense boast, a number in a habit, a date before or after the
// story) is decoration and unbound.

// minEventUnits is the fewest event units that make a told episode: one
// past first-person clause is a claim ("I improved CSAT"); two are a
// sequence.
const minEventUnits = 2

func eventUnit(u *unitFeat) bool {
	return !u.injected && !u.habitual && !u.hypothetical && u.iSubj > 0 && u.past > 0
}

// episode returns the told episode's span (nil when none) and the answer's
// details.
// Quotes come from answer, not from the masked text the engine reads (the
// episode may run across a flagged passage); byte offsets are the same.
func episode(af *answerFeat, answer string) (*analyzer.Span, []analyzer.Detail) {
	doc := af.doc
	first, last, n := -1, -1, 0
	for i := range af.units {
		if eventUnit(&af.units[i]) {
			if first < 0 {
				first = i
			}
			last = i
			n++
		}
	}
	var ep *analyzer.Span
	if n >= minEventUnits {
		s := quoteOf(doc, answer, doc.Units[first].ByteStart, doc.Units[last].ByteEnd)
		ep = &s
	} else {
		first, last = -1, -2
	}
	var out []analyzer.Detail
	seenName := map[string]bool{}
	for i, u := range doc.Units {
		f := &af.units[i]
		if f.injected {
			continue
		}
		bound := i >= first && i <= last && !f.habitual && !f.hypothetical && (f.past > 0 || f.iSubj > 0 || f.speech)
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
