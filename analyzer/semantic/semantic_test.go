package semantic

import (
	"strings"
	"testing"
)

func TestTableLoads(t *testing.T) {
	if err := Load(); err != nil {
		t.Fatal(err)
	}
	if n := Size(); n != 100_000 {
		t.Fatalf("Size() = %d, want 100000", n)
	}
	for _, w := range []string{"customer", "angry", "refund", "apologised", "apologized"} {
		if Lookup(w) == NoID {
			t.Errorf("Lookup(%q) = NoID", w)
		}
	}
	if Lookup("zzqxv") != NoID {
		t.Error("nonsense word found")
	}
}

// Known neighbours are near and unrelated words far.
func TestNeighbours(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		min  float32
		max  float32
	}{
		{"angry", "furious", 0.6, 1},
		{"customer", "client", 0.5, 1},
		{"refund", "reimbursement", 0.4, 1},
		{"lesson", "learned", 0.25, 1},
		{"angry", "spreadsheet", -1, 0.2},
		{"customer", "volcano", -1, 0.2},
	} {
		got := Cos(Lookup(tc.a), Lookup(tc.b))
		if got < tc.min || got > tc.max {
			t.Errorf("Cos(%s, %s) = %.3f, want in [%.2f, %.2f]", tc.a, tc.b, got, tc.min, tc.max)
		}
	}
	if c := Cos(Lookup("customer"), Lookup("customer")); c < 0.99 || c > 1.01 {
		t.Errorf("self cosine %.4f, want 1", c)
	}
}

func TestRecallPrefersParaphrase(t *testing.T) {
	area := New("How the candidate noticed the customer's emotions")
	para := New("I could see she was upset and shaking, so I asked how she was feeling")
	other := New("We migrated the billing database to a new server over the weekend")
	if rp, ro := Recall(&area, &para), Recall(&area, &other); rp <= ro {
		t.Errorf("Recall(area, paraphrase) = %.3f <= Recall(area, unrelated) = %.3f", rp, ro)
	}
	if cp, co := Cosine(&area, &para), Cosine(&area, &other); cp <= co {
		t.Errorf("Cosine(area, paraphrase) = %.3f <= Cosine(area, unrelated) = %.3f", cp, co)
	}
}

func TestRarityAndWeight(t *testing.T) {
	common, rare := Lookup("the"), Lookup("escalation")
	if common == NoID || rare == NoID {
		t.Fatal("words missing")
	}
	if !(Rarity(common) < Rarity(rare) && Rarity(rare) < Rarity(NoID)) {
		t.Errorf("rarity not increasing: the %.3f, escalation %.3f, unknown %.3f", Rarity(common), Rarity(rare), Rarity(NoID))
	}
	if !(Weight(common) < 0.1 && Weight(rare) > 0.9 && Weight(NoID) == 1) {
		t.Errorf("weights: the %.3f, escalation %.3f, unknown %.3f", Weight(common), Weight(rare), Weight(NoID))
	}
}

func TestStopwordsAndNumbersLeftOut(t *testing.T) {
	txt := New("Um, so I was the one who called them 3 times")
	for _, w := range txt.Words {
		if w.Lemma == "um" || w.Lemma == "the" || w.Lemma == "3" || w.Lemma == "so" {
			t.Errorf("%q kept as a content word", w.Lemma)
		}
	}
	if len(txt.Words) == 0 {
		t.Fatal("no content words")
	}
}

func TestProfile(t *testing.T) {
	a := New("refund delayed angry customer")
	same := New("the angry customer's refund was delayed")
	p := RecallProfile(&a, &same)
	if p.Share70 < 0.99 || p.Weakest < 0.99 {
		t.Errorf("profile of a paraphrase with every word: %+v", p)
	}
	none := New("volcano geology lecture")
	if p := RecallProfile(&a, &none); p.Share70 > 0.01 {
		t.Errorf("profile against unrelated text: %+v", p)
	}
}

func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(vectorsBin)))
	for b.Loop() {
		if _, err := decode(vectorsBin); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRecall(b *testing.B) {
	area := New("How the candidate identified and acknowledged the customer's emotions")
	unit := New("I could hear her voice shaking, so I stopped and told her I could tell this had been a really stressful week")
	b.ReportAllocs()
	for b.Loop() {
		Recall(&area, &unit)
	}
}

// TestHubnessCorrection: function words lie near words in general, so the
// engine's Similarity discounts what two words share with everything.
func TestHubnessCorrection(t *testing.T) {
	word := func(s string) *Word {
		w := New(s)
		if len(w.Words) != 1 {
			t.Fatalf("%q: %d content words", s, len(w.Words))
		}
		return &w.Words[0]
	}
	because, refund, decision, choice := word("because"), word("refund"), word("decision"), word("choice")
	if Hub(because.ID) <= Hub(refund.ID) {
		t.Errorf("hub(because) %.2f <= hub(refund) %.2f", Hub(because.ID), Hub(refund.ID))
	}
	if Hub(because.ID) != Hub(because.ID) {
		t.Error("Hub is not stable")
	}
	// A hub's plain cosine with a content word is high; corrected, it falls
	// below a true neighbour's.
	if p, s := PlainSimilarity(because, decision), Similarity(because, decision); s >= p {
		t.Errorf("because~decision: corrected %.2f, plain %.2f", s, p)
	}
	// The hub pair loses more of its similarity than a pair of content
	// words.
	drop := func(a, b *Word) float32 { return 1 - Similarity(a, b)/PlainSimilarity(a, b) }
	if h, c := drop(because, decision), drop(choice, decision); h <= c {
		t.Errorf("because~decision lost %.2f, choice~decision %.2f", h, c)
	}
	if s := Similarity(refund, refund); s != 1 {
		t.Errorf("same word: %v", s)
	}
}

// SimilarityAt and SimilarityCol give exactly Similarity's numbers.
func TestSimilarityAtMatchesSimilarity(t *testing.T) {
	words := func(s string) []Word {
		var out []Word
		for _, f := range strings.Fields(s) {
			id := Lookup(f)
			out = append(out, Word{Lemma: f, ID: id})
		}
		return out
	}
	a := words("customer angry because after make decision pressure refund zzqxv calm the")
	var b []Word
	for id := ID(0); id < ID(Size()); id += 37 {
		b = append(b, Word{Lemma: Spelling(id), ID: id})
	}
	b = append(b, words("furious client qqzzx")...)
	var ra, rb Rows
	for _, w := range a {
		ra.Add(w.ID)
	}
	for _, w := range b {
		rb.Add(w.ID)
	}
	nonzero := 0
	cols := make([][]float32, len(b))
	for j := range b {
		cols[j] = make([]float32, len(a))
		SimilarityCol(&ra, &rb, j, cols[j])
	}
	for i := range a {
		for j := range b {
			if a[i].Lemma == b[j].Lemma {
				continue
			}
			got, want := SimilarityAt(&ra, i, &rb, j), Similarity(&a[i], &b[j])
			if got != want || cols[j][i] != want {
				t.Fatalf("%s x %s: %v (column %v), Similarity %v", a[i].Lemma, b[j].Lemma, got, cols[j][i], want)
			}
			if got > 0 {
				nonzero++
			}
		}
	}
	if nonzero < 100 {
		t.Errorf("only %d similar pairs: the test reaches too little", nonzero)
	}
}

// Hub is its definition, computed with Go's int8 dot product: dotVec gives
// exactly the same sums.
func TestHubMatchesDefinition(t *testing.T) {
	tb := get()
	for id := ID(0); id < ID(Size()); id += 997 {
		x := tb.vecs[int(id)*Dim : int(id)*Dim+Dim]
		sum, n := float32(0), 0
		for p := hubFrom; p < hubTo; p += hubStep {
			if ID(p) == id {
				continue
			}
			sum += float32(dot(x, tb.vecs[p*Dim:p*Dim+Dim])) * tb.scales[id] * tb.scales[p]
			n++
		}
		if got, want := Hub(id), sum/float32(n); got != want {
			t.Fatalf("Hub(%s) = %v, by definition %v", Spelling(id), got, want)
		}
	}
}

// dotVec (AVX2 where the machine has it) is dot, for pairs across the table
// (its last word included: the vectors are read in place).
func TestDotVecMatchesDot(t *testing.T) {
	tb := get()
	n := Size()
	for a := 0; a < n; a += 613 {
		for _, b := range []int{0, 1, n - 1, (a * 7919) % n, (a + 1) % n} {
			x, y := tb.vecs[a*Dim:a*Dim+Dim], tb.vecs[b*Dim:b*Dim+Dim]
			if got, want := dotVec(x, y), dot(x, y); got != want {
				t.Fatalf("dotVec(%d, %d) = %d, dot %d", a, b, got, want)
			}
		}
	}
	extreme := make([]int8, Dim)
	for i := range extreme {
		extreme[i] = -128
	}
	if got, want := dotVec(extreme, extreme), dot(extreme, extreme); got != want || want != Dim*128*128 {
		t.Fatalf("dotVec of -128s = %d, dot %d", got, want)
	}
}

// addScaled (AVX2 where the machine has it) is addScaledGo, to the bit.
func TestAddScaledMatchesGo(t *testing.T) {
	tb := get()
	var got, want [Dim]float32
	for id := 0; id < Size(); id += 331 {
		x := tb.vecs[id*Dim : id*Dim+Dim]
		s := tb.scales[id] * Weight(ID(id))
		addScaled(&got, x, s)
		addScaledGo(&want, x, s)
		if got != want {
			t.Fatalf("after word %d: %v, Go %v", id, got, want)
		}
	}
}

// Every word's hubness is below 1/2, so a mean of two is below 1: the
// matrix's branch-free rescaling (SimilarityCol) relies on it.
func TestHubBelowHalf(t *testing.T) {
	worst, at := float32(0), ID(0)
	for id := ID(0); id < ID(Size()); id++ {
		if h := Hub(id); h > worst {
			worst, at = h, id
		}
	}
	if worst >= 0.5 {
		t.Fatalf("Hub(%s) = %v", Spelling(at), worst)
	}
	t.Logf("largest hubness %v (%s)", worst, Spelling(at))
}

// dotCol (AVX2 where the machine has it) is dot word by word, unknown
// words 0, the table's last word included.
func TestDotColMatchesDot(t *testing.T) {
	tb := get()
	n := Size()
	ids := []ID{NoID, 0, 1, ID(n - 1), 500, NoID}
	for id := 7; id < n; id += 1231 {
		ids = append(ids, ID(id))
	}
	out := make([]int32, len(ids))
	for _, y := range []int{0, 3, n - 1, 4242} {
		vy := tb.vecs[y*Dim : y*Dim+Dim]
		dotCol(tb.vecs, ids, vy, out)
		for i, id := range ids {
			want := int32(0)
			if id >= 0 {
				want = dot(tb.vecs[int(id)*Dim:int(id)*Dim+Dim], vy)
			}
			if out[i] != want {
				t.Fatalf("word %d with %d: %d, dot %d", id, y, out[i], want)
			}
		}
	}
}

// Cosines gives exactly Cosine's numbers.
func TestCosinesMatchCosine(t *testing.T) {
	b := New("She was furious about the bill, so I listened, apologised and refunded the roaming charges.")
	var as []*Text
	for _, s := range []string{"How the candidate calmed the customer", "The outcome", "", "What the customer felt",
		"Refund and apology", "The lesson learned", "Billing error on the account"} {
		a := New(s)
		as = append(as, &a)
	}
	for n := 0; n <= len(as); n++ {
		out := make([]float64, n)
		Cosines(as[:n], &b, out)
		for k := range out {
			if want := Cosine(as[k], &b); out[k] != want {
				t.Fatalf("%d of %d: %v, Cosine %v", k, n, out[k], want)
			}
		}
	}
	var empty Text
	out := make([]float64, 4)
	Cosines(as[:4], &empty, out)
	for k, c := range out {
		if c != 0 {
			t.Fatalf("against an empty text %d: %v", k, c)
		}
	}
}
