//go:build !purego

package semantic

import "golang.org/x/sys/cpu"

// dot100AVX2 is dot for two vectors of Dim components (dot_amd64.s).
//
//go:noescape
func dot100AVX2(x, y *int8) int32

var hasAVX2 = cpu.X86.HasAVX2

// dotVec is dot(x, y) for two vectors of Dim components.
func dotVec(x, y []int8) int32 {
	if hasAVX2 {
		_, _ = x[Dim-1], y[Dim-1]
		return dot100AVX2(&x[0], &y[0])
	}
	return dot(x, y)
}
