package spoken_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/candorhq/candor/analyzer/spoken"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Ok ummm so I worked at a pool.", "Ok so I worked at a pool."},
		{"I, um, went there.", "I, went there."},
		{"Uh, I think so.", "I think so."},
		{"swi- like we taught swim lessons", "we taught swim lessons"},
		{"I- I led the the team.", "I led the team."},
		{"w-we did it", "we did it"},
		{"It was (laughs) a mess [inaudible] really.", "It was a mess really."},
		{"[crosstalk] Yes.", "Yes."},
		{"We went to Acme (the big one) first.", "We went to Acme (the big one) first."},
		{"We met (Acme) there.", "We met (Acme) there."},
		{"It was, like, huge.", "It was, huge."},
		{"I like building things and things like that.", "I like building things and things like that."},
		{"Like I said, it worked.", "I said, it worked."},
		{"It was hard, you know, at first.", "It was hard, at first."},
		{"Do you know what I mean?", "Do you know what I mean?"},
		{"and then  I  left   early", "and then I left early"},
		{"Er, the plan was good .", "the plan was good."},
		{"I know that that is wrong.", "I know that that is wrong."},
		{"Café – über naïve", "Café – über naïve"},
		{"", ""},
		{"um", ""},
	}
	for _, tc := range tests {
		got := spoken.Normalize(tc.in)
		if got.Clean != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got.Clean, tc.want)
		}
		checkMap(t, tc.in, got)
	}
}

// checkMap: every clean code point maps, in ascending order, to the same
// code point of the original (blanks to a blank).
func checkMap(t *testing.T, in string, n spoken.Text) {
	t.Helper()
	orig := []rune(in)
	clean := []rune(n.Clean)
	if len(n.Map) != len(clean)+1 || n.Map[len(clean)] != len(orig) {
		t.Fatalf("%q: map of %d for %d code points (last %v, want %d)", in, len(n.Map), len(clean), n.Map, len(orig))
	}
	for i, r := range clean {
		o := n.Map[i]
		if o < 0 || o >= len(orig) || i > 0 && o <= n.Map[i-1] {
			t.Fatalf("%q: map %v not ascending within the original", in, n.Map)
		}
		if r == ' ' {
			if !strings.ContainsRune(" \t\n\r\u00a0", orig[o]) && orig[o] != '(' && orig[o] != '[' {
				// a blank written for a dropped token sits where that token was
				continue
			}
			continue
		}
		if orig[o] != r {
			t.Fatalf("%q: clean %q at %d maps to %q", in, r, i, orig[o])
		}
	}
}

func TestOriginal(t *testing.T) {
	in := "So, um, I- I led the the swim team."
	n := spoken.Normalize(in)
	i := strings.Index(n.Clean, "led the swim")
	from, to := n.Original(utf8.RuneCountInString(n.Clean[:i]), utf8.RuneCountInString(n.Clean[:i])+len("led the swim"))
	if got := string([]rune(in)[from:to]); got != "led the the swim" {
		t.Errorf("original of %q is %q", "led the swim", got)
	}
}

func TestBackChannel(t *testing.T) {
	yes := []string{"Mmhmm.", "Uh-huh.", "Ok.", "Ok great.", "Right, right.", "Mm-hm.", "Yeah, yeah. Okay.", "(laughs) Ok.", "Got it, thanks.", "Hmm."}
	no := []string{"Ok, why?", "Ok great. Tell me about yourself.", "Right, and then what?", "Great, so what happened next?", "I see what you mean about the budget.", ""}
	for _, s := range yes {
		if !spoken.BackChannel(s) {
			t.Errorf("BackChannel(%q) = false", s)
		}
	}
	for _, s := range no {
		if spoken.BackChannel(s) {
			t.Errorf("BackChannel(%q) = true", s)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"Ok ummm so I- I (laughs) the the swi- like we, you know, [inaudible]", "w-we", "(", "[[", "a- -b", "é- é", "\u00a0um\u00a0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		n := spoken.Normalize(s)
		checkMap(t, s, n)
		if strings.Contains(n.Clean, "  ") || strings.HasPrefix(n.Clean, " ") || strings.HasSuffix(n.Clean, " ") {
			t.Fatalf("%q: loose blanks in %q", s, n.Clean)
		}
		if again := spoken.Normalize(n.Clean); len([]rune(again.Clean)) > len([]rune(n.Clean)) {
			t.Fatalf("%q: normalising %q again grows it to %q", s, n.Clean, again.Clean)
		}
		spoken.BackChannel(s)
	})
}

// TestBlank: what Normalize takes out is overwritten by spaces, byte for
// byte; everything else, and every byte offset, stays.
func TestBlank(t *testing.T) {
	tests := []struct{ in, want string }{
		{"So um I called her (laughs) back.", "So    I called her          back."},
		{"I- I phoned the the manager, uh, Tomás.", "   I phoned     the manager,     Tomás."},
		{"Nothing to take out here.", "Nothing to take out here."},
		{"Ummm, café [inaudible] then", "      café             then"},
		{"bad \xff byte um ok", "bad \xff byte    ok"},
		{"(laughs…) Tó- Tomás", "(laughs…)  \u00a0  Tomás"},
		{"[crosstalk…] ok", "          \u3000  ok"},
	}
	for _, tt := range tests {
		got := spoken.Blank(tt.in)
		if got != tt.want {
			t.Errorf("Blank(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if len(got) != len(tt.in) {
			t.Errorf("Blank(%q): %d bytes, want %d", tt.in, len(got), len(tt.in))
		}
	}
}

func FuzzBlank(f *testing.F) {
	f.Add("So um I- I called (laughs) the the manager")
	f.Add("\xff\xfe um [x]")
	f.Fuzz(func(t *testing.T, s string) {
		b := spoken.Blank(s)
		if len(b) != len(s) {
			t.Fatalf("Blank changed the length: %d -> %d", len(s), len(b))
		}
		if utf8.RuneCountInString(b) != utf8.RuneCountInString(s) {
			t.Fatalf("Blank changed the number of code points: %q -> %q", s, b)
		}
	})
}

// FuzzBlankPrefilter: the quick test that lets most texts through
// untouched never hides something Blank would take out.
func FuzzBlankPrefilter(f *testing.F) {
	for _, s := range []string{"So um I- I called (laughs) the the manager", "It was, like, huge.", "you know, it was", "Plain words here.", "Ummm", "w-we", "Tó- Tomás"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := spoken.Blank(s), spoken.BlankSlow(s); got != want {
			t.Fatalf("Blank(%q) = %q, without the prefilter %q", s, got, want)
		}
	})
}
