package injection

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// Anchors are the cheap first test: a sentence goes through a language's
// regular expressions only when it holds one of that language's anchor
// words, found for the whole text in one pass.
//
// An anchor that starts with an ASCII letter must start a word, unless it
// is written with a leading "~" (German compounds: "Bewertungssystem"); one
// written with a trailing "$" must also end a word ("ia", not "social").

// Bits of a sentence's anchor mask: bit i for language i's address
// anchors, bit overrideBit+i for its override anchors, roleBit and
// verdictBit for the role and verdict rules, bit gateBit+i when the
// sentence has a function word of language i (a Chinese character for
// Chinese): a language's rules run only on sentences in that language, so
// that "software" or "assistant" in English does not start the Spanish or
// French ones.
const (
	overrideBit = 8
	roleBit     = 16
	verdictBit  = 17
	gateBit     = 20
)

type anchorEntry struct {
	text  string
	whole bool
	mask  uint32
	// nonASCII: the anchor has a byte outside ASCII, so a text with none
	// cannot hold it.
	nonASCII bool
	// infix: the anchor may stand inside a word ("~" in the lists:
	// "Sprachmodell" in a compound); any other starts a word.
	infix bool
}

type anchorIndex struct {
	// Word-start anchors by their first two bytes: in an array when both
	// are letters (most, and every word of a text is looked up there), in
	// a map otherwise.
	byLetters [26 * 26][]anchorEntry
	byStart   map[uint16][]anchorEntry
	other     []anchorEntry // infix and non-ASCII anchors
}

func key2(s string) uint16 { return uint16(s[0])<<8 | uint16(s[1]) }

// starting returns the word-start anchors under the first two bytes of s,
// whose first byte is an ASCII letter, in the order they were added.
func (ix *anchorIndex) starting(s string) []anchorEntry {
	if isASCIILetter(s[1]) {
		return ix.byLetters[int(s[0]-'a')*26+int(s[1]-'a')]
	}
	return ix.byStart[key2(s)]
}

var anchors = buildAnchors()

func buildAnchors() *anchorIndex {
	ix := &anchorIndex{byStart: map[uint16][]anchorEntry{}}
	add := func(list []string, mask uint32) {
		for _, a := range list {
			infix := strings.HasPrefix(a, "~")
			a = strings.TrimPrefix(a, "~")
			whole := strings.HasSuffix(a, "$")
			a = strings.TrimSuffix(a, "$")
			e := anchorEntry{text: a, whole: whole, mask: mask, nonASCII: !isASCII(a), infix: infix}
			if infix || a[0] >= utf8.RuneSelf || !isASCIILetter(a[0]) || len(a) < 2 {
				ix.other = append(ix.other, e)
				continue
			}
			if isASCIILetter(a[1]) {
				k := int(a[0]-'a')*26 + int(a[1]-'a')
				ix.byLetters[k] = append(ix.byLetters[k], e)
				continue
			}
			ix.byStart[key2(a)] = append(ix.byStart[key2(a)], e)
		}
	}
	for i, l := range langs {
		add(l.anchors, 1<<i)
		add(l.overrideAnchors, 1<<(overrideBit+i))
		add(l.funcWords, 1<<(gateBit+i))
	}
	add(roleAnchors, 1<<roleBit)
	add(verdictAnchors, 1<<verdictBit)
	return ix
}

// masks returns each sentence's anchor mask.
func (ix *anchorIndex) masks(s string, sents []span) []uint32 {
	out := make([]uint32, len(sents))
	if len(sents) == 0 {
		return out
	}
	k := 0
	for p := 0; p < len(s); p++ {
		c := s[p]
		if c >= 0xE4 && c <= 0xE9 { // starts a CJK ideograph (U+4000..U+9FFF)
			for k+1 < len(sents) && p >= sents[k].end {
				k++
			}
			out[k] |= 1 << (gateBit + zhIndex)
			continue
		}
		if !isASCIILetter(c) || (p > 0 && isASCIILetter(s[p-1])) {
			continue
		}
		for k+1 < len(sents) && p >= sents[k].end {
			k++
		}
		if p+1 >= len(s) {
			break
		}
		for _, e := range ix.starting(s[p:]) {
			if out[k]&e.mask == e.mask || !strings.HasPrefix(s[p:], e.text) {
				continue
			}
			if end := p + len(e.text); e.whole && end < len(s) && isASCIILetter(s[end]) {
				continue
			}
			out[k] |= e.mask
		}
	}
	ascii := isASCII(s)
	for _, e := range ix.other {
		if ascii && e.nonASCII {
			continue // most answers: no need to look for "人工智" or "künstliche"
		}
		for from := 0; ; {
			i := strings.Index(s[from:], e.text)
			if i < 0 {
				break
			}
			i += from
			from = i + len(e.text)
			if end := i + len(e.text); e.whole && end < len(s) && isASCIILetter(s[end]) {
				continue
			}
			// A word anchor starts a word: Spanish "y" is not the end of
			// "they" or "day", French "l'" not the end of "all'".
			if !e.infix && isASCIILetter(e.text[0]) && i > 0 && isASCIILetter(s[i-1]) {
				continue
			}
			j := sort.Search(len(sents), func(j int) bool { return sents[j].end > i })
			if j < len(sents) {
				out[j] |= e.mask
			}
		}
	}
	return out
}

// isASCII reports a string of ASCII bytes only.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// positions returns the byte offsets in w of the anchors with bit, in
// order.
func (ix *anchorIndex) positions(w string, bit uint32) []int {
	var out []int
	for p := 0; p+1 < len(w); p++ {
		if !isASCIILetter(w[p]) || (p > 0 && isASCIILetter(w[p-1])) {
			continue
		}
		for _, e := range ix.starting(w[p:]) {
			if e.mask&bit == 0 || !strings.HasPrefix(w[p:], e.text) {
				continue
			}
			if end := p + len(e.text); e.whole && end < len(w) && isASCIILetter(w[end]) {
				continue
			}
			out = append(out, p)
			break
		}
	}
	n := len(out)
	for _, e := range ix.other {
		if e.mask&bit == 0 {
			continue
		}
		for from := 0; ; {
			i := strings.Index(w[from:], e.text)
			if i < 0 {
				break
			}
			i += from
			from = i + len(e.text)
			if end := i + len(e.text); e.whole && end < len(w) && isASCIILetter(w[end]) {
				continue
			}
			out = append(out, i)
		}
	}
	if len(out) > n {
		sort.Ints(out)
	}
	return out
}

// sketch returns w with every phrase naming a rater ("the automated
// scoring system", "KI", "评分系统") overwritten by mark bytes, \x01 for a
// machine and \x02 for a person, offsets unchanged: address patterns then
// match the mark (mk, mmk) instead of running the phrase patterns, which
// are wide and slow in Go, across the whole sentence. A phrase is tried
// at each anchor of the language (bit), starting there or up to three
// words before.
func (l *lang) sketch(w string, bit uint32) string {
	var b []byte
	for _, p := range anchors.positions(w, bit) {
		start, end, machine := l.phraseAt(w, p)
		if end <= p {
			continue
		}
		if b == nil {
			b = []byte(w)
		}
		c := byte(2)
		if machine {
			c = 1
		}
		for i := start; i < end; i++ {
			b[i] = c
		}
	}
	if b == nil {
		return w
	}
	return string(b)
}

// phraseAt finds the longest rater phrase that holds offset p of w.
func (l *lang) phraseAt(w string, p int) (start, end int, machine bool) {
	starts := [5]int{p, -1, -1, -1, -1}
	q := p
	for q > 0 && inWord(w[q-1]) {
		q--
	}
	n := 1
	if q != p {
		starts[n], n = q, n+1
	}
	for n < len(starts) {
		r := q
		for r > 0 && (w[r-1] == ' ' || w[r-1] == '-') {
			r--
		}
		if r == q || r == 0 {
			break
		}
		for r > 0 && inWord(w[r-1]) {
			r--
		}
		starts[n], n, q = r, n+1, r
	}
	for i := n - 1; i >= 0; i-- {
		st := starts[i]
		m := l.phrase.FindStringSubmatchIndex(w[st:])
		if m == nil || st+m[3] <= p {
			continue
		}
		e := st + m[3]
		mm := l.machine.FindStringSubmatchIndex(w[st:])
		return st, e, mm != nil && st+mm[3] >= e
	}
	return p, p, false
}

// inWord reports a byte that belongs to a word for phraseAt: letters,
// digits, the dots of "a.i." and any byte of a non-ASCII character.
func inWord(c byte) bool {
	return isASCIILetter(c) || c >= '0' && c <= '9' || c == '.' || c == '\'' || c >= utf8.RuneSelf
}
