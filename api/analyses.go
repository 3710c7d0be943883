package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/segment"
	"github.com/candorhq/candor/guide"
	"github.com/candorhq/candor/interview"
	"github.com/candorhq/candor/store"
	"github.com/candorhq/candor/transcript"
)

// analysis is one analysis to run, as a request gives it and as a job
// carries it (the job's payload is its JSON, with the guide resolved so a
// later edit of the guide does not change a queued job).
type analysis struct {
	GuideID      string                 `json:"guide_id,omitempty"`
	Guide        *analyzer.Guide        `json:"guide,omitempty"`
	Engine       string                 `json:"engine,omitempty"`
	Answers      []analyzer.GivenAnswer `json:"answers,omitempty"`
	Transcript   string                 `json:"transcript,omitempty"`
	Name         string                 `json:"name,omitempty"`
	Candidate    string                 `json:"candidate,omitempty"`
	Interviewers []string               `json:"interviewers,omitempty"`
	Assign       map[int]string         `json:"assign,omitempty"`
	Webhook      string                 `json:"webhook_url,omitempty"`
	RequestID    string                 `json:"request_id,omitempty"`
	// Report fields, and what the transcript was read from when it came
	// as a document (its text is what Transcript holds).
	CandidateName    string   `json:"candidate_name,omitempty"`
	Role             string   `json:"role,omitempty"`
	InterviewDate    string   `json:"interview_date,omitempty"`
	InterviewerNames []string `json:"interviewer_names,omitempty"`
	Document         string   `json:"document,omitempty"`
	SHA256           string   `json:"sha256,omitempty"`
	// InlineGuide: the guide came with the request, not by id (a role
	// then joins no slate).
	InlineGuide bool `json:"inline_guide,omitempty"`

	async         bool
	hasTranscript bool
}

// transcriptTypes are the Content-Types of a raw transcript body.
var transcriptTypes = map[string]bool{
	"text/plain": true, "text/vtt": true, "text/srt": true, "text/x-srt": true, "application/x-subrip": true,
	"application/srt": true, "text/markdown": true, "application/octet-stream": true,
	"application/pdf": true, "application/vnd.openxmlformats-officedocument.wordprocessingml.document": true,
}

// decodeAnalysis reads POST /v1/analyses in any of its shapes: a JSON
// body, a multipart upload (a "transcript" file and form fields), or a raw
// transcript with its content type (options in the query).
// body is the request body already read (nil for multipart).
func (s *Server) decodeAnalysis(c *gin.Context, body []byte) (*analysis, error) {
	a := &analysis{Name: "transcript"}
	var inline json.RawMessage
	switch ct := c.ContentType(); {
	case ct == "application/json":
		var req AnalysisRequest
		if err := decodeStrict(body, &req); err != nil {
			return nil, err
		}
		a.GuideID, a.Engine, a.Answers, a.Candidate = req.GuideID, req.Engine, req.Answers, req.Candidate
		a.Interviewers, a.Webhook, a.async = req.Interviewers, req.WebhookURL, req.Async
		a.CandidateName, a.Role, a.InterviewDate, a.InterviewerNames = req.CandidateName, req.Role, req.InterviewDate, req.InterviewerNames
		if req.FileName != "" {
			a.Name = req.FileName
		}
		inline = req.Guide
		if len(req.Assign) > 0 {
			items := make([]string, 0, len(req.Assign))
			for _, k := range slices.Sorted(maps.Keys(req.Assign)) {
				items = append(items, k+"="+req.Assign[k])
			}
			m, err := parseAssign(items)
			if err != nil {
				return nil, err
			}
			a.Assign = m
		}
		if len(req.Answers) == 0 && req.Answers != nil {
			return nil, fieldError("answers", "answers is empty; give at least one answer")
		}
		if t := bytes.TrimSpace(req.Transcript); len(t) > 0 && !bytes.Equal(t, []byte("null")) {
			a.hasTranscript = true
			if t[0] == '"' {
				if err := json.Unmarshal(t, &a.Transcript); err != nil {
					return nil, fieldError("transcript", "transcript is not a JSON string: %v", err)
				}
			} else {
				// The answers or turns JSON, inline.
				a.Transcript = string(t)
			}
		}
	case ct == "multipart/form-data":
		if err := s.decodeMultipart(c, a); err != nil {
			return nil, err
		}
	case transcriptTypes[ct]:
		if err := a.setTranscript(body); err != nil {
			return nil, err
		}
	default:
		return nil, errorf(http.StatusUnsupportedMediaType, CodeUnsupportedMedia,
			"send application/json, multipart/form-data with a transcript file, or a transcript as text/plain, text/vtt or application/x-subrip; not %q", ct)
	}
	if err := queryOptions(c.Request.URL.Query(), a); err != nil {
		return nil, err
	}
	if len(inline) > 0 && !bytes.Equal(bytes.TrimSpace(inline), []byte("null")) {
		g, err := guide.ParseFormat("guide", guide.FormatJSON, inline)
		if err != nil {
			return nil, inlineGuideError(err)
		}
		a.Guide = g
	}
	a.InlineGuide = a.Guide != nil
	return a, s.validate(tenant(c), a)
}

// queryOptions applies the query's options; they fill what the body left
// out (a raw transcript body has only the query).
func queryOptions(q url.Values, a *analysis) error {
	if v := q.Get("async"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fieldError("async", "async must be true or false, not %q", v)
		}
		a.async = a.async || b
	}
	set := func(dst *string, key string) {
		if *dst == "" {
			*dst = q.Get(key)
		}
	}
	set(&a.GuideID, "guide_id")
	set(&a.Engine, "engine")
	set(&a.Candidate, "candidate")
	set(&a.Webhook, "webhook_url")
	set(&a.CandidateName, "candidate_name")
	set(&a.Role, "role")
	set(&a.InterviewDate, "interview_date")
	if v := q.Get("file_name"); v != "" {
		a.Name = v
	}
	if len(a.Interviewers) == 0 {
		for _, v := range q["interviewer"] {
			a.Interviewers = append(a.Interviewers, strings.Split(v, ",")...)
		}
	}
	if len(a.InterviewerNames) == 0 {
		for _, v := range q["interviewer_name"] {
			a.InterviewerNames = append(a.InterviewerNames, strings.Split(v, ",")...)
		}
	}
	if len(a.Assign) == 0 && len(q["assign"]) > 0 {
		var err error
		if a.Assign, err = parseAssign(splitAll(q["assign"])); err != nil {
			return err
		}
	}
	return nil
}

// splitAll splits every comma-separated value.
func splitAll(vs []string) []string {
	var out []string
	for _, v := range vs {
		out = append(out, strings.Split(v, ",")...)
	}
	return out
}

// parseAssign reads assignments ("6=q7", "12=-"), a 400 naming the field
// when one is not of that form.
func parseAssign(items []string) (map[int]string, error) {
	m, err := segment.ParseAssign(items)
	if err != nil {
		return nil, fieldError("assign", "%v", err)
	}
	return m, nil
}

// setTranscript takes a transcript as received: a Word or PDF document is
// read to its text here, so that a job carries text and the report still
// names the document it came from and the digest of its bytes.
func (a *analysis) setTranscript(data []byte) error {
	a.hasTranscript = true
	var text []byte
	var kind string
	var err error
	switch {
	case transcript.DocumentKind(data) != "":
		text, kind, err = transcript.DocumentText(a.Name, data)
	case bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data):
		// Binary or not UTF-8: the parser's reason says what to send.
		_, err = transcript.Parse(a.Name, data)
		if err == nil {
			err = &analyzer.InputError{Reason: "the transcript is not valid UTF-8 text"}
		}
	default:
		a.Transcript = string(data)
		return nil
	}
	if err != nil {
		return &apiError{status: http.StatusUnprocessableEntity, code: CodeInvalidInput, field: "transcript", detail: err.Error(), err: err}
	}
	sum := sha256.Sum256(data)
	a.Transcript, a.Document, a.SHA256 = string(text), kind, hex.EncodeToString(sum[:])
	return nil
}

// parseMultipart reads a multipart body (its parts over 1 MiB to
// temporary files: the caller calls RemoveAll); 400 when it is malformed,
// 413 when it is over the body limit.
func parseMultipart(c *gin.Context) (*multipart.Form, error) {
	if err := c.Request.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, err
		}
		return nil, errorf(http.StatusBadRequest, CodeMalformedBody, "malformed multipart body: %v", err)
	}
	return c.Request.MultipartForm, nil
}

func (s *Server) decodeMultipart(c *gin.Context, a *analysis) error {
	form, err := parseMultipart(c)
	if err != nil {
		return err
	}
	defer func() { _ = form.RemoveAll() }()
	get := func(k string) string {
		if v := form.Value[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	a.GuideID, a.Engine, a.Candidate, a.Webhook = get("guide_id"), get("engine"), get("candidate"), get("webhook_url")
	a.CandidateName, a.Role, a.InterviewDate = get("candidate_name"), get("role"), get("interview_date")
	for _, v := range form.Value["interviewer"] {
		a.Interviewers = append(a.Interviewers, strings.Split(v, ",")...)
	}
	for _, v := range form.Value["interviewer_names"] {
		a.InterviewerNames = append(a.InterviewerNames, strings.Split(v, ",")...)
	}
	if vs := form.Value["assign"]; len(vs) > 0 {
		if a.Assign, err = parseAssign(splitAll(vs)); err != nil {
			return err
		}
	}
	if n := get("file_name"); n != "" {
		a.Name = n
	}
	if v := get("async"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fieldError("async", "async must be true or false, not %q", v)
		}
		a.async = b
	}
	fh := form.File["transcript"]
	if len(fh) == 0 {
		fh = form.File["file"]
	}
	if len(fh) == 0 {
		if t := get("transcript"); t != "" {
			a.Transcript, a.hasTranscript = t, true
		}
	} else {
		data, err := readPart(fh[0], transcript.MaxSize, "transcript")
		if err != nil {
			return err
		}
		if get("file_name") == "" && fh[0].Filename != "" {
			a.Name = fh[0].Filename
		}
		if err := a.setTranscript(data); err != nil {
			return err
		}
	}
	a.Guide, err = formGuide(form)
	return err
}

// formGuide is the guide of a multipart body's guide part; nil without one.
func formGuide(form *multipart.Form) (*analyzer.Guide, error) {
	gh := form.File["guide"]
	if len(gh) == 0 {
		return nil, nil
	}
	data, err := readPart(gh[0], guide.MaxSize, "guide")
	if err != nil {
		return nil, err
	}
	g, err := guide.Parse(gh[0].Filename, data)
	if err != nil {
		return nil, inlineGuideError(err)
	}
	return g, nil
}

func readPart(fh *multipart.FileHeader, limit int64, field string) ([]byte, error) {
	if fh.Size > limit {
		return nil, &apiError{status: http.StatusRequestEntityTooLarge, code: CodeBodyTooLarge, field: field,
			detail: fmt.Sprintf("the %s file is %d bytes, over the limit of %d bytes", field, fh.Size, limit)}
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit+1))
}

// inlineGuideError points a guide's error at the request's guide field.
func inlineGuideError(err error) error {
	field := "guide"
	var ie *analyzer.InputError
	if errors.As(err, &ie) && ie.Field != "" {
		field = "guide." + ie.Field
	}
	return &apiError{status: http.StatusUnprocessableEntity, code: CodeInvalidGuide, field: field, detail: err.Error(), err: err}
}

// decodeStrict decodes JSON, refusing unknown fields, and says where a
// body is malformed.
func decodeStrict(body []byte, v any) error {
	if !utf8.Valid(body) {
		// encoding/json would put U+FFFD in place of the bad bytes and
		// go on; the same bytes as a raw transcript are refused, and so
		// are they here, naming the field.
		return utf8Error(body)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("data after the JSON value")
	}
	if err == nil {
		return nil
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return errorf(http.StatusBadRequest, CodeMalformedBody, "malformed JSON at byte %d: %v", se.Offset, err)
	case errors.As(err, &te):
		return fieldError(te.Field, "%s must be %s, not %s", te.Field, jsonKind(te.Type.Kind().String()), te.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return fieldError(name, "unknown field %q", name)
	case errors.Is(err, io.EOF):
		return errorf(http.StatusBadRequest, CodeMalformedBody, "the request body is empty")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errorf(http.StatusBadRequest, CodeMalformedBody, "the JSON body ends too early")
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err
	}
	return errorf(http.StatusBadRequest, CodeMalformedBody, "malformed JSON body: %v", err)
}

func jsonKind(k string) string {
	switch k {
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	case "int", "int64", "float64":
		return "a number"
	case "bool":
		return "a boolean"
	}
	return "a " + k
}

// validate checks the request's shape and limits.
func (s *Server) validate(tenant string, a *analysis) error {
	switch {
	case a.GuideID == "" && a.Guide == nil:
		return fieldError("guide_id", "give guide_id (a built-in id such as cx-empathy, or one of your guides) or an inline guide")
	case a.GuideID != "" && a.Guide != nil:
		return fieldError("guide", "give guide_id or an inline guide, not both")
	case len(a.Answers) == 0 && !a.hasTranscript:
		return fieldError("answers", "give answers or a transcript")
	case len(a.Answers) > 0 && a.hasTranscript:
		return fieldError("transcript", "give answers or a transcript, not both")
	case len(a.Answers) > 0 && len(a.Assign) > 0:
		return fieldError("assign", "assign names turns of a transcript; answers name their questions already")
	case len(a.Answers) > s.cfg.MaxAnswers:
		return fieldError("answers", "%d answers is over the limit of %d answers per request", len(a.Answers), s.cfg.MaxAnswers)
	case len(a.Transcript) > transcript.MaxSize:
		return &apiError{status: http.StatusRequestEntityTooLarge, code: CodeBodyTooLarge, field: "transcript",
			detail: fmt.Sprintf("the transcript is %d bytes, over the limit of %d bytes", len(a.Transcript), transcript.MaxSize)}
	case a.hasTranscript && !utf8.ValidString(a.Transcript):
		return fieldError("transcript", "the transcript is not valid UTF-8 text; send a text transcript (saved as UTF-8), "+
			"a Word .docx or a PDF")
	case a.InterviewDate != "" && !isDay(a.InterviewDate):
		return fieldError("interview_date", "interview_date must be a day as YYYY-MM-DD, not %q", a.InterviewDate)
	case len(a.CandidateName) > 200 || len(a.Role) > 200:
		return fieldError("candidate_name", "candidate_name and role are at most 200 characters")
	}
	for i, ans := range a.Answers {
		if strings.TrimSpace(ans.QuestionID) == "" {
			return fieldError(fmt.Sprintf("answers[%d].question_id", i), "question_id is required")
		}
		if n := utf8.RuneCountInString(ans.Text); n > s.cfg.MaxAnswerChars {
			return fieldError(fmt.Sprintf("answers[%d].text", i), "the answer is %d characters, over the limit of %d characters", n, s.cfg.MaxAnswerChars)
		}
		if !utf8.ValidString(ans.Text) {
			return fieldError(fmt.Sprintf("answers[%d].text", i), "the answer is not valid UTF-8")
		}
	}
	if a.Webhook != "" {
		if len(s.cfg.WebhookSecrets.For(tenant)) == 0 {
			return fieldError("webhook_url", "webhooks are not enabled for this account (no signing secret is configured for it)")
		}
		u, err := url.Parse(a.Webhook)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(a.Webhook) > 2048 {
			return fieldError("webhook_url", "webhook_url must be an absolute http or https URL")
		}
		if ip, err := netip.ParseAddr(u.Hostname()); err == nil && !s.cfg.WebhookAllowPrivate && !PublicAddr(ip) {
			return fieldError("webhook_url", "webhook_url points at a non-public address (loopback, private, shared, reserved or special-purpose); webhooks go to public addresses only")
		}
		a.async = true
	}
	if len(a.Transcript) > s.cfg.AsyncThreshold {
		a.async = true
	}
	return nil
}

// utf8Error names the JSON field whose string holds bytes that are not
// UTF-8 (RFC 8259 requires UTF-8), with its byte offset.
func utf8Error(body []byte) error {
	field, off := invalidUTF8Field(body)
	if field == "" {
		return &apiError{status: http.StatusUnprocessableEntity, code: CodeInvalidInput,
			detail: fmt.Sprintf("the JSON body is not valid UTF-8 (at byte %d); send UTF-8 text", off)}
	}
	return &apiError{status: http.StatusUnprocessableEntity, code: CodeInvalidInput, field: field,
		detail: fmt.Sprintf("%s is not valid UTF-8 text (at byte %d of the body); send UTF-8 text", field, off)}
}

// invalidUTF8Field walks body's tokens and returns the path of the first
// one holding bytes that are not UTF-8 ("answers[1].text"), and where the
// bad bytes start. The path is "" when body is not JSON to walk.
func invalidUTF8Field(body []byte) (string, int) {
	type frame struct {
		array     bool
		index     int
		key       string
		expectKey bool
	}
	var stack []*frame
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			if f.array {
				fmt.Fprintf(&b, "[%d]", f.index)
				continue
			}
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(f.key)
		}
		return b.String()
	}
	firstBad := func(b []byte) int {
		for i := 0; i < len(b); {
			r, n := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && n <= 1 {
				return i
			}
			i += n
		}
		return -1
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	prev := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", max(firstBad(body), 0)
		}
		off := int(dec.InputOffset())
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if i := firstBad(body[prev:off]); i >= 0 {
			if top != nil && !top.array && top.expectKey {
				top.key = "(a field name)"
			}
			return path(), prev + i
		}
		prev = off
		if s, ok := tok.(string); ok && top != nil && !top.array && top.expectKey {
			top.key, top.expectKey = s, false
			continue
		}
		done := true
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{expectKey: true})
			done = false
		case json.Delim('['):
			stack = append(stack, &frame{array: true})
			done = false
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		if done && len(stack) > 0 {
			if t := stack[len(stack)-1]; t.array {
				t.index++
			} else {
				t.expectKey = true
			}
		}
	}
}

func isDay(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// createAnalysis is POST /v1/analyses: a report now (200), or a job (202)
// for ?async=true, a webhook or a large transcript.
func (s *Server) createAnalysis(c *gin.Context) {
	ctx, t := c.Request.Context(), tenant(c)
	var body []byte
	var rkey string
	if ct := c.ContentType(); ct == "application/json" || transcriptTypes[ct] {
		var err error
		if body, err = readBody(c); err != nil {
			s.fail(c, err)
			return
		}
		if s.resp != nil {
			rkey = s.requestKey(t, ct, c.Request.URL.RawQuery, body)
			if s.serveCached(c, rkey) {
				return
			}
		}
	}
	a, err := s.decodeAnalysis(c, body)
	if err != nil {
		s.fail(c, err)
		return
	}
	if a.Guide == nil {
		if a.Guide, err = s.lookupGuide(c, a.GuideID); err != nil {
			s.fail(c, err)
			return
		}
	}
	eng, err := s.engine(a.Engine)
	if err == nil {
		var seg int64 // a transcript is checked again once its answers are found
		if a.hasTranscript {
			seg = segmentWork(a.Guide, len(a.Transcript))
		}
		err = s.checkWork(a.Guide, seg, givenAnswers(a.Answers))
	}
	if err == nil {
		err = s.checkRole(ctx, t, a)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	if a.async {
		s.enqueue(c, a)
		return
	}
	rep, keys, err := s.analyze(ctx, t, eng, a, nil)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.joinRole(ctx, t, a, rep); err != nil {
		var ae *apiError
		if errors.As(err, &ae) {
			s.fail(c, err)
			return
		}
		s.log.Warn("report not added to its role's slate", "request_id", c.GetString(ctxRequestID), "report_id", rep.ID, "error", err.Error())
		rep.Warnings = append(rep.Warnings, slateNotJoined(a.Role))
	}
	if rep.SlateID != "" {
		// A repeat of the request joins again (the slate may have been
		// deleted meanwhile): no response-cache entry short-cuts it.
		rkey = ""
	}
	s.keep(c, a, eng, rep, keys, rkey)
	c.Header("X-Cache", cacheHeader(rep))
	s.writeReport(c, http.StatusOK, rep, nil)
}

// keep stores a sync analysis's report and, under rkey, its response. A
// store that is down does not fail the analysis: the report says it was
// not kept.
func (s *Server) keep(c *gin.Context, a *analysis, eng *store.Engine, rep *analyzer.Report, keys []string, rkey string) {
	ctx, t := c.Request.Context(), tenant(c)
	rep.Tenant = t
	if err := s.store.Create(ctx, rep, keys); err != nil {
		s.log.Warn("report not stored", "request_id", c.GetString(ctxRequestID), "report_id", rep.ID, "error", err.Error())
		rep.Warnings = append(rep.Warnings, analyzer.Warning{Code: "report_not_stored",
			Message: "the report could not be saved (storage unavailable); keep this copy, GET /v1/reports/" + rep.ID + " will not find it"})
		return
	}
	c.Header("Content-Location", "/v1/reports/"+rep.ID)
	if rkey == "" {
		return
	}
	src := a.GuideID
	if src == "" {
		src = inlineGuide
	}
	h := entryHeader{reportID: rep.ID, guide: src, guideVersion: a.Guide.Version, engine: eng.Info()}
	if err := s.resp.put(ctx, t, rkey, h, rep); err != nil {
		s.log.Warn("response cache: entry not kept", "request_id", c.GetString(ctxRequestID), "error", err.Error())
	}
}

// cacheHeader is X-Cache: hit when every answer came from the cache.
func cacheHeader(rep *analyzer.Report) string {
	if len(rep.Answers) > 0 && rep.Summary.Cached == len(rep.Answers) {
		return "hit"
	}
	return "miss"
}

// analyze runs the pipeline for tenant: segment (or take the given
// answers), analyze each answer with eng (cached in tenant's namespace,
// keyed by the guide's version), assemble the report. It returns the
// report and the cache keys of its analyses (for Reports.Create).
// progress, when set, is called after each answer.
func (s *Server) analyze(ctx context.Context, tenant string, eng *store.Engine, a *analysis, progress func(done, total int)) (*analyzer.Report, []string, error) {
	g := a.Guide
	opts := interview.Options{Interviewers: a.Interviewers, Candidate: a.Candidate, Assign: a.Assign, Concurrency: s.cfg.Concurrency,
		CandidateName: a.CandidateName, Role: a.Role, InterviewDate: a.InterviewDate, InterviewerNames: a.InterviewerNames}
	var (
		seg *segment.Result
		tr  *analyzer.Transcript
		err error
	)
	if len(a.Answers) > 0 {
		tr = &analyzer.Transcript{Format: transcript.FormatAnswersJSON, Candidate: a.Candidate, Answers: a.Answers}
		seg, err = segment.Segment(g, tr, segment.Options{})
	} else {
		seg, tr, err = interview.Parse(g, a.Name, []byte(a.Transcript), opts)
		if err == nil && a.Document != "" {
			tr.Document, tr.SHA256 = a.Document, a.SHA256
		}
		if err == nil && len(seg.Answers) == 0 {
			err = &analyzer.InputError{Field: "transcript", Reason: analyzer.NothingAligned(g.ID, "")}
		}
	}
	if err != nil {
		return nil, nil, err
	}
	if a.hasTranscript {
		// The answers found: what analyzing them costs, with what finding
		// them did.
		if err := s.checkWork(g, segmentWork(g, len(a.Transcript)), seg.Answers); err != nil {
			return nil, nil, err
		}
	}
	scoped := eng.For(tenant, g.Version)
	var run analyzer.Engine = scoped
	if progress != nil {
		run = &progressEngine{next: scoped, total: len(seg.Answers), report: progress}
	}
	rep, err := interview.Report(ctx, run, g, seg, tr, opts)
	if err != nil {
		return nil, nil, err
	}
	rep.ID = s.tenantReportID(ctx, tenant, rep.ID)
	keys := make([]string, 0, len(rep.Answers))
	for _, ans := range rep.Answers {
		if q, ok := g.Question(ans.QuestionID); ok {
			keys = append(keys, scoped.Key(*q, ans.Text))
		}
		s.metrics.cacheLookup(ans.Cached)
	}
	return rep, keys, nil
}
