//go:build !amd64 || purego

package semantic

// dotVec is dot(x, y) for two vectors of Dim components.
func dotVec(x, y []int8) int32 { return dot(x, y) }

// addScaled adds x[i] * s to v[i] for Dim components.
func addScaled(v *[Dim]float32, x []int8, s float32) { addScaledGo(v, x, s) }
