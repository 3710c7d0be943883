// Package analyzer is Candor's domain: interview guides, transcripts, the answers
// found in them, the engines that analyze an answer, and the report they produce.
//
// It has no transport, storage or vendor types in its exported API: adapters
// (the guide and transcript parsers, the LLM client, Redis, HTTP) live in packages
// of their own and convert at the edge.
package analyzer

import (
	"errors"
	"fmt"
)

// Guide is a structured interview guide: behavioural questions, each with the
// areas an answer should cover and follow-up questions.
type Guide struct {
	ID          string     `json:"id" yaml:"id"`
	Title       string     `json:"title" yaml:"title"`
	Description string     `json:"description,omitempty" yaml:"description,omitempty"`
	Questions   []Question `json:"questions" yaml:"questions"`
	// DepthSignals are the guide's rubric for telling a lived, particular
	// answer from a rehearsed one (for an empathy guide: the customer's
	// emotions named, how they were recognised, the approach personalised,
	// the customer's experience in focus). Every question is judged by them;
	// Normalize copies them into each Question's Depth.
	DepthSignals []DepthSignal `json:"depth_signals,omitempty" yaml:"depth_signals,omitempty"`
	// Notes keeps the guide's prose that is not a question, such as a
	// Yardstick guide's "Frequently Asked Questions", as question/answer pairs.
	Notes []Note `json:"notes,omitempty" yaml:"notes,omitempty"`
	// Version is a content hash of the guide (set by Guide.Normalize); it
	// changes whenever a question, area or follow-up changes.
	Version string `json:"version,omitempty" yaml:"version,omitempty"`
}

// Question is one guide question.
type Question struct {
	ID        string   `json:"id" yaml:"id"`
	Text      string   `json:"text" yaml:"text"`
	Areas     []string `json:"areas" yaml:"areas"`
	FollowUps []string `json:"follow_ups,omitempty" yaml:"follow_ups,omitempty"`
	// AreaKinds states, area by area, the kind of content each asks for
	// (one of AreaKindNames; "" where the author states none). Optional:
	// the embedded engine reads a kind from an area's words where none is
	// stated, and a stated one spares it a misreading.
	AreaKinds []string `json:"area_kinds,omitempty" yaml:"area_kinds,omitempty"`
	// Depth holds the guide's depth signals, so that an engine judging one
	// question sees them (set by guide.Normalize; not part of a guide file).
	Depth []DepthSignal `json:"-" yaml:"-"`
}

// AreaKind is the kind of content a question's i-th area asks for as its
// guide states it, or "" when the guide states none.
func (q *Question) AreaKind(i int) string {
	if i < len(q.AreaKinds) {
		return q.AreaKinds[i]
	}
	return ""
}

// AreaKindNames are the kinds of content an area can ask for, as a guide
// states them (area_kinds) and as reports name them (AreaResult.Kind).
var AreaKindNames = []string{"situation", "emotion", "reasoning", "technique", "action", "policy", "outcome",
	"follow_up", "lesson", "measurement", "stakeholders", "challenge", "research", "team", "change", "discovery",
	"impact", "communication", "preparation", "decision", "future", "segment", "bias", "behavior", "response",
	"priorities", "validation"}

// DepthSignal is one sign, written by the guide's author, that an answer
// shows the depth the guide looks for.
type DepthSignal struct {
	ID   string `json:"id" yaml:"id"`
	Text string `json:"text" yaml:"text"`
}

// Note is a piece of guidance kept with a guide (an FAQ entry, for instance).
type Note struct {
	Title string `json:"title" yaml:"title"`
	Text  string `json:"text" yaml:"text"`
}

// Question returns the question with the given id.
func (g *Guide) Question(id string) (*Question, bool) {
	for i := range g.Questions {
		if g.Questions[i].ID == id {
			return &g.Questions[i], true
		}
	}
	return nil, false
}

// Turn is one maximal run of speech by one speaker.
type Turn struct {
	Speaker string `json:"speaker"`
	Text    string `json:"text"`
	// Start and End are offsets from the start of the recording in
	// milliseconds; -1 when the format carries no times.
	Start int64 `json:"start_ms"`
	End   int64 `json:"end_ms"`
	// Line is the 1-based line of the input where the turn starts (0 when
	// unknown), so errors and reports can point at the source.
	Line int `json:"line,omitempty"`
}

// Transcript is an interview as a sequence of turns, or, for the answers
// format, answers already assigned to questions.
type Transcript struct {
	// Format names the detected input format (answers-json, turns-json,
	// plain, vtt, srt, otter).
	Format string `json:"format"`
	// Document names the kind of file the text was read from ("docx",
	// "pdf"); empty for a text file.
	Document string `json:"document,omitempty"`
	// Name is what the input was called (a file name, "stdin"), and
	// SHA256 the hex digest of its bytes as received (set by the pipeline
	// that read it, not by the parsers).
	Name      string `json:"name,omitempty"`
	SHA256    string `json:"sha256,omitempty"`
	Candidate string `json:"candidate,omitempty"`
	Turns     []Turn `json:"turns,omitempty"`
	// Answers is set instead of Turns when the input already maps answers
	// to question ids (the contract's answers JSON).
	Answers []GivenAnswer `json:"answers,omitempty"`
}

// GivenAnswer is an answer whose question the input names.
type GivenAnswer struct {
	QuestionID string `json:"question_id"`
	Text       string `json:"text"`
}

// Answer is the candidate's answer to one guide question, as found in a
// transcript: the reply to the question and to its follow-ups.
type Answer struct {
	QuestionID string `json:"question_id"`
	Text       string `json:"text"`
	// AskedAt is the index of the interviewer turn that asked the question
	// (-1 for the answers format).
	AskedAt int `json:"asked_at_turn"`
	// Turns are the indexes of the candidate turns joined into Text.
	Turns []int `json:"turns,omitempty"`
	// Offsets gives, for each entry of Turns, the code-point offset in Text
	// where that turn's text starts.
	Offsets []int `json:"offsets,omitempty"`
	// Asked is the interviewer's wording of the question (empty when unknown).
	Asked string `json:"asked,omitempty"`
	// Match is how confidently Asked was matched to the question (0..1).
	Match float64 `json:"match,omitempty"`
	// Probes are the interviewer's turns inside the answer (follow-ups,
	// prompts), each with where in Text the reply to it begins.
	Probes []Probe `json:"probes,omitempty"`
}

// Probe is an interviewer turn asked inside an answer, after the question.
type Probe struct {
	// Turn is the index of the interviewer turn in the transcript.
	Turn    int    `json:"turn"`
	Speaker string `json:"speaker,omitempty"`
	Text    string `json:"text"`
	// Offset is the code-point offset in the answer's text where the
	// candidate's reply to the probe begins (the text's length when the
	// probe got no reply inside the answer).
	Offset int `json:"offset"`
}

// Sentinel errors for expected conditions. Callers wrap them with context.
var (
	ErrUnknownGuide    = errors.New("unknown guide")
	ErrUnknownQuestion = errors.New("unknown question")
	ErrEmptyAnswer     = errors.New("empty answer")
	ErrInvalidGuide    = errors.New("invalid guide")
	ErrInvalidInput    = errors.New("invalid input")
)

// InputError is a problem with user input that can be pinned to a place:
// a file, a line, a field. Its message reads "file:line: field: reason".
type InputError struct {
	File   string // file name, if known
	Line   int    // 1-based line, 0 if not applicable
	Field  string // field or element at fault, if any
	Reason string
}

func (e *InputError) Error() string {
	msg := ""
	if e.File != "" {
		msg = e.File
		if e.Line > 0 {
			msg += fmt.Sprintf(":%d", e.Line)
		}
		msg += ": "
	} else if e.Line > 0 {
		msg = fmt.Sprintf("line %d: ", e.Line)
	}
	if e.Field != "" {
		msg += e.Field + ": "
	}
	return msg + e.Reason
}

// Unwrap makes every InputError match ErrInvalidInput.
func (e *InputError) Unwrap() error { return ErrInvalidInput }
