package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/candorhq/candor/analyzer"
)

// KindSlate is the result kind slates are kept under: a slate is a small
// JSON document per tenant, so it lives in Results, with their retention
// and purge, in Redis and in the memory twin alike.
const KindSlate = "slate"

// Slate is a named set of reports on one guide, compared side by side.
type Slate struct {
	ID        string            `json:"id"`
	Name      string            `json:"name"`
	Guide     analyzer.GuideRef `json:"guide"`
	ReportIDs []string          `json:"report_ids"`
	CreatedAt time.Time         `json:"created_at"`
}

// PutSlate stores s for tenant (replacing a slate with its id), setting
// CreatedAt when zero.
func PutSlate(ctx context.Context, r Results, tenant string, s *Slate) error {
	info := ResultInfo{ID: s.ID, Kind: KindSlate, Set: s.Name, Guide: s.Guide, Answers: len(s.ReportIDs), CreatedAt: s.CreatedAt}
	if err := prepareResult(&info, time.Now()); err != nil {
		return err
	}
	s.CreatedAt = info.CreatedAt
	raw, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return r.PutResult(ctx, tenant, info, raw)
}

// GetSlate returns tenant's slate id, or ErrNotFound.
func GetSlate(ctx context.Context, r Results, tenant, id string) (*Slate, error) {
	raw, err := r.GetResult(ctx, tenant, KindSlate, id)
	if err != nil {
		return nil, err
	}
	var s Slate
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("decode slate %s: %w", id, err)
	}
	return &s, nil
}

// ListSlates lists tenant's slates, newest first (ResultInfo.Set is the
// slate's name, Answers its number of reports).
func ListSlates(ctx context.Context, r Results, tenant string, limit int, cursor string) (ResultPage, error) {
	return r.ListResults(ctx, tenant, KindSlate, limit, cursor)
}

// DeleteSlate removes a slate (not its reports), or returns ErrNotFound.
func DeleteSlate(ctx context.Context, r Results, tenant, id string) error {
	return r.DeleteResult(ctx, tenant, KindSlate, id)
}
