package heuristic

import (
	"sort"
	"unicode/utf8"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/nlp"
)

type byteRange struct{ start, end int }

// spanOf builds a Span with code-point offsets from byte offsets.
func spanOf(doc *nlp.Doc, bstart, bend int) analyzer.Span {
	return analyzer.Span{Quote: doc.Text[bstart:bend], Start: cpOffset(doc, bstart), End: cpOffset(doc, bend)}
}

// cpOffset converts a byte offset of doc.Text to a code-point offset,
// counting from the nearest token that starts at or before it.
func cpOffset(doc *nlp.Doc, b int) int {
	toks := doc.Tokens
	i := sort.Search(len(toks), func(i int) bool { return toks[i].ByteStart > b }) - 1
	from, n := 0, 0
	if i >= 0 {
		from, n = toks[i].ByteStart, toks[i].Start
	}
	return n + utf8.RuneCountInString(doc.Text[from:b])
}
