package heuristic

import (
	"sync"

	"github.com/candorhq/candor/analyzer/semantic"
)

// workspace holds the arrays one analysis reads an answer into: its unit
// features and what is known of its words (analyzeFeatures), and its words
// read for matching (readAnswerSem). Workspaces are kept in a pool between
// analyses: these arrays were most of the bytes an analysis allocated.
type workspace struct {
	units  []unitFeat
	words2 map[string]*wordInfo
	infos  []*wordInfo
	// The answer read for matching.
	texts   []semantic.Text
	unitIdx [][]int32
	words   []semantic.Word
	idx     []int32
	vocab   vocab
	// floats holds the analysis's vectors (pair features and
	// probabilities, area decisions).
	floats floatArena
}

var workspaces = sync.Pool{New: func() any {
	return &workspace{words2: make(map[string]*wordInfo, 256), vocab: vocab{index: map[vocabKey]int32{}}}
}}

func newWorkspace() *workspace { return workspaces.Get().(*workspace) }

// release hands the answer's document and workspace back, cleared of what
// they held of it; af, and everything read from it (its answerSem and the
// depth pass's, which shares its reading), must not be used afterwards.
func (af *answerFeat) release() {
	af.releaseWorkspace()
	af.doc.Release()
	af.doc = nil
}

// releaseWorkspace hands af's workspace back but not its document: what a
// second reading of the same document (Engine.delivery's untensed one)
// releases, the first reading keeping the document.
func (af *answerFeat) releaseWorkspace() {
	ws := af.ws
	// The arrays of numbers are cleared when next used (resized); the
	// words are pieces of the answer.
	clear(ws.words2)
	clear(ws.words)
	ws.words = ws.words[:0]
	ws.vocab.reset()
	ws.floats.reset()
	workspaces.Put(ws)
	af.ws = nil
}

// floatArena hands out zeroed float64 slices from chunks it keeps between
// analyses; reset makes them all free again. A nil arena allocates each
// slice (Trace keeps its vectors).
type floatArena struct {
	chunks    [][]float64
	cur, used int // the chunk being handed out, and how much of it is
}

const arenaChunk = 8192 // floats: 64 KiB, about an answer's worth

// take returns n zeroed floats, with no room to append in place.
func (a *floatArena) take(n int) []float64 {
	if a == nil {
		return make([]float64, n)
	}
	for a.cur < len(a.chunks) && a.used+n > len(a.chunks[a.cur]) {
		a.cur, a.used = a.cur+1, 0
	}
	if a.cur == len(a.chunks) {
		a.chunks = append(a.chunks, make([]float64, max(n, arenaChunk)))
	}
	s := a.chunks[a.cur][a.used : a.used+n : a.used+n]
	a.used += n
	clear(s)
	return s
}

func (a *floatArena) reset() { a.cur, a.used = 0, 0 }
