package api_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/api"
	"github.com/candorhq/candor/store"
)

// TestPurgeTenantKeyspace fills a real Redis with every kind of state two
// tenants can have (guides, idempotency keys, reports, cached analyses and
// responses, queued jobs and their stream entries, results, rate-limit
// buckets), scans the whole keyspace, purges one tenant through
// DELETE /v1/tenant, and scans again: every key of the purged tenant is
// gone, every key of the other is there with the same value, and the job
// stream holds no entry of the purged tenant.
func TestPurgeTenantKeyspace(t *testing.T) {
	e := newEnv(t, options{workers: -1, cfg: api.Config{RateLimit: 1000, RatePeriod: time.Hour}})
	ctx := context.Background()
	guide := yardstickGuide(t)
	var guideID string
	for _, tk := range []struct{ tenant, key string }{{tenantA, keyA}, {tenantB, keyB}} {
		r := e.do(req{method: "POST", path: "/v1/guides", key: tk.key, ctype: "text/plain; charset=utf-8", body: guide,
			header: map[string]string{"Idempotency-Key": "guide-1"}})
		want(t, r, http.StatusCreated, "")
		var g api.GuideCreated
		r.json(t, &g)
		guideID = g.ID
		want(t, e.postJSON("/v1/analyses", tk.key, answers(answerQ1)), http.StatusOK, "")
		want(t, e.postJSON("/v1/analyses?async=true", tk.key, answers(answerQ1+" Again.")), http.StatusAccepted, "")
		if err := e.store.PutResult(ctx, tk.tenant, store.ResultInfo{ID: "ev_1", Kind: "evaluation", Set: "s",
			CreatedAt: time.Now()}, []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
	}

	tag := func(tenant string) string { return e.prefix + ":{" + tenant + "}:" }
	byTenant := func(keys []string) map[string][]string {
		out := map[string][]string{}
		for _, k := range keys {
			switch {
			case strings.HasPrefix(k, tag(tenantA)):
				out[tenantA] = append(out[tenantA], k)
			case strings.HasPrefix(k, tag(tenantB)):
				out[tenantB] = append(out[tenantB], k)
			default:
				out[""] = append(out[""], k)
			}
		}
		return out
	}
	before := byTenant(e.redis.Keys(t))
	// Each kind is there for both tenants, or the test proves less than it says.
	for _, tenant := range []string{tenantA, tenantB} {
		for _, kind := range []string{"guides", "idem:", "rep:", "reps", "an:", "resp:", "respidx:", "job:", "res:evaluation:", "rl:"} {
			if !slices.ContainsFunc(before[tenant], func(k string) bool { return strings.HasPrefix(k, tag(tenant)+kind) }) {
				t.Errorf("before the purge %s has no %q key; keys: %v", tenant, kind, before[tenant])
			}
		}
	}
	if !slices.ContainsFunc(streamTenants(t, e), func(s string) bool { return s == tenantA }) {
		t.Fatalf("before the purge the job stream has no entry of %s", tenantA)
	}
	dumps := func(keys []string) map[string]any {
		m := map[string]any{}
		for _, k := range keys {
			m[k] = e.redis.Do(t, "DUMP", k)
		}
		return m
	}
	bBefore := dumps(before[tenantB])

	// confirm must name the caller's tenant.
	want(t, e.do(req{method: "DELETE", path: "/v1/tenant?confirm=" + tenantB, key: keyA}), http.StatusUnprocessableEntity, api.CodeValidation)
	want(t, e.do(req{method: "DELETE", path: "/v1/tenant", key: keyA}), http.StatusUnprocessableEntity, api.CodeValidation)
	want(t, e.do(req{method: "DELETE", path: "/v1/tenant?confirm=" + tenantA, key: keyA}), http.StatusNoContent, "")

	after := byTenant(e.redis.Keys(t))
	if len(after[tenantA]) != 0 {
		t.Errorf("%d keys of %s left after its purge: %v", len(after[tenantA]), tenantA, after[tenantA])
	}
	if !slices.Equal(after[tenantB], before[tenantB]) {
		t.Errorf("%s's keys changed with %s's purge:\nbefore %v\nafter  %v", tenantB, tenantA, before[tenantB], after[tenantB])
	}
	for k, v := range dumps(after[tenantB]) {
		if bBefore[k] != v {
			t.Errorf("%s's key %s changed value with %s's purge", tenantB, k, tenantA)
		}
	}
	// Outside the tenants' namespaces: the job stream, the session
	// generations and the deployment's own keys (the report-id key),
	// nothing else.
	for _, k := range after[""] {
		if k != e.prefix+":jobs" && k != e.prefix+":{~sessions}:gen" && !strings.HasPrefix(k, e.prefix+":{~deployment}:") {
			t.Errorf("key %s is outside every tenant's namespace", k)
		}
	}
	if got := streamTenants(t, e); slices.Contains(got, tenantA) || !slices.Contains(got, tenantB) {
		t.Errorf("job stream entries' tenants after the purge: %v; want %s's only", got, tenantB)
	}
	t.Logf("keys before: %s %d, %s %d, shared %d; after: %s %d, %s %d, shared %d",
		tenantA, len(before[tenantA]), tenantB, len(before[tenantB]), len(before[""]),
		tenantA, len(after[tenantA]), tenantB, len(after[tenantB]), len(after[""]))

	// Through the API too: A has nothing, B has everything.
	want(t, e.get("/v1/guides/"+guideID, keyA), http.StatusNotFound, "")
	want(t, e.get("/v1/guides/"+guideID, keyB), http.StatusOK, "")
	var pa, pb store.ReportPage
	e.get("/v1/reports", keyA).json(t, &pa)
	e.get("/v1/reports", keyB).json(t, &pb)
	if len(pa.Reports) != 0 || len(pb.Reports) != 1 {
		t.Errorf("reports after the purge: %s %d, %s %d; want 0 and 1", tenantA, len(pa.Reports), tenantB, len(pb.Reports))
	}
}

// streamTenants returns the tenant of each entry of the job stream.
func streamTenants(t *testing.T, e *env) []string {
	t.Helper()
	var out []string
	entries, _ := e.redis.Do(t, "XRANGE", e.prefix+":jobs", "-", "+").([]any)
	for _, en := range entries {
		fields := en.([]any)[1].([]any)
		for i := 0; i+1 < len(fields); i += 2 {
			if fields[i] == "tenant" {
				out = append(out, fields[i+1].(string))
			}
		}
	}
	return out
}
