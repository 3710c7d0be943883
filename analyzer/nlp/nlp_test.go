package nlp_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/candorhq/candor/analyzer/nlp"
)

// checkDoc verifies the invariants every parsed document must keep: token
// and unit offsets in code points agree with their byte offsets, tokens are
// in order and do not overlap, units cover their tokens and stay inside the
// text. It reports the first few problems only.
func checkDoc(t testing.TB, d *nlp.Doc) {
	t.Helper()
	text := d.Text
	if got := utf8.RuneCountInString(text); d.RuneLen != got {
		t.Errorf("RuneLen = %d, want %d", d.RuneLen, got)
	}
	// cpAt[b] is the code-point offset of byte b (-1 inside a rune).
	cpAt := make([]int, len(text)+1)
	n := 0
	for b := range cpAt {
		cpAt[b] = -1
	}
	for b := 0; b < len(text); {
		_, size := utf8.DecodeRuneInString(text[b:])
		cpAt[b] = n
		n++
		b += size
	}
	cpAt[len(text)] = n
	cp := func(b int) int { return cpAt[b] }
	prevEnd := 0
	for i, tk := range d.Tokens {
		if tk.ByteStart < prevEnd || tk.ByteStart >= tk.ByteEnd || tk.ByteEnd > len(text) {
			t.Fatalf("token %d %q: bytes [%d,%d) out of order or bounds (previous end %d, len %d)", i, tk.Text, tk.ByteStart, tk.ByteEnd, prevEnd, len(text))
		}
		prevEnd = tk.ByteEnd
		if text[tk.ByteStart:tk.ByteEnd] != tk.Text {
			t.Fatalf("token %d: text[%d:%d] = %q, Text = %q", i, tk.ByteStart, tk.ByteEnd, text[tk.ByteStart:tk.ByteEnd], tk.Text)
		}
		if tk.Start != cp(tk.ByteStart) || tk.End != cp(tk.ByteEnd) {
			t.Fatalf("token %d %q: code points [%d,%d), want [%d,%d)", i, tk.Text, tk.Start, tk.End, cp(tk.ByteStart), cp(tk.ByteEnd))
		}
		if tk.Unit < 0 || tk.Unit >= len(d.Units) {
			t.Fatalf("token %d %q: unit %d of %d", i, tk.Text, tk.Unit, len(d.Units))
		}
		if u := d.Units[tk.Unit]; i < u.First || i >= u.Last {
			t.Fatalf("token %d %q: says unit %d, which holds tokens [%d,%d)", i, tk.Text, tk.Unit, u.First, u.Last)
		}
	}
	if len(d.Tokens) > 0 && len(d.Units) == 0 {
		t.Fatalf("%d tokens but no units", len(d.Tokens))
	}
	next := 0
	for i, u := range d.Units {
		if u.First != next || u.Last <= u.First || u.Last > len(d.Tokens) {
			t.Fatalf("unit %d: tokens [%d,%d), want to start at %d and hold at least one of %d", i, u.First, u.Last, next, len(d.Tokens))
		}
		next = u.Last
		if u.ByteStart < 0 || u.ByteStart > u.ByteEnd || u.ByteEnd > len(text) {
			t.Fatalf("unit %d: bytes [%d,%d) outside text of %d bytes", i, u.ByteStart, u.ByteEnd, len(text))
		}
		if u.Start != cp(u.ByteStart) || u.End != cp(u.ByteEnd) {
			t.Fatalf("unit %d: code points [%d,%d), want [%d,%d)", i, u.Start, u.End, cp(u.ByteStart), cp(u.ByteEnd))
		}
		if u.ByteStart != d.Tokens[u.First].ByteStart || u.ByteEnd < d.Tokens[u.Last-1].ByteEnd {
			t.Fatalf("unit %d [%d,%d) does not span its tokens [%d,%d)", i, u.ByteStart, u.ByteEnd, d.Tokens[u.First].ByteStart, d.Tokens[u.Last-1].ByteEnd)
		}
		if i > 0 && u.ByteStart < d.Units[i-1].ByteEnd {
			t.Fatalf("unit %d starts at %d, inside unit %d ending at %d", i, u.ByteStart, i-1, d.Units[i-1].ByteEnd)
		}
		if d.UnitText(u) != text[u.ByteStart:u.ByteEnd] {
			t.Fatalf("unit %d: UnitText disagrees with its byte range", i)
		}
	}
	if next != len(d.Tokens) {
		t.Fatalf("units hold %d of %d tokens", next, len(d.Tokens))
	}
}

func TestParseOffsetsMultiByte(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string // the tokens, in order
	}{
		{"accents", "Renée called the café in Zürich.", []string{"Renée", "called", "the", "café", "in", "Zürich"}},
		{"curly quotes and apostrophe", "She said “I’m done” and left.", []string{"She", "said", "I’m", "done", "and", "left"}},
		{"emoji between words", "Great 😀 news 🎉🎉 today", []string{"Great", "news", "today"}},
		{"cjk", "我们 met in 東京 on Monday.", []string{"我们", "met", "in", "東京", "on", "Monday"}},
		{"numbers with signs", "We saved $4,500 — about 12.5% — by 9:30.", []string{"We", "saved", "$4,500", "about", "12.5%", "by", "9:30"}},
		{"hyphen and dash", "A follow-up call—two days later—fixed it.", []string{"A", "follow-up", "call", "two", "days", "later", "fixed", "it"}},
		{"combining mark", "Zoe\u0301 stayed", []string{"Zoe\u0301", "stayed"}},
		{"leading and trailing space", "  \u00a0 é  ", []string{"é"}},
		{"only punctuation", "… — !?", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := nlp.Parse(tc.text)
			checkDoc(t, d)
			runes := []rune(tc.text)
			var got []string
			for _, tk := range d.Tokens {
				got = append(got, tk.Text)
				if s := string(runes[tk.Start:tk.End]); s != tk.Text {
					t.Errorf("[]rune(text)[%d:%d] = %q, token %q", tk.Start, tk.End, s, tk.Text)
				}
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("tokens = %q, want %q", got, tc.want)
			}
			for i, u := range d.Units {
				if s := string(runes[u.Start:u.End]); s != d.UnitText(u) {
					t.Errorf("unit %d: []rune(text)[%d:%d] = %q, UnitText %q", i, u.Start, u.End, s, d.UnitText(u))
				}
			}
		})
	}
}

func TestParseTokenFlags(t *testing.T) {
	d := nlp.Parse("Mrs. Okafor’s flight left at 7:45, 3 hours late.")
	byText := map[string]nlp.Token{}
	for _, tk := range d.Tokens {
		byText[tk.Text] = tk
	}
	tests := []struct {
		text        string
		lower       string
		number, cap bool
	}{
		{"Mrs", "mrs", false, true},
		{"Okafor’s", "okafor's", false, true},
		{"7:45", "7:45", true, false},
		{"3", "3", true, false},
		{"late", "late", false, false},
	}
	for _, tc := range tests {
		tk, ok := byText[tc.text]
		if !ok {
			t.Errorf("no token %q in %q", tc.text, d.Text)
			continue
		}
		if tk.Lower != tc.lower || tk.Number != tc.number || tk.Cap != tc.cap {
			t.Errorf("%q: Lower %q Number %v Cap %v, want %q %v %v", tc.text, tk.Lower, tk.Number, tk.Cap, tc.lower, tc.number, tc.cap)
		}
	}
}

func TestParseSentences(t *testing.T) {
	tests := []struct {
		name string
		text string
		want int // sentences
	}{
		{"honorifics", "Mrs. Okafor met Dr. Patel and Mr. Lee at St. Mary’s. They talked.", 2},
		{"abbreviations", "We tried everything, e.g. refunds, vouchers etc. and nothing worked. Then I called.", 2},
		{"dotted abbreviation", "It was slow, i.e. nobody called back for days. I did.", 2},
		{"stop with no space", "See example.com for the form. Then it worked.", 2},
		{"question and exclamation", "Why now? Because it broke! I fixed it.", 3},
		{"newline ends a sentence", "first line without a stop\nsecond line", 2},
		{"decimal is no boundary", "It went from 3.5 to 4.2 stars in May. Good.", 2},
		{"no final stop", "one sentence only", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := nlp.Parse(tc.text)
			checkDoc(t, d)
			var got []string
			for _, u := range d.Units {
				if u.SentenceStart {
					got = append(got, d.UnitText(u))
				}
			}
			if len(got) != tc.want {
				t.Errorf("%d sentences %q, want %d", len(got), got, tc.want)
			}
		})
	}
}

func TestParseLongSentenceSplitsIntoClauses(t *testing.T) {
	long := "I called Mr. Lee on the Monday morning, and he told me the refund had been late for weeks, " +
		"so I went through the ledger line by line with our billing analyst, because the numbers did not add up, " +
		"which is when I found that the payment had bounced twice after the bank changed its sort code."
	short := "I called him, and he answered, so we talked."
	tests := []struct {
		name       string
		text       string
		minClauses int
		maxClauses int
	}{
		{"long sentence", long, 2, 6},
		{"short sentence stays whole", short, 1, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := nlp.Parse(tc.text)
			checkDoc(t, d)
			if n := len(d.Units); n < tc.minClauses || n > tc.maxClauses {
				t.Fatalf("%d units, want %d..%d", n, tc.minClauses, tc.maxClauses)
			}
			starts := 0
			for i, u := range d.Units {
				if u.SentenceStart {
					starts++
				}
				if i > 0 && u.SentenceStart {
					t.Errorf("unit %d %q starts a sentence; the text has one", i, d.UnitText(u))
				}
				if n := u.Last - u.First; len(d.Units) > 1 && n > 40 {
					t.Errorf("clause %d has %d tokens: not split", i, n)
				}
			}
			if starts != 1 {
				t.Errorf("%d sentence starts, want 1", starts)
			}
		})
	}
}

func lemmaOf(d *nlp.Doc, word string) (string, bool) {
	for _, tk := range d.Tokens {
		if tk.Lower == word {
			return tk.Lemma, true
		}
	}
	return "", false
}

func TestParseLemmas(t *testing.T) {
	tests := []struct {
		name string
		text string
		word string // lower-case token whose lemma is checked
		want string
	}{
		{"plain verb", "She called twice.", "called", "call"},
		{"irregular past", "He told me.", "told", "tell"},
		{"contraction", "I didn't know.", "didn't", "do"},
		{"possessive", "The customer's refund.", "customer's", "customer"},
		{"curly possessive", "The customer’s refund.", "customer's", "customer"},
		{"phrasal verb", "I found out the cause.", "found", "discover"},
		{"phrasal verb with pronoun", "Nobody picked it up for a week.", "picked", "notice"},
		{"phrasal verb, other particle", "We rolled out the new form.", "rolled", "launch"},
		{"idiom", "We got ahead of the complaints.", "got", "anticipate"},
		{"idiom at the end", "It fell through the cracks", "fell", "gap"},
		{"idiom incomplete at the end", "It fell through the", "fell", "fall"},
		{"not a phrasal verb", "I found a note.", "found", "find"},
		{"phrasal verb at the end", "That is what we found out", "found", "discover"},
		{"pronoun and particle at the end", "They tipped me off", "tipped", "alert"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := nlp.Parse(tc.text)
			checkDoc(t, d)
			got, ok := lemmaOf(d, tc.word)
			if !ok {
				t.Fatalf("no token %q", tc.word)
			}
			if got != tc.want {
				t.Errorf("lemma of %q = %q, want %q", tc.word, got, tc.want)
			}
		})
	}
}

func TestWords(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"", 0},
		{"  — … ", 0},
		{"one", 1},
		{"I'm here, aren't I?", 4},
		{"café 東京 42", 3},
		{"'", 0},
		{"' '' '", 0},
		{"rock 'n' roll", 3},
		{"’’ ’", 0},
		{"—a", 1},
		{"\u0301²", 0},
	}
	for _, tc := range tests {
		if got := nlp.Words(tc.text); got != tc.want {
			t.Errorf("Words(%q) = %d, want %d", tc.text, got, tc.want)
		}
		if got := nlp.HasWord(tc.text); got != (tc.want > 0) {
			t.Errorf("HasWord(%q) = %v, want %v", tc.text, got, tc.want > 0)
		}
	}
}

func lemmas(text string) []string {
	var out []string
	for _, tk := range nlp.Parse(text).Tokens {
		out = append(out, tk.Lemma)
	}
	return out
}

func TestMatcherParaphraseBeatsUnrelated(t *testing.T) {
	docs := []string{
		"Tell me about a time a customer was angry with you. How did you calm them down?",
		"Describe how you used customer feedback data to change a product.",
		"Give an example of a disagreement with a colleague and how you resolved it.",
	}
	m := nlp.NewMatcher(docs, map[string]bool{"tell": true, "time": true})
	if m.Len() != len(docs) {
		t.Fatalf("Len = %d, want %d", m.Len(), len(docs))
	}
	tests := []struct {
		name       string
		doc        int
		paraphrase string
		unrelated  string
	}{
		{"angry customer", 0, "Can you recall an occasion when a furious client shouted at you, and how you soothed them?",
			"What is your favourite holiday destination and why?"},
		{"feedback", 1, "How did you use what customers told you in surveys to alter the product?",
			"We drove to the coast on Sunday and swam."},
		{"conflict", 2, "Talk about a disagreement you had with a coworker and how it got resolved.",
			"The printer on the third floor is out of toner."},
	}
	s := m.NewScorer()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			para := make([]float64, m.Len())
			other := make([]float64, m.Len())
			s.Score(lemmas(tc.paraphrase), para)
			s.Score(lemmas(tc.unrelated), other)
			for i, x := range append(append([]float64{}, para...), other...) {
				if x < 0 || x > 1 {
					t.Errorf("score %d = %v, outside 0..1", i, x)
				}
			}
			if para[tc.doc] <= other[tc.doc] {
				t.Errorf("paraphrase scores %.3f, unrelated %.3f: want paraphrase higher", para[tc.doc], other[tc.doc])
			}
			for d := range para {
				if d != tc.doc && para[d] >= para[tc.doc] {
					t.Errorf("paraphrase of doc %d scores %.3f on doc %d, %.3f on its own", tc.doc, para[d], d, para[tc.doc])
				}
			}
			for d, x := range s.TurnSide() {
				if x < 0 || x > 1 {
					t.Errorf("TurnSide[%d] = %v, outside 0..1", d, x)
				}
			}
		})
	}
}

func TestMatcherEmpty(t *testing.T) {
	m := nlp.NewMatcher([]string{"", "customer refund"}, nil)
	s := m.NewScorer()
	out := []float64{-1, -1}
	s.Score(nil, out)
	if out[0] != 0 || out[1] != 0 {
		t.Errorf("nothing scored %v, want zeros", out)
	}
	s.Score(lemmas("customer refund"), out)
	if out[0] != 0 || out[1] != 1 {
		t.Errorf("exact text scored %v, want [0 1]", out)
	}
}

func TestMatcherDeterministic(t *testing.T) {
	docs := []string{"How did you handle an angry caller?", "How did you measure success?"}
	text := lemmas("I measured how the callers felt after we handled their complaints.")
	first := make([]float64, 2)
	nlp.NewMatcher(docs, nil).NewScorer().Score(text, first)
	for i := 0; i < 5; i++ {
		got := make([]float64, 2)
		nlp.NewMatcher(docs, nil).NewScorer().Score(text, got)
		if got[0] != first[0] || got[1] != first[1] {
			t.Fatalf("run %d scored %v, first run %v", i, got, first)
		}
	}
}

// corpus returns real answers and transcripts to seed the fuzzer and the
// benchmark: the project's fixtures, and the shared dev set when present.
func corpus(t testing.TB) []string {
	var out []string
	for _, pat := range []string{"../../testdata/eval/transcripts/*", "../../../shared/eval/dev/transcripts/*"} {
		files, _ := filepath.Glob(pat)
		for _, f := range files {
			if strings.HasSuffix(f, ".json") {
				continue
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, string(data))
		}
	}
	return out
}

func TestParseFixtures(t *testing.T) {
	texts := corpus(t)
	if len(texts) == 0 {
		t.Skip("no fixtures under testdata/eval/transcripts")
	}
	for _, text := range texts {
		checkDoc(t, nlp.Parse(text))
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "Mrs. Okafor’s flight", "$5,000 and 20%.", "a'b-c.d,e:f", "1.2.3,4:5%", "#1 $2", "東京😀é\u0301",
		"x.\ny!z?", "\xff\xfe bad utf8 \xc3", "picked it up. got ahead of it", "'—'"} {
		f.Add(s)
	}
	for _, s := range corpus(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		d := nlp.Parse(text)
		if d.Text != text {
			t.Fatal("Doc.Text differs from the input")
		}
		checkDoc(t, d)
		if utf8.ValidString(text) {
			runes := []rune(text)
			for _, tk := range d.Tokens {
				if string(runes[tk.Start:tk.End]) != tk.Text {
					t.Fatalf("token %q: runes [%d,%d) = %q", tk.Text, tk.Start, tk.End, string(runes[tk.Start:tk.End]))
				}
			}
		}
		w := nlp.Words(text)
		if w < 0 {
			t.Fatalf("Words = %d", w)
		}
		if nlp.HasWord(text) != (w > 0) {
			t.Fatalf("HasWord = %v with %d words", nlp.HasWord(text), w)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	text := strings.Join(corpus(b), "\n")
	if text == "" {
		b.Skip("no fixtures under testdata/eval/transcripts")
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		nlp.Parse(text)
	}
}

// TestParseAfterRelease: a document parsed into the arrays of a released
// one is the document a fresh parse gives, nothing of the earlier text left.
func TestParseAfterRelease(t *testing.T) {
	short := "She told me. I found out the cause, and we rolled it out."
	copyDoc := func(d *nlp.Doc) nlp.Doc {
		return nlp.Doc{Text: d.Text, Tokens: append([]nlp.Token(nil), d.Tokens...), Units: append([]nlp.Unit(nil), d.Units...), RuneLen: d.RuneLen}
	}
	want := copyDoc(nlp.Parse(short))
	for range 3 {
		long := nlp.Parse(strings.Repeat("Mrs. Okafor’s flight left at 7:45, so we picked it up with the crew. ", 50))
		long.Release()
		got := nlp.Parse(short)
		checkDoc(t, got)
		if c := copyDoc(got); !reflect.DeepEqual(c, want) {
			t.Fatalf("after Release: %+v\nwant %+v", c, want)
		}
		got.Release()
	}
}

// TestFirstMark: Parse skips the mark table below U+0300, where it has none.
func TestFirstMark(t *testing.T) {
	if lo := rune(unicode.M.R16[0].Lo); lo != 0x300 {
		t.Fatalf("unicode.M starts at %U", lo)
	}
}
