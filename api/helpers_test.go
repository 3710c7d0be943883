package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/gin-gonic/gin"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/api"
	"github.com/candorhq/candor/contract"
	"github.com/candorhq/candor/internal/testkit"
	"github.com/candorhq/candor/store"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.ReleaseMode)
	for _, ct := range []string{"text/markdown", "text/vtt", "text/html"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.PlainBodyDecoder)
	}
	os.Exit(m.Run())
}

// Tenants and their keys in every test server.
const (
	tenantA = "acme"
	keyA    = "acme-key-0123456789abcdef"
	tenantB = "globex"
	keyB    = "globex-key-0123456789abcdef"
)

func testKeys(t testing.TB) *api.Keys {
	t.Helper()
	k, err := api.ParseKeys(tenantA + ":" + keyA + "," + tenantB + ":" + keyB)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// options tune a test server.
type options struct {
	cfg      api.Config
	noRedis  bool // the in-memory store
	noAuth   bool
	workers  int // default 2; -1 for none
	llmProbe func(context.Context) error
	engines  map[string]analyzer.Engine
	web      http.Handler
	// logs, when set, receives the server's JSON log.
	logs io.Writer
}

// env is a running API server on a real Redis, with a client that checks
// every response against the OpenAPI document and every report against
// the report contract's JSON Schema.
type env struct {
	t     *testing.T
	url   string
	srv   *api.Server
	redis *testkit.Redis
	// prefix starts the store's keys.
	prefix string
	store  store.Store
	http   *http.Client
}

var prefixes atomic.Int64

func newEnv(t *testing.T, o options) *env {
	t.Helper()
	e := &env{t: t}
	cfg := o.cfg
	if !o.noAuth && cfg.Keys == nil {
		cfg.Keys = testKeys(t)
	}
	prefix := fmt.Sprintf("t%d", prefixes.Add(1))
	e.prefix = prefix
	sopts := store.Options{Prefix: prefix, JobIdle: 2 * time.Second, Poll: 50 * time.Millisecond, MaxAttempts: cfg.JobMaxAttempts}
	deps := api.Deps{Engines: o.engines, LLMProbe: o.llmProbe, Web: o.web}
	if o.logs != nil {
		deps.Logger = slog.New(slog.NewJSONHandler(o.logs, nil))
	}
	if deps.Engines == nil {
		deps.Engines = map[string]analyzer.Engine{}
	}
	if deps.Engines[analyzer.EngineHeuristic] == nil {
		deps.Engines[analyzer.EngineHeuristic] = heuristic.New()
	}
	if o.noRedis {
		e.store = store.NewMemory(sopts)
	} else {
		e.redis = testkit.StartRedis(t)
		rc, err := store.OpenRedis(e.redis.URL(), store.RedisOptions{MaxRetries: -1, DialTimeout: 250 * time.Millisecond,
			ReadTimeout: time.Second, WriteTimeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = rc.Close() })
		e.store = store.NewRedis(rc, sopts)
	}
	deps.Store = e.store
	e.srv = api.NewServer(cfg, deps)
	ts := httptest.NewServer(e.srv)
	t.Cleanup(ts.Close)
	e.url = ts.URL
	e.http = &http.Client{Transport: &validating{t: t, base: http.DefaultTransport}, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if o.workers >= 0 {
		n := o.workers
		if n == 0 {
			n = 2
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- e.srv.Work(ctx, n) }()
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Work: %v", err)
			}
		})
	}
	return e
}

// response is a finished response.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r *response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// problem decodes a problem+json body.
func (r *response) problem(t *testing.T) api.Problem {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type %q, want application/problem+json; body %s", ct, r.body)
	}
	var p api.Problem
	r.json(t, &p)
	return p
}

// req is a request to send.
type req struct {
	method, path, key string
	ctype             string
	body              []byte
	header            map[string]string
}

func (e *env) do(r req) *response {
	e.t.Helper()
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	hr, err := http.NewRequest(r.method, e.url+r.path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if r.key != "" {
		hr.Header.Set("Authorization", "Bearer "+r.key)
	}
	if r.ctype != "" {
		hr.Header.Set("Content-Type", r.ctype)
	}
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	resp, err := e.http.Do(hr)
	if err != nil {
		e.t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return &response{status: resp.StatusCode, header: resp.Header, body: b}
}

func (e *env) get(path, key string) *response {
	e.t.Helper()
	return e.do(req{method: http.MethodGet, path: path, key: key})
}

func (e *env) postJSON(path, key string, v any) *response {
	e.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.do(req{method: http.MethodPost, path: path, key: key, ctype: "application/json", body: b})
}

// formFile is a file part of a multipart upload.
type formFile struct {
	field, name string
	data        []byte
}

// multipartForm builds a multipart upload of fields and files; it returns
// the body and its content type.
func multipartForm(t *testing.T, fields map[string]string, files ...formFile) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range files {
		fw, err := w.CreateFormFile(f.field, f.name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(f.data)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), w.FormDataContentType()
}

// multipartBody builds a multipart upload of a transcript file and fields.
func multipartBody(t *testing.T, name string, data []byte, fields map[string]string) ([]byte, string) {
	t.Helper()
	return multipartForm(t, fields, formFile{"transcript", name, data})
}

// want fails the test unless r has the status (and, for errors, the code).
func want(t *testing.T, r *response, status int, code string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	if code != "" {
		if p := r.problem(t); p.Code != code {
			t.Fatalf("code %q, want %q (%s)", p.Code, code, p.Detail)
		}
	}
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// answers is the contract's answers request for the built-in cx-empathy
// guide.
func answers(texts ...string) map[string]any {
	var as []map[string]string
	for i, t := range texts {
		as = append(as, map[string]string{"question_id": fmt.Sprintf("q%d", i+1), "text": t})
	}
	return map[string]any{"guide_id": "cx-empathy", "answers": as}
}

const answerQ1 = "Last March a customer called because her order had been lost twice. She was shouting, so I let her " +
	"finish, told her I could hear how frustrating it was, and called the courier while she stayed on the line. " +
	"We found the parcel at the depot; I drove it over myself that evening and she wrote to thank the team."

// The validating transport checks each response against the OpenAPI
// document (kin-openapi openapi3filter) and each JSON report against the
// report contract's JSON Schema.

var (
	specOnce   sync.Once
	specRouter routers.Router
	specErr    error
)

func openapiRouter() (routers.Router, error) {
	specOnce.Do(func() {
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(api.OpenAPI())
		if err != nil {
			specErr = err
			return
		}
		if err := doc.Validate(loader.Context); err != nil {
			specErr = fmt.Errorf("the OpenAPI document is invalid: %w", err)
			return
		}
		doc.Servers = nil // match the test server's address
		specRouter, specErr = legacy.NewRouter(doc)
	})
	return specRouter, specErr
}

type validating struct {
	t    *testing.T
	base http.RoundTripper
}

func (v *validating) RoundTrip(r *http.Request) (*http.Response, error) {
	var reqBody []byte
	if r.Body != nil {
		reqBody, _ = io.ReadAll(r.Body)
		_ = r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	resp, err := v.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	v.check(r, resp, body)
	return resp, nil
}

func (v *validating) check(r *http.Request, resp *http.Response, body []byte) {
	t := v.t
	t.Helper()
	router, err := openapiRouter()
	if err != nil {
		t.Errorf("openapi: %v", err)
		return
	}
	route, params, err := router.FindRoute(r)
	if err != nil {
		// Outside the document: the web pages' paths, and unknown routes
		// and methods, which must still answer a problem.
		unknown := resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed
		switch {
		case !strings.HasPrefix(r.URL.Path, "/v1/") && !unknown:
		case unknown && resp.Header.Get("Content-Type") == "application/problem+json":
		default:
			t.Errorf("openapi: %s %s (status %d) has no operation in the document: %v", r.Method, r.URL.Path, resp.StatusCode, err)
		}
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route},
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("openapi: %s %s -> %d does not match the document: %v\nbody: %.400s", r.Method, r.URL.Path, resp.StatusCode, err, body)
	}
	isReport := resp.StatusCode == http.StatusOK && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") &&
		(r.URL.Path == "/v1/analyses" || strings.HasPrefix(r.URL.Path, "/v1/reports/"))
	if isReport {
		if err := contract.Validate(body); err != nil {
			t.Errorf("report from %s %s breaks the contract schema: %v", r.Method, r.URL.Path, err)
		}
	}
}

// TestContractSchemaIsChecked makes sure the report checks above can run:
// the contract's schema (contract/, in the repository) and the OpenAPI
// document both compile.
func TestContractSchemaIsChecked(t *testing.T) {
	if _, err := contract.Schema(); err != nil {
		t.Fatal(err)
	}
	if _, err := openapiRouter(); err != nil {
		t.Fatal(err)
	}
}
