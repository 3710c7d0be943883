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
	bias: 0.530,
	w: [nX]float64{
		xBest:          0.057,
		xSecond:        0.065,
		xFacet:         0.502,
		xTopic:         0.081,
		xSupport:       -0.104,
		xSubstance:     0.056,
		xHedged:        0.130,
		xGeneric:       0.049,
		xSpecificity:   0.163,
		xNotParticular: 0.047,
		xResultGeneric: -0.481,
		xLength:        0.973,
		xTop3:          -0.029,
		xFacetConcrete: -0.167,
		xFacetUnits:    0.259,
	},
}

// Thresholds on the model's score, fitted with the weights.
const (
	coverageCovered = 1.48
	coveragePartial = 1.02
)
