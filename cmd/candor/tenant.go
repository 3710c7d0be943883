package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/candorhq/candor/store"
)

// tenant is `candor tenant purge --confirm NAME NAME`: an operator's
// deletion request on the shared store, without the tenant's API key (the
// tenant itself uses DELETE /v1/tenant).
func (e *environment) tenant(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "purge" {
		return usagef("tenant: want a subcommand: candor tenant purge --confirm NAME NAME")
	}
	fs := flag.NewFlagSet("tenant purge", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfg := newConfig("tenant purge", fs, e.getenv)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: candor tenant purge --confirm NAME NAME\n\n"+
			"Deletes everything the store at REDIS_URL keeps for tenant NAME: reports, results,\n"+
			"jobs and their queue entries, dead letters, cached analyses and responses, guides,\n"+
			"idempotency keys and rate-limit buckets; its web sessions end. Nothing of another\n"+
			"tenant is touched.\n\nExample:\n  REDIS_URL=redis://127.0.0.1:6379 candor tenant purge --confirm acme acme\n\nFlags:\n")
		printDefaults(fs)
	}
	pos, err := cfg.parse(args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] == "" {
		return usagef("tenant purge: want one tenant name")
	}
	name := pos[0]
	if cfg.str("confirm") != name {
		return usagef("tenant purge: --confirm must repeat the tenant's name (%q)", name)
	}
	url := cfg.secret("REDIS_URL")
	if url == "" {
		return usagef("tenant purge: REDIS_URL is not set: only a shared store outlives the process that made it")
	}
	c, err := store.OpenRedis(url, store.RedisOptions{DialTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second})
	if err != nil {
		return usagef("tenant purge: REDIS_URL: %v", err)
	}
	defer c.Close()
	st := store.NewRedis(c, store.Options{Prefix: cfg.str("redis-prefix")})
	if err := st.PurgeTenant(ctx, name); err != nil {
		return fmt.Errorf("tenant purge: %w", err)
	}
	if _, err := st.BumpSessionGeneration(ctx, name); err != nil {
		return fmt.Errorf("tenant purge: end web sessions: %w", err)
	}
	fmt.Fprintf(e.stdout, "purged tenant %s\n", name)
	return nil
}
