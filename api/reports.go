package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/render"
	"github.com/candorhq/candor/store"
)

// Representations of reports, evaluations and audits.
const (
	formatJSON     = "json"
	formatMarkdown = "markdown"
	formatCSV      = "csv"
	formatHTML     = "html"
)

// representation is one way a resource is served: the ?format= values
// and the Accept media types that ask for it (the first of each is the
// one error messages name).
type representation struct {
	format string
	names  []string
	types  []string
}

var (
	asJSON     = representation{formatJSON, []string{"json"}, []string{"application/json", "application/*", "*/*"}}
	asMarkdown = representation{formatMarkdown, []string{"md", "markdown"}, []string{"text/markdown", "text/x-markdown", "text/*"}}
	asCSV      = representation{formatCSV, []string{"csv"}, []string{"text/csv"}}
	asHTML     = representation{formatHTML, []string{"html"}, []string{"text/html"}}

	reportRepresentations = []representation{asJSON, asMarkdown, asCSV}
	resultRepresentations = []representation{asJSON, asMarkdown, asHTML}
)

// negotiate picks the representation of what (a report, an evaluation or
// audit) among reps: ?format= wins, then the first acceptable part of
// Accept; JSON without either.
func negotiate(c *gin.Context, what string, reps []representation) (string, error) {
	var f string
	if c.Request.URL.RawQuery != "" {
		// (c.Query parses the query into a map: not for nothing.)
		f = strings.ToLower(c.Query("format"))
	}
	if f != "" {
		for _, r := range reps {
			if slices.Contains(r.names, f) {
				return r.format, nil
			}
		}
		return "", fieldError("format", "format must be %s, not %q", orList(reps, func(r representation) string { return r.names[0] }), f)
	}
	accept := c.GetHeader("Accept")
	if accept == "" {
		return formatJSON, nil
	}
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil || params["q"] == "0" {
			continue
		}
		for _, r := range reps {
			if slices.Contains(r.types, mt) {
				return r.format, nil
			}
		}
	}
	var names []string
	for _, r := range reps {
		names = append(names, r.names[0])
	}
	return "", errorf(http.StatusNotAcceptable, CodeNotAcceptable, "%s is served as %s (or ?format=%s)",
		what, orList(reps, func(r representation) string { return r.types[0] }), strings.Join(names, "|"))
}

// orList is "a, b or c" of f of each of reps.
func orList(reps []representation, f func(representation) string) string {
	var out []string
	for _, r := range reps {
		out = append(out, f(r))
	}
	if len(out) < 2 {
		return strings.Join(out, "")
	}
	return strings.Join(out[:len(out)-1], ", ") + " or " + out[len(out)-1]
}

// reportFormat picks a report's representation.
func reportFormat(c *gin.Context) (string, error) {
	return negotiate(c, "a report", reportRepresentations)
}

// writeReport answers a report in the representation asked for. raw, when
// given, is the report's stored JSON, served as it is.
func (s *Server) writeReport(c *gin.Context, status int, rep *analyzer.Report, raw []byte) {
	format, err := reportFormat(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if format == formatJSON {
		if raw == nil {
			if raw, err = json.Marshal(rep); err != nil {
				s.fail(c, err)
				return
			}
		}
		// A length lets net/http send the body in one write rather
		// than as chunks.
		c.Header("Content-Type", "application/json; charset=utf-8")
		c.Header("Content-Length", strconv.Itoa(len(raw)))
		c.Status(status)
		_, _ = c.Writer.Write(raw)
		return
	}
	if rep == nil {
		rep = new(analyzer.Report)
		if err := json.Unmarshal(raw, rep); err != nil {
			s.fail(c, fmt.Errorf("decode stored report: %w", err))
			return
		}
	}
	var buf bytes.Buffer
	ct := "text/markdown; charset=utf-8"
	if format == formatCSV {
		err, ct = render.CSV(&buf, rep), "text/csv; charset=utf-8"
	} else {
		err = render.Markdown(&buf, rep)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	// A file name people can tell apart: the candidate and the day.
	ext := "md"
	if format == formatCSV {
		ext = "csv"
	}
	c.Header("Content-Disposition", `inline; filename="`+render.FileName(rep, ext)+`"`)
	c.Data(status, ct, buf.Bytes())
}

func (s *Server) getReport(c *gin.Context) {
	id := c.Param("id")
	raw, err := s.store.GetJSON(c.Request.Context(), tenant(c), id)
	if err != nil {
		s.fail(c, reportErr(id, err))
		return
	}
	s.writeReport(c, http.StatusOK, nil, raw)
}

func reportErr(id string, err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return &apiError{status: http.StatusNotFound, code: CodeNotFound, detail: fmt.Sprintf("no report %q", id), err: err}
	}
	return err
}

func (s *Server) deleteReport(c *gin.Context) {
	id := c.Param("id")
	if s.resp != nil {
		// First, so that no response-cache entry outlives the report.
		if err := s.resp.st.ForgetResponses(c.Request.Context(), tenant(c), id); err != nil {
			s.fail(c, err)
			return
		}
	}
	if err := s.store.Delete(c.Request.Context(), tenant(c), id); err != nil {
		s.fail(c, reportErr(id, err))
		return
	}
	// The report leaves its slates. Should that fail, the slates still
	// leave it out when read (they skip reports that are gone).
	if _, err := store.LeaveSlates(c.Request.Context(), s.store, tenant(c), id); err != nil {
		s.log.Warn("deleted report not taken out of its slates", "request_id", c.GetString(ctxRequestID), "report_id", id, "error", err.Error())
	}
	c.Status(http.StatusNoContent)
}

// listReports is GET /v1/reports?guide=&candidate=&role=&interviewer=&interviewed_from=&interviewed_to=&from=&to=&date=&limit=&cursor=.
func (s *Server) listReports(c *gin.Context) {
	f := store.ReportFilter{GuideID: c.Query("guide"), Candidate: c.Query("candidate"), Cursor: c.Query("cursor"),
		Role: c.Query("role"), Interviewer: c.Query("interviewer"),
		InterviewedFrom: c.Query("interviewed_from"), InterviewedTo: c.Query("interviewed_to")}
	for field, v := range map[string]string{"interviewed_from": f.InterviewedFrom, "interviewed_to": f.InterviewedTo} {
		if v != "" && !isDay(v) {
			s.fail(c, fieldError(field, "%s must be a day as YYYY-MM-DD, not %q", field, v))
			return
		}
	}
	var err error
	if f.From, err = parseTime(c.Query("from"), "from"); err != nil {
		s.fail(c, err)
		return
	}
	if f.To, err = parseTime(c.Query("to"), "to"); err != nil {
		s.fail(c, err)
		return
	}
	if d := c.Query("date"); d != "" {
		day, err := time.Parse(time.DateOnly, d)
		if err != nil {
			s.fail(c, fieldError("date", "date must be YYYY-MM-DD, not %q", d))
			return
		}
		f.From, f.To = day, day.AddDate(0, 0, 1)
	}
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 500 {
			s.fail(c, fieldError("limit", "limit must be 1..500, not %q", l))
			return
		}
		f.Limit = n
	}
	page, err := s.store.List(c.Request.Context(), tenant(c), f)
	if err != nil {
		if errors.Is(err, store.ErrInvalid) {
			err = fieldError("cursor", "the cursor is not one this API gave out")
		}
		s.fail(c, err)
		return
	}
	out := ReportList{Reports: page.Reports, NextCursor: page.Next}
	if out.Reports == nil {
		out.Reports = []store.ReportInfo{}
	}
	writeJSON(c, http.StatusOK, out)
}

// parseTime reads an RFC 3339 time or a YYYY-MM-DD date (midnight UTC).
func parseTime(v, field string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, nil
	}
	return time.Time{}, fieldError(field, "%s must be an RFC 3339 time or YYYY-MM-DD, not %q", field, v)
}
