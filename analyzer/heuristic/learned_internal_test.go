package heuristic

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/nlp"
	"github.com/candorhq/candor/analyzer/semantic"
	"github.com/candorhq/candor/internal/testkit"
)

// pairVector computes in one pass what package semantic computes feature by
// feature.
func TestPairVectorMatchesSemantic(t *testing.T) {
	q := semantic.New("How did you handle an angry customer?")
	sib := []semantic.Text{semantic.New("What the customer said next"), semantic.New("The outcome for the customer")}
	a := readAreaText("How the candidate calmed the angry customer down", &q, sib)
	b := semantic.New("She was furious, so I listened, apologised and stayed calm until she settled.")
	x := pairOf(&a, &b)
	if len(x) != nBase {
		t.Fatalf("%d base features, want %d", len(x), nBase)
	}
	prof := semantic.RecallProfile(&a.topical, &b)
	want := map[string]float64{
		"recall":          semantic.Recall(&a.plain, &b),
		"recall_topical":  semantic.Recall(&a.topical, &b),
		"recall_distinct": semantic.Recall(&a.distinct, &b),
		"overlap_topical": semantic.Overlap(&a.topical, &b),
		"wordnet_topical": semantic.WordNetRecall(&a.topical, &b),
		"reverse":         semantic.Recall(&b, &a.plain),
		"cosine":          semantic.Cosine(&a.plain, &b),
		"share70":         prof.Share70,
		"weakest":         prof.Weakest,
	}
	for i, name := range PairFeatures[:nBase] {
		w, ok := want[name]
		if !ok {
			continue
		}
		if math.Abs(x[i]-w) > 1e-5 {
			t.Errorf("%s = %.6f, semantic gives %.6f", name, x[i], w)
		}
	}
}

// The question's own words weigh less: an area matched only through them
// scores lower topically than plainly.
func TestQuestionWordsDownWeighted(t *testing.T) {
	q := semantic.New("Tell me about a customer complaint")
	a := readAreaText("The customer complaint and its cause", &q, nil)
	b := semantic.New("The customer complaint was long.")
	x := pairOf(&a, &b)
	if !(x[1] < x[0]) {
		t.Errorf("recall_topical %.3f not below recall %.3f", x[1], x[0])
	}
}

// Margins: with two areas, the margins of one are the negatives of the
// other's; alone, they are zero.
func TestPairMargins(t *testing.T) {
	areas := []string{"Uniforms reduce bullying", "Uniforms cost families money"}
	xs := ClaimPairVectors("School uniforms should be required", areas, "Kids in uniform get picked on less for their clothes.")
	for k := range marginOf {
		i := nBase + k
		if math.Abs(xs[0][i]+xs[1][i]) > 1e-12 {
			t.Errorf("margin %s: %v and %v", PairFeatures[i], xs[0][i], xs[1][i])
		}
	}
	alone := ClaimPairVectors("School uniforms should be required", areas[:1], "Kids in uniform get picked on less.")
	for k := range marginOf {
		if alone[0][nBase+k] != 0 {
			t.Errorf("alone, margin %d = %v", k, alone[0][nBase+k])
		}
	}
}

func TestClaimForm(t *testing.T) {
	tests := []struct {
		area, question string
		claim          bool
	}{
		{"Uniforms reduce bullying", "School uniforms should be compulsory", true},
		{"Guns lead to accidental deaths", "Gun ownership should be banned", true},
		{"The US is a powerful country", "The USA is a good country to live in", true},
		{"How the candidate calmed the customer down", "Tell me about a time you handled an angry customer.", false},
		{"Actions taken to resolve the underlying issue", "Describe a time a customer was upset with you.", false},
		{"Lessons learned from the experience", "Tell me about a project that failed.", false},
		{"The specific changes implemented as a result", "Can you describe feedback you acted on?", false},
	}
	for _, tc := range tests {
		if got := isClaim(tc.area, tc.question); got != tc.claim {
			t.Errorf("isClaim(%q, %q) = %v, want %v", tc.area, tc.question, got, tc.claim)
		}
	}
}

// The embedded weights decode, match the engine's feature lists and name
// their data; a file whose feature list differs is refused.
func TestWeightsDecode(t *testing.T) {
	w, err := loadWeights()
	if err != nil {
		t.Fatal(err)
	}
	if w.ClaimForm == nil || w.Evidence == nil || w.Coverage == nil || w.OffQuestion == nil || w.Delivery == nil ||
		w.Sentence == nil || w.QuoteProto == nil || w.Prototypes == nil {
		t.Fatal("a model is missing from weights.json")
	}
	if len(w.Data) == 0 || w.Command == "" {
		t.Error("weights.json names no data or no command")
	}
	for _, d := range w.Data {
		if len(d.SHA256) != 64 || d.Rows <= 0 {
			t.Errorf("data entry %+v", d)
		}
	}
	bad := strings.Replace(string(weightsJSON), `"recall_topical"`, `"recall_other"`, 1)
	if _, err := DecodeWeights([]byte(bad)); err == nil || !strings.Contains(err.Error(), "recall_other") {
		t.Errorf("a renamed feature: err = %v", err)
	}
}

// Names do not move a status: the same answer with other names of people
// and places gets the same coverage.
func TestNamesLeftOut(t *testing.T) {
	doc1 := "In March I ran the desk at a gym in Leeds. A member called Hannah rang because we had charged her twice."
	doc2 := strings.NewReplacer("Leeds", "Valencia", "Hannah", "Lucia").Replace(doc1)
	t1, t2 := semantic.New(doc1), semantic.New(doc2)
	if semantic.Cosine(&t1, &t2) > 0.9999 {
		t.Skip("the two texts read the same even with names; nothing to check")
	}
	e := New()
	q := analyzerQuestion()
	a1, _ := e.Trace(q, nil, doc1)
	a2, _ := e.Trace(q, nil, doc2)
	for i := range a1.Areas {
		for k := range a1.Areas[i].Coverage {
			if a1.Areas[i].Coverage[k] != a2.Areas[i].Coverage[k] {
				t.Errorf("area %d feature %s: %v with one set of names, %v with the other", i, CoverageFeatures[k], a1.Areas[i].Coverage[k], a2.Areas[i].Coverage[k])
			}
		}
	}
}

func analyzerQuestion() analyzer.Question {
	return analyzer.Question{ID: "q1", Text: "Tell me about a time a customer was charged wrongly.",
		Areas: []string{"The situation and what caused the problem", "How the candidate responded", "The outcome"}}
}

// pairOf computes pairVector for one area and one text.
func pairOf(a *areaText, b *semantic.Text) []float64 {
	av, bv := newVocab(), newVocab()
	a.idx = av.add(a.plain.Words)
	p := piece{b, bv.add(b.Words)}
	return pairVector(a, p, newSimMatrix(av, bv), nil)
}

func TestOrderGap(t *testing.T) {
	tests := []struct {
		ui, n, ai, na int
		want          float64
	}{
		{0, 10, 0, 8, 0},          // the first unit, the first area
		{9, 10, 7, 8, 0},          // the last of both
		{0, 10, 7, 8, 1},          // the first unit for the last area
		{0, 1, 3, 8, 0.5 - 3.0/7}, // a one-unit answer sits in the middle
		{4, 9, 0, 1, 0},           // a one-area question sits in the middle
	}
	for _, tc := range tests {
		if got := orderGap(tc.ui, tc.n, tc.ai, tc.na); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("orderGap(%d, %d, %d, %d) = %v, want %v", tc.ui, tc.n, tc.ai, tc.na, got, tc.want)
		}
	}
}

// TestWordInfoReadings: what an answer's word infos keep for matching and
// for delivery (computed once per distinct word and cached across answers)
// is what reading each token afresh gives, token by token.
func TestWordInfoReadings(t *testing.T) {
	type item struct {
		Text string `json:"text"`
	}
	items, _ := testkit.ReadJSONL[item](t, "../../testdata/eval/answers.jsonl", false)
	texts := []string{"Um, I'd call her. I found out the cause, and we rolled it out. Then I picked it up. Mrs. Okafor, 2019, 20% off, the the manager."}
	for _, it := range items {
		texts = append(texts, it.Text)
	}
	n := 0
	for _, text := range texts {
		_, doc, af := readAnswer(text)
		for ti := range doc.Tokens {
			tok := &doc.Tokens[ti]
			wi := af.infos[ti]
			w, ok := semantic.ContentWord(tok)
			if got := wi.flags&wMatch != 0; got != ok || ok && wi.content != w {
				t.Fatalf("token %d %q: matching reading %v %+v, afresh %v %+v", ti, tok.Lower, got, wi.content, ok, w)
			}
			rare, rarity := false, 0.0
			if !tok.Number && len(tok.Lower) >= 3 && !semantic.IsStopword(tok.Lower) && wi.flags&wPronoun3 == 0 && !reflexives[tok.Lower] {
				if id := semantic.Lookup(tok.Lower); id != semantic.NoID {
					rare, rarity = true, semantic.SpellingRarity(tok.Lower, id)
				}
			}
			if got := wi.flags&wRare != 0; got != rare || wi.rarity != rarity {
				t.Fatalf("token %d %q: rarity %v %v, afresh %v %v", ti, tok.Lower, got, wi.rarity, rare, rarity)
			}
			if got := wi.flags&wWould != 0; got != wouldContractions[tok.Lower] {
				t.Fatalf("token %d %q: would %v", ti, tok.Lower, got)
			}
			if got := wi.flags&wSuccession != 0; got != successionWords[tok.Lower] {
				t.Fatalf("token %d %q: succession %v", ti, tok.Lower, got)
			}
			n++
		}
		af.release()
	}
	if n < 9_000 {
		t.Fatalf("only %d tokens checked", n)
	}
}

// TestCoverageRisingHeld: every name of CoverageRising is a coverage
// feature, and the embedded coverage model's weight of each is zero or
// above (the training command holds them: fit.OrdinalMonotone).
func TestCoverageRisingHeld(t *testing.T) {
	w, err := loadWeights()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range CoverageRising {
		i := slices.Index(CoverageFeatures, name)
		if i < 0 {
			t.Errorf("%s: not a coverage feature", name)
			continue
		}
		if w.Coverage.W[i] < 0 {
			t.Errorf("%s: weight %v, held at zero or above", name, w.Coverage.W[i])
		}
	}
}

// TestLengthPerArea: an area reads the answer's length against its
// question's number of areas (the same answer is as long for each of two
// areas as a four-times longer one for each of eight); a depth signal
// reads the length alone.
func TestLengthPerArea(t *testing.T) {
	e := New()
	answer := strings.Repeat("I called the supplier and asked for a new date. ", 6)
	areas := []string{"Who they called", "What they asked for", "How it ended", "What they learned",
		"Who else was involved", "What went wrong first", "When it happened", "What it cost"}
	words := float64(nlp.Words(answer))
	for _, n := range []int{1, 2, 8} {
		q := analyzer.Question{ID: "q", Text: "Tell me about a supplier who let you down.", Areas: areas[:n],
			Depth: []analyzer.DepthSignal{{ID: "s", Text: "The supplier's reasons, in their words"}}}
		tr, err := e.TraceDepth(q, answer)
		if err != nil {
			t.Fatal(err)
		}
		k := slices.Index(CoverageFeatures, "answer_words")
		if got, want := tr.Areas[0].Coverage[k], math.Log1p(words)-math.Log(float64(n)); math.Abs(got-want) > 1e-12 {
			t.Errorf("%d areas: answer_words %v, want %v", n, got, want)
		}
		if got, want := tr.Areas[n].Coverage[k], math.Log1p(words); math.Abs(got-want) > 1e-12 {
			t.Errorf("%d areas: the signal's answer_words %v, want %v", n, got, want)
		}
	}
}

// TestRaisesOffQuestion: the warning needs the model, a probability at its
// cut or above, and the training command not to have withheld it.
func TestRaisesOffQuestion(t *testing.T) {
	lw, err := loadWeights()
	if err != nil {
		t.Fatal(err)
	}
	m := lw.OffQuestion
	if m == nil {
		t.Fatal("the embedded weights have no off-question model")
	}
	tests := []struct {
		name string
		w    Weights
		p    float64
		want bool
	}{
		{"at the cut", Weights{OffQuestion: m, OffQuestionCut: 0.9}, 0.9, true},
		{"above", Weights{OffQuestion: m, OffQuestionCut: 0.9}, 0.97, true},
		{"below", Weights{OffQuestion: m, OffQuestionCut: 0.9}, 0.89, false},
		{"withheld", Weights{OffQuestion: m, OffQuestionCut: 0.9, OffQuestionWithheld: true}, 0.99, false},
		{"no model", Weights{OffQuestionCut: 0.9}, 0.99, false},
	}
	for _, tt := range tests {
		if got := raisesOffQuestion(&tt.w, tt.p); got != tt.want {
			t.Errorf("%s: raisesOffQuestion(p %.2f) = %v, want %v", tt.name, tt.p, got, tt.want)
		}
	}
}
