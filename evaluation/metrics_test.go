package evaluation_test

import (
	"math"
	"testing"

	"github.com/candorhq/candor/evaluation"
)

// The expected values come from shared/eval/score.py's own functions (qwk,
// macro_f1, spearman, auc, ranks) run on the same inputs, and from exact
// enumeration for Fisher's test.

func near(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) < 1e-9
}

func TestQWK(t *testing.T) {
	tests := []struct {
		name       string
		gold, pred []int
		want       float64
	}{
		{"perfect", []int{0, 1, 2, 2}, []int{0, 1, 2, 2}, 1},
		{"off by one", []int{0, 0, 1, 1, 2, 2}, []int{0, 1, 1, 2, 2, 2}, 0.75},
		{"worse than chance", []int{2, 1, 0, 2, 1}, []int{0, 1, 2, 2, 0}, -0.2857142857142856},
		{"empty", nil, nil, math.NaN()},
		{"one category only", []int{2, 2}, []int{2, 2}, math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := evaluation.QWK(tt.gold, tt.pred, 3); !near(got, tt.want) {
				t.Errorf("QWK = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLabelMetrics(t *testing.T) {
	gold := []string{"specific", "mixed", "rehearsed", "mixed", "specific"}
	pred := []string{"specific", "specific", "rehearsed", "mixed", "mixed"}
	if got := evaluation.MacroF1(gold, pred, evaluation.Labels); !near(got, 0.6666666666666666) {
		t.Errorf("MacroF1 = %v", got)
	}
	if got := evaluation.Accuracy(gold, pred); !near(got, 0.6) {
		t.Errorf("Accuracy = %v", got)
	}
	if got := evaluation.F1([]int{2, 1, 0}, []int{0, 0, 0}, 2); got != 0 {
		t.Errorf("F1 with no true positive = %v, want 0", got)
	}
	// Kappa: 3 of 4 agree, chance 0.5 -> 0.5.
	if got := evaluation.Kappa([]string{"a", "a", "b", "b"}, []string{"a", "b", "b", "b"}); !near(got, 0.5) {
		t.Errorf("Kappa = %v, want 0.5", got)
	}
}

func TestRanksSpearmanAUC(t *testing.T) {
	r := evaluation.Ranks([]float64{10, 20, 20, 5, 20})
	want := []float64{2, 4, 4, 1, 4}
	for i := range want {
		if r[i] != want[i] {
			t.Fatalf("Ranks = %v, want %v", r, want)
		}
	}
	if got := evaluation.Spearman([]float64{1, 2, 2, 3, 5}, []float64{2, 1, 3, 3, 9}); !near(got, 0.7631578947368421) {
		t.Errorf("Spearman = %v", got)
	}
	if got := evaluation.Spearman([]float64{1, 2}, []float64{1, 2}); !math.IsNaN(got) {
		t.Errorf("Spearman of 2 pairs = %v, want NaN", got)
	}
	if got := evaluation.AUC([]float64{3, 5, 5}, []float64{1, 5, 6}); !near(got, 0.4444444444444444) {
		t.Errorf("AUC = %v", got)
	}
	if got := evaluation.AUC(nil, []float64{1}); !math.IsNaN(got) {
		t.Errorf("AUC with no positives = %v, want NaN", got)
	}
}

func TestFisherExact(t *testing.T) {
	tests := []struct {
		a, b, c, d int
		want       float64
	}{
		{1, 9, 11, 3, 0.002759456185220083},
		{3, 1, 1, 3, 0.4857142857142857},
		{0, 5, 5, 0, 0.007936507936507936},
		{10, 0, 0, 0, 1},
		{0, 0, 0, 0, 1},
	}
	for _, tt := range tests {
		if got := evaluation.FisherExact(tt.a, tt.b, tt.c, tt.d); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("FisherExact(%d,%d,%d,%d) = %v, want %v", tt.a, tt.b, tt.c, tt.d, got, tt.want)
		}
	}
}

func TestBootstrap(t *testing.T) {
	xs := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	meanOf := func(idx []int) float64 {
		s := 0.0
		for _, i := range idx {
			s += xs[i]
		}
		return s / float64(len(idx))
	}
	a := evaluation.Bootstrap(len(xs), 2000, 7, meanOf)
	b := evaluation.Bootstrap(len(xs), 2000, 7, meanOf)
	if a != b {
		t.Fatalf("same seed, different intervals: %v and %v", a, b)
	}
	// The mean is 5.5 with a standard error of about 0.9: the interval
	// holds it and spans roughly +-1.8.
	if !(a.Low < 5.5 && 5.5 < a.High) || a.High-a.Low < 2.5 || a.High-a.Low > 4.5 {
		t.Errorf("interval %v for the mean 5.5 of 1..10", a)
	}
	if c := evaluation.Bootstrap(len(xs), 2000, 8, meanOf); c == a {
		t.Errorf("another seed gave the very same interval %v", c)
	}
	if nan := evaluation.Bootstrap(3, 100, 1, func([]int) float64 { return math.NaN() }); !math.IsNaN(nan.Low) {
		t.Errorf("all-NaN statistic gave %v", nan)
	}
}

func TestQuantileMedian(t *testing.T) {
	if got := evaluation.Quantile([]float64{1, 2, 3, 4}, 0.5); got != 2.5 {
		t.Errorf("Quantile = %v", got)
	}
	if got := evaluation.Median([]float64{3, 1, 2}); got != 2 {
		t.Errorf("Median = %v", got)
	}
}
