// Package model holds the embedded engine's learned decisions: logistic
// regression for yes/no questions (is this sentence the area's evidence?
// does this argument make this key point?) and a cumulative-logit ordinal
// model for an area's status (missing < partial < covered). Both are fitted
// by Newton's method with an L2 penalty on standardised features, so a fit
// is deterministic: the same rows give the same weights, bit for bit.
//
// The engine only predicts; fitting is done by the training command
// (analyzer/heuristic/train), whose output is the embedded weights file.
package model

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// Linear is a fitted linear score over named features: Score(x) =
// Bias + sum_i W[i] * (x[i]-Mean[i])/Scale[i].
type Linear struct {
	Features []string  `json:"features"`
	Mean     []float64 `json:"mean"`
	Scale    []float64 `json:"scale"`
	W        []float64 `json:"weights"`
	Bias     float64   `json:"bias"`
}

// Check reports a model whose shape does not fit its feature list.
func (m *Linear) Check(features []string) error {
	if len(m.Features) != len(features) {
		return fmt.Errorf("model has %d features, engine computes %d", len(m.Features), len(features))
	}
	for i, f := range features {
		if m.Features[i] != f {
			return fmt.Errorf("feature %d is %q in the model, %q in the engine", i, m.Features[i], f)
		}
	}
	if len(m.Mean) != len(features) || len(m.Scale) != len(features) || len(m.W) != len(features) {
		return errors.New("model vectors differ in length from its feature list")
	}
	return nil
}

// Score is the model's linear score for x.
func (m *Linear) Score(x []float64) float64 {
	s := m.Bias
	// Sliced to x's length once, so the loop checks no bounds.
	w, mean, scale := m.W[:len(x)], m.Mean[:len(x)], m.Scale[:len(x)]
	for i, v := range x {
		s += w[i] * (v - mean[i]) / scale[i]
	}
	return s
}

// Contributions returns each feature's share of Score (weight times
// standardised value): what moved a decision, for explanations.
func (m *Linear) Contributions(x []float64) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = m.W[i] * (v - m.Mean[i]) / m.Scale[i]
	}
	return out
}

// Sigmoid is the logistic function.
func Sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// Logistic is a fitted logistic regression: P(y=1|x) = Sigmoid(Score(x)).
type Logistic struct {
	Linear
}

// Prob is P(y=1|x).
func (m *Logistic) Prob(x []float64) float64 { return Sigmoid(m.Score(x)) }

// Ordinal is a fitted cumulative-logit model over K ordered classes:
// P(y >= k | x) = Sigmoid(Score(x) - Cuts[k-1]) for k = 1..K-1. Decide maps
// the score to a class by Thresholds (chosen for agreement, not
// probability), so decisions and probabilities are both available.
type Ordinal struct {
	Linear
	Cuts []float64 `json:"cuts"`
	// Thresholds on Score that decide the class: class k when
	// Score >= Thresholds[k-1] and < Thresholds[k].
	Thresholds []float64 `json:"thresholds"`
}

// AtLeast returns P(y >= k | x) for k = 1..K-1.
func (m *Ordinal) AtLeast(score float64, k int) float64 {
	return Sigmoid(score - m.Cuts[k-1])
}

// Decide returns the class for a score.
func (m *Ordinal) Decide(score float64) int {
	c := 0
	for _, t := range m.Thresholds {
		if score >= t {
			c++
		}
	}
	return c
}

// Curve is a monotone map from a score to another scale, fitted by
// isotonic regression (fit.Isotonic): Y[i] at X[i], linear between knots,
// flat beyond the first and the last. X and Y are both increasing.
type Curve struct {
	X []float64 `json:"x"`
	Y []float64 `json:"y"`
}

// Check reports a curve that is not a monotone map.
func (c *Curve) Check() error {
	if len(c.X) == 0 || len(c.X) != len(c.Y) {
		return errors.New("curve has no knots, or its x and y differ in length")
	}
	for i := 1; i < len(c.X); i++ {
		if c.X[i] <= c.X[i-1] || c.Y[i] < c.Y[i-1] {
			return fmt.Errorf("curve knot %d does not follow knot %d upwards", i, i-1)
		}
	}
	return nil
}

// At is the curve's value at s.
func (c *Curve) At(s float64) float64 {
	n := len(c.X)
	switch {
	case s <= c.X[0]:
		return c.Y[0]
	case s >= c.X[n-1]:
		return c.Y[n-1]
	}
	// The first knot above s; s lies between knots i-1 and i.
	i := sort.Search(n, func(k int) bool { return c.X[k] > s })
	t := (s - c.X[i-1]) / (c.X[i] - c.X[i-1])
	return c.Y[i-1] + t*(c.Y[i]-c.Y[i-1])
}

// Shrink pulls a value towards the mean of its class: Centers[k] +
// Factor*(v - Centers[k]). A factor of 1 leaves every value as it is, 0
// gives every member of a class its class's mean; in between it keeps the
// order within a class and narrows its spread.
type Shrink struct {
	Centers []float64 `json:"centers"`
	Factor  float64   `json:"factor"`
}

// Check reports a shrink that does not fit k classes or whose factor is
// outside [0, 1].
func (s *Shrink) Check(k int) error {
	if len(s.Centers) != k {
		return fmt.Errorf("shrink has %d class centres, want %d", len(s.Centers), k)
	}
	if s.Factor < 0 || s.Factor > 1 || math.IsNaN(s.Factor) {
		return fmt.Errorf("shrink factor %v outside [0, 1]", s.Factor)
	}
	return nil
}

// Apply shrinks v, a value of class k, towards the class's centre.
func (s *Shrink) Apply(k int, v float64) float64 {
	return s.Centers[k] + s.Factor*(v-s.Centers[k])
}
