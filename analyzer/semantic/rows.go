package semantic

import (
	"slices"

	"gonum.org/v1/gonum/blas/gonum"
)

// Rows holds words' vectors as float32 rows, with their scales and
// hubness, so that the similarities of many word pairs cost one vectorised
// dot product each (gonum's assembly on amd64) rather than an int8 loop and
// two hub look-ups. The numbers are exactly Similarity's: a component is an
// int8 and a dot product of 100 of them is an integer below 2^24 in
// magnitude, which float32 holds exactly whatever the order of the sums.
type Rows struct {
	ids    []ID
	vecs   []float32 // Dim per word; zeros for an unknown word
	scales []float32
	hubs   []float32
}

// Len returns the number of words.
func (r *Rows) Len() int { return len(r.ids) }

// Grow makes room for n more words.
func (r *Rows) Grow(n int) {
	r.ids = slices.Grow(r.ids, n)
	r.vecs = slices.Grow(r.vecs, n*Dim)
	r.scales = slices.Grow(r.scales, n)
	r.hubs = slices.Grow(r.hubs, n)
}

// Add appends a word's vector.
func (r *Rows) Add(id ID) {
	r.ids = append(r.ids, id)
	if id < 0 {
		r.vecs = append(r.vecs, make([]float32, Dim)...)
		r.scales = append(r.scales, 0)
		r.hubs = append(r.hubs, 0)
		return
	}
	t := get()
	for _, x := range t.vecs[int(id)*Dim : int(id)*Dim+Dim] {
		r.vecs = append(r.vecs, float32(x))
	}
	r.scales = append(r.scales, t.scales[id])
	r.hubs = append(r.hubs, Hub(id))
}

var blas gonum.Implementation

// dotF is the dot product of two float32 rows of integer components.
func dotF(x, y []float32) float32 { return blas.Sdot(Dim, x, 1, y, 1) }

// SimilarityAt is Similarity of word i of a and word j of b, for two words
// whose lemmas differ (Similarity is 1 for one lemma; the caller compares
// lemmas).
func SimilarityAt(a *Rows, i int, b *Rows, j int) float32 {
	c := float32(0)
	if a.ids[i] >= 0 && b.ids[j] >= 0 {
		c = dotF(a.vecs[i*Dim:i*Dim+Dim], b.vecs[j*Dim:j*Dim+Dim]) * a.scales[i] * b.scales[j]
	}
	m := (a.hubs[i] + b.hubs[j]) / 2
	if c <= m {
		return 0
	}
	return (c - m) / (1 - m)
}

// rescale is Similarity's correction of a cosine c by the mean hubness m.
func rescale(c, m float32) float32 {
	if c <= m {
		return 0
	}
	return (c - m) / (1 - m)
}

// SimilarityCol sets out[i] to SimilarityAt(a, i, b, j) for every word i
// of a.
func SimilarityCol(a *Rows, b *Rows, j int, out []float32) {
	out = out[:len(a.ids)]
	y, sb, hb := b.vecs[j*Dim:j*Dim+Dim], b.scales[j], b.hubs[j]
	if b.ids[j] < 0 {
		for i := range out {
			out[i] = rescale(0, (a.hubs[i]+hb)/2)
		}
		return
	}
	for i := range out {
		c := float32(0)
		if a.ids[i] >= 0 {
			c = dotF(a.vecs[i*Dim:i*Dim+Dim], y) * a.scales[i] * sb
		}
		out[i] = rescale(c, (a.hubs[i]+hb)/2)
	}
}
