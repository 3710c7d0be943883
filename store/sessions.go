package store

import (
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"strconv"

	"github.com/redis/go-redis/v9"
)

// Sessions is what ends web sessions on every replica at once. Each
// tenant has a session generation; a session carries the generation it
// was signed in under and is good only while that is still the tenant's.
// Bumping it (sign-out, a removed key) ends every session of the tenant.
// Beside it the store keeps the fingerprints of the API keys configured
// at the last start, so that a start without one of them bumps its
// tenant: a key taken out of the configuration ends the sessions signed
// in with it, even if it comes back later.
//
// The generations live outside the tenants' namespaces: PurgeTenant does
// not reset them (a reset would revive old sessions).
type Sessions interface {
	// SessionGeneration returns tenant's generation, 0 before the first
	// bump.
	SessionGeneration(ctx context.Context, tenant string) (int64, error)
	// BumpSessionGeneration ends every session of tenant and returns the
	// new generation.
	BumpSessionGeneration(ctx context.Context, tenant string) (int64, error)
	// SyncSessionKeys records keys (fingerprint to tenant) as the keys
	// now configured. Every tenant with a recorded key that is gone (or
	// now belongs to another tenant) has its generation bumped; it
	// returns those tenants, sorted.
	SyncSessionKeys(ctx context.Context, keys map[string]string) ([]string, error)
}

// The two hashes share a hash tag no tenant can have ("~" starts only
// hashed tenant tags, which are hex), so the script below works on a
// cluster and PurgeTenant's pattern never matches them.
func (k keys) sessionGenerations() string { return k.prefix + ":{~sessions}:gen" }
func (k keys) sessionKeys() string        { return k.prefix + ":{~sessions}:keys" }

// syncKeysScript: KEYS[1] generations, KEYS[2] recorded keys; ARGV
// fingerprint, tenant pairs. It returns the tenants bumped.
var syncKeysScript = redis.NewScript(`
local cur = {}
for i = 1, #ARGV, 2 do cur[ARGV[i]] = ARGV[i+1] end
local old = redis.call('HGETALL', KEYS[2])
local bumped, out = {}, {}
for i = 1, #old, 2 do
	local fp, t = old[i], old[i+1]
	if cur[fp] ~= t then
		if not bumped[t] then
			redis.call('HINCRBY', KEYS[1], t, 1)
			bumped[t] = true
			table.insert(out, t)
		end
		redis.call('HDEL', KEYS[2], fp)
	end
end
for i = 1, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i+1]) end
return out`)

// SessionGeneration implements Sessions.
func (r *Redis) SessionGeneration(ctx context.Context, tenant string) (int64, error) {
	s, err := r.c.HGet(ctx, r.k.sessionGenerations(), tenant).Result()
	if err == redis.Nil {
		return 0, nil
	}
	if err != nil {
		return 0, r.wrap("session generation", err)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, r.wrap("session generation", err)
	}
	return n, nil
}

// BumpSessionGeneration implements Sessions.
func (r *Redis) BumpSessionGeneration(ctx context.Context, tenant string) (int64, error) {
	n, err := r.c.HIncrBy(ctx, r.k.sessionGenerations(), tenant, 1).Result()
	return n, r.wrap("bump session generation", err)
}

// SyncSessionKeys implements Sessions.
func (r *Redis) SyncSessionKeys(ctx context.Context, keys map[string]string) ([]string, error) {
	args := make([]any, 0, 2*len(keys))
	for fp, t := range keys {
		args = append(args, fp, t)
	}
	out, err := syncKeysScript.Run(ctx, r.c, []string{r.k.sessionGenerations(), r.k.sessionKeys()}, args...).StringSlice()
	if err == redis.Nil {
		err = nil
	}
	if err != nil {
		return nil, r.wrap("sync session keys", err)
	}
	slices.Sort(out)
	return out, nil
}

// SessionGeneration implements Sessions.
func (m *Memory) SessionGeneration(_ context.Context, tenant string) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.sessionGen[tenant], nil
}

// BumpSessionGeneration implements Sessions.
func (m *Memory) BumpSessionGeneration(_ context.Context, tenant string) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sessionGen[tenant]++
	return m.sessionGen[tenant], nil
}

// SyncSessionKeys implements Sessions.
func (m *Memory) SyncSessionKeys(_ context.Context, keys map[string]string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for fp, t := range m.sessionKeys {
		if keys[fp] != t {
			if !slices.Contains(out, t) {
				m.sessionGen[t]++
				out = append(out, t)
			}
			delete(m.sessionKeys, fp)
		}
	}
	for fp, t := range keys {
		m.sessionKeys[fp] = t
	}
	slices.Sort(out)
	return out, nil
}

// Secrets keeps keys the deployment makes for itself (the key that makes
// report ids tenant-specific): random, made by whichever process needs one
// first, then the same for every replica and worker sharing the store.
type Secrets interface {
	// DeploymentKey returns the 32-byte key called name, making it when
	// there is none.
	DeploymentKey(ctx context.Context, name string) ([]byte, error)
}

func (k keys) deploymentKey(name string) string { return k.prefix + ":{~deployment}:key:" + name }

func newKey() ([]byte, error) {
	b := make([]byte, 32)
	_, err := rand.Read(b)
	return b, err
}

// DeploymentKey implements Secrets.
func (r *Redis) DeploymentKey(ctx context.Context, name string) ([]byte, error) {
	fresh, err := newKey()
	if err != nil {
		return nil, err
	}
	k := r.k.deploymentKey(name)
	if err := r.c.SetNX(ctx, k, fresh, 0).Err(); err != nil {
		return nil, r.wrap("deployment key", err)
	}
	b, err := r.c.Get(ctx, k).Bytes()
	if err != nil {
		return nil, r.wrap("deployment key", err)
	}
	if len(b) != 32 {
		return nil, fmt.Errorf("deployment key %q: %d bytes in Redis, want 32", name, len(b))
	}
	return b, nil
}

// DeploymentKey implements Secrets.
func (m *Memory) DeploymentKey(_ context.Context, name string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if b, ok := m.deployKeys[name]; ok {
		return b, nil
	}
	b, err := newKey()
	if err != nil {
		return nil, err
	}
	m.deployKeys[name] = b
	return b, nil
}
