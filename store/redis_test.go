package store_test

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/candorhq/candor/internal/testkit"
	"github.com/candorhq/candor/store"
)

// Two replicas (two clients, two stores, one engine each) share one
// computation through the Redis lock.
func TestRedisTwoReplicasOneComputation(t *testing.T) {
	o := store.Options{Prefix: uniquePrefix(t)}
	eng := newEngine()
	eng.gate = make(chan struct{})
	replicas := []*store.Scoped{
		store.CachedEngine(eng, store.NewRedis(client(t, srv), o), time.Hour).For("acme", "v1"),
		store.CachedEngine(eng, store.NewRedis(client(t, srv), o), time.Hour).For("acme", "v1"),
	}
	ctx := context.Background()
	type res struct {
		raw []byte
		hit bool
		err error
	}
	out := make([]res, len(replicas))
	var wg sync.WaitGroup
	for i, ce := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i].raw, out[i].hit, out[i].err = ce.AnalyzeJSON(ctx, question, answer)
		}()
	}
	eventually(t, "one replica to compute", func() bool { return eng.calls.Load() > 0 })
	close(eng.gate)
	wg.Wait()
	for i, r := range out {
		if r.err != nil {
			t.Fatalf("replica %d: %v", i, r.err)
		}
		if !bytes.Equal(r.raw, out[0].raw) {
			t.Errorf("replica %d got other bytes", i)
		}
	}
	if got := eng.calls.Load(); got != 1 {
		t.Errorf("engine calls = %d, want 1", got)
	}
	if out[0].hit == out[1].hit {
		t.Errorf("hits = %v, %v; want one computed and one served from Redis", out[0].hit, out[1].hit)
	}
}

// Redis stops mid-test: analyses are still served (uncached), job
// submission fails with ErrUnavailable, Ping says degraded; when it comes
// back on the same port everything recovers with the same client.
func TestRedisOutageAndRecovery(t *testing.T) {
	rs := testkit.StartRedis(t)
	client := client(t, rs)
	o := jobOpts
	o.Prefix = "outage"
	s := store.NewRedis(client, o)
	eng := newEngine()
	ce := store.CachedEngine(eng, s, time.Hour).For("acme", "v1")
	ctx := context.Background()
	var runs sync.Map
	work(t, s, "w1", reportHandler(s, &runs))

	if _, err := ce.Analyze(ctx, question, answer); err != nil {
		t.Fatal(err)
	}
	rs.Stop()

	if err := s.Ping(ctx); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("Ping while down: err = %v, want ErrUnavailable", err)
	}
	if err := store.Ping(ctx, client); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("store.Ping while down: err = %v, want ErrUnavailable", err)
	}
	for i := range 3 {
		a, err := ce.Analyze(ctx, question, answer)
		if err != nil || a.Cached || a.QuestionID != "q1" {
			t.Fatalf("analysis %d while down: cached=%v err=%v; want computed", i, a.Cached, err)
		}
	}
	if raw, hit, err := ce.AnalyzeJSON(ctx, question, answer); err != nil || hit || len(raw) == 0 {
		t.Fatalf("AnalyzeJSON while down: %d bytes, hit %v, %v", len(raw), hit, err)
	}
	if got := eng.calls.Load(); got != 5 {
		t.Errorf("engine calls = %d, want 5 (1 before, 4 while down)", got)
	}
	if _, err := s.Enqueue(ctx, "acme", []byte("down")); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("Enqueue while down: err = %v, want ErrUnavailable", err)
	}
	if _, err := s.Get(ctx, "acme", "rep_x"); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("Get while down: err = %v, want ErrUnavailable", err)
	}

	if err := rs.Start(); err != nil {
		t.Fatal(err)
	}
	eventually(t, "Ping to recover", func() bool { return s.Ping(ctx) == nil })
	// The restarted server is empty (no persistence): a miss, then hits.
	if a, err := ce.Analyze(ctx, question, answer); err != nil || a.Cached {
		t.Fatalf("first analysis after recovery: cached=%v err=%v", a.Cached, err)
	}
	if a, err := ce.Analyze(ctx, question, answer); err != nil || !a.Cached {
		t.Fatalf("second analysis after recovery: cached=%v err=%v; want a hit", a.Cached, err)
	}
	// The worker rode out the outage and recreates its lost group.
	id, err := s.Enqueue(ctx, "acme", []byte("after"))
	if err != nil {
		t.Fatalf("Enqueue after recovery: %v", err)
	}
	waitState(t, s, "acme", id, store.JobDone)
}

// Work returns when its client is closed under it, instead of spinning.
func TestRedisWorkReturnsOnClosedClient(t *testing.T) {
	c := client(t, srv)
	s := store.NewRedis(c, store.Options{Prefix: uniquePrefix(t), Poll: 20 * time.Millisecond})
	_, done := work(t, s, "w1", func(context.Context, store.Job) (store.JobResult, error) {
		return store.JobResult{}, nil
	})
	c.Close()
	if err := <-done; !errors.Is(err, redis.ErrClosed) {
		t.Errorf("Work = %v, want redis.ErrClosed", err)
	}
	done <- nil
}

func TestOpenRedis(t *testing.T) {
	tests := []struct {
		url     string
		want    string // the client's type
		wantErr bool
	}{
		{url: "redis://" + srv.Addr + "/0", want: "*redis.Client"},
		{url: "rediss://user:pw@cache.example:6380/2?dial_timeout=1s", want: "*redis.Client"},
		{url: "redis-sentinel://s1:26379,s2:26379/mymaster?db=1", want: "*redis.Client"},
		{url: "redis-sentinel://s1,s2/mymaster", want: "*redis.Client"},
		{url: "redis-cluster://h1:7000,h2:7001", want: "*redis.ClusterClient"},
		{url: "redis-cluster://h1:7000", want: "*redis.ClusterClient"},
		{url: "redis-sentinel://s1:26379", wantErr: true},
		{url: "redis-cluster://h1:7000/3", wantErr: true},
		{url: "redis://h/notadb", wantErr: true},
		{url: "memcached://h:11211", wantErr: true},
		{url: "redis-cluster://", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			c, err := store.OpenRedis(tt.url, store.RedisOptions{DialTimeout: time.Second, PoolSize: 4, MaxRetries: -1})
			if tt.wantErr {
				if err == nil {
					c.Close()
					t.Fatal("no error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if got := typeName(c); got != tt.want {
				t.Errorf("client = %s, want %s", got, tt.want)
			}
		})
	}
	c, err := store.OpenRedis("redis://"+srv.Addr, store.RedisOptions{PoolSize: 3, ReadTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := store.Ping(context.Background(), c); err != nil {
		t.Errorf("Ping: %v", err)
	}
	if o := c.(*redis.Client).Options(); o.PoolSize != 3 || o.ReadTimeout != 2*time.Second {
		t.Errorf("options not applied: pool %d, read timeout %v", o.PoolSize, o.ReadTimeout)
	}
}

func typeName(c redis.UniversalClient) string {
	switch c.(type) {
	case *redis.Client:
		return "*redis.Client"
	case *redis.ClusterClient:
		return "*redis.ClusterClient"
	}
	return "other"
}

// BenchmarkCacheHit measures a hit served as stored bytes (the API path)
// from the local redis-server.
func BenchmarkCacheHit(b *testing.B) {
	c := client(b, srv)
	s := store.NewRedis(c, store.Options{Prefix: uniquePrefix(b)})
	ce := store.CachedEngine(newEngine(), s, time.Hour).For("acme", "v1")
	ctx := context.Background()
	raw, _, err := ce.AnalyzeJSON(ctx, question, answer)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, hit, err := ce.AnalyzeJSON(ctx, question, answer); err != nil || !hit {
			b.Fatalf("hit=%v err=%v", hit, err)
		}
	}
}

// BenchmarkCacheHitDecoded is the same hit through the Engine interface,
// which decodes the bytes.
func BenchmarkCacheHitDecoded(b *testing.B) {
	c := client(b, srv)
	s := store.NewRedis(c, store.Options{Prefix: uniquePrefix(b)})
	ce := store.CachedEngine(newEngine(), s, time.Hour).For("acme", "v1")
	ctx := context.Background()
	raw, _, err := ce.AnalyzeJSON(ctx, question, answer)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if a, err := ce.Analyze(ctx, question, answer); err != nil || !a.Cached {
			b.Fatalf("cached=%v err=%v", a.Cached, err)
		}
	}
}
