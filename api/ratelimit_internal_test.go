package api

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// gatedBuckets grants every TakeTokens in full, counting the calls and
// saying each on arrived; calls after the first wait for gate.
type gatedBuckets struct {
	calls   atomic.Int64
	arrived chan int64
	gate    chan struct{}
}

func (g *gatedBuckets) TakeTokens(ctx context.Context, _, _ string, _, _ time.Duration, want int) (int, time.Duration, error) {
	n := g.calls.Add(1)
	g.arrived <- n
	if n > 1 {
		select {
		case <-g.gate:
		case <-ctx.Done():
			return 0, 0, ctx.Err()
		}
	}
	return want, 0, nil
}

// Past half a lease the next is reserved in the background: the requests
// meanwhile spend what is left without waiting for the store.
func TestLimiterReservesNextLeaseEarly(t *testing.T) {
	st := &gatedBuckets{gate: make(chan struct{}), arrived: make(chan int64, 10)}
	l := newLimiter(Config{RateLimit: 6000, RatePeriod: time.Minute, RateBurst: 200}, st)
	if l.lease != 10 {
		t.Fatalf("lease = %d, want 10", l.lease)
	}
	ctx := context.Background()
	allow := func(i int) {
		t.Helper()
		done := make(chan time.Duration, 1)
		go func() {
			wait, _ := l.allow(ctx, "acme", "k1")
			done <- wait
		}()
		select {
		case wait := <-done:
			if wait != 0 {
				t.Fatalf("request %d: told to wait %v", i, wait)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("request %d waited for the store's second lease", i)
		}
	}
	// The first request reserves a lease of 10 (one store call); the
	// sixth leaves 4, under half, and starts the next reservation, which
	// the store holds back; the four after it still pass.
	for i := range 10 {
		allow(i)
	}
	for want := int64(1); want <= 2; want++ {
		select {
		case n := <-st.arrived:
			if n != want {
				t.Fatalf("store call %d, want %d", n, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no store call %d: the next lease was not reserved early", want)
		}
	}
	if n := st.calls.Load(); n != 2 {
		t.Fatalf("store calls = %d, want 2 (the lease, and the next one reserved early)", n)
	}
	close(st.gate)
	// The early reservation lands (a request that comes first joins it):
	// five more requests leave half a lease, and make no third call.
	for i := 10; i < 15; i++ {
		allow(i)
	}
	if n := st.calls.Load(); n != 2 {
		t.Errorf("store calls = %d after 15 requests, want 2", n)
	}
}
