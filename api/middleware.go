package api

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
)

// Keys of values set on the gin context.
const (
	ctxRequestID = "candor.request_id"
	ctxTenant    = "candor.tenant"
	ctxKeyID     = "candor.key_id"
	// ctxGuideSource is set when the request's guide was this replica's
	// copy, held while the store was unavailable.
	ctxGuideSource = "candor.guide_source"
)

// requestIDs makes request ids: a random process prefix and a counter,
// unique without a random read per request.
var requestIDs = func() func() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	prefix := hex.EncodeToString(b[:]) + "-"
	var n atomic.Uint64
	return func() string { return prefix + strconv.FormatUint(n.Add(1), 36) }
}()

// requestID takes the caller's X-Request-Id when it is short and plain
// (so a proxy's id carries through) and makes one otherwise.
func (s *Server) requestID(c *gin.Context) {
	id := c.GetHeader("X-Request-Id")
	if !plainID(id, 64) {
		id = requestIDs()
	}
	c.Set(ctxRequestID, id)
	c.Header("X-Request-Id", id)
	c.Next()
}

// plainID reports whether s is 1..n characters of [A-Za-z0-9._-], safe to
// log, echo and use in keys.
func plainID(s string, n int) bool {
	if s == "" || len(s) > n {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_' || b == '.') {
			return false
		}
	}
	return true
}

// recover answers a panicking handler with a 500 problem and logs the
// panic (with the request id, not the request).
func (s *Server) recover(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("handler panicked", "request_id", c.GetString(ctxRequestID), "route", c.FullPath(), "panic", fmt.Sprint(v))
			if !c.Writer.Written() {
				s.fail(c, fmt.Errorf("panic: %v", v))
			}
		}
	}()
	c.Next()
}

// observe logs every request and records its latency. It logs the route
// pattern, never the path's ids' content beyond it, nor bodies or keys.
func (s *Server) observe(c *gin.Context) {
	start := time.Now()
	c.Next()
	d := time.Since(start)
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	status := c.Writer.Status()
	s.metrics.request(c.Request.Method, route, status, d)
	level := slog.LevelInfo
	if status >= 500 && status != statusClientClosed {
		level = slog.LevelError
	}
	attrs := []slog.Attr{
		slog.String("request_id", c.GetString(ctxRequestID)),
		slog.String("method", c.Request.Method),
		slog.String("route", route),
		slog.Int("status", status),
		slog.Float64("latency_ms", float64(d.Microseconds())/1000),
		slog.String("tenant", c.GetString(ctxTenant)),
		slog.Int("bytes", c.Writer.Size()),
	}
	if src := c.GetString(ctxGuideSource); src != "" {
		attrs = append(attrs, slog.String("guide_source", src))
	}
	s.log.LogAttrs(c.Request.Context(), level, "request", attrs...)
}

// limitBody bounds the request body; reading past the limit fails with
// *http.MaxBytesError, answered 413.
//
// A body announced over the limit is answered 413 at once, but a client
// still sending it would see the connection reset (the server stops
// reading, and closing a socket with unread data sends RST) instead of the
// answer. So a body up to drainFactor times the limit is read and thrown
// away first (within the server's read deadline), then answered on a
// connection that stays usable; a larger one is answered with Connection:
// close.
func (s *Server) limitBody(c *gin.Context) {
	if n := c.Request.ContentLength; n > s.cfg.MaxBodyBytes {
		if n <= drainFactor*s.cfg.MaxBodyBytes {
			if _, err := io.CopyN(io.Discard, c.Request.Body, n); err != nil {
				c.Header("Connection", "close")
			}
		} else {
			c.Header("Connection", "close")
		}
		s.fail(c, &http.MaxBytesError{Limit: s.cfg.MaxBodyBytes})
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.MaxBodyBytes)
	c.Next()
}

// drainFactor bounds the over-limit bodies limitBody reads to the end.
const drainFactor = 4

// tenant returns the tenant the request acts for.
func tenant(c *gin.Context) string { return c.GetString(ctxTenant) }

// readBody reads the (limited) request body.
func readBody(c *gin.Context) ([]byte, error) {
	n := c.Request.ContentLength
	if n <= 0 || n > 1<<20 {
		return io.ReadAll(c.Request.Body)
	}
	// One allocation of the announced size.
	buf := make([]byte, n)
	if _, err := io.ReadFull(c.Request.Body, buf); err != nil {
		return nil, err
	}
	rest, err := io.ReadAll(c.Request.Body)
	return append(buf, rest...), err
}

// writeJSON answers v as JSON with status.
func writeJSON(c *gin.Context, status int, v any) {
	c.Header("Content-Type", "application/json; charset=utf-8")
	c.Status(status)
	_ = encodeJSON(c.Writer, v)
}

func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
