package semantic

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestSpellingRarity: the US/UK pairs of the swap audit's list
// (evaluation/swaps/spelling.tsv) that differ by a regular ending
// (-ise/-ize, -our/-or, -tre/-ter, -elled/-eled ...) have one rarity, and
// they are most of the list; irregular pairs (mould/mold, paediatric/
// pediatric) keep their own ranks and are logged. Words with no other
// spelling keep their own rarity.
func TestSpellingRarity(t *testing.T) {
	f, err := os.Open("../../evaluation/swaps/spelling.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n, regular := 0, 0
	var irregular []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.HasPrefix(line, "us\t") || line == "" {
			continue
		}
		us, uk, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("line %q", line)
		}
		a, b := Lookup(us), Lookup(uk)
		if a == NoID || b == NoID {
			continue // not in the table: rarity 1 either way
		}
		n++
		if !slices.Contains(otherSpellings(us, a), uk) && !slices.Contains(otherSpellings(uk, b), us) {
			irregular = append(irregular, us+"/"+uk)
			continue
		}
		regular++
		if ra, rb := SpellingRarity(us, a), SpellingRarity(uk, b); ra != rb {
			t.Errorf("%s %.3f, %s %.3f", us, ra, uk, rb)
		}
	}
	t.Logf("%d of %d pairs in the table by a regular ending; irregular: %v", regular, n, irregular)
	if n < 50 || float64(regular) < 0.85*float64(n) {
		t.Errorf("%d of %d pairs read as one word, want 85%%", regular, n)
	}
	for _, w := range []string{"water", "motor", "customer", "hour", "center"} {
		id := Lookup(w)
		if w != "center" && SpellingRarity(w, id) != Rarity(id) {
			t.Errorf("%s: rarity %.3f moved from %.3f", w, SpellingRarity(w, id), Rarity(id))
		}
	}
}

// TestTableSpelling: a word the table holds is its own entry; a regular
// respelling the table lacks finds the spelling it holds; a word with no
// respelling in the table, or too short to respell, has none.
func TestTableSpelling(t *testing.T) {
	if Lookup("prioritised") != NoID || Lookup("prioritized") == NoID {
		t.Fatal("the table holds prioritised, or lacks prioritized: the respelling case below would test nothing; pick another pair")
	}
	for _, c := range []struct{ word, want string }{
		{"customer", "customer"},
		{"prioritised", "prioritized"},
		{"xqzvbnmw", ""},
		{"qzxv", ""},
	} {
		got := TableSpelling(c.word)
		switch {
		case c.want == "" && got != NoID:
			t.Errorf("%s: got ID %d, want none", c.word, got)
		case c.want != "" && got != Lookup(c.want):
			t.Errorf("%s: got ID %d, want %s's (%d)", c.word, got, c.want, Lookup(c.want))
		}
	}
}
