package segment

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candorhq/candor/transcript"
)

// TestIntentAnchors: skipping the intents whose anchors a turn lacks never
// changes what intentsOf finds, on every turn of the repository's
// transcripts and on the examples below.
func TestIntentAnchors(t *testing.T) {
	texts := []string{"ok. what would you say you need to work on?", "so, you. background, what you're doing now.",
		"nice. weak spots?", "why tour guide?", "ever been the one running the show?", "a time it got hard? teamwork."}
	for _, dir := range []string{"../../testdata/spoken", "../../testdata/eval/transcripts"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, f := range files {
			if strings.HasSuffix(f, ".json") && strings.HasSuffix(f, ".gold.json") || strings.HasSuffix(f, ".md") || strings.HasSuffix(f, ".yaml") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			tr, err := transcript.Parse(filepath.Base(f), b)
			if err != nil {
				continue
			}
			for _, turn := range tr.Turns {
				texts = append(texts, strings.ToLower(turn.Text))
			}
		}
	}
	if len(texts) < 500 {
		t.Fatalf("only %d texts", len(texts))
	}
	found := 0
	for _, s := range texts {
		slow := intentsByPatterns(s)
		if got := intentsOf(s, allIntents); got != slow {
			t.Errorf("%q: intents %b with anchors, %b without", s, got, slow)
		}
		if slow != 0 {
			found++
		}
		if mask := uint32(0b1010); intentsOf(s, mask) != slow&mask {
			t.Errorf("%q: intents %b with mask %b, want %b", s, intentsOf(s, mask), mask, slow&mask)
		}
	}
	t.Logf("%d texts, %d with an intent", len(texts), found)
}

// intentsByPatterns is intentsOf without its shortcuts: every pattern
// tried on the whole text.
func intentsByPatterns(s string) uint32 {
	var set uint32
	for i, in := range intents {
		if in.re.MatchString(s) {
			set |= 1 << i
		}
	}
	return set
}

// FuzzIntentAnchors: the same on any text.
func FuzzIntentAnchors(f *testing.F) {
	f.Add("what's something you wish you were better at?")
	f.Add("why us?")
	f.Fuzz(func(t *testing.T, s string) {
		slow := intentsByPatterns(s)
		if got := intentsOf(s, allIntents); got != slow {
			t.Errorf("%q: intents %b with anchors, %b without", s, got, slow)
		}
	})
}

func TestOpening(t *testing.T) {
	for _, tc := range []struct {
		text string
		n    int
		want string
	}{
		{"hmm. can we come back to that one?", 3, "hmm. can we"},
		{"one two", 5, "one two"},
		{"  one  two three", 2, "  one  two"},
		{"", 3, ""},
	} {
		if got := opening(tc.text, tc.n); got != tc.want {
			t.Errorf("opening(%q, %d) = %q, want %q", tc.text, tc.n, got, tc.want)
		}
	}
}
