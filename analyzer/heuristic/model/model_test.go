package model

import "testing"

func TestCurveAt(t *testing.T) {
	c := &Curve{X: []float64{-1, 0, 2}, Y: []float64{10, 20, 60}}
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ s, want float64 }{
		{-5, 10}, // flat before the first knot
		{-1, 10},
		{-0.5, 15}, // linear between knots
		{0, 20},
		{1, 40},
		{2, 60},
		{9, 60}, // flat after the last
	}
	for _, tt := range tests {
		if got := c.At(tt.s); got != tt.want {
			t.Errorf("At(%g) = %g, want %g", tt.s, got, tt.want)
		}
	}
	one := &Curve{X: []float64{3}, Y: []float64{42}}
	if one.At(-1) != 42 || one.At(3) != 42 || one.At(7) != 42 {
		t.Error("a one-knot curve is not constant")
	}
}

func TestCurveCheck(t *testing.T) {
	bad := []*Curve{
		{},
		{X: []float64{1, 2}, Y: []float64{1}},
		{X: []float64{1, 1}, Y: []float64{1, 2}}, // x must rise
		{X: []float64{1, 2}, Y: []float64{2, 1}}, // y must not fall
	}
	for i, c := range bad {
		if c.Check() == nil {
			t.Errorf("curve %d (%v, %v) passes its check", i, c.X, c.Y)
		}
	}
}
