//go:build !amd64 || purego

package semantic

// dotVec is dot(x, y) for two vectors of Dim components.
func dotVec(x, y []int8) int32 { return dot(x, y) }
