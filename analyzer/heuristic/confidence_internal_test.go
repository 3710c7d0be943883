package heuristic

import (
	"math"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
)

// TestNearestThreshold: the distance to the nearest of the delivery
// model's thresholds, and the label across it.
func TestNearestThreshold(t *testing.T) {
	th := []float64{-2, 1.5}
	for _, c := range []struct {
		s     float64
		dist  float64
		other int
	}{
		{-5, 3, 1},     // rehearsed, far below the first: mixed across it
		{-2.5, 0.5, 1}, // rehearsed, just below
		{-2, 0, 0},     // on the first threshold: mixed (Decide), rehearsed across
		{-1, 1, 0},     // mixed, nearer the first
		{1, 0.5, 2},    // mixed, nearer the second
		{1.5, 0, 1},    // on the second: specific, mixed across
		{4, 2.5, 1},    // specific
	} {
		d, o := nearestThreshold(c.s, th)
		if math.Abs(d-c.dist) > 1e-12 || o != c.other {
			t.Errorf("score %g: distance %g, other class %d; want %g, %d", c.s, d, o, c.dist, c.other)
		}
	}
}

// TestLabelConfidence: the committed weights' label confidence rises with
// the distance from the boundary, stays within (0, 1), and the report
// gives it with the label across the nearest boundary, adjacent to its
// own.
func TestLabelConfidence(t *testing.T) {
	w, err := loadWeights()
	if err != nil {
		t.Fatal(err)
	}
	if w.DeliveryConfidence == nil {
		t.Fatal("the weights carry no delivery_confidence")
	}
	prev := 0.0
	for _, d := range []float64{0, 0.25, 0.5, 1, 2, 4, 8} {
		p := w.DeliveryConfidence.Prob(DeliveryConfidenceX(d))
		if p <= 0 || p >= 1 || p < prev {
			t.Errorf("confidence %g at distance %g (previous %g): want rising, within (0, 1)", p, d, prev)
		}
		prev = p
	}
	if lo := w.DeliveryConfidence.Prob(DeliveryConfidenceX(0)); lo >= analyzer.BorderlineConfidence {
		t.Errorf("a label on the boundary has confidence %g, want it borderline (< %g)", lo, analyzer.BorderlineConfidence)
	}
	rank := map[string]int{analyzer.LabelRehearsed: 0, analyzer.LabelMixed: 1, analyzer.LabelSpecific: 2}
	x := make([]float64, len(DeliveryFeatures))
	seen := map[string]bool{}
	for _, shift := range []float64{-6, -3, -1, 0, 1, 3, 6} {
		// Feature vectors along the model's own direction: scores from
		// far below the first threshold to far above the second.
		for j := range x {
			x[j] = w.Delivery.Mean[j] + shift*w.Delivery.Scale[j]*math.Copysign(1, w.Delivery.W[j])/4
		}
		var d analyzer.Delivery
		learnedDelivery(w, &d, x, false)
		if d.LabelConfidence <= 0 || d.LabelConfidence > 1 {
			t.Errorf("shift %g: label confidence %g", shift, d.LabelConfidence)
		}
		if diff := rank[d.Label] - rank[d.NearLabel]; diff != 1 && diff != -1 {
			t.Errorf("shift %g: label %s, near label %q: not adjacent", shift, d.Label, d.NearLabel)
		}
		seen[d.Label] = true
		var ruled analyzer.Delivery
		learnedDelivery(w, &ruled, x, true)
		if d.Label == analyzer.LabelSpecific && (ruled.Label != analyzer.LabelMixed || ruled.LabelConfidence != 0 || ruled.NearLabel != "") {
			t.Errorf("shift %g: the we-story rule's label %s claims confidence %g, near %q", shift, ruled.Label, ruled.LabelConfidence, ruled.NearLabel)
		}
	}
	if len(seen) != 3 {
		t.Errorf("labels read along the model's direction: %v, want all three", seen)
	}
}

// The embedded weights decode only with two increasing delivery
// thresholds and a label confidence that reads the features the engine
// computes and rises with the distance from the thresholds.
func TestDecodeWeightsRefusesBadDelivery(t *testing.T) {
	for name, tc := range map[string]struct {
		mend func(raw map[string]any)
		want string
	}{
		"three thresholds": {func(raw map[string]any) {
			raw["delivery"].(map[string]any)["thresholds"] = []any{-2.0, 0.0, 1.5}
		}, "want 2 increasing"},
		"falling thresholds": {func(raw map[string]any) {
			raw["delivery"].(map[string]any)["thresholds"] = []any{1.5, -2.0}
		}, "want 2 increasing"},
		"falling confidence": {func(raw map[string]any) {
			raw["delivery_confidence"].(map[string]any)["weights"] = []any{-1.0, -1.0}
		}, "does not rise"},
		"a confidence feature missing": {func(raw map[string]any) {
			c := raw["delivery_confidence"].(map[string]any)
			for _, k := range []string{"features", "mean", "scale", "weights"} {
				c[k] = c[k].([]any)[:1]
			}
		}, "delivery_confidence model"},
	} {
		if err := decodeMended(t, tc.mend); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: DecodeWeights gave %v, want an error saying %q", name, err, tc.want)
		}
	}
	if _, err := DecodeWeights(weightsJSON); err != nil {
		t.Errorf("the embedded weights: %v", err)
	}
}
