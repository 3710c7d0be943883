package testkit

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// update is the -update flag of every package whose tests import testkit:
// golden files (and other files the tests keep in step) are rewritten from
// the current output. Review the diff before committing it.
var update = flag.Bool("update", false, "rewrite the golden files from the current output (review the diff)")

// Update reports whether the tests run with -update.
func Update() bool { return *update }

// Golden compares got with the golden file at path. With -update it writes
// got there first, creating the folder.
func Golden(tb testing.TB, path string, got []byte) {
	tb.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("output differs from %s (review the change, then run go test -update):\n%s", path, FirstDiff(string(got), string(want)))
	}
}

// GoldenJSON compares v, as indented JSON ending in a newline, with the
// golden file at path (see Golden).
func GoldenJSON(tb testing.TB, path string, v any) {
	tb.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		tb.Fatal(err)
	}
	Golden(tb, path, append(got, '\n'))
}

// FirstDiff shows the first line where got and want differ.
func FirstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, gl, wl)
		}
	}
	return "(no line differs)"
}
