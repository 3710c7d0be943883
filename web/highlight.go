package web

import (
	"html/template"
	"slices"
	"strings"
	"unicode/utf8"
)

// mark is a span of an answer to wrap in <mark>: code-point offsets as the
// report gives them.
type mark struct {
	start, end int
	id         string // element id of the first piece; data-span of every piece
	class      string
	title      string
	// cont marks a piece of a mark that began in an earlier segment of
	// the text (see segments): it names the mark in data-span, not id.
	cont bool
}

// highlight returns text as HTML with every valid mark wrapped in <mark>
// elements. Offsets count code points, not bytes. Marks that overlap
// without nesting are split into pieces so the HTML nests properly: the
// first piece carries the id, the others data-span with that id, and the
// pieces' text joined is exactly text[start:end]. Marks whose offsets fall
// outside the text are dropped (a stored report is data, not trusted).
func highlight(text string, marks []mark) template.HTML {
	// offs[i] is the byte offset of code point i; offs[n] == len(text).
	offs := make([]int, 0, utf8.RuneCountInString(text)+1)
	for i := range text {
		offs = append(offs, i)
	}
	n := len(offs)
	offs = append(offs, len(text))

	ms := make([]mark, 0, len(marks))
	for _, m := range marks {
		if m.start >= 0 && m.start < m.end && m.end <= n {
			ms = append(ms, m)
		}
	}
	var b strings.Builder
	b.Grow(len(text) + len(ms)*96)
	if len(ms) == 0 {
		template.HTMLEscape(&b, []byte(text))
		return template.HTML(b.String())
	}
	// Outer marks first: by start, then longest.
	slices.SortStableFunc(ms, func(a, c mark) int {
		if a.start != c.start {
			return a.start - c.start
		}
		return c.end - a.end
	})
	points := make([]int, 0, 2*len(ms)+2)
	points = append(points, 0, n)
	for _, m := range ms {
		points = append(points, m.start, m.end)
	}
	slices.Sort(points)
	points = slices.Compact(points)

	open := make([]int, 0, 8) // indices into ms, outermost first
	started := make([]bool, len(ms))
	next := 0 // next mark to open, in ms order
	for k, p := range points {
		// Close every mark ending at p; marks above it on the stack that
		// go on are closed too and reopened as continuation pieces.
		lowest := -1
		for i, mi := range open {
			if ms[mi].end == p {
				lowest = i
				break
			}
		}
		if lowest >= 0 {
			var reopen []int
			for i := len(open) - 1; i >= lowest; i-- {
				b.WriteString("</mark>")
				if ms[open[i]].end > p {
					reopen = append(reopen, open[i])
				}
			}
			open = open[:lowest]
			for i := len(reopen) - 1; i >= 0; i-- {
				writeOpen(&b, ms[reopen[i]], true)
				open = append(open, reopen[i])
			}
		}
		for next < len(ms) && ms[next].start == p {
			writeOpen(&b, ms[next], started[next] || ms[next].cont)
			started[next] = true
			open = append(open, next)
			next++
		}
		if k+1 < len(points) {
			template.HTMLEscape(&b, []byte(text[offs[p]:offs[points[k+1]]]))
		}
	}
	for range open {
		b.WriteString("</mark>")
	}
	return template.HTML(b.String())
}

func writeOpen(b *strings.Builder, m mark, continued bool) {
	// The first piece has the id; the pieces after it name it in
	// data-span (the script highlights them all).
	if continued {
		b.WriteString(`<mark data-span="`)
	} else {
		b.WriteString(`<mark id="`)
	}
	b.WriteString(template.HTMLEscapeString(m.id))
	b.WriteByte('"')
	if m.class != "" {
		b.WriteString(` class="`)
		b.WriteString(template.HTMLEscapeString(m.class))
		b.WriteByte('"')
	}
	if m.title != "" {
		b.WriteString(` title="`)
		b.WriteString(template.HTMLEscapeString(m.title))
		b.WriteByte('"')
	}
	b.WriteByte('>')
}

// segments cuts text at the code-point offsets cuts (ascending) and
// highlights each piece: a mark that crosses a cut goes on in the next
// piece as a continuation, so every quote stays highlighted whole.
func segments(text string, marks []mark, cuts []int) []template.HTML {
	runes := []rune(text)
	bounds := []int{0}
	for _, c := range cuts {
		if c > bounds[len(bounds)-1] && c < len(runes) {
			bounds = append(bounds, c)
		}
	}
	bounds = append(bounds, len(runes))
	out := make([]template.HTML, 0, len(bounds)-1)
	for k := 0; k+1 < len(bounds); k++ {
		s, e := bounds[k], bounds[k+1]
		var ms []mark
		for _, m := range marks {
			if m.end <= s || m.start >= e || m.start < 0 || m.end > len(runes) {
				continue
			}
			c := m
			c.start, c.end = max(m.start, s)-s, min(m.end, e)-s
			c.cont = m.start < s
			ms = append(ms, c)
		}
		out = append(out, highlight(string(runes[s:e]), ms))
	}
	return out
}
