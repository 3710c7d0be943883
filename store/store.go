// Package store keeps Candor's state: the analysis cache, the report store
// and the job queue, each declared as a small interface with two
// implementations: Redis (NewRedis) for deployments with several replicas,
// and an in-memory twin (NewMemory) for the single-process default that
// needs no server. Both pass the same conformance suite.
//
// Every key is namespaced by tenant, and every method that reads or deletes
// takes the tenant explicitly, so one tenant can never address another's data.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/candorhq/candor/analyzer"
)

// Sentinel errors. Implementations wrap them with context; test with errors.Is.
var (
	// ErrNotFound: no such report, job or cache entry (for this tenant).
	ErrNotFound = errors.New("not found")
	// ErrUnavailable: the backing server cannot be reached or is not
	// serving. It is transient: callers map it to 503 and retry later.
	ErrUnavailable = errors.New("store unavailable")
	// ErrLocked: a lock is held by someone else.
	ErrLocked = errors.New("locked")
	// ErrInvalid: an argument the store cannot accept (an empty id, a
	// report without an id, a malformed cursor).
	ErrInvalid = errors.New("invalid argument")
)

// Cache holds finished analyses as the JSON bytes they are served as.
// Keys are the hex hashes made by AnalysisKey; the implementation namespaces
// them by tenant.
type Cache interface {
	// GetAnalysis returns the bytes stored under key for tenant. It
	// returns ErrNotFound on a miss and an error wrapping ErrUnavailable
	// when the backend is down.
	GetAnalysis(ctx context.Context, tenant, key string) ([]byte, error)
	// PutAnalysis stores raw under key for ttl (0: no expiry). It returns
	// an error wrapping ErrUnavailable when the backend is down.
	PutAnalysis(ctx context.Context, tenant, key string, raw []byte, ttl time.Duration) error
	// LockAnalysis takes a short lock on key so that one process computes the
	// analysis while others wait for it. The lock expires by itself after
	// ttl, so a holder that dies cannot block the key for long. release
	// frees it only if it is still held by this caller. LockAnalysis returns
	// ErrLocked when someone else holds it and an error wrapping
	// ErrUnavailable when the backend is down.
	LockAnalysis(ctx context.Context, tenant, key string, ttl time.Duration) (release func(), err error)
}

// Reports keeps finished reports per tenant.
type Reports interface {
	// Create stores rep for rep.Tenant, setting rep.CreatedAt when it is
	// nil. analyses are the AnalysisKey hashes of the cached analyses the
	// report used; Delete removes them with it. Report ids are derived from
	// the report's input, so storing an id again replaces the report.
	// Create returns ErrInvalid for a report without an id and an error
	// wrapping ErrUnavailable when the backend is down.
	Create(ctx context.Context, rep *analyzer.Report, analyses []string) error
	// Get returns the report id of tenant, with Tenant set. It returns
	// ErrNotFound when there is none (or it belongs to another tenant).
	Get(ctx context.Context, tenant, id string) (*analyzer.Report, error)
	// GetJSON returns the report's stored JSON as it is, for serving
	// without a decode/encode round trip. Errors as Get.
	GetJSON(ctx context.Context, tenant, id string) ([]byte, error)
	// List returns tenant's reports, newest first, that match f, one page
	// at a time. It returns ErrInvalid for a malformed cursor.
	List(ctx context.Context, tenant string, f ReportFilter) (ReportPage, error)
	// Delete removes the report and the cached analyses of its answers.
	// It returns ErrNotFound when tenant has no such report.
	Delete(ctx context.Context, tenant, id string) error
	// PurgeTenant removes everything kept for tenant (a deletion
	// request): reports, results, cached analyses and their locks, job
	// records and their queue entries, dead letters, guides, idempotency
	// keys, cached responses and rate-limit buckets. Only the tenant's
	// web-session generation stays (see Sessions), a number that keeps
	// sessions signed in before the purge ended.
	PurgeTenant(ctx context.Context, tenant string) error
}

// ReportFilter selects reports in List. Zero fields match everything.
type ReportFilter struct {
	GuideID string
	// Candidate matches candidate names containing it, ignoring case.
	Candidate string
	// Role and Interviewer match the role and any interviewer's name
	// containing them, ignoring case.
	Role, Interviewer string
	// InterviewedFrom and InterviewedTo (YYYY-MM-DD, both inclusive)
	// bound the interview date; a report without one does not match.
	InterviewedFrom, InterviewedTo string
	// From and To bound CreatedAt: From <= CreatedAt < To.
	From, To time.Time
	// Limit is the page size: 0 means 50, and it is capped at 500.
	Limit int
	// Cursor is ReportPage.Next of the previous page ("" for the first).
	Cursor string
}

// ReportPage is one page of List.
type ReportPage struct {
	Reports []ReportInfo `json:"reports"`
	// Next is the cursor of the following page; "" on the last page.
	Next string `json:"next,omitempty"`
}

// ReportInfo is what List shows of a report.
type ReportInfo struct {
	ID        string            `json:"id"`
	Guide     analyzer.GuideRef `json:"guide"`
	Candidate string            `json:"candidate,omitempty"`
	CreatedAt time.Time         `json:"created_at"`
	Summary   analyzer.Summary  `json:"summary"`
	ReportMeta
}

// ReportMeta is what a list shows of who and what a report is about,
// beside the candidate.
type ReportMeta struct {
	Role          string   `json:"role,omitempty"`
	InterviewDate string   `json:"interview_date,omitempty"`
	Interviewers  []string `json:"interviewers,omitempty"`
	// Source is the name of the transcript the report was made from.
	Source string `json:"source,omitempty"`
}

// Jobs is a queue of analysis jobs with at-least-once delivery and an
// exactly-once visible effect: a job's report is stored once, however many
// times the job runs.
type Jobs interface {
	// Enqueue adds a job for tenant and returns its id. It returns an
	// error wrapping ErrUnavailable when the backend is down, so that the
	// API can answer 503.
	Enqueue(ctx context.Context, tenant string, payload []byte) (string, error)
	// Status returns the job's state and progress. It returns ErrNotFound
	// for an unknown id or another tenant's job.
	Status(ctx context.Context, tenant, id string) (JobStatus, error)
	// Progress records how far a running job has got (for Status).
	Progress(ctx context.Context, tenant, id string, done, total int) error
	// Work takes jobs as consumer and runs handle on each until ctx is
	// done; then it returns nil, leaving an unfinished job pending so that
	// another worker reclaims it after the idle timeout. A job whose
	// handle fails is retried up to MaxAttempts times and then lands in
	// the dead-letter list. Work rides out backend outages; it returns an
	// error only when it cannot go on (a closed client).
	Work(ctx context.Context, consumer string, handle Handler) error
	// DeadLetters returns up to n failed jobs, most recent first.
	DeadLetters(ctx context.Context, n int) ([]DeadLetter, error)
}

// Handler runs one job and returns its report. A handler that returns an
// error wrapping ErrPermanent is not retried. The error's text is kept as
// the job's failure reason (Status, DeadLetters): it must not quote answer
// text, which is personal data.
type Handler func(ctx context.Context, job Job) (JobResult, error)

// ErrPermanent marks a handler error that retrying cannot fix (bad input).
var ErrPermanent = errors.New("permanent failure")

// Job is one job as a handler sees it.
type Job struct {
	ID      string
	Tenant  string
	Payload []byte
	// Attempt counts runs of this job, starting at 1.
	Attempt int
}

// JobResult is what a finished job produced: a report, or, when Kind is
// set, a result of that kind (see Results).
type JobResult struct {
	// Report is the report as JSON (analyzer.Report).
	Report []byte
	// Analyses are the AnalysisKey hashes the report used (see
	// Reports.Create).
	Analyses []string
	// Kind, Result and Info are a result's kind ("evaluation",
	// "audit"), JSON and list entry, stored as PutResult does.
	Kind   string
	Result []byte
	Info   ResultInfo
}

// JobState is where a job is in its life.
type JobState string

// Job states.
const (
	JobQueued  JobState = "queued"
	JobRunning JobState = "running"
	JobDone    JobState = "done"
	JobFailed  JobState = "failed"
)

// JobStatus is a job as GET /v1/jobs/{id} shows it.
type JobStatus struct {
	ID       string   `json:"id"`
	State    JobState `json:"state"`
	Attempts int      `json:"attempts"`
	// Done and Total are the progress the handler last reported.
	Done  int `json:"done"`
	Total int `json:"total"`
	// ReportID is set once the job is done, for a job that makes a
	// report; ResultKind and ResultID for one that makes a result.
	ReportID   string `json:"report_id,omitempty"`
	ResultKind string `json:"result_kind,omitempty"`
	ResultID   string `json:"result_id,omitempty"`
	// Error is the last failure's reason.
	Error     string    `json:"error,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// DeadLetter is a job that failed for good.
type DeadLetter struct {
	ID       string    `json:"id"`
	Tenant   string    `json:"tenant"`
	Reason   string    `json:"reason"`
	Attempts int       `json:"attempts"`
	FailedAt time.Time `json:"failed_at"`
}

// Store is everything the API needs from a backend; *Redis and *Memory
// implement it.
type Store interface {
	Cache
	Reports
	Results
	Jobs
	Sessions
	Secrets
	Guides
	Idempotency
	ResponseCache
	RateLimits
	// Shared reports whether other processes see this store's state
	// (Redis), or it dies with the process (the in-memory twin).
	Shared() bool
	// QueueDepth is the number of jobs queued or running.
	QueueDepth(ctx context.Context) (int64, error)
	// Ping reports whether the backend serves; it returns an error
	// wrapping ErrUnavailable when it does not (the API says degraded).
	Ping(ctx context.Context) error
}

// Options tune a store; the zero value gives the defaults.
type Options struct {
	// Prefix starts every key ("candor" when empty), so that several
	// deployments (or tests) can share one Redis.
	Prefix string
	// Retention is how long reports and job records are kept; 0 keeps
	// them until deleted.
	Retention time.Duration
	// JobIdle is how long a job may stay pending without a heartbeat
	// before another worker reclaims it (default 30s). Running jobs
	// heartbeat every JobIdle/3.
	JobIdle time.Duration
	// MaxAttempts bounds the runs of a failing job (default 3).
	MaxAttempts int
	// Poll is how long a worker blocks waiting for a job before it looks
	// for stale ones again (default 1s).
	Poll time.Duration
	// Now is the clock (time.Now when nil); tests of the memory twin
	// move it to expire entries.
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.Prefix == "" {
		o.Prefix = "candor"
	}
	if o.JobIdle <= 0 {
		o.JobIdle = 30 * time.Second
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 3
	}
	if o.Poll <= 0 {
		o.Poll = time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}
