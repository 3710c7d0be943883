package injection

import (
	"strings"
	"testing"
)

// countFields counts what strings.Fields splits, whatever the text.
func FuzzCountFields(f *testing.F) {
	for _, s := range []string{"", " ", "one", " two  words ", "tab\tand\nline", "no\u00a0break\u3000ideographic", "\xff\xfe bad", "\u0085next", "a\vb\fc\rd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := countFields(s), len(strings.Fields(s)); got != want {
			t.Fatalf("countFields(%q) = %d, strings.Fields gives %d", s, got, want)
		}
	})
}
