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

// serverFlags are the settings `candor serve` and `candor worker` share,
// read once from flags and the environment: REDIS_URL, CANDOR_API_KEYS,
// CANDOR_API_KEYS_FILE, CANDOR_WEBHOOK_SECRETS, OPENAI_API_KEY,
// OPENAI_BASE_URL and the CANDOR_* settings named in each flag's help.
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
	retention       time.Duration
	jobAttempts     int
	jobTimeout      time.Duration
	allowPrivate    bool
	prefix          string
	logLevel        string
	pprofAddr       string
	gcPercent       int
	memLimitMiB     int
	llm             *llmFlags
}

func registerServerFlags(fs *flag.FlagSet, getenv func(string) string, defAddr string) *serverFlags {
	f := &serverFlags{}
	fs.StringVar(&f.addr, "addr", envOr(getenv, "CANDOR_ADDR", defAddr), "listen address HOST:PORT (env CANDOR_ADDR; port 0 picks a free one)")
	fs.IntVar(&f.workers, "workers", envInt(getenv, "CANDOR_WORKERS", 2), "job workers in this process (env CANDOR_WORKERS; 0 with serve: none, jobs wait for 'candor worker')")
	fs.StringVar(&f.keysFile, "api-keys-file", getenv("CANDOR_API_KEYS_FILE"), "file of tenant:key lines, added to CANDOR_API_KEYS (env CANDOR_API_KEYS_FILE)")
	fs.DurationVar(&f.shutdownTimeout, "shutdown-timeout", envDuration(getenv, "CANDOR_SHUTDOWN_TIMEOUT", 30*time.Second), "how long a graceful stop waits for requests and jobs in flight")
	fs.DurationVar(&f.readTimeout, "read-timeout", envDuration(getenv, "CANDOR_READ_TIMEOUT", 30*time.Second),
		"longest time to read one request, headers and body, 0 for none: a client that sends slower (a 10 MiB upload in 30 s is 350 KB/s) has its connection closed (env CANDOR_READ_TIMEOUT)")
	fs.DurationVar(&f.requestTimeout, "request-timeout", envDuration(getenv, "CANDOR_REQUEST_TIMEOUT", 2*time.Minute),
		"longest time one request may take to be answered, 0 for none: past it the work stops (504) and the connection is closed soon after; long analyses belong in jobs, ?async=true (env CANDOR_REQUEST_TIMEOUT)")
	fs.DurationVar(&f.drainDelay, "drain-delay", envDuration(getenv, "CANDOR_DRAIN_DELAY", 0), "on stop, how long /readyz answers 503 before the listener closes, so load balancers stop sending (env CANDOR_DRAIN_DELAY)")
	fs.IntVar(&f.rateLimit, "rate-limit", envInt(getenv, "CANDOR_RATE_LIMIT", 600), "requests per minute per API key, 0 for none (env CANDOR_RATE_LIMIT)")
	fs.IntVar(&f.authFailures, "auth-failures", envInt(getenv, "CANDOR_AUTH_FAILURES", 30), "wrong API keys (Bearer or web sign-in) one client address may send per minute, in bursts of as many, before every attempt from it gets 429 with Retry-After; 0 for no limit (env CANDOR_AUTH_FAILURES)")
	fs.IntVar(&f.rateBurst, "rate-burst", envInt(getenv, "CANDOR_RATE_BURST", 0), "burst per API key (env CANDOR_RATE_BURST; default rate-limit/10)")
	fs.Int64Var(&f.maxBody, "max-body", int64(envInt(getenv, "CANDOR_MAX_BODY", 10<<20)), "largest request body in bytes (env CANDOR_MAX_BODY)")
	fs.IntVar(&f.maxAnswers, "max-answers", envInt(getenv, "CANDOR_MAX_ANSWERS", 100), "most answers per request (env CANDOR_MAX_ANSWERS)")
	fs.IntVar(&f.maxAnswerChars, "max-answer-chars", envInt(getenv, "CANDOR_MAX_ANSWER_CHARS", 20000), "longest answer in characters (env CANDOR_MAX_ANSWER_CHARS)")
	fs.IntVar(&f.asyncThreshold, "async-threshold", envInt(getenv, "CANDOR_ASYNC_THRESHOLD", 256<<10), "transcripts over this many bytes run as jobs (env CANDOR_ASYNC_THRESHOLD)")
	fs.DurationVar(&f.cacheTTL, "cache-ttl", envDuration(getenv, "CANDOR_CACHE_TTL", 7*24*time.Hour), "how long analyses stay cached, 0 for ever (env CANDOR_CACHE_TTL)")
	fs.DurationVar(&f.retention, "retention", envDuration(getenv, "CANDOR_RETENTION", 0), "how long reports and jobs are kept, 0 until deleted (env CANDOR_RETENTION)")
	fs.IntVar(&f.jobAttempts, "job-attempts", envInt(getenv, "CANDOR_JOB_ATTEMPTS", 3), "runs of a failing job before it is dead-lettered (env CANDOR_JOB_ATTEMPTS)")
	fs.DurationVar(&f.jobTimeout, "job-timeout", envDuration(getenv, "CANDOR_JOB_TIMEOUT", 10*time.Minute), "longest run of one job (env CANDOR_JOB_TIMEOUT)")
	fs.BoolVar(&f.allowPrivate, "webhook-allow-private", getenv("CANDOR_WEBHOOK_ALLOW_PRIVATE") == "true", "let webhooks call loopback and private addresses (env CANDOR_WEBHOOK_ALLOW_PRIVATE=true)")
	fs.StringVar(&f.prefix, "redis-prefix", envOr(getenv, "CANDOR_REDIS_PREFIX", "candor"), "prefix of every Redis key (env CANDOR_REDIS_PREFIX)")
	fs.StringVar(&f.logLevel, "log-level", envOr(getenv, "CANDOR_LOG_LEVEL", "info"), "debug, info, warn or error (env CANDOR_LOG_LEVEL)")
	fs.IntVar(&f.gcPercent, "gc-percent", envInt(getenv, "CANDOR_GC_PERCENT", defaultGCPercent(getenv)),
		"Go GC target percentage (env CANDOR_GC_PERCENT; default 400 unless GOGC is set): the live heap is a few MB, so Go's 100 would collect about a hundred times a second under load")
	fs.IntVar(&f.memLimitMiB, "memory-limit-mib", envInt(getenv, "CANDOR_MEMORY_LIMIT_MIB", defaultMemLimitMiB(getenv)),
		"soft limit of the Go runtime's memory in MiB, 0 for none (env CANDOR_MEMORY_LIMIT_MIB; default 100 unless GOMEMLIMIT is set): near it the GC runs more often, so --gc-percent's headroom cannot grow the process past it under load")
	fs.StringVar(&f.pprofAddr, "pprof-addr", getenv("CANDOR_PPROF_ADDR"), "serve Go's /debug/pprof on this loopback address (env CANDOR_PPROF_ADDR; empty: off)")
	f.llm = registerLLMFlags(fs, getenv)
	return f
}

// defaultGCPercent is 400, or what GOGC says when it is set (the runtime
// has applied it already; -1 keeps it).
func defaultGCPercent(getenv func(string) string) int {
	if getenv("GOGC") != "" {
		return -1
	}
	return 400
}

// defaultMemLimitMiB is 100, or 0 (keep the runtime's) when GOMEMLIMIT is
// set. With --gc-percent 400 alone the heap may reach five times the live
// heap: 275 MB of RSS under scripts/soak.sh, against 118 MB with this limit.
func defaultMemLimitMiB(getenv func(string) string) int {
	if getenv("GOMEMLIMIT") != "" {
		return 0
	}
	return 100
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
		return nil, usagef("%s: --log-level: %v", cmd, err)
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

	keys, err := api.ParseKeys(e.getenv("CANDOR_API_KEYS"))
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
			return nil, usagef("%s: %s: %v", cmd, f.keysFile, err)
		}
	}
	hooks, err := webhookSecrets(e.getenv, keys)
	if err != nil {
		return nil, usagef("%s: %v", cmd, err)
	}
	b.cfg = api.Config{
		Keys: keys, MaxBodyBytes: f.maxBody, MaxAnswers: f.maxAnswers, MaxAnswerChars: f.maxAnswerChars,
		AsyncThreshold: f.asyncThreshold, RateLimit: f.rateLimit, RateBurst: f.rateBurst, CacheTTL: f.cacheTTL,
		Concurrency: runtime.GOMAXPROCS(0), JobMaxAttempts: f.jobAttempts, JobTimeout: f.jobTimeout,
		AuthFailures: authFailures(f.authFailures), WebhookSecrets: hooks, WebhookAllowPrivate: f.allowPrivate, MetricsToken: e.getenv("CANDOR_METRICS_TOKEN"),
		Version: version, Retention: f.retention,
	}
	sopts := store.Options{Prefix: f.prefix, Retention: f.retention, MaxAttempts: f.jobAttempts}
	if url := e.getenv("REDIS_URL"); url != "" {
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
	b.deps.Engines = map[string]analyzer.Engine{api.EngineHeuristic: heuristic.New()}
	if lf := f.llm; lf.apiKey != "" || lf.baseURL != "" {
		for _, mode := range []string{api.EngineLLM, api.EngineHybrid} {
			eng, err := newLLMEngine(mode, lf)
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

// webhookSecrets reads CANDOR_WEBHOOK_SECRETS (tenant:secret,...). The
// single CANDOR_WEBHOOK_SECRET of earlier versions signed every tenant's
// webhooks with one key, so any tenant's receiver could forge another's:
// it is taken only without API keys (the one local tenant's secret).
func webhookSecrets(getenv func(string) string, keys *api.Keys) (*api.WebhookSecrets, error) {
	w, err := api.ParseWebhookSecrets(getenv("CANDOR_WEBHOOK_SECRETS"))
	if err != nil {
		return nil, fmt.Errorf("CANDOR_WEBHOOK_SECRETS: %v", err)
	}
	if one := getenv("CANDOR_WEBHOOK_SECRET"); one != "" {
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
	f := registerServerFlags(fs, e.getenv, "127.0.0.1:8080")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: candor serve [--addr HOST:PORT] [flags]\n\n"+
			"Serves the HTTP API (see /openapi.yaml) with job workers in the same process.\n"+
			"Environment: REDIS_URL (unset: in-memory store), CANDOR_API_KEYS=tenant:key,... (unset: no auth, loopback only),\n"+
			"CANDOR_WEBHOOK_SECRETS=tenant:secret,... (each tenant's webhook signing secret), OPENAI_API_KEY, OPENAI_BASE_URL,\n"+
			"CANDOR_WEB_SECRET (signs web sessions; share it between replicas).\n"+
			"Web pages: http://ADDR/ (sign in with an API key; no sign-in without keys).\n\n"+
			"Examples:\n  candor serve\n  REDIS_URL=redis://127.0.0.1:6379/0 CANDOR_API_KEYS=acme:$(openssl rand -hex 16) candor serve --addr :8080 --workers 0\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if pos, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("serve: unexpected argument %q", pos[0])
	}
	b, err := e.backend("serve", f, false)
	if err != nil {
		return err
	}
	defer b.close()
	if err := api.CheckListen(f.addr, b.cfg.Keys); err != nil {
		return usagef("serve: %v", err)
	}
	gin.SetMode(gin.ReleaseMode)
	// The web pages call the API in this process; the API hands them
	// every path outside /v1 and its operational routes.
	var srv *api.Server
	wc := web.Config{API: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { srv.ServeHTTP(w, r) }),
		Secret: []byte(e.getenv("CANDOR_WEB_SECRET")), Logger: b.log, MaxUploadBytes: f.maxBody,
		Keys: b.cfg.Keys, Sessions: b.deps.Store}
	// One count of wrong keys per address for the API and the sign-in.
	b.deps.AuthThrottle = api.NewAuthThrottle(f.authFailures, b.deps.Store)
	wc.Throttle = b.deps.AuthThrottle
	for _, m := range []string{api.EngineHeuristic, api.EngineLLM, api.EngineHybrid} {
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
		engines := []string{api.EngineHeuristic}
		for _, m := range []string{api.EngineLLM, api.EngineHybrid} {
			if b.deps.Engines[m] != nil {
				engines = append(engines, m)
			}
		}
		log.Info("listening", "addr", "http://"+ln.Addr().String(), "cmd", cmd, "store", storeKind, "auth", auth,
			"engines", strings.Join(engines, ","), "workers", workers, "version", version)
	}
	if f.pprofAddr != "" {
		if err := api.CheckListen(f.pprofAddr, nil); err != nil {
			return usagef("%s: --pprof-addr must be a loopback address", cmd)
		}
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
