package api

import (
	"encoding/json"
	"time"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/guide"
	"github.com/candorhq/candor/store"
)

// Wire types: the request and response bodies of the API, apart from the
// handlers (openapi.yaml describes the same shapes). Reports go out as
// analyzer.Report's own JSON, the contract in shared/contract/REPORT.md.

// AnalysisRequest is the JSON body of POST /v1/analyses. Exactly one of
// Answers and Transcript is given, and one of GuideID and Guide.
type AnalysisRequest struct {
	// GuideID names a built-in guide or one of the tenant's guides.
	GuideID string `json:"guide_id,omitempty"`
	// Guide is an inline guide in the JSON guide shape.
	Guide json.RawMessage `json:"guide,omitempty"`
	// Answers are answers already assigned to guide questions.
	Answers []analyzer.GivenAnswer `json:"answers,omitempty"`
	// Transcript is a transcript in any supported format: a string, or
	// the answers or turns JSON inline.
	Transcript json.RawMessage `json:"transcript,omitempty"`
	// Candidate is, with a transcript, the speaker label of the candidate
	// (default: inferred); with answers, the candidate's display name.
	Candidate string `json:"candidate,omitempty"`
	// Interviewers names the speakers who interview (default: inferred).
	Interviewers []string `json:"interviewers,omitempty"`
	// Assign fixes what some interviewer turns of the transcript ask:
	// turn number (as the answer_unplaced warning and `candor segment
	// --explain` number turns) to a question id, or "-" for a turn that
	// asks no guide question.
	Assign map[string]string `json:"assign,omitempty"`
	// CandidateName is the candidate's name in the report, apart from the
	// speaker who answers (default: that speaker's name, or the file name
	// when the transcript's labels are roles).
	CandidateName string `json:"candidate_name,omitempty"`
	// Role (role or requisition), InterviewDate (YYYY-MM-DD) and
	// InterviewerNames are report fields.
	Role             string   `json:"role,omitempty"`
	InterviewDate    string   `json:"interview_date,omitempty"`
	InterviewerNames []string `json:"interviewer_names,omitempty"`
	// FileName names the transcript's source in the report (an upload's
	// file name is used by default).
	FileName string `json:"file_name,omitempty"`
	// Engine is heuristic (default), llm or hybrid.
	Engine string `json:"engine,omitempty"`
	// Async asks for a job even for a small input (as ?async=true does).
	Async bool `json:"async,omitempty"`
	// WebhookURL is called when the job ends (async analyses only).
	WebhookURL string `json:"webhook_url,omitempty"`
}

// JobAccepted is the 202 body of an analysis run as a job.
type JobAccepted struct {
	JobID     string         `json:"job_id"`
	State     store.JobState `json:"state"`
	StatusURL string         `json:"status_url"`
}

// Job is GET /v1/jobs/{id}.
type Job struct {
	store.JobStatus
	// ReportURL is set once the job is done, for an analysis;
	// ResultURL for an evaluation or audit.
	ReportURL string `json:"report_url,omitempty"`
	ResultURL string `json:"result_url,omitempty"`
}

// GuideCreated is the 201 body of POST /v1/guides and of PUT.
type GuideCreated struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Version   string `json:"version"`
	Questions int    `json:"questions"`
	URL       string `json:"url"`
	// Warnings are guide lint's findings (overlapping areas, trait areas,
	// repeated follow-ups...): the guide is stored all the same.
	Warnings []guide.Finding `json:"warnings,omitempty"`
}

// GuideInfo is one guide in GET /v1/guides.
type GuideInfo struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Version   string `json:"version"`
	Questions int    `json:"questions"`
	// Builtin is true for the guides every tenant shares (read-only).
	Builtin bool `json:"builtin"`
}

// GuideList is GET /v1/guides.
type GuideList struct {
	Guides []GuideInfo `json:"guides"`
}

// ReportList is GET /v1/reports: one page, newest first.
type ReportList struct {
	Reports []store.ReportInfo `json:"reports"`
	// NextCursor fetches the next page (?cursor=); absent on the last.
	NextCursor string `json:"next_cursor,omitempty"`
}

// Problem is an error response (RFC 9457, application/problem+json).
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	// Code is a stable identifier of the kind of problem.
	Code string `json:"code"`
	// Field names the request field at fault (validation errors).
	Field     string `json:"field,omitempty"`
	Instance  string `json:"instance,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

// Health is GET /healthz.
type Health struct {
	Status string `json:"status"`
}

// Readiness is GET /readyz: ready (everything reachable), degraded (the
// process serves analyses but something it uses is down) or draining
// (shutting down; 503).
type Readiness struct {
	Status string           `json:"status"`
	Checks map[string]Check `json:"checks"`
}

// Check is one dependency in Readiness.
type Check struct {
	// Status is ok, down or disabled.
	Status string `json:"status"`
	// Detail says why a dependency is down (no secrets, no addresses).
	Detail string `json:"detail,omitempty"`
	// Impact says what does not work while it is down.
	Impact string `json:"impact,omitempty"`
}

// WebhookEvent is the body POSTed to a job's webhook URL.
type WebhookEvent struct {
	// Event is analysis.completed or analysis.failed.
	Event    string          `json:"event"`
	JobID    string          `json:"job_id"`
	ReportID string          `json:"report_id,omitempty"`
	Error    string          `json:"error,omitempty"`
	Report   json.RawMessage `json:"report,omitempty"`
	SentAt   time.Time       `json:"sent_at"`
}
