package heuristic

import (
	"github.com/candorhq/candor/analyzer"
)

// Depth signals: the guide's rubric for a lived answer ("the customer's
// emotions named", "how they were recognised"). A depth signal is read as
// an extra area of the question, appended after the question's own areas:
// the pair, evidence and quote models read it as they read an area, and
// its CoverageFeatures vector is computed as an area's. Its status is then
// decided by the depth model (the weights' Depth, learned from answers
// labelled signal by signal: present, partial, absent), its confidence is
// that model's P(present) and its quotes the area quotes; weights without a
// depth model decide it as an area (covered: present, partial: partial,
// missing: absent). The question's own areas are decided on the question
// alone, so a guide's depth signals never move an area's status, quote or
// confidence (the pair model's margins compare an area with its siblings).

// withDepth is q with its depth signals appended to its areas.
func withDepth(q analyzer.Question) analyzer.Question {
	ext := q
	ext.Areas = make([]string, 0, len(q.Areas)+len(q.Depth))
	ext.Areas = append(ext.Areas, q.Areas...)
	for _, d := range q.Depth {
		ext.Areas = append(ext.Areas, d.Text)
	}
	ext.Depth = nil
	return ext
}

// depth judges every depth signal of q. It also returns the extended
// question's coverage, whose areas past len(q.Areas) are the signals, for
// the follow-ups; its areas before len(q.Areas) are left empty (Index 0,
// no status: the question's own areas are decided by the first pass).
func (e *Engine) depth(q analyzer.Question, af *answerFeat, st deliveryStats, as *answerSem) ([]analyzer.DepthResult, analyzer.Question, analyzer.Coverage) {
	if len(q.Depth) == 0 {
		return nil, q, analyzer.Coverage{}
	}
	ext := withDepth(q)
	cov, decs, extAs := e.coverage(ext, as.qs.ext, af, st, as, false, false, len(q.Areas))
	extAs.stats.release() // nothing reads the second pass's stats after it
	if w := e.mustWeights(); w.Depth != nil {
		e.decideDepth(w, af, q, cov, decs)
	}
	out := make([]analyzer.DepthResult, len(q.Depth))
	for i, d := range q.Depth {
		ar := cov.Areas[len(q.Areas)+i]
		status := analyzer.DepthStatus(ar.Status)
		out[i] = analyzer.DepthResult{ID: d.ID, Text: d.Text, Status: status, Present: status == analyzer.DepthPresent,
			Confidence: ar.Confidence, Evidence: ar.Evidence}
		if out[i].Evidence == nil {
			out[i].Evidence = []analyzer.Span{}
		}
	}
	return out, ext, cov
}

// decideDepth replaces the area statuses of the signals in cov (the areas
// past q's own) by the depth model's: status, confidence P(present), and
// the area quotes where the signal is not absent. Follow-ups then aim at
// the signals the depth model finds absent.
func (e *Engine) decideDepth(w *Weights, af *answerFeat, q analyzer.Question, cov analyzer.Coverage, decs []areaDecision) {
	used := make([]int, len(af.units))
	for ai := len(q.Areas); ai < len(cov.Areas); ai++ {
		d := &decs[ai]
		if d.x == nil {
			continue // a signal worded as a claim keeps the pair model's reading
		}
		score := w.Depth.Score(d.x)
		ar := &cov.Areas[ai]
		ar.Status, ar.Confidence = statuses[w.Depth.Decide(score)], analyzer.Round3(w.Depth.AtLeast(score, 2))
		switch {
		case ar.Status == analyzer.StatusMissing:
			ar.Evidence = []analyzer.Span{}
		case len(ar.Evidence) == 0 && d.best >= 0:
			sure := w.QuoteSure
			switch {
			case d.depthQuote:
				sure = w.DepthQuoteSure
			case d.protoQuote:
				sure = w.QuoteProtoSure
			}
			ar.Evidence = e.quotes(af, *d, used, sure)
		}
	}
}
