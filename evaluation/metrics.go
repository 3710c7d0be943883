package evaluation

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// The metric functions below take plain slices, so they can be used on any
// labels. They follow shared/eval/score.py to the letter (its QWK, F1 with
// 0 when there is no true positive, average ranks for ties, ties counted
// half in the AUC) and return NaN where the figure is undefined (no data, a
// constant input).

// QWK is the quadratic-weighted Cohen's kappa between gold and pred, whose
// values are ordinal categories 0..k-1 (for area statuses: missing 0,
// partial 1, covered 2). It is 1 for perfect agreement, 0 for agreement at
// chance level, negative below it. Values outside 0..k-1 are ignored
// (pairs stay aligned).
func QWK(gold, pred []int, k int) float64 {
	if len(gold) == 0 || len(gold) != len(pred) || k < 2 {
		return math.NaN()
	}
	o := make([][]float64, k)
	for i := range o {
		o[i] = make([]float64, k)
	}
	n := 0.0
	for i := range gold {
		g, p := gold[i], pred[i]
		if g < 0 || g >= k || p < 0 || p >= k {
			continue
		}
		o[g][p]++
		n++
	}
	if n == 0 {
		return math.NaN()
	}
	hg := make([]float64, k)
	hp := make([]float64, k)
	for i := range k {
		for j := range k {
			hg[i] += o[i][j]
			hp[j] += o[i][j]
		}
	}
	var num, den float64
	for i := range k {
		for j := range k {
			w := float64((i-j)*(i-j)) / float64((k-1)*(k-1))
			num += w * o[i][j]
			den += w * hg[i] * hp[j] / n
		}
	}
	if den == 0 {
		return math.NaN()
	}
	return 1 - num/den
}

// Kappa is Cohen's (unweighted) kappa between two raters' categories.
func Kappa[T comparable](a, b []T) float64 {
	if len(a) == 0 || len(a) != len(b) {
		return math.NaN()
	}
	n := float64(len(a))
	ca, cb := map[T]float64{}, map[T]float64{}
	agree := 0.0
	for i := range a {
		ca[a[i]]++
		cb[b[i]]++
		if a[i] == b[i] {
			agree++
		}
	}
	pe := 0.0
	for k, v := range ca {
		pe += v / n * cb[k] / n
	}
	if pe == 1 {
		return math.NaN()
	}
	return (agree/n - pe) / (1 - pe)
}

// Accuracy is the share of positions where gold and pred agree.
func Accuracy[T comparable](gold, pred []T) float64 {
	if len(gold) == 0 || len(gold) != len(pred) {
		return math.NaN()
	}
	ok := 0
	for i := range gold {
		if gold[i] == pred[i] {
			ok++
		}
	}
	return float64(ok) / float64(len(gold))
}

// F1 is the F1 score of the class made of the positive values: 2TP / (2TP
// + FP + FN), and 0 when there is no true positive (as score.py has it).
func F1[T comparable](gold, pred []T, positive ...T) float64 {
	var tp, fp, fn int
	for i := range gold {
		g, p := slices.Contains(positive, gold[i]), slices.Contains(positive, pred[i])
		switch {
		case g && p:
			tp++
		case p:
			fp++
		case g:
			fn++
		}
	}
	if tp == 0 {
		return 0
	}
	return 2 * float64(tp) / float64(2*tp+fp+fn)
}

// MacroF1 is the mean of the per-class F1 over classes.
func MacroF1[T comparable](gold, pred []T, classes []T) float64 {
	if len(gold) == 0 || len(classes) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, c := range classes {
		s += F1(gold, pred, c)
	}
	return s / float64(len(classes))
}

// Ranks returns the 1-based ranks of xs, ties sharing their average rank.
func Ranks(xs []float64) []float64 {
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return xs[order[a]] < xs[order[b]] })
	r := make([]float64, len(xs))
	for i := 0; i < len(order); {
		j := i
		for j+1 < len(order) && xs[order[j+1]] == xs[order[i]] {
			j++
		}
		for k := i; k <= j; k++ {
			r[order[k]] = float64(i+j)/2 + 1
		}
		i = j + 1
	}
	return r
}

// Pearson is the Pearson correlation of a and b.
func Pearson(a, b []float64) float64 {
	if len(a) < 2 || len(a) != len(b) {
		return math.NaN()
	}
	ma, mb := mean(a), mean(b)
	var num, da, db float64
	for i := range a {
		x, y := a[i]-ma, b[i]-mb
		num += x * y
		da += x * x
		db += y * y
	}
	den := math.Sqrt(da * db)
	if den == 0 {
		return math.NaN()
	}
	return num / den
}

// Spearman is the rank correlation of a and b (NaN under 3 pairs).
func Spearman(a, b []float64) float64 {
	if len(a) < 3 || len(a) != len(b) {
		return math.NaN()
	}
	return Pearson(Ranks(a), Ranks(b))
}

// AUC is the probability that a positive scores above a negative, ties
// counting half (the Mann-Whitney U statistic over the pairs).
func AUC(pos, neg []float64) float64 {
	if len(pos) == 0 || len(neg) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, p := range pos {
		for _, n := range neg {
			switch {
			case p > n:
				s++
			case p == n:
				s += 0.5
			}
		}
	}
	return s / float64(len(pos)*len(neg))
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// Median returns the median of xs (NaN when empty).
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// Quantile returns the q-quantile of sorted xs with linear interpolation
// between order statistics (the default of R and NumPy).
func Quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	h := q * float64(len(sorted)-1)
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[i] + (h-lo)*(sorted[i+1]-sorted[i])
}

// Interval is a confidence interval.
type Interval struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// DefaultBootstrap is the number of bootstrap resamples, and BootstrapSeed
// the seed that makes every run's intervals the same.
const (
	DefaultBootstrap = 1000
	BootstrapSeed    = 20240607
)

// Bootstrap returns the percentile 95% interval of stat over reps
// resamples (with replacement) of n units, drawn from a generator seeded
// with seed, so the same call gives the same interval. stat receives the
// indices of one resample (repeats included) and may return NaN for a
// resample where it is undefined; those are left out. The interval is NaN
// when fewer than half of the resamples are defined.
func Bootstrap(n, reps int, seed uint64, stat func(idx []int) float64) Interval {
	return bootstrapMany(n, reps, seed, 1, func(idx []int, out []float64) { out[0] = stat(idx) })[0]
}

// bootstrapMany is Bootstrap for k statistics over the same resamples:
// stats fills out[i] with statistic i of one resample, and each gets the
// interval Bootstrap would give it alone.
func bootstrapMany(n, reps int, seed uint64, k int, stats func(idx []int, out []float64)) []Interval {
	res := make([]Interval, k)
	for i := range res {
		res[i] = Interval{Low: math.NaN(), High: math.NaN()}
	}
	if n == 0 || reps <= 0 {
		return res
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	idx := make([]int, n)
	one := make([]float64, k)
	vals := make([][]float64, k)
	for range reps {
		for i := range idx {
			idx[i] = rng.IntN(n)
		}
		stats(idx, one)
		for i, v := range one {
			if !math.IsNaN(v) {
				vals[i] = append(vals[i], v)
			}
		}
	}
	for i, vs := range vals {
		if len(vs) < reps/2 {
			continue
		}
		slices.Sort(vs)
		res[i] = Interval{Low: Quantile(vs, 0.025), High: Quantile(vs, 0.975)}
	}
	return res
}

// FisherExact returns the two-sided p-value of Fisher's exact test on the
// 2x2 table [[a, b], [c, d]] (for an audit: each group's specific and other
// answers): the probability, with the margins fixed, of a table at most as
// likely as the one observed.
func FisherExact(a, b, c, d int) float64 {
	if a < 0 || b < 0 || c < 0 || d < 0 {
		return math.NaN()
	}
	r1, c1, n := a+b, a+c, a+b+c+d
	if n == 0 {
		return 1
	}
	lo, hi := max(0, r1+c1-n), min(r1, c1)
	logp := func(x int) float64 {
		return lchoose(r1, x) + lchoose(n-r1, c1-x) - lchoose(n, c1)
	}
	obs := logp(a)
	p := 0.0
	for x := lo; x <= hi; x++ {
		if lp := logp(x); lp <= obs+1e-7 {
			p += math.Exp(lp)
		}
	}
	return min(1, p)
}

func lchoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return a - b - c
}
