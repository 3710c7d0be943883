package llm

import (
	"strings"
	"unicode"

	"github.com/candorhq/candor/analyzer"
)

// grounder finds the model's quotes in the answer. A quote counts only if it
// is in the text the model saw, exactly or after normalising whitespace,
// curly quotes, dashes and case; it is then snapped to the original text, so
// evidence always shows the candidate's own words with valid offsets.
type grounder struct {
	v *view
	// norm is the sent text normalised; normMap[i] is the sent code-point
	// offset of norm's i-th rune.
	norm    string
	normMap []int
	// blocked are spans (original offsets) flagged as injected instructions:
	// they can never be evidence.
	blocked []analyzer.Span
}

func newGrounder(v *view, blocked []analyzer.Span) *grounder {
	norm, m := normalize(v.sent)
	return &grounder{v: v, norm: norm, normMap: m, blocked: blocked}
}

// find returns the span of the original text that quote stands for. ok is
// false when the quote is not in the answer or only in a blocked span.
func (g *grounder) find(quote string) (span analyzer.Span, ok bool) {
	q := strings.TrimSpace(quote)
	if q == "" {
		return analyzer.Span{}, false
	}
	sentRunes := runeOffsets(g.v.sent)
	for i := 0; ; {
		j := strings.Index(g.v.sent[i:], q)
		if j < 0 {
			break
		}
		s := sentRunes[i+j]
		if span, ok := g.span(s, s+len([]rune(q))); ok {
			return span, true
		}
		i += j + 1
		for i < len(g.v.sent) && !startsRune(g.v.sent[i]) {
			i++
		}
	}
	nq, _ := normalize(q)
	if nq == "" {
		return analyzer.Span{}, false
	}
	normRunes := runeOffsets(g.norm)
	for i := 0; ; {
		j := strings.Index(g.norm[i:], nq)
		if j < 0 {
			break
		}
		ns := normRunes[i+j]
		ne := normRunes[i+j+len(nq)]
		if span, ok := g.span(g.normMap[ns], g.normMap[ne-1]+1); ok {
			return span, true
		}
		i += j + 1
		for i < len(g.norm) && !startsRune(g.norm[i]) {
			i++
		}
	}
	return analyzer.Span{}, false
}

// span maps a sent range to an original span, unless it is blocked.
func (g *grounder) span(s, e int) (analyzer.Span, bool) {
	start, end := g.v.toOrig(s, e)
	for _, b := range g.blocked {
		if start < b.End && b.Start < end {
			return analyzer.Span{}, false
		}
	}
	// Snapping may leave the span with edge whitespace from a normalised
	// match; trim it so the quote reads cleanly.
	for start < end && unicode.IsSpace(g.v.orig[start]) {
		start++
	}
	for end > start && unicode.IsSpace(g.v.orig[end-1]) {
		end--
	}
	if start >= end {
		return analyzer.Span{}, false
	}
	return analyzer.Span{Quote: string(g.v.orig[start:end]), Start: start, End: end}, true
}

func startsRune(b byte) bool { return b&0xC0 != 0x80 }

// normalize lower-cases text, straightens curly quotes, unifies dashes and
// collapses runs of white space to one space (trimming the ends). It returns,
// for each rune of the result, the code-point offset in text it came from.
func normalize(text string) (string, []int) {
	var b strings.Builder
	m := make([]int, 0, len(text))
	space := false
	i := -1
	for _, r := range text {
		i++
		if unicode.IsSpace(r) {
			space = len(m) > 0
			continue
		}
		if space {
			b.WriteRune(' ')
			m = append(m, i-1)
			space = false
		}
		switch r {
		case '‘', '’', '‚', '‛', '′', '`', '´':
			r = '\''
		case '“', '”', '„', '‟', '″', '«', '»':
			r = '"'
		case '‐', '‑', '‒', '–', '—', '―', '−':
			r = '-'
		case '…':
			for range 3 {
				b.WriteRune('.')
				m = append(m, i)
			}
			continue
		default:
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
		m = append(m, i)
	}
	return b.String(), m
}
