package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/candorhq/candor/internal/testkit"
)

// TestTrainingReproducesWeights checks that the training command gives the
// committed weights.json, byte for byte: the file is what the command makes
// from the data it names.
func TestTrainingReproducesWeights(t *testing.T) {
	if testing.Short() {
		t.Skip("retrains every model (about twenty seconds)")
	}
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "..", "shared", "eval", "external", "argkp")); err != nil {
		t.Skip("../shared/eval/external/argkp is absent (a fresh clone without ../shared): the training data is not here")
	}
	testkit.ReproducesFile(t, root, "analyzer/heuristic/weights.json", "./analyzer/heuristic/train", "-shared", "../shared")
}
