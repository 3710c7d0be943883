package api

import (
	"fmt"
	"net/http"
	"unicode/utf8"

	"github.com/candorhq/candor/analyzer"
)

// The work budget bounds what one analysis costs, so that no request takes
// a core for seconds. Work is counted in units of about 100 ns of one core
// (measured on the embedded engine):
//
//   - an answer costs its characters times one plus its question's areas
//     (every sentence is read against every area);
//   - each question answered costs 12 units per character of its text and
//     areas, for reading them (an inline guide is read anew);
//   - a transcript costs 2 units per byte, and 4 per character of every
//     question and follow-up of the guide, for finding its answers.
//
// A two-hour interview against a real guide (30 answers, 120 KB, 15
// questions of 8 areas) is about 1.8 million units; the default budget of
// 6 million is about 0.6 s of one core. A request over it is refused with
// 422 work_budget_exceeded before anything is analyzed (for a transcript:
// before finding its answers, then again before analyzing them).
const DefaultMaxWork = 6_000_000

// workError is the 422 for a request over the budget.
func (s *Server) workError(need int64) error {
	return &apiError{status: http.StatusUnprocessableEntity, code: CodeWorkBudget,
		detail: fmt.Sprintf("this analysis needs about %.1f million units of work, over the budget of %.1f million per request "+
			"(an answer costs its length times its question's areas; a transcript also costs its length and the guide's): "+
			"send fewer or shorter answers, or use a guide with fewer or shorter areas",
			float64(need)/1e6, float64(s.cfg.MaxWork)/1e6)}
}

// segmentWork is what finding the answers in a transcript of n bytes costs
// with guide g.
func segmentWork(g *analyzer.Guide, n int) int64 {
	w := 2 * int64(n)
	for _, q := range g.Questions {
		w += 4 * int64(utf8.RuneCountInString(q.Text))
		for _, f := range q.FollowUps {
			w += 4 * int64(utf8.RuneCountInString(f))
		}
	}
	return w
}

// answerWork is what analyzing answers costs with guide g.
func answerWork(g *analyzer.Guide, answers []analyzer.Answer) int64 {
	var w int64
	read := map[string]bool{}
	for _, a := range answers {
		q, ok := g.Question(a.QuestionID)
		if !ok {
			continue // refused elsewhere
		}
		w += int64(utf8.RuneCountInString(a.Text)) * int64(1+len(q.Areas))
		if !read[q.ID] {
			read[q.ID] = true
			n := utf8.RuneCountInString(q.Text)
			for _, ar := range q.Areas {
				n += utf8.RuneCountInString(ar)
			}
			w += 12 * int64(n)
		}
	}
	return w
}

// checkWork refuses an analysis over the budget: the transcript's cost of
// segmentation (seg, 0 for answers) plus the answers'.
func (s *Server) checkWork(g *analyzer.Guide, seg int64, answers []analyzer.Answer) error {
	if s.cfg.MaxWork <= 0 {
		return nil
	}
	if need := seg + answerWork(g, answers); need > s.cfg.MaxWork {
		return s.workError(need)
	}
	return nil
}

// givenAnswers converts a request's answers for answerWork.
func givenAnswers(as []analyzer.GivenAnswer) []analyzer.Answer {
	out := make([]analyzer.Answer, len(as))
	for i, a := range as {
		out[i] = analyzer.Answer{QuestionID: a.QuestionID, Text: a.Text}
	}
	return out
}
