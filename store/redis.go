package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is the Store on a Redis server, sentinel group or cluster. It keeps
// no state of its own besides the client, so it recovers as soon as the
// client reconnects after an outage.
type Redis struct {
	c    redis.UniversalClient
	opts Options
	k    keys
	// afterComplete, when set (tests only), runs between storing a job's
	// report and acknowledging the job: where a worker death would leave
	// a stored report behind a pending job.
	afterComplete func()
}

var _ Store = (*Redis)(nil)

// NewRedis returns a Store on client. The caller owns client and closes it.
func NewRedis(client redis.UniversalClient, opts Options) *Redis {
	o := opts.withDefaults()
	return &Redis{c: client, opts: o, k: keys{prefix: o.Prefix}}
}

// Ping reports whether Redis answers; an error wraps ErrUnavailable.
func (r *Redis) Ping(ctx context.Context) error {
	if err := r.c.Ping(ctx).Err(); err != nil {
		return r.wrap("ping", err)
	}
	return nil
}

// wrap classifies a Redis error: a missing key is ErrNotFound, a
// connection or server-availability problem is ErrUnavailable, and the
// caller's own cancellation stays what it is.
func (r *Redis) wrap(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, redis.Nil):
		return fmt.Errorf("%s: %w", op, ErrNotFound)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: %w", op, err)
	}
	var rerr redis.Error
	if errors.As(err, &rerr) {
		msg := rerr.Error()
		transient := false
		for _, p := range []string{"LOADING", "READONLY", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN", "BUSY "} {
			if strings.HasPrefix(msg, p) {
				transient = true
			}
		}
		if !transient {
			return fmt.Errorf("%s: redis: %w", op, err)
		}
	}
	return fmt.Errorf("%s: %w: %w", op, ErrUnavailable, err)
}

// GetAnalysis implements Cache.
func (r *Redis) GetAnalysis(ctx context.Context, tenant, key string) ([]byte, error) {
	raw, err := r.c.Get(ctx, r.k.analysis(tenant, key)).Bytes()
	if err != nil {
		return nil, r.wrap("get analysis", err)
	}
	return raw, nil
}

// PutAnalysis implements Cache.
func (r *Redis) PutAnalysis(ctx context.Context, tenant, key string, raw []byte, ttl time.Duration) error {
	return r.wrap("put analysis", r.c.Set(ctx, r.k.analysis(tenant, key), raw, ttl).Err())
}

// unlockScript deletes a lock only if it still holds our token, so that a
// holder whose lock expired cannot free the lock a successor took.
var unlockScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
	return redis.call('DEL', KEYS[1])
end
return 0`)

// LockAnalysis implements Cache with SET NX PX and a random token.
func (r *Redis) LockAnalysis(ctx context.Context, tenant, key string, ttl time.Duration) (func(), error) {
	token := randomHex(16)
	lk := r.k.lock(tenant, key)
	ok, err := r.c.SetNX(ctx, lk, token, ttl).Result()
	if err != nil {
		return nil, r.wrap("lock analysis", err)
	}
	if !ok {
		return nil, fmt.Errorf("lock analysis: %w", ErrLocked)
	}
	return func() {
		// Released even when the request was cancelled; if this fails
		// the lock expires by itself.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		_ = unlockScript.Run(ctx, r.c, []string{lk}, token).Err()
	}, nil
}

// PurgeTenant implements Reports: it deletes every key of the tenant (all
// share its prefix) and its dead letters.
func (r *Redis) PurgeTenant(ctx context.Context, tenant string) error {
	pattern := r.k.tenantPattern(tenant)
	purge := func(ctx context.Context, c redis.Cmdable) error {
		it := c.Scan(ctx, 0, pattern, 500).Iterator()
		var batch []string
		for it.Next(ctx) {
			batch = append(batch, it.Val())
			if len(batch) == 500 {
				if err := c.Unlink(ctx, batch...).Err(); err != nil {
					return err
				}
				batch = batch[:0]
			}
		}
		if err := it.Err(); err != nil {
			return err
		}
		if len(batch) > 0 {
			return c.Unlink(ctx, batch...).Err()
		}
		return nil
	}
	var err error
	if cc, ok := r.c.(*redis.ClusterClient); ok {
		// The keys share a hash tag, hence a node, but which one is
		// cheaper to find by scanning every master than to compute.
		err = cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error { return purge(ctx, c) })
	} else {
		err = purge(ctx, r.c)
	}
	if err != nil {
		return r.wrap("purge tenant", err)
	}
	if err := r.purgeQueue(ctx, tenant); err != nil {
		return err
	}
	return r.purgeDeadLetters(ctx, tenant)
}

// purgeQueue deletes the tenant's entries from the job stream (they name
// the tenant; their jobs are gone). A worker that holds one acks it as a
// job that is gone.
func (r *Redis) purgeQueue(ctx context.Context, tenant string) error {
	start := "-"
	for {
		msgs, err := r.c.XRangeN(ctx, r.k.stream(), start, "+", 500).Result()
		if err != nil {
			return r.wrap("purge job queue", err)
		}
		var ids []string
		for _, m := range msgs {
			if t, _ := m.Values["tenant"].(string); t == tenant {
				ids = append(ids, m.ID)
			}
		}
		if len(ids) > 0 {
			if err := r.c.XDel(ctx, r.k.stream(), ids...).Err(); err != nil {
				return r.wrap("purge job queue", err)
			}
		}
		if len(msgs) < 500 {
			return nil
		}
		start = "(" + msgs[len(msgs)-1].ID
	}
}

// Shared implements Store: every process on the server sees its state.
func (r *Redis) Shared() bool { return true }

// QueueDepth implements Store: the stream holds only live work.
func (r *Redis) QueueDepth(ctx context.Context) (int64, error) {
	n, err := r.c.XLen(ctx, r.k.stream()).Result()
	return n, r.wrap("queue depth", err)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+).
	return hex.EncodeToString(b)
}
