package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/api"
	"github.com/candorhq/candor/store"
	"github.com/candorhq/candor/web"
)

// Test tenants and their keys.
const (
	acmeKey   = "acme-key-0123456789abcdef"
	globexKey = "globex-key-0123456789abcdef"
)

// repoRoot is the module root (testdata lives there).
func repoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

// fixturePath is the absolute path of a file of the repository, as a
// browser uploads it.
func fixturePath(t testing.TB, rel string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join(repoRoot(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func readFixture(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type envOpts struct {
	noAuth         bool
	asyncThreshold int
	noWorkers      bool // jobs stay queued until drain is called
}

// env is the real API with the pages mounted through its Web hook, on the
// in-memory store, served by httptest.
type env struct {
	t   testing.TB
	srv *api.Server
	ts  *httptest.Server
}

func newEnv(t testing.TB, o envOpts) *env {
	t.Helper()
	cfg := api.Config{AsyncThreshold: o.asyncThreshold}
	wc := web.Config{}
	if !o.noAuth {
		keys, err := api.ParseKeys("acme:" + acmeKey + ",globex:" + globexKey)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Keys = keys
		wc.Keys = keys
	}
	e := &env{t: t}
	wc.API = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { e.srv.ServeHTTP(w, r) })
	pages, err := web.New(wc)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = api.NewServer(cfg, api.Deps{
		Store:   store.NewMemory(store.Options{}),
		Engines: map[string]analyzer.Engine{analyzer.EngineHeuristic: heuristic.New()},
		Web:     pages,
	})
	e.ts = httptest.NewServer(e.srv)
	t.Cleanup(e.ts.Close)
	if !o.noWorkers {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- e.srv.Work(ctx, 1) }()
		t.Cleanup(func() { cancel(); <-done })
	}
	return e
}

// drain runs queued jobs to the end (the memory queue drains before Work
// returns), for tests that start without workers.
func (e *env) drain() {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := e.srv.Work(ctx, 1); err != nil {
		e.t.Fatal(err)
	}
}

// apiReport fetches a report from the JSON API with a key.
func (e *env) apiReport(key, id string) (*analyzer.Report, int) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/v1/reports/"+id, nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, res.StatusCode
	}
	var rep analyzer.Report
	if err := json.NewDecoder(res.Body).Decode(&rep); err != nil {
		e.t.Fatal(err)
	}
	return &rep, res.StatusCode
}

// user is a browser: a cookie jar, redirects not followed so tests see them.
type user struct {
	t    testing.TB
	e    *env
	c    *http.Client
	csrf string // from the last page that had a form
}

func (e *env) user() *user {
	jar, _ := cookiejar.New(nil)
	return &user{t: e.t, e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type page struct {
	status int
	header http.Header
	body   string
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]*)"`)

func (u *user) do(req *http.Request) page {
	u.t.Helper()
	res, err := u.c.Do(req)
	if err != nil {
		u.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	p := page{status: res.StatusCode, header: res.Header, body: string(b)}
	if m := csrfRE.FindStringSubmatch(p.body); m != nil {
		u.csrf = html.UnescapeString(m[1])
	}
	return p
}

func (u *user) get(path string) page {
	u.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u.e.ts.URL+path, nil)
	return u.do(req)
}

func (u *user) post(path string, form url.Values) page {
	u.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u.e.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return u.do(req)
}

// postMultipart sends fields and, when fileName is set, a file part "file".
func (u *user) postMultipart(path string, fields map[string]string, fileName string, file []byte) page {
	u.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		_ = mw.WriteField(k, fields[k])
	}
	if fileName != "" {
		fw, _ := mw.CreateFormFile("file", fileName)
		_, _ = fw.Write(file)
	}
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, u.e.ts.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return u.do(req)
}

// signIn signs u in with key and checks the redirect.
func (u *user) signIn(key string) {
	u.t.Helper()
	if p := u.get("/signin"); p.status != http.StatusOK {
		u.t.Fatalf("GET /signin: %d", p.status)
	}
	p := u.post("/signin", url.Values{"csrf": {u.csrf}, "key": {key}, "next": {"/"}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/" {
		u.t.Fatalf("POST /signin: %d to %q, want 303 to /", p.status, p.header.Get("Location"))
	}
	if p := u.get("/"); p.status != http.StatusOK {
		u.t.Fatalf("GET / after sign-in: %d", p.status)
	}
}

// upload posts a transcript file through the upload form and returns the
// response (a redirect to the report or the job).
// upload sends the upload form; candidate is the candidate's name, extra
// more form fields as key, value pairs.
func (u *user) upload(guideID, name string, data []byte, candidate string, extra ...string) page {
	u.t.Helper()
	if u.csrf == "" {
		u.get("/")
	}
	fields := map[string]string{"csrf": u.csrf, "guide_id": guideID, "engine": "heuristic", "candidate_name": candidate}
	for i := 0; i+1 < len(extra); i += 2 {
		fields[extra[i]] = extra[i+1]
	}
	return u.postMultipart("/analyses", fields, name, data)
}

// uploadReport uploads and returns the new report's id.
func (u *user) uploadReport(guideID, name string, data []byte, candidate string, extra ...string) string {
	u.t.Helper()
	p := u.upload(guideID, name, data, candidate, extra...)
	loc := p.header.Get("Location")
	if p.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/reports/") {
		u.t.Fatalf("upload: %d to %q, want 303 to /reports/...; body:\n%s", p.status, loc, clipBody(p.body))
	}
	return strings.TrimPrefix(loc, "/reports/")
}

func clipBody(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}

// fifteenAnswers is web.FifteenAnswersJSON: the longest labelled answer
// to each of cx-empathy's 15 questions, as an answers-JSON transcript.
func fifteenAnswers(t testing.TB) []byte { return web.FifteenAnswersJSON(t) }

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
