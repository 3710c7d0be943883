package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// FileCache is the analysis cache on disk, for the command line: `candor
// eval` with a model engine keeps each answer's analysis there, so that a
// rerun of the same set with the same engine and guide makes no model
// call. It implements Cache with the same keys (AnalysisKey) as the Redis
// and memory stores, so CachedEngine wraps an engine with it unchanged.
//
// Entries are files under dir/TENANT/ab/KEY, written whole to a temporary
// file and renamed, so a reader never sees half an entry and several
// processes may share the folder. Cached analyses hold answer text, which
// is personal data: the folders are created readable by their owner only.
type FileCache struct {
	dir string
	now func() time.Time
}

var _ Cache = (*FileCache)(nil)

// NewFileCache returns the cache kept in dir, creating it (mode 0700).
func NewFileCache(dir string) (*FileCache, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("analysis cache: %w", err)
	}
	return &FileCache{dir: dir, now: time.Now}, nil
}

// Dir returns the cache's folder.
func (c *FileCache) Dir() string { return c.dir }

// path returns the file of key for tenant. Keys are hex hashes (letters and
// digits); anything else is refused, so a key can never name a path outside the folder.
func (c *FileCache) path(tenant, key, suffix string) (string, error) {
	if key == "" || len(key) > 128 {
		return "", fmt.Errorf("%w: cache key %q", ErrInvalid, key)
	}
	for _, r := range key {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return "", fmt.Errorf("%w: cache key %q", ErrInvalid, key)
		}
	}
	return filepath.Join(c.dir, tenantTag(tenant), key[:min(2, len(key))], key+suffix), nil
}

// Entries start with a header line: the expiry in Unix milliseconds (0:
// none).
func (c *FileCache) read(p string) ([]byte, error) {
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	line, rest, ok := bytes.Cut(data, []byte("\n"))
	exp, err := strconv.ParseInt(string(line), 10, 64)
	if !ok || err != nil {
		// A torn or foreign file: a miss, and the next write replaces it.
		return nil, ErrNotFound
	}
	if exp > 0 && c.now().UnixMilli() >= exp {
		_ = os.Remove(p)
		return nil, ErrNotFound
	}
	return rest, nil
}

func (c *FileCache) write(p string, raw []byte, ttl time.Duration) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	var exp int64
	if ttl > 0 {
		exp = c.now().Add(ttl).UnixMilli()
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	_, err = fmt.Fprintf(f, "%d\n", exp)
	if err == nil {
		_, err = f.Write(raw)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), p)
	}
	if err != nil {
		_ = os.Remove(f.Name())
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return nil
}

// GetAnalysis implements Cache.
func (c *FileCache) GetAnalysis(_ context.Context, tenant, key string) ([]byte, error) {
	p, err := c.path(tenant, key, "")
	if err != nil {
		return nil, err
	}
	raw, err := c.read(p)
	if err != nil {
		return nil, fmt.Errorf("get analysis: %w", err)
	}
	return raw, nil
}

// PutAnalysis implements Cache.
func (c *FileCache) PutAnalysis(_ context.Context, tenant, key string, raw []byte, ttl time.Duration) error {
	p, err := c.path(tenant, key, "")
	if err != nil {
		return err
	}
	if err := c.write(p, raw, ttl); err != nil {
		return fmt.Errorf("put analysis: %w", err)
	}
	return nil
}

// LockAnalysis implements Cache with a lock file created exclusively; an
// expired lock file is taken over.
func (c *FileCache) LockAnalysis(_ context.Context, tenant, key string, ttl time.Duration) (func(), error) {
	p, err := c.path(tenant, key, ".lock")
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return nil, fmt.Errorf("lock analysis: %w: %w", ErrUnavailable, err)
	}
	token := make([]byte, 16)
	_, _ = rand.Read(token)
	body := fmt.Sprintf("%d\n%x", c.now().Add(ttl).UnixMilli(), token)
	for range 2 {
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			_, err = f.WriteString(body)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				_ = os.Remove(p)
				return nil, fmt.Errorf("lock analysis: %w: %w", ErrUnavailable, err)
			}
			return func() {
				// Only our own lock: a stale holder must not free the
				// lock someone took over after it expired.
				if cur, err := os.ReadFile(p); err == nil && string(cur) == body {
					_ = os.Remove(p)
				}
			}, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("lock analysis: %w: %w", ErrUnavailable, err)
		}
		if _, err := c.read(p); !errors.Is(err, ErrNotFound) {
			return nil, fmt.Errorf("lock analysis: %w", ErrLocked)
		}
		// Expired (read removed it): try once more.
	}
	return nil, fmt.Errorf("lock analysis: %w", ErrLocked)
}
