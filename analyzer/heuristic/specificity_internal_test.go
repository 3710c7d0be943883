package heuristic

import (
	"testing"

	"github.com/candorhq/candor/analyzer/heuristic/model"
)

// The specificity always sits in the band of the label the thresholds
// decide, and never falls as the score rises, with the embedded curve and
// without one.
func TestSpecificityAgreesWithLabel(t *testing.T) {
	w, err := loadWeights()
	if err != nil {
		t.Fatal(err)
	}
	if w.Delivery == nil || w.Specificity == nil {
		t.Fatal("the embedded weights carry no delivery model or no specificity curve")
	}
	band := [3][2]int{{0, 25}, {26, 59}, {60, 100}}
	for _, curve := range []*model.Curve{w.Specificity, nil} {
		prev := -1
		for s := -12.0; s <= 12; s += 0.01 {
			got := specificityOf(s, w.Delivery.Thresholds, curve)
			b := band[w.Delivery.Decide(s)]
			if got < b[0] || got > b[1] {
				t.Fatalf("score %.2f (curve %v): specificity %d outside its label's band %v", s, curve != nil, got, b)
			}
			if got < prev {
				t.Fatalf("score %.2f (curve %v): specificity %d below %d at a lower score", s, curve != nil, got, prev)
			}
			prev = got
		}
	}
	// The curve is the labellers' scale: deep in a band it gives their
	// band's typical values (dev README: specific 78-90, rehearsed 8-15),
	// not the ends of the 0..100 scale.
	if hi := specificityOf(12, w.Delivery.Thresholds, w.Specificity); hi > 92 {
		t.Errorf("a very high score gives %d, above the labelled specific answers' range", hi)
	}
	if lo := specificityOf(-12, w.Delivery.Thresholds, w.Specificity); lo < 5 {
		t.Errorf("a very low score gives %d, below the labelled rehearsed answers' range", lo)
	}
}
