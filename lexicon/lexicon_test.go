package lexicon_test

import (
	"testing"

	"github.com/candorhq/candor/lexicon"
)

func TestLemma(t *testing.T) {
	tests := []struct{ word, want string }{
		{"shaking", "shake"},
		{"cried", "cry"},
		{"apologized", "apologize"},
		{"apologised", "apologise"},
		{"customers", "customer"},
		{"geese", "goose"},
		{"went", "go"},
		{"analyses", "analysis"},
		{"stakeholders", "stakeholder"},
		{"stopped", "stop"},
		{"was", "be"},
		{"does", "do"},
		{"better", "good"},
		// Words that look inflected but are frequent lemmas themselves.
		{"evening", "evening"},
		{"ceiling", "ceiling"},
		{"news", "news"},
		// Already a base form, and unknown words, come back unchanged.
		{"customer", "customer"},
		{"follow_up", "follow_up"},
		{"xyzzyness", "xyzzyness"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := lexicon.Lemma(tt.word); got != tt.want {
			t.Errorf("Lemma(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

func TestClasses(t *testing.T) {
	tests := []struct {
		lemma string
		want  lexicon.Class
	}{
		{"frustration", lexicon.NounFeeling},
		{"tell", lexicon.VerbCommunication},
		{"notice", lexicon.VerbPerception},
		{"realize", lexicon.VerbCognition},
		{"tuesday", lexicon.NounTime},
		{"manager", lexicon.NounPerson},
		{"dozen", lexicon.NounQuantity},
		{"team", lexicon.NounGroup},
		{"apologize", lexicon.VerbCommunication},
	}
	for _, tt := range tests {
		if got := lexicon.Classes(tt.lemma); !got.Has(tt.want) {
			t.Errorf("Classes(%q) = %v, want it to include %v", tt.lemma, got, tt.want)
		}
	}
	if got := lexicon.Classes("xyzzy"); got != 0 {
		t.Errorf("Classes(unknown) = %v, want none", got)
	}
}

func TestClassesPOS(t *testing.T) {
	tests := []struct {
		lemma   string
		pos     byte
		want    lexicon.Class
		wantNot lexicon.Class
	}{
		{"notice", 'v', lexicon.VerbPerception, lexicon.NounCognition},
		{"notice", 'n', lexicon.NounCognition, lexicon.VerbPerception},
		{"angry", 'a', lexicon.AdjAll, lexicon.NounFeeling},
		{"anger", 'n', lexicon.NounFeeling, lexicon.AdjAll},
		{"quickly", 'r', lexicon.AdvAll, lexicon.AdjAll},
		{"shake", 'v', lexicon.VerbMotion, lexicon.NounFood},
	}
	for _, tt := range tests {
		got := lexicon.ClassesPOS(tt.lemma, tt.pos)
		if !got.Has(tt.want) || got&tt.wantNot != 0 {
			t.Errorf("ClassesPOS(%q, %q) = %v, want %v and not %v", tt.lemma, tt.pos, got, tt.want, tt.wantNot)
		}
		if all := lexicon.Classes(tt.lemma); all&got != got {
			t.Errorf("Classes(%q) = %v, not a superset of ClassesPOS %v", tt.lemma, all, got)
		}
	}
}

func TestClassString(t *testing.T) {
	tests := []struct {
		c    lexicon.Class
		want string
	}{
		{0, ""},
		{lexicon.NounFeeling, "noun.feeling"},
		{lexicon.VerbEmotion | lexicon.NounFeeling | lexicon.AdjAll, "adj.all|noun.feeling|verb.emotion"},
		{lexicon.AdjPpl, "adj.ppl"},
		{lexicon.NounTops, "noun.Tops"},
	}
	for _, tt := range tests {
		if got := tt.c.String(); got != tt.want {
			t.Errorf("Class(%#x).String() = %q, want %q", uint64(tt.c), got, tt.want)
		}
	}
}

func TestPOS(t *testing.T) {
	tests := []struct{ lemma, want string }{
		{"shake", "nv"},
		{"customer", "n"},
		{"apologize", "v"},
		{"angry", "a"},
		{"quickly", "r"},
		{"follow_up", "v"},
		{"check_in", "v"},
		{"even", "nvar"},
		{"xyzzy", ""},
	}
	for _, tt := range tests {
		if got := lexicon.POS(tt.lemma); got != tt.want {
			t.Errorf("POS(%q) = %q, want %q", tt.lemma, got, tt.want)
		}
	}
}

func TestConcepts(t *testing.T) {
	for _, w := range []string{"frustrate", "frustration", "customer", "shake", "angry", "follow_up"} {
		cs := lexicon.Concepts(w)
		if len(cs) == 0 {
			t.Errorf("Concepts(%q) is empty", w)
			continue
		}
		level0 := 0
		for i, c := range cs {
			if c.Level > 3 {
				t.Errorf("Concepts(%q)[%d].Level = %d, want 0..3", w, i, c.Level)
			}
			if i > 0 && c.ID <= cs[i-1].ID {
				t.Errorf("Concepts(%q) not sorted by unique ID at %d", w, i)
			}
			if c.Level == 0 {
				level0++
			}
		}
		// At most 3 kept senses per part of speech.
		if max := 3 * len(lexicon.POS(w)); level0 == 0 || level0 > max {
			t.Errorf("Concepts(%q) has %d level-0 synsets, want 1..%d", w, level0, max)
		}
	}
	if cs := lexicon.Concepts("xyzzy"); cs != nil {
		t.Errorf("Concepts(unknown) = %v, want nil", cs)
	}
	// A derivation link: a sense of "frustration" is a level-1 concept of
	// "frustrate".
	levels := map[uint32]uint8{}
	for _, c := range lexicon.Concepts("frustrate") {
		levels[c.ID] = c.Level
	}
	linked := false
	for _, c := range lexicon.Concepts("frustration") {
		if l, ok := levels[c.ID]; ok && c.Level == 0 && l == 1 {
			linked = true
		}
	}
	if !linked {
		t.Error("no sense of frustration is a level-1 concept of frustrate")
	}
}

func TestSimilarity(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"customer", "customer", 1},
		{"xyzzy", "xyzzy", 1},
		{"", "", 0},
		// Shared sense (synonyms).
		{"customer", "client", 0.9},
		{"happy", "glad", 0.9},
		{"tell", "say", 0.9},
		{"measure", "quantify", 0.9},
		// Derivation.
		{"frustrate", "frustration", 0.7},
		{"angry", "anger", 0.7},
		{"apologize", "apology", 0.7},
		{"complain", "complaint", 0.7},
		// Hypernym or sibling.
		{"measure", "metric", 0.4},
		{"train", "coach", 0.4},
		{"anger", "emotion", 0.4},
		// Two steps up.
		{"manager", "boss", 0.2},
		// WordNet relates "learn" to "learning", not to "lesson".
		{"learn", "lesson", 0},
		{"pizza", "deadline", 0},
		// "person" is a hypernym of thousands of lemmas, so it relates none.
		{"manager", "person", 0},
		{"improve", "worsen", 0},
		{"customer", "xyzzy", 0},
	}
	for _, tt := range tests {
		if got := lexicon.Similarity(tt.a, tt.b); got != tt.want {
			t.Errorf("Similarity(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got, back := lexicon.Similarity(tt.a, tt.b), lexicon.Similarity(tt.b, tt.a); got != back {
			t.Errorf("Similarity(%q, %q) = %v but reversed %v", tt.a, tt.b, got, back)
		}
	}
}

func TestLookupsDoNotAllocate(t *testing.T) {
	lexicon.Lemma("x") // load the table outside the measurement
	allocs := testing.AllocsPerRun(100, func() {
		lexicon.Lemma("apologised")
		lexicon.Lemma("geese")
		lexicon.Classes("frustration")
		lexicon.ClassesPOS("notice", 'v')
		lexicon.POS("shake")
		lexicon.Concepts("customer")
		lexicon.Similarity("frustrate", "frustration")
	})
	if allocs != 0 {
		t.Errorf("lookups allocate %v times per run, want 0", allocs)
	}
}

var sinkString string
var sinkFloat float64

func BenchmarkLemma(b *testing.B) {
	words := []string{"shaking", "customers", "went", "apologised", "stakeholders", "frustration", "evening", "xyzzy"}
	lexicon.Lemma("x")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		sinkString = lexicon.Lemma(words[i%len(words)])
	}
}

func BenchmarkSimilarity(b *testing.B) {
	pairs := [][2]string{{"frustrate", "frustration"}, {"pizza", "deadline"}, {"customer", "client"}, {"measure", "metric"}, {"go", "make"}}
	lexicon.Lemma("x")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := pairs[i%len(pairs)]
		sinkFloat = lexicon.Similarity(p[0], p[1])
	}
}

func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if err := lexicon.DecodeEmbedded(); err != nil {
			b.Fatal(err)
		}
	}
}
