package analyzer

import (
	"fmt"
	"math"
)

// Engine names, as reports, the API and the CLI spell them.
const (
	// EngineHeuristic is the embedded engine (offline, no model).
	EngineHeuristic = "heuristic"
	// EngineLLM asks an OpenAI-compatible model about every answer.
	EngineLLM = "llm"
	// EngineHybrid asks the model and keeps the embedded engine's reading
	// beside it.
	EngineHybrid = "hybrid"
)

// EngineNames are the engines, in the order they are offered.
var EngineNames = []string{EngineHeuristic, EngineLLM, EngineHybrid}

// CanonicalEngine is the engine a request names: "" and "embedded" are
// the embedded engine. ok is false for a name of no engine.
func CanonicalEngine(name string) (canonical string, ok bool) {
	switch name {
	case "", "embedded", EngineHeuristic:
		return EngineHeuristic, true
	case EngineLLM, EngineHybrid:
		return name, true
	}
	return "", false
}

// MaxFollowUps bounds the follow-ups suggested per answer, whichever
// engine suggests them: an interviewer has time for a few, so the first
// gaps come first. The model is asked for at most as many (its reply
// schema says so too).
const MaxFollowUps = 3

// StatusWeight is an area status's weight in a coverage score: covered 1,
// partial 0.5, missing (or anything else) 0.
func StatusWeight(status string) float64 {
	switch status {
	case StatusCovered:
		return 1
	case StatusPartial:
		return 0.5
	}
	return 0
}

// CoverageScore is the mean StatusWeight of areas, to three decimals; 0
// without areas.
func CoverageScore(areas []AreaResult) float64 {
	if len(areas) == 0 {
		return 0
	}
	var total float64
	for _, a := range areas {
		total += StatusWeight(a.Status)
	}
	return Round3(total / float64(len(areas)))
}

// Round3 rounds x to three decimals, halves away from zero (math.Round):
// every score, confidence and similarity a report or a lint finding shows.
func Round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// NothingAligned is the reason given when no answer to any question of a
// guide was found in an interview (a report with a nothing_aligned
// warning, or an error); hint, when not empty, says what to try next.
func NothingAligned(guideID, hint string) string {
	if hint != "" {
		hint = " " + hint
	}
	return fmt.Sprintf("no answer to any question of guide %q was found (is it the guide this interview used?%s)", guideID, hint)
}
