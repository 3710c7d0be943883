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
	return narrow(set)
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

// TestNarrowIntents: a question or turn that shows a narrower intent and
// the one it refines shows only the narrower, so that a guide with an
// angry-customer question and a win-back question keeps both distinctive.
func TestNarrowIntents(t *testing.T) {
	bit := func(name string) uint32 {
		for i, in := range intents {
			if in.name == name {
				return 1 << i
			}
		}
		t.Fatalf("no intent %q", name)
		return 0
	}
	upset, winBack := bit("upset_customer"), bit("win_back")
	q := questionIntents([]string{
		"Tell me about a customer who came to you angry. What did you do?",
		"Describe how you won back an unhappy customer until they recommended you to friends.",
		"Tell me about a time you improved a process.",
	})
	if q[0] != upset || q[1] != winBack {
		t.Errorf("question intents %b, %b: want %b (upset customer), %b (win back)", q[0], q[1], upset, winBack)
	}
	for _, c := range []struct {
		turn string
		want uint32
	}{
		{"ok so we get callers who are just losing it on the phone. had one of those?", upset},
		{"has anyone been really unhappy with you and you managed to turn them into a fan?", winBack},
		{"a detractor, an angry customer, who ended up a promoter?", winBack},
		{"how did you win back their trust?", 0},
	} {
		if got := intentsOf(c.turn, upset|winBack); got != c.want {
			t.Errorf("%q: intents %b, want %b", c.turn, got, c.want)
		}
		// Asked only for the broader intent, a turn of the narrower kind
		// still does not count as the broader one.
		if got := intentsOf(c.turn, upset); got != c.want&upset {
			t.Errorf("%q with mask upset: intents %b, want %b", c.turn, got, c.want&upset)
		}
	}
}
