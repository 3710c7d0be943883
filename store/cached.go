package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/candorhq/candor/analyzer"
)

// Lock timings for sharing one computation between processes. The lock
// outlives a slow LLM call (lockTTL) but not a dead holder for long; a
// waiter polls for the holder's result for at most lockWait and then
// computes itself, so a stuck replica delays others by a bounded time.
const (
	lockTTL  = 30 * time.Second
	lockWait = 20 * time.Second
	lockPoll = 25 * time.Millisecond
)

// Engine is the cached engine: it wraps an analyzer.Engine with the
// analysis cache. It is not an analyzer.Engine itself: For binds it to the
// tenant whose namespace holds the analyses and the version of the guide
// they are made against, both of which are part of what is cached, so
// that no caller can forget either.
type Engine struct {
	next analyzer.Engine
	c    Cache
	ttl  time.Duration
	sf   singleflight.Group
	// lockWait and lockPoll are fields so tests of the package could
	// shorten them; CachedEngine sets the constants.
	lockWait, lockPoll time.Duration
}

// CachedEngine wraps next with the analysis cache c: results are kept for
// ttl (0: until evicted) under AnalysisKey, in the namespace of the tenant
// given to For. Concurrent identical requests in one process share one
// computation, and across processes a short lock in c makes one compute
// while the others wait for its result. Cache failures are treated as
// misses: the analysis is still computed and served.
//
// The engine analyses the normalised answer (NormalizeAnswer), so a cached
// analysis's offsets fit every answer that maps to its key.
func CachedEngine(next analyzer.Engine, c Cache, ttl time.Duration) *Engine {
	return &Engine{next: next, c: c, ttl: ttl, lockWait: lockWait, lockPoll: lockPoll}
}

// Info returns the wrapped engine's Info: caching does not change results.
func (e *Engine) Info() analyzer.EngineInfo { return e.next.Info() }

// For returns the cached engine for tenant's analyses against the guide
// whose version is guideVersion (analyzer.Guide.Version). Every answer
// given to it must be to a question of that guide: the version is part of
// the key, and an engine's result may depend on the whole guide (see
// analyzer.WithQuestions).
func (e *Engine) For(tenant, guideVersion string) *Scoped {
	return &Scoped{e: e, tenant: tenant, guideVersion: guideVersion}
}

// Scoped is the cached engine for one tenant and guide version (Engine.For).
type Scoped struct {
	e                    *Engine
	tenant, guideVersion string
}

var _ analyzer.Engine = (*Scoped)(nil)

// Info returns the wrapped engine's Info: caching does not change results.
func (s *Scoped) Info() analyzer.EngineInfo { return s.e.next.Info() }

// Key returns the cache key (AnalysisKey) of an answer, to pass to
// Reports.Create so that deleting the report deletes its cached analyses.
func (s *Scoped) Key(q analyzer.Question, text string) string {
	return AnalysisKey(s.e.next.Info(), s.guideVersion, q, text)
}

// Analyze returns the analysis of text, from the cache when it is there
// (with Cached set). It returns the wrapped engine's errors.
func (s *Scoped) Analyze(ctx context.Context, q analyzer.Question, text string) (analyzer.AnswerAnalysis, error) {
	e := s.e
	r, err := e.analyze(ctx, s.tenant, s.guideVersion, q, text)
	if err != nil {
		return analyzer.AnswerAnalysis{}, err
	}
	if r.a != nil && !r.shared {
		return *r.a, nil
	}
	var a analyzer.AnswerAnalysis
	if err := json.Unmarshal(r.raw, &a); err != nil {
		// A corrupt entry (a foreign writer, an old layout) must not fail
		// the request: compute afresh.
		return e.next.Analyze(ctx, q, NormalizeAnswer(text))
	}
	a.Cached = r.hit
	return a, nil
}

// AnalyzeJSON returns the analysis of text as JSON. On a hit raw is the
// stored bytes, served without a decode/encode round trip, and hit is
// true. It returns the wrapped engine's errors.
func (s *Scoped) AnalyzeJSON(ctx context.Context, q analyzer.Question, text string) (raw []byte, hit bool, err error) {
	r, err := s.e.analyze(ctx, s.tenant, s.guideVersion, q, text)
	if err != nil {
		return nil, false, err
	}
	return r.raw, r.hit, nil
}

type result struct {
	raw []byte
	a   *analyzer.AnswerAnalysis // set when computed here
	hit bool
	// shared is true when other callers got the same result, so they
	// must not share a (mutable) analysis value.
	shared bool
}

func (e *Engine) analyze(ctx context.Context, tenant, guideVersion string, q analyzer.Question, text string) (result, error) {
	norm := NormalizeAnswer(text)
	if norm == "" {
		// Nothing to key on; the engine says ErrEmptyAnswer.
		a, err := e.next.Analyze(ctx, q, norm)
		if err != nil {
			return result{}, err
		}
		raw, err := json.Marshal(a)
		return result{raw: raw, a: &a}, err
	}
	key := analysisKey(e.next.Info(), guideVersion, q, norm)
	raw, err := e.c.GetAnalysis(ctx, tenant, key)
	switch {
	case err == nil:
		return result{raw: raw, hit: true}, nil
	case errors.Is(err, ErrUnavailable):
		// The cache is down: compute without it rather than fail, and
		// do not wait on locks that cannot be taken.
		return e.compute(ctx, q, norm)
	case ctx.Err() != nil:
		return result{}, ctx.Err()
	}

	// The sf key holds the tenant too: two tenants must not share a result.
	ch := e.sf.DoChan(tenantTag(tenant)+"\x00"+key, func() (any, error) {
		// Detached from the first caller's cancellation: other callers
		// may still want the result.
		return e.fill(context.WithoutCancel(ctx), tenant, key, q, norm)
	})
	select {
	case <-ctx.Done():
		return result{}, ctx.Err()
	case res := <-ch:
		if res.Err != nil {
			return result{}, res.Err
		}
		r := res.Val.(result)
		r.shared = res.Shared
		return r, nil
	}
}

// fill computes the analysis under the cross-process lock, or waits for the
// process that holds it.
func (e *Engine) fill(ctx context.Context, tenant, key string, q analyzer.Question, norm string) (result, error) {
	deadline := time.Now().Add(e.lockWait)
	for {
		release, err := e.c.LockAnalysis(ctx, tenant, key, lockTTL)
		if err == nil {
			defer release()
			// The holder before us may have stored the result just
			// before releasing.
			if raw, err := e.c.GetAnalysis(ctx, tenant, key); err == nil {
				return result{raw: raw, hit: true}, nil
			}
			r, err := e.compute(ctx, q, norm)
			if err == nil {
				// Best effort: a failed write only costs a later miss.
				_ = e.c.PutAnalysis(ctx, tenant, key, r.raw, e.ttl)
			}
			return r, err
		}
		if !errors.Is(err, ErrLocked) || !time.Now().Before(deadline) {
			// The cache failed, or the holder is too slow: compute
			// ourselves.
			return e.compute(ctx, q, norm)
		}
		t := time.NewTimer(e.lockPoll)
		select {
		case <-ctx.Done():
			t.Stop()
			return result{}, ctx.Err()
		case <-t.C:
		}
		raw, err := e.c.GetAnalysis(ctx, tenant, key)
		if err == nil {
			return result{raw: raw, hit: true}, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return e.compute(ctx, q, norm)
		}
	}
}

func (e *Engine) compute(ctx context.Context, q analyzer.Question, norm string) (result, error) {
	a, err := e.next.Analyze(ctx, q, norm)
	if err != nil {
		return result{}, err
	}
	raw, err := json.Marshal(a)
	if err != nil {
		return result{}, fmt.Errorf("encode analysis: %w", err)
	}
	return result{raw: raw, a: &a}, nil
}
