package store

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/candorhq/candor/analyzer"
)

// Helpers shared by both Reports implementations, so that they agree on
// ordering, filtering and cursors.

const (
	defaultLimit = 50
	maxLimit     = 500
)

func pageLimit(n int) int {
	switch {
	case n <= 0:
		return defaultLimit
	case n > maxLimit:
		return maxLimit
	}
	return n
}

// prepareReport checks rep, stamps CreatedAt and encodes it.
func prepareReport(rep *analyzer.Report, analyses []string, now time.Time) ([]byte, error) {
	if rep == nil || rep.ID == "" {
		return nil, fmt.Errorf("create report: %w: the report has no id", ErrInvalid)
	}
	for _, a := range analyses {
		if _, err := hex.DecodeString(a); err != nil || len(a) != 64 {
			return nil, fmt.Errorf("create report: %w: analysis key %q is not a sha256 hex digest", ErrInvalid, a)
		}
	}
	if rep.CreatedAt == nil {
		// Millisecond precision: what the Redis index holds.
		t := now.UTC().Truncate(time.Millisecond)
		rep.CreatedAt = &t
	}
	raw, err := json.Marshal(rep)
	if err != nil {
		return nil, fmt.Errorf("encode report: %w", err)
	}
	return raw, nil
}

func infoOf(rep *analyzer.Report) ReportInfo {
	ri := ReportInfo{ID: rep.ID, Guide: rep.Guide, Candidate: rep.Candidate, Summary: rep.Summary, ReportMeta: metaOf(rep)}
	if rep.CreatedAt != nil {
		ri.CreatedAt = rep.CreatedAt.UTC()
	}
	return ri
}

func metaOf(rep *analyzer.Report) ReportMeta {
	m := ReportMeta{Role: rep.Role, InterviewDate: rep.InterviewDate, Interviewers: rep.Interviewers}
	if rep.Source != nil {
		m.Source = rep.Source.File
	}
	return m
}

// matches reports whether ri passes f's filters other than the creation
// time range (which the index scan applies).
func (f ReportFilter) matches(ri ReportInfo) bool {
	has := func(s, sub string) bool { return strings.Contains(strings.ToLower(s), strings.ToLower(sub)) }
	switch {
	case f.GuideID != "" && ri.Guide.ID != f.GuideID,
		f.Candidate != "" && !has(ri.Candidate, f.Candidate),
		f.Role != "" && !has(ri.Role, f.Role),
		f.Interviewer != "" && !has(strings.Join(ri.Interviewers, "\x00"), f.Interviewer),
		f.InterviewedFrom != "" && (ri.InterviewDate == "" || ri.InterviewDate < f.InterviewedFrom),
		f.InterviewedTo != "" && (ri.InterviewDate == "" || ri.InterviewDate > f.InterviewedTo):
		return false
	}
	return true
}

// cursor is a position in the newest-first order: the last report shown.
// Ties on created-at are broken by id, descending, as ZREVRANGEBYSCORE does.
type cursor struct {
	ms int64
	id string
}

func (c cursor) String() string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(c.ms, 10) + ":" + c.id))
}

// after reports whether (ms, id) comes after c in the order.
func (c cursor) after(ms int64, id string) bool {
	return ms < c.ms || ms == c.ms && id < c.id
}

func parseCursor(s string) (*cursor, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		ms, id, ok := strings.Cut(string(b), ":")
		if n, err := strconv.ParseInt(ms, 10, 64); ok && err == nil && id != "" {
			return &cursor{ms: n, id: id}, nil
		}
	}
	return nil, fmt.Errorf("list reports: %w: bad cursor", ErrInvalid)
}

// decodeReport decodes a stored report and marks its tenant, for both
// stores' Get.
func decodeReport(raw []byte, tenant, id string) (*analyzer.Report, error) {
	var rep analyzer.Report
	if err := json.Unmarshal(raw, &rep); err != nil {
		return nil, fmt.Errorf("get report %s: decode: %w", id, err)
	}
	rep.Tenant = tenant
	return &rep, nil
}
