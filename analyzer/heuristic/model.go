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
	bias: 0.457,
	w: [nX]float64{
		xBest:          0.243,
		xSecond:        0.128,
		xFacet:         0.398,
		xTopic:         -0.029,
		xSupport:       -0.233,
		xSubstance:     0.058,
		xHedged:        0.180,
		xGeneric:       0.110,
		xSpecificity:   0.199,
		xNotParticular: 0.007,
		xResultGeneric: -0.424,
		xLength:        0.919,
		xTop3:          -0.013,
		xFacetConcrete: -0.035,
		xFacetUnits:    0.333,
	},
}

// Thresholds on the model's score, fitted with the weights.
const (
	coverageCovered = 1.46
	coveragePartial = 0.92
)
