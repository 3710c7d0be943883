package lexicon

import "github.com/candorhq/candor/lexicon/internal/table"

// rule is one of WordNet morphy's detachment rules: replace suffix by ending.
type rule struct{ suffix, ending string }

// morphy's rules per part of speech, in morphy's order. Adverbs have none:
// their irregular forms are all in the exception list.
var (
	verbRules = []rule{{"s", ""}, {"ies", "y"}, {"es", "e"}, {"es", ""}, {"ed", "e"}, {"ed", ""}, {"ing", "e"}, {"ing", ""}}
	nounRules = []rule{{"s", ""}, {"ses", "s"}, {"xes", "x"}, {"zes", "z"}, {"ches", "ch"}, {"shes", "sh"}, {"men", "man"}, {"ies", "y"}}
	adjRules  = []rule{{"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"}}
)

// maxWord bounds the words Lemma detaches suffixes from, so the candidate
// can be built in a stack buffer; longer strings are not English words.
const maxWord = 64

// Lemma returns the base form of a lower-case word, or the word itself when
// it is unknown or already a base form.
//
// Like WordNet's morphy it gathers candidates from the exception lists
// ("went" -> "go", "geese" -> "goose") and from the detachment rules
// ("shaking" -> "shake", "customers" -> "customer"), keeping only those
// that are lemmas of the part of speech that produced them, in the order
// verb, noun, adjective, adverb. Unlike morphy, which stops at the first
// part of speech that yields something, it then picks by frequency, because
// many inflected forms are also rare lemmas in their own right ("shaking"
// is a noun, "ceiling" looks like a form of the verb "ceil"): the candidate
// whose senses in that part of speech are tagged most often in SemCor wins
// (earlier candidates win ties), and the word itself, when it is a lemma, is
// kept if its senses in all parts of speech are tagged at least as often.
func Lemma(word string) string {
	t := get()
	self, selfOK := t.lookup(word)
	best, bestFreq, found := uint32(0), uint32(0), false
	consider := func(i uint32, bit uint8) {
		if f := t.freqPOS(i, bit); !found || f > bestFreq {
			best, bestFreq, found = i, f, true
		}
	}
	if e, ok := t.exc.Index(word); ok {
		r := t.excRanges[e]
		for _, bit := range [...]uint8{table.Verb, table.Noun, table.Adj, table.Adv} {
			for k := r.start; k < r.end; k++ {
				if t.excPOS[k] == bit {
					consider(t.excBase[k], bit)
				}
			}
		}
	}
	if len(word) <= maxWord {
		var buf [maxWord + 4]byte
		try := func(stem, ending string, bit uint8) {
			n := copy(buf[:], stem)
			n += copy(buf[n:], ending)
			if i, ok := t.words.IndexBytes(buf[:n]); ok && t.pos[i]&bit != 0 {
				consider(uint32(i), bit)
			}
		}
		apply := func(rules []rule, bit uint8) {
			for _, r := range rules {
				if len(word) <= len(r.suffix) || word[len(word)-len(r.suffix):] != r.suffix {
					continue
				}
				stem := word[:len(word)-len(r.suffix)]
				try(stem, r.ending, bit)
				// "stopped" -> "stop", "bigger" -> "big": undouble the final
				// consonant, which morphy leaves to the exception lists
				// and which they do not always cover.
				if r.ending == "" && len(r.suffix) >= 2 && doubled(stem) {
					try(stem[:len(stem)-1], "", bit)
				}
			}
		}
		apply(verbRules, table.Verb)
		apply(nounRules, table.Noun)
		apply(adjRules, table.Adj)
	}
	if !found || (selfOK && t.freqPOS(self, 0xf) >= bestFreq) {
		return word
	}
	return t.words.At(int(best))
}

// doubled reports whether s ends in a doubled consonant other than those
// English keeps doubled in base forms ("ss", "ll", "ff", "zz": "pass",
// "call"); those stems were already tried undoubled-free.
func doubled(s string) bool {
	n := len(s)
	if n < 3 || s[n-1] != s[n-2] {
		return false
	}
	switch s[n-1] {
	case 'a', 'e', 'i', 'o', 'u', 's', 'l', 'f', 'z', 'y', 'w':
		return false
	}
	return true
}

// freqPOS sums the lemma's SemCor tag counts over the parts of speech in bits.
func (t *lexTable) freqPOS(i uint32, bits uint8) uint32 {
	var n uint32
	for b, f := range t.freq[4*i : 4*i+4] {
		if bits&(1<<b) != 0 {
			n += f
		}
	}
	return n
}
