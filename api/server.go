// Package api is Candor's HTTP API on gin: analyses (sync and as jobs),
// reports, guides, health, metrics and the OpenAPI document, for the hiring
// tools that call it and for the web pages mounted beside it.
//
// Every route is in routes.go, the wire types in types.go, and errors become
// statuses in one place (errors.go). The server reads no environment: the
// command builds a Config and Deps and passes them in.
package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/guide"
	"github.com/candorhq/candor/store"
)

// Config holds the API's settings. Zero fields take the defaults below.
type Config struct {
	// Keys are the tenants' API keys; empty means no auth (every request
	// acts for tenant LocalTenant), which the command allows only on a
	// loopback address (see CheckListen).
	Keys *Keys
	// MaxBodyBytes bounds a request body (default 10 MiB: a transcript
	// of transcript.MaxSize with JSON escaping).
	MaxBodyBytes int64
	// MaxAnswers bounds the answers of one request (default 100).
	MaxAnswers int
	// MaxAnswerChars bounds one answer, in characters (default 20000).
	MaxAnswerChars int
	// MaxWork is the work budget of one analysis, in the units of
	// budget.go (default DefaultMaxWork, about 0.6 s of one core;
	// negative: none).
	MaxWork int64
	// AsyncThreshold is the transcript size in bytes above which an
	// analysis runs as a job even without ?async=true (default 256 KiB).
	AsyncThreshold int
	// RateLimit is the requests each API key may make per RatePeriod,
	// with bursts up to RateBurst; 0 disables rate limiting.
	RateLimit  int
	RatePeriod time.Duration // default one minute
	RateBurst  int           // default RateLimit/10, at least 1
	// ResponseCacheTTL is how long a sync analysis's whole response is
	// kept for an identical request (default 1h, capped by Retention;
	// negative disables). Only with Redis.
	ResponseCacheTTL time.Duration
	// Retention must match the store's Options.Retention (0: reports
	// are kept until deleted).
	Retention time.Duration
	// IdempotencyTTL is how long a response is kept for its
	// Idempotency-Key (default 24h).
	IdempotencyTTL time.Duration
	// CacheTTL is how long an analysis stays cached (0: no expiry).
	CacheTTL time.Duration
	// GuideRecheck is how long a tenant's guide held in this process is
	// used before the store is asked whether it changed (default 1s): a
	// PUT or DELETE through another replica takes effect here within it.
	GuideRecheck time.Duration
	// GuideOffline is how long after its last confirmation a held guide
	// still serves analyses while the store is unavailable, flagged with
	// Candor-Guide-Source: replica-copy (default 5m; negative: never).
	GuideOffline time.Duration
	// Concurrency is how many answers of one request are analyzed at
	// once (default GOMAXPROCS).
	Concurrency int
	// JobMaxAttempts must match the store's Options.MaxAttempts (default
	// 3): the worker sends the failure webhook after the last attempt.
	JobMaxAttempts int
	// JobTimeout bounds one job run (default 10 minutes).
	JobTimeout time.Duration
	// WebhookSecrets sign each tenant's webhook bodies with the tenant's
	// own secret (Candor-Signature); a tenant without one cannot ask for
	// webhooks.
	WebhookSecrets *WebhookSecrets
	// WebhookAttempts is how often a delivery is tried (default 5), with
	// WebhookBackoff doubling between tries (default 1s).
	WebhookAttempts int
	WebhookBackoff  time.Duration
	// WebhookAllowPrivate lets webhooks reach loopback and private
	// addresses (tests, single-host setups); off, they are refused so a
	// tenant cannot make the server call into its own network.
	WebhookAllowPrivate bool
	// AuthFailures is how many wrong API keys (Bearer or web sign-in) one
	// client address may send a minute, in bursts of as many, before it
	// gets 429 for a while (default 30; negative: no limit).
	AuthFailures int
	// MetricsToken, when set, is the bearer token GET /metrics requires.
	// Unset, /metrics is open on a server without API keys (loopback
	// only) and refused (403) on one with keys: tenants' clients reach
	// that port, and the metrics describe every tenant's traffic.
	MetricsToken string
	// Version is reported in /healthz and the OpenAPI document's server.
	Version string
}

// Deps are the server's collaborators.
type Deps struct {
	Logger *slog.Logger
	// Store keeps every piece of tenant state: the analysis cache,
	// reports, results, jobs, guides, idempotency keys, the response cache
	// and rate limits. A shared one (Redis) lets replicas share them.
	Store store.Store
	// Engines maps engine names to uncached engines; analyzer.EngineHeuristic is
	// required, analyzer.EngineLLM and analyzer.EngineHybrid are there when an LLM is
	// configured. The server wraps them with the cache.
	Engines map[string]analyzer.Engine
	// LLMProbe checks that the LLM server answers (for /readyz); nil
	// when no LLM is configured.
	LLMProbe func(ctx context.Context) error
	// AuthThrottle, when set, counts wrong API keys per client address
	// (share it with the web pages' sign-in); nil: one made from
	// Config.AuthFailures.
	AuthThrottle *AuthThrottle
	// Web serves every path outside /v1 and the operational routes (the
	// recruiter pages, GET /reports/{id}); nil answers 404.
	Web http.Handler
}

func (c Config) withDefaults() Config {
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 10 << 20
	}
	if c.MaxAnswers <= 0 {
		c.MaxAnswers = 100
	}
	if c.AuthFailures == 0 {
		c.AuthFailures = 30
	}
	if c.MaxAnswerChars <= 0 {
		c.MaxAnswerChars = 20000
	}
	if c.MaxWork == 0 {
		c.MaxWork = DefaultMaxWork
	}
	if c.AsyncThreshold <= 0 {
		c.AsyncThreshold = 256 << 10
	}
	if c.RatePeriod <= 0 {
		c.RatePeriod = time.Minute
	}
	if c.RateLimit > 0 && c.RateBurst <= 0 {
		c.RateBurst = max(1, c.RateLimit/10)
	}
	if c.ResponseCacheTTL == 0 {
		c.ResponseCacheTTL = time.Hour
	}
	if c.Retention > 0 && c.ResponseCacheTTL > c.Retention {
		c.ResponseCacheTTL = c.Retention
	}
	if c.IdempotencyTTL <= 0 {
		c.IdempotencyTTL = 24 * time.Hour
	}
	if c.Concurrency <= 0 {
		c.Concurrency = runtime.GOMAXPROCS(0)
	}
	if c.JobMaxAttempts <= 0 {
		c.JobMaxAttempts = 3
	}
	if c.JobTimeout <= 0 {
		c.JobTimeout = 10 * time.Minute
	}
	if c.WebhookAttempts <= 0 {
		c.WebhookAttempts = 5
	}
	if c.WebhookBackoff <= 0 {
		c.WebhookBackoff = time.Second
	}
	if c.Version == "" {
		c.Version = "dev"
	}
	return c
}

// Server is the API: an http.Handler, and the job workers that share its
// engines, store and metrics.
type Server struct {
	cfg     Config
	log     *slog.Logger
	store   store.Store
	engines map[string]*store.Engine
	// engineTags are the engines' engineTag, which response cache
	// entries record.
	engineTags map[string]string
	// respKeyPrefix is requestKeyPrefix, made once.
	respKeyPrefix string
	plain         map[string]analyzer.Engine // the engines without the cache
	builtins      map[string]*analyzer.Guide
	guides        *store.GuideCache
	limiter       *limiter
	resp          *responseCache
	metrics       *metrics
	hooks         *webhooks
	llmProbe      *probe
	idKey         *idKey
	authFails     *AuthThrottle
	router        *gin.Engine
	web           http.Handler
	// shared is set when the store is seen by other processes (Redis);
	// the in-memory twin's queue dies with this one.
	shared bool

	// inMemoryQueue counts jobs queued or running when the store is the
	// in-memory twin (its depth is not visible otherwise).
	inMemoryQueue atomic.Int64
	// offlineWarned throttles the log line of guides served from this
	// process's copy (unix seconds).
	offlineWarned atomic.Int64
	draining      atomic.Bool
	workers       sync.WaitGroup
}

// NewServer returns the API for cfg and deps. It panics when deps lack the
// store or the heuristic engine, which is a programming error.
func NewServer(cfg Config, deps Deps) *Server {
	if deps.Store == nil || deps.Engines[analyzer.EngineHeuristic] == nil {
		panic("api.NewServer: Deps.Store and Deps.Engines[heuristic] are required")
	}
	cfg = cfg.withDefaults()
	log := deps.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		cfg:      cfg,
		log:      log,
		store:    deps.Store,
		engines:  map[string]*store.Engine{},
		plain:    deps.Engines,
		builtins: map[string]*analyzer.Guide{},
		web:      deps.Web,
		shared:   deps.Store.Shared(),
	}
	s.metrics = newMetrics(s)
	for name, eng := range deps.Engines {
		if name != analyzer.EngineHeuristic {
			eng = &countingEngine{next: eng, m: s.metrics}
		}
		s.engines[name] = store.CachedEngine(eng, deps.Store, cfg.CacheTTL)
	}
	s.engineTags = map[string]string{}
	for name, eng := range s.engines {
		s.engineTags[name] = engineTag(eng.Info())
	}
	s.respKeyPrefix = s.requestKeyPrefix()
	s.guides = store.NewGuideCache(deps.Store, store.GuideCacheOptions{Recheck: cfg.GuideRecheck, Offline: cfg.GuideOffline})
	for _, g := range guide.Builtins() {
		s.builtins[g.ID] = g
	}
	if s.shared && cfg.ResponseCacheTTL > 0 {
		// In one process the pipeline is cheap: the cache is for replicas.
		s.resp = &responseCache{st: deps.Store, ttl: cfg.ResponseCacheTTL}
	}
	if cfg.RateLimit > 0 {
		s.limiter = newLimiter(cfg, deps.Store)
	}
	if deps.LLMProbe != nil {
		s.llmProbe = &probe{check: deps.LLMProbe, every: 10 * time.Second}
	}
	s.idKey = &idKey{st: deps.Store}
	s.authFails = deps.AuthThrottle
	if s.authFails == nil {
		s.authFails = NewAuthThrottle(cfg.AuthFailures, deps.Store)
	}
	s.hooks = newWebhooks(cfg, log, s.metrics)
	s.router = s.routes()
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.router.ServeHTTP(w, r) }

// Drain makes /readyz answer 503 so that load balancers stop sending
// requests; call it when shutdown starts.
func (s *Server) Drain() { s.draining.Store(true) }

// Close waits for webhook deliveries in flight, at most until ctx is done.
func (s *Server) Close(ctx context.Context) error {
	if err := s.hooks.wait(ctx); err != nil {
		return fmt.Errorf("webhooks in flight: %w", err)
	}
	return nil
}

// engine returns the cached engine for a request's engine name.
func (s *Server) engine(name string) (*store.Engine, error) {
	if c, ok := analyzer.CanonicalEngine(name); ok {
		name = c
	}
	if e, ok := s.engines[name]; ok {
		return e, nil
	}
	switch name {
	case analyzer.EngineLLM, analyzer.EngineHybrid:
		return nil, &apiError{status: http.StatusUnprocessableEntity, code: CodeEngineUnavailable, field: "engine",
			detail: fmt.Sprintf("the %s engine is not configured on this server (it needs OPENAI_API_KEY or OPENAI_BASE_URL); use engine heuristic", name)}
	}
	return nil, fieldError("engine", "engine must be heuristic, llm or hybrid, not %q", name)
}

// GuideSourceHeader flags a response made with a guide that this replica
// held while the store was unavailable (GuideSourceReplicaCopy).
const (
	GuideSourceHeader      = "Candor-Guide-Source"
	GuideSourceReplicaCopy = "replica-copy"
)

// lookupGuide returns a built-in guide or one of the tenant's, as this
// process holds it (store.GuideCache). The guide is shared: it must not
// be modified. A tenant's guide served while the store is unavailable is
// flagged on c's response and in its log line.
func (s *Server) lookupGuide(c *gin.Context, id string) (*analyzer.Guide, error) {
	if g, ok := s.builtins[id]; ok {
		return g, nil
	}
	t := tenant(c)
	h, err := s.guides.Lookup(c.Request.Context(), t, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("%w %q: not a built-in guide nor one of this tenant's", analyzer.ErrUnknownGuide, id)
	}
	if err != nil {
		return nil, err
	}
	if h.Offline {
		c.Header(GuideSourceHeader, GuideSourceReplicaCopy)
		c.Set(ctxGuideSource, GuideSourceReplicaCopy)
		if now := time.Now().Unix(); s.offlineWarned.Swap(now) < now-10 {
			s.log.Warn("guide served from this replica's copy: the store is unavailable",
				"request_id", c.GetString(ctxRequestID), "tenant", t, "guide", id, "version", h.Guide.Version,
				"confirmed_ago", time.Since(h.Confirmed).Round(time.Millisecond).String())
		}
	}
	return h.Guide, nil
}
