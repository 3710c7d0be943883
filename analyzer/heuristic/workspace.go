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
}

var workspaces = sync.Pool{New: func() any {
	return &workspace{words2: make(map[string]*wordInfo, 256), vocab: vocab{index: map[vocabKey]int32{}}}
}}

func newWorkspace() *workspace { return workspaces.Get().(*workspace) }

// release hands the answer's document and workspace back, cleared of what
// they held of it; af, and everything read from it (its answerSem and the
// depth pass's, which shares its reading), must not be used afterwards.
func (af *answerFeat) release() {
	ws := af.ws
	// The arrays of numbers are cleared when next used (resized); the
	// words are pieces of the answer.
	clear(ws.words2)
	clear(ws.words)
	ws.words = ws.words[:0]
	ws.vocab.reset()
	workspaces.Put(ws)
	af.doc.Release()
	af.ws, af.doc = nil, nil
}
