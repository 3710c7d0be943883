// Package interview runs Candor's main job end to end: a transcript in any
// supported format and a guide in, a report out. The CLI, the API and the job
// workers all call it, so an upload gives the same report whichever door it
// came through.
package interview

import (
	"context"
	"errors"
	"fmt"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/segment"
	"github.com/candorhq/candor/transcript"
)

// Options tune one run.
type Options struct {
	// Interviewers and Candidate override the speaker roles segmentation
	// would infer.
	Interviewers []string
	Candidate    string
	// Concurrency is how many answers are analyzed at once.
	Concurrency int
	// Explain records alignment decisions in the segmentation result.
	Explain bool
}

// Parse reads a transcript (format detected from content) and segments it
// into answers to the guide's questions. name is used in error messages.
func Parse(g *analyzer.Guide, name string, data []byte, opts Options) (*segment.Result, *analyzer.Transcript, error) {
	t, err := transcript.Parse(name, data)
	if err != nil {
		return nil, nil, err
	}
	seg, err := segment.Segment(g, t, segment.Options{Interviewers: opts.Interviewers, Candidate: opts.Candidate, Explain: opts.Explain})
	if err != nil {
		var ie *analyzer.InputError
		if errors.As(err, &ie) && ie.File == "" {
			ie.File = name
		}
		return nil, nil, err
	}
	return seg, t, nil
}

// Analyze parses, segments and analyzes a transcript. A transcript in which
// no guide question was recognised is an error wrapping
// analyzer.ErrInvalidInput, since an empty report would look like a verdict.
func Analyze(ctx context.Context, eng analyzer.Engine, g *analyzer.Guide, name string, data []byte, opts Options) (*analyzer.Report, error) {
	seg, t, err := Parse(g, name, data, opts)
	if err != nil {
		return nil, err
	}
	if len(seg.Answers) == 0 {
		return nil, &analyzer.InputError{File: name, Reason: fmt.Sprintf("no answer to any question of guide %q was found (is it the guide this interview used? try 'candor segment --explain')", g.ID)}
	}
	return Report(ctx, eng, g, seg, t, opts)
}

// Report analyzes segmented answers.
func Report(ctx context.Context, eng analyzer.Engine, g *analyzer.Guide, seg *segment.Result, t *analyzer.Transcript, opts Options) (*analyzer.Report, error) {
	cand := seg.Candidate
	if t.Candidate != "" {
		cand = t.Candidate
	}
	ao := analyzer.Options{
		Concurrency: opts.Concurrency,
		Candidate:   cand,
		Warnings:    seg.Warnings,
		Source:      &analyzer.SourceInfo{Format: t.Format, Interviewer: seg.Interviewers, Candidate: seg.Candidate, Turns: len(t.Turns)},
	}
	if t.Format != transcript.FormatAnswersJSON {
		ao.NotAsked = seg.NotAsked
	}
	return analyzer.Analyze(ctx, eng, g, seg.Answers, ao)
}
