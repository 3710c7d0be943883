package heuristic

import (
	"github.com/candorhq/candor/analyzer"
)

// Depth signals: the guide's rubric for a lived answer ("the customer's
// emotions named", "how they were recognised"). The engine has no model of
// its own for them: a depth signal is read exactly as an extra area of the
// question, appended after the question's own areas, and its area status
// gives its status (covered: present, partial: partial, missing: absent),
// its area confidence (P(covered)) its confidence and its area quotes its
// evidence. The question's own areas are decided on the question alone, as
// before, so a guide's depth signals never move an area's status, quote or
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
// the follow-ups.
func (e *Engine) depth(q analyzer.Question, af *answerFeat, st deliveryStats, as *answerSem) ([]analyzer.DepthResult, analyzer.Question, analyzer.Coverage) {
	if len(q.Depth) == 0 {
		return nil, q, analyzer.Coverage{}
	}
	ext := withDepth(q)
	cov, _, extAs := e.coverage(ext, as.qs.ext, af, st, as, false, false)
	extAs.stats.release() // nothing reads the second pass's stats after it
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
