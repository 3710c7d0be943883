//go:build !amd64 || purego

package semantic

// dotVec is dot(x, y) for two vectors of Dim components.
func dotVec(x, y []int8) int32 { return dot(x, y) }

// addScaled adds x[i] * s to v[i] for Dim components.
func addScaled(v *[Dim]float32, x []int8, s float32) { addScaledGo(v, x, s) }

// dotCol sets out[i] to the dot product of word ids[i]'s vector in vecs
// with y (0 for an id below 0).
func dotCol(vecs []int8, ids []ID, y []int8, out []int32) { dotColGo(vecs, ids, y, out[:len(ids)]) }
