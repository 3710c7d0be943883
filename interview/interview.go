// Package interview runs Candor's main job end to end: a transcript in any
// supported format and a guide in, a report out. The CLI, the API and the job
// workers all call it, so an upload gives the same report whichever door it
// came through.
package interview

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/segment"
	"github.com/candorhq/candor/transcript"
)

// Options tune one run.
type Options struct {
	// Interviewers and Candidate override the speaker roles segmentation
	// would infer: they name speakers as the transcript labels them.
	Interviewers []string
	Candidate    string
	// CandidateName is the candidate's display name in the report, apart
	// from which speaker answers. Empty: the answering speaker's name, or,
	// when the labels are roles ("Candidate", "A"), the file name.
	CandidateName string
	// Role (role or requisition), InterviewDate (YYYY-MM-DD) and
	// InterviewerNames are report fields, as the user gives them. Empty
	// InterviewerNames: the interviewing speakers' names, unless they are
	// roles.
	Role             string
	InterviewDate    string
	InterviewerNames []string
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
	sum := sha256.Sum256(data)
	t.Name, t.SHA256 = name, hex.EncodeToString(sum[:])
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
		return nil, &analyzer.InputError{File: name, Reason: NothingAligned(g)}
	}
	return Report(ctx, eng, g, seg, t, opts)
}

// NothingAligned is the reason given when no answer to any question of g
// was found in a transcript.
func NothingAligned(g *analyzer.Guide) string {
	return fmt.Sprintf("no answer to any question of guide %q was found (is it the guide this interview used? try 'candor segment --explain')", g.ID)
}

// Report analyzes segmented answers.
//
// An interview in which no guide question was recognised gives a report
// with no answers and a nothing_aligned warning (Analyze refuses it
// instead; a batch keeps it, so that its summary can count it).
func Report(ctx context.Context, eng analyzer.Engine, g *analyzer.Guide, seg *segment.Result, t *analyzer.Transcript, opts Options) (*analyzer.Report, error) {
	ao := analyzer.Options{
		Concurrency:   opts.Concurrency,
		Candidate:     DisplayName(opts.CandidateName, seg, t),
		Role:          strings.TrimSpace(opts.Role),
		InterviewDate: strings.TrimSpace(opts.InterviewDate),
		Interviewers:  interviewerNames(opts.InterviewerNames, seg.Interviewers),
		Warnings:      seg.Warnings,
		Source: &analyzer.SourceInfo{File: t.Name, Document: t.Document, SHA256: t.SHA256, Format: t.Format,
			Interviewer: seg.Interviewers, Candidate: seg.Candidate, Turns: len(t.Turns)},
	}
	if len(seg.Answers) == 0 {
		ao.Warnings = append(append([]analyzer.Warning{}, ao.Warnings...), analyzer.Warning{Code: analyzer.WarnNothingAligned,
			Message: "Nothing in this interview was recognised as an answer to a question of this guide, so there is nothing to report: " + NothingAligned(g)})
		// Without answers, the per-question "not asked" warnings add nothing.
		kept := ao.Warnings[:0]
		for _, w := range ao.Warnings {
			if w.Code != analyzer.WarnNotAsked {
				kept = append(kept, w)
			}
		}
		ao.Warnings = kept
	}
	if t.Format != transcript.FormatAnswersJSON {
		ao.NotAsked = seg.NotAsked
	}
	return analyzer.Analyze(ctx, eng, g, seg.Answers, ao)
}

// DisplayName picks the candidate's name for a report: the one given; else
// the name the input carries (answers JSON); else the answering speaker's
// label when it is a name; else, when the labels are roles ("Candidate",
// "A", "Speaker 2"), the input's file name.
func DisplayName(given string, seg *segment.Result, t *analyzer.Transcript) string {
	if n := strings.TrimSpace(given); n != "" {
		return n
	}
	if t.Candidate != "" {
		return t.Candidate
	}
	if seg.Candidate != "" && !RoleLabel(seg.Candidate) {
		return seg.Candidate
	}
	return fileName(t.Name)
}

var roleLabel = regexp.MustCompile(`(?i)^(interviewer|interviewee|candidate|applicant|recruiter|hiring manager|q|a|question|answer|` +
	`(speaker|participant|guest|unknown speaker|person|caller)( ?\d+)?)$`)

// RoleLabel reports a speaker label that names a role, not a person.
func RoleLabel(label string) bool { return roleLabel.MatchString(strings.TrimSpace(label)) }

// fileName turns an input's name into a display name: its base without
// the extension, underscores as spaces ("sofia_ruiz.docx" -> "sofia ruiz").
// Names that are no file ("stdin", a pasted transcript) give "".
func fileName(name string) string {
	switch name {
	case "", "stdin", "-", "transcript", "pasted transcript":
		return ""
	}
	base := filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	base = strings.TrimSuffix(base, filepath.Ext(base))
	return strings.Join(strings.Fields(strings.ReplaceAll(base, "_", " ")), " ")
}

func interviewerNames(given, speakers []string) []string {
	var out []string
	for _, n := range given {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, n := range speakers {
		if !RoleLabel(n) {
			out = append(out, n)
		}
	}
	return out
}
