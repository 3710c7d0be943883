package heuristic

// coverageModel scores an area from its evidence features (see areaVector).
// The weights were fitted by least squares on Candor's two hand-labelled
// development sets (shared/eval/dev and testdata/eval, 600 area labels;
// script: scripts/fit_coverage.py) over general features only, never words
// of the items, and checked across sets: fitted on one, scored on the other.
var coverageModel = struct {
	bias float64
	w    [nX]float64
}{
	bias: 0.735,
	w: [nX]float64{
		xBest:          0.197,
		xSecond:        0.095,
		xFacet:         0.457,
		xTopic:         -0.025,
		xSupport:       -0.161,
		xSubstance:     0.096,
		xHedged:        0.143,
		xGeneric:       -0.009,
		xSpecificity:   0.102,
		xNotParticular: -0.129,
		xResultGeneric: -0.379,
		xLength:        0.973,
		xTop3:          0.014,
		xFacetConcrete: -0.207,
		xFacetUnits:    0.291,
		xPosition:      -0.388,
	},
}

// Thresholds on the model's score, fitted with the weights.
const (
	coverageCovered = 1.48
	coveragePartial = 0.92
)
