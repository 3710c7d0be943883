package testkit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGoldenMatches(t *testing.T) {
	path := filepath.Join(t.TempDir(), "g.json")
	if err := os.WriteFile(path, []byte("{\n  \"a\": 1\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	GoldenJSON(t, path, map[string]int{"a": 1})
}

func TestFirstDiff(t *testing.T) {
	if d := FirstDiff("a\nb\nc", "a\nx\nc"); !strings.Contains(d, "line 2") || !strings.Contains(d, "got: b") || !strings.Contains(d, "want: x") {
		t.Errorf("FirstDiff = %q", d)
	}
	if d := FirstDiff("a\n", "a\n"); d != "(no line differs)" {
		t.Errorf("FirstDiff of equal texts = %q", d)
	}
	if d := FirstDiff("a", "a\nb"); !strings.Contains(d, "line 2") {
		t.Errorf("FirstDiff of a shorter text = %q", d)
	}
}
