package heuristic

import (
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic/model"
)

// The specificity always sits in the band of the label the thresholds
// decide, and never falls as the score rises, with the embedded curve and
// without one.
func TestSpecificityAgreesWithLabel(t *testing.T) {
	w, err := loadWeights()
	if err != nil {
		t.Fatal(err)
	}
	if w.Delivery == nil || w.Specificity == nil || w.SpecificityShrink == nil {
		t.Fatal("the embedded weights carry no delivery model, no specificity curve or no shrink")
	}
	band := [3][2]int{{0, 25}, {26, 59}, {60, 100}}
	maps := []struct {
		name   string
		curve  *model.Curve
		shrink *model.Shrink
	}{
		{"curve and shrink", w.Specificity, w.SpecificityShrink},
		{"curve", w.Specificity, nil},
		{"curve, every answer at its label's mean", w.Specificity, &model.Shrink{Centers: w.SpecificityShrink.Centers}},
		{"logistic", nil, nil},
	}
	for _, m := range maps {
		prev := -1
		for s := -12.0; s <= 12; s += 0.01 {
			got := specificityOf(s, w.Delivery.Thresholds, m.curve, m.shrink)
			b := band[w.Delivery.Decide(s)]
			if got < b[0] || got > b[1] {
				t.Fatalf("score %.2f (%s): specificity %d outside its label's band %v", s, m.name, got, b)
			}
			if got < prev {
				t.Fatalf("score %.2f (%s): specificity %d below %d at a lower score", s, m.name, got, prev)
			}
			prev = got
		}
	}
	// The curve is the labellers' scale: deep in a band it gives their
	// band's typical values (dev README: specific 78-90, rehearsed 8-15),
	// not the ends of the 0..100 scale.
	if hi := specificityOf(12, w.Delivery.Thresholds, w.Specificity, w.SpecificityShrink); hi > 92 {
		t.Errorf("a very high score gives %d, above the labelled specific answers' range", hi)
	}
	if lo := specificityOf(-12, w.Delivery.Thresholds, w.Specificity, w.SpecificityShrink); lo < 5 {
		t.Errorf("a very low score gives %d, below the labelled rehearsed answers' range", lo)
	}
}

// Every descriptive area's kind_prior feature is the embedded table's
// value for its head kind.
func TestKindPriorFeature(t *testing.T) {
	w, err := loadWeights()
	if err != nil {
		t.Fatal(err)
	}
	if len(w.CoverageKindPrior) == 0 {
		t.Fatal("the embedded weights carry no coverage kind prior")
	}
	q := analyzer.Question{ID: "q1", Text: "Tell me about a time a customer was upset with you.", Areas: []string{
		"What the candidate learned from it",
		"The customer's feelings and how the candidate noticed them",
		"What they would do differently next time",
		"Their favourite colour of stapler",
	}}
	tr, err := New().Trace(q, nil, "Last spring a guest shouted at me about a lost booking. I apologised, rebooked her and learned to check every booking twice.")
	if err != nil {
		t.Fatal(err)
	}
	last := len(CoverageFeatures) - 1
	seen := map[float64]bool{}
	for i, a := range tr.Areas {
		if a.Coverage == nil {
			continue
		}
		want := w.kindPrior(readArea(q.Areas[i]).kind)
		if a.Coverage[last] != want {
			t.Errorf("area %d (%s): kind_prior %v, want %v", i, readArea(q.Areas[i]).kind, a.Coverage[last], want)
		}
		seen[want] = true
	}
	if len(seen) < 2 {
		t.Errorf("the areas' kinds all gave one prior %v: the test reads nothing", seen)
	}
}

// Each facet constant reads as the kind of its name: the facet list and
// analyzer.AreaKindNames keep one order.
func TestAreaKindNames(t *testing.T) {
	for f, want := range map[facet]string{fSituation: "situation", fEmotion: "emotion", fReasoning: "reasoning",
		fTechnique: "technique", fAction: "action", fPolicy: "policy", fOutcome: "outcome", fFollowUp: "follow_up",
		fLesson: "lesson", fMeasure: "measurement", fStakeholder: "stakeholders", fChallenge: "challenge",
		fResearch: "research", fTeam: "team", fChange: "change", fDiscovery: "discovery", fImpact: "impact",
		fCommunication: "communication", fPreparation: "preparation", fDecision: "decision", fFuture: "future",
		fSegment: "segment", fBias: "bias", fBehavior: "behavior", fResponse: "response", fPriorities: "priorities",
		fValidate: "validation"} {
		if facetNames[f] != want {
			t.Errorf("facet %d reads as %q, want %q", f, facetNames[f], want)
		}
	}
}

// A stated kind heads the area's kinds, the kinds its words name follow,
// and the report names it; without one the words decide.
func TestStatedAreaKind(t *testing.T) {
	const area = "What came of it"
	if got := readStatedArea(area, "").kind; got == "outcome" {
		t.Fatalf("%q already reads as an outcome: pick an area the cue list misreads", area)
	}
	a := readStatedArea("How they weighed the options and what came of it", "outcome")
	if a.kind != "outcome" || a.facets[0] != fOutcome || len(a.facets) < 2 {
		t.Errorf("stated outcome: kind %q, facets %v", a.kind, a.facets)
	}
	q := analyzer.Question{ID: "q1", Text: "Tell me about a change you pushed for.",
		Areas: []string{"Who they had to win over", area}, AreaKinds: []string{"", "outcome"}}
	an, err := New().Analyze(t.Context(), q, "I wanted the team to move the release to Thursdays. I asked our lead, Priya, "+
		"and she agreed after I showed her three weeks of weekend call-outs. Since then the weekend pages fell from nine to two.")
	if err != nil {
		t.Fatal(err)
	}
	if got := an.Coverage.Areas[1].Kind; got != "outcome" {
		t.Errorf("stated outcome reported as %q", got)
	}
	if got, want := an.Coverage.Areas[0].Kind, readArea(q.Areas[0]).kind; got != want {
		t.Errorf("unstated kind reported as %q, the words read %q", got, want)
	}
}
