package heuristic

import (
	"slices"
	"testing"
)

// TestDialectFunctionWordsHaveNoRarity: a dialect's forms of function
// words (dialectFunctionWords) leave the delivery model's rarity where
// the standard forms, stopwords, leave it.
func TestDialectFunctionWordsHaveNoRarity(t *testing.T) {
	k := slices.Index(DeliveryFeatures, "rarity")
	rarity := func(text string) float64 {
		_, _, af := readAnswer(text)
		_, st := New().delivery(af, nil)
		return st.x[k]
	}
	for _, p := range [][2]string{
		{"I came from the depot and there was no parcel, so I phoned the driver.",
			"I came fae the depot and there wis nae parcel, so I phoned the driver."},
		{"She didn't know about the refund and she was going to cancel her contract.",
			"She dinnae know aboot the refund and she was gon cancel her contract."},
		{"They weren't answering the phone and it was a mess that morning.",
			"They ain't answering the phone and it was a mess that morning, innit."},
	} {
		if a, b := rarity(p[0]), rarity(p[1]); a != b {
			t.Errorf("rarity %.4f for %q, %.4f for %q", a, p[0], b, p[1])
		}
	}
}
