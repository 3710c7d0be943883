package web

import (
	"io/fs"
	"regexp"
	"testing"

	"github.com/candorhq/candor/slate"
)

// TestTemplateStatusesKnown: every status a template asks the mark or the
// word of is one slate defines (a typo would print nothing).
func TestTemplateStatusesKnown(t *testing.T) {
	call := regexp.MustCompile(`\{\{(?:symbol|word) "([^"]*)"\}\}`)
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, name := range names {
		raw, err := fs.ReadFile(templateFS, name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllStringSubmatch(string(raw), -1) {
			n++
			if slate.Symbols[m[1]] == "" || slate.Words[m[1]] == "" {
				t.Errorf("%s: status %q has no mark or word in slate", name, m[1])
			}
		}
	}
	if n == 0 {
		t.Error("no template asks for a status mark: the pattern is stale")
	}
}
