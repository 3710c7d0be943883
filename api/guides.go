package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"
	"go.yaml.in/yaml/v3"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/guide"
	"github.com/candorhq/candor/store"
)

// guideStore keeps each tenant's own guides. The store package has no
// guide store, so the API keeps them itself: a Redis hash per tenant, or a
// map when there is no Redis.
type guideStore interface {
	// Get returns store.ErrNotFound when tenant has no guide id.
	Get(ctx context.Context, tenant, id string) (*analyzer.Guide, error)
	List(ctx context.Context, tenant string) ([]*analyzer.Guide, error)
	// Add stores g unless tenant has a guide with its id (added false).
	Add(ctx context.Context, tenant string, g *analyzer.Guide) (added bool, err error)
	// Put stores g, replacing a guide with its id (replaced true).
	Put(ctx context.Context, tenant string, g *analyzer.Guide) (replaced bool, err error)
	// Delete returns store.ErrNotFound when there is no such guide.
	Delete(ctx context.Context, tenant, id string) error
}

type redisGuides struct {
	c      redis.UniversalClient
	prefix string
}

func (r *redisGuides) key(tenant string) string {
	sum := sha256.Sum256([]byte(tenant))
	// The hash tag keeps a tenant's guides on one cluster slot.
	return r.prefix + ":guides:{" + hex.EncodeToString(sum[:12]) + "}"
}

// unavailable classifies a Redis error for the error mapper.
func unavailable(op string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", op, err)
	}
	return fmt.Errorf("%s: %w: %w", op, store.ErrUnavailable, err)
}

func (r *redisGuides) Get(ctx context.Context, tenant, id string) (*analyzer.Guide, error) {
	raw, err := r.c.HGet(ctx, r.key(tenant), id).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("guide %s: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return nil, unavailable("get guide", err)
	}
	var g analyzer.Guide
	if err := json.Unmarshal(raw, &g); err != nil {
		return nil, fmt.Errorf("decode guide %s: %w", id, err)
	}
	return &g, nil
}

func (r *redisGuides) List(ctx context.Context, tenant string) ([]*analyzer.Guide, error) {
	m, err := r.c.HGetAll(ctx, r.key(tenant)).Result()
	if err != nil {
		return nil, unavailable("list guides", err)
	}
	out := make([]*analyzer.Guide, 0, len(m))
	for id, raw := range m {
		var g analyzer.Guide
		if err := json.Unmarshal([]byte(raw), &g); err != nil {
			return nil, fmt.Errorf("decode guide %s: %w", id, err)
		}
		out = append(out, &g)
	}
	return out, nil
}

func (r *redisGuides) Add(ctx context.Context, tenant string, g *analyzer.Guide) (bool, error) {
	raw, err := json.Marshal(g)
	if err != nil {
		return false, err
	}
	ok, err := r.c.HSetNX(ctx, r.key(tenant), g.ID, raw).Result()
	if err != nil {
		return false, unavailable("add guide", err)
	}
	return ok, nil
}

func (r *redisGuides) Put(ctx context.Context, tenant string, g *analyzer.Guide) (bool, error) {
	raw, err := json.Marshal(g)
	if err != nil {
		return false, err
	}
	n, err := r.c.HSet(ctx, r.key(tenant), g.ID, raw).Result()
	if err != nil {
		return false, unavailable("put guide", err)
	}
	return n == 0, nil
}

func (r *redisGuides) Delete(ctx context.Context, tenant, id string) error {
	n, err := r.c.HDel(ctx, r.key(tenant), id).Result()
	if err != nil {
		return unavailable("delete guide", err)
	}
	if n == 0 {
		return fmt.Errorf("guide %s: %w", id, store.ErrNotFound)
	}
	return nil
}

type memoryGuides struct {
	mu sync.RWMutex
	m  map[string]map[string][]byte // tenant -> id -> JSON (copies, so callers cannot share)
}

func newMemoryGuides() *memoryGuides { return &memoryGuides{m: map[string]map[string][]byte{}} }

func (m *memoryGuides) Get(_ context.Context, tenant, id string) (*analyzer.Guide, error) {
	m.mu.RLock()
	raw, ok := m.m[tenant][id]
	m.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("guide %s: %w", id, store.ErrNotFound)
	}
	var g analyzer.Guide
	return &g, json.Unmarshal(raw, &g)
}

func (m *memoryGuides) List(_ context.Context, tenant string) ([]*analyzer.Guide, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var out []*analyzer.Guide
	for _, raw := range m.m[tenant] {
		var g analyzer.Guide
		if err := json.Unmarshal(raw, &g); err != nil {
			return nil, err
		}
		out = append(out, &g)
	}
	return out, nil
}

func (m *memoryGuides) set(tenant string, g *analyzer.Guide, replace bool) (existed bool, err error) {
	raw, err := json.Marshal(g)
	if err != nil {
		return false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m[tenant] == nil {
		m.m[tenant] = map[string][]byte{}
	}
	_, existed = m.m[tenant][g.ID]
	if !existed || replace {
		m.m[tenant][g.ID] = raw
	}
	return existed, nil
}

func (m *memoryGuides) Add(_ context.Context, tenant string, g *analyzer.Guide) (bool, error) {
	existed, err := m.set(tenant, g, false)
	return !existed && err == nil, err
}

func (m *memoryGuides) Put(_ context.Context, tenant string, g *analyzer.Guide) (bool, error) {
	return m.set(tenant, g, true)
}

func (m *memoryGuides) Delete(_ context.Context, tenant, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.m[tenant][id]; !ok {
		return fmt.Errorf("guide %s: %w", id, store.ErrNotFound)
	}
	delete(m.m[tenant], id)
	return nil
}

// parseGuideBody reads a guide in the format its Content-Type names:
// text/plain is the Yardstick text format (or JSON/YAML text, detected).
func parseGuideBody(c *gin.Context) (*analyzer.Guide, error) {
	body, err := readBody(c)
	if err != nil {
		return nil, err
	}
	var format string
	switch ct := c.ContentType(); ct {
	case "application/json":
		format = guide.FormatJSON
	case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml":
		format = guide.FormatYAML
	case "text/plain", "text/markdown", "":
		if format, err = guide.Detect("body", body); err != nil {
			format = guide.FormatYardstick
		}
	default:
		return nil, errorf(http.StatusUnsupportedMediaType, CodeUnsupportedMedia,
			"a guide is text/plain (Yardstick text), application/json or application/yaml, not %s", ct)
	}
	return guide.ParseFormat("body", format, body)
}

func guideInfo(g *analyzer.Guide, builtin bool) GuideInfo {
	return GuideInfo{ID: g.ID, Title: g.Title, Version: g.Version, Questions: len(g.Questions), Builtin: builtin}
}

func guideCreated(g *analyzer.Guide) GuideCreated {
	return GuideCreated{ID: g.ID, Title: g.Title, Version: g.Version, Questions: len(g.Questions), URL: "/v1/guides/" + g.ID,
		Warnings: guide.Lint(g)}
}

func (s *Server) listGuides(c *gin.Context) {
	own, err := s.guides.List(c.Request.Context(), tenant(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	list := GuideList{Guides: make([]GuideInfo, 0, len(s.builtins)+len(own))}
	for _, g := range s.builtins {
		list.Guides = append(list.Guides, guideInfo(g, true))
	}
	for _, g := range own {
		list.Guides = append(list.Guides, guideInfo(g, false))
	}
	slices.SortFunc(list.Guides, func(a, b GuideInfo) int { return strings.Compare(a.ID, b.ID) })
	writeJSON(c, http.StatusOK, list)
}

// createGuide stores a new guide under its own id (from the guide, or a
// slug of its title). The same guide posted again keeps its id; a
// different guide whose id is taken gets a numbered one (id-2, id-3...).
func (s *Server) createGuide(c *gin.Context) {
	g, err := parseGuideBody(c)
	if err == nil {
		err = checkGuideID(g.ID)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx, t := c.Request.Context(), tenant(c)
	base := g.ID
	for n := 1; ; n++ {
		if n > 1 {
			g.ID = fmt.Sprintf("%s-%d", base, n)
		}
		if n > 100 {
			s.fail(c, errorf(http.StatusConflict, "guide_id_taken", "guide ids %s to %s are taken; PUT /v1/guides/{id} to choose one", base, g.ID))
			return
		}
		have, err := s.lookupGuide(ctx, t, g.ID)
		if err == nil {
			if have.Version == g.Version {
				break // the same guide again
			}
			continue
		}
		if !errors.Is(err, analyzer.ErrUnknownGuide) {
			s.fail(c, err)
			return
		}
		added, err := s.guides.Add(ctx, t, g)
		if err != nil {
			s.fail(c, err)
			return
		}
		if added {
			break
		}
	}
	c.Header("Location", "/v1/guides/"+g.ID)
	writeJSON(c, http.StatusCreated, guideCreated(g))
}

// checkGuideID validates a guide id from the path.
func checkGuideID(id string) error {
	if !plainID(id, 128) {
		return fieldError("id", "a guide id is 1..128 characters of a-z A-Z 0-9 . _ -")
	}
	return nil
}

func (s *Server) getGuide(c *gin.Context) {
	id := c.Param("id")
	g, err := s.lookupGuide(c.Request.Context(), tenant(c), id)
	if err != nil {
		if errors.Is(err, analyzer.ErrUnknownGuide) {
			err = &apiError{status: http.StatusNotFound, code: CodeGuideNotFound, detail: fmt.Sprintf("no guide %q", id), err: err}
		}
		s.fail(c, err)
		return
	}
	if c.Query("format") == "yaml" || strings.Contains(c.GetHeader("Accept"), "yaml") {
		out, err := yaml.Marshal(g)
		if err != nil {
			s.fail(c, err)
			return
		}
		c.Data(http.StatusOK, "application/yaml; charset=utf-8", out)
		return
	}
	writeJSON(c, http.StatusOK, g)
}

// putGuide creates or replaces the tenant's guide id (the body's own id is
// ignored). Built-in guides are read-only.
func (s *Server) putGuide(c *gin.Context) {
	id := c.Param("id")
	if err := checkGuideID(id); err != nil {
		s.fail(c, err)
		return
	}
	if _, ok := s.builtins[id]; ok {
		s.fail(c, errorf(http.StatusForbidden, CodeForbidden, "guide %q is built in and read-only; POST a copy instead", id))
		return
	}
	g, err := parseGuideBody(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	g.ID = id
	replaced, err := s.guides.Put(c.Request.Context(), tenant(c), g)
	if err != nil {
		s.fail(c, err)
		return
	}
	status := http.StatusCreated
	if replaced {
		status = http.StatusOK
	}
	c.Header("Location", "/v1/guides/"+g.ID)
	writeJSON(c, status, guideCreated(g))
}

func (s *Server) deleteGuide(c *gin.Context) {
	id := c.Param("id")
	if _, ok := s.builtins[id]; ok {
		s.fail(c, errorf(http.StatusForbidden, CodeForbidden, "guide %q is built in and cannot be deleted", id))
		return
	}
	if err := s.guides.Delete(c.Request.Context(), tenant(c), id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			err = &apiError{status: http.StatusNotFound, code: CodeGuideNotFound, detail: fmt.Sprintf("no guide %q", id), err: err}
		}
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
