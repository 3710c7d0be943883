package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/candorhq/candor/analyzer"
)

// The API's own tenant state: guides, idempotency keys, the response cache
// and rate-limit buckets. Like reports and jobs, every key sits in its
// tenant's namespace (keys.tenant), so PurgeTenant reaches them all.

// Guides keeps each tenant's own guides.
type Guides interface {
	// GetGuide returns ErrNotFound when tenant has no guide id.
	GetGuide(ctx context.Context, tenant, id string) (*analyzer.Guide, error)
	// GuideVersion returns the Version of tenant's guide id, reading
	// (for a guide stored by this version of the code) a few bytes
	// instead of the guide: GuideCache asks it to learn whether a guide
	// it holds has changed. ErrNotFound when there is no such guide.
	GuideVersion(ctx context.Context, tenant, id string) (string, error)
	// ListGuides returns tenant's guides sorted by id.
	ListGuides(ctx context.Context, tenant string) ([]*analyzer.Guide, error)
	// AddGuide stores g unless tenant has a guide with its id (added false).
	AddGuide(ctx context.Context, tenant string, g *analyzer.Guide) (added bool, err error)
	// PutGuide stores g, replacing a guide with its id (replaced true).
	PutGuide(ctx context.Context, tenant string, g *analyzer.Guide) (replaced bool, err error)
	// DeleteGuide returns ErrNotFound when there is no such guide.
	DeleteGuide(ctx context.Context, tenant, id string) error
}

// Idempotency keeps the responses kept for Idempotency-Key headers, as
// opaque bytes, per tenant and key.
type Idempotency interface {
	// ClaimIdempotencyKey stores claim under key for ttl when the key is
	// free and returns nil; when it is taken it returns what is kept there.
	ClaimIdempotencyKey(ctx context.Context, tenant, key string, claim []byte, ttl time.Duration) (kept []byte, err error)
	// SaveIdempotencyKey keeps value under key for ttl.
	SaveIdempotencyKey(ctx context.Context, tenant, key string, value []byte, ttl time.Duration) error
	// ReleaseIdempotencyKey frees key.
	ReleaseIdempotencyKey(ctx context.Context, tenant, key string) error
}

// ResponseCache keeps whole responses of repeated requests, indexed by the
// report they show so that deleting the report forgets them.
type ResponseCache interface {
	// GetResponse returns the entry under key; ErrNotFound on a miss.
	GetResponse(ctx context.Context, tenant, key string) ([]byte, error)
	// PutResponse keeps entry under key for ttl, indexed under reportID.
	PutResponse(ctx context.Context, tenant, key, reportID string, entry []byte, ttl time.Duration) error
	// ForgetResponses removes every entry indexed under reportID.
	ForgetResponses(ctx context.Context, tenant, reportID string) error
}

// RateLimits are GCRA buckets (a token bucket that stores one time, the
// "theoretical arrival time"), shared by every process on the store.
type RateLimits interface {
	// TakeTokens takes up to want tokens from tenant's bucket named
	// bucket, which refills one token per interval and holds at most
	// tau/interval. It returns how many it took, and when none, how long
	// until one is there.
	TakeTokens(ctx context.Context, tenant, bucket string, interval, tau time.Duration, want int) (granted int, wait time.Duration, err error)
}

func (k keys) guides(t string) string { return k.tenant(t) + "guides" }

// guideVersions holds each guide's version beside it (same field, the
// guide id), written in the same transaction as the guide.
func (k keys) guideVersions(t string) string { return k.tenant(t) + "guidevers" }
func (k keys) idempotency(t, key string) string {
	// Hashed: a client's key may be long and hold any byte.
	sum := sha256.Sum256([]byte(key))
	return k.tenant(t) + "idem:" + hex.EncodeToString(sum[:16])
}
func (k keys) response(t, key string) string           { return k.tenant(t) + "resp:" + key }
func (k keys) responseIndex(t, reportID string) string { return k.tenant(t) + "respidx:" + reportID }
func (k keys) rateBucket(t, bucket string) string      { return k.tenant(t) + "rl:" + bucket }

// --- Redis ---

// GetGuide implements Guides.
func (r *Redis) GetGuide(ctx context.Context, tenant, id string) (*analyzer.Guide, error) {
	raw, err := r.c.HGet(ctx, r.k.guides(tenant), id).Bytes()
	if err != nil {
		return nil, r.wrap("get guide "+id, err)
	}
	var g analyzer.Guide
	if err := json.Unmarshal(raw, &g); err != nil {
		return nil, fmt.Errorf("decode guide %s: %w", id, err)
	}
	return &g, nil
}

// GuideVersion implements Guides. A guide stored before versions were kept
// beside guides has none there: it is read whole.
func (r *Redis) GuideVersion(ctx context.Context, tenant, id string) (string, error) {
	v, err := r.c.HGet(ctx, r.k.guideVersions(tenant), id).Result()
	if errors.Is(err, redis.Nil) {
		g, err := r.GetGuide(ctx, tenant, id)
		if err != nil {
			return "", err
		}
		return g.Version, nil
	}
	return v, r.wrap("guide version "+id, err)
}

// ListGuides implements Guides.
func (r *Redis) ListGuides(ctx context.Context, tenant string) ([]*analyzer.Guide, error) {
	m, err := r.c.HGetAll(ctx, r.k.guides(tenant)).Result()
	if err != nil {
		return nil, r.wrap("list guides", err)
	}
	raw := make(map[string][]byte, len(m))
	for id, v := range m {
		raw[id] = []byte(v)
	}
	return decodeGuides(raw)
}

func decodeGuides(raw map[string][]byte) ([]*analyzer.Guide, error) {
	out := make([]*analyzer.Guide, 0, len(raw))
	for id, v := range raw {
		var g analyzer.Guide
		if err := json.Unmarshal(v, &g); err != nil {
			return nil, fmt.Errorf("decode guide %s: %w", id, err)
		}
		out = append(out, &g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// addGuideScript stores a guide (ARGV[2]) and its version (ARGV[3]) under
// its id (ARGV[1]) unless the id is taken; it returns 1 when it stored.
var addGuideScript = redis.NewScript(`
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
return 1`)

// AddGuide implements Guides.
func (r *Redis) AddGuide(ctx context.Context, tenant string, g *analyzer.Guide) (bool, error) {
	raw, err := json.Marshal(g)
	if err != nil {
		return false, err
	}
	n, err := addGuideScript.Run(ctx, r.c, []string{r.k.guides(tenant), r.k.guideVersions(tenant)}, g.ID, raw, g.Version).Int()
	return err == nil && n == 1, r.wrap("add guide", err)
}

// PutGuide implements Guides.
func (r *Redis) PutGuide(ctx context.Context, tenant string, g *analyzer.Guide) (bool, error) {
	raw, err := json.Marshal(g)
	if err != nil {
		return false, err
	}
	var set *redis.IntCmd
	_, err = r.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		set = p.HSet(ctx, r.k.guides(tenant), g.ID, raw)
		p.HSet(ctx, r.k.guideVersions(tenant), g.ID, g.Version)
		return nil
	})
	return err == nil && set.Val() == 0, r.wrap("put guide", err)
}

// DeleteGuide implements Guides.
func (r *Redis) DeleteGuide(ctx context.Context, tenant, id string) error {
	var del *redis.IntCmd
	_, err := r.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		del = p.HDel(ctx, r.k.guides(tenant), id)
		p.HDel(ctx, r.k.guideVersions(tenant), id)
		return nil
	})
	if err != nil {
		return r.wrap("delete guide", err)
	}
	if del.Val() == 0 {
		return fmt.Errorf("guide %s: %w", id, ErrNotFound)
	}
	return nil
}

// ClaimIdempotencyKey implements Idempotency.
func (r *Redis) ClaimIdempotencyKey(ctx context.Context, tenant, key string, claim []byte, ttl time.Duration) ([]byte, error) {
	k := r.k.idempotency(tenant, key)
	ok, err := r.c.SetNX(ctx, k, claim, ttl).Result()
	if err != nil || ok {
		return nil, r.wrap("claim idempotency key", err)
	}
	raw, err := r.c.Get(ctx, k).Bytes()
	if errors.Is(err, redis.Nil) {
		// Released between our SETNX and GET: try once more; if someone
		// else won, their claim looks like ours.
		if ok, err := r.c.SetNX(ctx, k, claim, ttl).Result(); err != nil || ok {
			return nil, r.wrap("claim idempotency key", err)
		}
		return claim, nil
	}
	if err != nil {
		return nil, r.wrap("claim idempotency key", err)
	}
	return raw, nil
}

// SaveIdempotencyKey implements Idempotency.
func (r *Redis) SaveIdempotencyKey(ctx context.Context, tenant, key string, value []byte, ttl time.Duration) error {
	return r.wrap("save idempotency key", r.c.Set(ctx, r.k.idempotency(tenant, key), value, ttl).Err())
}

// ReleaseIdempotencyKey implements Idempotency.
func (r *Redis) ReleaseIdempotencyKey(ctx context.Context, tenant, key string) error {
	return r.wrap("release idempotency key", r.c.Del(ctx, r.k.idempotency(tenant, key)).Err())
}

// GetResponse implements ResponseCache.
func (r *Redis) GetResponse(ctx context.Context, tenant, key string) ([]byte, error) {
	raw, err := r.c.Get(ctx, r.k.response(tenant, key)).Bytes()
	if err != nil {
		return nil, r.wrap("get response", err)
	}
	return raw, nil
}

// PutResponse implements ResponseCache.
func (r *Redis) PutResponse(ctx context.Context, tenant, key, reportID string, entry []byte, ttl time.Duration) error {
	idx := r.k.responseIndex(tenant, reportID)
	_, err := r.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, r.k.response(tenant, key), entry, ttl)
		p.SAdd(ctx, idx, key)
		if ttl > 0 {
			p.PExpire(ctx, idx, ttl)
		}
		return nil
	})
	return r.wrap("put response", err)
}

// forgetResponsesScript deletes a report's entries (ARGV[1] is their
// key's prefix) and their index.
var forgetResponsesScript = redis.NewScript(`
local keys = redis.call('SMEMBERS', KEYS[1])
for _, k in ipairs(keys) do redis.call('DEL', ARGV[1] .. k) end
redis.call('DEL', KEYS[1])
return #keys`)

// ForgetResponses implements ResponseCache.
func (r *Redis) ForgetResponses(ctx context.Context, tenant, reportID string) error {
	err := forgetResponsesScript.Run(ctx, r.c, []string{r.k.responseIndex(tenant, reportID)}, r.k.response(tenant, "")).Err()
	return r.wrap("forget responses", err)
}

// gcraScript grants up to ARGV[3] tokens. KEYS[1] holds the TAT in
// microseconds; ARGV[1] is the emission interval and ARGV[2] the burst
// tolerance, both in microseconds. It returns {granted, retry_after_us}.
var gcraScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tau = tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local avail = math.floor((now + tau - tat) / interval)
if avail < 1 then
	return {0, tat + interval - tau - now}
end
local k = math.min(want, avail)
local new = tat + k * interval
redis.call('SET', KEYS[1], string.format('%.0f', new), 'PX', math.ceil((new - now) / 1000) + 1)
return {k, 0}`)

// TakeTokens implements RateLimits. The script counts in microseconds:
// rates above a million per second are not limited more finely.
func (r *Redis) TakeTokens(ctx context.Context, tenant, bucket string, interval, tau time.Duration, want int) (int, time.Duration, error) {
	res, err := gcraScript.Run(ctx, r.c, []string{r.k.rateBucket(tenant, bucket)},
		max(interval, time.Microsecond).Microseconds(), tau.Microseconds(), want).Int64Slice()
	if err == nil && len(res) != 2 {
		err = fmt.Errorf("unexpected reply %v", res)
	}
	if err != nil {
		return 0, 0, r.wrap("rate limit", err)
	}
	if res[0] < 1 {
		return 0, max(time.Duration(res[1])*time.Microsecond, time.Microsecond), nil
	}
	return int(res[0]), 0, nil
}

// --- Memory ---

// GetGuide implements Guides.
func (m *Memory) GetGuide(_ context.Context, tenant, id string) (*analyzer.Guide, error) {
	m.mu.Lock()
	raw, ok := m.guides[m.k.guides(tenant)][id]
	m.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("guide %s: %w", id, ErrNotFound)
	}
	var g analyzer.Guide
	if err := json.Unmarshal(raw, &g); err != nil {
		return nil, fmt.Errorf("decode guide %s: %w", id, err)
	}
	return &g, nil
}

// GuideVersion implements Guides. The twin keeps no versions beside its
// guides: it reads the guide (in process, that is cheap).
func (m *Memory) GuideVersion(ctx context.Context, tenant, id string) (string, error) {
	g, err := m.GetGuide(ctx, tenant, id)
	if err != nil {
		return "", err
	}
	return g.Version, nil
}

// ListGuides implements Guides.
func (m *Memory) ListGuides(_ context.Context, tenant string) ([]*analyzer.Guide, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return decodeGuides(m.guides[m.k.guides(tenant)])
}

func (m *Memory) setGuide(tenant string, g *analyzer.Guide, replace bool) (existed bool, err error) {
	raw, err := json.Marshal(g)
	if err != nil {
		return false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	k := m.k.guides(tenant)
	if m.guides[k] == nil {
		m.guides[k] = map[string][]byte{}
	}
	_, existed = m.guides[k][g.ID]
	if !existed || replace {
		m.guides[k][g.ID] = raw
	}
	return existed, nil
}

// AddGuide implements Guides.
func (m *Memory) AddGuide(_ context.Context, tenant string, g *analyzer.Guide) (bool, error) {
	existed, err := m.setGuide(tenant, g, false)
	return !existed && err == nil, err
}

// PutGuide implements Guides.
func (m *Memory) PutGuide(_ context.Context, tenant string, g *analyzer.Guide) (bool, error) {
	return m.setGuide(tenant, g, true)
}

// DeleteGuide implements Guides.
func (m *Memory) DeleteGuide(_ context.Context, tenant, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := m.k.guides(tenant)
	if _, ok := m.guides[k][id]; !ok {
		return fmt.Errorf("guide %s: %w", id, ErrNotFound)
	}
	delete(m.guides[k], id)
	return nil
}

// ClaimIdempotencyKey implements Idempotency.
func (m *Memory) ClaimIdempotencyKey(_ context.Context, tenant, key string, claim []byte, ttl time.Duration) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := m.k.idempotency(tenant, key)
	now := m.opts.Now()
	if e, ok := m.entries[k]; ok && !expired(e.expires, now) {
		return e.val, nil
	}
	m.entries[k] = memEntry{val: claim, expires: expiry(now, ttl)}
	return nil, nil
}

// SaveIdempotencyKey implements Idempotency.
func (m *Memory) SaveIdempotencyKey(_ context.Context, tenant, key string, value []byte, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries[m.k.idempotency(tenant, key)] = memEntry{val: value, expires: expiry(m.opts.Now(), ttl)}
	return nil
}

// ReleaseIdempotencyKey implements Idempotency.
func (m *Memory) ReleaseIdempotencyKey(_ context.Context, tenant, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.entries, m.k.idempotency(tenant, key))
	return nil
}

// GetResponse implements ResponseCache. The in-memory twin keeps no
// responses (in process the pipeline is cheap): every lookup misses.
func (m *Memory) GetResponse(_ context.Context, _, key string) ([]byte, error) {
	return nil, fmt.Errorf("get response: %w", ErrNotFound)
}

// PutResponse implements ResponseCache: it keeps nothing (see GetResponse).
func (m *Memory) PutResponse(context.Context, string, string, string, []byte, time.Duration) error {
	return nil
}

// ForgetResponses implements ResponseCache.
func (m *Memory) ForgetResponses(context.Context, string, string) error { return nil }

// TakeTokens implements RateLimits.
func (m *Memory) TakeTokens(_ context.Context, tenant, bucket string, interval, tau time.Duration, want int) (int, time.Duration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n, wait := m.rates.Take(m.k.rateBucket(tenant, bucket), m.opts.Now(), interval, tau, want)
	return n, wait, nil
}

// expiry is when an entry kept for ttl from now expires (zero: never).
func expiry(now time.Time, ttl time.Duration) time.Time {
	if ttl <= 0 {
		return time.Time{}
	}
	return now.Add(ttl)
}

// GCRA is a set of rate-limit buckets in one process's memory: the
// in-memory twin's, and the one a caller falls back to while the shared
// store is down. It is not safe for concurrent use.
type GCRA struct{ tat map[string]time.Time }

// Take takes up to want tokens from bucket (as RateLimits.TakeTokens).
func (g *GCRA) Take(bucket string, now time.Time, interval, tau time.Duration, want int) (granted int, wait time.Duration) {
	if g.tat == nil {
		g.tat = map[string]time.Time{}
	}
	interval = max(interval, time.Microsecond)
	tat := g.tat[bucket]
	if tat.Before(now) {
		tat = now
	}
	avail := int(now.Add(tau).Sub(tat) / interval)
	if avail < 1 {
		return 0, max(tat.Add(interval-tau).Sub(now), time.Microsecond)
	}
	if len(g.tat) > 100000 {
		for k, t := range g.tat {
			if t.Before(now) {
				delete(g.tat, k)
			}
		}
	}
	n := min(want, avail)
	g.tat[bucket] = tat.Add(time.Duration(n) * interval)
	return n, 0
}

// purge forgets every bucket whose name starts with prefix.
func (g *GCRA) purge(prefix string) { deleteByPrefix(g.tat, prefix) }
