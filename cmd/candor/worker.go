package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/candorhq/candor/api"
)

func (e *environment) worker(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	c := newConfig("worker", fs, e.getenv)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: candor worker [--workers N] [--addr HOST:PORT] [flags]\n\n"+
			"Runs job workers on the Redis queue that 'candor serve' fills (REDIS_URL is required): start\n"+
			"as many as the load needs. --addr serves /healthz, /readyz and /metrics.\n\n"+
			"Example:\n  REDIS_URL=redis://127.0.0.1:6379/0 candor worker --workers 4 --addr 127.0.0.1:9090\n\nFlags:\n")
		printDefaults(fs)
	}
	if pos, err := c.parse(args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("worker: unexpected argument %q", pos[0])
	}
	f := serverSettings(c)
	b, err := e.backend("worker", f, true)
	if err != nil {
		return err
	}
	defer b.close()
	gin.SetMode(gin.ReleaseMode)
	srv := api.NewServer(b.cfg, b.deps)
	var h http.Handler
	if f.addr != "" {
		// Only the operational routes: a worker takes no API calls.
		mux := http.NewServeMux()
		for _, p := range []string{"/healthz", "/readyz", "/metrics"} {
			mux.Handle("GET "+p, srv)
		}
		h = mux
	}
	return e.runServer(ctx, "worker", b, f, srv, h, f.workers)
}
