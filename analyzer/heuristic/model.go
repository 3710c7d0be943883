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
	bias: 0.462,
	w: [nX]float64{
		xBest:          0.310,
		xSecond:        0.086,
		xFacet:         0.326,
		xTopic:         -0.039,
		xSupport:       -0.263,
		xSubstance:     0.077,
		xHedged:        0.156,
		xGeneric:       0.125,
		xSpecificity:   0.198,
		xNotParticular: -0.003,
		xResultGeneric: -0.453,
		xLength:        0.939,
		xTop3:          0.015,
		xFacetConcrete: -0.020,
		xFacetUnits:    0.333,
	},
}

// Thresholds on the model's score, fitted with the weights.
const (
	coverageCovered = 1.46
	coveragePartial = 0.98
)
