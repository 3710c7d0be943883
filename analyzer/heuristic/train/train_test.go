package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestTrainingReproducesWeights runs the training command as users run it
// (go run, so not under the race detector, which would make the fits take
// many minutes) and checks the result is the committed weights.json, byte
// for byte: the file is what the command makes from the data it names.
func TestTrainingReproducesWeights(t *testing.T) {
	if testing.Short() {
		t.Skip("retrains every model (about twenty seconds)")
	}
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	shared := filepath.Join(root, "..", "shared")
	if _, err := os.Stat(filepath.Join(shared, "eval", "external", "argkp")); err != nil {
		t.Skip("../shared/eval/external/argkp is absent (a fresh clone without ../shared): the training data is not here")
	}
	out := filepath.Join(t.TempDir(), "weights.json")
	cmd := exec.Command("go", "run", "./analyzer/heuristic/train", "-shared", "../shared", "-out", out)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("training: %v\n%s", err, stderr.String())
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(root, "analyzer", "heuristic", "weights.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("training gives a different weights.json (%d bytes, committed %d): rerun go run ./analyzer/heuristic/train -shared ../shared and commit it", len(got), len(want))
	}
}
