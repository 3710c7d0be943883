package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/store"
)

func testSlates(t *testing.T, open opener) {
	f := open(t, store.Options{})
	ctx := context.Background()
	s := &store.Slate{ID: "sl_1", Name: "Support lead, May", Guide: analyzer.GuideRef{ID: "cx-empathy", Title: "CX"},
		ReportIDs: []string{"rep_a", "rep_b"}, CreatedAt: t0}
	if err := store.PutSlate(ctx, f.s, "acme", s); err != nil {
		t.Fatal(err)
	}
	got, err := store.GetSlate(ctx, f.s, "acme", "sl_1")
	if err != nil || !reflect.DeepEqual(got.ReportIDs, s.ReportIDs) || got.Name != s.Name || !got.CreatedAt.Equal(t0) {
		t.Fatalf("GetSlate = %+v, %v", got, err)
	}
	if _, err := store.GetSlate(ctx, f.s, "globex", "sl_1"); !isNotFound(err) {
		t.Errorf("globex reads acme's slate: %v", err)
	}
	page, err := store.ListSlates(ctx, f.s, "acme", 10, "")
	if err != nil || len(page.Results) != 1 || page.Results[0].Set != s.Name || page.Results[0].Answers != 2 {
		t.Fatalf("ListSlates = %+v, %v", page, err)
	}
	if err := store.DeleteSlate(ctx, f.s, "acme", "sl_1"); err != nil {
		t.Fatal(err)
	}
	if err := store.DeleteSlate(ctx, f.s, "acme", "sl_1"); !isNotFound(err) {
		t.Errorf("second delete: %v", err)
	}
}

// testUpdateResult: UpdateResult sees the stored JSON (nil before the
// first write), leaves the result alone when fn returns nil, and keeps
// every change when many writers update one result at once.
func testUpdateResult(t *testing.T, open opener) {
	f := open(t, store.Options{})
	ctx := context.Background()
	add := func(n int) store.UpdateFunc {
		return func(raw []byte, now time.Time) ([]byte, store.ResultInfo, error) {
			var xs []int
			if raw != nil {
				if err := json.Unmarshal(raw, &xs); err != nil {
					return nil, store.ResultInfo{}, err
				}
			}
			xs = append(xs, n)
			b, err := json.Marshal(xs)
			return b, store.ResultInfo{Set: "counter", Answers: len(xs)}, err
		}
	}
	const writers = 16
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- f.s.UpdateResult(ctx, "acme", "counter", "c1", add(i))
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	raw, err := f.s.GetResult(ctx, "acme", "counter", "c1")
	var xs []int
	if err != nil || json.Unmarshal(raw, &xs) != nil {
		t.Fatalf("GetResult = %s, %v", raw, err)
	}
	slices.Sort(xs)
	if len(xs) != writers || xs[0] != 0 || xs[writers-1] != writers-1 {
		t.Errorf("after %d concurrent updates: %v", writers, xs)
	}
	page, err := f.s.ListResults(ctx, "acme", "counter", 10, "")
	if err != nil || len(page.Results) != 1 || page.Results[0].Answers != writers || page.Results[0].ID != "c1" {
		t.Errorf("list = %+v, %v", page, err)
	}
	// nil leaves it; an error is returned as it is and changes nothing.
	keep := func(raw []byte, _ time.Time) ([]byte, store.ResultInfo, error) { return nil, store.ResultInfo{}, nil }
	if err := f.s.UpdateResult(ctx, "acme", "counter", "c1", keep); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	fail := func(raw []byte, _ time.Time) ([]byte, store.ResultInfo, error) {
		return []byte(`[]`), store.ResultInfo{}, boom
	}
	if err := f.s.UpdateResult(ctx, "acme", "counter", "c1", fail); !errors.Is(err, boom) {
		t.Errorf("fn's error came back as %v", err)
	}
	if again, _ := f.s.GetResult(ctx, "acme", "counter", "c1"); string(again) != string(raw) {
		t.Errorf("changed to %s", again)
	}
	// Another tenant's result of that id is another result.
	if err := f.s.UpdateResult(ctx, "globex", "counter", "c1", add(99)); err != nil {
		t.Fatal(err)
	}
	if g, _ := f.s.GetResult(ctx, "globex", "counter", "c1"); string(g) != "[99]" {
		t.Errorf("globex's counter: %s", g)
	}
}

// testRoleSlates: a role's slate is made on first use, on the report's
// guide, named as the role was first written; later reports of the role
// (in any case and spacing) join it, once each; a report on another guide
// or past the limit is refused; LeaveSlates takes a report out of every
// slate that holds it; CreateSlate refuses a name in use.
func testRoleSlates(t *testing.T, open opener) {
	f := open(t, store.Options{})
	ctx := context.Background()
	cx := analyzer.GuideRef{ID: "cx-empathy", Title: "CX"}
	s, err := store.JoinSlate(ctx, f.s, "acme", "  REQ-118  CX lead ", cx, "rep_a")
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "REQ-118 CX lead" || s.Guide.ID != "cx-empathy" || !slices.Equal(s.ReportIDs, []string{"rep_a"}) ||
		s.ID != store.SlateID("acme", "req-118 cx lead") || s.CreatedAt.IsZero() {
		t.Fatalf("first join made %+v", s)
	}
	for _, id := range []string{"rep_b", "rep_a", "rep_c"} {
		if s, err = store.JoinSlate(ctx, f.s, "acme", "req-118 cx LEAD", cx, id); err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(s.ReportIDs, []string{"rep_a", "rep_b", "rep_c"}) || s.Name != "REQ-118 CX lead" {
		t.Errorf("after joins: %+v", s)
	}
	// By id, too.
	if s2, err := store.JoinSlate(ctx, f.s, "acme", s.ID, cx, "rep_d"); err != nil || s2.ID != s.ID || len(s2.ReportIDs) != 4 {
		t.Errorf("join by id: %+v, %v", s2, err)
	}
	if _, err := store.JoinSlate(ctx, f.s, "acme", "REQ-118 CX lead", analyzer.GuideRef{ID: "behavioral-core"}, "rep_x"); !errors.Is(err, store.ErrSlateGuide) {
		t.Errorf("a report on another guide: %v", err)
	}
	if got, err := store.FindSlate(ctx, f.s, "acme", "req-118 cx lead"); err != nil || got.ID != s.ID {
		t.Errorf("FindSlate = %+v, %v", got, err)
	}
	if _, err := store.FindSlate(ctx, f.s, "globex", "REQ-118 CX lead"); !isNotFound(err) {
		t.Errorf("globex finds acme's slate: %v", err)
	}
	// The limit.
	for i := 0; i < store.MaxSlateReports; i++ {
		_, err = store.JoinSlate(ctx, f.s, "acme", "volume", cx, fmt.Sprintf("rep_%02d", i))
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := store.JoinSlate(ctx, f.s, "acme", "volume", cx, "rep_over"); !errors.Is(err, store.ErrSlateFull) {
		t.Errorf("past the limit: %v", err)
	}
	if _, err := store.JoinSlate(ctx, f.s, "acme", "volume", cx, "rep_07"); err != nil {
		t.Errorf("joining again when full: %v", err)
	}
	// A report in two slates leaves both.
	n, err := store.LeaveSlates(ctx, f.s, "acme", "rep_b")
	if err != nil || n != 1 {
		t.Fatalf("LeaveSlates = %d, %v", n, err)
	}
	if _, err := store.JoinSlate(ctx, f.s, "acme", "volume", cx, "rep_c"); !errors.Is(err, store.ErrSlateFull) {
		t.Fatalf("%v", err)
	}
	if _, err := store.LeaveSlates(ctx, f.s, "acme", "rep_07"); err != nil {
		t.Fatal(err)
	}
	if _, err := store.JoinSlate(ctx, f.s, "acme", "volume", cx, "rep_c"); err != nil {
		t.Fatal(err)
	}
	if n, err := store.LeaveSlates(ctx, f.s, "acme", "rep_c"); err != nil || n != 2 {
		t.Errorf("rep_c left %d slates, %v", n, err)
	}
	got, _ := store.GetSlate(ctx, f.s, "acme", s.ID)
	if !slices.Equal(got.ReportIDs, []string{"rep_a", "rep_d"}) {
		t.Errorf("left: %v", got.ReportIDs)
	}
	page, _ := store.ListSlates(ctx, f.s, "acme", 10, "")
	for _, info := range page.Results {
		if info.ID == s.ID && info.Answers != 2 {
			t.Errorf("list entry not updated: %+v", info)
		}
	}
	if n, err := store.LeaveSlates(ctx, f.s, "globex", "rep_a"); err != nil || n != 0 {
		t.Errorf("globex: %d, %v", n, err)
	}
	// A name in use.
	err = store.CreateSlate(ctx, f.s, "acme", &store.Slate{Name: "Req-118 cx lead", Guide: cx, ReportIDs: []string{"rep_z"}})
	if !errors.Is(err, store.ErrSlateExists) {
		t.Errorf("CreateSlate of a name in use: %v", err)
	}
	fresh := &store.Slate{Name: "Shortlist", Guide: cx, ReportIDs: []string{"rep_z"}}
	if err := store.CreateSlate(ctx, f.s, "acme", fresh); err != nil || fresh.ID != store.SlateID("acme", "shortlist") || fresh.CreatedAt.IsZero() {
		t.Errorf("CreateSlate = %+v, %v", fresh, err)
	}
}
