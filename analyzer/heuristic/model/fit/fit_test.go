package fit

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// Logistic recovers the weights of data drawn from a known model.
func TestLogisticRecoversWeights(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var X [][]float64
	var y []bool
	for range 4000 {
		a, b := r.NormFloat64(), r.NormFloat64()
		p := 1 / (1 + math.Exp(-(0.5 + 2*a - 1*b)))
		X = append(X, []float64{a, b})
		y = append(y, r.Float64() < p)
	}
	m, err := Logistic([]string{"a", "b"}, X, y, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Weights are on standardised features; a and b have unit variance.
	wa, wb := m.W[0]/m.Scale[0], m.W[1]/m.Scale[1]
	if math.Abs(wa-2) > 0.25 || math.Abs(wb+1) > 0.2 {
		t.Errorf("weights %.2f %.2f, want about 2 and -1", wa, wb)
	}
	// Deterministic: a second fit gives the same numbers.
	m2, _ := Logistic([]string{"a", "b"}, X, y, nil, 0)
	if m2.W[0] != m.W[0] || m2.Bias != m.Bias {
		t.Error("two fits of the same rows differ")
	}
}

// Ordinal orders its cut-points and ranks rows by their class.
func TestOrdinalOrdersClasses(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var X [][]float64
	var y []int
	for range 1500 {
		a := r.NormFloat64()
		s := 1.5*a + r.NormFloat64()*0.5
		c := 0
		if s > -0.5 {
			c = 1
		}
		if s > 1 {
			c = 2
		}
		X = append(X, []float64{a})
		y = append(y, c)
	}
	m, err := OrdinalDecider([]string{"a"}, X, y, 0.001, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !(m.Cuts[0] < m.Cuts[1]) || m.W[0] <= 0 {
		t.Fatalf("cuts %v weight %v", m.Cuts, m.W)
	}
	pred := make([]int, len(X))
	for i, x := range X {
		pred[i] = m.Decide(m.Score(x))
	}
	if q := QWK(y, pred, 3); q < 0.8 {
		t.Errorf("QWK %.3f on data the model fits, want >= 0.8", q)
	}
}

// TestOrdinalMonotoneHoldsWeights: a feature whose true effect is negative
// gets a negative weight fitted freely and a weight of about zero when
// held rising, while a held feature with a positive effect keeps it.
func TestOrdinalMonotoneHoldsWeights(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var X [][]float64
	var y []int
	for range 1500 {
		a, b := r.NormFloat64(), r.NormFloat64()
		s := 1.5*a - 0.8*b + r.NormFloat64()*0.5
		c := 0
		if s > -0.5 {
			c = 1
		}
		if s > 1 {
			c = 2
		}
		X = append(X, []float64{a, b})
		y = append(y, c)
	}
	free, err := OrdinalMonotone([]string{"a", "b"}, X, y, nil, 3, 0.001, nil)
	if err != nil {
		t.Fatal(err)
	}
	held, err := OrdinalMonotone([]string{"a", "b"}, X, y, nil, 3, 0.001, []bool{true, true})
	if err != nil {
		t.Fatal(err)
	}
	if free.W[1] > -0.5 {
		t.Errorf("free fit: weight of b %v, want clearly negative", free.W[1])
	}
	if held.W[1] < 0 || held.W[1] > 0.01 || held.W[0] < 1 {
		t.Errorf("held fit: weights %v, want a positive and b at about 0", held.W)
	}
	if _, err := OrdinalMonotone([]string{"a", "b"}, X, y, nil, 3, 0.001, []bool{true}); err == nil {
		t.Error("one mark for two features: no error")
	}
}

func TestQWK(t *testing.T) {
	tests := []struct {
		a, b []int
		want float64
	}{
		{[]int{0, 1, 2, 2}, []int{0, 1, 2, 2}, 1},
		{[]int{0, 0, 2, 2}, []int{2, 2, 0, 0}, -1},
		{[]int{0, 1, 2}, []int{1, 1, 1}, 0},
	}
	for _, tc := range tests {
		if got := QWK(tc.a, tc.b, 3); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("QWK(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

// Choice recovers the weights of choices drawn from a known conditional
// logit model, "none" included.
func TestChoiceRecoversWeights(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var groups [][][]float64
	var chosen []int
	for range 3000 {
		var g [][]float64
		w := []float64{1} // exp(score) of "none"
		total := 1.0
		for range 4 {
			a, b := r.NormFloat64(), r.NormFloat64()
			g = append(g, []float64{a, b})
			e := math.Exp(-0.5 + 1.5*a - 1*b)
			w = append(w, e)
			total += e
		}
		u, c := r.Float64()*total, -1
		for k, e := range w {
			if u < e {
				c = k - 1
				break
			}
			u -= e
		}
		groups = append(groups, g)
		chosen = append(chosen, c)
	}
	m, err := Choice([]string{"a", "b"}, groups, chosen, 0)
	if err != nil {
		t.Fatal(err)
	}
	wa, wb := m.W[0]/m.Scale[0], m.W[1]/m.Scale[1]
	bias := m.Bias - m.W[0]*m.Mean[0]/m.Scale[0] - m.W[1]*m.Mean[1]/m.Scale[1]
	if math.Abs(wa-1.5) > 0.15 || math.Abs(wb+1) > 0.15 || math.Abs(bias+0.5) > 0.15 {
		t.Errorf("weights %.2f %.2f bias %.2f, want about 1.5, -1 and -0.5", wa, wb, bias)
	}
	if _, err := Choice([]string{"a", "b"}, groups[:1], []int{7}, 0); err == nil {
		t.Error("a choice beyond the group's rows was accepted")
	}
}

func TestColumns(t *testing.T) {
	features := []string{"match", "brief", "intent"}
	for _, tc := range []struct {
		names string
		want  []int
		err   bool
	}{
		{"", nil, false},
		{"intent", []int{2}, false},
		{"brief,match", []int{1, 0}, false},
		{"brief,,intent", []int{1, 2}, false},
		{"nope", nil, true},
	} {
		got, err := Columns(features, tc.names)
		if (err != nil) != tc.err || !slices.Equal(got, tc.want) {
			t.Errorf("Columns(%q) = %v, %v; want %v (error %v)", tc.names, got, err, tc.want, tc.err)
		}
	}
}

// Isotonic pools adjacent violators into the closest increasing fit.
func TestIsotonic(t *testing.T) {
	tests := []struct {
		name         string
		x, y         []float64
		wantX, wantY []float64
	}{
		{"already increasing", []float64{1, 2, 3}, []float64{10, 20, 30}, []float64{1, 2, 3}, []float64{10, 20, 30}},
		{"one violation pooled", []float64{1, 2, 3}, []float64{10, 30, 20}, []float64{1, 2.5}, []float64{10, 25}},
		// 30, 20, 10 pool into one block whose mean is 20.
		{"all decreasing", []float64{3, 1, 2}, []float64{10, 30, 20}, []float64{2}, []float64{20}},
		// Equal x are pooled first: (2: 20 and 40) is one point at 30.
		{"ties in x", []float64{1, 2, 2, 3}, []float64{10, 20, 40, 50}, []float64{1, 2, 3}, []float64{10, 30, 50}},
		// Equal fitted values become one knot.
		{"equal values merge", []float64{1, 2, 3}, []float64{10, 10, 40}, []float64{1.5, 3}, []float64{10, 40}},
		// A late violation reaches back over two blocks: 5, 20, 30 then 2.
		{"pool reaches back", []float64{1, 2, 3, 4}, []float64{5, 20, 30, 2}, []float64{1, 3}, []float64{5, 17.333333333333332}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Isotonic(tt.x, tt.y)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.EqualFunc(c.X, tt.wantX, near) || !slices.EqualFunc(c.Y, tt.wantY, near) {
				t.Errorf("knots x %v y %v, want x %v y %v", c.X, c.Y, tt.wantX, tt.wantY)
			}
			if err := c.Check(); err != nil {
				t.Errorf("fitted curve fails its check: %v", err)
			}
		})
	}
	if _, err := Isotonic(nil, nil); err == nil {
		t.Error("no rows: no error")
	}
	if _, err := Isotonic([]float64{1}, []float64{1, 2}); err == nil {
		t.Error("x and y of different lengths: no error")
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
