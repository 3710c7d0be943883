package web

import (
	"strings"
	"testing"
)

// TestParagraphs: a guide's description keeps its paragraphs apart, and
// lines wrapped inside a paragraph join.
func TestParagraphs(t *testing.T) {
	for in, want := range map[string]string{
		"One paragraph\nwrapped.\n\nA second one.\r\n\r\nA third.": "One paragraph wrapped.|A second one.|A third.",
		"First line.\nSecond line.":                                "First line.|Second line.",
		"  ":                                                       "",
	} {
		if got := strings.Join(paragraphs(in), "|"); got != want {
			t.Errorf("paragraphs(%q) = %q, want %q", in, got, want)
		}
	}
}
