package testkit

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// ReproducesFile runs a training command as users run it (go run, from the
// repository root, so not under the race detector, which slows fits many
// times), writing to a temporary file instead of committed, and fails unless
// the output is the committed file byte for byte: the file is what the
// command makes from the data it names. args are the command's arguments
// before -out; committed is relative to root.
func ReproducesFile(tb testing.TB, root, committed string, args ...string) []byte {
	tb.Helper()
	out := filepath.Join(tb.TempDir(), filepath.Base(committed))
	cmd := exec.Command("go", append(append([]string{"run"}, args...), "-out", out)...)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		tb.Fatalf("training: %v\n%s", err, stderr.String())
	}
	got, err := os.ReadFile(out)
	if err != nil {
		tb.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(root, committed))
	if err != nil {
		tb.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("training gives a different %s (%d bytes, committed %d): rerun go run %s and commit it",
			committed, len(got), len(want), filepath.Join(args...))
	}
	return got
}
