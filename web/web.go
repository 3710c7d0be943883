// Package web serves Candor's recruiter pages: upload a transcript, follow a
// long analysis, read a report (coverage matrix, evidence highlighted in the
// answers, signals, follow-ups, warnings), list reports, view and import
// guides. Pages are rendered on the server with html/template; the CSS and
// the small script are embedded, so the pages work offline and without a
// CDN, and every page works without JavaScript.
//
// The pages call the API in the same process (api.ActAs) as the signed-in
// tenant, so they follow the API's tenant rules, limits and validation.
// Signing in takes an API key and gives an HttpOnly, SameSite=Strict cookie
// holding an HMAC-signed token (tenant, expiry, nonce, the tenant's session
// generation and the key's fingerprint), never the key; every form carries
// a CSRF token derived from the session. Each request re-checks that the
// key is still configured and the generation still current, so sign-out
// and a removed key end sessions at once, on every replica.
package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/api"
	"github.com/candorhq/candor/render"
	"github.com/candorhq/candor/slate"
	"github.com/candorhq/candor/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// Config holds the pages' settings and collaborators.
type Config struct {
	// API serves the /v1 API in this process; required.
	API http.Handler
	// Keys are the API keys that sign in. None means the server runs
	// without keys (loopback only): nobody signs in and every page acts
	// for the API's local tenant.
	Keys *api.Keys
	// Sessions keeps each tenant's session generation (sign-out and
	// removed keys end sessions through it); replicas must share it (the
	// Redis store). Nil: this process's memory.
	Sessions store.Sessions
	// Throttle counts wrong keys at sign-in per client address, with the
	// API's Bearer keys (api.NewAuthThrottle); nil: none.
	Throttle *api.AuthThrottle
	// Secret signs session cookies. Empty: a random secret per process, so
	// sessions end when it restarts; replicas behind one address must
	// share one.
	Secret []byte
	// SessionTTL is how long a sign-in lasts (default 12h).
	SessionTTL time.Duration
	// Engines are the engine names the upload form offers (default
	// heuristic only).
	Engines []string
	// MaxUploadBytes bounds an upload form (default 10 MiB).
	MaxUploadBytes int64
	Logger         *slog.Logger
}

// Handler serves the pages.
type Handler struct {
	cfg      Config
	log      *slog.Logger
	api      apiClient
	sessions *sessions
	pages    map[string]*template.Template
	assets   map[string]asset // by URL path
	assetURL map[string]string
	mux      *http.ServeMux
	bufs     sync.Pool
}

type asset struct {
	body        []byte
	contentType string
}

// New returns the pages' handler.
func New(cfg Config) (*Handler, error) {
	if cfg.API == nil {
		return nil, errors.New("web: Config.API is required")
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if len(cfg.Engines) == 0 {
		cfg.Engines = []string{analyzer.EngineHeuristic}
	}
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = 10 << 20
	}
	key := cfg.Secret
	if len(key) == 0 {
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, fmt.Errorf("web: session secret: %w", err)
		}
	}
	h := &Handler{
		cfg:      cfg,
		log:      cfg.Logger,
		api:      apiClient{h: cfg.API, noAuth: cfg.Keys.Len() == 0},
		sessions: &sessions{key: key, mode: "keys", ttl: cfg.SessionTTL, now: time.Now},
		bufs:     sync.Pool{New: func() any { return new(bytes.Buffer) }},
	}
	if cfg.Keys.Len() == 0 {
		h.sessions.mode = "local"
	}
	if h.cfg.Sessions == nil {
		h.cfg.Sessions = store.NewMemory(store.Options{})
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if err := h.loadAssets(); err != nil {
		return nil, err
	}
	if err := h.loadTemplates(); err != nil {
		return nil, err
	}
	h.routes()
	return h, nil
}

func (h *Handler) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /assets/{name}", h.serveAsset)
	m.HandleFunc("GET /signin", h.signinPage)
	m.HandleFunc("POST /signin", h.signin)
	m.HandleFunc("POST /signout", h.auth(h.signout))

	m.HandleFunc("GET /{$}", h.auth(h.uploadPage))
	m.HandleFunc("POST /analyses", h.auth(h.upload))
	m.HandleFunc("GET /jobs/{id}", h.auth(h.jobPage))
	m.HandleFunc("GET /jobs/{id}/status", h.auth(h.jobStatus))
	m.HandleFunc("GET /reports", h.auth(h.reportsPage))
	m.HandleFunc("GET /reports/{id}", h.auth(h.reportPage))
	m.HandleFunc("GET /reports/{id}/download/{format}", h.auth(h.download))
	m.HandleFunc("POST /reports/{id}/delete", h.auth(h.deleteReport))
	m.HandleFunc("GET /evaluations", h.auth(h.evaluationsPage))
	m.HandleFunc("POST /evaluations", h.auth(h.startEvaluation))
	m.HandleFunc("GET /evaluations/{id}", h.auth(h.evaluationPage))
	m.HandleFunc("GET /evaluations/{id}/download/{format}", h.auth(h.downloadResult(kindEvaluation)))
	m.HandleFunc("POST /evaluations/{id}/delete", h.auth(h.deleteResult(kindEvaluation)))
	m.HandleFunc("GET /audits/{id}", h.auth(h.auditPage))
	m.HandleFunc("GET /audits/{id}/download/{format}", h.auth(h.downloadResult(kindAudit)))
	m.HandleFunc("POST /audits/{id}/delete", h.auth(h.deleteResult(kindAudit)))
	m.HandleFunc("GET /slates", h.auth(h.slatesPage))
	m.HandleFunc("POST /slates", h.auth(h.createSlate))
	m.HandleFunc("GET /slates/{id}", h.auth(h.slatePage))
	m.HandleFunc("GET /slates/{id}/download/{format}", h.auth(h.downloadSlate))
	m.HandleFunc("POST /slates/{id}/delete", h.auth(h.deleteSlate))
	m.HandleFunc("GET /guides", h.auth(h.guidesPage))
	m.HandleFunc("POST /guides", h.auth(h.importGuide))
	m.HandleFunc("GET /guides/{id}", h.auth(h.guidePage))
	m.HandleFunc("GET /guides/{id}/edit", h.auth(h.editGuidePage))
	m.HandleFunc("POST /guides/{id}", h.auth(h.saveGuide))
	m.HandleFunc("POST /guides/{id}/delete", h.auth(h.deleteGuide))
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		h.errorPage(w, r, nil, http.StatusNotFound, "Page not found", "There is no page at this address.")
	})
	h.mux = m
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	// Scripts and styles come only from our own embedded files; nothing
	// inline, no other origin, no framing.
	hd.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "same-origin")
	hd.Set("X-Frame-Options", "DENY")
	h.mux.ServeHTTP(w, r)
}

// keyed reports whether the server has keys (users sign in).
func (h *Handler) keyed() bool { return h.cfg.Keys.Len() > 0 }

// current reports whether a signed session still stands: a tenant's, its
// key still configured for that tenant, its generation the tenant's.
func (h *Handler) current(ctx context.Context, ses session) (bool, error) {
	if ses.tenant == "" || !h.cfg.Keys.Current(ses.tenant, ses.key) {
		return false, nil
	}
	gen, err := h.cfg.Sessions.SessionGeneration(ctx, ses.tenant)
	if err != nil {
		return false, err
	}
	return gen == ses.gen, nil
}

// RevokeRemovedKeys ends the sessions of every tenant one of whose keys
// was configured at the last start and is not now (a key seen again later
// does not revive them). The command calls it at start; it returns the
// tenants whose sessions it ended.
func (h *Handler) RevokeRemovedKeys(ctx context.Context) ([]string, error) {
	if !h.keyed() {
		return nil, nil
	}
	return h.cfg.Sessions.SyncSessionKeys(ctx, h.cfg.Keys.Fingerprints())
}

// requestCtx is what a signed-in handler gets.
type requestCtx struct {
	ses    session
	tenant string
	csrf   string
}

// auth runs next for a signed-in browser (every browser, without keys);
// others go to the sign-in page. On POST it checks the CSRF token first.
func (h *Handler) auth(next func(http.ResponseWriter, *http.Request, *requestCtx)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ses, ok := h.sessions.read(r, sessionCookie)
		if ok && h.keyed() {
			var err error
			ok, err = h.current(r.Context(), ses)
			if err != nil {
				h.log.Error("web: session generation unavailable", "error", err.Error())
				h.errorPage(w, r, nil, http.StatusServiceUnavailable, "Unavailable",
					"The server cannot check your session right now. Try again in a moment.")
				return
			}
			if !ok {
				clearCookie(w, r, sessionCookie)
			}
		}
		if !ok {
			if h.keyed() {
				if r.Method == http.MethodGet || r.Method == http.MethodHead {
					http.Redirect(w, r, "/signin?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
					return
				}
				h.errorPage(w, r, nil, http.StatusForbidden, "Signed out", "Your session has ended. Sign in again, then repeat what you were doing.")
				return
			}
			// No keys: every browser is the local tenant; a session is
			// issued only so that forms carry a CSRF token.
			ses = h.sessions.issue(api.LocalTenant, h.cfg.SessionTTL)
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				h.sessions.set(w, r, sessionCookie, ses)
				h.csrfFailed(w, r)
				return
			}
			h.sessions.set(w, r, sessionCookie, ses)
		}
		rc := &requestCtx{ses: ses, tenant: ses.tenant, csrf: h.sessions.csrf(ses)}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, h.cfg.MaxUploadBytes)
			token, err := postedCSRF(r)
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				h.errorPage(w, r, rc0(ses, h), http.StatusRequestEntityTooLarge, "Too large",
					fmt.Sprintf("The upload is over the limit of %d MB. Send a smaller file.", h.cfg.MaxUploadBytes>>20))
				return
			}
			if !h.sessions.checkCSRF(ses, token) {
				h.csrfFailed(w, r)
				return
			}
		}
		w.Header().Set("Cache-Control", "no-store")
		next(w, r, rc)
	}
}

// postedCSRF reads the form's CSRF token (urlencoded or multipart); it
// parses the whole form, so an oversized body fails here.
func postedCSRF(r *http.Request) (string, error) {
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(1 << 20)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		return "", err
	}
	return r.PostFormValue(csrfField), nil
}

func rc0(ses session, h *Handler) *requestCtx {
	return &requestCtx{ses: ses, tenant: ses.tenant, csrf: h.sessions.csrf(ses)}
}

func (h *Handler) csrfFailed(w http.ResponseWriter, r *http.Request) {
	h.errorPage(w, r, nil, http.StatusForbidden, "Form expired",
		"This form was not sent from a current Candor page (its security token is missing or out of date). Go back, reload the page and send it again.")
}

// page is the data every template gets.
type page struct {
	Title    string
	Nav      string
	Auth     bool // the server has keys: show sign-out
	Tenant   string
	CSRF     string
	Error    string
	Notice   string // what the last action did ("Report deleted.")
	Data     any
	Refresh  bool
	BodyAttr string
	// Styles are stylesheets the page needs beside app.css (asset names).
	Styles []string
}

func (h *Handler) render(w http.ResponseWriter, status int, name string, p *page) {
	t, ok := h.pages[name]
	if !ok {
		panic("web: no template " + name)
	}
	p.Auth = h.keyed()
	buf := h.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer h.bufs.Put(buf)
	if err := t.ExecuteTemplate(buf, "layout", p); err != nil {
		h.log.Error("render page", "page", name, "error", err.Error())
		http.Error(w, "the page could not be rendered", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (h *Handler) errorPage(w http.ResponseWriter, r *http.Request, rc *requestCtx, status int, title, msg string) {
	p := &page{Title: title, Data: msg}
	if rc != nil {
		p.Tenant, p.CSRF = rc.tenant, rc.csrf
	}
	h.render(w, status, "error.html", p)
}

// apiFailed shows an API error: its detail for the user's own mistakes,
// a generic line for the server's.
func (h *Handler) apiFailed(w http.ResponseWriter, r *http.Request, rc *requestCtx, err error) {
	var p *problem
	if errors.As(err, &p) {
		switch {
		case p.Status == http.StatusNotFound:
			h.errorPage(w, r, rc, http.StatusNotFound, "Not found", p.Detail)
			return
		case p.Status == http.StatusTooManyRequests:
			h.errorPage(w, r, rc, p.Status, "Too many requests", "Too many requests for this account; wait a moment and try again.")
			return
		case p.Status < 500:
			h.errorPage(w, r, rc, p.Status, "Request refused", p.Detail)
			return
		}
	}
	h.log.Error("web: API call failed", "path", r.URL.Path, "error", errString(err))
	h.errorPage(w, r, rc, http.StatusBadGateway, "Something went wrong", "The server could not complete this request. Try again in a moment.")
}

// errString is an error's text for the log: API problems by status and
// code only, since details may quote input.
func errString(err error) string {
	var p *problem
	if errors.As(err, &p) {
		return fmt.Sprintf("status %d code %s", p.Status, p.Code)
	}
	return err.Error()
}

func (h *Handler) loadAssets() error {
	h.assets, h.assetURL = map[string]asset{}, map[string]string{}
	// The evaluation and audit pages' stylesheet is the render package's.
	h.addAsset("eval.css", []byte(render.EvalCSS))
	return fs.WalkDir(assetFS, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := assetFS.ReadFile(p)
		if err != nil {
			return err
		}
		h.addAsset(path.Base(p), body)
		return nil
	})
}

// addAsset serves body under a name with its content hash.
func (h *Handler) addAsset(name string, body []byte) {
	if path.Ext(name) == ".css" {
		body = minifyCSS(body)
	}
	sum := sha256.Sum256(body)
	ext := path.Ext(name)
	// The content hash in the name lets browsers keep it for ever.
	hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
	ct := map[string]string{".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
		".svg": "image/svg+xml"}[ext]
	if ct == "" {
		ct = "application/octet-stream"
	}
	h.assets[hashed] = asset{body: body, contentType: ct}
	h.assetURL[name] = "/assets/" + hashed
}

func (h *Handler) serveAsset(w http.ResponseWriter, r *http.Request) {
	a, ok := h.assets[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", a.contentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	// Explicit: mounted as the API's NoRoute handler, an implicit status
	// would be gin's preset 404.
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(a.body)
}

func (h *Handler) loadTemplates() error {
	funcs := template.FuncMap{
		"asset": func(name string) string { return h.assetURL[name] },
		"add":   func(a, b int) int { return a + b },
		"clip":  clip,
		"join":  strings.Join,
		"paras": paragraphs,
		// The status marks and words, as slate defines them for every view.
		"symbol": func(status string) string { return slate.Symbols[status] },
		"word":   func(status string) string { return slate.Words[status] },
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return err
	}
	h.pages = map[string]*template.Template{}
	for _, n := range names {
		base := path.Base(n)
		if base == "layout.html" {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", n)
		if err != nil {
			return fmt.Errorf("web: parse %s: %w", base, err)
		}
		h.pages[base] = t
	}
	return nil
}

// paragraphs splits prose at blank lines (or, in text without any, at
// line breaks), so a guide's description keeps its paragraphs apart.
func paragraphs(s string) []string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "\r\n", "\n")
	sep := "\n\n"
	if !strings.Contains(s, sep) {
		sep = "\n"
	}
	var out []string
	for _, p := range strings.Split(s, sep) {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// clip shortens s to n characters at a word boundary.
func clip(n int, s string) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}

var (
	cssComment = regexp.MustCompile(`(?s)/\*.*?\*/`)
	cssSpace   = regexp.MustCompile(`\s+`)
	cssPunct   = regexp.MustCompile(`\s*([{};,>])\s*`)
)

// minifyCSS drops comments and spaces the stylesheet does not need, so the
// source stays readable and the page light.
func minifyCSS(b []byte) []byte {
	b = cssComment.ReplaceAll(b, nil)
	b = cssSpace.ReplaceAll(b, []byte(" "))
	b = cssPunct.ReplaceAll(b, []byte("$1"))
	return bytes.TrimSpace(b)
}
