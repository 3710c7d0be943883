package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/store"
)

// Error codes: stable identifiers that clients branch on (the problem's
// "code"). Titles and details may change; codes do not.
const (
	CodeMalformedBody       = "malformed_body"
	CodeValidation          = "validation_failed"
	CodeInvalidInput        = "invalid_input"
	CodeInvalidGuide        = "invalid_guide"
	CodeWorkBudget          = "work_budget_exceeded"
	CodeUnknownQuestion     = "unknown_question"
	CodeGuideNotFound       = "guide_not_found"
	CodeNotFound            = "not_found"
	CodeRouteNotFound       = "route_not_found"
	CodeMethodNotAllowed    = "method_not_allowed"
	CodeBodyTooLarge        = "body_too_large"
	CodeUnsupportedMedia    = "unsupported_media_type"
	CodeNotAcceptable       = "not_acceptable"
	CodeMissingCredentials  = "missing_credentials"
	CodeInvalidCredentials  = "invalid_credentials"
	CodeForbidden           = "forbidden"
	CodeRateLimited         = "rate_limited"
	CodeIdempotencyConflict = "idempotency_in_progress"
	CodeIdempotencyMismatch = "idempotency_key_reused"
	CodeEngineUnavailable   = "engine_unavailable"
	CodeStoreUnavailable    = "store_unavailable"
	CodeTimeout             = "timeout"
	CodeInternal            = "internal_error"
	// Slates: a role's slate is on another guide, or full (409); a
	// slate of that name exists (409).
	CodeSlateGuide  = "slate_guide_mismatch"
	CodeSlateFull   = "slate_full"
	CodeSlateExists = "slate_exists"
)

// apiError is an error that already knows how it is answered.
type apiError struct {
	status int
	code   string
	field  string
	detail string
	// retryAfter, when positive, is sent as Retry-After (seconds).
	retryAfter int
	// err is the cause, logged but never sent.
	err error
}

func (e *apiError) Error() string {
	if e.err != nil {
		return e.detail + ": " + e.err.Error()
	}
	return e.detail
}

func (e *apiError) Unwrap() error { return e.err }

func errorf(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, code: code, detail: fmt.Sprintf(format, args...)}
}

// fieldError is a validation error pinned to a request field.
func fieldError(field, format string, args ...any) *apiError {
	return &apiError{status: http.StatusUnprocessableEntity, code: CodeValidation, field: field, detail: fmt.Sprintf(format, args...)}
}

// toProblem maps an error to the problem sent for it. It is the one place
// where errors become statuses: handlers return errors and never choose a
// status for an unexpected one.
func toProblem(err error) (Problem, int) {
	p := func(status int, code, detail, field string) Problem {
		return Problem{Type: "https://candor.dev/problems/" + code, Title: http.StatusText(status), Status: status,
			Detail: detail, Code: code, Field: field}
	}
	var ae *apiError
	if errors.As(err, &ae) {
		return p(ae.status, ae.code, ae.detail, ae.field), ae.retryAfter
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return p(http.StatusRequestEntityTooLarge, CodeBodyTooLarge,
			fmt.Sprintf("the request body is over the limit of %d bytes", mbe.Limit), ""), 0
	}
	var ie *analyzer.InputError
	switch {
	case errors.Is(err, analyzer.ErrUnknownGuide):
		return p(http.StatusNotFound, CodeGuideNotFound, err.Error(), "guide_id"), 0
	case errors.Is(err, analyzer.ErrInvalidGuide):
		field := ""
		if errors.As(err, &ie) {
			field = ie.Field
		}
		return p(http.StatusUnprocessableEntity, CodeInvalidGuide, err.Error(), field), 0
	case errors.As(err, &ie):
		if f, ok := flagFields[ie.Field]; ok {
			// The engine names the command line's flag; the API's
			// callers sent a JSON field (or form field, or query
			// parameter) of the same meaning.
			c := *ie
			c.Field = f
			ie = &c
		}
		code := CodeInvalidInput
		if errors.Is(err, analyzer.ErrUnknownQuestion) || strings.HasSuffix(ie.Field, ".question_id") {
			code = CodeUnknownQuestion
		}
		return p(http.StatusUnprocessableEntity, code, ie.Error(), ie.Field), 0
	case errors.Is(err, analyzer.ErrUnknownQuestion):
		return p(http.StatusUnprocessableEntity, CodeUnknownQuestion, err.Error(), "answers"), 0
	case errors.Is(err, analyzer.ErrInvalidInput), errors.Is(err, analyzer.ErrEmptyAnswer):
		return p(http.StatusUnprocessableEntity, CodeInvalidInput, err.Error(), ""), 0
	case errors.Is(err, store.ErrNotFound):
		return p(http.StatusNotFound, CodeNotFound, "no such resource", ""), 0
	case errors.Is(err, store.ErrUnavailable):
		return p(http.StatusServiceUnavailable, CodeStoreUnavailable,
			"the store (Redis) is unavailable; try again shortly", ""), 5
	case errors.Is(err, store.ErrInvalid):
		return p(http.StatusBadRequest, CodeValidation, "invalid argument", ""), 0
	case errors.Is(err, context.DeadlineExceeded):
		return p(http.StatusGatewayTimeout, CodeTimeout, "the request took too long", ""), 0
	}
	return p(http.StatusInternalServerError, CodeInternal, "internal error; see the server log for the request id", ""), 0
}

// flagFields maps the command line's flags, which the engine's input
// errors name, to the API's fields.
var flagFields = map[string]string{"--candidate": "candidate", "--interviewer": "interviewers"}

// statusClientClosed is nginx's status for a client that went away; it is
// only logged, since nobody reads the response.
const statusClientClosed = 499

// fail answers c with the problem for err and logs what the client is not
// told.
func (s *Server) fail(c *gin.Context, err error) {
	if errors.Is(err, context.Canceled) && c.Request.Context().Err() != nil {
		c.Status(statusClientClosed)
		c.Abort()
		return
	}
	prob, retry := toProblem(err)
	prob.Instance = c.Request.URL.Path
	prob.RequestID = c.GetString(ctxRequestID)
	if prob.Status >= 500 {
		s.log.LogAttrs(c.Request.Context(), slog.LevelError, "request failed",
			slog.String("request_id", prob.RequestID), slog.String("code", prob.Code), slog.String("error", err.Error()))
	}
	if retry > 0 {
		c.Header("Retry-After", strconv.Itoa(retry))
	}
	writeProblem(c, prob)
}

func writeProblem(c *gin.Context, p Problem) {
	c.Header("Content-Type", "application/problem+json")
	c.Header("Cache-Control", "no-store")
	c.Status(p.Status)
	_ = encodeJSON(c.Writer, p)
	c.Abort()
}
