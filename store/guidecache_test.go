package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/internal/testkit"
	"github.com/candorhq/candor/store"
)

// countingGuides counts what a GuideCache asks its store, and fails every
// call with ErrUnavailable while down is set (a store that is away).
type countingGuides struct {
	store.Guides
	gets, versions atomic.Int64
	down           atomic.Bool
}

var errDown = fmt.Errorf("test store is down: %w", store.ErrUnavailable)

func (g *countingGuides) GetGuide(ctx context.Context, tenant, id string) (*analyzer.Guide, error) {
	g.gets.Add(1)
	if g.down.Load() {
		return nil, errDown
	}
	return g.Guides.GetGuide(ctx, tenant, id)
}

func (g *countingGuides) GuideVersion(ctx context.Context, tenant, id string) (string, error) {
	g.versions.Add(1)
	if g.down.Load() {
		return "", errDown
	}
	return g.Guides.GuideVersion(ctx, tenant, id)
}

func guideOf(id, title string, questions ...string) *analyzer.Guide {
	g := &analyzer.Guide{ID: id, Title: title}
	for i, q := range questions {
		g.Questions = append(g.Questions, analyzer.Question{ID: fmt.Sprintf("q%d", i+1), Text: q, Areas: []string{"Outcome"}})
	}
	// A stand-in for guide.Normalize's content hash.
	g.Version = fmt.Sprintf("%x", len(title)) + "-" + strings.ReplaceAll(title, " ", "")
	return g
}

const recheck = time.Second

// TestGuideCache runs the cache over both backends: another replica's
// writes (the sibling store) are seen within Recheck, never after it, and
// never across tenants.
func TestGuideCache(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			f := b.open(t, store.Options{})
			ctx := context.Background()
			other := f.sibling() // another replica, writing behind this one's back
			src := &countingGuides{Guides: f.s}
			clk := &clock{}
			c := store.NewGuideCache(src, store.GuideCacheOptions{Recheck: recheck, Offline: -1, Now: clk.Now})

			v1 := guideOf("onboarding", "Onboarding one", "Tell me about your first week.")
			acme := guideOf("onboarding", "Acme's own", "Tell me about a customer you calmed.")
			if _, err := other.PutGuide(ctx, "globex", v1); err != nil {
				t.Fatal(err)
			}
			if _, err := other.PutGuide(ctx, "acme", acme); err != nil {
				t.Fatal(err)
			}
			lookup := func(tenant string) (*analyzer.Guide, error) {
				h, err := c.Lookup(ctx, tenant, "onboarding")
				if err == nil && h.Offline {
					t.Fatal("a lookup with the store up is flagged offline")
				}
				return h.Guide, err
			}
			for range 100 {
				if g, err := lookup("globex"); err != nil || g.Version != v1.Version {
					t.Fatalf("globex's guide = %+v, %v", g, err)
				}
				if g, err := lookup("acme"); err != nil || g.Version != acme.Version || g.Title != "Acme's own" {
					t.Fatalf("acme's guide = %+v, %v; want acme's own (same id as globex's)", g, err)
				}
			}
			if n, v := src.gets.Load(), src.versions.Load(); n != 2 || v != 0 {
				t.Errorf("200 lookups of two guides within Recheck: %d reads and %d version checks; want 2 and 0", n, v)
			}

			// Unchanged: after Recheck one version check, no read.
			clk.Advance(recheck)
			if g, err := lookup("globex"); err != nil || g.Version != v1.Version {
				t.Fatalf("after Recheck: %+v, %v", g, err)
			}
			if n, v := src.gets.Load(), src.versions.Load(); n != 2 || v != 1 {
				t.Errorf("after Recheck: %d reads and %d version checks; want 2 and 1", n, v)
			}

			// Changed on another replica: seen within Recheck of the write,
			// and from then on never the old version.
			v2 := guideOf("onboarding", "Onboarding two", "Tell me about your first month.")
			if _, err := other.PutGuide(ctx, "globex", v2); err != nil {
				t.Fatal(err)
			}
			clk.Advance(recheck)
			for i := range 5 {
				if g, err := lookup("globex"); err != nil || g.Version != v2.Version {
					t.Fatalf("lookup %d at Recheck after the write: %+v, %v; want version %s", i, g, err, v2.Version)
				}
				clk.Advance(recheck / 3)
			}
			if g, _ := lookup("acme"); g.Title != "Acme's own" {
				t.Errorf("acme's guide after globex's change: %q", g.Title)
			}

			// Deleted on another replica: gone within Recheck.
			if err := other.DeleteGuide(ctx, "globex", "onboarding"); err != nil {
				t.Fatal(err)
			}
			clk.Advance(recheck)
			if _, err := lookup("globex"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("after another replica's delete and Recheck: err = %v, want ErrNotFound", err)
			}
			if g, err := lookup("acme"); err != nil || g.Title != "Acme's own" {
				t.Errorf("acme's guide after globex's delete: %+v, %v", g, err)
			}

			// Written through this cache: seen at once.
			if _, err := c.PutGuide(ctx, "acme", v1); err != nil {
				t.Fatal(err)
			}
			if g, err := lookup("acme"); err != nil || g.Version != v1.Version {
				t.Errorf("right after a PutGuide through the cache: %+v, %v", g, err)
			}
			if err := c.DeleteGuide(ctx, "acme", "onboarding"); err != nil {
				t.Fatal(err)
			}
			if _, err := lookup("acme"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("right after a DeleteGuide through the cache: err = %v", err)
			}
		})
	}
}

// While the store is away a held guide serves, flagged, for Offline after
// its last confirmation; then, and for a guide never held, the lookup
// fails with ErrUnavailable.
func TestGuideCacheOffline(t *testing.T) {
	ctx := context.Background()
	src := &countingGuides{Guides: store.NewMemory(store.Options{})}
	clk := &clock{}
	const offline = time.Minute
	c := store.NewGuideCache(src, store.GuideCacheOptions{Recheck: recheck, Offline: offline, Now: clk.Now})
	g := guideOf("onboarding", "Onboarding", "Tell me about your first week.")
	if _, err := c.PutGuide(ctx, "acme", g); err != nil {
		t.Fatal(err)
	}
	confirmed := clk.Now()
	if _, err := c.Lookup(ctx, "acme", "onboarding"); err != nil {
		t.Fatal(err)
	}
	src.down.Store(true)
	clk.Advance(recheck)
	h, err := c.Lookup(ctx, "acme", "onboarding")
	if err != nil || !h.Offline || h.Guide.Version != g.Version {
		t.Fatalf("store down, guide held: %+v, %v; want the held guide flagged offline", h, err)
	}
	if d := h.Confirmed.Sub(confirmed); d < 0 || d > time.Second {
		t.Errorf("Confirmed = %v, want about %v", h.Confirmed, confirmed)
	}
	if _, err := c.Lookup(ctx, "acme", "never-held"); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("store down, guide never held: err = %v, want ErrUnavailable", err)
	}
	// (The test's clock is real time moved on: a second's margin.)
	clk.Advance(offline - recheck - time.Second)
	if h, err := c.Lookup(ctx, "acme", "onboarding"); err != nil || !h.Offline {
		t.Errorf("inside Offline: %+v, %v", h, err)
	}
	clk.Advance(2 * time.Second)
	if _, err := c.Lookup(ctx, "acme", "onboarding"); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("past Offline: err = %v, want ErrUnavailable", err)
	}
	// Back: confirmed again, no longer flagged.
	src.down.Store(false)
	if h, err := c.Lookup(ctx, "acme", "onboarding"); err != nil || h.Offline {
		t.Errorf("store back: %+v, %v", h, err)
	}

	// Offline < 0: no copy serves.
	strict := store.NewGuideCache(src, store.GuideCacheOptions{Recheck: recheck, Offline: -1, Now: clk.Now})
	if _, err := strict.Lookup(ctx, "acme", "onboarding"); err != nil {
		t.Fatal(err)
	}
	src.down.Store(true)
	clk.Advance(recheck)
	if _, err := strict.Lookup(ctx, "acme", "onboarding"); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("Offline < 0, store down: err = %v, want ErrUnavailable", err)
	}
}

// The same, with a real redis-server stopped and started again.
func TestGuideCacheRedisStopped(t *testing.T) {
	rs := testkit.StartRedis(t)
	ctx := context.Background()
	st := store.NewRedis(client(t, rs), store.Options{})
	clk := &clock{}
	c := store.NewGuideCache(st, store.GuideCacheOptions{Recheck: recheck, Offline: time.Minute, Now: clk.Now})
	g := guideOf("onboarding", "Onboarding", "Tell me about your first week.")
	if _, err := c.PutGuide(ctx, "acme", g); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Lookup(ctx, "acme", "onboarding"); err != nil {
		t.Fatal(err)
	}
	rs.Stop()
	clk.Advance(recheck)
	if h, err := c.Lookup(ctx, "acme", "onboarding"); err != nil || !h.Offline {
		t.Fatalf("Redis stopped: %+v, %v; want the held guide, flagged", h, err)
	}
	clk.Advance(time.Minute)
	if _, err := c.Lookup(ctx, "acme", "onboarding"); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("Redis stopped past Offline: err = %v, want ErrUnavailable", err)
	}
	if err := rs.Start(); err != nil {
		t.Fatal(err)
	}
	// A fresh server has no data: the guide is gone, and the cache says so.
	if _, err := c.Lookup(ctx, "acme", "onboarding"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Redis back, empty: err = %v, want ErrNotFound", err)
	}
}

func TestGuideCacheBounded(t *testing.T) {
	ctx := context.Background()
	src := &countingGuides{Guides: store.NewMemory(store.Options{})}
	c := store.NewGuideCache(src, store.GuideCacheOptions{MaxEntries: 3, MaxBytes: 64 << 10})
	for i := range 10 {
		g := guideOf(fmt.Sprintf("g%d", i), fmt.Sprintf("Guide %d", i), "Tell me about it.")
		if _, err := src.PutGuide(ctx, "acme", g); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Lookup(ctx, "acme", g.ID); err != nil {
			t.Fatal(err)
		}
		if n, _ := c.Len(); n > 3 {
			t.Fatalf("after %d guides %d are held, over MaxEntries 3", i+1, n)
		}
	}
	// By bytes: guides of about 20 KB in 64 KB.
	big := strings.Repeat("a long question about the candidate's past work ", 400)
	for i := range 10 {
		g := guideOf(fmt.Sprintf("big%d", i), fmt.Sprintf("Big %d", i), big)
		if _, err := src.PutGuide(ctx, "acme", g); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Lookup(ctx, "acme", g.ID); err != nil {
			t.Fatal(err)
		}
		if _, b := c.Len(); b > 64<<10 {
			t.Fatalf("after %d big guides %d bytes are held, over MaxBytes", i+1, b)
		}
	}
	// The most recent is held: another lookup asks nothing.
	before := src.gets.Load()
	if _, err := c.Lookup(ctx, "acme", "big9"); err != nil || src.gets.Load() != before {
		t.Errorf("the most recent guide was not held (err %v)", err)
	}
	c.ForgetTenant("acme")
	if n, b := c.Len(); n != 0 || b != 0 {
		t.Errorf("after ForgetTenant: %d guides, %d bytes held", n, b)
	}
}

// A guide stored before versions were kept beside guides still has one.
func TestGuideVersionOfOlderGuide(t *testing.T) {
	ctx := context.Background()
	o := store.Options{Prefix: uniquePrefix(t)}
	st := store.NewRedis(client(t, srv), o)
	g := guideOf("old", "Old guide", "Tell me about it.")
	raw := mustJSON(t, g)
	srv.Do(t, "HSET", o.Prefix+":{acme}:guides", "old", string(raw))
	if v, err := st.GuideVersion(ctx, "acme", "old"); err != nil || v != g.Version {
		t.Errorf("GuideVersion of a guide stored without one beside it = %q, %v; want %q", v, err, g.Version)
	}
}

// BenchmarkGuideCacheHit is a lookup of a held guide: what an analysis
// against a tenant's guide costs to find it (bytes: the guide's JSON, not
// read nor decoded).
func BenchmarkGuideCacheHit(b *testing.B) {
	ctx := context.Background()
	src := store.NewMemory(store.Options{})
	qs := make([]string, 12)
	for i := range qs {
		qs[i] = strings.Repeat(fmt.Sprintf("Tell me about a time %d you handled something hard. ", i), 4)
	}
	g := guideOf("team", "Team guide", qs...)
	if _, err := src.PutGuide(ctx, "acme", g); err != nil {
		b.Fatal(err)
	}
	c := store.NewGuideCache(src, store.GuideCacheOptions{Recheck: time.Hour})
	if _, err := c.Lookup(ctx, "acme", "team"); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(mustJSON(b, g))))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if h, err := c.Lookup(ctx, "acme", "team"); err != nil || h.Guide != nil && h.Guide.ID != "team" {
				b.Errorf("lookup: %v", err)
			}
		}
	})
}
