package semantic

import (
	"strings"

	"github.com/candorhq/candor/analyzer/nlp"
)

// US and UK spellings of one word lie at different frequency ranks
// ("organization" is commoner in the table than "organisation"), so a
// rarity read from the rank would make a British answer look more specific
// than the same answer in American spelling (the swap audit,
// evaluation/swaps, counts such shifts). SpellingRarity reads the rank of
// the commonest of a word's spellings.
//
// A spelling is another word of the table that one regular change of
// letters gives (-ise/-ize, -our/-or, -tre/-ter, a doubled l, ae/e ...)
// and whose vector is close: cosine at least minSpellingCos. On the swap
// audit's 181 US/UK pairs in the table, the cosine of the two spellings
// is at least 0.62 for 95% of them and 0.82 for half; of the 426 words
// the infix changes make from the 30,000 commonest words, 24% reach 0.6,
// and those are spellings (colour/color, travelled/traveled, favourite/
// favorite) but for short words such as four/for, which minSpellingLen
// keeps out.
const (
	minSpellingCos = 0.6
	minSpellingLen = 5
)

// spellingEndings are regular US/UK endings, UK first; either way round.
var spellingEndings = [][2]string{
	{"isations", "izations"}, {"isation", "ization"}, {"ising", "izing"}, {"ised", "ized"}, {"ises", "izes"}, {"iser", "izer"}, {"isers", "izers"}, {"ise", "ize"},
	{"ysing", "yzing"}, {"ysed", "yzed"}, {"yses", "yzes"}, {"yse", "yze"},
	{"tres", "ters"}, {"tre", "ter"}, {"tred", "tered"},
	{"ogues", "ogs"}, {"ogue", "og"},
	{"ences", "enses"}, {"ence", "ense"},
	{"ement", "ment"}, {"ements", "ments"}, {"eing", "ing"},
}

// spellingInfixes are regular US/UK changes anywhere in a word, UK first;
// either way round, at each place they fit.
var spellingInfixes = [][2]string{{"our", "or"}, {"ll", "l"}, {"ae", "e"}, {"oe", "e"}, {"ou", "o"}, {"sc", "sk"}}

var spellingCache = nlp.NewBoundedMap[string, float64](50_000)

// SpellingRarity is Rarity of the commonest of the word's spellings: the
// same for "organisation" and "organization". id is the word's own ID.
func SpellingRarity(w string, id ID) float64 {
	if r, ok := spellingCache.Get(w); ok {
		return r
	}
	r := Rarity(id)
	for _, v := range otherSpellings(w, id) {
		r = min(r, Rarity(Lookup(v)))
	}
	spellingCache.Put(strings.Clone(w), r)
	return r
}

// otherSpellings returns the word's other spellings in the table.
func otherSpellings(w string, id ID) []string {
	if len(w) < minSpellingLen || id == NoID {
		return nil
	}
	var out []string
	respellings(w, func(v string) bool {
		if v != w {
			if vid := Lookup(v); vid != NoID && Cos(id, vid) >= minSpellingCos {
				out = append(out, v)
			}
		}
		return true
	})
	return out
}

// respellings calls yield with each regular US/UK respelling of w (by
// spellingEndings, then spellingInfixes, at each place they fit) until
// yield returns false; whether the table holds them is the caller's
// question.
func respellings(w string, yield func(string) bool) {
	for _, p := range spellingEndings {
		for k := 0; k < 2; k++ {
			if from := p[k]; len(w) > len(from)+2 && strings.HasSuffix(w, from) {
				if !yield(w[:len(w)-len(from)] + p[1-k]) {
					return
				}
			}
		}
	}
	for _, p := range spellingInfixes {
		for k := 0; k < 2; k++ {
			from, to := p[k], p[1-k]
			for i := 1; i+len(from) <= len(w); i++ {
				if w[i:i+len(from)] == from {
					if !yield(w[:i] + to + w[i+len(from):]) {
						return
					}
				}
			}
		}
	}
}

// OtherSpellings returns the word's other US/UK spellings in the table
// ("prioritize" for "prioritise"); nil for a word not in it or with none.
func OtherSpellings(w string) []string {
	return otherSpellings(w, Lookup(w))
}

// TableSpelling returns the ID of w, or, for a word the table lacks
// ("prioritised" is not in it, "prioritized" is), of the first of its
// regular US/UK respellings that the table holds; NoID when none is. With
// no vector of w's own, the respelling is taken on the rule alone.
func TableSpelling(w string) ID {
	if id := Lookup(w); id != NoID || len(w) < minSpellingLen {
		return id
	}
	found := NoID
	respellings(w, func(v string) bool {
		found = Lookup(v)
		return found == NoID
	})
	return found
}
