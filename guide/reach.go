package guide

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/candorhq/candor/analyzer"
)

// Reach finding codes (stable identifiers).
const (
	// LintAreaUnreachable: an area that no answer to its question
	// covers, even in part. It reads missing in every report: it asks for
	// something candidates do not tell (a trait, another question's
	// matter, something beside the point).
	LintAreaUnreachable = "area_unreachable"
	// LintReachTooFew (a note): too few answers to a question to judge
	// its areas' reach.
	LintReachTooFew = "reach_too_few_answers"
	// LintReachUnknownQuestions (a note): answers that name questions the
	// guide does not have, left out.
	LintReachUnknownQuestions = "reach_unknown_questions"
)

// SeverityNote marks a finding that reports on the check rather than a
// fault of the guide; lint's verdict (clean or not) ignores notes.
const SeverityNote = "note"

// MinReachAnswers is the fewest answers to a question whose areas LintReach
// judges: with fewer, that no answer tells an area says more about the
// answers than about the area.
const MinReachAnswers = 3

// Faults returns the findings that are faults of the guide (not notes).
func Faults(fs []Finding) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Severity != SeverityNote {
			out = append(out, f)
		}
	}
	return out
}

// LintReach runs eng on answers (each to a question of g, by id) and flags
// every area of a question that no answer to it covers or partly covers:
// an area with no reachable evidence in the answers given. A question with
// fewer than MinReachAnswers answers is not judged: a note says so.
// Answers to questions g does not have are left out, with a note; empty
// answers are skipped. An engine error other than an empty answer is
// returned. Findings come in guide order, notes included.
//
// The check is only as good as eng's coverage: the embedded engine reads
// nearly every area of a long, concrete answer as at least partly covered
// (analyzer/heuristic's README, "What is not solved"), so with it this
// check finds little; a model engine reads each area against the answer.
func LintReach(ctx context.Context, g *analyzer.Guide, eng analyzer.Engine, answers []analyzer.GivenAnswer) ([]Finding, error) {
	byQ := map[string][]string{}
	var unknown []string
	for _, a := range answers {
		if _, ok := g.Question(a.QuestionID); !ok {
			if !slices.Contains(unknown, a.QuestionID) {
				unknown = append(unknown, a.QuestionID)
			}
			continue
		}
		byQ[a.QuestionID] = append(byQ[a.QuestionID], a.Text)
	}
	// reached[q][k]: answers to q that cover area k at least in part;
	// read[q]: answers to q that were analyzed.
	reached := map[string][]int{}
	read := map[string]int{}
	for _, q := range g.Questions {
		reached[q.ID] = make([]int, len(q.Areas))
	}
	var mu sync.Mutex
	grp, gctx := errgroup.WithContext(analyzer.WithQuestions(ctx, g.Questions))
	grp.SetLimit(runtime.GOMAXPROCS(0))
	for _, q := range g.Questions {
		if len(byQ[q.ID]) < MinReachAnswers {
			continue
		}
		for _, text := range byQ[q.ID] {
			grp.Go(func() error {
				res, err := eng.Analyze(gctx, q, text)
				if errors.Is(err, analyzer.ErrEmptyAnswer) {
					return nil
				}
				if err != nil {
					return fmt.Errorf("reach: question %s: %w", q.ID, err)
				}
				mu.Lock()
				defer mu.Unlock()
				read[q.ID]++
				for _, ar := range res.Coverage.Areas {
					if k := ar.Index - 1; k >= 0 && k < len(q.Areas) && ar.Status != analyzer.StatusMissing {
						reached[q.ID][k]++
					}
				}
				return nil
			})
		}
	}
	if err := grp.Wait(); err != nil {
		return nil, err
	}
	engine := eng.Info().Name
	var out []Finding
	if len(unknown) > 0 {
		out = append(out, Finding{Code: LintReachUnknownQuestions, Severity: SeverityNote, Field: "answers",
			Message: fmt.Sprintf("answers to questions the guide does not have (%s) were left out", strings.Join(unknown, ", "))})
	}
	for i, q := range g.Questions {
		at := fmt.Sprintf("questions[%d]", i)
		n := read[q.ID]
		if len(byQ[q.ID]) < MinReachAnswers {
			n = len(byQ[q.ID]) // not analyzed
		}
		if n < MinReachAnswers {
			out = append(out, Finding{Code: LintReachTooFew, Severity: SeverityNote, QuestionID: q.ID, Field: at, Answers: n,
				Message: fmt.Sprintf("%d answer(s) to this question: too few to judge which areas answers reach (it takes %d)", n, MinReachAnswers)})
			continue
		}
		for k, a := range q.Areas {
			if reached[q.ID][k] > 0 {
				continue
			}
			out = append(out, Finding{Code: LintAreaUnreachable, QuestionID: q.ID, Field: fmt.Sprintf("%s.areas[%d]", at, k), Text: a, Answers: n,
				Message: fmt.Sprintf("none of the %d answers to this question covers it, even in part (%s engine): it will read missing in every report", n, engine),
				Suggestion: "ask for what a full answer to this question tells (an action, a result, what was said), " +
					"move the area to the question whose answers tell it, or drop it"})
		}
	}
	return out, nil
}
