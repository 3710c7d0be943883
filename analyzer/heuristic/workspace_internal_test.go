package heuristic

import "testing"

// TestFloatArena: slices from one arena are zeroed, never overlap, cannot
// grow into one another, and come back zeroed after reset.
func TestFloatArena(t *testing.T) {
	var a floatArena
	for round := range 3 {
		var got [][]float64
		for _, n := range []int{3, 0, arenaChunk - 2, 5, 2 * arenaChunk, 1} {
			s := a.take(n)
			if len(s) != n || cap(s) != n {
				t.Fatalf("round %d: take(%d) has len %d cap %d", round, n, len(s), cap(s))
			}
			for i := range s {
				if s[i] != 0 {
					t.Fatalf("round %d: take(%d)[%d] = %v", round, n, i, s[i])
				}
				s[i] = float64(len(got) + 1)
			}
			got = append(got, s)
		}
		for k, s := range got {
			for i := range s {
				if s[i] != float64(k+1) {
					t.Fatalf("round %d: slice %d overwritten at %d", round, k, i)
				}
			}
		}
		a.reset()
	}
	var none *floatArena
	if s := none.take(4); len(s) != 4 {
		t.Fatalf("nil arena: %d floats", len(s))
	}
}
