package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/api"
	"github.com/candorhq/candor/internal/testkit"
	"github.com/candorhq/candor/store"
)

// BenchmarkCachedAnalysis is the load test's request in process: the same
// 3 KB answer analyzed again and again, served from the Redis caches, with
// auth and the rate limiter on (limit above the load). "builtin" names
// cx-empathy; "tenant" the same guide uploaded as the tenant's own, which
// this process holds parsed (store.GuideCache).
func BenchmarkCachedAnalysis(b *testing.B) {
	rs := testkit.StartRedis(b)
	rc, err := store.OpenRedis(rs.URL(), store.RedisOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer rc.Close()
	keys, _ := api.ParseKeys("bench:bench-key-0123456789abcdef")
	srv := api.NewServer(api.Config{Keys: keys, RateLimit: 100_000_000, RateBurst: 1_000_000},
		api.Deps{Store: store.NewRedis(rc, store.Options{}),
			Engines: map[string]analyzer.Engine{analyzer.EngineHeuristic: heuristic.New()}})
	body, err := os.ReadFile("loadtest/testdata/answer-3k.json")
	if err != nil {
		b.Fatal(err)
	}
	do := func(method, path string, body []byte) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer bench-key-0123456789abcdef")
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		return w
	}
	// The tenant's copy of cx-empathy.
	w := do(http.MethodGet, "/v1/guides/cx-empathy", nil)
	var g map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &g); err != nil {
		b.Fatal(err)
	}
	g["id"] = "team-empathy"
	gb, _ := json.Marshal(g)
	if w := do(http.MethodPost, "/v1/guides", gb); w.Code != http.StatusCreated {
		b.Fatalf("POST guide: %d %s", w.Code, w.Body)
	}
	tenantBody := bytes.Replace(body, []byte(`"guide_id": "cx-empathy"`), []byte(`"guide_id": "team-empathy"`), 1)
	if bytes.Equal(tenantBody, body) {
		b.Fatal("the load test's body names no cx-empathy guide")
	}
	for _, bc := range []struct {
		name string
		body []byte
	}{{"builtin", body}, {"tenant", tenantBody}} {
		b.Run(bc.name, func(b *testing.B) {
			if w := do(http.MethodPost, "/v1/analyses", bc.body); w.Code != http.StatusOK {
				b.Fatalf("status %d: %s", w.Code, w.Body)
			}
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.body)))
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if w := do(http.MethodPost, "/v1/analyses", bc.body); w.Code != http.StatusOK || w.Header().Get("X-Cache") != "hit" {
						b.Errorf("status %d, X-Cache %q", w.Code, w.Header().Get("X-Cache"))
					}
				}
			})
		})
	}
}
