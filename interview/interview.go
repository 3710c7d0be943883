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
	// Assign fixes what some interviewer turns ask (segment.Options.Assign).
	Assign map[int]string
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
	seg, err := segment.Segment(g, t, segment.Options{Interviewers: opts.Interviewers, Candidate: opts.Candidate, Explain: opts.Explain, Assign: opts.Assign})
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
	return analyzer.NothingAligned(g.ID, "try 'candor segment --explain'")
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
		// Without answers, the per-question "not asked" warnings add nothing,
		// nor do the replies no question took (all of them were).
		kept := ao.Warnings[:0]
		for _, w := range ao.Warnings {
			if w.Code != analyzer.WarnNotAsked && w.Code != analyzer.WarnAnswerUnplaced {
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
// "A", "Speaker 2"), a name said in the transcript (the candidate's "my name
// is Sofia", the interviewer's "thanks, Sofia"); else the input's file name.
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
	if n := spokenName(t, seg); n != "" {
		return n
	}
	return fileName(t.Name)
}

// Where a transcript says the candidate's name: the candidate introducing
// themself, or an interviewer addressing them by name.
var (
	selfIntro = regexp.MustCompile(`\b(?:[Mm]y name is|[Mm]y name's|[Tt]his is|I'm|I am|[Cc]all me)\s+([A-Z][a-z]+(?:[- ][A-Z][a-z]+)?)\b`)
	addressed = regexp.MustCompile(`\b(?:[Tt]hanks|[Tt]hank you|[Hh]i|[Hh]ello|[Ww]elcome|[Nn]ice to meet you|[Gg]reat|[Oo]kay|[Ss]o)\s*,\s*([A-Z][a-z]+)\b`)
	// notNames are capitalised words that follow those openings without
	// being a name ("I'm Sorry", "Thanks, So ...").
	notNames = map[string]bool{"Sorry": true, "So": true, "Sure": true, "Really": true, "Just": true, "Not": true, "Here": true,
		"Happy": true, "Glad": true, "Fine": true, "Good": true, "Great": true, "Okay": true, "Well": true, "Yes": true, "Yeah": true,
		"Thanks": true, "Thank": true, "Very": true, "Excited": true, "Currently": true, "Originally": true, "Now": true, "The": true,
		"Let": true, "Tell": true, "Can": true, "Could": true, "What": true, "How": true, "Why": true, "And": true, "But": true, "I": true}
)

// spokenName finds the candidate's name in the turns: the first
// self-introduction in the candidate's turns, else the name the
// interviewers address most often. "" when neither is said.
func spokenName(t *analyzer.Transcript, seg *segment.Result) string {
	if seg.Candidate == "" {
		return ""
	}
	interviewer := map[string]bool{}
	for _, n := range seg.Interviewers {
		interviewer[n] = true
	}
	counts := map[string]int{}
	best := ""
	own := 0 // the candidate's turns so far: an introduction comes early
	for _, turn := range t.Turns {
		switch {
		case turn.Speaker == seg.Candidate:
			own++
			if m := selfIntro.FindStringSubmatch(turn.Text); own <= 3 && m != nil && !notNames[strings.Fields(m[1])[0]] {
				return m[1]
			}
		case interviewer[turn.Speaker]:
			for _, m := range addressed.FindAllStringSubmatch(turn.Text, -1) {
				if n := m[1]; !notNames[n] {
					counts[n]++
					if best == "" || counts[n] > counts[best] {
						best = n
					}
				}
			}
		}
	}
	return best
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
