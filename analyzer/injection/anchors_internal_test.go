package injection

import "testing"

// TestWordAnchorsStartWords: a function word that opens a language's rules
// must stand as a word, not end one: Spanish "y" in "y luego" opens the
// Spanish rules, the "y" of "they", "day" or "very" does not.
func TestWordAnchorsStartWords(t *testing.T) {
	lang := func(code string) uint32 {
		for i, l := range langs {
			if l.code == code {
				return 1 << (gateBit + i)
			}
		}
		t.Fatalf("no language %q", code)
		return 0
	}
	es, fr := lang("es"), lang("fr")
	for _, c := range []struct {
		text string
		gate uint32
		want bool
	}{
		{"They say the day was very busy.", es, false},
		{"Mi jefe y yo lo resolvimos.", es, true},
		{"Y luego llamé al cliente.", es, true},
		{"We all'd like that.", fr, false},
		{"Merci, l'équipe a tout fait.", fr, true},
	} {
		n := normalize(c.text)
		m := anchors.masks(n.s, []span{{0, len(n.s)}})
		if got := m[0]&c.gate != 0; got != c.want {
			t.Errorf("%q: gate %v, want %v", c.text, got, c.want)
		}
	}
}
