package semantic

import "slices"

// Rows holds words' vector places, scales and hubness, so that the
// similarities of many word pairs cost one dot product each (AVX2 on
// amd64, dot_amd64.s) rather than a table look-up per word and pair. The
// numbers are exactly Similarity's: a dot product of int8 components is an
// exact integer however it is summed.
type Rows struct {
	ids    []ID
	scales []float32
	hubs   []float32
}

// Len returns the number of words.
func (r *Rows) Len() int { return len(r.ids) }

// Grow makes room for n more words.
func (r *Rows) Grow(n int) {
	r.ids = slices.Grow(r.ids, n)
	r.scales = slices.Grow(r.scales, n)
	r.hubs = slices.Grow(r.hubs, n)
}

// Reset empties r, keeping its arrays.
func (r *Rows) Reset() {
	r.ids, r.scales, r.hubs = r.ids[:0], r.scales[:0], r.hubs[:0]
}

// Add appends a word.
func (r *Rows) Add(id ID) {
	r.ids = append(r.ids, id)
	if id < 0 {
		r.scales = append(r.scales, 0)
		r.hubs = append(r.hubs, 0)
		return
	}
	r.scales = append(r.scales, get().scales[id])
	r.hubs = append(r.hubs, Hub(id))
}

// SimilarityAt is Similarity of word i of a and word j of b, for two words
// whose lemmas differ (Similarity is 1 for one lemma; the caller compares
// lemmas).
func SimilarityAt(a *Rows, i int, b *Rows, j int) float32 {
	c := float32(0)
	if x, y := a.ids[i], b.ids[j]; x >= 0 && y >= 0 {
		t := get()
		c = float32(dotVec(t.vecs[int(x)*Dim:int(x)*Dim+Dim], t.vecs[int(y)*Dim:int(y)*Dim+Dim])) * a.scales[i] * b.scales[j]
	}
	return rescale(c, (a.hubs[i]+b.hubs[j])/2)
}

// SimilarityCol sets out[i] to SimilarityAt(a, i, b, j) for every word i
// of a.
func SimilarityCol(a *Rows, b *Rows, j int, out []float32) {
	out = out[:len(a.ids)]
	hb := b.hubs[j]
	y := b.ids[j]
	if y < 0 {
		for i := range out {
			out[i] = rescale(0, (a.hubs[i]+hb)/2)
		}
		return
	}
	t := get()
	vy, sb := t.vecs[int(y)*Dim:int(y)*Dim+Dim], b.scales[j]
	var buf [128]int32
	var dots []int32
	if len(a.ids) > len(buf) {
		dots = make([]int32, len(a.ids))
	} else {
		dots = buf[:len(a.ids)]
	}
	dotCol(t.vecs, a.ids, vy, dots)
	for i, x := range a.ids {
		c := float32(0)
		if x >= 0 {
			c = float32(dots[i]) * a.scales[i] * sb
		}
		// rescale without a branch: a mean hubness is below 1
		// (TestHubBelowHalf), so (c-m)/(1-m) is at most +0 exactly when
		// c <= m.
		m := (a.hubs[i] + hb) / 2
		out[i] = max((c-m)/(1-m), 0)
	}
}

// dotColGo is dotCol in Go.
func dotColGo(vecs []int8, ids []ID, y []int8, out []int32) {
	for i, id := range ids {
		out[i] = 0
		if id >= 0 {
			out[i] = dot(vecs[int(id)*Dim:int(id)*Dim+Dim], y)
		}
	}
}

// rescale is Similarity's correction of a cosine c by the mean hubness m.
func rescale(c, m float32) float32 {
	if c <= m {
		return 0
	}
	return (c - m) / (1 - m)
}
