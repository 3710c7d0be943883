package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/candorhq/candor/analyzer"
)

// Results keeps the other things a job can make besides reports (an
// evaluation, an audit), per tenant, as JSON documents of a kind. Like
// reports they expire after Options.Retention and go with PurgeTenant.
type Results interface {
	// PutResult stores raw under info.Kind and info.ID for tenant,
	// setting info.CreatedAt when it is zero; storing an id again
	// replaces it. It returns ErrInvalid for a kind that is not a lower
	// case word or an empty id.
	PutResult(ctx context.Context, tenant string, info ResultInfo, raw []byte) error
	// GetResult returns the stored JSON. It returns ErrNotFound when
	// tenant has no result id of kind.
	GetResult(ctx context.Context, tenant, kind, id string) ([]byte, error)
	// ListResults returns tenant's results of kind, newest first, one
	// page at a time: limit as ReportFilter.Limit, cursor ResultPage.Next
	// of the previous page ("" for the first). It returns ErrInvalid for
	// a malformed cursor.
	ListResults(ctx context.Context, tenant, kind string, limit int, cursor string) (ResultPage, error)
	// DeleteResult removes a result. It returns ErrNotFound when tenant
	// has no result id of kind.
	DeleteResult(ctx context.Context, tenant, kind, id string) error
	// UpdateResult changes tenant's result id of kind in one step: fn
	// gets the stored JSON (nil when there is none) and returns the JSON
	// to store with its list entry (stored as PutResult does), or nil
	// JSON to leave the result as it is. No other write to the result
	// lands between fn's read and the write. fn may run more than once
	// (Redis runs it again when the result changed meanwhile) and must
	// not use the store; its error is returned as it is.
	UpdateResult(ctx context.Context, tenant, kind, id string, fn UpdateFunc) error
}

// UpdateFunc is what UpdateResult applies to a result's JSON.
// now is the store's clock, for a result made or changed.
type UpdateFunc func(raw []byte, now time.Time) ([]byte, ResultInfo, error)

// maxUpdateTries bounds UpdateResult's runs of fn against a result that
// keeps changing under it.
const maxUpdateTries = 50

// ResultInfo is what a list shows of a result.
type ResultInfo struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	// Set names the labelled set the result is about.
	Set   string            `json:"set"`
	Guide analyzer.GuideRef `json:"guide"`
	// Engines are the engines evaluated or audited ("llm (gpt-4o-mini)").
	Engines []string `json:"engines"`
	// Answers counts the answers (and transcript segments) of the set.
	Answers int `json:"answers"`
	// Headline is the result in a line ("coverage QWK 0.61, label
	// accuracy 0.72"; "2 groups under four-fifths").
	Headline  string    `json:"headline,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// ResultPage is one page of ListResults.
type ResultPage struct {
	Results []ResultInfo `json:"results"`
	// Next is the cursor of the following page; "" on the last page.
	Next string `json:"next,omitempty"`
}

// prepareResult checks info and stamps its creation time.
func prepareResult(info *ResultInfo, now time.Time) error {
	if info.ID == "" || strings.ContainsAny(info.ID, ":{}") {
		return fmt.Errorf("put result: %w: the result has no usable id", ErrInvalid)
	}
	if !validKind(info.Kind) {
		return fmt.Errorf("put result: %w: kind %q is not a lower case word", ErrInvalid, info.Kind)
	}
	if info.CreatedAt.IsZero() {
		info.CreatedAt = now
	}
	// Millisecond precision: what the Redis index holds.
	info.CreatedAt = info.CreatedAt.UTC().Truncate(time.Millisecond)
	if info.Engines == nil {
		info.Engines = []string{}
	}
	return nil
}

func validKind(k string) bool {
	if k == "" || len(k) > 32 {
		return false
	}
	for _, r := range k {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

// --- Redis: a result is a hash (json, info, created), indexed per tenant
// and kind by a sorted set of ids by created-at (ms).

func resultFields(info ResultInfo, raw []byte, job string) []any {
	meta, _ := json.Marshal(info)
	return []any{"json", raw, "info", meta, "created", info.CreatedAt.UnixMilli(), "job", job}
}

// PutResult implements Results.
func (r *Redis) PutResult(ctx context.Context, tenant string, info ResultInfo, raw []byte) error {
	if err := prepareResult(&info, r.opts.Now()); err != nil {
		return err
	}
	_, err := r.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		r.putResult(ctx, p, tenant, info, raw)
		return nil
	})
	return r.wrap("put result", err)
}

// putResult queues the writes that store a result (info prepared) on p.
func (r *Redis) putResult(ctx context.Context, p redis.Pipeliner, tenant string, info ResultInfo, raw []byte) {
	rk, ik := r.k.result(tenant, info.Kind, info.ID), r.k.resultIndex(tenant, info.Kind)
	p.Del(ctx, rk)
	p.HSet(ctx, rk, resultFields(info, raw, "")...)
	p.ZAdd(ctx, ik, redis.Z{Score: float64(info.CreatedAt.UnixMilli()), Member: info.ID})
	if ret := r.opts.Retention; ret > 0 {
		p.PExpire(ctx, rk, ret)
		p.PExpire(ctx, ik, ret)
	}
}

// UpdateResult implements Results: fn runs under WATCH of the result, and
// the write is a MULTI that fails, and is tried again, when the result
// changed since it was read.
func (r *Redis) UpdateResult(ctx context.Context, tenant, kind, id string, fn UpdateFunc) error {
	rk := r.k.result(tenant, kind, id)
	var fnErr error
	txf := func(tx *redis.Tx) error {
		fnErr = nil
		raw, err := tx.HGet(ctx, rk, "json").Bytes()
		if errors.Is(err, redis.Nil) {
			raw, err = nil, nil
		}
		if err != nil {
			return err
		}
		next, info, err := fn(raw, r.opts.Now())
		if err != nil {
			fnErr = err
			return err
		}
		if next == nil {
			return nil
		}
		info.Kind, info.ID = kind, id
		if err := prepareResult(&info, r.opts.Now()); err != nil {
			fnErr = err
			return err
		}
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			r.putResult(ctx, p, tenant, info, next)
			return nil
		})
		return err
	}
	for range maxUpdateTries {
		err := r.c.Watch(ctx, txf, rk)
		if fnErr != nil {
			return fnErr
		}
		if errors.Is(err, redis.TxFailedErr) {
			continue
		}
		return r.wrap("update "+kind+" "+id, err)
	}
	return fmt.Errorf("update %s %s: %w: it kept changing", kind, id, ErrUnavailable)
}

// GetResult implements Results.
func (r *Redis) GetResult(ctx context.Context, tenant, kind, id string) ([]byte, error) {
	raw, err := r.c.HGet(ctx, r.k.result(tenant, kind, id), "json").Bytes()
	if err != nil {
		return nil, r.wrap("get "+kind+" "+id, err)
	}
	return raw, nil
}

// ListResults implements Results.
func (r *Redis) ListResults(ctx context.Context, tenant, kind string, limit int, cursorText string) (ResultPage, error) {
	cur, err := parseCursor(cursorText)
	if err != nil {
		return ResultPage{}, err
	}
	limit = pageLimit(limit)
	ik := r.k.resultIndex(tenant, kind)
	rng := redis.ZRangeBy{Min: "-inf", Max: "+inf", Count: int64(limit) + 1}
	if cur != nil {
		rng.Max = strconv.FormatInt(cur.ms, 10)
	}
	var page ResultPage
	for {
		zs, err := r.c.ZRevRangeByScoreWithScores(ctx, ik, &rng).Result()
		if err != nil {
			return ResultPage{}, r.wrap("list "+kind, err)
		}
		if len(zs) == 0 {
			return page, nil
		}
		rng.Offset += int64(len(zs))
		ids := make([]string, 0, len(zs))
		for _, z := range zs {
			id, _ := z.Member.(string)
			if cur == nil || cur.after(int64(z.Score), id) {
				ids = append(ids, id)
			}
		}
		cmds := make([]*redis.StringCmd, len(ids))
		_, err = r.c.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i, id := range ids {
				cmds[i] = p.HGet(ctx, r.k.result(tenant, kind, id), "info")
			}
			return nil
		})
		if err != nil && err != redis.Nil {
			return ResultPage{}, r.wrap("list "+kind, err)
		}
		var gone []any
		for i, cmd := range cmds {
			var info ResultInfo
			b, err := cmd.Bytes()
			if err != nil || json.Unmarshal(b, &info) != nil {
				gone = append(gone, ids[i])
				continue
			}
			if len(page.Results) == limit {
				last := page.Results[limit-1]
				page.Next = cursor{ms: last.CreatedAt.UnixMilli(), id: last.ID}.String()
				return page, nil
			}
			page.Results = append(page.Results, info)
		}
		if len(gone) > 0 {
			// Expired: unindex them.
			_ = r.c.ZRem(ctx, ik, gone...).Err()
		}
	}
}

// DeleteResult implements Results.
func (r *Redis) DeleteResult(ctx context.Context, tenant, kind, id string) error {
	rk, ik := r.k.result(tenant, kind, id), r.k.resultIndex(tenant, kind)
	var del *redis.IntCmd
	_, err := r.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		del = p.Del(ctx, rk)
		p.ZRem(ctx, ik, id)
		return nil
	})
	if err != nil {
		return r.wrap("delete "+kind+" "+id, err)
	}
	if del.Val() == 0 {
		return fmt.Errorf("delete %s %s: %w", kind, id, ErrNotFound)
	}
	return nil
}

// completeResultScript is completeScript for a result: stored once, the
// job marked done. KEYS: job, result, index. ARGV: result id, created ms,
// retention ms, now ms, kind, then the result's fields as name/value pairs.
var completeResultScript = redis.NewScript(`
if redis.call('HEXISTS', KEYS[1], 'result_id') == 1 or redis.call('HEXISTS', KEYS[1], 'report_id') == 1 then return 0 end
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[2], unpack(ARGV, 6))
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
if tonumber(ARGV[3]) > 0 then
	redis.call('PEXPIRE', KEYS[2], ARGV[3])
	redis.call('PEXPIRE', KEYS[3], ARGV[3])
end
redis.call('HSET', KEYS[1], 'state', 'done', 'result_id', ARGV[1], 'result_kind', ARGV[5], 'updated', ARGV[4])
redis.call('HDEL', KEYS[1], 'payload', 'error')
return 1`)

func (q redisQueue) completeResult(ctx context.Context, d delivery, info ResultInfo, raw []byte) error {
	args := []any{info.ID, info.CreatedAt.UnixMilli(), q.r.opts.Retention.Milliseconds(), q.r.opts.Now().UnixMilli(), info.Kind}
	args = append(args, resultFields(info, raw, d.id)...)
	keys := []string{q.r.k.job(d.tenant, d.id), q.r.k.result(d.tenant, info.Kind, info.ID), q.r.k.resultIndex(d.tenant, info.Kind)}
	return q.r.wrap("complete job", completeResultScript.Run(ctx, q.r.c, keys, args...).Err())
}

// --- Memory

type memResult struct {
	tenant  string
	raw     []byte
	info    ResultInfo
	expires time.Time
}

// PutResult implements Results.
func (m *Memory) PutResult(_ context.Context, tenant string, info ResultInfo, raw []byte) error {
	if err := prepareResult(&info, m.opts.Now()); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.putResult(tenant, info, raw)
	return nil
}

// putResult stores a result; m.mu is held.
func (m *Memory) putResult(tenant string, info ResultInfo, raw []byte) {
	m.results[m.k.result(tenant, info.Kind, info.ID)] = &memResult{tenant: tenant, raw: slices.Clone(raw), info: info,
		expires: m.expiry(m.opts.Retention)}
}

func (m *Memory) result(tenant, kind, id string) (*memResult, bool) {
	k := m.k.result(tenant, kind, id)
	r, ok := m.results[k]
	if ok && expired(r.expires, m.opts.Now()) {
		delete(m.results, k)
		return nil, false
	}
	return r, ok
}

// GetResult implements Results.
func (m *Memory) GetResult(_ context.Context, tenant, kind, id string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.result(tenant, kind, id)
	if !ok {
		return nil, fmt.Errorf("get %s %s: %w", kind, id, ErrNotFound)
	}
	return r.raw, nil
}

// ListResults implements Results.
func (m *Memory) ListResults(_ context.Context, tenant, kind string, limit int, cursorText string) (ResultPage, error) {
	cur, err := parseCursor(cursorText)
	if err != nil {
		return ResultPage{}, err
	}
	limit = pageLimit(limit)
	m.mu.Lock()
	var all []ResultInfo
	now := m.opts.Now()
	for k, r := range m.results {
		if expired(r.expires, now) {
			delete(m.results, k)
			continue
		}
		if r.tenant == tenant && r.info.Kind == kind {
			all = append(all, r.info)
		}
	}
	m.mu.Unlock()
	slices.SortFunc(all, func(a, b ResultInfo) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	var page ResultPage
	for _, ri := range all {
		if cur != nil && !cur.after(ri.CreatedAt.UnixMilli(), ri.ID) {
			continue
		}
		if len(page.Results) == limit {
			last := page.Results[limit-1]
			page.Next = cursor{ms: last.CreatedAt.UnixMilli(), id: last.ID}.String()
			break
		}
		page.Results = append(page.Results, ri)
	}
	return page, nil
}

// UpdateResult implements Results; fn runs under the store's lock.
func (m *Memory) UpdateResult(_ context.Context, tenant, kind, id string, fn UpdateFunc) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var raw []byte
	if r, ok := m.result(tenant, kind, id); ok {
		raw = slices.Clone(r.raw)
	}
	next, info, err := fn(raw, m.opts.Now())
	if err != nil || next == nil {
		return err
	}
	info.Kind, info.ID = kind, id
	if err := prepareResult(&info, m.opts.Now()); err != nil {
		return err
	}
	m.putResult(tenant, info, next)
	return nil
}

// DeleteResult implements Results.
func (m *Memory) DeleteResult(_ context.Context, tenant, kind, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.result(tenant, kind, id); !ok {
		return fmt.Errorf("delete %s %s: %w", kind, id, ErrNotFound)
	}
	delete(m.results, m.k.result(tenant, kind, id))
	return nil
}

func (q memQueue) completeResult(_ context.Context, d delivery, info ResultInfo, raw []byte) error {
	m := q.m
	m.mu.Lock()
	defer m.mu.Unlock()
	j, ok := m.job(d.tenant, d.id)
	if !ok || j.status.ResultID != "" || j.status.ReportID != "" {
		return nil
	}
	m.putResult(d.tenant, info, raw)
	j.status.State, j.status.ResultID, j.status.ResultKind, j.status.Error = JobDone, info.ID, info.Kind, ""
	j.status.UpdatedAt = m.opts.Now().UTC()
	j.payload = nil
	return nil
}
