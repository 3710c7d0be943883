//go:build !purego

package semantic

import "golang.org/x/sys/cpu"

// dot100AVX2 is dot for two vectors of Dim components (dot_amd64.s).
//
//go:noescape
func dot100AVX2(x, y *int8) int32

// addTo100AVX2 is addScaled for Dim components (dot_amd64.s).
//
//go:noescape
func addTo100AVX2(v *float32, x *int8, s float32)

// dotCol100AVX2 is dotCol's work (dot_amd64.s).
//
//go:noescape
func dotCol100AVX2(vecs *int8, ids *ID, n int, y *int8, out *int32)

var hasAVX2 = cpu.X86.HasAVX2

// dotCol sets out[i] to the dot product of word ids[i]'s vector in vecs
// with y (0 for an id below 0).
func dotCol(vecs []int8, ids []ID, y []int8, out []int32) {
	out = out[:len(ids)]
	if !hasAVX2 {
		dotColGo(vecs, ids, y, out)
		return
	}
	n := ID(len(vecs) / Dim)
	for _, id := range ids {
		if id >= n {
			panic("semantic: word id out of range")
		}
	}
	if len(ids) > 0 {
		_ = y[Dim-1]
		dotCol100AVX2(&vecs[0], &ids[0], len(ids), &y[0], &out[0])
	}
}

// addScaled adds x[i] * s to v[i] for Dim components.
func addScaled(v *[Dim]float32, x []int8, s float32) {
	if hasAVX2 {
		_ = x[Dim-1]
		addTo100AVX2(&v[0], &x[0], s)
		return
	}
	addScaledGo(v, x, s)
}

// dotVec is dot(x, y) for two vectors of Dim components.
func dotVec(x, y []int8) int32 {
	if hasAVX2 {
		_, _ = x[Dim-1], y[Dim-1]
		return dot100AVX2(&x[0], &y[0])
	}
	return dot(x, y)
}
