package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestTrainingReproducesWeights retrains every model and checks the result
// is the committed weights.json, byte for byte: the file is what the
// command makes from the data it names.
func TestTrainingReproducesWeights(t *testing.T) {
	if testing.Short() {
		t.Skip("retrains every model (about ten seconds, minutes under -race)")
	}
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	shared := filepath.Join(root, "..", "shared")
	if _, err := os.Stat(filepath.Join(shared, "eval", "external", "argkp")); err != nil {
		t.Skip("../shared/eval/external/argkp is absent (a fresh clone without ../shared): the training data is not here")
	}
	t.Chdir(root)
	out := filepath.Join(t.TempDir(), "weights.json")
	if err := run(shared, out, 4); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("analyzer/heuristic/weights.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("training gives a different weights.json (%d bytes, committed %d): rerun go run ./analyzer/heuristic/train -shared ../shared and commit it", len(got), len(want))
	}
}
