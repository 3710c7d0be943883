// Package fit fits the models of package model. Only the training command
// and tests use it; the engine predicts with package model alone.
//
// Fits minimise the negative log-likelihood plus an L2 penalty on the
// weights (not the bias or cut-points) over standardised features with
// BFGS from a fixed start (zero; -3 for a weight OrdinalMonotone holds),
// so they are deterministic.
package fit

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"gonum.org/v1/gonum/optimize"

	"github.com/candorhq/candor/analyzer/heuristic/model"
)

// Logistic fits P(y=1|x) with penalty lambda (per row: the penalty is
// lambda * |w|^2 / 2 against the mean log-loss). Row weights sw may be nil.
func Logistic(features []string, X [][]float64, y []bool, sw []float64, lambda float64) (*model.Logistic, error) {
	if len(X) == 0 || len(X) != len(y) {
		return nil, errors.New("fit: no rows, or rows and labels differ in number")
	}
	d := len(features)
	mean, scale := standardise(X)
	Z := standardised(X, mean, scale)
	wsum := 0.0
	for i := range y {
		wsum += rowWeight(sw, i)
	}
	f := func(p []float64) float64 {
		loss := 0.0
		for i, z := range Z {
			s := p[d]
			for j, v := range z {
				s += p[j] * v
			}
			loss += rowWeight(sw, i) * logLoss(s, y[i])
		}
		return loss/wsum + penalty(p[:d], lambda)
	}
	g := func(grad, p []float64) {
		for j := range grad {
			grad[j] = 0
		}
		for i, z := range Z {
			s := p[d]
			for j, v := range z {
				s += p[j] * v
			}
			r := model.Sigmoid(s)
			if y[i] {
				r -= 1
			}
			r *= rowWeight(sw, i) / wsum
			for j, v := range z {
				grad[j] += r * v
			}
			grad[d] += r
		}
		for j := 0; j < d; j++ {
			grad[j] += lambda * p[j]
		}
	}
	p, err := minimise(f, g, make([]float64, d+1))
	if err != nil {
		return nil, err
	}
	return &model.Logistic{Linear: model.Linear{Features: features, Mean: mean, Scale: scale, W: p[:d], Bias: p[d]}}, nil
}

// Ordinal fits a cumulative-logit model over classes 0..k-1; row weights
// sw may be nil.
func Ordinal(features []string, X [][]float64, y []int, sw []float64, k int, lambda float64) (*model.Ordinal, error) {
	return OrdinalMonotone(features, X, y, sw, k, lambda, nil)
}

// OrdinalMonotone is Ordinal with the weight of every feature that
// rising[j] names held at zero or above: the score never falls as such a
// feature rises (a shape the model is given, not one it may learn from a
// handful of rows). rising may be nil (no feature held).
func OrdinalMonotone(features []string, X [][]float64, y []int, sw []float64, k int, lambda float64, rising []bool) (*model.Ordinal, error) {
	if rising != nil && len(rising) != len(features) {
		return nil, fmt.Errorf("fit: %d monotone marks for %d features", len(rising), len(features))
	}
	if len(X) == 0 || len(X) != len(y) || k < 2 {
		return nil, errors.New("fit: no rows, rows and labels differ in number, or fewer than two classes")
	}
	for _, c := range y {
		if c < 0 || c >= k {
			return nil, fmt.Errorf("fit: class %d outside 0..%d", c, k-1)
		}
	}
	d := len(features)
	mean, scale := standardise(X)
	Z := standardised(X, mean, scale)
	n := 0.0
	for i := range X {
		n += rowWeight(sw, i)
	}
	// Cut-points are kept ordered by parametrising them as c1 and positive
	// gaps exp(g).
	cuts := func(p []float64) []float64 {
		c := make([]float64, k-1)
		c[0] = p[d]
		for j := 1; j < k-1; j++ {
			c[j] = c[j-1] + math.Exp(p[d+j])
		}
		return c
	}
	// A held weight is softplus(u) of its free parameter u (so at least
	// 0), the others the parameter itself.
	wts := make([]float64, d)
	weights := func(p []float64) []float64 {
		for j := range d {
			wts[j] = p[j]
			if rising != nil && rising[j] {
				wts[j] = softplus(p[j])
			}
		}
		return wts
	}
	nll := func(p []float64) float64 {
		c := cuts(p)
		w := weights(p)
		loss := 0.0
		for i, z := range Z {
			s := 0.0
			for j, v := range z {
				s += w[j] * v
			}
			loss -= rowWeight(sw, i) * math.Log(max(classProb(s, c, y[i]), 1e-300))
		}
		return loss/n + penalty(w, lambda)
	}
	g := func(grad, p []float64) {
		numGrad(nll, grad, p)
	}
	init := make([]float64, d+k-1)
	for j := range d {
		if rising != nil && rising[j] {
			init[j] = -3 // a held weight starts near 0 (softplus(-3) = 0.049)
		}
	}
	p, err := minimise(nll, g, init)
	if err != nil {
		return nil, err
	}
	w := append([]float64(nil), weights(p)...)
	return &model.Ordinal{Linear: model.Linear{Features: features, Mean: mean, Scale: scale, W: w}, Cuts: cuts(p)}, nil
}

// softplus is log(1 + e^u), computed stably.
func softplus(u float64) float64 {
	if u > 30 {
		return u
	}
	return math.Log1p(math.Exp(u))
}

// classProb is P(y=c) under the cumulative logit with score s.
func classProb(s float64, cuts []float64, c int) float64 {
	up := 1.0
	if c > 0 {
		up = model.Sigmoid(s - cuts[c-1])
	}
	lo := 0.0
	if c < len(cuts) {
		lo = model.Sigmoid(s - cuts[c])
	}
	return up - lo
}

// numGrad is a central-difference gradient: the ordinal likelihood's
// analytic gradient buys nothing at these sizes.
func numGrad(f func([]float64) float64, grad, p []float64) {
	q := append([]float64(nil), p...)
	for j := range p {
		h := 1e-6 * max(1, math.Abs(p[j]))
		q[j] = p[j] + h
		a := f(q)
		q[j] = p[j] - h
		b := f(q)
		q[j] = p[j]
		grad[j] = (a - b) / (2 * h)
	}
}

func minimise(f func([]float64) float64, g func([]float64, []float64), init []float64) ([]float64, error) {
	prob := optimize.Problem{Func: f, Grad: g}
	res, err := optimize.Minimize(prob, init, &optimize.Settings{GradientThreshold: 1e-7, MajorIterations: 2000}, &optimize.BFGS{})
	if err != nil && res == nil {
		return nil, fmt.Errorf("fit: %w", err)
	}
	return res.X, nil
}

func logLoss(s float64, y bool) float64 {
	// log(1+exp(-s)) for y, log(1+exp(s)) otherwise, computed stably.
	if !y {
		s = -s
	}
	if s > 0 {
		return math.Log1p(math.Exp(-s))
	}
	return -s + math.Log1p(math.Exp(s))
}

func penalty(w []float64, lambda float64) float64 {
	s := 0.0
	for _, v := range w {
		s += v * v
	}
	return lambda * s / 2
}

func rowWeight(sw []float64, i int) float64 {
	if sw == nil {
		return 1
	}
	return sw[i]
}

func standardise(X [][]float64) (mean, scale []float64) {
	d := len(X[0])
	mean, scale = make([]float64, d), make([]float64, d)
	for _, x := range X {
		for j, v := range x {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(len(X))
	}
	for _, x := range X {
		for j, v := range x {
			scale[j] += (v - mean[j]) * (v - mean[j])
		}
	}
	for j := range scale {
		scale[j] = math.Sqrt(scale[j] / float64(len(X)))
		if scale[j] < 1e-9 {
			scale[j] = 1
		}
	}
	return mean, scale
}

func standardised(X [][]float64, mean, scale []float64) [][]float64 {
	Z := make([][]float64, len(X))
	for i, x := range X {
		z := make([]float64, len(x))
		for j, v := range x {
			z[j] = (v - mean[j]) / scale[j]
		}
		Z[i] = z
	}
	return Z
}

// QWK is Cohen's quadratically weighted kappa of two ratings over classes
// 0..k-1.
func QWK(a, b []int, k int) float64 {
	if len(a) == 0 {
		return 0
	}
	obs := make([][]float64, k)
	for i := range obs {
		obs[i] = make([]float64, k)
	}
	ha, hb := make([]float64, k), make([]float64, k)
	for i := range a {
		obs[a[i]][b[i]]++
		ha[a[i]]++
		hb[b[i]]++
	}
	n := float64(len(a))
	num, den := 0.0, 0.0
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			wt := float64((i-j)*(i-j)) / float64((k-1)*(k-1))
			num += wt * obs[i][j]
			den += wt * ha[i] * hb[j] / n
		}
	}
	if den == 0 {
		return 1
	}
	return 1 - num/den
}

// Thresholds chooses the k-1 cut-offs on scores that maximise QWK against
// y on the rows given (candidates: midpoints between sorted scores, thinned
// to at most 200), searched exhaustively for k = 3.
func Thresholds(scores []float64, y []int, k int) []float64 {
	s := append([]float64(nil), scores...)
	sort.Float64s(s)
	var cand []float64
	step := max(1, len(s)/200)
	for i := step; i < len(s); i += step {
		cand = append(cand, (s[i-1]+s[i])/2)
	}
	if len(cand) == 0 || k != 3 {
		return nil
	}
	best, bt := -2.0, []float64{cand[0], cand[0]}
	pred := make([]int, len(scores))
	for i, lo := range cand {
		for _, hi := range cand[i:] {
			for r, v := range scores {
				c := 0
				if v >= lo {
					c++
				}
				if v >= hi {
					c++
				}
				pred[r] = c
			}
			if q := QWK(y, pred, k); q > best {
				best, bt = q, []float64{lo, hi}
			}
		}
	}
	return bt
}

// OrdinalDecider fits an ordinal model over three classes and sets its
// decision thresholds to those that maximise QWK on the same rows; rising
// is OrdinalMonotone's (nil: no feature held).
func OrdinalDecider(features []string, X [][]float64, y []int, lambda float64, rising []bool) (*model.Ordinal, error) {
	m, err := OrdinalMonotone(features, X, y, nil, 3, lambda, rising)
	if err != nil {
		return nil, err
	}
	scores := make([]float64, len(X))
	for i, x := range X {
		scores[i] = m.Score(x)
	}
	m.Thresholds = Thresholds(scores, y, 3)
	return m, nil
}

// Choice fits a conditional logit model: each group is one decision among
// its rows (alternatives, each with its own features) and a reference
// alternative "none" whose score is 0; chosen[i] is the index of group i's
// chosen row, or -1 for none. P(row k) = exp(s_k) / (1 + sum_j exp(s_j)),
// s = Bias + w . z over standardised features, so Bias is the standing
// preference of any row over none. The penalty is lambda * |w|^2 / 2 against
// the mean log-loss per group.
func Choice(features []string, groups [][][]float64, chosen []int, lambda float64) (*model.Linear, error) {
	if len(groups) == 0 || len(groups) != len(chosen) {
		return nil, errors.New("fit: no groups, or groups and choices differ in number")
	}
	var all [][]float64
	for i, g := range groups {
		if chosen[i] < -1 || chosen[i] >= len(g) {
			return nil, fmt.Errorf("fit: group %d chose row %d of %d", i, chosen[i], len(g))
		}
		all = append(all, g...)
	}
	if len(all) == 0 {
		return nil, errors.New("fit: no rows")
	}
	d := len(features)
	mean, scale := standardise(all)
	Z := make([][][]float64, len(groups))
	for i, g := range groups {
		Z[i] = standardised(g, mean, scale)
	}
	n := float64(len(groups))
	s := []float64{}
	// probs fills s with each row's score and returns log(1 + sum exp(s)).
	probs := func(p []float64, z [][]float64) float64 {
		s = s[:0]
		mx := 0.0
		for _, row := range z {
			v := p[d]
			for j, x := range row {
				v += p[j] * x
			}
			s = append(s, v)
			mx = max(mx, v)
		}
		sum := math.Exp(-mx)
		for _, v := range s {
			sum += math.Exp(v - mx)
		}
		return mx + math.Log(sum)
	}
	f := func(p []float64) float64 {
		loss := 0.0
		for i, z := range Z {
			lse := probs(p, z)
			loss += lse
			if c := chosen[i]; c >= 0 {
				loss -= s[c]
			}
		}
		return loss/n + penalty(p[:d], lambda)
	}
	g := func(grad, p []float64) {
		for j := range grad {
			grad[j] = 0
		}
		for i, z := range Z {
			lse := probs(p, z)
			for k, row := range z {
				r := math.Exp(s[k] - lse)
				if k == chosen[i] {
					r -= 1
				}
				r /= n
				for j, x := range row {
					grad[j] += r * x
				}
				grad[d] += r
			}
		}
		for j := 0; j < d; j++ {
			grad[j] += lambda * p[j]
		}
	}
	p, err := minimise(f, g, make([]float64, d+1))
	if err != nil {
		return nil, err
	}
	return &model.Linear{Features: features, Mean: mean, Scale: scale, W: p[:d], Bias: p[d]}, nil
}

// Columns returns the indices in features of the comma-separated names (a
// training command's list of features to leave out, for ablations); an
// empty list gives none.
func Columns(features []string, names string) ([]int, error) {
	var out []int
	for _, name := range strings.Split(names, ",") {
		if name == "" {
			continue
		}
		k := slices.Index(features, name)
		if k < 0 {
			return nil, fmt.Errorf("no feature %q", name)
		}
		out = append(out, k)
	}
	return out, nil
}

// Isotonic fits the increasing function of x that is closest to y in
// squared error (pool adjacent violators; rows with equal x are pooled
// first) and returns it as a curve whose knots are the fitted blocks:
// each block's mean x and its fitted value. Blocks whose fitted values
// tie are one knot, so the curve rises strictly between knots.
func Isotonic(x, y []float64) (*model.Curve, error) {
	if len(x) == 0 || len(x) != len(y) {
		return nil, errors.New("fit: no rows, or x and y differ in number")
	}
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	type block struct{ sx, sy, n float64 }
	var bs []block
	for k, i := range idx {
		if k > 0 && x[i] == x[idx[k-1]] {
			b := &bs[len(bs)-1]
			b.sx, b.sy, b.n = b.sx+x[i], b.sy+y[i], b.n+1
		} else {
			bs = append(bs, block{x[i], y[i], 1})
		}
		// Pool while the last block's mean is not above the one before.
		for len(bs) > 1 {
			a, b := bs[len(bs)-2], bs[len(bs)-1]
			if a.sy/a.n < b.sy/b.n {
				break
			}
			bs = append(bs[:len(bs)-2], block{a.sx + b.sx, a.sy + b.sy, a.n + b.n})
		}
	}
	c := &model.Curve{}
	for _, b := range bs {
		c.X = append(c.X, b.sx/b.n)
		c.Y = append(c.Y, b.sy/b.n)
	}
	return c, nil
}
