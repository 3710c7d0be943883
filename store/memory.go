package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/candorhq/candor/analyzer"
)

// Memory is the Store of a single process: the embedded default, with no
// server to install. It keeps the same semantics as Redis (expiry, tenant
// namespaces, job retries and reclaiming) behind one mutex; it is not
// built for large volumes.
type Memory struct {
	opts Options
	k    keys

	mu      sync.Mutex
	entries map[string]memEntry   // analyses and locks, by Redis-style key
	reports map[string]*memReport // by report key
	results map[string]*memResult // by result key
	jobs    map[string]*memJob    // by job key
	queue   []*memDelivery        // undelivered and pending deliveries, in order
	seq     int
	dead    []DeadLetter  // newest first
	notify  chan struct{} // closed and replaced when a job is queued

	guides map[string]map[string][]byte // by guides key, then guide id: JSON
	rates  GCRA                         // rate-limit buckets, by bucket key

	sessionGen  map[string]int64  // by tenant
	sessionKeys map[string]string // key fingerprint to tenant
	deployKeys  map[string][]byte

	// afterComplete is a test hook (see Redis.afterComplete).
	afterComplete func()
}

type memEntry struct {
	val     []byte
	expires time.Time // zero: never
}

type memReport struct {
	tenant   string
	raw      []byte
	info     ReportInfo
	analyses []string
	expires  time.Time
}

type memJob struct {
	tenant  string
	status  JobStatus
	payload []byte
	expires time.Time
}

type memDelivery struct {
	d        delivery
	consumer string // "" until delivered
	seen     time.Time
}

var _ Store = (*Memory)(nil)

// NewMemory returns an empty in-memory Store.
func NewMemory(opts Options) *Memory {
	o := opts.withDefaults()
	return &Memory{
		opts: o, k: keys{prefix: o.Prefix},
		entries: map[string]memEntry{}, reports: map[string]*memReport{}, jobs: map[string]*memJob{},
		results: map[string]*memResult{}, guides: map[string]map[string][]byte{},
		notify: make(chan struct{}),

		sessionGen: map[string]int64{}, sessionKeys: map[string]string{}, deployKeys: map[string][]byte{},
	}
}

func expired(exp, now time.Time) bool { return !exp.IsZero() && !now.Before(exp) }

func (m *Memory) expiry(ttl time.Duration) time.Time {
	if ttl <= 0 {
		return time.Time{}
	}
	return m.opts.Now().Add(ttl)
}

// Ping implements Store; the memory twin is always up.
func (m *Memory) Ping(context.Context) error { return nil }

// GetAnalysis implements Cache.
func (m *Memory) GetAnalysis(_ context.Context, tenant, key string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := m.k.analysis(tenant, key)
	e, ok := m.entries[k]
	if ok && expired(e.expires, m.opts.Now()) {
		delete(m.entries, k)
		ok = false
	}
	if !ok {
		return nil, fmt.Errorf("get analysis: %w", ErrNotFound)
	}
	return e.val, nil
}

// PutAnalysis implements Cache.
func (m *Memory) PutAnalysis(_ context.Context, tenant, key string, raw []byte, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries[m.k.analysis(tenant, key)] = memEntry{val: slices.Clone(raw), expires: m.expiry(ttl)}
	return nil
}

// LockAnalysis implements Cache.
func (m *Memory) LockAnalysis(_ context.Context, tenant, key string, ttl time.Duration) (func(), error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	lk := m.k.lock(tenant, key)
	if e, ok := m.entries[lk]; ok && !expired(e.expires, m.opts.Now()) {
		return nil, fmt.Errorf("lock analysis: %w", ErrLocked)
	}
	token := []byte(randomHex(16))
	m.entries[lk] = memEntry{val: token, expires: m.expiry(ttl)}
	return func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		if e, ok := m.entries[lk]; ok && string(e.val) == string(token) {
			delete(m.entries, lk)
		}
	}, nil
}

// Create implements Reports.
func (m *Memory) Create(_ context.Context, rep *analyzer.Report, analyses []string) error {
	raw, err := prepareReport(rep, analyses, m.opts.Now())
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.putReport(rep, raw, analyses)
	return nil
}

func (m *Memory) putReport(rep *analyzer.Report, raw []byte, analyses []string) {
	m.reports[m.k.report(rep.Tenant, rep.ID)] = &memReport{
		tenant: rep.Tenant, raw: raw, info: infoOf(rep),
		analyses: slices.Clone(analyses), expires: m.expiry(m.opts.Retention),
	}
}

func (m *Memory) report(tenant, id string) (*memReport, bool) {
	k := m.k.report(tenant, id)
	r, ok := m.reports[k]
	if ok && expired(r.expires, m.opts.Now()) {
		delete(m.reports, k)
		return nil, false
	}
	return r, ok
}

// Get implements Reports.
func (m *Memory) Get(ctx context.Context, tenant, id string) (*analyzer.Report, error) {
	raw, err := m.GetJSON(ctx, tenant, id)
	if err != nil {
		return nil, err
	}
	return decodeReport(raw, tenant, id)
}

// GetJSON implements Reports.
func (m *Memory) GetJSON(_ context.Context, tenant, id string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.report(tenant, id)
	if !ok {
		return nil, fmt.Errorf("get report %s: %w", id, ErrNotFound)
	}
	return r.raw, nil
}

// List implements Reports.
func (m *Memory) List(_ context.Context, tenant string, f ReportFilter) (ReportPage, error) {
	cur, err := parseCursor(f.Cursor)
	if err != nil {
		return ReportPage{}, err
	}
	limit := pageLimit(f.Limit)
	m.mu.Lock()
	var all []ReportInfo
	now := m.opts.Now()
	for k, r := range m.reports {
		if expired(r.expires, now) {
			delete(m.reports, k)
			continue
		}
		if r.tenant == tenant {
			all = append(all, r.info)
		}
	}
	m.mu.Unlock()
	slices.SortFunc(all, func(a, b ReportInfo) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	var page ReportPage
	for _, ri := range all {
		ms := ri.CreatedAt.UnixMilli()
		if !f.From.IsZero() && ms < f.From.UnixMilli() || !f.To.IsZero() && ms >= f.To.UnixMilli() {
			continue
		}
		if cur != nil && !cur.after(ms, ri.ID) || !f.matches(ri) {
			continue
		}
		if len(page.Reports) == limit {
			last := page.Reports[limit-1]
			page.Next = cursor{ms: last.CreatedAt.UnixMilli(), id: last.ID}.String()
			break
		}
		page.Reports = append(page.Reports, ri)
	}
	return page, nil
}

// Delete implements Reports.
func (m *Memory) Delete(_ context.Context, tenant, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.report(tenant, id)
	if !ok {
		return fmt.Errorf("delete report %s: %w", id, ErrNotFound)
	}
	for _, a := range r.analyses {
		delete(m.entries, m.k.analysis(tenant, a))
	}
	delete(m.reports, m.k.report(tenant, id))
	return nil
}

// PurgeTenant implements Reports.
func (m *Memory) PurgeTenant(_ context.Context, tenant string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	prefix := m.k.tenant(tenant)
	deleteByPrefix(m.entries, prefix)
	deleteByPrefix(m.reports, prefix)
	deleteByPrefix(m.results, prefix)
	deleteByPrefix(m.jobs, prefix)
	deleteByPrefix(m.guides, prefix)
	m.rates.purge(prefix)
	m.dead = slices.DeleteFunc(m.dead, func(dl DeadLetter) bool { return dl.Tenant == tenant })
	return nil
}

// Shared implements Store: the in-memory twin dies with its process.
func (m *Memory) Shared() bool { return false }

// QueueDepth implements Store.
func (m *Memory) QueueDepth(context.Context) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return int64(len(m.queue)), nil
}

func deleteByPrefix[V any](mp map[string]V, prefix string) {
	for k := range mp {
		if strings.HasPrefix(k, prefix) {
			delete(mp, k)
		}
	}
}
