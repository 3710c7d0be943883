package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/evaluation"
	"github.com/candorhq/candor/guide"
	"github.com/candorhq/candor/render"
	"github.com/candorhq/candor/store"
)

// Evaluations and audits: a labelled set sent whole (JSON, or a file in a
// multipart upload), run as a job, its result stored per tenant like a
// report (store.Results) and served as JSON, Markdown or a standalone
// HTML page.

// Result kinds, as the store and job statuses name them.
const (
	kindEvaluation = evaluation.KindEvaluation
	kindAudit      = evaluation.KindAudit
)

// CodeInvalidSet is the code of a labelled set that cannot be used: its
// field names the place in the set ("set.answers[3].label").
const CodeInvalidSet = "invalid_set"

// maxBootstrap bounds the resamples one request may ask for.
const maxBootstrap = 10000

// setJob is an evaluation or audit as a request gives it and as its job
// carries it (the guide resolved, like an analysis's).
type setJob struct {
	Kind      string          `json:"kind"`
	GuideID   string          `json:"guide_id,omitempty"`
	Guide     *analyzer.Guide `json:"guide,omitempty"`
	Set       *evaluation.Set `json:"set"`
	RequestID string          `json:"request_id,omitempty"`
	// Evaluations: engines, a second rater's labels of the same set,
	// bootstrap resamples (nil: the default; 0: none) and seed.
	Engines   []string        `json:"engines,omitempty"`
	Second    *evaluation.Set `json:"second_rater,omitempty"`
	Bootstrap *int            `json:"bootstrap,omitempty"`
	Seed      uint64          `json:"seed,omitempty"`
	// Audits: one engine, the smallest group compared, the group fields
	// (default all) and the swap test (auto, on, off).
	MinGroupSize int      `json:"min_group_size,omitempty"`
	Fields       []string `json:"fields,omitempty"`
	Swap         string   `json:"swap,omitempty"`
}

// EvaluationRequest is the JSON body of POST /v1/evaluations.
type EvaluationRequest struct {
	GuideID string          `json:"guide_id,omitempty"`
	Guide   json.RawMessage `json:"guide,omitempty"`
	// Set is the labelled set: {"name", "answers": [...], "transcripts":
	// [{"name", "text", "gold"}]} (evaluation/schema).
	Set json.RawMessage `json:"set"`
	// Engines to evaluate (default heuristic).
	Engines []string `json:"engines,omitempty"`
	// SecondRater is the same set labelled by another person.
	SecondRater json.RawMessage `json:"second_rater,omitempty"`
	// Bootstrap resamples for the 95% intervals (default 1000; 0: none).
	Bootstrap *int   `json:"bootstrap,omitempty"`
	Seed      uint64 `json:"seed,omitempty"`
}

// AuditRequest is the JSON body of POST /v1/audits.
type AuditRequest struct {
	GuideID string          `json:"guide_id,omitempty"`
	Guide   json.RawMessage `json:"guide,omitempty"`
	Set     json.RawMessage `json:"set"`
	// Engine to audit (default heuristic).
	Engine       string   `json:"engine,omitempty"`
	MinGroupSize int      `json:"min_group_size,omitempty"`
	Fields       []string `json:"fields,omitempty"`
	// Swap is auto (default: on for the embedded engine), on or off.
	Swap string `json:"swap,omitempty"`
}

// ResultList is GET /v1/evaluations and GET /v1/audits.
type ResultList struct {
	Results    []store.ResultInfo `json:"results"`
	NextCursor string             `json:"next_cursor,omitempty"`
}

func (s *Server) createEvaluation(c *gin.Context) { s.createSetJob(c, kindEvaluation) }
func (s *Server) createAudit(c *gin.Context)      { s.createSetJob(c, kindAudit) }

// createSetJob is POST /v1/evaluations and POST /v1/audits: the set is
// checked against the guide now (422 with the field at fault), then run
// as a job (202).
func (s *Server) createSetJob(c *gin.Context, kind string) {
	j, err := s.decodeSetJob(c, kind)
	if err == nil && j.Guide == nil {
		j.Guide, err = s.lookupGuide(c, j.GuideID)
	}
	if err == nil {
		err = s.checkSetJob(j)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	j.GuideID = j.Guide.ID
	j.RequestID = c.GetString(ctxRequestID)
	s.queueJob(c, j, nil)
}

// decodeSetJob reads the request: JSON, or multipart with the set as a
// file (answers.jsonl, answers.csv or a whole set as .json).
func (s *Server) decodeSetJob(c *gin.Context, kind string) (*setJob, error) {
	j := &setJob{Kind: kind}
	var inline json.RawMessage
	switch ct := c.ContentType(); ct {
	case "application/json":
		body, err := readBody(c)
		if err != nil {
			return nil, err
		}
		var set, second json.RawMessage
		if kind == kindEvaluation {
			var req EvaluationRequest
			if err := decodeStrict(body, &req); err != nil {
				return nil, err
			}
			j.GuideID, inline, set, second = req.GuideID, req.Guide, req.Set, req.SecondRater
			j.Engines, j.Bootstrap, j.Seed = req.Engines, req.Bootstrap, req.Seed
		} else {
			var req AuditRequest
			if err := decodeStrict(body, &req); err != nil {
				return nil, err
			}
			j.GuideID, inline, set = req.GuideID, req.Guide, req.Set
			j.Engines, j.MinGroupSize, j.Fields, j.Swap = []string{req.Engine}, req.MinGroupSize, req.Fields, req.Swap
		}
		if isNull(set) {
			return nil, fieldError("set", "set is required: {\"name\", \"answers\": [...], \"transcripts\": [...]}")
		}
		if j.Set, err = decodeSet("set", set); err != nil {
			return nil, err
		}
		if !isNull(second) {
			if j.Second, err = decodeSet("second_rater", second); err != nil {
				return nil, err
			}
		}
	case "multipart/form-data":
		if err := s.decodeSetMultipart(c, j); err != nil {
			return nil, err
		}
	default:
		return nil, errorf(http.StatusUnsupportedMediaType, CodeUnsupportedMedia,
			"send application/json (with the set inline) or multipart/form-data with a set file; not %q", ct)
	}
	if !isNull(inline) {
		g, err := guide.ParseFormat("guide", guide.FormatJSON, inline)
		if err != nil {
			return nil, inlineGuideError(err)
		}
		j.Guide = g
	}
	switch {
	case j.GuideID == "" && j.Guide == nil:
		return nil, fieldError("guide_id", "give guide_id (the guide the set was labelled against) or an inline guide")
	case j.GuideID != "" && j.Guide != nil:
		return nil, fieldError("guide", "give guide_id or an inline guide, not both")
	}
	return j, nil
}

func isNull(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || bytes.Equal(t, []byte("null"))
}

// decodeSet reads a set sent as JSON; errors point at field.
func decodeSet(field string, raw json.RawMessage) (*evaluation.Set, error) {
	set, err := evaluation.DecodeSet(raw)
	if err != nil {
		return nil, setError(field, err)
	}
	return set, nil
}

// setError points a set's error at its place in the request.
func setError(field string, err error) error {
	var ie *analyzer.InputError
	if errors.As(err, &ie) {
		f := field
		if ie.Field != "" && ie.File == "" {
			f += "." + ie.Field
		}
		return &apiError{status: http.StatusUnprocessableEntity, code: CodeInvalidSet, field: f, detail: ie.Error(), err: err}
	}
	return err
}

// parseSetFile reads a set uploaded as a file: answers in JSON Lines or
// CSV, or a whole set (answers and transcripts) as one JSON object.
func parseSetFile(field, name string, data []byte) (*evaluation.Set, error) {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	switch ext := strings.ToLower(filepath.Ext(base)); {
	case ext == ".json" || (ext != ".jsonl" && ext != ".csv" && looksLikeSet(data)):
		return decodeSet(field, data)
	default:
		var items []evaluation.Item
		var err error
		if ext == ".csv" {
			items, err = evaluation.ParseAnswersCSV(base, data)
		} else {
			items, err = evaluation.ParseAnswers(base, data)
		}
		if err != nil {
			return nil, setError(field, err)
		}
		name := strings.TrimSuffix(base, filepath.Ext(base))
		if name == "" || name == "answers" {
			name = "uploaded set"
		}
		set := &evaluation.Set{Name: name, Answers: items}
		if err := set.Validate(); err != nil {
			return nil, setError(field, err)
		}
		return set, nil
	}
}

// looksLikeSet tells a whole set ({"answers": [...]} over several lines)
// from JSON Lines.
func looksLikeSet(data []byte) bool {
	var probe map[string]json.RawMessage
	if json.Unmarshal(data, &probe) != nil {
		return false
	}
	_, a := probe["answers"]
	_, t := probe["transcripts"]
	return a || t
}

func (s *Server) decodeSetMultipart(c *gin.Context, j *setJob) error {
	form, err := parseMultipart(c)
	if err != nil {
		return err
	}
	defer func() { _ = form.RemoveAll() }()
	get := func(k string) string {
		if v := form.Value[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	list := func(k string) []string {
		var out []string
		for _, v := range form.Value[k] {
			for _, p := range strings.Split(v, ",") {
				if p = strings.TrimSpace(p); p != "" {
					out = append(out, p)
				}
			}
		}
		return out
	}
	j.GuideID = get("guide_id")
	if j.Kind == kindEvaluation {
		j.Engines = list("engines")
		if v := get("bootstrap"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return fieldError("bootstrap", "bootstrap must be a whole number, not %q", v)
			}
			j.Bootstrap = &n
		}
		if v := get("seed"); v != "" {
			n, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				return fieldError("seed", "seed must be a whole number, not %q", v)
			}
			j.Seed = n
		}
	} else {
		j.Engines = []string{get("engine")}
		j.Fields, j.Swap = list("fields"), get("swap")
		if v := get("min_group_size"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return fieldError("min_group_size", "min_group_size must be a whole number, not %q", v)
			}
			j.MinGroupSize = n
		}
	}
	files := map[string]**evaluation.Set{"set": &j.Set, "second_rater": &j.Second}
	for _, field := range []string{"set", "second_rater"} {
		fh := form.File[field]
		if len(fh) == 0 || (field == "second_rater" && j.Kind != kindEvaluation) {
			continue
		}
		data, err := readPart(fh[0], s.cfg.MaxBodyBytes, field)
		if err != nil {
			return err
		}
		if *files[field], err = parseSetFile(field, fh[0].Filename, data); err != nil {
			return err
		}
	}
	if j.Set == nil {
		return fieldError("set", "give the labelled set as a file: answers.jsonl, answers.csv, or a whole set as .json")
	}
	if n := get("name"); n != "" {
		if len(n) > 200 {
			return fieldError("name", "name is at most 200 characters")
		}
		j.Set.Name = n
	}
	j.Guide, err = formGuide(form)
	return err
}

// checkSetJob checks the options and the set against the guide, before
// anything is queued.
func (s *Server) checkSetJob(j *setJob) error {
	if len(j.Engines) == 0 {
		j.Engines = []string{analyzer.EngineHeuristic}
	}
	seen := map[string]bool{}
	var engines []string
	for _, name := range j.Engines {
		if c, ok := analyzer.CanonicalEngine(name); ok {
			name = c
		}
		if seen[name] {
			continue
		}
		seen[name] = true
		if _, err := s.engine(name); err != nil {
			return err
		}
		engines = append(engines, name)
	}
	j.Engines = engines
	counts := j.Set.Counts()
	if j.Kind == kindEvaluation {
		if j.Bootstrap != nil && (*j.Bootstrap < 0 || *j.Bootstrap > maxBootstrap) {
			return fieldError("bootstrap", "bootstrap must be 0 (no intervals) to %d", maxBootstrap)
		}
		if counts.Labels+counts.AreaLabels+counts.Segments == 0 && !hasSpecificity(j.Set) {
			return &apiError{status: http.StatusUnprocessableEntity, code: CodeInvalidSet, field: "set",
				detail: "the set has no labels to compare with (label, areas, specificity or gold segments); an audit needs none"}
		}
	} else {
		switch j.Swap {
		case "":
			j.Swap = "auto"
		case "auto", "on", "off":
		default:
			return fieldError("swap", "swap must be auto, on or off, not %q", j.Swap)
		}
		switch {
		case j.MinGroupSize < 0:
			return fieldError("min_group_size", "min_group_size must be at least 1")
		case j.MinGroupSize == 0:
			j.MinGroupSize = evaluation.DefaultMinGroupSize
		}
		for i, f := range j.Fields {
			if !slices.Contains(counts.GroupsFields, f) {
				return fieldError(fmt.Sprintf("fields[%d]", i), "the set has no group field %q (it has: %s)", f, strings.Join(counts.GroupsFields, ", "))
			}
		}
		if len(counts.GroupsFields) == 0 && (j.Swap == "off" || j.Swap == "auto" && j.Engines[0] != analyzer.EngineHeuristic) {
			return &apiError{status: http.StatusUnprocessableEntity, code: CodeInvalidSet, field: "set",
				detail: "the set has no group fields (group: {gender: ...}) and the swap test is off: nothing to audit"}
		}
	}
	if err := checkSet(j.Guide, "set", j.Set); err != nil {
		return err
	}
	if j.Second != nil {
		return checkSet(j.Guide, "second_rater", j.Second)
	}
	return nil
}

func hasSpecificity(set *evaluation.Set) bool {
	for _, it := range set.Answers {
		if it.Specificity != nil {
			return true
		}
	}
	return false
}

// checkSet runs evaluation.Check and points its error at the set's field:
// "set.answers[3].question_id", "set.transcripts[1].gold.segments[0].areas.4".
func checkSet(g *analyzer.Guide, field string, set *evaluation.Set) error {
	err := evaluation.Check(g, set)
	var ie *analyzer.InputError
	if err == nil || !errors.As(err, &ie) {
		return err
	}
	place := field
	switch {
	case strings.HasPrefix(ie.File, "answers["):
		place += "." + ie.File
	case strings.HasSuffix(ie.File, evaluation.GoldSuffix):
		name := strings.TrimSuffix(ie.File, evaluation.GoldSuffix)
		for i, t := range set.Transcripts {
			if t.Name == name {
				place += fmt.Sprintf(".transcripts[%d].gold", i)
			}
		}
	default:
		for i, t := range set.Transcripts {
			if t.Name == ie.File {
				place += fmt.Sprintf(".transcripts[%d].text", i)
				ie.Field = ""
			}
		}
	}
	if ie.Field != "" && place != field {
		place += "." + ie.Field
	}
	return &apiError{status: http.StatusUnprocessableEntity, code: CodeInvalidSet, field: place, detail: ie.Error(), err: err}
}

// setEngine returns the engine a set job of tenant runs against guide g:
// the embedded engine as it is (faster than the cache, and a set of
// thousands of answers would fill it), model engines through the analysis
// cache, so a rerun of the same set costs nothing.
func (s *Server) setEngine(name, tenant string, g *analyzer.Guide) (analyzer.Engine, error) {
	if name == analyzer.EngineHeuristic {
		return s.plain[analyzer.EngineHeuristic], nil
	}
	eng, err := s.engine(name)
	if err != nil {
		return nil, err
	}
	return eng.For(tenant, g.Version), nil
}

// handleSetJob runs an evaluation or audit job and returns its result.
// The result's id follows from the job's, so a retried job keeps it.
func (s *Server) handleSetJob(ctx context.Context, job store.Job, j *setJob) (store.JobResult, error) {
	if j.Set == nil || j.Guide == nil || len(j.Engines) == 0 {
		return store.JobResult{}, fmt.Errorf("%w: unreadable job payload", store.ErrPermanent)
	}
	// Sources ("answers[3]") are not part of the payload: named again.
	if err := j.Set.Validate(); err != nil {
		return store.JobResult{}, fmt.Errorf("%w: %w", store.ErrPermanent, err)
	}
	if j.Second != nil {
		if err := j.Second.Validate(); err != nil {
			return store.JobResult{}, fmt.Errorf("%w: %w", store.ErrPermanent, err)
		}
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.JobTimeout)
	defer cancel()
	engines := make([]analyzer.Engine, len(j.Engines))
	for i, name := range j.Engines {
		eng, err := s.setEngine(name, job.Tenant, j.Guide)
		if err != nil {
			return store.JobResult{}, fmt.Errorf("%w: %w", store.ErrPermanent, err)
		}
		engines[i] = eng
	}
	var (
		mu   sync.Mutex
		last time.Time
	)
	progress := func(done, total int) {
		// At most a few writes a second; the last always.
		mu.Lock()
		defer mu.Unlock()
		if now := time.Now(); done < total && now.Sub(last) < 200*time.Millisecond {
			return
		}
		last = time.Now()
		pctx, cancel := context.WithTimeout(rctx, time.Second)
		defer cancel()
		_ = s.store.Progress(pctx, job.Tenant, job.ID, done, total)
	}
	suffix := strings.TrimPrefix(job.ID, "job_")
	now := time.Now().UTC().Truncate(time.Millisecond)
	info := store.ResultInfo{Kind: j.Kind, Set: j.Set.Name, Guide: analyzer.GuideRef{ID: j.Guide.ID, Title: j.Guide.Title, Version: j.Guide.Version},
		CreatedAt: now}
	counts := j.Set.Counts()
	info.Answers = counts.Answers + counts.Segments
	var doc any
	if j.Kind == kindEvaluation {
		opts := evaluation.Options{Concurrency: s.cfg.Concurrency, Seed: j.Seed, Progress: progress}
		if j.Bootstrap != nil {
			opts.Bootstrap = *j.Bootstrap
			if opts.Bootstrap == 0 {
				opts.Bootstrap = -1
			}
		}
		ev, err := evaluation.EvaluateAll(rctx, engines, j.Guide, j.Set, opts)
		if err != nil {
			return store.JobResult{}, setJobErr(err)
		}
		if j.Second != nil {
			ag := evaluation.RaterAgreement(j.Set, j.Second)
			ev.Raters = &ag
		}
		ev.ID, ev.CreatedAt = "ev_"+suffix, &now
		info.ID = ev.ID
		var heads []string
		for _, r := range ev.Results {
			name := engineLabel(r.Engine)
			info.Engines = append(info.Engines, name)
			heads = append(heads, fmt.Sprintf("%s: coverage QWK %s, label accuracy %s", name, figure(r.All.CoverageQWK), figure(r.All.LabelAccuracy)))
		}
		info.Headline = strings.Join(heads, "; ")
		doc = ev
	} else {
		eng := engines[0]
		opts := evaluation.AuditOptions{MinGroupSize: j.MinGroupSize, Fields: j.Fields, Concurrency: s.cfg.Concurrency, Progress: progress}
		rep, err := evaluation.RunAudit(rctx, eng, j.Guide, j.Set, opts)
		if err == nil && (j.Swap == "on" || j.Swap == "auto" && j.Engines[0] == analyzer.EngineHeuristic) {
			rep.Swap, err = evaluation.Swap(rctx, eng, j.Guide, j.Set, evaluation.SwapOptions{Lists: evaluation.DefaultSwapLists(),
				Concurrency: s.cfg.Concurrency, Progress: progress})
		}
		if err != nil {
			return store.JobResult{}, setJobErr(err)
		}
		rep.ID, rep.CreatedAt = "au_"+suffix, &now
		info.ID = rep.ID
		info.Engines = []string{engineLabel(rep.Engine)}
		switch n := len(rep.Flagged); {
		case len(rep.Tables) == 0:
			info.Headline = "no group fields"
		case n == 0:
			info.Headline = "no group under four-fifths"
		default:
			info.Headline = fmt.Sprintf("%d flagged under four-fifths", n)
		}
		if rep.Swap != nil {
			info.Headline += fmt.Sprintf("; swap test: %d label flips, largest specificity shift %d", rep.Swap.Flips, rep.Swap.MaxShift)
		}
		doc = rep
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return store.JobResult{}, fmt.Errorf("%w: encode %s: %w", store.ErrPermanent, j.Kind, err)
	}
	return store.JobResult{Kind: j.Kind, Result: raw, Info: info}, nil
}

func figure(f evaluation.Figure) string {
	if !f.Defined() {
		return "—"
	}
	return strconv.FormatFloat(f.Value, 'f', 3, 64)
}

func engineLabel(e analyzer.EngineInfo) string {
	if e.Model == "" || e.Name == analyzer.EngineHeuristic {
		return e.Name
	}
	return e.Name + " (" + e.Model + ")"
}

// setJobErr marks input errors permanent; others (a model's outage) are
// retried.
func setJobErr(err error) error {
	if errors.Is(err, analyzer.ErrInvalidInput) || errors.Is(err, analyzer.ErrInvalidGuide) || errors.Is(err, analyzer.ErrUnknownQuestion) {
		return fmt.Errorf("%w: %w", store.ErrPermanent, err)
	}
	return err
}

// --- reading results

// resultFormat picks an evaluation's or audit's representation.
func resultFormat(c *gin.Context) (string, error) {
	return negotiate(c, "an evaluation or audit", resultRepresentations)
}

func resultErr(kind, id string, err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return &apiError{status: http.StatusNotFound, code: CodeNotFound, detail: fmt.Sprintf("no %s %q", kind, id), err: err}
	}
	return err
}

func (s *Server) getEvaluation(c *gin.Context) { s.getResult(c, kindEvaluation) }
func (s *Server) getAudit(c *gin.Context)      { s.getResult(c, kindAudit) }

func (s *Server) getResult(c *gin.Context, kind string) {
	id := c.Param("id")
	format, err := resultFormat(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	raw, err := s.store.GetResult(c.Request.Context(), tenant(c), kind, id)
	if err != nil {
		s.fail(c, resultErr(kind, id, err))
		return
	}
	if format == formatJSON {
		c.Header("Content-Type", "application/json; charset=utf-8")
		c.Header("Content-Length", strconv.Itoa(len(raw)))
		c.Status(http.StatusOK)
		_, _ = c.Writer.Write(raw)
		return
	}
	var buf bytes.Buffer
	if kind == kindEvaluation {
		var ev evaluation.Evaluation
		if err = json.Unmarshal(raw, &ev); err == nil {
			if format == formatHTML {
				err = render.EvaluationHTML(&buf, &ev)
			} else {
				err = render.EvaluationMarkdown(&buf, &ev)
			}
		}
	} else {
		var a evaluation.AuditReport
		if err = json.Unmarshal(raw, &a); err == nil {
			if format == formatHTML {
				err = render.AuditHTML(&buf, &a)
			} else {
				err = render.AuditMarkdown(&buf, &a)
			}
		}
	}
	if err != nil {
		s.fail(c, fmt.Errorf("render stored %s: %w", kind, err))
		return
	}
	ct := "text/markdown; charset=utf-8"
	if format == formatHTML {
		ct = "text/html; charset=utf-8"
		// The page's own meta policy, sent as a header too.
		c.Header("Content-Security-Policy", "default-src 'none'; style-src '"+render.StyleHash()+"'; img-src data:")
	}
	c.Data(http.StatusOK, ct, buf.Bytes())
}

func (s *Server) listEvaluations(c *gin.Context) { s.listResults(c, kindEvaluation) }
func (s *Server) listAudits(c *gin.Context)      { s.listResults(c, kindAudit) }

// listResults is GET /v1/evaluations and GET /v1/audits: newest first,
// ?limit= and ?cursor=.
func (s *Server) listResults(c *gin.Context, kind string) {
	limit := 0
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 500 {
			s.fail(c, fieldError("limit", "limit must be 1..500, not %q", l))
			return
		}
		limit = n
	}
	page, err := s.store.ListResults(c.Request.Context(), tenant(c), kind, limit, c.Query("cursor"))
	if err != nil {
		if errors.Is(err, store.ErrInvalid) {
			err = fieldError("cursor", "the cursor is not one this API gave out")
		}
		s.fail(c, err)
		return
	}
	out := ResultList{Results: page.Results, NextCursor: page.Next}
	if out.Results == nil {
		out.Results = []store.ResultInfo{}
	}
	writeJSON(c, http.StatusOK, out)
}

func (s *Server) deleteEvaluation(c *gin.Context) { s.deleteResult(c, kindEvaluation) }
func (s *Server) deleteAudit(c *gin.Context)      { s.deleteResult(c, kindAudit) }

func (s *Server) deleteResult(c *gin.Context, kind string) {
	id := c.Param("id")
	if err := s.store.DeleteResult(c.Request.Context(), tenant(c), kind, id); err != nil {
		s.fail(c, resultErr(kind, id, err))
		return
	}
	c.Status(http.StatusNoContent)
}
