package heuristic

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic/model"
)

// The claim model is a choice among the question's claims and "none": the
// probabilities of the claims and of none sum to one, an area that is no
// claim takes none of it, and large scores do not overflow.
func TestClaimProbs(t *testing.T) {
	m := &model.Linear{Features: []string{"s"}, Mean: []float64{0}, Scale: []float64{1}, W: []float64{1}}
	all := func(int) bool { return true }
	tests := []struct {
		name   string
		scores []float64
		claim  func(int) bool
		want   []float64
	}{
		{"two even claims and none", []float64{0, 0}, all, []float64{1.0 / 3, 1.0 / 3}},
		{"one claim alone", []float64{math.Log(3)}, all, []float64{0.75}},
		{"a description takes nothing", []float64{0, 5}, func(i int) bool { return i == 0 }, []float64{0.5, 0}},
		{"large scores", []float64{1000, 1000}, all, []float64{0.5, 0.5}},
		{"very negative scores", []float64{-1000, -1000}, all, []float64{0, 0}},
	}
	for _, tc := range tests {
		xs := make([][]float64, len(tc.scores))
		for i, s := range tc.scores {
			xs[i] = []float64{s}
		}
		got := claimProbs(m, xs, tc.claim)
		for i := range tc.want {
			if math.IsNaN(got[i]) || math.Abs(got[i]-tc.want[i]) > 1e-9 {
				t.Errorf("%s: area %d: %v, want %v", tc.name, i, got[i], tc.want[i])
			}
		}
	}
}

// claimVectorsOf is the engine's reading of an answer against a question
// of claims: each area's ClaimFeatures.
func claimVectorsOf(t *testing.T, question string, areas []string, answer string) [][]float64 {
	t.Helper()
	tr, err := New().Trace(analyzer.Question{ID: "k", Text: question, Areas: areas}, nil, answer)
	if err != nil {
		t.Fatal(err)
	}
	var xs [][]float64
	for i, a := range tr.Areas {
		if !a.Claim || len(a.ClaimX) != len(ClaimFeatures) {
			t.Fatalf("area %d (%q) not read as a claim, or no claim vector", i, areas[i])
		}
		xs = append(xs, a.ClaimX)
	}
	return xs
}

// The masses: a key point of few, common words ("is not just") asks for
// less than one of rarer words, however fully a text says it; and the key
// point whose rare words the answer says leads the others by its recall
// mass.
func TestClaimMasses(t *testing.T) {
	q := "We should end affirmative action"
	areas := []string{"Affirmative action is not just", "Affirmative action perpetuates prejudice"}
	iArea, iRecall, iMargin := len(PairFeatures), len(PairFeatures)+1, len(PairFeatures)+2
	xs := claimVectorsOf(t, q, areas, "It just rewards people for where they come from.")
	if !(xs[0][iArea] < xs[1][iArea]) {
		t.Errorf("area_mass: common words %.3f, not below rare words %.3f", xs[0][iArea], xs[1][iArea])
	}
	xs = claimVectorsOf(t, q, areas, "It keeps old prejudice alive and perpetuates stereotypes about minorities.")
	if !(xs[1][iRecall] > xs[0][iRecall]) || !(xs[1][iMargin] > 0) || xs[0][iMargin] != -xs[1][iMargin] {
		t.Errorf("recall_mass %.3f / %.3f, margins %.3f / %.3f: the said key point should lead",
			xs[0][iRecall], xs[1][iRecall], xs[0][iMargin], xs[1][iMargin])
	}
	alone := claimVectorsOf(t, q, areas[:1], "It keeps old prejudice alive.")
	if alone[0][iMargin] != 0 {
		t.Errorf("alone, recall_mass_margin = %v", alone[0][iMargin])
	}
}

// The engine decides a claim by the calibrated choice probability of its
// claim vectors (as the training command scores ArgKP, ClaimProbs), with
// the claim cut-offs; a question of descriptions has no claim vectors.
func TestClaimDecision(t *testing.T) {
	w := New().mustWeights()
	if w.Claim == nil {
		t.Fatal("the embedded weights have no claim model")
	}
	q := analyzer.Question{ID: "k1", Text: "School uniforms should be compulsory",
		Areas: []string{"Uniforms reduce bullying", "Uniforms cost families money", "Uniforms limit self-expression"}}
	for _, answer := range []string{
		"Kids in uniform get picked on less for their clothes, so there is less bullying.",
		"Parents have to buy a whole second wardrobe, which many families cannot afford.",
		"The weather was nice yesterday.",
	} {
		res, err := New().Analyze(context.Background(), q, answer)
		if err != nil {
			t.Fatal(err)
		}
		want := ClaimProbs(w.Claim, w.ClaimCalibration, claimVectorsOf(t, q.Text, q.Areas, answer))
		for i, a := range res.Coverage.Areas {
			if math.Abs(a.Confidence-want[i]) > 0.001 {
				t.Errorf("%q, area %d: engine %.4f, training %.4f", answer, i, a.Confidence, want[i])
			}
			status := analyzer.StatusMissing
			switch {
			case want[i] >= claimCovered:
				status = analyzer.StatusCovered
			case want[i] >= claimPartial:
				status = analyzer.StatusPartial
			}
			if a.Status != status {
				t.Errorf("%q, area %d: %s at %.3f, want %s", answer, i, a.Status, want[i], status)
			}
		}
	}
}

// A question whose areas describe content gets no claim reading at all.
func TestNoClaimVectorsForDescriptions(t *testing.T) {
	q := analyzer.Question{ID: "q", Text: "Tell me about a time you calmed an angry customer.",
		Areas: []string{"What had upset the customer", "How they calmed the customer down"}}
	tr, err := New().Trace(q, nil, "The customer shouted at me, so I listened and then fixed the bill.")
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range tr.Areas {
		if a.Claim || a.ClaimX != nil {
			t.Errorf("area %d: claim %v, claim vector %v", i, a.Claim, a.ClaimX)
		}
	}
}

// The embedded weights' claim model decodes only with its calibration, a
// calibration that rises with the choice probability, and the features
// the engine computes.
func TestDecodeWeightsRefusesBadClaimModels(t *testing.T) {
	for name, tc := range map[string]struct {
		mend func(raw map[string]any)
		want string
	}{
		"no calibration": {func(raw map[string]any) { delete(raw, "claim_calibration") }, "without its calibration"},
		"falling calibration": {func(raw map[string]any) {
			raw["claim_calibration"].(map[string]any)["weights"] = []any{-1.0}
		}, "does not rise"},
		"a feature missing": {func(raw map[string]any) {
			c := raw["claim"].(map[string]any)
			f := c["features"].([]any)
			c["features"] = f[:len(f)-1]
		}, "claim model"},
	} {
		if err := decodeMended(t, tc.mend); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: DecodeWeights gave %v, want an error saying %q", name, err, tc.want)
		}
	}
}

// An answer of claimSentencesFrom sentences or more that makes two claims,
// each in its own sentence, is read sentence by sentence too: neither claim
// reads lower than from the whole answer alone, and the two together read
// higher; a shorter answer is read whole.
func TestClaimsReadSentenceBySentence(t *testing.T) {
	w := New().mustWeights()
	q := analyzer.Question{ID: "k1", Text: "Should school uniforms be compulsory?",
		Areas: []string{"Uniforms reduce bullying", "Uniforms cost families money", "Uniforms limit self-expression", "Uniforms improve discipline"}}
	read := func(answer string) (whole, decided []float64) {
		whole = ClaimProbs(w.Claim, w.ClaimCalibration, claimVectorsOf(t, q.Text, q.Areas, answer))
		res, err := New().Analyze(context.Background(), q, answer)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range res.Coverage.Areas {
			decided = append(decided, a.Confidence)
		}
		return whole, decided
	}
	long := "Honestly I have mixed feelings. Uniforms cost families a lot of money every year. " +
		"My sister has three kids, so she knows. They also stop students from expressing themselves, which limits self-expression."
	whole, sentences := read(long)
	t.Logf("whole %.3f, by sentence %.3f", whole, sentences)
	for _, i := range []int{1, 2} {
		if sentences[i] < whole[i]-0.001 {
			t.Errorf("area %d: %.3f by sentence, %.3f whole", i, sentences[i], whole[i])
		}
	}
	if !(sentences[1]+sentences[2] > whole[1]+whole[2]+0.1) || sentences[2] < claimPartial {
		t.Errorf("the two claims made: by sentence %.3f and %.3f, whole %.3f and %.3f", sentences[1], sentences[2], whole[1], whole[2])
	}
	short := "Uniforms cost families a lot of money every year. My sister has three kids. " +
		"They also stop students from expressing themselves, which limits self-expression."
	whole, decided := read(short)
	for i := range whole {
		if math.Abs(decided[i]-whole[i]) > 0.001 {
			t.Errorf("three sentences, area %d: decided %.3f, the whole answer's %.3f; want it read whole", i, decided[i], whole[i])
		}
	}
}

// A question of claims with depth signals is read twice (depth.go's second
// pass takes the first's stats): a long answer, read sentence by sentence,
// decides its claims the same as without the signals.
func TestClaimsWithDepthSignals(t *testing.T) {
	q := analyzer.Question{ID: "k1", Text: "Should school uniforms be compulsory?",
		Areas: []string{"Uniforms reduce bullying", "Uniforms cost families money", "Uniforms limit self-expression"}}
	answer := "Honestly I have mixed feelings. Uniforms cost families a lot of money every year. " +
		"My sister has three kids, so she knows. They also stop students from expressing themselves."
	bare, err := New().Analyze(context.Background(), q, answer)
	if err != nil {
		t.Fatal(err)
	}
	q.Depth = []analyzer.DepthSignal{{ID: "reasons", Text: "Reasons given from the candidate's own experience"}}
	with, err := New().Analyze(context.Background(), q, answer)
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range bare.Coverage.Areas {
		if b := with.Coverage.Areas[i]; a.Status != b.Status || math.Abs(a.Confidence-b.Confidence) > 1e-9 {
			t.Errorf("area %d: %s %.3f without depth signals, %s %.3f with", i, a.Status, a.Confidence, b.Status, b.Confidence)
		}
	}
}

// An area whose kind the guide states is content of that kind, never a
// claim, however it is worded: the areakinds guides' "Snags once it was up
// and running" read as a claim, and the claim model decided it, until the
// stated kind came first.
func TestStatedKindIsNoClaim(t *testing.T) {
	q := analyzer.Question{ID: "k1", Text: "Should school uniforms be compulsory?",
		Areas: []string{"Uniforms reduce bullying", "Uniforms cost families money"}}
	answer := "Kids in uniform get picked on less for their clothes."
	for _, tc := range []struct {
		kinds []string
		claim []bool
	}{
		{nil, []bool{true, true}},
		{[]string{"outcome", ""}, []bool{false, true}},
	} {
		q.AreaKinds = tc.kinds
		tr, err := New().Trace(q, nil, answer)
		if err != nil {
			t.Fatal(err)
		}
		for i, a := range tr.Areas {
			if a.Claim != tc.claim[i] {
				t.Errorf("kinds %q, area %d: claim %v, want %v", tc.kinds, i, a.Claim, tc.claim[i])
			}
		}
	}
}

// decodeMended decodes the embedded weights after mend has changed their
// JSON: the error DecodeWeights gives for the mended file.
func decodeMended(t *testing.T, mend func(raw map[string]any)) error {
	t.Helper()
	var raw map[string]any
	if err := json.Unmarshal(weightsJSON, &raw); err != nil {
		t.Fatal(err)
	}
	mend(raw)
	b, err := json.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	_, err = DecodeWeights(b)
	return err
}
