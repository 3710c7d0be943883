package api

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/singleflight"
)

// Rate limits per API key: GCRA (a token bucket that stores one time, the
// "theoretical arrival time") in Redis, so that every replica draws on the
// same bucket. To keep the Redis round trip off most requests, a replica
// reserves a small lease of tokens at a time and spends them locally; a
// lease is charged in Redis when taken, so replicas together never admit
// more than the limit (unspent tokens expire unused). Without Redis, or
// while it is down, the same algorithm runs in memory per process.

// gcraScript grants up to ARGV[3] tokens. KEYS[1] holds the TAT in
// microseconds; ARGV[1] is the emission interval and ARGV[2] the burst
// tolerance, both in microseconds. It returns {granted, retry_after_us}.
var gcraScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tau = tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local avail = math.floor((now + tau - tat) / interval)
if avail < 1 then
	return {0, tat + interval - tau - now}
end
local k = math.min(want, avail)
local new = tat + k * interval
redis.call('SET', KEYS[1], string.format('%.0f', new), 'PX', math.ceil((new - now) / 1000) + 1)
return {k, 0}`)

// leaseTTL bounds how long reserved tokens may be spent: a lease is a
// share of the present rate, not a saving for later.
const leaseTTL = time.Second

type limiter struct {
	interval time.Duration
	tau      time.Duration
	lease    int
	rc       redis.UniversalClient
	prefix   string
	mem      *memoryGCRA
	// warned throttles the "falling back" log line (unix seconds).
	warned atomic.Int64

	sf     singleflight.Group
	mu     sync.Mutex
	leases map[string]*lease
}

type lease struct {
	tokens  int
	expires time.Time
}

func newLimiter(cfg Config, rc redis.UniversalClient) *limiter {
	// The script counts in microseconds: rates above a million per
	// second per key are not limited more finely.
	interval := max(cfg.RatePeriod/time.Duration(cfg.RateLimit), time.Microsecond)
	l := &limiter{
		interval: interval,
		tau:      interval * time.Duration(cfg.RateBurst),
		lease:    min(max(cfg.RateBurst/20, 1), 100),
		rc:       rc,
		prefix:   cfg.KeyPrefix,
		leases:   map[string]*lease{},
	}
	l.mem = &memoryGCRA{interval: l.interval, tau: l.tau, tat: map[string]time.Time{}}
	return l
}

// allow takes one token for key. It returns 0 when the request may go on,
// or how long to wait. err is set when Redis failed and the in-memory
// bucket decided instead.
func (l *limiter) allow(ctx context.Context, key string) (wait time.Duration, err error) {
	now := time.Now()
	if l.rc == nil {
		return l.mem.take(key, now), nil
	}
	// Concurrent requests that find the lease spent share one refill, so
	// that a burst of them makes one Redis call, not one each. Each round
	// either finds a token here, or reserves more in Redis, or learns that
	// Redis has none: the bucket is finite, so the rounds end.
	for range 100 {
		if l.takeLocal(key, now) {
			return 0, nil
		}
		v, err, _ := l.sf.Do(key, func() (any, error) {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
			defer cancel()
			return l.refill(rctx, key, now)
		})
		if err != nil {
			return l.mem.take(key, now), err
		}
		if wait := v.(time.Duration); wait > 0 {
			// Redis has no more, but a refill that finished while we
			// asked may have left a token here.
			if l.takeLocal(key, now) {
				return 0, nil
			}
			return wait, nil
		}
	}
	// Outrun by other requests a hundred times: give way.
	return l.interval, nil
}

// takeLocal spends a token of key's lease.
func (l *limiter) takeLocal(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if ls := l.leases[key]; ls != nil && ls.tokens > 0 && now.Before(ls.expires) {
		ls.tokens--
		return true
	}
	return false
}

// refill reserves a lease of tokens in Redis and adds them to key's lease;
// it returns how long to wait when there are none.
func (l *limiter) refill(ctx context.Context, key string, now time.Time) (time.Duration, error) {
	res, err := gcraScript.Run(ctx, l.rc, []string{l.prefix + ":rl:" + key},
		l.interval.Microseconds(), l.tau.Microseconds(), l.lease).Int64Slice()
	if err == nil && len(res) != 2 {
		err = fmt.Errorf("rate limit script: unexpected reply %v", res)
	}
	if err != nil {
		return 0, err
	}
	if res[0] < 1 {
		return max(time.Duration(res[1])*time.Microsecond, time.Microsecond), nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	ls := l.leases[key]
	if ls == nil || !now.Before(ls.expires) {
		if len(l.leases) > 10000 {
			// Keys come and go; forget leases rather than grow.
			clear(l.leases)
		}
		ls = &lease{}
		l.leases[key] = ls
	}
	ls.tokens += int(res[0])
	ls.expires = time.Now().Add(leaseTTL)
	return 0, nil
}

// memoryGCRA is the limiter of one process.
type memoryGCRA struct {
	interval, tau time.Duration
	mu            sync.Mutex
	tat           map[string]time.Time
}

func (m *memoryGCRA) take(key string, now time.Time) time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	tat := m.tat[key]
	if tat.Before(now) {
		tat = now
	}
	allowAt := tat.Add(m.interval - m.tau)
	if allowAt.After(now) {
		return allowAt.Sub(now)
	}
	if len(m.tat) > 100000 {
		for k, t := range m.tat {
			if t.Before(now) {
				delete(m.tat, k)
			}
		}
	}
	m.tat[key] = tat.Add(m.interval)
	return 0
}

// rateLimit answers 429 with Retry-After when the key is over its limit.
func (s *Server) rateLimit(c *gin.Context) {
	if s.limiter == nil {
		c.Next()
		return
	}
	wait, err := s.limiter.allow(c.Request.Context(), c.GetString(ctxKeyID))
	if err != nil {
		if now := time.Now().Unix(); s.limiter.warned.Load() < now-60 {
			s.limiter.warned.Store(now)
			s.log.Warn("rate limits fall back to this process's memory: Redis failed", "error", err.Error())
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
