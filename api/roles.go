package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/store"
)

// Role slates: an analysis given a role (the report field "role or
// requisition") joins the tenant's slate for that role, so that the
// candidates interviewed for one role line up without anyone picking
// reports. The slate is the tenant's slate whose id is the role, else the
// one named as the role (names compare case-folded, spaces collapsed); when
// there is none, the first report of the role makes it, named as the role
// and on the report's guide. A slate compares one guide's reports: an
// analysis whose role's slate is on another guide, or holds the most
// reports a slate holds, is refused with 409 before it runs (and, if the
// slate changed while it ran, before its report is stored). Reports made
// with an inline guide join nothing: a slate reads its guide by id.

// checkRole refuses, before any work, an analysis whose role's slate
// cannot take its report. A store that cannot be read does not stop the
// analysis: the join after it says what happened.
func (s *Server) checkRole(ctx context.Context, tenant string, a *analysis) error {
	if store.SlateName(a.Role) == "" || a.InlineGuide {
		return nil
	}
	sl, err := store.FindSlate(ctx, s.store, tenant, a.Role)
	if err != nil {
		return nil
	}
	return slateRefusal(store.CanJoin(sl, analyzer.GuideRef{ID: a.Guide.ID}, ""), a.Role)
}

// joinRole adds rep to the slate of a's role and sets rep.SlateID. A
// refusal comes back as a 409 apiError; a store error as it is, for the
// caller to weigh (a sync analysis goes on with a warning, a job retries).
func (s *Server) joinRole(ctx context.Context, tenant string, a *analysis, rep *analyzer.Report) error {
	if store.SlateName(a.Role) == "" {
		return nil
	}
	if a.InlineGuide {
		rep.Warnings = append(rep.Warnings, analyzer.Warning{Code: analyzer.WarnSlateNotJoined,
			Message: "the report joined no slate for its role: a slate reads its guide by id, and this guide was given inline " +
				"(store it with POST /v1/guides and analyze with its guide_id)"})
		return nil
	}
	sl, err := store.JoinSlate(ctx, s.store, tenant, a.Role, rep.Guide, rep.ID)
	if err != nil {
		if r := slateRefusal(err, a.Role); r != nil {
			return r
		}
		return err
	}
	rep.SlateID = sl.ID
	return nil
}

// slateRefusal is the 409 for a report its role's slate cannot take, or
// nil when err is not such a refusal.
func slateRefusal(err error, role string) error {
	switch {
	case errors.Is(err, store.ErrSlateGuide):
		return &apiError{status: http.StatusConflict, code: CodeSlateGuide, field: "role", err: err,
			detail: fmt.Sprintf("role %q: %v; a slate compares the reports of one guide: give another role, or the slate's guide", role, err)}
	case errors.Is(err, store.ErrSlateFull):
		return &apiError{status: http.StatusConflict, code: CodeSlateFull, field: "role", err: err,
			detail: fmt.Sprintf("role %q: %v; delete reports from it or give another role", role, err)}
	}
	return nil
}

// slateNotJoined is the warning of a report whose role's slate could not be
// written (the store failed).
func slateNotJoined(role string) analyzer.Warning {
	return analyzer.Warning{Code: analyzer.WarnSlateNotJoined,
		Message: fmt.Sprintf("the report could not be added to the slate of role %q (storage unavailable)", role)}
}
