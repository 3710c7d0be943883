package guide_test

import (
	"os"
	"path/filepath"
	"testing"
)

// seedPath is the shared Yardstick sample guide, present in the team's
// workspace but not in every checkout.
var seedPath = filepath.Join("..", "..", "shared", "seeds", "000_d3797fe2d9603f3b.txt")

// readSeed returns the shared sample guide, or skips the test without it.
func readSeed(tb testing.TB) []byte {
	tb.Helper()
	data, err := os.ReadFile(seedPath)
	if os.IsNotExist(err) {
		tb.Skipf("shared seed guide %s not present (tests outside the team workspace)", seedPath)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// fixtures lists the guide fixtures under testdata (not the golden outputs).
func fixtures(tb testing.TB) []string {
	tb.Helper()
	var out []string
	for _, pat := range []string{"*.txt", "*.md", "*.json", "*.yaml"} {
		m, err := filepath.Glob(filepath.Join("testdata", pat))
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, m...)
	}
	if len(out) == 0 {
		tb.Fatal("no fixtures under testdata")
	}
	return out
}
