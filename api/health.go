package api

import (
	"context"
	_ "embed"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// healthz answers 200 while the process serves.
func (s *Server) healthz(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	writeJSON(c, http.StatusOK, Health{Status: "ok"})
}

// readyz says whether the server can do its work: 200 "ready" when Redis
// and the LLM answer, 200 "degraded" when one is down (analyses still run,
// on the embedded engine and without the cache; jobs and stored reports
// do not), 503 "draining" once shutdown has begun.
func (s *Server) readyz(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	r := Readiness{Status: "ready", Checks: map[string]Check{}}
	if !s.shared {
		r.Checks["redis"] = Check{Status: "disabled", Detail: "no REDIS_URL: the in-memory store serves this process alone"}
	} else if err := s.store.Ping(ctx); err != nil {
		r.Status = "degraded"
		r.Checks["redis"] = Check{Status: "down", Detail: "Redis does not answer",
			Impact: "analyses run uncached; jobs, stored reports, tenant guides and shared rate limits are unavailable"}
	} else {
		r.Checks["redis"] = Check{Status: "ok"}
	}
	if s.llmProbe == nil {
		r.Checks["llm"] = Check{Status: "disabled", Detail: "no LLM configured: engine heuristic only"}
	} else if err := s.llmProbe.do(ctx); err != nil {
		r.Status = "degraded"
		r.Checks["llm"] = Check{Status: "down", Detail: err.Error(),
			Impact: "llm and hybrid analyses fall back to the embedded engine"}
	} else {
		r.Checks["llm"] = Check{Status: "ok"}
	}
	status := http.StatusOK
	if s.draining.Load() {
		r.Status, status = "draining", http.StatusServiceUnavailable
	}
	writeJSON(c, status, r)
}

// probe runs a check at most once per every and keeps its result, so that
// frequent readiness polls do not each call the LLM server.
type probe struct {
	check func(ctx context.Context) error
	every time.Duration

	mu   sync.Mutex
	at   time.Time
	last error
}

func (p *probe) do(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.at.IsZero() && time.Since(p.at) < p.every {
		return p.last
	}
	p.last, p.at = p.check(ctx), time.Now()
	return p.last
}

// LLMProbe returns a check that the OpenAI-compatible server at baseURL
// answers: GET baseURL/models with the key. A 404 counts as up (some
// servers have no model list); 401 and 403 mean the key is refused.
// Errors never hold the key or the URL.
func LLMProbe(client *http.Client, baseURL, apiKey string) func(ctx context.Context) error {
	if client == nil {
		client = &http.Client{Timeout: 3 * time.Second}
	}
	url := strings.TrimRight(baseURL, "/") + "/models"
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return fmt.Errorf("bad LLM base URL")
		}
		if apiKey != "" {
			req.Header.Set("Authorization", "Bearer "+apiKey)
		}
		resp, err := client.Do(req)
		if err != nil {
			return fmt.Errorf("the LLM server does not answer")
		}
		_ = resp.Body.Close()
		switch {
		case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
			return fmt.Errorf("the LLM server refuses the API key (%d)", resp.StatusCode)
		case resp.StatusCode >= 500:
			return fmt.Errorf("the LLM server fails (%d)", resp.StatusCode)
		}
		return nil
	}
}

//go:embed openapi.yaml
var openapiYAML []byte

// OpenAPI returns the API's OpenAPI 3.0.3 document (YAML).
func OpenAPI() []byte { return openapiYAML }

func (s *Server) openapi(c *gin.Context) {
	c.Data(http.StatusOK, "application/yaml; charset=utf-8", openapiYAML)
}
