package heuristic

import (
	"math"
	"slices"
	"sort"
	"sync"
	"unsafe"

	"github.com/candorhq/candor/lexicon"

	"github.com/candorhq/candor/analyzer/semantic"
)

// Pair features: how much of an area (or a key point, or a guide question)
// a piece of the answer says. One function per feature, each a reading of
// the semantic matcher; the pair model (weights.json, "pair") turns them into
// the probability that the piece addresses the area. The same features serve
// claims (argument key points), the evidence of descriptive areas and the
// off-question check.

// areaText is an area read for matching: its words as written, with the
// words the question shares down-weighted (they say what the whole question
// is about, not what this area asks), and with the words its sibling areas
// share down-weighted (they cannot tell one area from another).
type areaText struct {
	plain, topical, distinct semantic.Text
	words                    int
	idx                      []int32 // plain.Words' places in the question's vocabulary
}

// questionWordWeight and sharedWordWeight scale a word's weight when the
// question, or two or more sibling areas, use it. They are part of the
// feature definitions; the pair model learns how much each reading counts.
const (
	questionWordWeight = 0.3
	sharedWordWeight   = 0.5
)

func readAreaText(text string, question *semantic.Text, siblings []semantic.Text) areaText {
	plain := semantic.New(text)
	inQ := map[string]bool{}
	if question != nil {
		for _, w := range question.Words {
			inQ[w.Lemma] = true
		}
	}
	df := map[string]int{}
	for i := range siblings {
		seen := map[string]bool{}
		for _, w := range siblings[i].Words {
			if !seen[w.Lemma] {
				seen[w.Lemma] = true
				df[w.Lemma]++
			}
		}
	}
	topical := reweighted(plain, func(l string) float32 {
		if inQ[l] {
			return questionWordWeight
		}
		return 1
	})
	distinct := reweighted(plain, func(l string) float32 {
		f := float32(1)
		if inQ[l] {
			f = questionWordWeight
		}
		if df[l] >= 2 {
			f *= sharedWordWeight
		}
		return f
	})
	return areaText{plain: plain, topical: topical, distinct: distinct, words: len(plain.Words)}
}

func reweighted(t semantic.Text, f func(string) float32) semantic.Text {
	var out semantic.Text
	out.Add(append([]semantic.Word(nil), t.Words...)...)
	out.Reweight(f)
	return out
}

// PairFeatures names the pair model's features in order.
var PairFeatures = []string{
	"recall",          // Recall(area, piece): each area word's best match in the piece, vectors
	"recall_topical",  // the same with the question's own words down-weighted
	"recall_distinct", // and with words sibling areas share down-weighted too
	"overlap_topical", // the share of area words (topical weights) the piece uses as lemmas
	"wordnet_topical", // WordNet relatedness in place of vectors
	"reverse",         // Recall(piece, area): how much of the piece is the area
	"cosine",          // cosine of the weighted mean vectors
	"share70",         // topical weight of area words matched at cosine >= 0.7
	"weakest",         // how well the least-said third of the area is said
	"area_words",      // log(1 + content words of the area)
	"piece_words",     // log(1 + content words of the piece)
	// Margins over the question's other areas for the same piece: the
	// areas of one question compete for what a sentence says.
	"recall_topical_margin",  // recall_topical minus the best of the other areas
	"recall_distinct_margin", // recall_distinct minus the best of the other areas
	"cosine_margin",          // cosine minus the best of the other areas
}

// nBase is the number of features of one area and one piece alone.
const nBase = 11

// iRecallDistinct is recall_distinct's place in PairFeatures.
const iRecallDistinct = 2

// marginOf lists, for each margin feature, the base feature it compares.
var marginOf = [...]int{1, 2, 6}

// pairVectors computes PairFeatures for every area against one piece.
func pairVectors(areas []areaText, p piece, m *simMatrix, out [][]float64) [][]float64 {
	out = out[:0]
	for i := range areas {
		out = append(out, pairVector(&areas[i], p, m, make([]float64, 0, len(PairFeatures))))
	}
	return addMargins(out)
}

// addMargins appends the margin features to every area's base features
// for one piece: each area's value less the best of the other areas'
// (zero when it has none).
func addMargins(out [][]float64) [][]float64 {
	if len(out) == 0 {
		return out
	}
	var best, other [len(marginOf)]float64
	var at [len(marginOf)]int
	for k, f := range marginOf {
		// The best value and its first place, then the best elsewhere.
		at[k] = 0
		for j := range out {
			if out[j][f] > out[at[k]][f] {
				at[k] = j
			}
		}
		best[k] = out[at[k]][f]
		other[k] = best[k] // no other area: the margin is 0
		first := true
		for j := range out {
			if j != at[k] && (first || out[j][f] > other[k]) {
				other[k], first = out[j][f], false
			}
		}
	}
	for i := range out {
		for k, f := range marginOf {
			m := best[k]
			if i == at[k] {
				m = other[k]
			}
			out[i] = append(out[i], out[i][f]-m)
		}
	}
	return out
}

// pairAlone computes PairFeatures for a text with no sibling areas (a
// question, a follow-up): every margin is 0.
func pairAlone(a *areaText, p piece, m *simMatrix, x []float64) []float64 {
	x = pairVector(a, p, m, x)
	for range marginOf {
		x = append(x, 0)
	}
	return x
}

// vocab numbers the distinct words of one side of a comparison (a
// question's areas, or an answer), so word-to-word similarities are kept in
// a dense matrix rather than looked up by strings.
type vocab struct {
	index map[vocabKey]int32
	words []semantic.Word
	lex   []int32 // each word's lemma in the WordNet table (lexicon.Index)
	rows  semantic.Rows
	// rel indexes the words' WordNet concepts (set by freeze, for a
	// vocabulary that no longer grows and is shared).
	rel *lexicon.Related
}

type vocabKey struct {
	lemma string
	id    semantic.ID
}

func newVocab() *vocab { return &vocab{index: map[vocabKey]int32{}} }

// add numbers ws, returning each word's place.
func (v *vocab) add(ws []semantic.Word) []int32 {
	return v.addTo(make([]int32, 0, len(ws)), ws)
}

// addTo is add with the places appended to out.
func (v *vocab) addTo(out []int32, ws []semantic.Word) []int32 {
	out = slices.Grow(out, len(ws))
	v.rows.Grow(len(ws))
	for _, w := range ws {
		k := vocabKey{w.Lemma, w.ID}
		n, ok := v.index[k]
		if !ok {
			n = int32(len(v.words))
			v.index[k] = n
			v.words = append(v.words, w)
			v.lex = append(v.lex, w.Lex())
			v.rows.Add(w.ID)
		}
		out = append(out, n)
	}
	return out
}

// reset empties v for another answer, keeping its map and arrays.
func (v *vocab) reset() {
	clear(v.index)
	clear(v.words)
	v.words, v.lex = v.words[:0], v.lex[:0]
	v.rows.Reset()
	v.rel = nil
}

// freeze indexes the words' WordNet concepts once, for a vocabulary that is
// complete and will be compared with many others (a question's).
func (v *vocab) freeze() { v.rel = lexicon.NewRelated(v.lex) }

func (v *vocab) related() *lexicon.Related {
	if v.rel != nil {
		return v.rel
	}
	return lexicon.NewRelated(v.lex)
}

// simMatrix holds the vector similarity of every word of one vocabulary
// with every word of another, and how WordNet relates them (a code of
// lexicon.Related: lexicon.Same for one lemma), by b's words: cell (i, j)
// is j*len(a.words)+i, so the cells of one word of an answer with all of a
// question's words lie together.
type simMatrix struct {
	a, b *vocab
	vec  []float32
	bits []uint32 // vec's cells as their bits (float32 bits of numbers >= +0 order as the numbers)
	rel  []uint8
}

// newSimMatrix computes the similarities of a's words with b's.
func newSimMatrix(a, b *vocab) *simMatrix {
	na, nb := len(a.words), len(b.words)
	m := &simMatrix{a: a, b: b}
	if p, _ := cellPool.Get().(*cells); p != nil && cap(p.vec) >= na*nb {
		// Every cell is written below.
		m.vec, m.rel = p.vec[:na*nb], p.rel[:na*nb]
	} else {
		m.vec, m.rel = make([]float32, na*nb), make([]uint8, na*nb)
	}
	m.bits = unsafe.Slice((*uint32)(unsafe.Pointer(unsafe.SliceData(m.vec))), len(m.vec))
	related := a.related()
	// WordNet relates lemmas: an answer's words of one lemma (in forms
	// with different vectors) share a row of relations.
	seen := make(map[int32]int, nb)
	for j := range b.words {
		lj := b.lex[j]
		vec, rel := m.vec[j*na:(j+1)*na], m.rel[j*na:(j+1)*na]
		semantic.SimilarityCol(&a.rows, &b.rows, j, vec)
		if k, ok := seen[lj]; ok && lj >= 0 {
			copy(rel, m.rel[k*na:(k+1)*na])
		} else {
			related.Row(lj, rel)
			seen[lj] = j
		}
		for i, li := range a.lex[:na] {
			// One lemma: WordNet's entries are one per lemma, and
			// lemmas it lacks are compared as strings.
			if li == lj && (li >= 0 || a.words[i].Lemma == b.words[j].Lemma) {
				vec[i], rel[i] = 1, lexicon.Same
			}
		}
	}
	return m
}

// cells are a matrix's arrays, kept for reuse.
type cells struct {
	vec []float32
	rel []uint8
}

// cellPool keeps the cells of matrices released by the analyses done: an
// answer's matrix is about 50 KB, allocated and cleared for nothing when the
// last one's would do.
var cellPool sync.Pool

// release hands the matrix's cells back for another answer's matrix; m
// must not be used afterwards.
func (m *simMatrix) release() {
	if m == nil || m.vec == nil {
		return
	}
	cellPool.Put(&cells{m.vec[:0], m.rel[:0]})
	m.vec, m.bits, m.rel = nil, nil, nil
}

// piece is a text of the answer side with its words' places in the
// answer's vocabulary.
type piece struct {
	t   *semantic.Text
	idx []int32
}

// pairVector computes PairFeatures for an area against a piece of text:
// the same numbers as semantic.Recall, Overlap, WordNetRecall and
// RecallProfile, from one pass over the word pairs.
func pairVector(a *areaText, p piece, m *simMatrix, x []float64) []float64 {
	// A question or an area has few words: its stats fit on the stack.
	const small = 16
	var st pairStats
	var arr [3 * small]float32
	var wbuf [small]weighted
	best := wbuf[:0]
	if n := len(a.plain.Words); n <= small {
		st.vec, st.wn, st.ov = arr[0:n:n], arr[small:small+n:small+n], arr[2*small:2*small+n:2*small+n]
	} else {
		st.alloc(n)
	}
	st.of(a, p, m)
	return st.features(a, semantic.Cosine(&a.plain, p.t), len(p.t.Words), x, &best)
}

// pairStats is what PairFeatures are computed from: for each word of the
// area its best vector and WordNet similarity and whether the piece uses its
// lemma, and the piece's weighted best similarities back to the area. The
// stats of a text's units merge into the stats of the whole text (maxima and
// sums), so the whole answer costs no second pass.
type pairStats struct {
	vec, wn, ov  []float32 // per area word
	revSum, revW float64   // sum of piece-word weight x best similarity to the area; sum of weights
}

func (s *pairStats) alloc(n int) {
	s.vec, s.wn, s.ov = make([]float32, n), make([]float32, n), make([]float32, n)
}

// of computes the stats of an area against a piece into s, whose slices
// have the area's length.
func (s *pairStats) of(a *areaText, p piece, m *simMatrix) {
	clear(s.vec)
	clear(s.wn)
	clear(s.ov)
	s.revSum, s.revW = 0, 0
	n := len(a.idx)
	// Each area word's best similarity, as float32 bits: every similarity
	// is a number of at least +0, whose bits order as the numbers do, so
	// the largest is an integer maximum (no float min/max sequence); and
	// its closest WordNet relation (the largest weight).
	const small = 32
	var bbuf [small]uint32
	var rbuf [small]uint8
	var best []uint32
	var rel []uint8
	if n > small {
		best, rel = make([]uint32, n), make([]uint8, n)
	} else {
		best, rel = bbuf[:n], rbuf[:n]
	}
	for i := range rel {
		rel[i] = lexicon.Unrelated
	}
	na := len(m.a.words)
	words := p.t.Words[:len(p.idx)]
	// Slices of one length, so that the inner loop checks only the
	// matrix row's bounds.
	idx := a.idx
	best, rel = best[:len(idx)], rel[:len(idx)]
	for j, bj := range p.idx {
		rev := uint32(0)
		rowV := m.bits[int(bj)*na : int(bj+1)*na]
		rowR := m.rel[int(bj)*na : int(bj+1)*na][:len(rowV)]
		for i, ai := range idx {
			v := rowV[ai]
			best[i] = max(best[i], v)
			rel[i] = min(rel[i], rowR[ai])
			rev = max(rev, v)
		}
		s.revSum += float64(words[j].Weight * math.Float32frombits(rev))
		s.revW += float64(words[j].Weight)
	}
	for i, r := range rel {
		s.vec[i] = math.Float32frombits(best[i])
		s.wn[i] = lexicon.Weight(r)
		if r == lexicon.Same {
			s.ov[i] = 1
		}
	}
}

// merge folds the stats of another piece of the same text into s (whose
// slices have the area's length; maxima from zero, as every value is at
// least zero).
func (s *pairStats) merge(o *pairStats) {
	for i := range o.vec {
		s.vec[i] = max(s.vec[i], o.vec[i])
		s.wn[i] = max(s.wn[i], o.wn[i])
		s.ov[i] = max(s.ov[i], o.ov[i])
	}
	s.revSum += o.revSum
	s.revW += o.revW
}

// weighted is an area word's best similarity with its topical weight.
type weighted struct{ s, w float32 }

// features computes the nBase pair features from the stats, the cosine of
// the area with the piece and the piece's number of content words. buf is
// scratch space (may be nil).
func (s *pairStats) features(a *areaText, cosine float64, pieceWords int, x []float64, buf *[]weighted) []float64 {
	x = x[:0]
	n := len(a.plain.Words)
	if n == 0 || pieceWords == 0 {
		for range nBase {
			x = append(x, 0)
		}
		x[len(x)-2] = log1pCount(a.words)
		x[len(x)-1] = log1pCount(pieceWords)
		return x
	}
	var rec, recT, recD, ovT, wnT, share70, wP, wT, wD float64
	var best []weighted
	if buf != nil {
		best = slices.Grow((*buf)[:0], n)[:n]
		*buf = best
	} else {
		best = make([]weighted, n)
	}
	for i := range a.plain.Words {
		bv := s.vec[i]
		pw, tw, dw := float64(a.plain.Words[i].Weight), float64(a.topical.Words[i].Weight), float64(a.distinct.Words[i].Weight)
		rec += pw * float64(bv)
		recT += tw * float64(bv)
		recD += dw * float64(bv)
		ovT += tw * float64(s.ov[i])
		wnT += tw * float64(s.wn[i])
		if bv >= 0.7 {
			share70 += tw
		}
		wP, wT, wD = wP+pw, wT+tw, wD+dw
		best[i] = weighted{bv, float32(tw)}
	}
	// The least-said third of the area, by topical weight.
	sortWeakest(best)
	acc, tw := 0.0, 0.0
	for _, e := range best {
		if tw >= wT/3 {
			break
		}
		acc += float64(e.s * e.w)
		tw += float64(e.w)
	}
	weakest := 0.0
	if tw > 0 {
		weakest = acc / tw
	}
	return append(x,
		div(rec, wP), div(recT, wT), div(recD, wD), div(ovT, wT), div(wnT, wT),
		div(s.revSum, s.revW), cosine, div(share70, wT), weakest,
		log1pCount(a.words), log1pCount(pieceWords),
	)
}

// recallDistinct is features' recall_distinct alone (the same sums in the
// same order).
func (s *pairStats) recallDistinct(a *areaText, pieceWords int) float64 {
	if len(a.plain.Words) == 0 || pieceWords == 0 {
		return 0
	}
	var recD, wD float64
	for i := range a.plain.Words {
		dw := float64(a.distinct.Words[i].Weight)
		recD += dw * float64(s.vec[i])
		wD = wD + dw
	}
	return div(recD, wD)
}

// sortWeakest sorts by similarity, ascending, in exactly sort.Slice's
// order (ties matter: the weakest third is cut by weight): sort.Slice sorts
// up to 12 elements by insertion, which this does without its allocations.
func sortWeakest(best []weighted) {
	if len(best) > 12 {
		sort.Slice(best, func(i, j int) bool { return best[i].s < best[j].s })
		return
	}
	for i := 1; i < len(best); i++ {
		for j := i; j > 0 && best[j].s < best[j-1].s; j-- {
			best[j], best[j-1] = best[j-1], best[j]
		}
	}
}

// log1pCount is math.Log1p(float64(n)), from a table for the counts of
// words a text has.
func log1pCount(n int) float64 {
	if n >= 0 && n < len(log1pTable) {
		return log1pTable[n]
	}
	return math.Log1p(float64(n))
}

var log1pTable = func() (t [1024]float64) {
	for n := range t {
		t[n] = math.Log1p(float64(n))
	}
	return t
}()

func div(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// ClaimPairVectors returns the pair features of one key point (or area)
// against an argument (or answer), read as the engine reads them: the
// question text down-weights the area's words it shares, siblings are the
// question's other areas. The training command uses it, so training and
// analysis compute the same numbers.
func ClaimPairVectors(question string, areas []string, answer string) [][]float64 {
	q := semantic.New(question)
	sib := make([]semantic.Text, len(areas))
	for i, a := range areas {
		sib[i] = semantic.New(a)
	}
	b := semantic.New(answer)
	av, bv := newVocab(), newVocab()
	ats := make([]areaText, len(areas))
	for i, a := range areas {
		others := append(append([]semantic.Text(nil), sib[:i]...), sib[i+1:]...)
		ats[i] = readAreaText(a, &q, others)
		ats[i].idx = av.add(ats[i].plain.Words)
	}
	p := piece{&b, bv.add(b.Words)}
	return pairVectors(ats, p, newSimMatrix(av, bv), nil)
}

// masses returns the area's topical weight and its words' topical weight
// times their best similarity in the piece, summed (in the area's word
// order, as features sums them).
func (s *pairStats) masses(a *areaText) (area, recall float64) {
	for i := range a.topical.Words {
		tw := float64(a.topical.Words[i].Weight)
		area += tw
		recall += tw * float64(s.vec[i])
	}
	return area, recall
}
