package analyzer

import (
	"context"
	"time"
)

// SchemaVersion is the report contract version (shared/contract/REPORT.md).
const SchemaVersion = "1"

// SchemaRevision counts compatible additions to contract version 1: fields
// added, none changed or removed, so readers of version 1 keep working.
// 2 added the delivery's episode, details, depth signals and reasons; 3
// the confidence and tentative mark of an area's evidence; 4 a warning's
// turn (and the answer_unplaced warning); 5 the delivery's label
// confidence and near label.
const SchemaRevision = 5

// ShortAnswerWords is the length under which an answer is very short
// (answer_too_short), and under which a reply no question took is not
// worth an answer_unplaced warning.
const ShortAnswerWords = 40

// Area statuses.
const (
	StatusCovered = "covered"
	StatusPartial = "partial"
	StatusMissing = "missing"
)

// Delivery labels.
const (
	LabelSpecific  = "specific"
	LabelMixed     = "mixed"
	LabelRehearsed = "rehearsed"
)

// Signal polarities.
const (
	PolaritySpecific  = "specific"
	PolarityRehearsed = "rehearsed"
)

// Warning codes (stable identifiers).
const (
	WarnPromptInjection = "prompt_injection_suspected"
	WarnShortAnswer     = "answer_too_short"
	WarnOffQuestion     = "answer_off_question"
	WarnRolesUnclear    = "roles_unclear"
	WarnRolesSwapped    = "roles_swapped"
	WarnNotAsked        = "question_not_asked"
	WarnLLMFallback     = "llm_fallback"
	// WarnProbeUnanswered: the interviewer already asked a probe (a
	// specific example, the result, their own part) and the reply did not
	// give it.
	WarnProbeUnanswered = "probe_unanswered"
	// WarnNothingAligned: no answer to any guide question was found in the
	// transcript (a batch keeps going with this report).
	WarnNothingAligned = "nothing_aligned"
	// WarnAnswerUnplaced: the candidate said something substantial (at
	// least ShortAnswerWords words) in reply to an interviewer turn that
	// matched no guide question, so it was not analysed. Turn names the
	// interviewer turn, which the user may assign to its question.
	WarnAnswerUnplaced = "answer_unplaced"
	// WarnSlateNotJoined: the report has a role but did not join its
	// slate (an inline guide, or the store failed; the message says).
	WarnSlateNotJoined = "slate_not_joined"
)

// Span is a quote from an answer with its code-point offsets:
// []rune(text)[Start:End] == Quote.
type Span struct {
	Quote string `json:"quote"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	// Confidence and Tentative are set on an area's evidence by the
	// embedded engine: the quote model's probability that this is the
	// sentence that addresses the area, and whether it falls below the
	// probability from which held-out quotes were that sentence 85% of
	// the time (the quote is the nearest the engine found, not one it
	// stands behind).
	Confidence float64 `json:"confidence,omitempty"`
	Tentative  bool    `json:"tentative,omitempty"`
}

// AreaResult is the verdict on one area to cover.
type AreaResult struct {
	Index      int     `json:"index"`
	Text       string  `json:"text"`
	Status     string  `json:"status"`
	Confidence float64 `json:"confidence"`
	Evidence   []Span  `json:"evidence"`
	// Kind is the kind of content the area asks for (situation, emotion,
	// action, outcome, lesson, ...), as the embedded engine read it.
	Kind string `json:"kind,omitempty"`
	// Agreement is the share of samples that gave Status (LLM
	// self-consistency mode only).
	Agreement float64 `json:"agreement,omitempty"`
	// HeuristicStatus is the embedded engine's status when a hybrid
	// report's model disagreed with it (empty when they agree).
	HeuristicStatus string `json:"heuristic_status,omitempty"`
}

// Coverage is the verdict on every area of the answer's question.
type Coverage struct {
	Score float64      `json:"score"`
	Areas []AreaResult `json:"areas"`
}

// STAR says which elements of a particular past situation the answer tells.
type STAR struct {
	Situation bool `json:"situation"`
	Task      bool `json:"task"`
	Action    bool `json:"action"`
	Result    bool `json:"result"`
}

// Signal is one piece of evidence about how concrete the answer is.
type Signal struct {
	Span
	Kind     string `json:"kind"`
	Polarity string `json:"polarity"`
}

// Delivery is the verdict on how specific the answer is.
type Delivery struct {
	Label       string   `json:"label"`
	Specificity int      `json:"specificity"`
	STAR        STAR     `json:"star"`
	Signals     []Signal `json:"signals"`
	// Episode is the span of the particular past episode the answer tells
	// (absent when it tells none).
	Episode *Span `json:"episode,omitempty"`
	// Details are the checkable details of the answer (times, names,
	// numbers, reported speech); Bound says the detail belongs to the told
	// episode (a number that measures what the candidate did or saw, a name
	// that acts or speaks in it) rather than decorating the answer.
	Details []Detail `json:"details,omitempty"`
	// Depth says which of the guide's depth signals the answer shows.
	Depth []DepthResult `json:"depth,omitempty"`
	// Reasons say in a few words why the label was given.
	Reasons []string `json:"reasons,omitempty"`
	// LabelConfidence is how often answers whose reading lay this close to
	// the boundary of another label were given the labellers' label,
	// measured on held-out folds (0..1; absent where the engine claims
	// none: the LLM engine, or a label set by a rule). NearLabel is the
	// label across the nearest boundary. Below BorderlineConfidence the
	// label is borderline: a second look may well read it as NearLabel.
	LabelConfidence float64 `json:"label_confidence,omitempty"`
	NearLabel       string  `json:"near_label,omitempty"`
}

// BorderlineConfidence is the label confidence below which a report calls
// the label borderline: a held-out reading that close to another label's
// boundary missed the labellers' label at least one time in three.
const BorderlineConfidence = 2.0 / 3

// Borderline reports a label the engine is not sure of (LabelConfidence
// below BorderlineConfidence).
func (d Delivery) Borderline() bool {
	return d.LabelConfidence > 0 && d.LabelConfidence < BorderlineConfidence
}

// Detail is one checkable detail of an answer.
type Detail struct {
	Span
	// Kind is time, name, number or speech.
	Kind  string `json:"kind"`
	Bound bool   `json:"bound"`
}

// Depth signal statuses.
const (
	DepthPresent = "present"
	DepthPartial = "partial"
	DepthAbsent  = "absent"
)

// DepthStatus maps an area status to the depth signal status it stands
// for (covered: present, partial: partial, anything else: absent).
func DepthStatus(areaStatus string) string {
	switch areaStatus {
	case StatusCovered:
		return DepthPresent
	case StatusPartial:
		return DepthPartial
	}
	return DepthAbsent
}

// DepthResult is the verdict on one of the guide's depth signals.
type DepthResult struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	// Present is Status == DepthPresent.
	Present bool `json:"present"`
	// Status is present, partial or absent.
	Status string `json:"status,omitempty"`
	// Confidence is the engine's probability that the answer shows it.
	Confidence float64 `json:"confidence"`
	Evidence   []Span  `json:"evidence"`
}

// Warning is something a reader of the report should know.
type Warning struct {
	Code       string `json:"code"`
	QuestionID string `json:"question_id,omitempty"`
	Message    string `json:"message"`
	// Span points at the text concerned, when there is one.
	Span *Span `json:"span,omitempty"`
	// Turn is the transcript turn concerned (0-based, as `candor segment
	// --explain` numbers them), when there is one.
	Turn *int `json:"turn,omitempty"`
	// Closest, for answer_unplaced, are the guide questions the turn
	// matches best, best first: the likely ones to assign it to.
	Closest []string `json:"closest,omitempty"`
}

// AnswerAnalysis is an engine's verdict on one answer.
type AnswerAnalysis struct {
	QuestionID string   `json:"question_id"`
	Question   string   `json:"question"`
	Text       string   `json:"text"`
	Coverage   Coverage `json:"coverage"`
	Delivery   Delivery `json:"delivery"`
	FollowUps  []string `json:"follow_ups"`
	// Asked is the interviewer's wording of the question (transcripts
	// only), and Probes the interviewer's turns inside the answer, each
	// with where in Text the reply to it begins.
	Asked  string  `json:"asked,omitempty"`
	Probes []Probe `json:"probes,omitempty"`
	// Engine names the engine that produced this analysis (an LLM report
	// may fall back to the embedded engine for some answers).
	Engine   string    `json:"engine,omitempty"`
	Warnings []Warning `json:"warnings,omitempty"`
	// Words is the answer's length in words.
	Words int `json:"words"`
	// Cached is true when the analysis was served from the cache.
	Cached bool `json:"cached,omitempty"`
	// Usage counts model calls and tokens (LLM engines only).
	Usage *Usage `json:"usage,omitempty"`
	// Grounding counts the model's quotes found in the answer (LLM
	// engines only).
	Grounding *Grounding `json:"grounding,omitempty"`
}

// Usage counts model calls and tokens.
type Usage struct {
	Calls            int `json:"calls"`
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
}

// Add adds u2 to u.
func (u *Usage) Add(u2 Usage) {
	u.Calls += u2.Calls
	u.PromptTokens += u2.PromptTokens
	u.CompletionTokens += u2.CompletionTokens
}

// Grounding counts quotes returned by a model and those found in the answer.
type Grounding struct {
	Quotes int `json:"quotes"`
	Found  int `json:"found"`
}

// EngineInfo describes what produced a report.
type EngineInfo struct {
	Name          string `json:"name"`
	Model         string `json:"model,omitempty"`
	PromptVersion string `json:"prompt_version,omitempty"`
	// Options is a canonical string of the engine settings that change its
	// results (for instance "temperature=0,seed=7,samples=1"); part of every
	// cache key.
	Options string `json:"options,omitempty"`
}

// GuideRef identifies the guide a report was made with.
type GuideRef struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Version string `json:"version,omitempty"`
}

// Summary holds report-wide figures: averages over answers.
type Summary struct {
	Answers     int     `json:"answers"`
	Coverage    float64 `json:"coverage"`
	Specificity float64 `json:"specificity"`
	// Labels counts answers per delivery label.
	Labels map[string]int `json:"labels"`
	// Areas counts areas per status over all answers.
	Areas map[string]int `json:"areas"`
	// NotAsked lists guide questions that were never asked (transcripts only).
	NotAsked []string `json:"not_asked,omitempty"`
	// Usage sums model calls and tokens over answers (LLM engines only).
	Usage *Usage `json:"usage,omitempty"`
	// GroundingRate is the share of model quotes found in the answers
	// (LLM engines only; 1 when every quote was grounded).
	GroundingRate *float64 `json:"grounding_rate,omitempty"`
	// Cached counts answers served from the cache.
	Cached int `json:"cached,omitempty"`
}

// Report is the analysis of one interview (shared/contract/REPORT.md).
type Report struct {
	SchemaVersion string `json:"schema_version"`
	// SchemaRevision is SchemaRevision when the report was made.
	SchemaRevision int        `json:"schema_revision,omitempty"`
	ID             string     `json:"id"`
	Guide          GuideRef   `json:"guide"`
	Engine         EngineInfo `json:"engine"`
	// Candidate is the candidate's display name (given, or found: see
	// interview.Report); Source.Candidate is the speaker label that answers.
	Candidate string `json:"candidate,omitempty"`
	// Role is the role or requisition interviewed for, InterviewDate the
	// day of the interview (YYYY-MM-DD) and Interviewers the interviewers'
	// names, as the user gave them (or, for Interviewers, the transcript's
	// speaker names).
	Role string `json:"role,omitempty"`
	// SlateID is the slate the report joined by its role when it was made
	// (the service only; see api.Server's role slates).
	SlateID       string           `json:"slate_id,omitempty"`
	InterviewDate string           `json:"interview_date,omitempty"`
	Interviewers  []string         `json:"interviewers,omitempty"`
	Source        *SourceInfo      `json:"source,omitempty"`
	Summary       Summary          `json:"summary"`
	Answers       []AnswerAnalysis `json:"answers"`
	Warnings      []Warning        `json:"warnings"`
	// Disclaimer reminds every reader what the report is for.
	Disclaimer string `json:"disclaimer"`
	// CreatedAt is set when a report is stored; the analysis itself is
	// deterministic and carries no clock.
	CreatedAt *time.Time `json:"created_at,omitempty"`
	// Tenant owns a stored report (never serialised to clients).
	Tenant string `json:"-"`
}

// SourceInfo says what the report was made from.
type SourceInfo struct {
	// File is the input's name: the path given to the CLI, the uploaded
	// file's name, or what the API request called it.
	File string `json:"file,omitempty"`
	// Document is the kind of document the text was read from (docx,
	// pdf); empty for text.
	Document string `json:"document,omitempty"`
	// SHA256 is the hex digest of the input as received.
	SHA256      string   `json:"sha256,omitempty"`
	Format      string   `json:"format"`
	Interviewer []string `json:"interviewers,omitempty"`
	Candidate   string   `json:"candidate,omitempty"`
	Turns       int      `json:"turns,omitempty"`
}

// Disclaimer is printed with every report.
const Disclaimer = "An aid for the interviewer's judgment, not a verdict on the candidate: it measures what the answers contain and shows its evidence."

// Engine analyzes one answer to one guide question.
//
// Analyze returns ErrEmptyAnswer for an answer with no words, and the
// context's error when ctx is done. Implementations must be safe for
// concurrent use.
type Engine interface {
	// Info names the engine (heuristic, llm or hybrid), its model and
	// prompt version, and the settings that determine its results.
	Info() EngineInfo
	Analyze(ctx context.Context, q Question, answer string) (AnswerAnalysis, error)
}
