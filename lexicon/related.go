package lexicon

// Related relates one lemma to a fixed list of lemmas at once: the concepts
// of the list are indexed once, so relating a word to all of them costs one
// look-up per concept of the word rather than one merge of concept lists
// per pair. It gives exactly SimilarityOf's numbers.
type Related struct {
	n     int
	post  map[uint32][]posting
	known []uint64 // a bit per concept id the list reaches (a quick no)
}

type posting struct {
	k     int32 // the lemma's place in the list
	level uint8
}

// NewRelated indexes the concepts of the lemmas with the given entries (from
// Index; -1 relates to nothing).
func NewRelated(entries []int32) *Related {
	t := get()
	r := &Related{n: len(entries), post: map[uint32][]posting{}}
	for k, e := range entries {
		if e < 0 {
			continue
		}
		for _, c := range t.conceptsOf(uint32(e)) {
			r.post[c.ID] = append(r.post[c.ID], posting{int32(k), c.Level})
			w := int(c.ID >> 6)
			if w >= len(r.known) {
				r.known = append(r.known, make([]uint64, w+1-len(r.known))...)
			}
			r.known[w] |= 1 << (c.ID & 63)
		}
	}
	return r
}

// Row sets out[k] to SimilarityOf(entries[k], j) for every lemma k of the
// list, for a lemma j (an entry from Index) that is none of them; level is
// scratch space of at least the list's length.
func (r *Related) Row(j int32, out []float32, level []uint8) {
	out, level = out[:r.n], level[:r.n]
	for k := range level {
		level[k] = 4
	}
	if j >= 0 {
		t := get()
		for _, c := range t.conceptsOf(uint32(j)) {
			w := int(c.ID >> 6)
			if w >= len(r.known) || r.known[w]&(1<<(c.ID&63)) == 0 {
				continue
			}
			for _, p := range r.post[c.ID] {
				if l := max(p.level, c.Level); l < level[p.k] {
					level[p.k] = l
				}
			}
		}
	}
	for k, l := range level {
		out[k] = 0
		if l <= 3 {
			out[k] = float32(levelWeight[l])
		}
	}
}
