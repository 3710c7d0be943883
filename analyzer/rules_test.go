package analyzer

import "testing"

func TestRound3(t *testing.T) {
	for x, want := range map[float64]float64{
		0.1234: 0.123, 0.1235: 0.124, 0.12349: 0.123, 2.0 / 3: 0.667, 1: 1, 0: 0,
		// math.Round semantics: halves away from zero, negatives too (the
		// int(x*1000+0.5) it replaces gave -0.001 for -0.0015 and 0 for -0.0006).
		-0.0015: -0.002, -0.0006: -0.001, 0.49999999999999994: 0.5,
	} {
		if got := Round3(x); got != want {
			t.Errorf("Round3(%v) = %v, want %v", x, got, want)
		}
	}
}

func TestCoverageScore(t *testing.T) {
	areas := func(statuses ...string) []AreaResult {
		var out []AreaResult
		for _, s := range statuses {
			out = append(out, AreaResult{Status: s})
		}
		return out
	}
	for _, tt := range []struct {
		areas []AreaResult
		want  float64
	}{
		{nil, 0},
		{areas(StatusCovered, StatusPartial, StatusMissing), 0.5},
		{areas(StatusCovered, StatusCovered, StatusPartial), 0.833},
		{areas(StatusPartial), 0.5},
		{areas("unknown", StatusCovered), 0.5},
	} {
		if got := CoverageScore(tt.areas); got != tt.want {
			t.Errorf("CoverageScore(%v) = %v, want %v", tt.areas, got, tt.want)
		}
	}
}

func TestCanonicalEngine(t *testing.T) {
	for in, want := range map[string]string{"": EngineHeuristic, "embedded": EngineHeuristic, "heuristic": EngineHeuristic, "llm": EngineLLM, "hybrid": EngineHybrid, "magic": "", "LLM": ""} {
		got, ok := CanonicalEngine(in)
		if got != want || ok != (want != "") {
			t.Errorf("CanonicalEngine(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
