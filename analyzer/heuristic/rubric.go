package heuristic

import (
	"slices"
	"sort"
	"sync"

	"github.com/candorhq/candor/analyzer/nlp"
	"github.com/candorhq/candor/analyzer/semantic"
	"github.com/candorhq/candor/guide"
)

// A script recites the rubric. "I showed genuine empathy, took ownership
// and rebuilt trust" is made of the words a guide uses to name what it
// looks for; a told episode is made of the situation's own words (the
// counter, the refund, what she said). The delivery feature rubric_share
// reads that: the rubric words among the answer's content words, each
// weighted by its rarity, so that the rare words of competency talk
// ("empathy", "stakeholders", "ownership") weigh more than the common words
// that areas share with any story ("say", "time", "happen").
//
// The rubric words are the content lemmas of the areas to cover of every
// built-in guide (the project's own text, fixed: no labelled answer chose
// them) and of the question's own areas, so that a team's guide adds its
// own competencies.

var (
	rubricOnce    sync.Once
	rubricBuiltin map[string]bool
)

// rubricLemmas returns the content lemmas of a parsed area (no numbers,
// stopwords or words of two letters), each with its other US/UK spellings:
// an answer in American spelling recites a guide written in British
// spelling as much as one in British spelling does.
func rubricLemmas(doc *nlp.Doc) []string {
	var out []string
	for _, t := range doc.Tokens {
		if t.Number || len(t.Lower) <= 2 || stopwords[t.Lemma] || stopwords[t.Lower] {
			continue
		}
		out = append(out, t.Lemma)
		out = append(out, semantic.OtherSpellings(t.Lemma)...)
	}
	return out
}

// builtinRubric is the rubric words of the built-in guides.
func builtinRubric() map[string]bool {
	rubricOnce.Do(func() {
		rubricBuiltin = map[string]bool{}
		for _, g := range guide.Builtins() {
			for _, q := range g.Questions {
				for _, a := range q.Areas {
					for _, l := range rubricLemmas(nlp.Parse(a)) {
						rubricBuiltin[l] = true
					}
				}
			}
		}
	})
	return rubricBuiltin
}

// rubricWord reports whether lemma is a rubric word: one of the built-in
// guides' or of own (the question's areas: qSem.rubric).
func rubricWord(lemma string, own map[string]bool) bool {
	return builtinRubric()[lemma] || own[lemma]
}

// ownRubric is the rubric words of a question's areas (areaInfo.rubric).
func ownRubric(info []areaInfo) map[string]bool {
	m := map[string]bool{}
	for i := range info {
		for _, l := range info[i].rubric {
			m[l] = true
		}
	}
	return m
}

// rubricShare is the rarity-weighted share of rubric words among the
// answer's content words (capitalised words, numbers and injected text
// left out), in 0..1; 0 for an answer with no content word. It is a
// feature of the model only: the report marks no word for it, since most
// rubric words are also the plain words of a told story ("call", "check",
// "customer"), and only their share over a whole answer tells.
func rubricShare(af *answerFeat, own map[string]bool) float64 {
	n, hit := 0, 0.0
	for ti := range af.doc.Tokens {
		if !rubricCounts(af, ti) {
			continue
		}
		n++
		if rubricWord(af.doc.Tokens[ti].Lemma, own) {
			hit += rubricRarity(af, ti)
		}
	}
	if n == 0 {
		return 0
	}
	return hit / float64(n)
}

// rubricCounts reports whether token ti is one of the content words the
// rubric share counts over: no capitalised word (a name), number or
// injected text.
func rubricCounts(af *answerFeat, ti int) bool {
	t := &af.doc.Tokens[ti]
	return !t.Cap && !t.Number && !af.units[t.Unit].injected && af.infos[ti].flags&wContent != 0
}

// rubricRarity is the rarity of token ti as the delivery features read it
// (wRare), or, for a word the vector table lacks in this spelling
// ("prioritised"), the rarity of its spelling that the table holds; 0
// when there is none.
func rubricRarity(af *answerFeat, ti int) float64 {
	if af.infos[ti].flags&wRare != 0 {
		return af.infos[ti].rarity
	}
	lw := af.doc.Tokens[ti].Lower
	if semantic.Lookup(lw) != semantic.NoID {
		return 0 // in the table, but no rarity of its own (a pronoun, a dialect's function word)
	}
	if id := semantic.TableSpelling(lw); id != semantic.NoID {
		return semantic.Rarity(id)
	}
	return 0
}

// rubricFeature is rubric_share's place among DeliveryFeatures.
var rubricFeature = slices.Index(DeliveryFeatures, "rubric_share")

// rubricLead reports whether rubric_share is the delivery model's strongest
// pull towards rehearsed for x: its contribution to the score (weight times
// standardised value) is negative and the lowest of all features'. The
// report then names the rubric words (deliveryReasons): the reason is the
// model's own, not a cut-off of ours.
func rubricLead(w *Weights, x []float64) bool {
	if w.Delivery == nil || rubricFeature < 0 || len(x) != len(DeliveryFeatures) {
		return false
	}
	c := w.Delivery.Contributions(x)
	k := rubricFeature
	if c[k] >= 0 {
		return false
	}
	for i, v := range c {
		if i != k && v < c[k] {
			return false
		}
	}
	return true
}

// rubricTop returns up to n distinct rubric words of the answer, the rarest
// first (ties in the order they come), as written in lower case.
func rubricTop(af *answerFeat, own map[string]bool, n int) []string {
	type hit struct {
		word   string
		rarity float64
	}
	var hits []hit
	seen := map[string]bool{}
	for ti := range af.doc.Tokens {
		t := &af.doc.Tokens[ti]
		if !rubricCounts(af, ti) || seen[t.Lemma] {
			continue
		}
		if r := rubricRarity(af, ti); r > 0 && rubricWord(t.Lemma, own) {
			// A word with no rarity adds nothing to the share: not named.
			seen[t.Lemma] = true
			hits = append(hits, hit{t.Lower, r})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].rarity > hits[j].rarity })
	out := make([]string, 0, n)
	for _, h := range hits[:min(n, len(hits))] {
		out = append(out, h.word)
	}
	return out
}
