package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/store"
)

func testGuides(t *testing.T, open opener) {
	f := open(t, store.Options{})
	ctx := context.Background()
	g := &analyzer.Guide{ID: "g1", Title: "One", Version: "v1"}
	if added, err := f.s.AddGuide(ctx, "acme", g); err != nil || !added {
		t.Fatalf("AddGuide = %v, %v; want added", added, err)
	}
	if added, err := f.s.AddGuide(ctx, "acme", g); err != nil || added {
		t.Fatalf("AddGuide again = %v, %v; want not added", added, err)
	}
	if _, err := f.s.GetGuide(ctx, "globex", "g1"); !isNotFound(err) {
		t.Errorf("another tenant's GetGuide: err = %v, want ErrNotFound", err)
	}
	g2 := &analyzer.Guide{ID: "g1", Title: "One", Version: "v2"}
	if replaced, err := f.sibling().PutGuide(ctx, "acme", g2); err != nil || !replaced {
		t.Fatalf("PutGuide = %v, %v; want replaced", replaced, err)
	}
	if replaced, err := f.s.PutGuide(ctx, "acme", &analyzer.Guide{ID: "a0", Version: "v1"}); err != nil || replaced {
		t.Fatalf("PutGuide of a new id = %v, %v; want not replaced", replaced, err)
	}
	if v, err := f.s.GuideVersion(ctx, "acme", "g1"); err != nil || v != "v2" {
		t.Errorf("GuideVersion after another replica's PutGuide = %q, %v; want v2", v, err)
	}
	if _, err := f.s.GuideVersion(ctx, "globex", "g1"); !isNotFound(err) {
		t.Errorf("another tenant's GuideVersion: err = %v, want ErrNotFound", err)
	}
	got, err := f.s.GetGuide(ctx, "acme", "g1")
	if err != nil || got.Version != "v2" || got.Title != "One" {
		t.Fatalf("GetGuide = %+v, %v; want version v2", got, err)
	}
	list, err := f.s.ListGuides(ctx, "acme")
	if err != nil || len(list) != 2 || list[0].ID != "a0" || list[1].ID != "g1" {
		t.Fatalf("ListGuides = %v, %v; want a0, g1", list, err)
	}
	if err := f.s.DeleteGuide(ctx, "globex", "g1"); !isNotFound(err) {
		t.Errorf("another tenant's DeleteGuide: err = %v, want ErrNotFound", err)
	}
	if err := f.s.DeleteGuide(ctx, "acme", "g1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.GetGuide(ctx, "acme", "g1"); !isNotFound(err) {
		t.Errorf("GetGuide after delete: err = %v", err)
	}
	if _, err := f.s.GuideVersion(ctx, "acme", "g1"); !isNotFound(err) {
		t.Errorf("GuideVersion after delete: err = %v", err)
	}
	if v, err := f.s.GuideVersion(ctx, "acme", "a0"); err != nil || v != "v1" {
		t.Errorf("GuideVersion of the guide left = %q, %v; want v1", v, err)
	}
}

func testIdempotency(t *testing.T, open opener) {
	f := open(t, store.Options{})
	ctx := context.Background()
	if kept, err := f.s.ClaimIdempotencyKey(ctx, "acme", "k1", []byte("claim"), time.Minute); err != nil || kept != nil {
		t.Fatalf("first claim = %q, %v; want nil", kept, err)
	}
	if kept, err := f.sibling().ClaimIdempotencyKey(ctx, "acme", "k1", []byte("other"), time.Minute); err != nil || string(kept) != "claim" {
		t.Fatalf("second claim = %q, %v; want the first claim", kept, err)
	}
	if kept, err := f.s.ClaimIdempotencyKey(ctx, "globex", "k1", []byte("g"), time.Minute); err != nil || kept != nil {
		t.Fatalf("another tenant's claim of the same key = %q, %v; want nil", kept, err)
	}
	if err := f.s.SaveIdempotencyKey(ctx, "acme", "k1", []byte("response"), time.Hour); err != nil {
		t.Fatal(err)
	}
	if kept, err := f.s.ClaimIdempotencyKey(ctx, "acme", "k1", []byte("again"), time.Minute); err != nil || string(kept) != "response" {
		t.Fatalf("claim after save = %q, %v; want the response", kept, err)
	}
	if err := f.s.ReleaseIdempotencyKey(ctx, "acme", "k1"); err != nil {
		t.Fatal(err)
	}
	if kept, err := f.s.ClaimIdempotencyKey(ctx, "acme", "k1", []byte("new"), time.Minute); err != nil || kept != nil {
		t.Fatalf("claim after release = %q, %v; want nil", kept, err)
	}
}

func testRateLimits(t *testing.T, open opener) {
	f := open(t, store.Options{})
	ctx := context.Background()
	// One token an hour, bursts of 3: nothing refills during the test.
	take := func(s store.Store, tenant, bucket string, want int) (int, time.Duration) {
		t.Helper()
		n, wait, err := s.TakeTokens(ctx, tenant, bucket, time.Hour, 3*time.Hour, want)
		if err != nil {
			t.Fatal(err)
		}
		return n, wait
	}
	if n, _ := take(f.s, "acme", "key1", 2); n != 2 {
		t.Fatalf("first take = %d, want 2", n)
	}
	if n, _ := take(f.sibling(), "acme", "key1", 2); n != 1 {
		t.Fatalf("second take (another replica) = %d, want the 1 left", n)
	}
	if n, wait := take(f.s, "acme", "key1", 1); n != 0 || wait <= 0 || wait > time.Hour {
		t.Fatalf("take from an empty bucket = %d, wait %v; want 0 and a wait up to an hour", n, wait)
	}
	if n, _ := take(f.s, "acme", "key2", 3); n != 3 {
		t.Errorf("another bucket = %d, want 3", n)
	}
	if n, _ := take(f.s, "globex", "key1", 3); n != 3 {
		t.Errorf("another tenant's bucket of the same name = %d, want 3", n)
	}
}

// testResponseCache: Redis keeps responses; the in-memory twin keeps none
// (every lookup misses).
func testResponseCache(t *testing.T, open opener) {
	f := open(t, store.Options{})
	ctx := context.Background()
	if err := f.s.PutResponse(ctx, "acme", "k1", "rep_1", []byte("entry"), time.Hour); err != nil {
		t.Fatal(err)
	}
	raw, err := f.s.GetResponse(ctx, "acme", "k1")
	if !f.s.Shared() {
		if !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("memory GetResponse = %q, %v; want ErrNotFound", raw, err)
		}
		return
	}
	if err != nil || string(raw) != "entry" {
		t.Fatalf("GetResponse = %q, %v", raw, err)
	}
	if _, err := f.s.GetResponse(ctx, "globex", "k1"); !isNotFound(err) {
		t.Errorf("another tenant's GetResponse: err = %v", err)
	}
	if err := f.s.ForgetResponses(ctx, "acme", "rep_1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.GetResponse(ctx, "acme", "k1"); !isNotFound(err) {
		t.Errorf("GetResponse after ForgetResponses: err = %v", err)
	}
}
