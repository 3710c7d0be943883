package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/candorhq/candor/analyzer/segment"
	"github.com/candorhq/candor/internal/testkit"
)

// TestTrainingReproducesWeights checks that the training command gives the
// committed weights.json, byte for byte, and that the file loads.
func TestTrainingReproducesWeights(t *testing.T) {
	if testing.Short() {
		t.Skip("refits the turn model for every fold, penalty and intent weight (about four minutes on two busy cores)")
	}
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "..", "shared", "eval", "dev", "transcripts")); err != nil {
		t.Skip("../shared/eval/dev/transcripts is absent (a fresh clone without ../shared): part of the training data is not here")
	}
	got := testkit.ReproducesFile(t, root, "analyzer/segment/weights.json", "./analyzer/segment/train", "-shared", "../shared")
	if _, err := segment.DecodeWeights(got); err != nil {
		t.Errorf("the trained file does not load: %v", err)
	}
}
