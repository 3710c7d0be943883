package api

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/sync/singleflight"

	"github.com/candorhq/candor/store"
)

// Rate limits per API key: GCRA buckets in the store (store.RateLimits),
// so that every replica on a shared store draws on the same bucket. To
// keep the store's round trip off most requests, a replica reserves a
// small lease of tokens at a time and spends them locally; a lease is
// charged in the store when taken, so replicas together never admit more
// than the limit (unspent tokens expire unused). While the store is down
// the same algorithm runs in this process's memory.

// leaseTTL bounds how long reserved tokens may be spent: a lease is a
// share of the present rate, not a saving for later.
const leaseTTL = time.Second

// When a lease falls below half its size, the next one is reserved in the
// background, so that under a steady load requests find tokens here
// instead of all waiting on the store's round trip at once each time a
// lease runs out (which showed in the tail latency).

type limiter struct {
	interval time.Duration
	tau      time.Duration
	lease    int
	st       store.RateLimits
	// fallback decides while the store fails.
	fbMu     sync.Mutex
	fallback store.GCRA
	// warned throttles the "falling back" log line (unix seconds).
	warned atomic.Int64

	sf     singleflight.Group
	mu     sync.Mutex
	leases map[leaseKey]*lease
}

// leaseKey names a key's lease: tenant names are not unique across keys'
// ids, so both.
type leaseKey struct{ tenant, keyID string }

type lease struct {
	tokens  int
	expires time.Time
	// early is set while a refill started before the lease ran out is
	// in flight.
	early bool
}

func newLimiter(cfg Config, st store.RateLimits) *limiter {
	// Rates above a million per second per key are not limited more
	// finely.
	interval := max(cfg.RatePeriod/time.Duration(cfg.RateLimit), time.Microsecond)
	return &limiter{
		interval: interval,
		tau:      interval * time.Duration(cfg.RateBurst),
		lease:    min(max(cfg.RateBurst/20, 1), 100),
		st:       st,
		leases:   map[leaseKey]*lease{},
	}
}

// allow takes one token from tenant's bucket for API key keyID. It returns
// 0 when the request may go on, or how long to wait. err is set when the
// store failed and the in-memory bucket decided instead.
func (l *limiter) allow(ctx context.Context, tenant, keyID string) (wait time.Duration, err error) {
	now := time.Now()
	k := leaseKey{tenant, keyID}
	// Concurrent requests that find the lease spent share one refill, so
	// that a burst of them makes one store call, not one each. Each round
	// either finds a token here, or reserves more in the store, or learns
	// that the store has none: the bucket is finite, so the rounds end.
	for range 100 {
		ok, low := l.takeLocal(k, now)
		if low {
			l.refillEarly(ctx, k)
		}
		if ok {
			return 0, nil
		}
		v, err, _ := l.sf.Do(tenant+"\x00"+keyID, func() (any, error) {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
			defer cancel()
			return l.refill(rctx, k)
		})
		if err != nil {
			l.fbMu.Lock()
			defer l.fbMu.Unlock()
			if n, wait := l.fallback.Take(tenant+"\x00"+keyID, now, l.interval, l.tau, 1); n == 0 {
				return wait, err
			}
			return 0, err
		}
		if wait := v.(time.Duration); wait > 0 {
			// The store has no more, but a refill that finished while we
			// asked may have left a token here.
			if ok, _ := l.takeLocal(k, now); ok {
				return 0, nil
			}
			return wait, nil
		}
	}
	// Outrun by other requests a hundred times: give way.
	return l.interval, nil
}

// takeLocal spends a token of a lease. low is true (once per lease) when
// what is left is under half a lease, so the caller reserves the next.
func (l *limiter) takeLocal(k leaseKey, now time.Time) (ok, low bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ls := l.leases[k]
	if ls == nil || ls.tokens < 1 || !now.Before(ls.expires) {
		return false, false
	}
	ls.tokens--
	if l.lease > 1 && 2*ls.tokens < l.lease && !ls.early {
		ls.early = true
		low = true
	}
	return true, low
}

// refillEarly reserves the next lease of k in the background (joining a
// refill in flight).
func (l *limiter) refillEarly(ctx context.Context, k leaseKey) {
	l.sf.DoChan(k.tenant+"\x00"+k.keyID, func() (any, error) {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		return l.refill(rctx, k)
	})
}

// refill reserves a lease of tokens in the store and adds them to the
// local lease; it returns how long to wait when there are none.
func (l *limiter) refill(ctx context.Context, k leaseKey) (time.Duration, error) {
	n, wait, err := l.st.TakeTokens(ctx, k.tenant, k.keyID, l.interval, l.tau, l.lease)
	l.mu.Lock()
	defer l.mu.Unlock()
	ls := l.leases[k]
	if ls != nil {
		ls.early = false
	}
	if err != nil {
		return 0, err
	}
	if n < 1 {
		return max(wait, time.Microsecond), nil
	}
	now := time.Now()
	if ls == nil || !now.Before(ls.expires) {
		if len(l.leases) > 10000 {
			// Keys come and go; forget leases rather than grow.
			clear(l.leases)
		}
		ls = &lease{}
		l.leases[k] = ls
	}
	ls.tokens += n
	ls.expires = now.Add(leaseTTL)
	return 0, nil
}

// rateLimit answers 429 with Retry-After when the key is over its limit.
func (s *Server) rateLimit(c *gin.Context) {
	if s.limiter == nil {
		c.Next()
		return
	}
	wait, err := s.limiter.allow(c.Request.Context(), tenant(c), c.GetString(ctxKeyID))
	if err != nil {
		if now := time.Now().Unix(); s.limiter.warned.Load() < now-60 {
			s.limiter.warned.Store(now)
			s.log.Warn("rate limits fall back to this process's memory: the store failed", "error", err.Error())
		}
	}
	if wait > 0 {
		secs := int(math.Ceil(wait.Seconds()))
		s.metrics.rateLimited.Inc()
		c.Header("Retry-After", strconv.Itoa(secs))
		s.fail(c, errorf(http.StatusTooManyRequests, CodeRateLimited,
			"rate limit of %d requests per %s exceeded (bursts up to %d); retry after %d s",
			s.cfg.RateLimit, s.cfg.RatePeriod, s.cfg.RateBurst, secs))
		return
	}
	c.Next()
}
