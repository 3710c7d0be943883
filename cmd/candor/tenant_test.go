package main

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/internal/testkit"
	"github.com/candorhq/candor/store"
)

// TestTenantPurgeCommand: candor tenant purge deletes every key of one
// tenant in a real Redis and leaves the other's as they were; mistakes in
// how it is called exit 2 without touching anything.
func TestTenantPurgeCommand(t *testing.T) {
	rs := testkit.StartRedis(t)
	c, err := store.OpenRedis(rs.URL(), store.RedisOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	st := store.NewRedis(c, store.Options{Prefix: "ops"})
	ctx := context.Background()
	for _, tenant := range []string{"acme", "globex"} {
		if _, err := st.AddGuide(ctx, tenant, &analyzer.Guide{ID: "own", Version: "v1"}); err != nil {
			t.Fatal(err)
		}
		if err := st.PutAnalysis(ctx, tenant, "k1", []byte("{}"), 0); err != nil {
			t.Fatal(err)
		}
		if err := st.SaveIdempotencyKey(ctx, tenant, "i1", []byte("kept"), time.Hour); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Enqueue(ctx, tenant, []byte("{}")); err != nil {
			t.Fatal(err)
		}
	}
	of := func(keys []string, tenant string) []string {
		var out []string
		for _, k := range keys {
			if strings.HasPrefix(k, "ops:{"+tenant+"}:") {
				out = append(out, k)
			}
		}
		return out
	}
	before := rs.Keys(t)
	if len(of(before, "acme")) < 4 || len(of(before, "globex")) < 4 {
		t.Fatalf("keys before: %v", before)
	}
	env := map[string]string{"REDIS_URL": rs.URL(), "CANDOR_REDIS_PREFIX": "ops"}
	cli := func(args ...string) result {
		var stdout, stderr bytes.Buffer
		err := run(ctx, args, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
		code := exitCode(err, &stderr)
		return result{stdout: stdout.String(), stderr: stderr.String(), code: code, err: err}
	}
	for _, bad := range [][]string{
		{"tenant"},
		{"tenant", "purge", "acme"},
		{"tenant", "purge", "--confirm", "globex", "acme"},
		{"tenant", "purge", "--confirm", "acme"},
	} {
		if r := cli(bad...); r.code != 2 {
			t.Errorf("candor %s: exit %d, want 2; stderr %s", strings.Join(bad, " "), r.code, r.stderr)
		}
	}
	if got := rs.Keys(t); !slices.Equal(got, before) {
		t.Fatalf("a refused purge changed the keys:\nbefore %v\nafter  %v", before, got)
	}
	if r := cli("tenant", "purge", "--confirm", "acme", "acme"); r.code != 0 || !strings.Contains(r.stdout, "purged tenant acme") {
		t.Fatalf("purge: exit %d, stdout %q, stderr %s", r.code, r.stdout, r.stderr)
	}
	after := rs.Keys(t)
	if left := of(after, "acme"); len(left) != 0 {
		t.Errorf("acme's keys left: %v", left)
	}
	if !slices.Equal(of(after, "globex"), of(before, "globex")) {
		t.Errorf("globex's keys changed: before %v, after %v", of(before, "globex"), of(after, "globex"))
	}
	// The stream keeps globex's entry only.
	entries, _ := rs.Do(t, "XRANGE", "ops:jobs", "-", "+").([]any)
	if len(entries) != 1 || !slices.Contains(entries[0].([]any)[1].([]any), any("globex")) {
		t.Errorf("job stream after the purge: %v; want globex's entry only", entries)
	}
	if n, err := st.SessionGeneration(ctx, "acme"); err != nil || n != 1 {
		t.Errorf("acme's session generation = %d, %v; want 1 (its sessions ended)", n, err)
	}

	delete(env, "REDIS_URL")
	if r := cli("tenant", "purge", "--confirm", "acme", "acme"); r.code != 2 || !strings.Contains(r.stderr, "REDIS_URL") {
		t.Errorf("without REDIS_URL: exit %d, stderr %q; want 2 naming REDIS_URL", r.code, r.stderr)
	}
}
