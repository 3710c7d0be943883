package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/slate"
	"github.com/candorhq/candor/store"
)

// Slate limits: a slate is a shortlist, not a batch.
const (
	maxSlateReports = store.MaxSlateReports
	maxSlateName    = 200
)

// SlateRequest is the body of POST /v1/slates.
type SlateRequest struct {
	Name      string   `json:"name"`
	ReportIDs []string `json:"report_ids"`
}

// SlateView is GET /v1/slates/{id} (and the 201 of POST): the slate and
// its comparison.
type SlateView struct {
	store.Slate
	URL    string        `json:"url"`
	Matrix *slate.Matrix `json:"matrix"`
}

// loadSlate returns tenant's slate id with its reports laid out against
// the guide: the API's GET and the web page share it.
func (s *Server) loadSlate(c *gin.Context, id string) (*SlateView, error) {
	ctx, t := c.Request.Context(), tenant(c)
	sl, err := store.GetSlate(ctx, s.store, t, id)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, &apiError{status: http.StatusNotFound, code: CodeNotFound, detail: fmt.Sprintf("no slate %q", id), err: err}
		}
		return nil, err
	}
	g, reps, err := s.slateReports(c, sl.ReportIDs, true)
	if errors.Is(err, errSlateEmpty) {
		// Every report left (deleted): the slate stays, for its role's
		// next report, and compares no one.
		g, err = s.lookupGuide(c, sl.Guide.ID)
		if err != nil {
			return nil, fieldError("guide", "the slate's guide %q is gone: %v", sl.Guide.ID, err)
		}
	}
	if err != nil {
		return nil, err
	}
	return &SlateView{Slate: *sl, URL: "/v1/slates/" + sl.ID, Matrix: slate.Build(g, reps)}, nil
}

// errSlateEmpty: none of a slate's reports exists any more.
var errSlateEmpty = fieldError("report_ids", "none of the slate's reports exists any more")

// slateReports reads the reports and their guide. On creation every report
// must exist and share one guide; on reading, reports deleted since are
// left out.
func (s *Server) slateReports(c *gin.Context, ids []string, skipGone bool) (*analyzer.Guide, []*analyzer.Report, error) {
	ctx, t := c.Request.Context(), tenant(c)
	var reps []*analyzer.Report
	for i, id := range ids {
		raw, err := s.store.GetJSON(ctx, t, id)
		if errors.Is(err, store.ErrNotFound) && skipGone {
			continue
		}
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil, fieldError(fmt.Sprintf("report_ids[%d]", i), "no report %q", id)
		}
		if err != nil {
			return nil, nil, err
		}
		var r analyzer.Report
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, nil, fmt.Errorf("decode report %s: %w", id, err)
		}
		if len(reps) > 0 && r.Guide.ID != reps[0].Guide.ID {
			return nil, nil, fieldError(fmt.Sprintf("report_ids[%d]", i), "report %q is on guide %q, not %q: a slate compares reports of one guide",
				id, r.Guide.ID, reps[0].Guide.ID)
		}
		reps = append(reps, &r)
	}
	if len(reps) == 0 {
		return nil, nil, errSlateEmpty
	}
	g, err := s.lookupGuide(c, reps[0].Guide.ID)
	if err != nil {
		return nil, nil, fieldError("report_ids", "the reports' guide %q is gone: %v", reps[0].Guide.ID, err)
	}
	return g, reps, nil
}

func (s *Server) createSlate(c *gin.Context) {
	var req SlateRequest
	body, err := readBody(c)
	if err == nil {
		dec := json.NewDecoder(strings.NewReader(string(body)))
		dec.DisallowUnknownFields()
		if e := dec.Decode(&req); e != nil {
			err = fieldError("body", "want JSON {\"name\", \"report_ids\"}: %v", e)
		}
	}
	if err == nil {
		req.Name = strings.TrimSpace(req.Name)
		switch {
		case req.Name == "" || len([]rune(req.Name)) > maxSlateName:
			err = fieldError("name", "a slate's name is 1..%d characters", maxSlateName)
		case len(req.ReportIDs) == 0 || len(req.ReportIDs) > maxSlateReports:
			err = fieldError("report_ids", "a slate holds 1..%d reports", maxSlateReports)
		}
	}
	var g *analyzer.Guide
	if err == nil {
		seen := map[string]bool{}
		for i, id := range req.ReportIDs {
			if seen[id] {
				err = fieldError(fmt.Sprintf("report_ids[%d]", i), "report %q twice", id)
				break
			}
			seen[id] = true
		}
	}
	if err == nil {
		g, _, err = s.slateReports(c, req.ReportIDs, false)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	sl := &store.Slate{Name: req.Name, Guide: analyzer.GuideRef{ID: g.ID, Title: g.Title, Version: g.Version}, ReportIDs: req.ReportIDs}
	if err := store.CreateSlate(c.Request.Context(), s.store, tenant(c), sl); err != nil {
		if errors.Is(err, store.ErrSlateExists) {
			err = &apiError{status: http.StatusConflict, code: CodeSlateExists, field: "name", err: err,
				detail: fmt.Sprintf("a slate named %q exists (%s); names are compared without case: choose another name", req.Name, store.SlateID(tenant(c), req.Name))}
		}
		s.fail(c, err)
		return
	}
	v, err := s.loadSlate(c, sl.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", v.URL)
	writeJSON(c, http.StatusCreated, v)
}

func (s *Server) listSlates(c *gin.Context) { s.listResults(c, store.KindSlate) }

// getSlate is the comparison as JSON, or ?format=csv / md as a download.
func (s *Server) getSlate(c *gin.Context) {
	v, err := s.loadSlate(c, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	switch f := c.Query("format"); f {
	case "", "json":
		writeJSON(c, http.StatusOK, v)
	case "csv":
		c.Header("Content-Disposition", `attachment; filename="slate-`+v.ID+`.csv"`)
		c.Data(http.StatusOK, "text/csv; charset=utf-8", v.Matrix.CSV())
	case "md", "markdown":
		c.Header("Content-Disposition", `attachment; filename="slate-`+v.ID+`.md"`)
		c.Data(http.StatusOK, "text/markdown; charset=utf-8", v.Matrix.Markdown())
	default:
		s.fail(c, fieldError("format", "format is json, csv or md, not %q", f))
	}
}

func (s *Server) deleteSlate(c *gin.Context) {
	id := c.Param("id")
	if err := store.DeleteSlate(c.Request.Context(), s.store, tenant(c), id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			err = &apiError{status: http.StatusNotFound, code: CodeNotFound, detail: fmt.Sprintf("no slate %q", id), err: err}
		}
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
