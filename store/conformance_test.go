package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/store"
)

// TestConformance runs the one suite against every backend: the memory
// twin and Redis must behave alike.
func TestConformance(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			suite(t, b.open)
		})
	}
}

func suite(t *testing.T, open opener) {
	tests := []struct {
		name string
		run  func(t *testing.T, open opener)
	}{
		{"CacheHitAfterMiss", testCacheHitAfterMiss},
		{"CacheKeyChanges", testCacheKeyChanges},
		{"CacheTTL", testCacheTTL},
		{"CacheConcurrentIdentical", testCacheConcurrent},
		{"Lock", testLock},
		{"Reports", testReports},
		{"ReportsPagination", testPagination},
		{"ReportRetention", testRetention},
		{"DeleteRemovesCachedAnalyses", testDeleteRemovesCache},
		{"TenantIsolation", testTenantIsolation},
		{"PurgeTenant", testPurgeTenant},
		{"JobDone", testJobDone},
		{"JobRetriesThenDeadLetter", testJobDeadLetter},
		{"JobReclaimedAfterWorkerDeath", testJobReclaimed},
		{"JobStoredOnceWhenAckLost", testJobStoredOnce},
		{"Results", testResults},
		{"Slates", testSlates},
		{"UpdateResult", testUpdateResult},
		{"RoleSlates", testRoleSlates},
		{"ResultRetention", testResultRetention},
		{"JobResult", testJobResult},
		{"SessionGenerations", testSessionGenerations},
		{"SessionKeys", testSessionKeys},
		{"DeploymentKey", testDeploymentKey},
		{"Guides", testGuides},
		{"Idempotency", testIdempotency},
		{"RateLimits", testRateLimits},
		{"ResponseCache", testResponseCache},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, open)
		})
	}
}

func testCacheHitAfterMiss(t *testing.T, open opener) {
	f := open(t, store.Options{})
	eng := newEngine()
	ce := store.CachedEngine(eng, f.s, time.Hour).For("acme", "v1")
	ctx := context.Background()

	first, err := ce.Analyze(ctx, question, answer)
	if err != nil {
		t.Fatal(err)
	}
	second, err := ce.Analyze(ctx, question, "  "+answer+"\n")
	if err != nil {
		t.Fatal(err)
	}
	raw, hit, err := ce.AnalyzeJSON(ctx, question, answer)
	if err != nil {
		t.Fatal(err)
	}
	if got := eng.calls.Load(); got != 1 {
		t.Errorf("engine calls = %d, want 1", got)
	}
	if first.Cached || !second.Cached || !hit {
		t.Errorf("cached = %v, %v, hit = %v; want false, true, true", first.Cached, second.Cached, hit)
	}
	second.Cached = false
	if !bytes.Equal(mustJSON(t, first), mustJSON(t, second)) {
		t.Errorf("hit differs from miss:\n%s\n%s", mustJSON(t, first), mustJSON(t, second))
	}
	stored, err := f.s.GetAnalysis(ctx, "acme", ce.Key(question, answer))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(raw, stored) || !bytes.Equal(raw, mustJSON(t, first)) {
		t.Errorf("AnalyzeJSON = %s, stored %s", raw, stored)
	}
}

func testCacheKeyChanges(t *testing.T, open opener) {
	base := func() (string, analyzer.EngineInfo, analyzer.Question, string) {
		return "v1", newEngine().info, question, answer
	}
	tests := []struct {
		name   string
		change func(*string, *analyzer.EngineInfo, *analyzer.Question, *string)
		same   bool
	}{
		{"nothing", func(*string, *analyzer.EngineInfo, *analyzer.Question, *string) {}, true},
		{"spacing", func(_ *string, _ *analyzer.EngineInfo, _ *analyzer.Question, s *string) {
			*s = "  Last  March a customer\tcalled about a double charge,\nand I refunded it the same day. "
		}, true},
		{"prompt version", func(_ *string, i *analyzer.EngineInfo, _ *analyzer.Question, _ *string) {
			i.PromptVersion = "p2"
		}, false},
		{"guide version", func(v *string, _ *analyzer.EngineInfo, _ *analyzer.Question, _ *string) { *v = "v2" }, false},
		{"model", func(_ *string, i *analyzer.EngineInfo, _ *analyzer.Question, _ *string) { i.Model = "m2" }, false},
		{"engine", func(_ *string, i *analyzer.EngineInfo, _ *analyzer.Question, _ *string) { i.Name = "other" }, false},
		{"options", func(_ *string, i *analyzer.EngineInfo, _ *analyzer.Question, _ *string) {
			i.Options = "seed=2"
		}, false},
		{"question id", func(_ *string, _ *analyzer.EngineInfo, q *analyzer.Question, _ *string) { q.ID = "q2" }, false},
		{"question text", func(_ *string, _ *analyzer.EngineInfo, q *analyzer.Question, _ *string) { q.Text += "?" }, false},
		{"areas", func(_ *string, _ *analyzer.EngineInfo, q *analyzer.Question, _ *string) {
			q.Areas = []string{"The situation What the candidate did"}
		}, false},
		{"follow-ups", func(_ *string, _ *analyzer.EngineInfo, q *analyzer.Question, _ *string) { q.FollowUps = nil }, false},
		{"answer", func(_ *string, _ *analyzer.EngineInfo, _ *analyzer.Question, s *string) { *s += " Really." }, false},
	}
	v0, info0, q0, a0 := base()
	key0 := store.AnalysisKey(info0, v0, q0, a0)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, info, q, a := base()
			q.Areas = slices.Clone(q.Areas)
			tt.change(&v, &info, &q, &a)
			if got := store.AnalysisKey(info, v, q, a) == key0; got != tt.same {
				t.Errorf("same key = %v, want %v", got, tt.same)
			}
		})
	}
	// NFC: a composed and a decomposed é are one answer.
	if store.AnalysisKey(info0, v0, q0, "Caf\u00e9") != store.AnalysisKey(info0, v0, q0, "Cafe\u0301") {
		t.Error("NFC and NFD forms of one answer have different keys")
	}

	// Through the decorator: a new prompt version or guide version is a
	// miss, computed afresh.
	f := open(t, store.Options{})
	eng := newEngine()
	ce := store.CachedEngine(eng, f.s, time.Hour)
	ctx := context.Background()
	steps := []struct {
		name      string
		version   string
		prompt    string
		wantCalls int64
	}{
		{"first", "v1", "p1", 1},
		{"again", "v1", "p1", 1},
		{"new prompt version", "v1", "p2", 2},
		{"new guide version", "v2", "p2", 3},
		{"old prompt version still cached", "v1", "p1", 3},
	}
	for _, s := range steps {
		eng.info.PromptVersion = s.prompt
		if _, err := ce.For("acme", s.version).Analyze(ctx, question, answer); err != nil {
			t.Fatal(err)
		}
		if got := eng.calls.Load(); got != s.wantCalls {
			t.Errorf("%s: engine calls = %d, want %d", s.name, got, s.wantCalls)
		}
	}
}

func testCacheTTL(t *testing.T, open opener) {
	f := open(t, store.Options{})
	eng := newEngine()
	const ttl = 150 * time.Millisecond
	ce := store.CachedEngine(eng, f.s, ttl).For("acme", "v1")
	ctx := context.Background()
	if _, err := ce.Analyze(ctx, question, answer); err != nil {
		t.Fatal(err)
	}
	key := ce.Key(question, answer)
	if _, err := f.s.GetAnalysis(ctx, "acme", key); err != nil {
		t.Fatalf("right after the miss: %v", err)
	}
	f.pass(ttl)
	eventually(t, "the entry to expire", func() bool {
		_, err := f.s.GetAnalysis(ctx, "acme", key)
		return isNotFound(err)
	})
	a, err := ce.Analyze(ctx, question, answer)
	if err != nil {
		t.Fatal(err)
	}
	if a.Cached || eng.calls.Load() != 2 {
		t.Errorf("after expiry: cached = %v, calls = %d; want false, 2", a.Cached, eng.calls.Load())
	}
}

func testCacheConcurrent(t *testing.T, open opener) {
	f := open(t, store.Options{})
	eng := newEngine()
	eng.gate = make(chan struct{})
	ce := store.CachedEngine(eng, f.s, time.Hour).For("acme", "v1")
	ctx := context.Background()
	const n = 10
	results := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], _, errs[i] = ce.AnalyzeJSON(ctx, question, answer)
		}()
	}
	// Hold the one computation until it has started; the other callers
	// join it or find its result, whenever they arrive.
	eventually(t, "the computation to start", func() bool { return eng.calls.Load() > 0 })
	close(eng.gate)
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if !bytes.Equal(results[i], results[0]) {
			t.Errorf("result %d differs", i)
		}
	}
	if got := eng.calls.Load(); got != 1 {
		t.Errorf("engine calls = %d, want 1", got)
	}
}

func testLock(t *testing.T, open opener) {
	f := open(t, store.Options{})
	ctx := context.Background()
	release, err := f.s.LockAnalysis(ctx, "acme", "k", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.sibling().LockAnalysis(ctx, "acme", "k", time.Minute); !errors.Is(err, store.ErrLocked) {
		t.Fatalf("second lock: err = %v, want ErrLocked", err)
	}
	if r, err := f.s.LockAnalysis(ctx, "other", "k", time.Minute); err != nil {
		t.Fatalf("another tenant's lock: %v", err)
	} else {
		r()
	}
	release()
	r2, err := f.s.LockAnalysis(ctx, "acme", "k", time.Minute)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	// A stale release (of an expired lock someone else took since) must
	// not free the new holder's lock.
	release()
	if _, err := f.s.LockAnalysis(ctx, "acme", "k", time.Minute); !errors.Is(err, store.ErrLocked) {
		t.Fatalf("after a stale release: err = %v, want ErrLocked", err)
	}
	r2()

	// An abandoned lock expires by itself.
	if _, err := f.s.LockAnalysis(ctx, "acme", "short", 100*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	f.pass(100 * time.Millisecond)
	eventually(t, "the lock to expire", func() bool {
		r, err := f.s.LockAnalysis(ctx, "acme", "short", time.Minute)
		if err == nil {
			r()
		}
		return err == nil
	})
}

// report makes a report for tenant.
func report(tenant, id, guide, candidate string, created time.Time) *analyzer.Report {
	return &analyzer.Report{
		SchemaVersion: analyzer.SchemaVersion, ID: id, Tenant: tenant,
		Guide:     analyzer.GuideRef{ID: guide, Title: "Guide " + guide, Version: "v1"},
		Engine:    analyzer.EngineInfo{Name: "counting"},
		Candidate: candidate, Summary: analyzer.Summary{Answers: 1, Coverage: 0.5},
		Answers: []analyzer.AnswerAnalysis{}, Warnings: []analyzer.Warning{},
		Disclaimer: analyzer.Disclaimer, CreatedAt: &created,
	}
}

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func seedReports(t *testing.T, s store.Store) {
	t.Helper()
	ctx := context.Background()
	for _, r := range []*analyzer.Report{
		report("acme", "rep_a", "g1", "Ada Lovelace", t0),
		report("acme", "rep_b", "g2", "Alan Turing", t0.Add(time.Hour)),
		report("acme", "rep_c", "g1", "Grace Hopper", t0.Add(2*time.Hour)),
		report("acme", "rep_d", "g1", "ada byron", t0.Add(3*time.Hour)),
		report("acme", "rep_e", "g2", "", t0.Add(3*time.Hour)), // same instant as rep_d
		report("globex", "rep_x", "g1", "Ada Lovelace", t0),
	} {
		if err := s.Create(ctx, r, nil); err != nil {
			t.Fatal(err)
		}
	}
}

func ids(p store.ReportPage) []string {
	var out []string
	for _, r := range p.Reports {
		out = append(out, r.ID)
	}
	return out
}

func testReports(t *testing.T, open opener) {
	f := open(t, store.Options{})
	seedReports(t, f.s)
	ctx := context.Background()

	got, err := f.s.Get(ctx, "acme", "rep_b")
	if err != nil {
		t.Fatal(err)
	}
	want := report("acme", "rep_b", "g2", "Alan Turing", t0.Add(time.Hour))
	if !bytes.Equal(mustJSON(t, got), mustJSON(t, want)) || got.Tenant != "acme" {
		t.Errorf("Get = %s (tenant %q), want %s", mustJSON(t, got), got.Tenant, mustJSON(t, want))
	}
	raw, err := f.s.GetJSON(ctx, "acme", "rep_b")
	if err != nil || !bytes.Equal(raw, mustJSON(t, want)) {
		t.Errorf("GetJSON = %s, %v", raw, err)
	}
	if _, err := f.s.Get(ctx, "acme", "rep_nope"); !isNotFound(err) {
		t.Errorf("Get(missing): err = %v, want ErrNotFound", err)
	}
	if err := f.s.Create(ctx, report("acme", "", "g1", "", t0), nil); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Create without id: err = %v, want ErrInvalid", err)
	}
	// A report without CreatedAt gets one.
	r := report("acme", "rep_now", "g9", "", t0)
	r.CreatedAt = nil
	if err := f.s.Create(ctx, r, nil); err != nil || r.CreatedAt == nil {
		t.Fatalf("Create: %v, CreatedAt %v", err, r.CreatedAt)
	}
	if err := f.s.Delete(ctx, "acme", "rep_now"); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		filter store.ReportFilter
		want   []string
	}{
		{"all, newest first, ties by id", store.ReportFilter{}, []string{"rep_e", "rep_d", "rep_c", "rep_b", "rep_a"}},
		{"guide", store.ReportFilter{GuideID: "g1"}, []string{"rep_d", "rep_c", "rep_a"}},
		{"candidate substring, any case", store.ReportFilter{Candidate: "ADA"}, []string{"rep_d", "rep_a"}},
		{"guide and candidate", store.ReportFilter{GuideID: "g2", Candidate: "tur"}, []string{"rep_b"}},
		{"from", store.ReportFilter{From: t0.Add(2 * time.Hour)}, []string{"rep_e", "rep_d", "rep_c"}},
		{"to is exclusive", store.ReportFilter{To: t0.Add(2 * time.Hour)}, []string{"rep_b", "rep_a"}},
		{"range", store.ReportFilter{From: t0.Add(time.Hour), To: t0.Add(3 * time.Hour)}, []string{"rep_c", "rep_b"}},
		{"nothing", store.ReportFilter{GuideID: "g404"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := f.s.List(ctx, "acme", tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(p); !slices.Equal(got, tt.want) || p.Next != "" {
				t.Errorf("List = %v (next %q), want %v", got, p.Next, tt.want)
			}
		})
	}
	p, err := f.s.List(ctx, "acme", store.ReportFilter{GuideID: "g2"})
	if err != nil || len(p.Reports) != 2 {
		t.Fatalf("List: %v, %v", p, err)
	}
	info := p.Reports[1]
	if info.Candidate != "Alan Turing" || info.Guide.Title != "Guide g2" || !info.CreatedAt.Equal(t0.Add(time.Hour)) || info.Summary.Coverage != 0.5 {
		t.Errorf("ReportInfo = %+v", info)
	}
	if _, err := f.s.List(ctx, "acme", store.ReportFilter{Cursor: "!!"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("bad cursor: err = %v, want ErrInvalid", err)
	}
}

func testPagination(t *testing.T, open opener) {
	f := open(t, store.Options{})
	seedReports(t, f.s)
	ctx := context.Background()
	tests := []struct {
		name   string
		filter store.ReportFilter
		want   [][]string
	}{
		{"pages of 2, a tie across pages", store.ReportFilter{Limit: 2}, [][]string{{"rep_e", "rep_d"}, {"rep_c", "rep_b"}, {"rep_a"}}},
		{"pages of 1 with a filter", store.ReportFilter{Limit: 1, GuideID: "g1"}, [][]string{{"rep_d"}, {"rep_c"}, {"rep_a"}}},
		{"exact fit in a range", store.ReportFilter{Limit: 3, To: t0.Add(3 * time.Hour)}, [][]string{{"rep_c", "rep_b", "rep_a"}}},
		{"one full page", store.ReportFilter{Limit: 5}, [][]string{{"rep_e", "rep_d", "rep_c", "rep_b", "rep_a"}}},
		{"tie split inside a page", store.ReportFilter{Limit: 1}, [][]string{{"rep_e"}, {"rep_d"}, {"rep_c"}, {"rep_b"}, {"rep_a"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got [][]string
			fl := tt.filter
			for range 10 {
				p, err := f.s.List(ctx, "acme", fl)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, ids(p))
				if p.Next == "" {
					break
				}
				fl.Cursor = p.Next
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("pages = %v, want %v", got, tt.want)
			}
		})
	}
}

func testRetention(t *testing.T, open opener) {
	const ret = 200 * time.Millisecond
	f := open(t, store.Options{Retention: ret})
	ctx := context.Background()
	r := report("acme", "rep_a", "g1", "Ada", t0)
	r.CreatedAt = nil // stamped now, so the index cut-off applies
	if err := f.s.Create(ctx, r, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Get(ctx, "acme", "rep_a"); err != nil {
		t.Fatal(err)
	}
	f.pass(ret)
	eventually(t, "the report to expire", func() bool {
		_, err := f.s.Get(ctx, "acme", "rep_a")
		return isNotFound(err)
	})
	p, err := f.s.List(ctx, "acme", store.ReportFilter{})
	if err != nil || len(p.Reports) != 0 {
		t.Errorf("List after expiry = %v, %v", ids(p), err)
	}
}

func testDeleteRemovesCache(t *testing.T, open opener) {
	f := open(t, store.Options{})
	eng := newEngine()
	ce := store.CachedEngine(eng, f.s, time.Hour).For("acme", "v1")
	ctx := context.Background()
	if _, err := ce.Analyze(ctx, question, answer); err != nil {
		t.Fatal(err)
	}
	key := ce.Key(question, answer)
	if err := f.s.Create(ctx, report("acme", "rep_a", "g1", "Ada", t0), []string{key}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.Delete(ctx, "globex", "rep_a"); !isNotFound(err) {
		t.Fatalf("another tenant's delete: err = %v, want ErrNotFound", err)
	}
	if _, err := f.s.GetAnalysis(ctx, "acme", key); err != nil {
		t.Fatalf("cached analysis gone after a refused delete: %v", err)
	}
	if err := f.s.Delete(ctx, "acme", "rep_a"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Get(ctx, "acme", "rep_a"); !isNotFound(err) {
		t.Errorf("Get after Delete: err = %v, want ErrNotFound", err)
	}
	if _, err := f.s.GetAnalysis(ctx, "acme", key); !isNotFound(err) {
		t.Errorf("cached analysis after Delete: err = %v, want ErrNotFound", err)
	}
	if p, _ := f.s.List(ctx, "acme", store.ReportFilter{}); len(p.Reports) != 0 {
		t.Errorf("List after Delete = %v", ids(p))
	}
	if err := f.s.Delete(ctx, "acme", "rep_a"); !isNotFound(err) {
		t.Errorf("second Delete: err = %v, want ErrNotFound", err)
	}
	if a, _ := ce.Analyze(ctx, question, answer); a.Cached || eng.calls.Load() != 2 {
		t.Errorf("after Delete: cached = %v, calls = %d; want a fresh computation", a.Cached, eng.calls.Load())
	}
	if err := f.s.Create(ctx, report("acme", "rep_b", "g1", "", t0), []string{"../../x"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Create with a bad analysis key: err = %v, want ErrInvalid", err)
	}
}

func testTenantIsolation(t *testing.T, open opener) {
	f := open(t, store.Options{})
	eng := newEngine()
	ce := store.CachedEngine(eng, f.s, time.Hour)
	acme, globex := context.Background(), context.Background()
	if _, err := ce.For("acme", "v1").Analyze(acme, question, answer); err != nil {
		t.Fatal(err)
	}
	if err := f.s.Create(acme, report("acme", "rep_a", "g1", "Ada", t0), nil); err != nil {
		t.Fatal(err)
	}
	job, err := f.s.Enqueue(acme, "acme", []byte("{}"))
	if err != nil {
		t.Fatal(err)
	}
	key := ce.For("acme", "v1").Key(question, answer)
	checks := []struct {
		name string
		err  error
	}{
		{"Get", func() error { _, err := f.s.Get(globex, "globex", "rep_a"); return err }()},
		{"GetJSON", func() error { _, err := f.s.GetJSON(globex, "globex", "rep_a"); return err }()},
		{"Delete", f.s.Delete(globex, "globex", "rep_a")},
		{"Status", func() error { _, err := f.s.Status(globex, "globex", job); return err }()},
		{"Progress", f.s.Progress(globex, "globex", job, 1, 2)},
		{"GetAnalysis", func() error { _, err := f.s.GetAnalysis(globex, "globex", key); return err }()},
		// Tenant names that look like key syntax stay in their own space.
		{"Get with a key-like tenant", func() error { _, err := f.s.Get(globex, "acme}:rep:rep_a", "x"); return err }()},
	}
	for _, c := range checks {
		if !isNotFound(c.err) {
			t.Errorf("%s as globex: err = %v, want ErrNotFound", c.name, c.err)
		}
	}
	if p, err := f.s.List(globex, "globex", store.ReportFilter{}); err != nil || len(p.Reports) != 0 {
		t.Errorf("List as globex = %v, %v", ids(p), err)
	}
	if a, _ := ce.For("globex", "v1").Analyze(globex, question, answer); a.Cached || eng.calls.Load() != 2 {
		t.Errorf("globex's analysis: cached = %v, calls = %d; want its own computation", a.Cached, eng.calls.Load())
	}
	if _, err := f.s.Get(acme, "acme", "rep_a"); err != nil {
		t.Errorf("acme's report after globex's attempts: %v", err)
	}
}

func testPurgeTenant(t *testing.T, open opener) {
	f := open(t, store.Options{})
	seedReports(t, f.s)
	eng := newEngine()
	ce := store.CachedEngine(eng, f.s, time.Hour)
	ctx := context.Background()
	for _, tenant := range []string{"acme", "globex"} {
		if _, err := ce.For(tenant, "v1").Analyze(ctx, question, answer); err != nil {
			t.Fatal(err)
		}
	}
	job, err := f.s.Enqueue(ctx, "acme", []byte("{}"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tenant := range []string{"acme", "globex"} {
		seedTenantState(t, f.s, tenant)
	}
	if err := f.s.PurgeTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	key := ce.For("acme", "v1").Key(question, answer)
	if p, _ := f.s.List(ctx, "acme", store.ReportFilter{}); len(p.Reports) != 0 {
		t.Errorf("acme's reports after purge: %v", ids(p))
	}
	if _, err := f.s.GetAnalysis(ctx, "acme", key); !isNotFound(err) {
		t.Errorf("acme's cache after purge: err = %v", err)
	}
	if _, err := f.s.Status(ctx, "acme", job); !isNotFound(err) {
		t.Errorf("acme's job after purge: err = %v", err)
	}
	if p, _ := f.s.List(ctx, "globex", store.ReportFilter{}); len(p.Reports) != 1 {
		t.Errorf("globex's reports after acme's purge: %v", ids(p))
	}
	if _, err := f.s.GetAnalysis(ctx, "globex", key); err != nil {
		t.Errorf("globex's cache after acme's purge: %v", err)
	}
	checkTenantState(t, f.s, "acme", false)
	checkTenantState(t, f.s, "globex", true)
}

// seedTenantState gives tenant a guide, an idempotency key, a cached
// response and a spent rate-limit bucket.
func seedTenantState(t *testing.T, s store.Store, tenant string) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.AddGuide(ctx, tenant, &analyzer.Guide{ID: "own", Version: "v1"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveIdempotencyKey(ctx, tenant, "idem-1", []byte("kept"), time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := s.PutResponse(ctx, tenant, "resp-1", "rep_1", []byte("entry"), time.Hour); err != nil {
		t.Fatal(err)
	}
	if n, _, err := s.TakeTokens(ctx, tenant, "key", time.Hour, time.Hour, 1); err != nil || n != 1 {
		t.Fatalf("TakeTokens = %d, %v", n, err)
	}
}

// checkTenantState checks that what seedTenantState made is there (kept)
// or gone.
func checkTenantState(t *testing.T, s store.Store, tenant string, kept bool) {
	t.Helper()
	ctx := context.Background()
	_, err := s.GetGuide(ctx, tenant, "own")
	if (err == nil) != kept {
		t.Errorf("%s's guide: err = %v, want kept %v", tenant, err, kept)
	}
	v, err := s.ClaimIdempotencyKey(ctx, tenant, "idem-1", []byte("new"), time.Minute)
	if (err == nil && string(v) == "kept") != kept {
		t.Errorf("%s's idempotency key: %q, %v; want kept %v", tenant, v, err, kept)
	}
	if s.Shared() {
		_, err := s.GetResponse(ctx, tenant, "resp-1")
		if (err == nil) != kept {
			t.Errorf("%s's cached response: err = %v, want kept %v", tenant, err, kept)
		}
	}
	n, _, err := s.TakeTokens(ctx, tenant, "key", time.Hour, time.Hour, 1)
	if err != nil || (n == 0) != kept {
		t.Errorf("%s's rate-limit bucket gave %d tokens (%v); want it spent %v", tenant, n, err, kept)
	}
}

// jobOpts are short timings so that reclaiming is quick.
var jobOpts = store.Options{JobIdle: 300 * time.Millisecond, Poll: 50 * time.Millisecond, MaxAttempts: 3}

// work runs s.Work until the test ends or stop is called; done gets its
// result.
func work(t *testing.T, s store.Store, consumer string, h store.Handler) (stop func(), done chan error) {
	ctx, cancel := context.WithCancel(context.Background())
	done = make(chan error, 1)
	go func() { done <- s.Work(ctx, consumer, h) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return cancel, done
}

// reportHandler returns a handler that makes a report named after the
// payload and counts its runs.
func reportHandler(s store.Store, runs *sync.Map) store.Handler {
	return func(ctx context.Context, job store.Job) (store.JobResult, error) {
		n, _ := runs.LoadOrStore(job.ID, new(int))
		*n.(*int)++ // jobs run one at a time per worker; tests read after done
		if err := s.Progress(ctx, job.Tenant, job.ID, 1, 1); err != nil {
			return store.JobResult{}, err
		}
		rep := report(job.Tenant, "rep_"+string(job.Payload), "g1", "Ada", t0)
		raw, err := json.Marshal(rep)
		return store.JobResult{Report: raw}, err
	}
}

func waitState(t *testing.T, s store.Store, tenant, id string, want store.JobState) store.JobStatus {
	t.Helper()
	var st store.JobStatus
	eventually(t, "job "+string(want), func() bool {
		var err error
		st, err = s.Status(context.Background(), tenant, id)
		return err == nil && st.State == want
	})
	return st
}

func testJobDone(t *testing.T, open opener) {
	f := open(t, jobOpts)
	ctx := context.Background()
	id, err := f.s.Enqueue(ctx, "acme", []byte("one"))
	if err != nil {
		t.Fatal(err)
	}
	if st, err := f.s.Status(ctx, "acme", id); err != nil || st.State != store.JobQueued {
		t.Fatalf("Status = %+v, %v; want queued", st, err)
	}
	var runs sync.Map
	work(t, f.s, "w1", reportHandler(f.s, &runs))
	st := waitState(t, f.s, "acme", id, store.JobDone)
	if st.ReportID != "rep_one" || st.Attempts != 1 || st.Done != 1 || st.Total != 1 || st.CreatedAt.IsZero() {
		t.Errorf("Status = %+v", st)
	}
	rep, err := f.s.Get(ctx, "acme", "rep_one")
	if err != nil || rep.CreatedAt == nil {
		t.Fatalf("the job's report: %v, %v", rep, err)
	}
}

func testJobDeadLetter(t *testing.T, open opener) {
	tests := []struct {
		name         string
		err          error
		wantAttempts int
	}{
		{"transient failures retry", errors.New("model timed out"), 3},
		{"permanent failure does not", fmt.Errorf("%w: guide has no question q9", store.ErrPermanent), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := open(t, jobOpts)
			ctx := context.Background()
			id, err := f.s.Enqueue(ctx, "acme", []byte("x"))
			if err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			runs := 0
			work(t, f.s, "w1", func(ctx context.Context, job store.Job) (store.JobResult, error) {
				mu.Lock()
				defer mu.Unlock()
				runs++
				if job.Attempt != runs {
					t.Errorf("Attempt = %d on run %d", job.Attempt, runs)
				}
				return store.JobResult{}, tt.err
			})
			st := waitState(t, f.s, "acme", id, store.JobFailed)
			if st.Attempts != tt.wantAttempts || st.Error != tt.err.Error() {
				t.Errorf("Status = %+v, want %d attempts and the reason", st, tt.wantAttempts)
			}
			dls, err := f.s.DeadLetters(ctx, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(dls) != 1 || dls[0].ID != id || dls[0].Tenant != "acme" || dls[0].Reason != tt.err.Error() || dls[0].Attempts != tt.wantAttempts {
				t.Errorf("DeadLetters = %+v", dls)
			}
			mu.Lock()
			defer mu.Unlock()
			if runs != tt.wantAttempts {
				t.Errorf("handler runs = %d, want %d", runs, tt.wantAttempts)
			}
		})
	}
}

func testJobReclaimed(t *testing.T, open opener) {
	f := open(t, jobOpts)
	ctx := context.Background()
	id, err := f.s.Enqueue(ctx, "acme", []byte("reclaimed"))
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	stopA, doneA := work(t, f.s, "dying", func(ctx context.Context, job store.Job) (store.JobResult, error) {
		close(started)
		<-ctx.Done() // dies mid-job
		return store.JobResult{}, ctx.Err()
	})
	<-started
	stopA()
	if err := <-doneA; err != nil {
		t.Fatalf("Work after cancel: %v", err)
	}
	doneA <- nil // for the cleanup
	if st, _ := f.s.Status(ctx, "acme", id); st.State != store.JobRunning {
		t.Fatalf("after the worker died: state %s, want running (pending)", st.State)
	}

	var runs sync.Map
	work(t, f.sibling(), "rescuer", reportHandler(f.s, &runs))
	st := waitState(t, f.s, "acme", id, store.JobDone)
	if st.Attempts != 2 || st.ReportID != "rep_reclaimed" {
		t.Errorf("Status = %+v, want done on attempt 2", st)
	}
	p, err := f.s.List(ctx, "acme", store.ReportFilter{})
	if err != nil || !slices.Equal(ids(p), []string{"rep_reclaimed"}) {
		t.Errorf("reports = %v, %v; want exactly one", ids(p), err)
	}
}

func testJobStoredOnce(t *testing.T, open opener) {
	f := open(t, jobOpts)
	ctx := context.Background()
	// The first worker stores the report, then hangs before acking (as
	// if it died there); its entry goes stale and another worker
	// reclaims it.
	hung := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	store.SetAfterComplete(f.s, func() {
		once.Do(func() {
			close(hung)
			<-release
		})
	})
	// Released before the workers' cleanups, which wait for them.
	defer close(release)
	var runs sync.Map
	handler := func(ctx context.Context, job store.Job) (store.JobResult, error) {
		return reportHandler(f.s, &runs)(ctx, job)
	}
	id, err := f.s.Enqueue(ctx, "acme", []byte("once"))
	if err != nil {
		t.Fatal(err)
	}
	work(t, f.s, "hangs", handler)
	<-hung
	// Let the reclaiming worker store a second report if it would: any
	// run of the handler would be a second effect.
	work(t, f.sibling(), "rescuer", handler)
	eventually(t, "the stale entry to be reclaimed and acked", func() bool {
		return store.Pending(f.s) == 0
	})
	st := waitState(t, f.s, "acme", id, store.JobDone)
	n, _ := runs.Load(id)
	if st.Attempts != 1 || *n.(*int) != 1 {
		t.Errorf("attempts = %d, handler runs = %d; want 1, 1", st.Attempts, *n.(*int))
	}
	p, err := f.s.List(ctx, "acme", store.ReportFilter{})
	if err != nil || !slices.Equal(ids(p), []string{"rep_once"}) {
		t.Errorf("reports = %v, %v; want exactly one", ids(p), err)
	}
}

// testSessionGenerations: a bump ends one tenant's sessions on every
// replica, and purging the tenant's data does not reset it.
func testSessionGenerations(t *testing.T, open opener) {
	f := open(t, store.Options{})
	ctx := context.Background()
	gen := func(s store.Store, tenant string) int64 {
		t.Helper()
		n, err := s.SessionGeneration(ctx, tenant)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := gen(f.s, "acme"); n != 0 {
		t.Fatalf("fresh generation %d, want 0", n)
	}
	for want := int64(1); want <= 2; want++ {
		n, err := f.s.BumpSessionGeneration(ctx, "acme")
		if err != nil || n != want {
			t.Fatalf("bump: %d, %v; want %d", n, err, want)
		}
	}
	if n := gen(f.sibling(), "acme"); n != 2 {
		t.Errorf("another replica reads %d, want 2", n)
	}
	if n := gen(f.s, "globex"); n != 0 {
		t.Errorf("globex moved with acme: %d", n)
	}
	if err := f.s.PurgeTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if n := gen(f.s, "acme"); n != 2 {
		t.Errorf("after PurgeTenant the generation is %d, want 2 (a reset revives old sessions)", n)
	}
}

// testSessionKeys: a start without a recorded key bumps its tenant, once;
// so does a key moved to another tenant; a key back again bumps nothing.
func testSessionKeys(t *testing.T, open opener) {
	f := open(t, store.Options{})
	ctx := context.Background()
	syncKeys := func(s store.Store, keys map[string]string, want ...string) {
		t.Helper()
		got, err := s.SyncSessionKeys(ctx, keys)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("SyncSessionKeys(%v) bumped %v, want %v", keys, got, want)
		}
	}
	both := map[string]string{"k1": "acme", "k2": "acme", "k3": "globex"}
	syncKeys(f.s, both)
	syncKeys(f.sibling(), both)
	syncKeys(f.s, map[string]string{"k1": "acme", "k2": "acme"}, "globex")
	syncKeys(f.sibling(), map[string]string{"k1": "acme", "k2": "acme"})
	if n, _ := f.s.SessionGeneration(ctx, "globex"); n != 1 {
		t.Errorf("globex generation %d after its key went, want 1", n)
	}
	// k2 goes and k3 comes back: acme bumped; globex's returning key
	// does not revive its old sessions (its generation stays bumped).
	syncKeys(f.s, map[string]string{"k1": "acme", "k3": "globex"}, "acme")
	syncKeys(f.s, map[string]string{"k1": "globex", "k3": "globex"}, "acme")
	if n, _ := f.s.SessionGeneration(ctx, "acme"); n != 2 {
		t.Errorf("acme generation %d, want 2", n)
	}
	if n, _ := f.s.SessionGeneration(ctx, "globex"); n != 1 {
		t.Errorf("globex generation %d, want 1", n)
	}
	syncKeys(f.s, map[string]string{}, "globex")
}

// testDeploymentKey: one random key per name, the same on every replica.
func testDeploymentKey(t *testing.T, open opener) {
	f := open(t, store.Options{})
	ctx := context.Background()
	a, err := f.s.DeploymentKey(ctx, "report-ids")
	if err != nil || len(a) != 32 {
		t.Fatalf("DeploymentKey: %d bytes, %v", len(a), err)
	}
	b, err := f.sibling().DeploymentKey(ctx, "report-ids")
	if err != nil || !bytes.Equal(a, b) {
		t.Errorf("another replica's key differs (%v)", err)
	}
	c, err := f.s.DeploymentKey(ctx, "other")
	if err != nil || bytes.Equal(a, c) {
		t.Errorf("two names share a key (%v)", err)
	}
}
