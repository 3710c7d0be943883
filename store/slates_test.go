package store_test

import (
	"context"
	"reflect"
	"testing"

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
