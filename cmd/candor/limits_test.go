package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGuideLimitsCLI (row 1): a guide file over a limit is refused with
// exit 2 and a line naming the file, the field and the limit, whether it
// is used by analyze or imported.
func TestGuideLimitsCLI(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("Big guide\nInterview Questions\nTell me about a time a customer was angry?\nAreas to Cover\n")
	for i := range 40000 {
		fmt.Fprintf(&b, "- area %d\n", i)
	}
	big := filepath.Join(dir, "big.txt")
	if err := os.WriteFile(big, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	answers := filepath.Join(dir, "a.json")
	if err := os.WriteFile(answers, []byte(`{"answers":[{"question_id":"q1","text":"Once a customer was angry and I called her back."}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"analyze", "--guide", big, answers},
		{"guides", "import", big, "-o", filepath.Join(dir, "out.yaml")},
		{"guides", "show", "--guide", big},
	} {
		r := runCLI(t, "", args...)
		if r.code != 2 {
			t.Errorf("candor %s: exit %d, want 2; stderr %s", strings.Join(args, " "), r.code, r.stderr)
			continue
		}
		for _, w := range []string{"big.txt", "questions[0].areas", "40000 areas, more than the limit of 30"} {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("candor %s: stderr %q lacks %q", strings.Join(args, " "), r.stderr, w)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out.yaml")); err == nil {
		t.Error("import wrote a guide over the limits")
	}
}
