package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/store"
)

// enqueue queues a as a job: 202 with the job and a Location to poll. It
// answers 503 when the queue (Redis) is down.
func (s *Server) enqueue(c *gin.Context, a *analysis) {
	a.GuideID = a.Guide.ID
	a.RequestID = c.GetString(ctxRequestID)
	s.queueJob(c, a, map[string]string{"X-Cache": "miss"})
}

// queueJob queues job (an analysis or a set job of the request's tenant):
// 202 with the job and a Location to poll, and headers, or 503 when the
// queue (Redis) is down.
func (s *Server) queueJob(c *gin.Context, job any, headers map[string]string) {
	payload, err := json.Marshal(job)
	if err != nil {
		s.fail(c, err)
		return
	}
	id, err := s.store.Enqueue(c.Request.Context(), tenant(c), payload)
	if err != nil {
		s.fail(c, err)
		return
	}
	if !s.shared {
		s.inMemoryQueue.Add(1)
	}
	s.metrics.jobs.WithLabelValues("queued").Inc()
	loc := "/v1/jobs/" + id
	c.Header("Location", loc)
	for k, v := range headers {
		c.Header(k, v)
	}
	writeJSON(c, http.StatusAccepted, JobAccepted{JobID: id, State: store.JobQueued, StatusURL: loc})
}

func (s *Server) getJob(c *gin.Context) {
	id := c.Param("id")
	st, err := s.store.Status(c.Request.Context(), tenant(c), id)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			err = &apiError{status: http.StatusNotFound, code: CodeNotFound, detail: fmt.Sprintf("no job %q", id), err: err}
		}
		s.fail(c, err)
		return
	}
	j := Job{JobStatus: st}
	if st.State == store.JobDone && st.ReportID != "" {
		j.ReportURL = "/v1/reports/" + st.ReportID
		c.Header("Content-Location", j.ReportURL)
	}
	if st.State == store.JobDone && st.ResultID != "" {
		j.ResultURL = resultPath(st.ResultKind, st.ResultID)
		c.Header("Content-Location", j.ResultURL)
	}
	if st.State == store.JobQueued || st.State == store.JobRunning {
		c.Header("Retry-After", "1")
	}
	writeJSON(c, http.StatusOK, j)
}

// Work runs n workers that take jobs from the store's queue until ctx is
// done. A job that is running when ctx ends still finishes and is stored
// (within Config.JobTimeout), so a graceful stop loses nothing: queued
// jobs stay in Redis for the next worker. With the in-memory store, which
// dies with the process, Work first drains the queue before it returns;
// stop the HTTP server before cancelling ctx. Work returns when every worker has stopped.
func (s *Server) Work(ctx context.Context, n int) error {
	if n < 1 {
		n = 1
	}
	host, _ := os.Hostname()
	wctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	defer stop()
	errs := make(chan error, n)
	for i := range n {
		consumer := host + "-" + strconv.Itoa(os.Getpid()) + "-" + strconv.Itoa(i)
		s.workers.Add(1)
		go func() {
			defer s.workers.Done()
			errs <- s.store.Work(wctx, consumer, s.handleJob)
		}()
	}
	select {
	case <-ctx.Done():
	case err := <-errs:
		// A worker that cannot go on (a closed client) stops them all.
		stop()
		s.workers.Wait()
		return err
	}
	if !s.shared {
		// The memory queue dies with the process: finish what is queued
		// (the HTTP server has stopped taking requests by now).
		s.waitQueue()
	}
	stop()
	s.workers.Wait()
	return nil
}

// waitQueue waits for the in-memory queue to empty, for at most as long as
// a job may run.
func (s *Server) waitQueue() {
	deadline := time.Now().Add(s.cfg.JobTimeout)
	for s.inMemoryQueue.Load() > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
}

// handleJob runs one analysis job.
func (s *Server) handleJob(ctx context.Context, job store.Job) (store.JobResult, error) {
	start := time.Now()
	var kind struct {
		Kind string `json:"kind"`
	}
	if json.Unmarshal(job.Payload, &kind) == nil && (kind.Kind == kindEvaluation || kind.Kind == kindAudit) {
		return s.handleSetJobLogged(ctx, job, start)
	}
	var a analysis
	if err := json.Unmarshal(job.Payload, &a); err != nil || a.Guide == nil {
		s.jobEnded(job, "failed")
		return store.JobResult{}, fmt.Errorf("%w: unreadable job payload", store.ErrPermanent)
	}
	a.hasTranscript = len(a.Answers) == 0
	log := s.log.With("job_id", job.ID, "tenant", job.Tenant, "request_id", a.RequestID, "attempt", job.Attempt)
	res, err := s.runJob(ctx, job, &a)
	final := errors.Is(err, store.ErrPermanent) || job.Attempt >= s.cfg.JobMaxAttempts
	switch {
	case err == nil:
		log.Info("job done", "report_id", res.id, "latency_ms", time.Since(start).Milliseconds())
		s.jobEnded(job, "done")
		if a.Webhook != "" {
			s.hooks.send(s.store, job, a.Webhook, store.JobDone, res.raw)
		}
		return store.JobResult{Report: res.raw, Analyses: res.keys}, nil
	case final:
		log.Warn("job failed", "error", loggable(err))
		s.jobEnded(job, "failed")
		if a.Webhook != "" {
			s.hooks.send(s.store, job, a.Webhook, store.JobFailed, nil)
		}
	default:
		log.Warn("job attempt failed; it will be retried", "error", loggable(err))
		s.metrics.jobs.WithLabelValues("retried").Inc()
	}
	return store.JobResult{}, err
}

// handleSetJobLogged runs an evaluation or audit job, with handleJob's
// log lines and metrics.
func (s *Server) handleSetJobLogged(ctx context.Context, job store.Job, start time.Time) (store.JobResult, error) {
	var j setJob
	if err := json.Unmarshal(job.Payload, &j); err != nil {
		s.jobEnded(job, "failed")
		return store.JobResult{}, fmt.Errorf("%w: unreadable job payload", store.ErrPermanent)
	}
	log := s.log.With("job_id", job.ID, "tenant", job.Tenant, "request_id", j.RequestID, "attempt", job.Attempt, "kind", j.Kind)
	res, err := s.handleSetJob(ctx, job, &j)
	switch {
	case err == nil:
		log.Info("job done", "result_id", res.Info.ID, "latency_ms", time.Since(start).Milliseconds())
		s.jobEnded(job, "done")
	case errors.Is(err, store.ErrPermanent) || job.Attempt >= s.cfg.JobMaxAttempts:
		log.Warn("job failed", "error", loggable(err))
		s.jobEnded(job, "failed")
	default:
		log.Warn("job attempt failed; it will be retried", "error", loggable(err))
		s.metrics.jobs.WithLabelValues("retried").Inc()
	}
	return res, err
}

// resultPath is the API path of a stored result.
func resultPath(kind, id string) string {
	if kind == kindAudit {
		return "/v1/audits/" + id
	}
	return "/v1/evaluations/" + id
}

// loggable describes err for the log. Input errors can quote the input
// (a speaker's name, a line of the transcript), so only their place is
// logged; the job's status, which only its tenant reads, keeps the whole
// message.
func loggable(err error) string {
	var ie *analyzer.InputError
	switch {
	case errors.As(err, &ie):
		return fmt.Sprintf("invalid input (field %q, line %d)", ie.Field, ie.Line)
	case errors.Is(err, analyzer.ErrInvalidGuide):
		return "invalid guide"
	case errors.Is(err, analyzer.ErrInvalidInput):
		return "invalid input"
	}
	return err.Error()
}

func (s *Server) jobEnded(job store.Job, state string) {
	s.metrics.jobs.WithLabelValues(state).Inc()
	if !s.shared {
		s.inMemoryQueue.Add(-1)
	}
}

type jobResult struct {
	id   string
	raw  []byte
	keys []string
}

// runJob analyzes a job's input. Input errors are permanent. The run is
// detached from ctx's cancellation (a stopping worker finishes its job)
// but bounded by JobTimeout.
func (s *Server) runJob(ctx context.Context, job store.Job, a *analysis) (jobResult, error) {
	eng, err := s.engine(a.Engine)
	if err != nil {
		return jobResult{}, fmt.Errorf("%w: %w", store.ErrPermanent, err)
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.JobTimeout)
	defer cancel()
	var last atomic.Int64
	progress := func(done, total int) {
		// At most a few writes a second; the last answer always.
		now := time.Now().UnixMilli()
		if done < total && now-last.Load() < 200 {
			return
		}
		last.Store(now)
		pctx, cancel := context.WithTimeout(rctx, time.Second)
		defer cancel()
		_ = s.store.Progress(pctx, job.Tenant, job.ID, done, total)
	}
	rep, keys, err := s.analyze(rctx, job.Tenant, eng, a, progress)
	if err != nil {
		if errors.Is(err, analyzer.ErrInvalidInput) || errors.Is(err, analyzer.ErrInvalidGuide) || errors.Is(err, analyzer.ErrUnknownQuestion) {
			return jobResult{}, fmt.Errorf("%w: %w", store.ErrPermanent, err)
		}
		return jobResult{}, err
	}
	if err := s.joinRole(rctx, job.Tenant, a, rep); err != nil {
		var ae *apiError
		if errors.As(err, &ae) {
			return jobResult{}, fmt.Errorf("%w: %s", store.ErrPermanent, ae.detail)
		}
		return jobResult{}, fmt.Errorf("join the role's slate: %w", err)
	}
	raw, err := json.Marshal(rep)
	if err != nil {
		return jobResult{}, fmt.Errorf("%w: encode report: %w", store.ErrPermanent, err)
	}
	return jobResult{id: rep.ID, raw: raw, keys: keys}, nil
}

// progressEngine reports each analyzed answer.
type progressEngine struct {
	next   analyzer.Engine
	total  int
	done   atomic.Int64
	report func(done, total int)
}

func (p *progressEngine) Info() analyzer.EngineInfo { return p.next.Info() }

func (p *progressEngine) Analyze(ctx context.Context, q analyzer.Question, answer string) (analyzer.AnswerAnalysis, error) {
	a, err := p.next.Analyze(ctx, q, answer)
	if err == nil || errors.Is(err, analyzer.ErrEmptyAnswer) {
		p.report(int(p.done.Add(1)), p.total)
	}
	return a, err
}
