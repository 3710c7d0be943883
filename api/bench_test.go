package api_test

import (
	"bytes"
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
// 3 KB answer analyzed again and again, served from the Redis cache.
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
			Engines: map[string]analyzer.Engine{api.EngineHeuristic: heuristic.New()}})
	body, err := os.ReadFile("loadtest/testdata/answer-3k.json")
	if err != nil {
		b.Fatal(err)
	}
	do := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/v1/analyses", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer bench-key-0123456789abcdef")
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		return w
	}
	if w := do(); w.Code != http.StatusOK {
		b.Fatalf("status %d: %s", w.Code, w.Body)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if w := do(); w.Code != http.StatusOK || w.Header().Get("X-Cache") != "hit" {
				b.Errorf("status %d, X-Cache %q", w.Code, w.Header().Get("X-Cache"))
			}
		}
	})
}
