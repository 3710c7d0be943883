package store_test

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/candorhq/candor/store"
)

func resultIDs(p store.ResultPage) []string {
	var out []string
	for _, r := range p.Results {
		out = append(out, r.ID)
	}
	return out
}

func testResults(t *testing.T, open opener) {
	f := open(t, store.Options{})
	ctx := context.Background()
	put := func(tenant, kind, id string, at time.Time) {
		t.Helper()
		info := store.ResultInfo{ID: id, Kind: kind, Set: "set " + id, Engines: []string{"heuristic"}, Answers: 3, CreatedAt: at}
		if err := f.s.PutResult(ctx, tenant, info, []byte(`{"id":"`+id+`"}`)); err != nil {
			t.Fatal(err)
		}
	}
	put("acme", "evaluation", "ev_1", t0)
	put("acme", "evaluation", "ev_2", t0.Add(time.Hour))
	put("acme", "evaluation", "ev_3", t0.Add(2*time.Hour))
	put("acme", "audit", "au_1", t0)
	put("globex", "evaluation", "ev_9", t0)

	raw, err := f.s.GetResult(ctx, "acme", "evaluation", "ev_2")
	if err != nil || string(raw) != `{"id":"ev_2"}` {
		t.Fatalf("GetResult = %s, %v", raw, err)
	}
	// Another tenant and another kind see nothing.
	if _, err := f.s.GetResult(ctx, "globex", "evaluation", "ev_2"); !isNotFound(err) {
		t.Errorf("globex reads acme's result: %v", err)
	}
	if _, err := f.s.GetResult(ctx, "acme", "audit", "ev_2"); !isNotFound(err) {
		t.Errorf("an evaluation read as an audit: %v", err)
	}

	// Newest first, two at a time.
	p1, err := f.s.ListResults(ctx, "acme", "evaluation", 2, "")
	if err != nil || !slices.Equal(resultIDs(p1), []string{"ev_3", "ev_2"}) || p1.Next == "" {
		t.Fatalf("page 1 = %v next %q, %v", resultIDs(p1), p1.Next, err)
	}
	if got := p1.Results[0]; got.Kind != "evaluation" || got.Set != "set ev_3" || got.Answers != 3 || !got.CreatedAt.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("info = %+v", got)
	}
	p2, err := f.s.ListResults(ctx, "acme", "evaluation", 2, p1.Next)
	if err != nil || !slices.Equal(resultIDs(p2), []string{"ev_1"}) || p2.Next != "" {
		t.Fatalf("page 2 = %v next %q, %v", resultIDs(p2), p2.Next, err)
	}
	if p, _ := f.s.ListResults(ctx, "acme", "audit", 0, ""); !slices.Equal(resultIDs(p), []string{"au_1"}) {
		t.Errorf("audits = %v", resultIDs(p))
	}
	if _, err := f.s.ListResults(ctx, "acme", "evaluation", 0, "not a cursor"); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("bad cursor: %v", err)
	}

	if err := f.s.DeleteResult(ctx, "globex", "evaluation", "ev_1"); !isNotFound(err) {
		t.Errorf("globex deletes acme's result: %v", err)
	}
	if err := f.s.DeleteResult(ctx, "acme", "evaluation", "ev_1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.GetResult(ctx, "acme", "evaluation", "ev_1"); !isNotFound(err) {
		t.Errorf("after delete: %v", err)
	}
	if err := f.s.DeleteResult(ctx, "acme", "evaluation", "ev_1"); !isNotFound(err) {
		t.Errorf("second delete: %v", err)
	}
	for _, bad := range []store.ResultInfo{{ID: "x", Kind: "Evaluation"}, {ID: "", Kind: "audit"}, {ID: "a:b", Kind: "audit"}} {
		if err := f.s.PutResult(ctx, "acme", bad, []byte("{}")); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("PutResult(%+v) = %v, want ErrInvalid", bad, err)
		}
	}

	if err := f.s.PurgeTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if p, _ := f.s.ListResults(ctx, "acme", "evaluation", 0, ""); len(p.Results) != 0 {
		t.Errorf("acme's results after purge: %v", resultIDs(p))
	}
	if _, err := f.s.GetResult(ctx, "acme", "audit", "au_1"); !isNotFound(err) {
		t.Errorf("acme's audit after purge: %v", err)
	}
	if p, _ := f.s.ListResults(ctx, "globex", "evaluation", 0, ""); !slices.Equal(resultIDs(p), []string{"ev_9"}) {
		t.Errorf("globex's results after acme's purge: %v", resultIDs(p))
	}
}

func testResultRetention(t *testing.T, open opener) {
	f := open(t, store.Options{Retention: 200 * time.Millisecond})
	ctx := context.Background()
	if err := f.s.PutResult(ctx, "acme", store.ResultInfo{ID: "au_1", Kind: "audit"}, []byte("{}")); err != nil {
		t.Fatal(err)
	}
	f.pass(time.Second)
	eventually(t, "the result to expire", func() bool {
		_, err := f.s.GetResult(ctx, "acme", "audit", "au_1")
		p, _ := f.s.ListResults(ctx, "acme", "audit", 0, "")
		return isNotFound(err) && len(p.Results) == 0
	})
}

// testJobResult: a job that makes a result stores it once, and its status
// names it.
func testJobResult(t *testing.T, open opener) {
	f := open(t, jobOpts)
	ctx := context.Background()
	id, err := f.s.Enqueue(ctx, "acme", []byte("ev"))
	if err != nil {
		t.Fatal(err)
	}
	var runs atomic.Int64
	work(t, f.s, "w1", func(ctx context.Context, job store.Job) (store.JobResult, error) {
		runs.Add(1)
		return store.JobResult{Kind: "evaluation", Result: []byte(`{"id":"ev_` + job.ID + `"}`),
			Info: store.ResultInfo{ID: "ev_" + job.ID, Set: "dev", Answers: 2}}, nil
	})
	st := waitState(t, f.s, "acme", id, store.JobDone)
	if st.ResultKind != "evaluation" || st.ResultID != "ev_"+id || st.ReportID != "" {
		t.Errorf("Status = %+v", st)
	}
	raw, err := f.s.GetResult(ctx, "acme", "evaluation", "ev_"+id)
	if err != nil || string(raw) != `{"id":"ev_`+id+`"}` {
		t.Errorf("the job's result: %s, %v", raw, err)
	}
	p, err := f.s.ListResults(ctx, "acme", "evaluation", 0, "")
	if err != nil || len(p.Results) != 1 || p.Results[0].CreatedAt.IsZero() || p.Results[0].Kind != "evaluation" {
		t.Errorf("list = %+v, %v", p, err)
	}
	if rp, _ := f.s.List(ctx, "acme", store.ReportFilter{}); len(rp.Reports) != 0 {
		t.Errorf("a result job made reports: %v", ids(rp))
	}
	if n := runs.Load(); n != 1 {
		t.Errorf("handler ran %d times", n)
	}
}
