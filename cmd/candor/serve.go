package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/api"
	"github.com/candorhq/candor/llm"
	"github.com/candorhq/candor/store"
	"github.com/candorhq/candor/web"
)

// serverFlags are the settings `candor serve` and `candor worker` share
// (the settings table's rows for the service), read from a parsed config.
type serverFlags struct {
	addr            string
	workers         int
	keysFile        string
	shutdownTimeout time.Duration
	drainDelay      time.Duration
	readTimeout     time.Duration
	authFailures    int
	requestTimeout  time.Duration
	rateLimit       int
	rateBurst       int
	maxBody         int64
	maxAnswers      int
	maxAnswerChars  int
	asyncThreshold  int
	cacheTTL        time.Duration
	guideRecheck    time.Duration
	guideOffline    time.Duration
	retention       time.Duration
	jobAttempts     int
	jobTimeout      time.Duration
	allowPrivate    bool
	prefix          string
	logLevel        string
	pprofAddr       string
	gcPercent       int
	memLimitMiB     int
	prototypes      string
	llm             *llmFlags
	cfg             *config
}

func serverSettings(c *config) *serverFlags {
	return &serverFlags{
		addr:            c.str("addr"),
		workers:         c.int("workers"),
		keysFile:        c.str("api-keys-file"),
		shutdownTimeout: c.dur("shutdown-timeout"),
		drainDelay:      c.dur("drain-delay"),
		readTimeout:     c.dur("read-timeout"),
		authFailures:    c.int("auth-failures"),
		requestTimeout:  c.dur("request-timeout"),
		rateLimit:       c.int("rate-limit"),
		rateBurst:       c.int("rate-burst"),
		maxBody:         int64(c.int("max-body")),
		maxAnswers:      c.int("max-answers"),
		maxAnswerChars:  c.int("max-answer-chars"),
		asyncThreshold:  c.int("async-threshold"),
		cacheTTL:        c.dur("cache-ttl"),
		guideRecheck:    c.dur("guide-recheck"),
		guideOffline:    c.dur("guide-offline-max"),
		retention:       c.dur("retention"),
		jobAttempts:     c.int("job-attempts"),
		jobTimeout:      c.dur("job-timeout"),
		allowPrivate:    c.bool("webhook-allow-private"),
		prefix:          c.str("redis-prefix"),
		logLevel:        c.str("log-level"),
		pprofAddr:       c.str("pprof-addr"),
		gcPercent:       c.int("gc-percent"),
		memLimitMiB:     c.int("memory-limit-mib"),
		prototypes:      c.str("prototypes"),
		llm:             llmSettings(c),
		cfg:             c,
	}
}

// backend is what serve and worker build from their flags.
type backend struct {
	log    *slog.Logger
	cfg    api.Config
	deps   api.Deps
	client io.Closer // the Redis client, when there is one
	logs   *logWriter
}

func (b *backend) close() {
	if b.client != nil {
		_ = b.client.Close()
	}
	_ = b.logs.Close()
}

// logWriter batches log lines: a request log line each request would be a
// write system call each, which a loaded server feels in its latency.
// Lines wait at most the flush interval (or until 64 KiB are waiting),
// and Close writes what is left.
type logWriter struct {
	mu   sync.Mutex
	w    *bufio.Writer
	stop chan struct{}
	done chan struct{}
}

func newLogWriter(w io.Writer, every time.Duration) *logWriter {
	l := &logWriter{w: bufio.NewWriterSize(w, 64<<10), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(l.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-l.stop:
				return
			case <-t.C:
				l.mu.Lock()
				_ = l.w.Flush()
				l.mu.Unlock()
			}
		}
	}()
	return l
}

func (l *logWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// Close flushes the lines left and stops the flusher; it may be called
// more than once.
func (l *logWriter) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	select {
	case <-l.stop:
	default:
		close(l.stop)
	}
	return l.w.Flush()
}

func (e *environment) backend(cmd string, f *serverFlags, needRedis bool) (_ *backend, err error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.logLevel)); err != nil {
		return nil, usagef("%s: %s: %v", cmd, f.cfg.name("log-level"), err)
	}
	lw := newLogWriter(e.stderr, 100*time.Millisecond)
	b := &backend{logs: lw}
	defer func() {
		if err != nil {
			b.close()
		}
	}()
	log := slog.New(slog.NewJSONHandler(lw, &slog.HandlerOptions{Level: level}))
	b.log = log

	keys, err := api.ParseKeys(f.cfg.secret("CANDOR_API_KEYS"))
	if err != nil {
		return nil, usagef("%s: CANDOR_API_KEYS: %v", cmd, err)
	}
	if f.keysFile != "" {
		fh, err := os.Open(f.keysFile)
		if err != nil {
			return nil, err
		}
		err = keys.ReadKeys(fh)
		fh.Close()
		if err != nil {
			return nil, usagef("%s: %s %s: %v", cmd, f.cfg.name("api-keys-file"), f.keysFile, err)
		}
	}
	hooks, err := webhookSecrets(f.cfg, keys)
	if err != nil {
		return nil, usagef("%s: %v", cmd, err)
	}
	b.cfg = api.Config{
		Keys: keys, MaxBodyBytes: f.maxBody, MaxAnswers: f.maxAnswers, MaxAnswerChars: f.maxAnswerChars,
		AsyncThreshold: f.asyncThreshold, RateLimit: f.rateLimit, RateBurst: f.rateBurst, CacheTTL: f.cacheTTL,
		Concurrency: runtime.GOMAXPROCS(0), JobMaxAttempts: f.jobAttempts, JobTimeout: f.jobTimeout,
		AuthFailures: authFailures(f.authFailures), WebhookSecrets: hooks, WebhookAllowPrivate: f.allowPrivate, MetricsToken: f.cfg.secret("CANDOR_METRICS_TOKEN"),
		Version: version, Retention: f.retention, GuideRecheck: f.guideRecheck, GuideOffline: guideOffline(f.guideOffline),
	}
	sopts := store.Options{Prefix: f.prefix, Retention: f.retention, MaxAttempts: f.jobAttempts}
	if url := f.cfg.secret("REDIS_URL"); url != "" {
		// Short timeouts and one retry: while Redis is down, analyses
		// treat the cache as a miss, and each failed call delays them.
		c, err := store.OpenRedis(url, store.RedisOptions{DialTimeout: time.Second, ReadTimeout: time.Second,
			WriteTimeout: time.Second, MaxRetries: 1, PoolSize: 8 * runtime.GOMAXPROCS(0)})
		if err != nil {
			return nil, usagef("%s: REDIS_URL: %v", cmd, err)
		}
		b.client = c
		b.deps.Store = store.NewRedis(c, sopts)
	} else if needRedis {
		return nil, usagef("%s: REDIS_URL is not set: workers in their own process share the job queue through Redis", cmd)
	} else {
		b.deps.Store = store.NewMemory(sopts)
	}
	b.deps.Logger = log
	var embedded analyzer.Engine = heuristic.New()
	if f.prototypes != "" {
		// The server's embedded engine quotes with the file's
		// prototypes, for every tenant and guide (areas the file does not
		// name keep the built-in ones); its engine version names them, so
		// cached analyses of the engine without them are not served.
		if embedded, err = loadPrototypes(f.prototypes); err != nil {
			return nil, usagef("%s: %s: %v", cmd, f.cfg.name("prototypes"), err)
		}
	}
	b.deps.Engines = map[string]analyzer.Engine{analyzer.EngineHeuristic: embedded}
	if lf := f.llm; lf.apiKey != "" || lf.baseURL != "" {
		for _, mode := range []string{analyzer.EngineLLM, analyzer.EngineHybrid} {
			eng, err := newLLMEngine(cmd, mode, lf)
			if err != nil {
				return nil, err
			}
			b.deps.Engines[mode] = eng
		}
		if lf.apiType != llm.APIAzure {
			base := lf.baseURL
			if base == "" {
				base = llm.DefaultOpenAIBaseURL
			}
			b.deps.LLMProbe = api.LLMProbe(nil, base, lf.apiKey)
		}
	}
	return b, nil
}

// authFailures is --auth-failures as api.Config takes it (0 there is the
// default, here none).
func authFailures(n int) int {
	if n <= 0 {
		return -1
	}
	return n
}

// guideOffline is --guide-offline-max as api.Config takes it (0 there is
// the default, here none).
func guideOffline(d time.Duration) time.Duration {
	if d <= 0 {
		return -1
	}
	return d
}

// webhookSecrets reads CANDOR_WEBHOOK_SECRETS (tenant:secret,...). The
// single CANDOR_WEBHOOK_SECRET of earlier versions signed every tenant's
// webhooks with one key, so any tenant's receiver could forge another's:
// it is taken only without API keys (the one local tenant's secret).
func webhookSecrets(c *config, keys *api.Keys) (*api.WebhookSecrets, error) {
	w, err := api.ParseWebhookSecrets(c.secret("CANDOR_WEBHOOK_SECRETS"))
	if err != nil {
		return nil, fmt.Errorf("CANDOR_WEBHOOK_SECRETS: %v", err)
	}
	if one := c.secret("CANDOR_WEBHOOK_SECRET"); one != "" {
		if keys.Len() > 0 {
			return nil, errors.New("CANDOR_WEBHOOK_SECRET would sign every tenant's webhooks with one key (any tenant's receiver could forge another's events); " +
				"give each tenant its own: CANDOR_WEBHOOK_SECRETS=tenant:secret,tenant:secret")
		}
		if err := w.Add(api.LocalTenant, one); err != nil {
			return nil, fmt.Errorf("CANDOR_WEBHOOK_SECRET: %v", err)
		}
	}
	return w, nil
}

func (e *environment) serve(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	c := newConfig("serve", fs, e.getenv)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: candor serve [--addr HOST:PORT] [flags]\n\n"+
			"Serves the HTTP API (see /openapi.yaml) with job workers in the same process.\n"+
			"Environment: REDIS_URL (unset: in-memory store), CANDOR_API_KEYS=tenant:key,... (unset: no auth, loopback only),\n"+
			"CANDOR_WEBHOOK_SECRETS=tenant:secret,... (each tenant's webhook signing secret), OPENAI_API_KEY, OPENAI_BASE_URL,\n"+
			"CANDOR_WEB_SECRET (signs web sessions; share it between replicas).\n"+
			"Web pages: http://ADDR/ (sign in with an API key; no sign-in without keys).\n\n"+
			"Examples:\n  candor serve\n  REDIS_URL=redis://127.0.0.1:6379/0 CANDOR_API_KEYS=acme:$(openssl rand -hex 16) candor serve --addr :8080 --workers 0\n\nFlags:\n")
		printDefaults(fs)
	}
	if pos, err := c.parse(args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("serve: unexpected argument %q", pos[0])
	}
	f := serverSettings(c)
	b, err := e.backend("serve", f, false)
	if err != nil {
		return err
	}
	defer b.close()
	if err := api.CheckListen(f.addr, b.cfg.Keys); err != nil {
		return usagef("serve: %s: %v", c.name("addr"), err)
	}
	gin.SetMode(gin.ReleaseMode)
	// The web pages call the API in this process; the API hands them
	// every path outside /v1 and its operational routes.
	var srv *api.Server
	wc := web.Config{API: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { srv.ServeHTTP(w, r) }),
		Secret: []byte(c.secret("CANDOR_WEB_SECRET")), Logger: b.log, MaxUploadBytes: f.maxBody,
		Keys: b.cfg.Keys, Sessions: b.deps.Store}
	// One count of wrong keys per address for the API and the sign-in.
	b.deps.AuthThrottle = api.NewAuthThrottle(f.authFailures, b.deps.Store)
	wc.Throttle = b.deps.AuthThrottle
	for _, m := range analyzer.EngineNames {
		if b.deps.Engines[m] != nil {
			wc.Engines = append(wc.Engines, m)
		}
	}
	pages, err := web.New(wc)
	if err != nil {
		return err
	}
	// A key configured at the last start and gone now ends the sessions
	// signed in with it (the pages also refuse a session whose key is not
	// configured, on every request).
	rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	revoked, err := pages.RevokeRemovedKeys(rctx)
	cancel()
	if err != nil {
		b.log.Warn("could not record the configured keys for web sessions; sessions of a removed key stay refused, but would come back with it", "error", err.Error())
	} else if len(revoked) > 0 {
		b.log.Info("web sessions ended: a key of these tenants is no longer configured", "tenants", strings.Join(revoked, ","))
	}
	b.deps.Web = pages
	srv = api.NewServer(b.cfg, b.deps)
	return e.runServer(ctx, "serve", b, f, srv, srv, f.workers)
}

// newHTTPServer is the server of h: headers within 10 s, the whole request
// (headers and body) within --read-timeout, so a client trickling its body
// cannot hold a connection for long; a deadline of --request-timeout on
// every request's context, which the handlers' work honours (504); and
// past it, with a few seconds' grace for that answer, the connection is
// closed however the handler fares.
// A zero timeout is none.
func newHTTPServer(h http.Handler, f *serverFlags, log *slog.Logger) *http.Server {
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: f.readTimeout, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	if f.readTimeout > 0 {
		hs.ReadHeaderTimeout = min(hs.ReadHeaderTimeout, f.readTimeout)
	}
	if d := f.requestTimeout; d > 0 {
		hs.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithTimeout(r.Context(), d)
			defer cancel()
			h.ServeHTTP(w, r.WithContext(ctx))
		})
		hs.WriteTimeout = d + 5*time.Second
	}
	return hs
}

// runServer serves h on f.addr (when h is set) and runs workers until ctx is
// done, then stops gracefully: readiness turns 503, in-flight requests
// finish, workers finish their jobs and take no more, webhooks in flight
// are delivered; all within the shutdown timeout.
func (e *environment) runServer(ctx context.Context, cmd string, b *backend, f *serverFlags, srv *api.Server, h http.Handler, workers int) error {
	log := b.log
	if f.gcPercent > 0 {
		old := debug.SetGCPercent(f.gcPercent)
		defer debug.SetGCPercent(old)
	}
	if f.memLimitMiB > 0 {
		old := debug.SetMemoryLimit(int64(f.memLimitMiB) << 20)
		defer debug.SetMemoryLimit(old)
	}
	var hs *http.Server
	serveErr := make(chan error, 1)
	if h != nil {
		ln, err := net.Listen("tcp", f.addr)
		if err != nil {
			return fmt.Errorf("%s: %w", cmd, err)
		}
		hs = newHTTPServer(h, f, log)
		go func() { serveErr <- hs.Serve(ln) }()
		storeKind := "redis"
		if b.client == nil {
			storeKind = "memory"
			log.Warn("no REDIS_URL: using the in-memory store; reports, jobs and the cache live in this process only and are lost when it stops")
		}
		auth := strconv.Itoa(b.cfg.Keys.Len()) + " API keys"
		if b.cfg.Keys.Len() == 0 {
			auth = "none (no CANDOR_API_KEYS; loopback only)"
		}
		var engines []string
		for _, m := range analyzer.EngineNames {
			if b.deps.Engines[m] != nil {
				engines = append(engines, m)
			}
		}
		log.Info("listening", "addr", "http://"+ln.Addr().String(), "cmd", cmd, "store", storeKind, "auth", auth,
			"engines", strings.Join(engines, ","), "workers", workers, "version", version)
	}
	if f.pprofAddr != "" {
		// The settings table has checked it is a loopback address.
		mux := http.NewServeMux()
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
		ps := &http.Server{Addr: f.pprofAddr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = ps.ListenAndServe() }()
		defer ps.Close()
	}
	if b.client != nil {
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		if err := b.deps.Store.Ping(pctx); err != nil {
			log.Warn("Redis does not answer yet: degraded until it does", "error", err.Error())
		}
		cancel()
	}

	wctx, stopWorkers := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWorkers()
	var workDone chan error // nil when this process runs no workers
	if workers > 0 {
		workDone = make(chan error, 1)
		go func() { workDone <- srv.Work(wctx, workers) }()
	}

	var runErr error
	select {
	case <-ctx.Done():
	case err := <-serveErr:
		runErr = fmt.Errorf("%s: %w", cmd, err)
	case err := <-workDone:
		if err != nil {
			runErr = fmt.Errorf("%s: workers: %w", cmd, err)
		}
		workDone = nil
	}
	log.Info("shutting down", "timeout", f.shutdownTimeout.String())
	srv.Drain()
	if f.drainDelay > 0 && hs != nil {
		time.Sleep(f.drainDelay)
	}
	sctx, cancel := context.WithTimeout(context.Background(), f.shutdownTimeout)
	defer cancel()
	if hs != nil {
		if err := hs.Shutdown(sctx); err != nil {
			log.Warn("requests still in flight at the shutdown timeout", "error", err.Error())
		}
	}
	stopWorkers()
	if workDone != nil {
		select {
		case <-workDone:
		case <-sctx.Done():
			log.Warn("jobs still running at the shutdown timeout; with Redis another worker takes them over")
		}
	}
	if err := srv.Close(sctx); err != nil {
		log.Warn("webhooks still in flight at the shutdown timeout", "error", err.Error())
	}
	if runErr == nil || errors.Is(runErr, http.ErrServerClosed) {
		log.Info("stopped")
		return nil
	}
	return runErr
}
