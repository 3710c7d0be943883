package analyzer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"sync"
)

// Options tune a report run.
type Options struct {
	// Concurrency is how many answers are analyzed at once; 0 or less
	// means one at a time.
	Concurrency int
	// Candidate is the candidate's display name, if known.
	Candidate string
	// Role, InterviewDate and Interviewers go into the report as given.
	Role          string
	InterviewDate string
	Interviewers  []string
	// Source describes the transcript the answers came from.
	Source *SourceInfo
	// Warnings found before analysis (roles, questions not asked) that
	// belong in the report.
	Warnings []Warning
	// NotAsked lists the guide questions the transcript never asked.
	NotAsked []string
}

type ctxKey int

const questionsKey ctxKey = 0

// WithQuestions returns a context that carries all the questions of the
// guide, so that an engine can tell an answer that fits another question
// better than its own (the answer_off_question warning). Results then
// depend on the whole guide, which the cache keys on by its version
// (store.Engine.For).
func WithQuestions(ctx context.Context, qs []Question) context.Context {
	return context.WithValue(ctx, questionsKey, qs)
}

// QuestionsFrom returns the guide's questions carried by ctx (nil if none).
func QuestionsFrom(ctx context.Context) []Question {
	qs, _ := ctx.Value(questionsKey).([]Question)
	return qs
}

// Analyze runs eng over every answer and assembles the report. Answers whose
// question is not in the guide are an error (ErrUnknownQuestion); empty
// answers are left out with a warning. The first engine error cancels the
// remaining work and is returned.
func Analyze(ctx context.Context, eng Engine, g *Guide, answers []Answer, opts Options) (*Report, error) {
	ref := GuideRef{ID: g.ID, Title: g.Title, Version: g.Version}
	ctx = WithQuestions(ctx, g.Questions)
	qs := make([]Question, len(answers))
	for i, a := range answers {
		q, ok := g.Question(a.QuestionID)
		if !ok {
			return nil, fmt.Errorf("answers[%d].question_id: %w %q in guide %q", i, ErrUnknownQuestion, a.QuestionID, g.ID)
		}
		qs[i] = *q
		if len(qs[i].Depth) == 0 {
			// A guide decoded from JSON (a store, a request) carries its
			// depth signals at the guide level only.
			qs[i].Depth = g.DepthSignals
		}
	}

	results := make([]AnswerAnalysis, len(answers))
	errs := make([]error, len(answers))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	n := opts.Concurrency
	if n < 1 {
		n = 1
	}
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	// firstErr is the engine error that cancelled the run: the answers
	// still running then fail with context.Canceled, and those errors
	// must not hide the cause, whatever their place in the input.
	var firstErr error
	var errOnce sync.Once
	for i := range answers {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			errs[i] = ctx.Err()
			continue
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			res, err := eng.Analyze(ctx, qs[i], answers[i].Text)
			if err != nil && !errors.Is(err, ErrEmptyAnswer) {
				errOnce.Do(func() { firstErr = fmt.Errorf("analyze answer to %s: %w", answers[i].QuestionID, err) })
				cancel()
			}
			results[i], errs[i] = res, err
		}(i)
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}

	info := eng.Info()
	rep := &Report{
		SchemaVersion:  SchemaVersion,
		SchemaRevision: SchemaRevision,
		Guide:          ref,
		Engine:         info,
		Candidate:      opts.Candidate,
		Role:           opts.Role,
		InterviewDate:  opts.InterviewDate,
		Interviewers:   opts.Interviewers,
		Source:         opts.Source,
		Answers:        make([]AnswerAnalysis, 0, len(answers)),
		Warnings:       append([]Warning{}, opts.Warnings...),
		Disclaimer:     Disclaimer,
	}
	for i := range answers {
		if err := errs[i]; err != nil {
			if errors.Is(err, ErrEmptyAnswer) {
				rep.Warnings = append(rep.Warnings, Warning{Code: WarnShortAnswer, QuestionID: answers[i].QuestionID,
					Message: "the answer is empty and was not analyzed"})
				continue
			}
			return nil, fmt.Errorf("analyze answer to %s: %w", answers[i].QuestionID, err)
		}
		a := results[i]
		a.Asked, a.Probes = answers[i].Asked, answers[i].Probes
		checkProbes(&a, qs[i])
		for _, w := range a.Warnings {
			if w.QuestionID == "" {
				w.QuestionID = a.QuestionID
			}
			rep.Warnings = append(rep.Warnings, w)
		}
		rep.Answers = append(rep.Answers, a)
	}
	checkReuse(rep) // analyzer/reuse.go: one episode told for several questions
	rep.Summary = Summarize(rep.Answers)
	rep.Summary.NotAsked = opts.NotAsked
	rep.ID = reportID(ref, info, answers, rep)
	return rep, nil
}

// Summarize computes the report-wide figures over answers.
func Summarize(answers []AnswerAnalysis) Summary {
	s := Summary{
		Answers: len(answers),
		Labels:  map[string]int{LabelSpecific: 0, LabelMixed: 0, LabelRehearsed: 0},
		Areas:   map[string]int{StatusCovered: 0, StatusPartial: 0, StatusMissing: 0},
	}
	var usage Usage
	var quotes, found int
	hasUsage, hasGrounding := false, false
	for _, a := range answers {
		s.Coverage += a.Coverage.Score
		s.Specificity += float64(a.Delivery.Specificity)
		s.Labels[a.Delivery.Label]++
		for _, ar := range a.Coverage.Areas {
			s.Areas[ar.Status]++
		}
		if a.Usage != nil {
			hasUsage = true
			usage.Add(*a.Usage)
		}
		if a.Grounding != nil {
			hasGrounding = true
			quotes += a.Grounding.Quotes
			found += a.Grounding.Found
		}
		if a.Cached {
			s.Cached++
		}
	}
	if n := float64(len(answers)); n > 0 {
		s.Coverage = Round3(s.Coverage / n)
		s.Specificity = math.Round(s.Specificity/n*10) / 10
	}
	if hasUsage {
		s.Usage = &usage
	}
	if hasGrounding {
		rate := 1.0
		if quotes > 0 {
			rate = Round3(float64(found) / float64(quotes))
		}
		s.GroundingRate = &rate
	}
	return s
}

// reportID derives a stable id from what the report was made of, so the same
// input gives the same report. It covers the source (its name and the digest
// of its bytes) and the candidate (display name and speaker), not only the
// answers: two files of one interview, one with the small talk and one
// without, give the same answers but are two reports, and so are two
// candidates who gave word for word the same answers.
func reportID(g GuideRef, e EngineInfo, answers []Answer, rep *Report) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00", g.ID, g.Version, e.Name, e.Model, e.PromptVersion, e.Options)
	fmt.Fprintf(h, "candidate\x00%s\x00", rep.Candidate)
	if src := rep.Source; src != nil {
		fmt.Fprintf(h, "source\x00%s\x00%s\x00%s\x00%s\x00%s\x00", src.File, src.Document, src.SHA256, src.Format, src.Candidate)
	}
	for _, a := range answers {
		fmt.Fprintf(h, "%s\x00%d\x00%s\x00", a.QuestionID, len(a.Text), a.Text)
	}
	return "rep_" + hex.EncodeToString(h.Sum(nil)[:10])
}
