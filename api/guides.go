package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"
	"go.yaml.in/yaml/v3"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/guide"
	"github.com/candorhq/candor/store"
)

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
	own, err := s.guides.ListGuides(c.Request.Context(), tenant(c))
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
		// Asked of the store, not of this process's copies: a guide
		// deleted through another replica a moment ago is gone.
		have, err := s.guideVersion(ctx, t, g.ID)
		if err == nil {
			if have == g.Version {
				break // the same guide again
			}
			continue
		}
		if !errors.Is(err, store.ErrNotFound) {
			s.fail(c, err)
			return
		}
		added, err := s.guides.AddGuide(ctx, t, g)
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

// guideVersion returns the version of a built-in guide or of the tenant's
// guide id as the store has it now; ErrNotFound when there is none.
func (s *Server) guideVersion(ctx context.Context, tenant, id string) (string, error) {
	if g, ok := s.builtins[id]; ok {
		return g.Version, nil
	}
	return s.guides.GuideVersion(ctx, tenant, id)
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
	g, err := s.lookupGuide(c, id)
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
	replaced, err := s.guides.PutGuide(c.Request.Context(), tenant(c), g)
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
	if err := s.guides.DeleteGuide(c.Request.Context(), tenant(c), id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			err = &apiError{status: http.StatusNotFound, code: CodeGuideNotFound, detail: fmt.Sprintf("no guide %q", id), err: err}
		}
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
