package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/candorhq/candor/store"
)

// cacheOnly makes a FileCache a store.Store for the conformance suite's
// cache tests; the rest of the interface is never called by them.
type cacheOnly struct {
	*store.FileCache
	store.Reports
	store.Results
	store.Jobs
	store.Sessions
	store.Secrets
	store.Guides
	store.Idempotency
	store.ResponseCache
	store.RateLimits
}

func (cacheOnly) Ping(context.Context) error                { return nil }
func (cacheOnly) Shared() bool                              { return false }
func (cacheOnly) QueueDepth(context.Context) (int64, error) { return 0, nil }

func openFileCache(t *testing.T, _ store.Options) fixture {
	c, err := store.NewFileCache(filepath.Join(t.TempDir(), "cache"))
	if err != nil {
		t.Fatal(err)
	}
	s := cacheOnly{FileCache: c}
	return fixture{s: s, pass: func(time.Duration) {}, sibling: func() store.Store {
		// Another process on the same folder.
		c2, err := store.NewFileCache(c.Dir())
		if err != nil {
			t.Fatal(err)
		}
		return cacheOnly{FileCache: c2}
	}}
}

// TestFileCacheConformance runs the cache part of the conformance suite on
// the on-disk cache the command line uses.
func TestFileCacheConformance(t *testing.T) {
	for _, tt := range []struct {
		name string
		run  func(t *testing.T, open opener)
	}{
		{"CacheHitAfterMiss", testCacheHitAfterMiss},
		{"CacheKeyChanges", testCacheKeyChanges},
		{"CacheTTL", testCacheTTL},
		{"CacheConcurrentIdentical", testCacheConcurrent},
		{"Lock", testLock},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, openFileCache) })
	}
}

func TestFileCacheFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	c, err := store.NewFileCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, bad := range []string{"../../etc/passwd", "ab/cd", "", ".."} {
		if err := c.PutAnalysis(ctx, "", bad, []byte("x"), 0); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("key %q: err = %v, want ErrInvalid", bad, err)
		}
	}
	key := "0123456789abcdef"
	if err := c.PutAnalysis(ctx, "acme", key, []byte(`{"a":1}`), 0); err != nil {
		t.Fatal(err)
	}
	if got, err := c.GetAnalysis(ctx, "acme", key); err != nil || string(got) != `{"a":1}` {
		t.Errorf("get = %s, %v", got, err)
	}
	if _, err := c.GetAnalysis(ctx, "other", key); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another tenant's entry: %v", err)
	}
	st, err := os.Stat(filepath.Join(dir, "acme"))
	if err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("tenant folder %v, %v: want mode 0700 (cached analyses hold answers)", st.Mode(), err)
	}
	// A torn file reads as a miss, not an error.
	p := filepath.Join(dir, "acme", key[:2], key)
	if err := os.WriteFile(p, []byte("not a header"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetAnalysis(ctx, "acme", key); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("torn entry: %v", err)
	}
}
