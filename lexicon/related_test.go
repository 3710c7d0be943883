package lexicon

import (
	"strings"
	"testing"
)

// Related gives exactly SimilarityOf's numbers, for a list of lemmas
// against every fifth lemma of the table.
func TestRelatedMatchesSimilarityOf(t *testing.T) {
	var entries []int32
	for _, w := range strings.Fields(`customer angry upset calm listen apologise apologize refund manager
		emotion feeling frustration frustrate scared anxious voice shake cry outcome result lesson learn
		follow_up stakeholder policy rule approach action change decision pressure situation experience
		zzqxv happy sad worried complaint service call phone bill account problem fix solve explain`) {
		entries = append(entries, Index(w))
	}
	r := NewRelated(entries)
	t0 := get()
	code := make([]uint8, len(entries))
	seen := map[float32]int{}
	for j := int32(-1); j < int32(t0.words.Len()); j += 5 {
		r.Row(j, code)
		for k, e := range entries {
			if e == j && e >= 0 {
				continue // one lemma: the caller's case
			}
			if got, want := Weight(code[k]), float32(SimilarityOf(e, j)); got != want {
				t.Fatalf("%q x %d: %v, SimilarityOf %v", t0.words.At(int(max(e, 0))), j, got, want)
			}
			seen[Weight(code[k])]++
		}
	}
	for _, l := range levelWeight {
		if seen[float32(l)] == 0 {
			t.Errorf("no pair related at weight %v: the test reaches too little", l)
		}
	}
}
