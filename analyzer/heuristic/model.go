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
	bias: 0.450,
	w: [nX]float64{
		xBest:          0.240,
		xSecond:        0.115,
		xFacet:         0.396,
		xTopic:         -0.023,
		xSupport:       -0.229,
		xSubstance:     0.053,
		xHedged:        0.173,
		xGeneric:       0.128,
		xSpecificity:   0.218,
		xNotParticular: 0.011,
		xResultGeneric: -0.428,
		xLength:        0.910,
		xTop3:          -0.014,
		xFacetConcrete: -0.025,
		xFacetUnits:    0.331,
	},
}

// Thresholds on the model's score, fitted with the weights.
const (
	coverageCovered = 1.46
	coveragePartial = 0.92
)
