package store

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/candorhq/candor/analyzer"
)

// A report is a hash: its JSON as stored ("json", served as it is), the
// fields List filters on, and the analysis keys Delete removes. A sorted
// set per tenant indexes report ids by created-at (ms).

func reportFields(rep *analyzer.Report, raw []byte, analyses []string, job string) map[string]any {
	summary, _ := json.Marshal(rep.Summary)
	guide, _ := json.Marshal(rep.Guide)
	meta, _ := json.Marshal(metaOf(rep))
	return map[string]any{
		"meta":      meta,
		"json":      raw,
		"guide":     guide,
		"candidate": rep.Candidate,
		"created":   rep.CreatedAt.UnixMilli(),
		"summary":   summary,
		"analyses":  strings.Join(analyses, ","),
		"job":       job,
	}
}

// Create implements Reports.
func (r *Redis) Create(ctx context.Context, rep *analyzer.Report, analyses []string) error {
	raw, err := prepareReport(rep, analyses, r.opts.Now())
	if err != nil {
		return err
	}
	rk, ik := r.k.report(rep.Tenant, rep.ID), r.k.reportIndex(rep.Tenant)
	_, err = r.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Del(ctx, rk)
		p.HSet(ctx, rk, reportFields(rep, raw, analyses, ""))
		p.ZAdd(ctx, ik, redis.Z{Score: float64(rep.CreatedAt.UnixMilli()), Member: rep.ID})
		if ret := r.opts.Retention; ret > 0 {
			p.PExpire(ctx, rk, ret)
			p.PExpire(ctx, ik, ret)
		}
		return nil
	})
	return r.wrap("create report", err)
}

// Get implements Reports.
func (r *Redis) Get(ctx context.Context, tenant, id string) (*analyzer.Report, error) {
	raw, err := r.GetJSON(ctx, tenant, id)
	if err != nil {
		return nil, err
	}
	return decodeReport(raw, tenant, id)
}

// GetJSON implements Reports.
func (r *Redis) GetJSON(ctx context.Context, tenant, id string) ([]byte, error) {
	raw, err := r.c.HGet(ctx, r.k.report(tenant, id), "json").Bytes()
	if err != nil {
		return nil, r.wrap("get report "+id, err)
	}
	return raw, nil
}

// List implements Reports. It walks the created-at index newest first in
// batches, reading only the small filter fields of each report.
func (r *Redis) List(ctx context.Context, tenant string, f ReportFilter) (ReportPage, error) {
	cur, err := parseCursor(f.Cursor)
	if err != nil {
		return ReportPage{}, err
	}
	limit := pageLimit(f.Limit)
	ik := r.k.reportIndex(tenant)
	// Ids whose report has expired stay in the index until a List meets
	// them (infos drops them), or until the whole index expires.
	rng := redis.ZRangeBy{Min: "-inf", Max: "+inf", Count: int64(limit) + 1}
	if !f.From.IsZero() {
		rng.Min = strconv.FormatInt(f.From.UnixMilli(), 10)
	}
	if !f.To.IsZero() {
		rng.Max = "(" + strconv.FormatInt(f.To.UnixMilli(), 10)
	}
	if cur != nil && (f.To.IsZero() || cur.ms < f.To.UnixMilli()) {
		rng.Max = strconv.FormatInt(cur.ms, 10)
	}
	var page ReportPage
	for {
		zs, err := r.c.ZRevRangeByScoreWithScores(ctx, ik, &rng).Result()
		if err != nil {
			return ReportPage{}, r.wrap("list reports", err)
		}
		if len(zs) == 0 {
			return page, nil
		}
		rng.Offset += int64(len(zs))
		ids := make([]string, 0, len(zs))
		for _, z := range zs {
			id := z.Member.(string)
			if cur == nil || cur.after(int64(z.Score), id) {
				ids = append(ids, id)
			}
		}
		infos, err := r.infos(ctx, tenant, ids)
		if err != nil {
			return ReportPage{}, err
		}
		for _, ri := range infos {
			if !f.matches(ri) {
				continue
			}
			if len(page.Reports) == limit {
				last := page.Reports[limit-1]
				page.Next = cursor{ms: last.CreatedAt.UnixMilli(), id: last.ID}.String()
				return page, nil
			}
			page.Reports = append(page.Reports, ri)
		}
	}
}

// infos reads the list fields of ids in one round trip, dropping (and
// unindexing) reports that are gone.
func (r *Redis) infos(ctx context.Context, tenant string, ids []string) ([]ReportInfo, error) {
	cmds := make([]*redis.SliceCmd, len(ids))
	_, err := r.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			cmds[i] = p.HMGet(ctx, r.k.report(tenant, id), "guide", "candidate", "created", "summary", "meta")
		}
		return nil
	})
	if err != nil {
		return nil, r.wrap("list reports", err)
	}
	out := make([]ReportInfo, 0, len(ids))
	var gone []any
	for i, cmd := range cmds {
		v := cmd.Val()
		if len(v) != 5 || v[2] == nil {
			gone = append(gone, ids[i])
			continue
		}
		ri := ReportInfo{ID: ids[i]}
		s := func(x any) string { str, _ := x.(string); return str }
		_ = json.Unmarshal([]byte(s(v[0])), &ri.Guide)
		ri.Candidate = s(v[1])
		ms, _ := strconv.ParseInt(s(v[2]), 10, 64)
		ri.CreatedAt = time.UnixMilli(ms).UTC()
		_ = json.Unmarshal([]byte(s(v[3])), &ri.Summary)
		if m := s(v[4]); m != "" {
			// Reports stored before the field have none.
			_ = json.Unmarshal([]byte(m), &ri.ReportMeta)
		}
		out = append(out, ri)
	}
	if len(gone) > 0 {
		_ = r.c.ZRem(ctx, r.k.reportIndex(tenant), gone...).Err()
	}
	return out, nil
}

// Delete implements Reports.
func (r *Redis) Delete(ctx context.Context, tenant, id string) error {
	rk, ik := r.k.report(tenant, id), r.k.reportIndex(tenant)
	joined, err := r.c.HGet(ctx, rk, "analyses").Result()
	if err != nil {
		if err == redis.Nil {
			_ = r.c.ZRem(ctx, ik, id).Err()
		}
		return r.wrap("delete report "+id, err)
	}
	dels := []string{rk}
	for _, a := range strings.Split(joined, ",") {
		if a != "" {
			dels = append(dels, r.k.analysis(tenant, a))
		}
	}
	_, err = r.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Del(ctx, dels...)
		p.ZRem(ctx, ik, id)
		return nil
	})
	return r.wrap("delete report "+id, err)
}
