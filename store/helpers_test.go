package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/internal/testkit"
	"github.com/candorhq/candor/store"
)

// srv is the redis-server shared by the package's tests; each test keys
// its data under a prefix of its own.
var srv *testkit.Redis

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "candor-redis-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	srv, err = testkit.NewRedis(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	srv.Stop()
	os.RemoveAll(dir)
	os.Exit(code)
}

// client returns a client of rs that the test closes at its end. Its
// retries and timeouts are short so that outage tests stay fast.
func client(tb testing.TB, rs *testkit.Redis) *redis.Client {
	tb.Helper()
	c := redis.NewClient(&redis.Options{
		Addr: rs.Addr, MaxRetries: -1, DialTimeout: 250 * time.Millisecond, DialerRetries: 1,
		ReadTimeout: 2 * time.Second, WriteTimeout: 2 * time.Second,
	})
	tb.Cleanup(func() { _ = c.Close() })
	return c
}

var prefixes atomic.Int64

func uniquePrefix(t testing.TB) string {
	return fmt.Sprintf("t%d", prefixes.Add(1))
}

// clock is the memory twin's clock: real time plus an offset the test
// moves forward to expire entries.
type clock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.off += d
}

// fixture is one backend under test.
type fixture struct {
	s store.Store
	// pass makes d go by for expiry: the memory clock moves, Redis
	// expires keys by itself (the test polls).
	pass func(d time.Duration)
	// sibling returns another instance over the same data, as another
	// replica would have (a new client for Redis).
	sibling func() store.Store
}

type opener func(t *testing.T, o store.Options) fixture

func openMemory(t *testing.T, o store.Options) fixture {
	c := &clock{}
	o.Now = c.Now
	m := store.NewMemory(o)
	return fixture{s: m, pass: c.Advance, sibling: func() store.Store { return m }}
}

func openRedis(t *testing.T, o store.Options) fixture {
	o.Prefix = uniquePrefix(t)
	return fixture{
		s:       store.NewRedis(client(t, srv), o),
		pass:    func(time.Duration) {},
		sibling: func() store.Store { return store.NewRedis(client(t, srv), o) },
	}
}

var backends = []struct {
	name string
	open opener
}{
	{"memory", openMemory},
	{"redis", openRedis},
}

// countingEngine is the test double for the wrapped engine: a
// deterministic, valid analysis, and a count of the calls.
type countingEngine struct {
	info  analyzer.EngineInfo
	calls atomic.Int64
	// gate, when set, holds every call until it is closed.
	gate chan struct{}
	// started receives once per call, when set.
	started chan struct{}
}

func newEngine() *countingEngine {
	return &countingEngine{info: analyzer.EngineInfo{Name: "counting", Model: "m1", PromptVersion: "p1", Options: "seed=1"}}
}

func (e *countingEngine) Info() analyzer.EngineInfo { return e.info }

func (e *countingEngine) Analyze(ctx context.Context, q analyzer.Question, text string) (analyzer.AnswerAnalysis, error) {
	e.calls.Add(1)
	if e.started != nil {
		e.started <- struct{}{}
	}
	if e.gate != nil {
		select {
		case <-e.gate:
		case <-ctx.Done():
			return analyzer.AnswerAnalysis{}, ctx.Err()
		}
	}
	words := strings.Fields(text)
	if len(words) == 0 {
		return analyzer.AnswerAnalysis{}, analyzer.ErrEmptyAnswer
	}
	first := []rune(words[0])
	a := analyzer.AnswerAnalysis{
		QuestionID: q.ID, Question: q.Text, Text: text, FollowUps: q.FollowUps,
		Engine: e.info.Name, Words: len(words),
		Delivery: analyzer.Delivery{Label: analyzer.LabelSpecific, Specificity: 70, Signals: []analyzer.Signal{}},
	}
	for i, area := range q.Areas {
		a.Coverage.Areas = append(a.Coverage.Areas, analyzer.AreaResult{
			Index: i + 1, Text: area, Status: analyzer.StatusCovered, Confidence: 0.9,
			Evidence: []analyzer.Span{{Quote: string(first), Start: 0, End: len(first)}},
		})
	}
	a.Coverage.Score = 1
	return a, nil
}

var question = analyzer.Question{
	ID: "q1", Text: "Tell me about a time you helped an upset customer.",
	Areas:     []string{"The situation", "What the candidate did"},
	FollowUps: []string{"What did you learn?"},
}

const answer = "Last March a customer called about a double charge, and I refunded it the same day."

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		<-tick.C
	}
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
