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
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/store"
)

// The response cache sits in front of the pipeline: a sync analysis that
// repeats one the tenant made before (the same body bytes, content type
// and query) is answered with one Redis GET, with no decoding, per-answer
// cache reads, report assembly or report write. Only successful sync
// analyses are kept, so a repeat would have passed validation too.
//
// An entry records what it was made with (guide and its version, engine
// and its settings); a hit whose guide has since changed (PUT) or whose
// engine differs is a miss. The answer-level cache (store.CachedEngine)
// stays the long-lived one; this one is short-lived (ResponseCacheTTL,
// capped by the report retention) and forgets a report's entries when the
// report is deleted, so it never serves a report that GET /v1/reports
// would not find. It runs only with Redis: in memory the pipeline is cheap.

// respKeyVersion changes when the entry layout or the key recipe does.
const respKeyVersion = "resp2"

// inlineGuide marks an entry made with a guide given in the request body,
// which the body's hash covers.
const inlineGuide = "\x00inline"

type responseCache struct {
	st  store.ResponseCache
	ttl time.Duration
}

// entryHeader is the first line of an entry.
type entryHeader struct {
	reportID     string
	guide        string // guide id, or inlineGuide
	guideVersion string
	engine       analyzer.EngineInfo
}

func engineTag(e analyzer.EngineInfo) string {
	sum := sha256.Sum256([]byte(e.Name + "\x00" + e.Model + "\x00" + e.PromptVersion + "\x00" + e.Options))
	return hex.EncodeToString(sum[:8])
}

func (h entryHeader) String() string {
	return strings.Join([]string{h.reportID, h.guide, h.guideVersion, h.engine.Name, engineTag(h.engine)}, "\t")
}

// requestKeyPrefix is what every request key of this server starts with:
// the limits that validate requests and the build that parses them.
func (s *Server) requestKeyPrefix() string {
	return fmt.Sprintf("%s\x00%s\x00%d\x00%d\x00%d\x00", respKeyVersion, s.cfg.Version,
		s.cfg.MaxAnswers, s.cfg.MaxAnswerChars, s.cfg.AsyncThreshold)
}

// requestKey hashes a request's bytes with what else decides its answer:
// the tenant, the content type, the query and requestKeyPrefix.
func (s *Server) requestKey(tenant, contentType, query string, body []byte) string {
	h := sha256.New()
	for _, f := range [...]string{s.respKeyPrefix, tenant, contentType, query} {
		_, _ = io.WriteString(h, f)
		h.Write([]byte{0})
	}
	h.Write(body)
	var sum [sha256.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0]))
}

// serveCached answers c from the response cache and reports whether it
// did. Any failure (a miss, Redis down, a stale entry) leaves the request
// to the pipeline.
func (s *Server) serveCached(c *gin.Context, key string) bool {
	ctx, t := c.Request.Context(), tenant(c)
	v, err := s.resp.st.GetResponse(ctx, t, key)
	if err != nil {
		if ctx.Err() != nil {
			return false // the client left; nothing to count
		}
		if !errors.Is(err, store.ErrNotFound) {
			s.log.Debug("response cache unavailable", "request_id", c.GetString(ctxRequestID), "error", err.Error())
		}
		s.metrics.responseCache(false)
		return false
	}
	h, report, ok := bytes.Cut(v, []byte("\n"))
	header := string(h)
	if !ok || !s.entryCurrent(c, header) {
		s.metrics.responseCache(false)
		return false
	}
	s.metrics.responseCache(true)
	id, _, _ := strings.Cut(header, "\t")
	c.Header("Content-Location", "/v1/reports/"+id)
	c.Header("X-Cache", "hit")
	format, err := reportFormat(c)
	if err != nil {
		s.fail(c, err)
		return true
	}
	if format != formatJSON {
		s.writeReport(c, http.StatusOK, nil, report)
		return true
	}
	// One Write of the whole body, with its length: net/http then sends
	// it in two system calls; WriteString would go through its 2 KiB
	// buffer in pieces.
	c.Header("Content-Type", "application/json; charset=utf-8")
	c.Header("Content-Length", strconv.Itoa(len(report)))
	c.Status(http.StatusOK)
	_, _ = c.Writer.Write(report)
	return true
}

// entryCurrent checks that an entry's guide and engine are still what the
// request would use.
func (s *Server) entryCurrent(c *gin.Context, header string) bool {
	_, rest, _ := strings.Cut(header, "\t") // the report id
	guideID, rest, _ := strings.Cut(rest, "\t")
	version, rest, _ := strings.Cut(rest, "\t")
	engine, tag, ok := strings.Cut(rest, "\t")
	if !ok || strings.Contains(tag, "\t") || s.engineTags[engine] != tag || tag == "" {
		return false
	}
	if guideID == inlineGuide {
		return true
	}
	g, err := s.lookupGuide(c, guideID)
	return err == nil && g.Version == version
}

// put keeps rep, as a fully cached analysis shows it, under key, and
// indexes key under the report's id (deleting the report forgets it).
func (r *responseCache) put(ctx context.Context, tenant, key string, h entryHeader, rep *analyzer.Report) error {
	view := *rep
	view.Answers = make([]analyzer.AnswerAnalysis, len(rep.Answers))
	for i, a := range rep.Answers {
		a.Cached = true
		view.Answers[i] = a
	}
	view.Summary.Cached = len(view.Answers)
	raw, err := json.Marshal(&view)
	if err != nil {
		return err
	}
	entry := append(append([]byte(h.String()), '\n'), raw...)
	return r.st.PutResponse(ctx, tenant, key, rep.ID, entry, r.ttl)
}
