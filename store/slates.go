package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
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

// MaxSlateReports bounds a slate: it is a shortlist, not a batch.
const MaxSlateReports = 50

// Joining a slate fails with these (wrapped with the slate and the reason)
// when the report cannot join: the API answers 409.
var (
	// ErrSlateGuide: the slate compares reports of another guide.
	ErrSlateGuide = errors.New("the slate is on another guide")
	// ErrSlateFull: the slate holds MaxSlateReports reports.
	ErrSlateFull = errors.New("the slate is full")
	// ErrSlateExists: a slate of that name exists (CreateSlate).
	ErrSlateExists = errors.New("a slate of that name exists")
)

// SlateName is the form of a slate's name (or a report's role) that
// identifies it within a tenant: case folded, surrounding space trimmed and
// every run of space made one.
func SlateName(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// SlateID is the id of tenant's slate named name: a slate's id follows from
// its name (SlateName), so that a tenant has one slate of a name and a
// report's role finds it. The tenant is part of the hash, so two tenants'
// slates of one name have unrelated ids.
func SlateID(tenant, name string) string {
	h := sha256.New()
	h.Write([]byte("slate\x00"))
	h.Write([]byte(tenant))
	h.Write([]byte{0})
	h.Write([]byte(SlateName(name)))
	return "sl_" + hex.EncodeToString(h.Sum(nil)[:8])
}

func slateInfo(s *Slate) ResultInfo {
	return ResultInfo{ID: s.ID, Kind: KindSlate, Set: s.Name, Guide: s.Guide, Answers: len(s.ReportIDs), CreatedAt: s.CreatedAt}
}

func decodeSlate(id string, raw []byte) (*Slate, error) {
	var s Slate
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("decode slate %s: %w", id, err)
	}
	return &s, nil
}

// CreateSlate stores a new slate for tenant, its id set from its name
// (SlateID), unless one of that name exists (ErrSlateExists).
func CreateSlate(ctx context.Context, r Results, tenant string, s *Slate) error {
	s.ID = SlateID(tenant, s.Name)
	return r.UpdateResult(ctx, tenant, KindSlate, s.ID, func(raw []byte, now time.Time) ([]byte, ResultInfo, error) {
		if raw != nil {
			return nil, ResultInfo{}, fmt.Errorf("slate %q: %w", s.Name, ErrSlateExists)
		}
		return marshalSlate(s, now)
	})
}

func marshalSlate(s *Slate, now time.Time) ([]byte, ResultInfo, error) {
	if s.CreatedAt.IsZero() {
		s.CreatedAt = now
	}
	s.CreatedAt = s.CreatedAt.UTC().Truncate(time.Millisecond)
	raw, err := json.Marshal(s)
	return raw, slateInfo(s), err
}

// FindSlate returns the slate a report given role joins: tenant's slate
// whose id is role, else the one named role. It returns ErrNotFound when
// there is none (JoinSlate would make it).
func FindSlate(ctx context.Context, r Results, tenant, role string) (*Slate, error) {
	if strings.HasPrefix(role, "sl_") {
		if s, err := GetSlate(ctx, r, tenant, role); !errors.Is(err, ErrNotFound) {
			return s, err
		}
	}
	return GetSlate(ctx, r, tenant, SlateID(tenant, role))
}

// CanJoin says why a report on guide g cannot join s (an error wrapping
// ErrSlateGuide or ErrSlateFull), or nil.
func CanJoin(s *Slate, g analyzer.GuideRef, reportID string) error {
	switch {
	case s.Guide.ID != g.ID:
		return fmt.Errorf("slate %q compares reports of guide %q, not %q: %w", s.Name, s.Guide.ID, g.ID, ErrSlateGuide)
	case slices.Contains(s.ReportIDs, reportID):
		return nil
	case len(s.ReportIDs) >= MaxSlateReports:
		return fmt.Errorf("slate %q holds %d reports, the most a slate holds: %w", s.Name, len(s.ReportIDs), ErrSlateFull)
	}
	return nil
}

// JoinSlate adds reportID, a report on guide g, to the slate a report given
// role joins (FindSlate), making the slate, named role and on g, when there
// is none. It returns the slate after the join; joining again changes
// nothing. A slate on another guide, or full, refuses (CanJoin's errors).
func JoinSlate(ctx context.Context, r Results, tenant, role string, g analyzer.GuideRef, reportID string) (*Slate, error) {
	id := SlateID(tenant, role)
	if strings.HasPrefix(role, "sl_") {
		if _, err := GetSlate(ctx, r, tenant, role); err == nil {
			id = role
		} else if !errors.Is(err, ErrNotFound) {
			return nil, err
		}
	}
	var out *Slate
	err := r.UpdateResult(ctx, tenant, KindSlate, id, func(raw []byte, now time.Time) ([]byte, ResultInfo, error) {
		if raw == nil {
			// Made on first use (or made again after a delete).
			out = &Slate{ID: id, Name: strings.Join(strings.Fields(role), " "), Guide: g, ReportIDs: []string{reportID}}
			return marshalSlate(out, now)
		}
		s, err := decodeSlate(id, raw)
		if err != nil {
			return nil, ResultInfo{}, err
		}
		out = s
		if err := CanJoin(s, g, reportID); err != nil {
			return nil, ResultInfo{}, err
		}
		if slices.Contains(s.ReportIDs, reportID) {
			return nil, ResultInfo{}, nil
		}
		s.ReportIDs = append(s.ReportIDs, reportID)
		return marshalSlate(s, now)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// LeaveSlates removes reportID from every slate of tenant's that holds it
// (a deleted report leaves its slates) and returns how many it left. It
// reads each of tenant's slates: a tenant has a slate per role or
// shortlist, not per report.
func LeaveSlates(ctx context.Context, r Results, tenant, reportID string) (int, error) {
	left, cursor := 0, ""
	for {
		page, err := r.ListResults(ctx, tenant, KindSlate, 500, cursor)
		if err != nil {
			return left, err
		}
		for _, info := range page.Results {
			raw, err := r.GetResult(ctx, tenant, KindSlate, info.ID)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return left, err
			}
			if !bytes.Contains(raw, []byte(strconv.Quote(reportID))) {
				continue
			}
			err = r.UpdateResult(ctx, tenant, KindSlate, info.ID, func(raw []byte, now time.Time) ([]byte, ResultInfo, error) {
				if raw == nil {
					return nil, ResultInfo{}, nil
				}
				s, err := decodeSlate(info.ID, raw)
				if err != nil {
					return nil, ResultInfo{}, err
				}
				i := slices.Index(s.ReportIDs, reportID)
				if i < 0 {
					return nil, ResultInfo{}, nil
				}
				s.ReportIDs = slices.Delete(s.ReportIDs, i, i+1)
				return marshalSlate(s, now)
			})
			if err != nil {
				return left, err
			}
			left++
		}
		if page.Next == "" {
			return left, nil
		}
		cursor = page.Next
	}
}
