package heuristic

import (
	"fmt"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/nlp"
	"github.com/candorhq/candor/analyzer/semantic"
)

// Trace is what the engine computed for one answer, feature by feature: the
// training command fits its models on these rows, and explanations read
// them. It is computed by the same code as Analyze.
type Trace struct {
	Units []TraceUnit
	Areas []AreaTrace
	// OffQuestion is the OffQuestionFeatures vector.
	OffQuestion []float64
	// Delivery is the DeliveryFeatures vector; RuleLabel the counting
	// rule's label, Label the reported one.
	Delivery         []float64
	RuleLabel, Label string
	Specificity      int
	// DeliveryUntensed is the DeliveryFeatures vector of the answer read
	// with its bare verbs told, for an answer with an agreement slip; nil
	// otherwise. The model is fitted on Delivery; an answer's score is the
	// higher of the two (DeliveryScore).
	DeliveryUntensed []float64
}

// TraceUnit is one unit (sentence or clause) of the answer.
type TraceUnit struct {
	ByteStart, ByteEnd int
	Injected           bool
	// Dir is the unit's direction in word-vector space
	// (semantic.Direction; nil for a unit with no vector): the training
	// command builds the areas' prototypes from it.
	Dir []float32
}

// AreaTrace is one area's features and decision.
type AreaTrace struct {
	Claim bool
	// Evidence holds the EvidenceFeatures vector of each unit (nil for
	// units the engine did not read: injected or empty).
	Evidence [][]float64
	// Quote holds the QuoteFeatures vector of each unit (nil as Evidence).
	Quote [][]float64
	// QuoteProto holds the QuoteProtoFeatures vector of each unit, for an
	// area with a prototype in the weights (nil otherwise).
	QuoteProto [][]float64
	// Coverage is the CoverageFeatures vector (nil for a claim).
	Coverage []float64
	Status   string
	Best     int // the unit of the highest evidence probability, -1 for none
	// Quoted is the unit the quote models rank first among those that may
	// be quoted (the first quote of an area that is not missing), -1 none.
	Quoted int
	// Pair is the whole answer's PairFeatures vector for the area.
	Pair []float64
	// ClaimX is the whole answer's ClaimFeatures vector for the area, when
	// any area of the question is a claim (nil otherwise); ClaimSentX each
	// sentence's, for an answer read sentence by sentence too.
	ClaimX     []float64
	ClaimSentX [][]float64
}

// Trace analyzes one answer and returns its features.
// others are the guide's questions (nil: the question alone).
func (e *Engine) Trace(q analyzer.Question, others []analyzer.Question, answer string) (*Trace, error) {
	return e.trace(q, others, answer, false)
}

// TraceDepth is Trace of the question read with its depth signals as
// areas after its own (depth.go), as the engine reads them: its Areas past
// len(q.Areas) are the signals, in order. It has no OffQuestion vector.
func (e *Engine) TraceDepth(q analyzer.Question, answer string) (*Trace, error) {
	if len(q.Depth) == 0 {
		return nil, fmt.Errorf("question %s: no depth signals", q.ID)
	}
	return e.trace(q, nil, answer, true)
}

func (e *Engine) trace(q analyzer.Question, others []analyzer.Question, answer string, depth bool) (*Trace, error) {
	if !nlp.HasWord(answer) {
		return nil, fmt.Errorf("question %s: %w", q.ID, analyzer.ErrEmptyAnswer)
	}
	_, doc, af := readAnswer(answer)
	qs := e.questionSem(q)
	del, st := e.delivery(af, qs)
	cq, cqs := q, qs
	if depth {
		cq, cqs = withDepth(q), qs.ext
	}
	cov, decs, as := e.coverage(cq, cqs, af, st, nil, false, true, 0)
	t := &Trace{Delivery: st.x, RuleLabel: st.ruleLabel, Label: del.Label, Specificity: del.Specificity}
	if st.untensed != nil {
		t.DeliveryUntensed = st.untensed.st.x
	}
	if !depth {
		t.OffQuestion = e.offQuestionVector(q, others, af, decs, as)
	}
	for i, u := range doc.Units {
		tu := TraceUnit{ByteStart: u.ByteStart, ByteEnd: u.ByteEnd, Injected: af.units[i].injected}
		if i < len(as.units) && !af.units[i].injected {
			if dir, ok := semantic.Direction(&as.units[i]); ok {
				tu.Dir = dir[:]
			}
		}
		t.Units = append(t.Units, tu)
	}
	qs = as.qs
	for ai, d := range decs {
		at := AreaTrace{Claim: qs.info[ai].claim, Coverage: d.x, Status: cov.Areas[ai].Status, Best: d.best, Quoted: firstQuote(af, d),
			Evidence: d.evx, Quote: d.qx, QuoteProto: d.qpx}
		if as != nil && ai < len(as.pxAll) {
			at.Pair = as.pxAll[ai]
		}
		if as != nil && ai < len(as.claimX) {
			at.ClaimX = as.claimX[ai]
			for _, xs := range as.claimSentX {
				at.ClaimSentX = append(at.ClaimSentX, xs[ai])
			}
		}
		t.Areas = append(t.Areas, at)
	}
	af.release() // the trace holds numbers only
	return t, nil
}
