package store

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/candorhq/candor/analyzer"
)

// GuideCache keeps tenants' guides parsed in this process, per tenant, id
// and version, so that an analysis against a tenant's guide neither reads
// nor decodes it from the store. It is a Guides: writes go through to the
// store and forget this process's copy.
//
// Freshness: a held guide is used without asking the store for Recheck
// after the moment it was last confirmed; after that the next lookup asks
// the store for the guide's version (GuideVersion, a few bytes) and
// reads the guide again only when the version differs. So a change made
// through any replica (PUT, DELETE, a tenant purge) is seen by every
// replica at most Recheck after the write returned, while the store
// answers; through this process it is seen at once.
//
// Outages: while the store is unavailable, a held guide keeps serving for
// Offline after it was last confirmed, with Lookup's Offline set so that
// callers can say so; after that lookups fail with ErrUnavailable.
type GuideCache struct {
	src  Guides
	opts GuideCacheOptions

	sf singleflight.Group
	// writes counts writes through this cache: a read that started before
	// a write may hold what the write replaced, so it is not kept.
	writes atomic.Uint64

	mu    sync.Mutex
	m     map[guideKey]*list.Element
	lru   list.List // of *heldGuide, most recently used first
	bytes int64
}

// GuideCacheOptions tune a GuideCache; the zero value gives the defaults.
type GuideCacheOptions struct {
	// Recheck is how long a held guide is used before the store is asked
	// whether it changed (default 1s): the bound on how stale a guide
	// can be while the store answers.
	Recheck time.Duration
	// Offline is how long after its last confirmation a held guide still
	// serves while the store is unavailable (default 5m; negative: not
	// at all).
	Offline time.Duration
	// MaxEntries and MaxBytes bound what is held (defaults 1024 guides
	// and 16 MiB, estimated from the guides' text); the least recently
	// used guides go first.
	MaxEntries int
	MaxBytes   int64
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

func (o GuideCacheOptions) withDefaults() GuideCacheOptions {
	if o.Recheck <= 0 {
		o.Recheck = time.Second
	}
	if o.Offline == 0 {
		o.Offline = 5 * time.Minute
	}
	if o.MaxEntries <= 0 {
		o.MaxEntries = 1024
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = 16 << 20
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// NewGuideCache returns a cache of the guides in src.
func NewGuideCache(src Guides, opts GuideCacheOptions) *GuideCache {
	return &GuideCache{src: src, opts: opts.withDefaults(), m: map[guideKey]*list.Element{}}
}

var _ Guides = (*GuideCache)(nil)

type guideKey struct{ tenant, id string }

type heldGuide struct {
	key guideKey
	g   *analyzer.Guide
	// confirmed is when the store last said this is the guide: the time
	// before the question was sent, so that trusting it for Recheck
	// afterwards never outlasts a write that the answer did not show.
	confirmed time.Time
	size      int64
}

// HeldGuide is what Lookup found.
type HeldGuide struct {
	// Guide is shared by every caller: it must not be modified.
	Guide *analyzer.Guide
	// Offline is set when the store could not be asked and Guide is this
	// process's copy, last confirmed at Confirmed.
	Offline   bool
	Confirmed time.Time
}

// Lookup returns tenant's guide id: from this process when it was
// confirmed less than Recheck ago, else after asking the store. It
// returns ErrNotFound when there is no such guide and an error wrapping
// ErrUnavailable when the store cannot say and no copy may serve.
func (c *GuideCache) Lookup(ctx context.Context, tenant, id string) (HeldGuide, error) {
	k := guideKey{tenant, id}
	now := c.opts.Now()
	c.mu.Lock()
	e, ok := c.m[k]
	if ok {
		c.lru.MoveToFront(e)
		h := e.Value.(*heldGuide)
		if now.Sub(h.confirmed) < c.opts.Recheck {
			c.mu.Unlock()
			return HeldGuide{Guide: h.g, Confirmed: h.confirmed}, nil
		}
	}
	c.mu.Unlock()

	// One question to the store per guide at a time, detached from the
	// first caller's cancellation (the others may still want it).
	ch := c.sf.DoChan(tenantTag(tenant)+"\x00"+id, func() (any, error) {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		return c.refresh(rctx, k)
	})
	select {
	case <-ctx.Done():
		return HeldGuide{}, ctx.Err()
	case res := <-ch:
		if res.Err != nil {
			return HeldGuide{}, res.Err
		}
		return res.Val.(HeldGuide), nil
	}
}

// refresh asks the store about k: whether the held guide (if any) is
// still current, else for the guide.
func (c *GuideCache) refresh(ctx context.Context, k guideKey) (HeldGuide, error) {
	asked := c.opts.Now()
	writes := c.writes.Load()
	c.mu.Lock()
	var held *heldGuide
	if e, ok := c.m[k]; ok {
		held = e.Value.(*heldGuide)
		if asked.Sub(held.confirmed) < c.opts.Recheck {
			// Confirmed by a refresh that finished since the caller looked.
			c.mu.Unlock()
			return HeldGuide{Guide: held.g, Confirmed: held.confirmed}, nil
		}
	}
	c.mu.Unlock()

	if held != nil {
		v, err := c.src.GuideVersion(ctx, k.tenant, k.id)
		switch {
		case err == nil && v == held.g.Version:
			c.mu.Lock()
			if e, ok := c.m[k]; ok && e.Value.(*heldGuide) == held && c.writes.Load() == writes {
				held.confirmed = asked
			}
			c.mu.Unlock()
			return HeldGuide{Guide: held.g, Confirmed: asked}, nil
		case err == nil:
			// Changed: read it below.
		case errors.Is(err, ErrNotFound):
			c.forget(k)
			return HeldGuide{}, err
		case unavailable(ctx, err):
			if c.opts.Offline >= 0 && asked.Sub(held.confirmed) < c.opts.Offline {
				return HeldGuide{Guide: held.g, Offline: true, Confirmed: held.confirmed}, nil
			}
			return HeldGuide{}, asUnavailable(err)
		default:
			return HeldGuide{}, err
		}
	}
	g, err := c.src.GetGuide(ctx, k.tenant, k.id)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			c.forget(k)
		}
		if unavailable(ctx, err) {
			err = asUnavailable(err)
		}
		return HeldGuide{}, err
	}
	c.keep(k, g, asked, writes)
	return HeldGuide{Guide: g, Confirmed: asked}, nil
}

// unavailable reports an error that says the store cannot answer now: its
// own, or the deadline of refresh's context running out.
func unavailable(ctx context.Context, err error) bool {
	return errors.Is(err, ErrUnavailable) || errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil
}

// asUnavailable makes a timeout an ErrUnavailable (a 503 to callers).
func asUnavailable(err error) error {
	if errors.Is(err, ErrUnavailable) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrUnavailable, err)
}

// keep holds g for k, confirmed at asked, unless a write went through this
// cache since writes was read.
func (c *GuideCache) keep(k guideKey, g *analyzer.Guide, asked time.Time, writes uint64) {
	size := guideSize(g)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.writes.Load() != writes || size > c.opts.MaxBytes {
		return
	}
	if e, ok := c.m[k]; ok {
		c.remove(e)
	}
	c.m[k] = c.lru.PushFront(&heldGuide{key: k, g: g, confirmed: asked, size: size})
	c.bytes += size
	for c.lru.Len() > c.opts.MaxEntries || c.bytes > c.opts.MaxBytes {
		c.remove(c.lru.Back())
	}
}

// remove drops e; c.mu is held.
func (c *GuideCache) remove(e *list.Element) {
	h := e.Value.(*heldGuide)
	c.lru.Remove(e)
	delete(c.m, h.key)
	c.bytes -= h.size
}

func (c *GuideCache) forget(k guideKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[k]; ok {
		c.remove(e)
	}
}

// wrote forgets k after a write through this cache, and keeps reads that
// started before it from holding what it replaced.
func (c *GuideCache) wrote(k guideKey) {
	c.writes.Add(1)
	c.forget(k)
}

// ForgetTenant drops every guide of tenant held here (after a purge).
func (c *GuideCache) ForgetTenant(tenant string) {
	c.writes.Add(1)
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.m {
		if k.tenant == tenant {
			c.remove(e)
		}
	}
}

// Len returns how many guides are held and their estimated bytes.
func (c *GuideCache) Len() (guides int, bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len(), c.bytes
}

// guideSize estimates what a parsed guide takes in memory: its text, and a
// few words for each string and slice header.
func guideSize(g *analyzer.Guide) int64 {
	n := 256 + len(g.ID) + len(g.Title) + len(g.Description) + len(g.Version)
	for _, q := range g.Questions {
		n += 128 + len(q.ID) + len(q.Text)
		for _, s := range q.Areas {
			n += 16 + len(s)
		}
		for _, s := range q.FollowUps {
			n += 16 + len(s)
		}
	}
	for _, d := range g.DepthSignals {
		n += 32 + len(d.ID) + len(d.Text)
	}
	for _, nt := range g.Notes {
		n += 32 + len(nt.Title) + len(nt.Text)
	}
	return int64(n)
}

// GetGuide implements Guides through Lookup; a copy served while the store
// is unavailable is returned as any other.
func (c *GuideCache) GetGuide(ctx context.Context, tenant, id string) (*analyzer.Guide, error) {
	h, err := c.Lookup(ctx, tenant, id)
	return h.Guide, err
}

// GuideVersion implements Guides: it asks the store.
func (c *GuideCache) GuideVersion(ctx context.Context, tenant, id string) (string, error) {
	return c.src.GuideVersion(ctx, tenant, id)
}

// ListGuides implements Guides: it asks the store.
func (c *GuideCache) ListGuides(ctx context.Context, tenant string) ([]*analyzer.Guide, error) {
	return c.src.ListGuides(ctx, tenant)
}

// AddGuide implements Guides.
func (c *GuideCache) AddGuide(ctx context.Context, tenant string, g *analyzer.Guide) (bool, error) {
	defer c.wrote(guideKey{tenant, g.ID})
	return c.src.AddGuide(ctx, tenant, g)
}

// PutGuide implements Guides.
func (c *GuideCache) PutGuide(ctx context.Context, tenant string, g *analyzer.Guide) (bool, error) {
	defer c.wrote(guideKey{tenant, g.ID})
	return c.src.PutGuide(ctx, tenant, g)
}

// DeleteGuide implements Guides.
func (c *GuideCache) DeleteGuide(ctx context.Context, tenant, id string) error {
	defer c.wrote(guideKey{tenant, id})
	return c.src.DeleteGuide(ctx, tenant, id)
}

// String describes the cache's settings, for the log.
func (c *GuideCache) String() string {
	return fmt.Sprintf("recheck %s, offline %s, at most %d guides and %d MiB", c.opts.Recheck, c.opts.Offline, c.opts.MaxEntries, c.opts.MaxBytes>>20)
}
