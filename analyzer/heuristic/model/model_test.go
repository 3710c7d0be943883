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

func TestShrinkApply(t *testing.T) {
	s := &Shrink{Centers: []float64{10, 40, 80}, Factor: 0.25}
	if err := s.Check(3); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		k       int
		v, want float64
	}{
		{0, 10, 10},  // at its centre: unmoved
		{0, 30, 15},  // a quarter of the way from the centre
		{1, 20, 35},  // below the centre, pulled up
		{2, 100, 85}, // above, pulled down
		{2, 60, 75},
	}
	for _, tt := range tests {
		if got := s.Apply(tt.k, tt.v); got != tt.want {
			t.Errorf("Apply(%d, %g) = %g, want %g", tt.k, tt.v, got, tt.want)
		}
	}
	none := &Shrink{Centers: []float64{10, 40, 80}, Factor: 1}
	if none.Apply(1, 57) != 57 {
		t.Error("factor 1 moves a value")
	}
	all := &Shrink{Centers: []float64{10, 40, 80}}
	if all.Apply(1, 57) != 40 || all.Apply(1, 26) != 40 {
		t.Error("factor 0 does not give every value its class's centre")
	}
}

func TestShrinkCheck(t *testing.T) {
	bad := []*Shrink{
		{Centers: []float64{1, 2}, Factor: 0.5},     // two centres for three classes
		{Centers: []float64{1, 2, 3}, Factor: -0.1}, // pushes away
		{Centers: []float64{1, 2, 3}, Factor: 1.5},  // beyond no pull at all
	}
	for i, s := range bad {
		if s.Check(3) == nil {
			t.Errorf("shrink %d (%v, %v) passes its check", i, s.Centers, s.Factor)
		}
	}
}
