package lexicon

import (
	"math/bits"
	"slices"
)

// Related relates one lemma to a fixed list of lemmas at once: the concepts
// of the list are indexed once, so relating a word to all of them costs one
// look-up per concept of the word rather than one merge of concept lists
// per pair. It gives exactly SimilarityOf's numbers.
type Related struct {
	n int
	// known has a bit per concept id the list reaches; rank[w] counts
	// the bits set in known[:w], which numbers the concepts in id order.
	known []uint64
	rank  []int32
	// The postings of the concept numbered c are post[start[c]:start[c+1]].
	start []int32
	post  []posting
}

type posting struct {
	id    uint32
	k     int32 // the lemma's place in the list
	level uint8
}

// NewRelated indexes the concepts of the lemmas with the given entries (from
// Index; -1 relates to nothing).
func NewRelated(entries []int32) *Related {
	t := get()
	r := &Related{n: len(entries)}
	for k, e := range entries {
		if e < 0 {
			continue
		}
		for _, c := range t.conceptsOf(uint32(e)) {
			r.post = append(r.post, posting{c.ID, int32(k), c.Level})
		}
	}
	slices.SortStableFunc(r.post, func(a, b posting) int { return int(a.id) - int(b.id) })
	for i, p := range r.post {
		w := int(p.id >> 6)
		if w >= len(r.known) {
			r.known = append(r.known, make([]uint64, w+1-len(r.known))...)
		}
		if i == 0 || p.id != r.post[i-1].id {
			r.known[w] |= 1 << (p.id & 63)
			r.start = append(r.start, int32(i))
		}
	}
	r.start = append(r.start, int32(len(r.post)))
	r.rank = make([]int32, len(r.known))
	n := 0
	for w, b := range r.known {
		r.rank[w] = int32(n)
		n += bits.OnesCount64(b)
	}
	return r
}

// Codes of how two lemmas relate (Row): Same for one lemma, then the
// closest level of a shared concept plus one, Unrelated for none. A smaller
// code is a closer relation; Weight gives SimilarityOf's number.
const (
	Same      uint8 = 0
	Unrelated uint8 = 5
)

// Weight is the relatedness (Similarity's number) of a code from Row: 1
// for Same, SimilarityOf's weight for a shared concept, 0 for Unrelated.
func Weight(code uint8) float32 { return codeWeight[code] }

var codeWeight = [Unrelated + 1]float32{1, float32(levelWeight[0]), float32(levelWeight[1]), float32(levelWeight[2]), float32(levelWeight[3]), 0}

// Row sets code[k] to how lemma j (an entry from Index) relates to lemma k
// of the list, for a j that is none of them: Weight(code[k]) is
// SimilarityOf(entries[k], j).
func (r *Related) Row(j int32, code []uint8) {
	code = code[:r.n]
	for k := range code {
		code[k] = Unrelated
	}
	if j < 0 {
		return
	}
	for _, c := range get().conceptsOf(uint32(j)) {
		w := int(c.ID >> 6)
		if w >= len(r.known) {
			continue
		}
		bit := uint64(1) << (c.ID & 63)
		if r.known[w]&bit == 0 {
			continue
		}
		n := r.rank[w] + int32(bits.OnesCount64(r.known[w]&(bit-1)))
		for _, p := range r.post[r.start[n]:r.start[n+1]] {
			if l := max(p.level, c.Level) + 1; l < code[p.k] {
				code[p.k] = l
			}
		}
	}
}
