package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// Idempotency-Key on POST: the first response to a key is kept and every
// repeat of the same request gets it again (with Idempotent-Replayed:
// true), so a client can retry a POST whose answer it lost without making
// a second job or guide. A repeat while the first is still running gets
// 409; a key reused for a different request gets 422. Only 2xx responses
// are kept: a 4xx or 5xx frees the key, so a client that fixes its request
// (or retries after a failure) with the same key gets a fresh answer.

// pendingTTL bounds how long a claim blocks its key when the request that
// claimed it dies without an answer.
const pendingTTL = 2 * time.Minute

// savedResponse is a kept response, or a claim (Pending) on the key.
type savedResponse struct {
	Pending     bool   `json:"pending,omitempty"`
	Fingerprint string `json:"fp"`
	Status      int    `json:"status,omitempty"`
	ContentType string `json:"ct,omitempty"`
	Location    string `json:"loc,omitempty"`
	XCache      string `json:"xc,omitempty"`
	Body        []byte `json:"body,omitempty"`
}

// claimIdempotencyKey takes key for a request with fingerprint fp. It
// returns the kept response (or claim) when the key is taken, nil when it
// was free and is now claimed.
func (s *Server) claimIdempotencyKey(ctx context.Context, tenant, key, fp string) (*savedResponse, error) {
	claim, _ := json.Marshal(savedResponse{Pending: true, Fingerprint: fp})
	raw, err := s.store.ClaimIdempotencyKey(ctx, tenant, key, claim, pendingTTL)
	if err != nil || raw == nil {
		return nil, err
	}
	var saved savedResponse
	if err := json.Unmarshal(raw, &saved); err != nil {
		return nil, err
	}
	return &saved, nil
}

// recorder keeps a copy of what a handler writes.
type recorder struct {
	gin.ResponseWriter
	buf bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.buf.Write(b)
	return r.ResponseWriter.Write(b)
}

func (r *recorder) WriteString(s string) (int, error) {
	r.buf.WriteString(s)
	return r.ResponseWriter.WriteString(s)
}

// idempotent replays the kept response of a repeated Idempotency-Key. When
// the store is unreachable the request goes on without the guarantee (an
// analysis is worth more than its dedup), and says so in a header.
func (s *Server) idempotent(c *gin.Context) {
	key := c.GetHeader("Idempotency-Key")
	if key == "" {
		c.Next()
		return
	}
	if len(key) > 255 {
		s.fail(c, fieldError("Idempotency-Key", "the Idempotency-Key header is longer than 255 characters"))
		return
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Request.Body = io.NopCloser(bytes.NewReader(body))
	h := sha256.New()
	for _, part := range []string{c.Request.Method, c.Request.URL.Path, c.Request.URL.RawQuery, c.ContentType()} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	h.Write(body)
	fp := hex.EncodeToString(h.Sum(nil))

	ctx := c.Request.Context()
	t := tenant(c)
	saved, err := s.claimIdempotencyKey(ctx, t, key, fp)
	if err != nil {
		s.log.Warn("idempotency store unavailable; going on without it", "request_id", c.GetString(ctxRequestID), "error", err.Error())
		c.Header("Idempotency-Status", "unavailable")
		c.Next()
		return
	}
	if saved != nil {
		switch {
		case saved.Fingerprint != fp:
			s.fail(c, &apiError{status: http.StatusUnprocessableEntity, code: CodeIdempotencyMismatch, field: "Idempotency-Key",
				detail: "this Idempotency-Key was used for a different request; use a new key"})
			return
		case saved.Pending:
			s.fail(c, errorf(http.StatusConflict, CodeIdempotencyConflict, "a request with this Idempotency-Key is still in progress; retry later"))
			return
		}
		c.Header("Idempotent-Replayed", "true")
		if saved.Location != "" {
			c.Header("Location", saved.Location)
		}
		if saved.XCache != "" {
			c.Header("X-Cache", saved.XCache)
		}
		c.Data(saved.Status, saved.ContentType, saved.Body)
		c.Abort()
		return
	}

	rec := &recorder{ResponseWriter: c.Writer}
	c.Writer = rec
	c.Next()
	c.Writer = rec.ResponseWriter

	// Saving outlives a client that hung up: the work is done.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	status := rec.Status()
	if status < 200 || status >= 300 {
		_ = s.store.ReleaseIdempotencyKey(sctx, t, key)
		return
	}
	resp := &savedResponse{Fingerprint: fp, Status: status, ContentType: rec.Header().Get("Content-Type"),
		Location: rec.Header().Get("Location"), XCache: rec.Header().Get("X-Cache"), Body: rec.buf.Bytes()}
	raw, err := json.Marshal(resp)
	if err == nil {
		err = s.store.SaveIdempotencyKey(sctx, t, key, raw, s.cfg.IdempotencyTTL)
	}
	if err != nil {
		s.log.Warn("idempotency: could not keep the response", "request_id", c.GetString(ctxRequestID), "error", err.Error())
		_ = s.store.ReleaseIdempotencyKey(sctx, t, key)
	}
}
