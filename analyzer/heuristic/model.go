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
	bias: 0.526,
	w: [nX]float64{
		xBest:          0.140,
		xSecond:        0.100,
		xFacet:         0.423,
		xTopic:         0.004,
		xSupport:       -0.124,
		xSubstance:     0.082,
		xHedged:        0.134,
		xGeneric:       0.048,
		xSpecificity:   0.138,
		xNotParticular: -0.019,
		xResultGeneric: -0.420,
		xLength:        0.956,
		xTop3:          0.023,
		xFacetConcrete: -0.129,
		xFacetUnits:    0.241,
	},
}

// Thresholds on the model's score, fitted with the weights.
const (
	coverageCovered = 1.50
	coveragePartial = 1.02
)
