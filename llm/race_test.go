//go:build race

package llm_test

// raceEnabled slows everything the race detector instruments; timing bounds
// widen under it.
const raceEnabled = true
