package faults

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/candorhq/candor/internal/testkit"
)

// syncLoad sends synchronous analyses, each a distinct answer (no cache
// hit), from n loops until stop is called, and tallies the outcomes.
type syncLoad struct {
	ok, notStored atomic.Int64
	mu            sync.Mutex
	failures      []string
	samples       []sample
	stop          func()
	wg            sync.WaitGroup
}

func startSyncLoad(base string, n int, seq *atomic.Int64) *syncLoad {
	ctx, cancel := context.WithCancel(context.Background())
	l := &syncLoad{stop: cancel}
	for range n {
		l.wg.Go(func() {
			for ctx.Err() == nil {
				i := int(seq.Add(1))
				t0 := time.Now()
				r, err := do(ctx, "POST", base+"/v1/analyses", analysisBody(1000+i, "", 1, ""))
				if ctx.Err() != nil {
					return
				}
				d := time.Since(t0)
				var rep report
				switch {
				case err != nil:
					l.fail(fmt.Sprintf("request %d: %v", i, err))
				case r.status != http.StatusOK:
					l.fail(fmt.Sprintf("request %d: status %d: %.200s", i, r.status, r.body))
				case json.Unmarshal(r.body, &rep) != nil || rep.ID == "" || len(rep.Answers) != 1:
					l.fail(fmt.Sprintf("request %d: 200 without a whole report: %.200s", i, r.body))
				default:
					l.ok.Add(1)
					if rep.hasWarning("report_not_stored") {
						l.notStored.Add(1)
					}
					l.mu.Lock()
					l.samples = append(l.samples, sample{t0, d})
					l.mu.Unlock()
				}
			}
		})
	}
	return l
}

func (l *syncLoad) fail(msg string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.failures = append(l.failures, msg)
}

func (l *syncLoad) finish() {
	l.stop()
	l.wg.Wait()
}

// sample is one answered request: when it was sent, how long it took.
type sample struct {
	at time.Time
	d  time.Duration
}

// slowest is the longest answer to a request sent in [from, to).
func (l *syncLoad) slowest(from, to time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var m time.Duration
	for _, s := range l.samples {
		if !s.at.Before(from) && s.at.Before(to) {
			m = max(m, s.d)
		}
	}
	return m
}

// TestRedisRestartUnderLoad: redis-server dies (SIGKILL) and comes back on
// the same port while synchronous analyses keep coming. None fails:
// during the outage they are answered uncached and unstored (with a
// report_not_stored warning); /readyz says degraded, then ready again, and
// reports are stored again after the restart.
func TestRedisRestartUnderLoad(t *testing.T) {
	skipShort(t)
	rs := testkit.StartRedis(t)
	env := map[string]string{
		"REDIS_URL": rs.URL(), "CANDOR_API_KEYS": tenant + ":" + apiKey, "CANDOR_REDIS_PREFIX": "restart",
		"CANDOR_RATE_LIMIT": "0",
	}
	api := startCandor(t, "serve", env, "serve", "--addr", "127.0.0.1:0")
	if s, _, err := readiness(api.url); s != "ready" {
		t.Fatalf("readyz before the outage: %q %v", s, err)
	}

	var seq atomic.Int64
	load := startSyncLoad(api.url, 3, &seq)
	defer load.finish()
	atLeast := func(what string, n int64, counter *atomic.Int64) {
		t.Helper()
		target := counter.Load() + n
		waitUntil(t, 20*time.Second, what, func() bool { return counter.Load() >= target })
	}
	atLeast("analyses before the outage", 20, &load.ok)

	rs.Stop()
	stoppedAt := time.Now()
	waitUntil(t, 10*time.Second, "/readyz degraded", func() bool {
		s, code, _ := readiness(api.url)
		return s == "degraded" && code == http.StatusOK
	})
	t.Logf("degraded %.2fs after redis-server died", time.Since(stoppedAt).Seconds())
	atLeast("analyses answered unstored during the outage", 20, &load.notStored)

	if err := rs.Start(); err != nil {
		t.Fatal(err)
	}
	restartedAt := time.Now()
	waitUntil(t, 20*time.Second, "/readyz ready again", func() bool {
		s, _, _ := readiness(api.url)
		return s == "ready"
	})
	t.Logf("ready %.2fs after redis-server came back (outage %.1fs)", time.Since(restartedAt).Seconds(), restartedAt.Sub(stoppedAt).Seconds())
	notStored := load.notStored.Load()
	atLeast("analyses after the restart", 20, &load.ok)
	load.finish()

	load.mu.Lock()
	failures := load.failures
	load.mu.Unlock()
	for i, f := range failures {
		if i == 10 {
			t.Errorf("... and %d more", len(failures)-10)
			break
		}
		t.Error(f)
	}
	// Once Redis is back, reports are stored again.
	r := mustDo(t, "POST", api.url+"/v1/analyses", analysisBody(1, "", 1, " After the restart."))
	var rep report
	if r.status != 200 || json.Unmarshal(r.body, &rep) != nil || rep.hasWarning("report_not_stored") || r.header.Get("Content-Location") == "" {
		t.Fatalf("analysis after the restart: %d %.300s", r.status, r.body)
	}
	if g := mustDo(t, "GET", api.url+r.header.Get("Content-Location"), nil); g.status != 200 {
		t.Errorf("GET the report stored after the restart: %d", g.status)
	}
	ms := func(d time.Duration) float64 { return d.Seconds() * 1000 }
	t.Logf("figures: %d synchronous analyses, %d failed, %d answered unstored during the outage; slowest %.0f ms before, %.0f ms during, %.0f ms after",
		load.ok.Load()+int64(len(failures)), len(failures), notStored, ms(load.slowest(time.Time{}, stoppedAt)),
		ms(load.slowest(stoppedAt, restartedAt)), ms(load.slowest(restartedAt, time.Now())))
	assertNoSecrets(t, api, apiKey, secretPhrase)
}
