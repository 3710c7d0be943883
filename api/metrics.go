package api

import (
	"context"
	"crypto/subtle"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/candorhq/candor/analyzer"
)

// metrics are the server's Prometheus metrics, on a registry of its own
// (no global state: tests run several servers in one process).
type metrics struct {
	reg         *prometheus.Registry
	latency     *prometheus.HistogramVec
	cache       *prometheus.CounterVec
	respCache   *prometheus.CounterVec
	llmCalls    prometheus.Counter
	llmTokens   *prometheus.CounterVec
	llmErrors   prometheus.Counter
	jobs        *prometheus.CounterVec
	webhooks    *prometheus.CounterVec
	rateLimited prometheus.Counter
	handler     gin.HandlerFunc
	// observers caches latency's series by observerKey.
	observers sync.Map
	// respHit and respMiss are respCache's two series.
	respHit, respMiss prometheus.Counter
}

func newMetrics(s *Server) *metrics {
	reg := prometheus.NewRegistry()
	f := func(c prometheus.Collector) { reg.MustRegister(c) }
	m := &metrics{
		reg: reg,
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "candor_http_request_duration_seconds", Help: "HTTP request latency by route, method and status.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route", "method", "status"}),
		cache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "candor_analysis_cache_total", Help: "Answer analyses served from the cache (hit) or computed (miss).",
		}, []string{"result"}),
		respCache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "candor_response_cache_total", Help: "Sync analyses answered whole from the response cache (hit) or not (miss).",
		}, []string{"result"}),
		llmCalls: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "candor_llm_calls_total", Help: "Chat-model calls made by the LLM engines.",
		}),
		llmTokens: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "candor_llm_tokens_total", Help: "Tokens used by the LLM engines, by kind (prompt, completion).",
		}, []string{"kind"}),
		llmErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "candor_llm_errors_total", Help: "Answers for which the model failed and the embedded engine answered instead.",
		}),
		jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "candor_jobs_total", Help: "Analysis jobs by event: queued, done, failed, retried.",
		}, []string{"event"}),
		webhooks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "candor_webhook_deliveries_total", Help: "Webhook delivery attempts by result: delivered, retried, failed.",
		}, []string{"result"}),
		rateLimited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "candor_rate_limited_total", Help: "Requests refused with 429.",
		}),
	}
	f(m.latency)
	f(m.cache)
	f(m.respCache)
	f(m.llmCalls)
	f(m.llmTokens)
	f(m.llmErrors)
	f(m.jobs)
	f(m.webhooks)
	f(m.rateLimited)
	f(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "candor_queue_depth", Help: "Analysis jobs queued or running (NaN while Redis is unreachable).",
	}, s.queueDepth))
	f(collectors.NewGoCollector())
	f(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.handler = gin.WrapH(promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	for _, r := range []string{"hit", "miss"} {
		m.cache.WithLabelValues(r)
	}
	m.respHit, m.respMiss = m.respCache.WithLabelValues("hit"), m.respCache.WithLabelValues("miss")
	m.llmTokens.WithLabelValues("prompt")
	m.llmTokens.WithLabelValues("completion")
	return m
}

// observerKey names one latency series. Routes are the router's patterns
// and methods the router's, so the series are few.
type observerKey struct {
	route, method string
	status        int
}

func (m *metrics) request(method, route string, status int, d time.Duration) {
	// The series looked up once, not hashed from its labels each request.
	k := observerKey{route, method, status}
	o, ok := m.observers.Load(k)
	if !ok {
		o, _ = m.observers.LoadOrStore(k, m.latency.WithLabelValues(route, method, strconv.Itoa(status)))
	}
	o.(prometheus.Observer).Observe(d.Seconds())
}

func (m *metrics) responseCache(hit bool) {
	if hit {
		m.respHit.Inc()
	} else {
		m.respMiss.Inc()
	}
}

func (m *metrics) cacheLookup(hit bool) {
	if hit {
		m.cache.WithLabelValues("hit").Inc()
	} else {
		m.cache.WithLabelValues("miss").Inc()
	}
}

// queueDepth is the number of jobs queued or running.
func (s *Server) queueDepth() float64 {
	if !s.shared {
		return float64(s.inMemoryQueue.Load())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	n, err := s.store.QueueDepth(ctx)
	if err != nil {
		return math.NaN()
	}
	return float64(n)
}

func (s *Server) metricsHandler(c *gin.Context) {
	switch {
	case s.cfg.MetricsToken != "":
		scheme, tok, _ := strings.Cut(c.GetHeader("Authorization"), " ")
		if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(s.cfg.MetricsToken)) != 1 {
			c.Header("WWW-Authenticate", `Bearer realm="candor-metrics"`)
			s.fail(c, errorf(http.StatusUnauthorized, CodeInvalidCredentials, "/metrics needs the metrics token (CANDOR_METRICS_TOKEN) as Authorization: Bearer TOKEN"))
			return
		}
	case s.cfg.Keys.Len() > 0:
		s.fail(c, errorf(http.StatusForbidden, CodeForbidden, "/metrics is off on a server with API keys until CANDOR_METRICS_TOKEN is set; scrape it with that token"))
		return
	}
	s.metrics.handler(c)
}

// countingEngine counts an LLM engine's calls, tokens and fallbacks. It
// sits under the cache, so cached answers cost nothing here.
type countingEngine struct {
	next analyzer.Engine
	m    *metrics
}

func (e *countingEngine) Info() analyzer.EngineInfo { return e.next.Info() }

func (e *countingEngine) Analyze(ctx context.Context, q analyzer.Question, answer string) (analyzer.AnswerAnalysis, error) {
	a, err := e.next.Analyze(ctx, q, answer)
	if err != nil {
		return a, err
	}
	if a.Usage != nil {
		e.m.llmCalls.Add(float64(a.Usage.Calls))
		e.m.llmTokens.WithLabelValues("prompt").Add(float64(a.Usage.PromptTokens))
		e.m.llmTokens.WithLabelValues("completion").Add(float64(a.Usage.CompletionTokens))
	}
	for _, w := range a.Warnings {
		if w.Code == analyzer.WarnLLMFallback {
			e.m.llmErrors.Inc()
		}
	}
	return a, nil
}
