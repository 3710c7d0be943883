package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/prompts"
)

// format is how the reply is constrained, richest first.
type format int

const (
	formatJSONSchema format = iota // response_format json_schema, strict
	formatJSONObject               // response_format json_object, schema in the prompt
	formatText                     // no response_format, schema in the prompt
)

func (f format) String() string {
	return [...]string{"json_schema", "json_object", "text"}[f]
}

// formatMemory remembers, per server (base URL and model), the richest reply
// format that worked, so that only the first calls pay for a rejection.
type formatMemory struct {
	mu sync.Mutex
	m  map[string]format
}

func (fm *formatMemory) get(key string) format {
	fm.mu.Lock()
	defer fm.mu.Unlock()
	return fm.m[key] // zero: json_schema
}

// worked records that f worked. It is only called on success, so a 400 that
// has nothing to do with the format (a prompt too long) cannot demote a
// server for good.
func (fm *formatMemory) worked(key string, f format) {
	fm.mu.Lock()
	defer fm.mu.Unlock()
	if fm.m == nil {
		fm.m = map[string]format{}
	}
	fm.m[key] = f
}

// callInfo is filled by headerDoer for one call: go-openai's errors carry
// the status but not the response headers, and Retry-After lives there.
type callInfo struct {
	retryAfter time.Duration
	hasRetry   bool
}

type callInfoKey struct{}

// headerDoer wraps the HTTP client to read Retry-After from every response
// into the callInfo carried by the request's context.
type headerDoer struct {
	client *http.Client
	now    func() time.Time
}

func (d headerDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.client.Do(req)
	if resp != nil {
		if ci, ok := req.Context().Value(callInfoKey{}).(*callInfo); ok {
			ci.retryAfter, ci.hasRetry = retryAfter(resp.Header, d.now())
		}
	}
	return resp, err
}

// retryAfter reads OpenAI's retry-after-ms, then the standard Retry-After in
// seconds or as an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	if v := h.Get("Retry-After-Ms"); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 {
			return time.Duration(ms * float64(time.Millisecond)), true
		}
	}
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// callError is a call that failed for good. Its message names the failure's
// class and status, never the body, which may echo the answer.
type callError struct {
	class    string // rate_limited, server_error, timeout, network, rejected, unusable, truncated, refused
	status   int
	attempts int
}

func (e *callError) Error() string {
	s := e.class
	if e.status > 0 {
		s += fmt.Sprintf(" (HTTP %dxx)", e.status/100)
	}
	return fmt.Sprintf("%s after %d attempt(s)", s, e.attempts)
}

// classify sorts a failed attempt: its class, HTTP status, whether a retry
// may help, and whether the server rejected the request as such (400, which
// may mean it does not know the reply format).
func classify(err error) (class string, status int, retry bool) {
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	switch {
	case errors.As(err, &apiErr):
		status = apiErr.HTTPStatusCode
	case errors.As(err, &reqErr):
		status = reqErr.HTTPStatusCode
	case errors.Is(err, errTruncated):
		return "truncated", 0, true
	case errors.Is(err, errRefused):
		return "refused", 0, false
	case errors.Is(err, errUnusable):
		return "unusable", 0, true
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout", 0, true
	default:
		return "network", 0, true
	}
	switch {
	case status == http.StatusTooManyRequests:
		return "rate_limited", status, true
	case status >= 500:
		return "server_error", status, true
	case status == http.StatusRequestTimeout:
		return "timeout", status, true
	default:
		return "rejected", status, false
	}
}

var (
	errTruncated = errors.New("reply cut off at max_tokens")
	errRefused   = errors.New("model refused")
)

// request builds one chat completion request.
func (e *Engine) request(m prompts.Messages, f format, seed int) openai.ChatCompletionRequest {
	req := openai.ChatCompletionRequest{
		Model: e.cfg.Model,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: m.System},
			{Role: openai.ChatMessageRoleUser, Content: m.User},
		},
		// max_tokens, not max_completion_tokens: OpenAI-compatible servers
		// (llama.cpp, vLLM, Ollama) know only the older name; reasoning
		// models get max_completion_tokens below.
		//lint:ignore SA1019 deliberate, see above
		MaxTokens: e.cfg.MaxTokens,
		// go-openai omits Temperature when it is 0 (omitempty), and servers
		// then use their default (often 0.7-1). The smallest non-zero
		// float32 is sent instead: greedy decoding in practice.
		Temperature: math.SmallestNonzeroFloat32,
		Seed:        &seed,
	}
	switch f {
	case formatJSONSchema:
		req.ResponseFormat = &openai.ChatCompletionResponseFormat{
			Type: openai.ChatCompletionResponseFormatTypeJSONSchema,
			JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{
				Name:   "answer_analysis",
				Schema: json.RawMessage(prompts.Schema()),
				Strict: true,
			},
		}
	case formatJSONObject:
		req.ResponseFormat = &openai.ChatCompletionResponseFormat{Type: openai.ChatCompletionResponseFormatTypeJSONObject}
	}
	// Reasoning models (o1, o3, gpt-5, ...) reject max_tokens and any
	// temperature but 1: ask go-openai's own validator and adapt.
	if openai.NewReasoningValidator().Validate(req) != nil {
		//lint:ignore SA1019 moves the deliberate max_tokens (see above) to its new name
		req.MaxCompletionTokens, req.MaxTokens = req.MaxTokens, 0
		req.Temperature = 0
	}
	return req
}

// outcome is what one answer's calls for one sample produced.
type outcome struct {
	reply reply
	usage analyzer.Usage
	err   error // a *callError, or the context's error
}

// complete makes one sample's call, with retries and reply-format fallback.
// render gives the messages for a format (the schema goes into the prompt
// when the server does not take json_schema).
func (e *Engine) complete(ctx context.Context, qid string, render func(format) (prompts.Messages, error), seed, nAreas, nDepth int) outcome {
	var o outcome
	f := e.formats.get(e.serverKey)
	for attempt := 0; ; {
		msgs, err := render(f)
		if err != nil {
			o.err = &callError{class: "prompt", attempts: attempt}
			return o
		}
		r, aerr := e.attempt(ctx, e.request(msgs, f, seed), nAreas, nDepth, &o.usage)
		if aerr == nil {
			e.formats.worked(e.serverKey, f)
			o.reply = r
			return o
		}
		if ctx.Err() != nil {
			o.err = ctx.Err()
			return o
		}
		class, status, retry := classify(aerr.err)
		if status == http.StatusBadRequest && f < formatText {
			// The server may not know this reply format: try the next
			// one at once; this is not a retry.
			e.cfg.Logger.Info("llm: reply format rejected, trying the next", "question_id", qid, "format", f.String())
			f++
			continue
		}
		attempt++
		fail := &callError{class: class, status: status, attempts: attempt}
		if !retry || attempt > e.cfg.MaxRetries {
			o.err = fail
			return o
		}
		delay := e.backoff(attempt)
		if aerr.hasRetry {
			if aerr.retryAfter > e.cfg.MaxBackoff {
				o.err = fail // not worth waiting for in an interactive report
				return o
			}
			delay = max(delay, aerr.retryAfter)
		}
		e.cfg.Logger.Info("llm: call failed, retrying", "question_id", qid, "class", class, "status", status, "attempt", attempt, "delay", delay)
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			o.err = ctx.Err()
			return o
		case <-t.C:
		}
	}
}

// attemptError is a failed attempt with what its response said about retrying.
type attemptError struct {
	err        error
	retryAfter time.Duration
	hasRetry   bool
}

// attempt makes one HTTP call under the engine's concurrency limit and the
// per-call timeout, and parses its reply.
func (e *Engine) attempt(ctx context.Context, req openai.ChatCompletionRequest, nAreas, nDepth int, u *analyzer.Usage) (reply, *attemptError) {
	select {
	case e.sem <- struct{}{}:
	case <-ctx.Done():
		return reply{}, &attemptError{err: ctx.Err()}
	}
	defer func() { <-e.sem }()
	ci := &callInfo{}
	callCtx, cancel := context.WithTimeout(context.WithValue(ctx, callInfoKey{}, ci), e.cfg.Timeout)
	defer cancel()
	resp, err := e.client.CreateChatCompletion(callCtx, req)
	u.Calls++
	if err != nil {
		if callCtx.Err() != nil && ctx.Err() == nil {
			err = context.DeadlineExceeded // the per-call timeout, whatever the transport said
		}
		return reply{}, &attemptError{err: err, retryAfter: ci.retryAfter, hasRetry: ci.hasRetry}
	}
	u.PromptTokens += resp.Usage.PromptTokens
	u.CompletionTokens += resp.Usage.CompletionTokens
	if len(resp.Choices) == 0 {
		return reply{}, &attemptError{err: fmt.Errorf("%w: no choices", errUnusable)}
	}
	c := resp.Choices[0]
	switch {
	case c.FinishReason == openai.FinishReasonLength:
		return reply{}, &attemptError{err: errTruncated}
	case c.Message.Refusal != "", c.FinishReason == openai.FinishReasonContentFilter:
		return reply{}, &attemptError{err: errRefused}
	}
	r, err := parseReply(e.schema, c.Message.Content, nAreas, nDepth)
	if err != nil {
		return reply{}, &attemptError{err: err}
	}
	return r, nil
}

// backoff is the delay before retry n (1-based): exponential from
// RetryBackoff, capped at MaxBackoff, with "equal jitter" (half fixed, half
// random) so that answers failing together do not retry together.
func (e *Engine) backoff(n int) time.Duration {
	d := e.cfg.RetryBackoff << (n - 1)
	if d <= 0 || d > e.cfg.MaxBackoff {
		d = e.cfg.MaxBackoff
	}
	half := d / 2
	return half + rand.N(half+1)
}

// failureMessage says why an answer fell back, in words a reader of the
// report can use: the failure's class and status class, never a body.
func failureMessage(err error) string {
	var ce *callError
	if !errors.As(err, &ce) {
		return "the model could not be used; showing the embedded engine's analysis"
	}
	what := map[string]string{
		"rate_limited": "the model server kept rate-limiting",
		"server_error": "the model server kept failing",
		"timeout":      "the model did not answer in time",
		"network":      "the model server could not be reached",
		"rejected":     "the model server rejected the request",
		"unusable":     "the model's replies did not match the expected JSON",
		"truncated":    "the model's replies were cut off at the token limit",
		"refused":      "the model refused to answer",
		"prompt":       "the prompt could not be built",
		"areas":        fmt.Sprintf("the question has no areas or more than %d", maxAreas),
	}[ce.class]
	if what == "" {
		what = "the model call failed"
	}
	return fmt.Sprintf("%s (%s); showing the embedded engine's analysis", what, strings.TrimSpace(ce.Error()))
}
