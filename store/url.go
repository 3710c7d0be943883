package store

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisOptions tune the client OpenRedis makes; zero fields keep
// go-redis's defaults.
type RedisOptions struct {
	DialTimeout  time.Duration
	ReadTimeout  time.Duration
	WriteTimeout time.Duration
	// PoolSize is the number of connections per node.
	PoolSize int
	// MaxRetries is how often a failed command is retried (-1: never).
	// Keep it low: while Redis is down every retry delays the analyses
	// that treat the cache as a miss.
	MaxRetries int
}

// OpenRedis makes a client from a REDIS_URL:
//
//	redis://[user:pass@]host:port[/db][?opts]     one server
//	rediss://...                                  the same over TLS
//	redis-sentinel://[user:pass@]h1:26379,h2:26379/mastername[?db=0]
//	redis-cluster://[user:pass@]h1:7000,h2:7001
//
// (a rediss-sentinel:// or rediss-cluster:// scheme adds TLS). It does not
// connect: go-redis dials on first use and reconnects by itself, so a
// server that is down at start is not an error here (see Store.Ping).
func OpenRedis(rawURL string, opts RedisOptions) (redis.UniversalClient, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("redis url: %w", err)
	}
	var uo redis.UniversalOptions
	switch u.Scheme {
	case "redis", "rediss":
		// go-redis's own parser keeps every query option it knows.
		o, err := redis.ParseURL(rawURL)
		if err != nil {
			return nil, fmt.Errorf("redis url: %w", err)
		}
		setIf(&o.DialTimeout, opts.DialTimeout)
		setIf(&o.ReadTimeout, opts.ReadTimeout)
		setIf(&o.WriteTimeout, opts.WriteTimeout)
		setIf(&o.PoolSize, opts.PoolSize)
		setIf(&o.MaxRetries, opts.MaxRetries)
		return redis.NewClient(o), nil
	case "redis-sentinel", "rediss-sentinel":
		uo, err = sentinelOptions(u)
	case "redis-cluster", "rediss-cluster":
		uo, err = clusterOptions(u)
	default:
		return nil, fmt.Errorf("redis url: unsupported scheme %q (want redis, rediss, redis-sentinel or redis-cluster)", u.Scheme)
	}
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(u.Scheme, "rediss") && uo.TLSConfig == nil {
		uo.TLSConfig = tlsConfig(uo.Addrs)
	}
	setIf(&uo.DialTimeout, opts.DialTimeout)
	setIf(&uo.ReadTimeout, opts.ReadTimeout)
	setIf(&uo.WriteTimeout, opts.WriteTimeout)
	setIf(&uo.PoolSize, opts.PoolSize)
	setIf(&uo.MaxRetries, opts.MaxRetries)
	return redis.NewUniversalClient(&uo), nil
}

// hosts splits the comma-separated host list of a sentinel or cluster URL.
func hosts(u *url.URL, defaultPort string) ([]string, error) {
	var out []string
	for _, h := range strings.Split(u.Host, ",") {
		if h == "" {
			continue
		}
		if !strings.Contains(h, ":") || strings.HasSuffix(h, "]") {
			h += ":" + defaultPort
		}
		out = append(out, h)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("redis url: no hosts")
	}
	return out, nil
}

func credentials(u *url.URL, uo *redis.UniversalOptions) {
	if u.User != nil {
		uo.Username = u.User.Username()
		uo.Password, _ = u.User.Password()
	}
}

func sentinelOptions(u *url.URL) (redis.UniversalOptions, error) {
	addrs, err := hosts(u, "26379")
	if err != nil {
		return redis.UniversalOptions{}, err
	}
	uo := redis.UniversalOptions{Addrs: addrs, MasterName: strings.Trim(u.Path, "/")}
	if uo.MasterName == "" || strings.Contains(uo.MasterName, "/") {
		return uo, fmt.Errorf("redis url: a sentinel URL names its master: redis-sentinel://host:26379/mastername")
	}
	credentials(u, &uo)
	q := u.Query()
	if db := q.Get("db"); db != "" {
		if uo.DB, err = strconv.Atoi(db); err != nil {
			return uo, fmt.Errorf("redis url: db %q: %w", db, err)
		}
	}
	// The same credentials usually guard the sentinels; a URL may say
	// otherwise.
	uo.SentinelUsername = q.Get("sentinel_username")
	uo.SentinelPassword = q.Get("sentinel_password")
	return uo, nil
}

func clusterOptions(u *url.URL) (redis.UniversalOptions, error) {
	addrs, err := hosts(u, "6379")
	if err != nil {
		return redis.UniversalOptions{}, err
	}
	if p := strings.Trim(u.Path, "/"); p != "" && p != "0" {
		return redis.UniversalOptions{}, fmt.Errorf("redis url: a cluster has only database 0, not %q", p)
	}
	uo := redis.UniversalOptions{Addrs: addrs, IsClusterMode: true}
	credentials(u, &uo)
	return uo, nil
}

// Ping is a convenience for health checks on a bare client: it returns an
// error wrapping ErrUnavailable when the client cannot reach Redis.
func Ping(ctx context.Context, c redis.UniversalClient) error {
	return NewRedis(c, Options{}).Ping(ctx)
}

// setIf overrides *dst with v unless v is the zero value (keep the default).
func setIf[T comparable](dst *T, v T) {
	var zero T
	if v != zero {
		*dst = v
	}
}
