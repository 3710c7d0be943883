package faults

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/candorhq/candor/internal/testkit"
)

// A second tenant, whose guide has the same id as acme's.
const (
	otherTenant = "globex"
	otherKey    = "fault-suite-globex-0123456789abcdef"
)

// callAs sends a request with tenant key's credentials.
func callAs(t *testing.T, key, method, url string, body []byte) response {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp.StatusCode, resp.Header, b}
}

// putGuide stores a one-question guide as the tenant's "team" guide and
// returns its version.
func putGuide(t *testing.T, key, base, title string) string {
	t.Helper()
	g, _ := json.Marshal(map[string]any{"title": title, "questions": []any{map[string]any{
		"id": "q1", "text": "Tell me about a time you helped a customer whose refund had gone wrong.",
		"areas": []string{"What the customer felt", "What the candidate did", "The outcome"}}}})
	r := callAs(t, key, http.MethodPut, base+"/v1/guides/team", g)
	if r.status != 200 && r.status != 201 {
		t.Fatalf("PUT guide %q: %d %s", title, r.status, r.body)
	}
	var created struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(r.body, &created); err != nil || created.Version == "" {
		t.Fatalf("PUT guide %q: %s", title, r.body)
	}
	return created.Version
}

// analysed is one analysis against the team guide, as the test saw it.
type analysed struct {
	sent    time.Time
	status  int
	version string
	source  string
}

func analyseTeam(t *testing.T, key, base string, i int) analysed {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"guide_id": "team", "answers": []any{
		map[string]string{"question_id": "q1", "text": answerText(i, "")}}})
	a := analysed{sent: time.Now()}
	r := callAs(t, key, http.MethodPost, base+"/v1/analyses", body)
	a.status, a.source = r.status, r.header.Get("Candor-Guide-Source")
	if r.status == http.StatusOK {
		var rep struct {
			Guide struct {
				Version string `json:"version"`
			} `json:"guide"`
		}
		if err := json.Unmarshal(r.body, &rep); err != nil {
			t.Fatalf("analysis: %v: %.300s", err, r.body)
		}
		a.version = rep.Guide.Version
	}
	return a
}

// TestGuideChangeReachesEveryReplica: two `candor serve` processes on one
// Redis. A guide replaced through one is analysed by the other with its
// new version for every request sent --guide-recheck after the PUT
// returned, never with the old one after that, and never with another
// tenant's guide of the same id; a DELETE likewise. With Redis stopped,
// the replica keeps analysing against the guide it holds, flagged in the
// response and its log (which holds no answer text).
func TestGuideChangeReachesEveryReplica(t *testing.T) {
	skipShort(t)
	rs := testkit.StartRedis(t)
	const bound = 300 * time.Millisecond
	env := map[string]string{"REDIS_URL": rs.URL(), "CANDOR_RATE_LIMIT": "0",
		"CANDOR_API_KEYS":      tenant + ":" + apiKey + "," + otherTenant + ":" + otherKey,
		"CANDOR_GUIDE_RECHECK": bound.String(), "CANDOR_LOG_LEVEL": "info"}
	a := startCandor(t, "serve-a", env, "serve", "--addr", "127.0.0.1:0", "--workers", "0")
	b := startCandor(t, "serve-b", env, "serve", "--addr", "127.0.0.1:0", "--workers", "0")

	globex := putGuide(t, otherKey, a.url, "Globex's team guide")
	prev := ""
	for round := range 3 {
		v := putGuide(t, apiKey, a.url, fmt.Sprintf("Acme's team guide, take %d", round+1))
		if v == prev || v == globex {
			t.Fatalf("round %d: version %s is not new", round, v)
		}
		done := time.Now()
		after := 0
		for i := 0; after < 5; i++ {
			if time.Since(done) > 30*time.Second {
				t.Fatalf("round %d: 30 s without 5 analyses past the bound", round)
			}
			// The same answer each time: replica b's response cache
			// answers repeats, and must check the guide too.
			got := analyseTeam(t, apiKey, b.url, i%2)
			if got.status != http.StatusOK {
				t.Fatalf("round %d: analysis on b: %d", round, got.status)
			}
			past := got.sent.Sub(done) >= bound
			switch {
			case past && got.version != v:
				t.Fatalf("round %d: an analysis sent %v after the PUT returned used version %s, want %s",
					round, got.sent.Sub(done).Round(time.Millisecond), got.version, v)
			case !past && got.version != v && got.version != prev:
				t.Fatalf("round %d: version %s is neither the new %s nor the old %s", round, got.version, v, prev)
			case past:
				after++
			}
			if g := analyseTeam(t, otherKey, b.url, i%2); g.status != http.StatusOK || g.version != globex {
				t.Fatalf("round %d: globex's analysis on b: %d, version %s; want its own %s", round, g.status, g.version, globex)
			}
		}
		prev = v
	}

	// Stopped Redis: b holds acme's guide (just used) and serves it,
	// flagged; an analysis with a built-in guide is not flagged.
	// (Within the bound of its last check it is used unflagged: b has
	// not asked Redis yet.)
	rs.Stop()
	waitUntil(t, 10*time.Second, "an analysis flagged as made with b's copy", func() bool {
		got := analyseTeam(t, apiKey, b.url, 0)
		if got.status != http.StatusOK || got.version != prev {
			t.Fatalf("Redis stopped: %d, version %s (Candor-Guide-Source %q); want 200, %s", got.status, got.version, got.source, prev)
		}
		return got.source == "replica-copy"
	})
	builtin := callAs(t, apiKey, http.MethodPost, b.url+"/v1/analyses", analysisBody(1, "", 1, ""))
	if builtin.status != http.StatusOK || builtin.header.Get("Candor-Guide-Source") != "" {
		t.Errorf("Redis stopped, built-in guide: %d, Candor-Guide-Source %q", builtin.status, builtin.header.Get("Candor-Guide-Source"))
	}
	waitUntil(t, 5*time.Second, "b's log to flag the replica's copy", func() bool {
		return strings.Contains(b.logs.String(), `"guide_source":"replica-copy"`)
	})
	if err := rs.Start(); err != nil {
		t.Fatal(err)
	}

	// A fresh Redis has lost the guides (no persistence here): put one
	// back and delete it through a; b answers 404 past the bound.
	putGuide(t, apiKey, a.url, "Acme's team guide, again")
	if got := analyseTeam(t, apiKey, b.url, 0); got.status != http.StatusOK {
		t.Fatalf("after the restart: %d", got.status)
	}
	if r := callAs(t, apiKey, http.MethodDelete, a.url+"/v1/guides/team", nil); r.status != http.StatusNoContent {
		t.Fatalf("DELETE: %d %s", r.status, r.body)
	}
	done := time.Now()
	for after := 0; after < 3; {
		if time.Since(done) > 30*time.Second {
			t.Fatal("30 s without 3 analyses past the bound")
		}
		got := analyseTeam(t, apiKey, b.url, 0)
		if got.sent.Sub(done) >= bound {
			if got.status != http.StatusNotFound {
				t.Fatalf("an analysis sent %v after the DELETE returned: %d, version %s; want 404",
					got.sent.Sub(done).Round(time.Millisecond), got.status, got.version)
			}
			after++
		}
	}
	assertNoSecrets(t, a, apiKey, otherKey, secretPhrase)
	assertNoSecrets(t, b, apiKey, otherKey, secretPhrase)
}
