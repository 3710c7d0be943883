package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/api"
	"github.com/candorhq/candor/internal/testkit"
)

// uploadOwnEmpathy stores the built-in cx-empathy guide as the tenant's
// own, under id (with title as its title, so each tenant's differs), and
// returns its version.
func uploadOwnEmpathy(t *testing.T, e *env, key, id, title string) string {
	t.Helper()
	var g map[string]any
	r := e.get("/v1/guides/cx-empathy", key)
	want(t, r, 200, "")
	r.json(t, &g)
	g["id"], g["title"] = id, title
	delete(g, "version")
	b, _ := json.Marshal(g)
	r = e.do(req{method: http.MethodPut, path: "/v1/guides/" + id, key: key, ctype: "application/json", body: b})
	if r.status != 200 && r.status != 201 {
		t.Fatalf("PUT guide: %d %s", r.status, r.body)
	}
	var created api.GuideCreated
	r.json(t, &created)
	return created.Version
}

func analyseWith(guideID string) map[string]any {
	a := answers(answerQ1)
	a["guide_id"] = guideID
	return a
}

// With Redis stopped, a tenant's guide used a moment before still serves
// analyses, flagged on the response and in the log (which holds no answer
// text); a guide never held, or held past GuideOffline, answers 503.
func TestTenantGuideWhileRedisDown(t *testing.T) {
	logs := &testkit.SyncBuffer{}
	// Recheck of 1ns: every lookup asks the store, so the outage is seen
	// at once.
	e := newEnv(t, options{workers: -1, logs: logs, cfg: api.Config{GuideRecheck: time.Nanosecond}})
	version := uploadOwnEmpathy(t, e, keyA, "team-empathy", "Team empathy")
	uploadOwnEmpathy(t, e, keyA, "never-used", "Never used")
	strict := api.NewServer(api.Config{Keys: testKeys(t), GuideRecheck: time.Nanosecond, GuideOffline: -1},
		api.Deps{Store: e.store, Engines: map[string]analyzer.Engine{analyzer.EngineHeuristic: heuristic.New()}})
	sts := httptest.NewServer(strict)
	defer sts.Close()
	post := func(base, guideID string) *response {
		b, _ := json.Marshal(analyseWith(guideID))
		saved := e.url
		e.url = base
		defer func() { e.url = saved }()
		return e.do(req{method: http.MethodPost, path: "/v1/analyses", key: keyA, ctype: "application/json", body: b})
	}
	for _, base := range []string{e.url, sts.URL} {
		r := post(base, "team-empathy")
		want(t, r, 200, "")
		if got := r.header.Get(api.GuideSourceHeader); got != "" {
			t.Errorf("with Redis up: %s: %q", api.GuideSourceHeader, got)
		}
	}

	e.redis.Stop()
	r := post(e.url, "team-empathy")
	want(t, r, 200, "")
	var rep analyzer.Report
	r.json(t, &rep)
	if got := r.header.Get(api.GuideSourceHeader); got != api.GuideSourceReplicaCopy {
		t.Errorf("Redis down, held guide: %s = %q, want %q", api.GuideSourceHeader, got, api.GuideSourceReplicaCopy)
	}
	if rep.Guide.ID != "team-empathy" || rep.Guide.Version != version || len(rep.Answers) != 1 {
		t.Errorf("Redis down: report on guide %+v with %d answers", rep.Guide, len(rep.Answers))
	}
	g := e.get("/v1/guides/team-empathy", keyA)
	want(t, g, 200, "")
	if g.header.Get(api.GuideSourceHeader) != api.GuideSourceReplicaCopy {
		t.Errorf("GET of the held guide while Redis is down: %s = %q", api.GuideSourceHeader, g.header.Get(api.GuideSourceHeader))
	}
	if b := post(e.url, "cx-empathy"); b.status != 200 || b.header.Get(api.GuideSourceHeader) != "" {
		t.Errorf("built-in guide while Redis is down: %d, %s = %q", b.status, api.GuideSourceHeader, b.header.Get(api.GuideSourceHeader))
	}
	want(t, post(e.url, "never-used"), 503, api.CodeStoreUnavailable)
	// A replica that lets no copy serve (GuideOffline < 0) answers 503 as
	// one past the bound does.
	want(t, post(sts.URL, "team-empathy"), 503, api.CodeStoreUnavailable)

	out := logs.String()
	if !strings.Contains(out, `"guide_source":"replica-copy"`) || !strings.Contains(out, "guide served from this replica's copy") {
		t.Errorf("the log does not flag the replica's copy:\n%s", out)
	}
	if strings.Contains(out, "courier") || strings.Contains(out, "depot") {
		t.Error("the log holds answer text")
	}
}

// Two replicas on one Redis: a guide changed through one is analysed with
// its new version by the other (within GuideRecheck, here 1ns: at once),
// never the old one after that, and one tenant's guide never stands in for
// another's of the same id.
func TestTenantGuideChangedOnAnotherReplica(t *testing.T) {
	e := newEnv(t, options{workers: -1})
	second := api.NewServer(api.Config{Keys: testKeys(t), GuideRecheck: time.Nanosecond},
		api.Deps{Store: e.store, Engines: map[string]analyzer.Engine{analyzer.EngineHeuristic: heuristic.New()}})
	ts := httptest.NewServer(second)
	defer ts.Close()
	onSecond := func(key, guideID string) analyzer.Report {
		t.Helper()
		b, _ := json.Marshal(analyseWith(guideID))
		saved := e.url
		e.url = ts.URL
		defer func() { e.url = saved }()
		r := e.do(req{method: http.MethodPost, path: "/v1/analyses", key: key, ctype: "application/json", body: b})
		want(t, r, 200, "")
		var rep analyzer.Report
		r.json(t, &rep)
		return rep
	}
	globex := uploadOwnEmpathy(t, e, keyB, "team-empathy", "Globex empathy")
	seen := map[string]bool{globex: true}
	for i, title := range []string{"Acme empathy", "Acme empathy, revised", "Acme empathy, third"} {
		v := uploadOwnEmpathy(t, e, keyA, "team-empathy", title)
		if seen[v] {
			t.Fatalf("round %d: version %s seen before", i, v)
		}
		seen[v] = true
		for range 3 {
			if rep := onSecond(keyA, "team-empathy"); rep.Guide.Version != v {
				t.Fatalf("round %d: acme's analysis on the other replica used version %s, want %s", i, rep.Guide.Version, v)
			}
			if rep := onSecond(keyB, "team-empathy"); rep.Guide.Version != globex {
				t.Fatalf("round %d: globex's analysis used version %s, want its own %s", i, rep.Guide.Version, globex)
			}
		}
	}
	if r := e.do(req{method: http.MethodDelete, path: "/v1/guides/team-empathy", key: keyA}); r.status != 204 {
		t.Fatalf("DELETE: %d %s", r.status, r.body)
	}
	b, _ := json.Marshal(analyseWith("team-empathy"))
	saved := e.url
	e.url = ts.URL
	r := e.do(req{method: http.MethodPost, path: "/v1/analyses", key: keyA, ctype: "application/json", body: b})
	e.url = saved
	want(t, r, 404, api.CodeGuideNotFound)
	if rep := onSecond(keyB, "team-empathy"); rep.Guide.Version != globex {
		t.Errorf("globex's guide after acme's delete: version %s", rep.Guide.Version)
	}
}
