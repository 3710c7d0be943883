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
	bias: 0.540,
	w: [nX]float64{
		xBest:          0.112,
		xSecond:        0.125,
		xFacet:         0.426,
		xTopic:         0.035,
		xSupport:       -0.130,
		xSubstance:     0.071,
		xHedged:        0.130,
		xGeneric:       0.035,
		xSpecificity:   0.133,
		xNotParticular: -0.018,
		xResultGeneric: -0.438,
		xLength:        0.965,
		xTop3:          0.011,
		xFacetConcrete: -0.139,
		xFacetUnits:    0.264,
	},
}

// Thresholds on the model's score, fitted with the weights.
const (
	coverageCovered = 1.38
	coveragePartial = 1.06
)
