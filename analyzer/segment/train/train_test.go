package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/candorhq/candor/analyzer/segment"
)

// TestTrainingReproducesWeights runs the training command as users run it
// (go run, so not under the race detector, which slows the fits many times)
// and checks the result is the committed weights.json, byte for byte.
func TestTrainingReproducesWeights(t *testing.T) {
	if testing.Short() {
		t.Skip("refits the turn model for every fold (about ten seconds)")
	}
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	shared := filepath.Join(root, "..", "shared")
	if _, err := os.Stat(filepath.Join(shared, "eval", "dev", "transcripts")); err != nil {
		t.Skip("../shared/eval/dev/transcripts is absent (a fresh clone without ../shared): part of the training data is not here")
	}
	out := filepath.Join(t.TempDir(), "weights.json")
	cmd := exec.Command("go", "run", "./analyzer/segment/train", "-shared", "../shared", "-out", out)
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
	want, err := os.ReadFile(filepath.Join(root, "analyzer", "segment", "weights.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("training gives a different weights.json (%d bytes, committed %d): rerun go run ./analyzer/segment/train -shared ../shared and commit it", len(got), len(want))
	}
	if _, err := segment.DecodeWeights(got); err != nil {
		t.Errorf("the trained file does not load: %v", err)
	}
}
