package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/api"
	"github.com/candorhq/candor/guide"
	"github.com/candorhq/candor/render"
	"github.com/candorhq/candor/store"
)

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// safeNext keeps a post-sign-in redirect on this site: a clean path and
// query, never something a browser could read as another host. Only
// printable ASCII is let through (requests send the rest percent-encoded),
// so tabs, vertical tabs, newlines and other control characters, which
// browsers strip before resolving, cannot turn "/\t/host" into "//host";
// backslashes (read as slashes) and "//" anywhere are refused too.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.Contains(next, "//") || strings.HasPrefix(next, "/signin") {
		return "/"
	}
	for i := 0; i < len(next); i++ {
		if b := next[i]; b <= ' ' || b >= 0x7f || b == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	return next
}

// --- sign in and out

type signinData struct{ Next string }

func (h *Handler) signinPage(w http.ResponseWriter, r *http.Request) {
	if !h.keyed() {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	h.showSignin(w, r, http.StatusOK, safeNext(r.URL.Query().Get("next")), "")
}

func (h *Handler) showSignin(w http.ResponseWriter, r *http.Request, status int, next, msg string) {
	pre := h.sessions.issue("", 30*time.Minute)
	h.sessions.set(w, r, signinCookie, pre)
	w.Header().Set("Cache-Control", "no-store")
	h.render(w, status, "signin.html", &page{Title: "Sign in", CSRF: h.sessions.csrf(pre), Error: msg, Data: signinData{Next: next}})
}

func (h *Handler) signin(w http.ResponseWriter, r *http.Request) {
	if !h.keyed() {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	addr := api.ClientAddress(r.RemoteAddr)
	if wait := h.cfg.Throttle.Blocked(addr); wait > 0 {
		h.signinThrottled(w, r, wait)
		return
	}
	pre, ok := h.sessions.read(r, signinCookie)
	if !ok || !h.sessions.checkCSRF(pre, r.PostFormValue(csrfField)) {
		h.showSignin(w, r, http.StatusForbidden, safeNext(r.PostFormValue("next")),
			"The sign-in form expired. Enter your key again.")
		return
	}
	next := safeNext(r.PostFormValue("next"))
	// The key is only compared with the configured hashes: never logged,
	// never stored, never put in the cookie.
	tenant, fp, ok := h.cfg.Keys.Identify(strings.TrimSpace(r.PostFormValue("key")))
	if !ok {
		// The client's address, never the key.
		h.log.Info("web: sign-in refused", "client", addr)
		if wait := h.cfg.Throttle.Failed(r.Context(), addr); wait > 0 {
			h.signinThrottled(w, r, wait)
			return
		}
		h.showSignin(w, r, http.StatusUnauthorized, next, "That API key is not valid. Check it and try again.")
		return
	}
	gen, err := h.cfg.Sessions.SessionGeneration(r.Context(), tenant)
	if err != nil {
		h.log.Error("web: session generation unavailable", "error", err.Error())
		h.showSignin(w, r, http.StatusServiceUnavailable, next, "The server cannot sign you in right now. Try again in a moment.")
		return
	}
	// A fresh nonce at every sign-in: a token planted before it is useless.
	ses := h.sessions.issue(tenant, h.cfg.SessionTTL)
	ses.gen, ses.key = gen, fp
	h.sessions.set(w, r, sessionCookie, ses)
	clearCookie(w, r, signinCookie)
	h.log.Info("web: signed in", "tenant", tenant)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// signinThrottled answers 429: too many wrong keys from this address.
func (h *Handler) signinThrottled(w http.ResponseWriter, r *http.Request, wait time.Duration) {
	secs := api.RetryAfter(wait)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	h.errorPage(w, r, nil, http.StatusTooManyRequests, "Too many attempts",
		fmt.Sprintf("Too many wrong keys were tried from your address. Wait %d seconds, then sign in again.", secs))
}

// signout ends the session on the server too: it bumps the tenant's
// session generation, which ends every session of the tenant (each browser
// signed in with its keys), so a copied cookie is worthless afterwards.
func (h *Handler) signout(w http.ResponseWriter, r *http.Request, rc *requestCtx) {
	clearCookie(w, r, sessionCookie)
	if h.keyed() {
		if _, err := h.cfg.Sessions.BumpSessionGeneration(r.Context(), rc.tenant); err != nil {
			h.log.Error("web: sign-out could not end the session on the server", "tenant", rc.tenant, "error", err.Error())
			h.errorPage(w, r, nil, http.StatusServiceUnavailable, "Not signed out",
				"The server could not end your session just now. Try signing out again in a moment.")
			return
		}
		h.log.Info("web: signed out", "tenant", rc.tenant)
	}
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

// --- upload

type uploadData struct {
	Builtin    []api.GuideInfo
	Own        []api.GuideInfo
	Engines    []string
	GuideID    string
	Engine     string
	Candidate  string // the candidate's name, for the report
	Speaker    string // the speaker label that answers, when inference would get it wrong
	Role       string
	Date       string
	Interviews string // interviewers' names, comma-separated
	Assign     string // turns' questions, "6=q7,12=-" (segment.ParseAssign)
	Transcript string
}

func (h *Handler) guides(ctx context.Context, tenant string) ([]api.GuideInfo, error) {
	var list api.GuideList
	if err := h.api.getJSON(ctx, tenant, "/v1/guides", nil, &list); err != nil {
		return nil, err
	}
	return list.Guides, nil
}

func (h *Handler) uploadPage(w http.ResponseWriter, r *http.Request, rc *requestCtx) {
	d := &uploadData{Engines: h.cfg.Engines, GuideID: r.URL.Query().Get("guide"), Engine: h.cfg.Engines[0],
		Assign: r.URL.Query().Get("assign")}
	h.showUpload(w, r, rc, http.StatusOK, d, "")
}

func (h *Handler) showUpload(w http.ResponseWriter, r *http.Request, rc *requestCtx, status int, d *uploadData, msg string) {
	gs, err := h.guides(r.Context(), rc.tenant)
	if err != nil {
		h.apiFailed(w, r, rc, err)
		return
	}
	d.Engines = h.cfg.Engines
	for _, g := range gs {
		if g.Builtin {
			d.Builtin = append(d.Builtin, g)
		} else {
			d.Own = append(d.Own, g)
		}
	}
	if d.GuideID == "" && len(gs) > 0 {
		d.GuideID = gs[0].ID
	}
	h.render(w, status, "upload.html", &page{Title: "New analysis", Nav: "new", Tenant: rc.tenant, CSRF: rc.csrf, Error: msg, Data: d})
}

// upload sends the form to POST /v1/analyses as a multipart upload: a
// report comes back for a short analysis (go to it), a job for a long one
// (go to its progress page).
func (h *Handler) upload(w http.ResponseWriter, r *http.Request, rc *requestCtx) {
	d := &uploadData{GuideID: r.PostFormValue("guide_id"), Engine: r.PostFormValue("engine"),
		Candidate: strings.TrimSpace(r.PostFormValue("candidate_name")), Speaker: strings.TrimSpace(r.PostFormValue("speaker")),
		Role: strings.TrimSpace(r.PostFormValue("role")), Date: strings.TrimSpace(r.PostFormValue("interview_date")),
		Interviews: strings.TrimSpace(r.PostFormValue("interviewer_names")), Assign: strings.TrimSpace(r.PostFormValue("assign")),
		Transcript: r.PostFormValue("transcript")}
	name, data := "pasted transcript", []byte(d.Transcript)
	if r.MultipartForm != nil {
		if fhs := r.MultipartForm.File["file"]; len(fhs) > 0 && fhs[0].Size > 0 {
			f, err := fhs[0].Open()
			if err != nil {
				h.showUpload(w, r, rc, http.StatusBadRequest, d, "The file could not be read; try again.")
				return
			}
			data, err = io.ReadAll(f)
			f.Close()
			if err != nil {
				h.showUpload(w, r, rc, http.StatusBadRequest, d, "The file could not be read; try again.")
				return
			}
			name = fhs[0].Filename
		}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		h.showUpload(w, r, rc, http.StatusUnprocessableEntity, d, "Paste a transcript or choose a transcript file.")
		return
	}
	if !slices.Contains(h.cfg.Engines, d.Engine) {
		d.Engine = h.cfg.Engines[0]
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("guide_id", d.GuideID)
	_ = mw.WriteField("engine", d.Engine)
	for field, v := range map[string]string{"candidate_name": d.Candidate, "candidate": d.Speaker, "role": d.Role,
		"interview_date": d.Date, "interviewer_names": d.Interviews, "assign": d.Assign} {
		if v != "" {
			_ = mw.WriteField(field, v)
		}
	}
	if d.Engine != analyzer.EngineHeuristic {
		// A model takes seconds per answer: show progress.
		_ = mw.WriteField("async", "true")
	}
	fw, _ := mw.CreateFormFile("transcript", name)
	_, _ = fw.Write(data)
	_ = mw.Close()

	res, err := h.api.do(r.Context(), rc.tenant, http.MethodPost, "/v1/analyses", nil, mw.FormDataContentType(), body.Bytes())
	if err != nil {
		var p *problem
		if errors.As(err, &p) && p.Status < 500 && p.Status != http.StatusTooManyRequests {
			h.showUpload(w, r, rc, p.Status, d, p.Detail)
			return
		}
		h.apiFailed(w, r, rc, err)
		return
	}
	if res.status == http.StatusAccepted {
		var j api.JobAccepted
		if err := decode(res.body.Bytes(), &j); err != nil || j.JobID == "" {
			h.apiFailed(w, r, rc, errors.New("job response without id"))
			return
		}
		http.Redirect(w, r, "/jobs/"+url.PathEscape(j.JobID), http.StatusSeeOther)
		return
	}
	var rep struct{ ID string }
	if err := decode(res.body.Bytes(), &rep); err != nil || rep.ID == "" {
		h.apiFailed(w, r, rc, errors.New("report response without id"))
		return
	}
	http.Redirect(w, r, "/reports/"+url.PathEscape(rep.ID), http.StatusSeeOther)
}

// --- jobs

type jobData struct {
	Job       api.Job
	StatusURL string
	// Kind is evaluation or audit for a set job ("" for an analysis).
	Kind string
}

func (h *Handler) job(r *http.Request, rc *requestCtx) (api.Job, error) {
	var j api.Job
	err := h.api.getJSON(r.Context(), rc.tenant, "/v1/jobs/"+url.PathEscape(r.PathValue("id")), nil, &j)
	return j, err
}

func (h *Handler) jobPage(w http.ResponseWriter, r *http.Request, rc *requestCtx) {
	j, err := h.job(r, rc)
	if err != nil {
		h.apiFailed(w, r, rc, err)
		return
	}
	if j.State == store.JobDone && j.ReportID != "" {
		http.Redirect(w, r, "/reports/"+url.PathEscape(j.ReportID), http.StatusSeeOther)
		return
	}
	if j.State == store.JobDone && j.ResultID != "" {
		http.Redirect(w, r, resultURL(j.ResultKind, j.ResultID), http.StatusSeeOther)
		return
	}
	d := jobData{Job: j, StatusURL: "/jobs/" + url.PathEscape(j.ID) + "/status"}
	p := &page{Title: "Analysing", Nav: "new", Tenant: rc.tenant, CSRF: rc.csrf, Data: &d}
	if k := r.URL.Query().Get("kind"); k == kindEvaluation || k == kindAudit {
		d.Kind, p.Nav = k, "evals"
		p.Title = map[string]string{kindEvaluation: "Evaluating", kindAudit: "Auditing"}[k]
	}
	p.Refresh = j.State == store.JobQueued || j.State == store.JobRunning
	h.render(w, http.StatusOK, "job.html", p)
}

// jobStatus is the progress page script's poll.
func (h *Handler) jobStatus(w http.ResponseWriter, r *http.Request, rc *requestCtx) {
	j, err := h.job(r, rc)
	var p *problem
	if errors.As(err, &p) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(p.Status)
		_ = json.NewEncoder(w).Encode(map[string]string{"state": "unknown"})
		return
	}
	if err != nil {
		http.Error(w, "unavailable", http.StatusBadGateway)
		return
	}
	out := struct {
		State     store.JobState `json:"state"`
		Done      int            `json:"done"`
		Total     int            `json:"total"`
		ReportURL string         `json:"report_url,omitempty"`
	}{State: j.State, Done: j.Done, Total: j.Total}
	if j.State == store.JobDone && j.ReportID != "" {
		out.ReportURL = "/reports/" + url.PathEscape(j.ReportID)
	}
	if j.State == store.JobDone && j.ResultID != "" {
		// The page's script goes wherever report_url points.
		out.ReportURL = resultURL(j.ResultKind, j.ResultID)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(w).Encode(out)
}

// --- reports

type reportsData struct {
	Reports     []reportRow
	Guides      []api.GuideInfo
	Candidate   string
	GuideID     string
	Role        string
	Interviewer string
	From, To    string // interview dates, inclusive
	Next        string // URL of the next page
	Filtered    bool
	// The slate form: the list's own query (to show it again), the
	// reports ticked and the name given, when it comes back refused.
	Back      string
	Selected  map[string]bool
	SlateName string
}

type reportRow struct {
	store.ReportInfo
	SourceName  string // the transcript's base name
	Created     string
	CoveragePct int
	Specificity int
	Labels      []labelCount
}

func (h *Handler) reportsPage(w http.ResponseWriter, r *http.Request, rc *requestCtx) {
	h.showReports(w, r, rc, http.StatusOK, r.URL.Query(), "", nil)
}

// showReports shows the list for the query in; errMsg and sf, when the
// slate form was refused, say why and keep what was ticked.
func (h *Handler) showReports(w http.ResponseWriter, r *http.Request, rc *requestCtx, status int, in url.Values, errMsg string, sf *slateForm) {
	d := &reportsData{Candidate: strings.TrimSpace(in.Get("candidate")), GuideID: in.Get("guide"), From: in.Get("from"), To: in.Get("to"),
		Role: strings.TrimSpace(in.Get("role")), Interviewer: strings.TrimSpace(in.Get("interviewer"))}
	q := url.Values{"limit": {"25"}}
	for k, v := range map[string]string{"candidate": d.Candidate, "guide": d.GuideID, "role": d.Role, "interviewer": d.Interviewer} {
		if v != "" {
			q.Set(k, v)
		}
	}
	var msg string
	// The dates filter on the day of the interview (both inclusive).
	if d.From != "" {
		if _, err := time.Parse(time.DateOnly, d.From); err != nil {
			msg, d.From = "The 'from' date must be a date (YYYY-MM-DD).", ""
		} else {
			q.Set("interviewed_from", d.From)
		}
	}
	if d.To != "" {
		if _, err := time.Parse(time.DateOnly, d.To); err != nil {
			msg, d.To = "The 'to' date must be a date (YYYY-MM-DD).", ""
		} else {
			q.Set("interviewed_to", d.To)
		}
	}
	if c := in.Get("cursor"); c != "" {
		q.Set("cursor", c)
	}
	d.Filtered = d.Candidate != "" || d.GuideID != "" || d.From != "" || d.To != "" || d.Role != "" || d.Interviewer != ""
	back := url.Values{}
	for _, k := range []string{"candidate", "guide", "role", "interviewer", "from", "to", "cursor"} {
		if v := in.Get(k); v != "" {
			back.Set(k, v)
		}
	}
	d.Back = back.Encode()
	if sf != nil {
		d.Selected, d.SlateName = sf.Selected, sf.Name
	}
	if errMsg != "" {
		msg = errMsg
	}
	var list api.ReportList
	if err := h.api.getJSON(r.Context(), rc.tenant, "/v1/reports", q, &list); err != nil {
		h.apiFailed(w, r, rc, err)
		return
	}
	gs, err := h.guides(r.Context(), rc.tenant)
	if err != nil {
		h.apiFailed(w, r, rc, err)
		return
	}
	d.Guides = gs
	for _, ri := range list.Reports {
		row := reportRow{ReportInfo: ri, SourceName: path.Base(strings.ReplaceAll(ri.Source, "\\", "/")), Created: ri.CreatedAt.UTC().Format("2 Jan 2006 15:04"),
			CoveragePct: pct(ri.Summary.Coverage), Specificity: int(ri.Summary.Specificity + 0.5)}
		for _, l := range []string{analyzer.LabelSpecific, analyzer.LabelMixed, analyzer.LabelRehearsed} {
			if n := ri.Summary.Labels[l]; n > 0 {
				b := badgeOf(l)
				row.Labels = append(row.Labels, labelCount{Class: l, Symbol: b.Symbol, Word: b.Word, N: n})
			}
		}
		d.Reports = append(d.Reports, row)
	}
	if list.NextCursor != "" {
		nq := url.Values{}
		for _, k := range []string{"candidate", "guide", "role", "interviewer", "from", "to"} {
			if v := in.Get(k); v != "" {
				nq.Set(k, v)
			}
		}
		nq.Set("cursor", list.NextCursor)
		d.Next = "/reports?" + nq.Encode()
	}
	p := &page{Title: "Reports", Nav: "reports", Tenant: rc.tenant, CSRF: rc.csrf, Error: msg, Data: d}
	if in.Get("deleted") != "" && sf == nil {
		p.Notice = "The report was deleted, with its cached analyses."
	}
	h.render(w, status, "reports.html", p)
}

func (h *Handler) report(r *http.Request, rc *requestCtx) (*analyzer.Report, error) {
	var rep analyzer.Report
	if err := h.api.getJSON(r.Context(), rc.tenant, "/v1/reports/"+url.PathEscape(r.PathValue("id")), nil, &rep); err != nil {
		return nil, err
	}
	return &rep, nil
}

func (h *Handler) reportPage(w http.ResponseWriter, r *http.Request, rc *requestCtx) {
	rep, err := h.report(r, rc)
	if err != nil {
		h.apiFailed(w, r, rc, err)
		return
	}
	// The guide orders the matrix and names unasked questions; without it
	// (deleted, changed since) the report stands on its own.
	var g *analyzer.Guide
	var gg analyzer.Guide
	if err := h.api.getJSON(r.Context(), rc.tenant, "/v1/guides/"+url.PathEscape(rep.Guide.ID), nil, &gg); err == nil {
		g = &gg
	}
	h.renderReport(w, rc, rep, g)
}

func (h *Handler) renderReport(w http.ResponseWriter, rc *requestCtx, rep *analyzer.Report, g *analyzer.Guide) {
	title := "Report: " + rep.Guide.Title
	if rep.Candidate != "" {
		title = rep.Candidate + " · " + rep.Guide.Title
	}
	h.render(w, http.StatusOK, "report.html", &page{Title: title, Nav: "reports", Tenant: rc.tenant, CSRF: rc.csrf, Data: buildReport(rep, g)})
}

// download serves the report as JSON, Markdown or CSV, through the API's
// own representations.
func (h *Handler) download(w http.ResponseWriter, r *http.Request, rc *requestCtx) {
	id := r.PathValue("id")
	format, ext := r.PathValue("format"), ""
	switch format {
	case "json":
		ext = "json"
	case "md", "markdown":
		format, ext = "md", "md"
	case "csv":
		ext = "csv"
	default:
		h.errorPage(w, r, rc, http.StatusNotFound, "Not found", "Reports download as json, md or csv.")
		return
	}
	res, err := h.api.do(r.Context(), rc.tenant, http.MethodGet, "/v1/reports/"+url.PathEscape(id), url.Values{"format": {format}}, "", nil)
	if err != nil {
		h.apiFailed(w, r, rc, err)
		return
	}
	// Named after the candidate and the day, so downloads can be told apart.
	name := fileSafe(id) + "." + ext
	if format == "json" {
		var rep analyzer.Report
		if decode(res.body.Bytes(), &rep) == nil && rep.ID != "" {
			name = render.FileName(&rep, ext)
		}
	} else if _, params, err := mime.ParseMediaType(res.header.Get("Content-Disposition")); err == nil && params["filename"] != "" {
		name = params["filename"]
	}
	w.Header().Set("Content-Type", res.header.Get("Content-Type"))
	w.Header().Set("Content-Disposition", `attachment; filename="`+fileNameSafe(name)+`"`)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(res.body.Bytes())
}

// fileNameSafe keeps a header's file name to characters that need no
// quoting (the name is made by render.FileName, this is a second guard).
func fileNameSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '"' || r == '\\' || r < 0x20 || r == 0x7f {
			return '_'
		}
		return r
	}, s)
}

// deleteReport deletes a report through DELETE /v1/reports/{id}, then
// goes to the list, which says so.
func (h *Handler) deleteReport(w http.ResponseWriter, r *http.Request, rc *requestCtx) {
	id := r.PathValue("id")
	if _, err := h.api.do(r.Context(), rc.tenant, http.MethodDelete, "/v1/reports/"+url.PathEscape(id), nil, "", nil); err != nil {
		h.apiFailed(w, r, rc, err)
		return
	}
	http.Redirect(w, r, "/reports?deleted=1", http.StatusSeeOther)
}

// fileSafe keeps the characters of an id that are safe in a file name.
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
}

// --- guides

type guidesData struct {
	Builtin, Own []api.GuideInfo
	Text         string
}

func (h *Handler) guidesPage(w http.ResponseWriter, r *http.Request, rc *requestCtx) {
	h.showGuides(w, r, rc, http.StatusOK, "", "")
}

func (h *Handler) showGuides(w http.ResponseWriter, r *http.Request, rc *requestCtx, status int, text, msg string) {
	gs, err := h.guides(r.Context(), rc.tenant)
	if err != nil {
		h.apiFailed(w, r, rc, err)
		return
	}
	d := &guidesData{Text: text}
	for _, g := range gs {
		if g.Builtin {
			d.Builtin = append(d.Builtin, g)
		} else {
			d.Own = append(d.Own, g)
		}
	}
	p := &page{Title: "Interview guides", Nav: "guides", Tenant: rc.tenant, CSRF: rc.csrf, Error: msg, Data: d}
	if r.URL.Query().Get("deleted") != "" && status == http.StatusOK {
		p.Notice = "The guide was deleted. Reports made with it keep their copy of its questions."
	}
	h.render(w, status, "guides.html", p)
}

// importGuide posts a Yardstick text guide (pasted or a file) to
// POST /v1/guides, then shows it.
func (h *Handler) importGuide(w http.ResponseWriter, r *http.Request, rc *requestCtx) {
	text := r.PostFormValue("guide")
	data := []byte(text)
	if r.MultipartForm != nil {
		if fhs := r.MultipartForm.File["file"]; len(fhs) > 0 && fhs[0].Size > 0 {
			f, err := fhs[0].Open()
			if err == nil {
				data, err = io.ReadAll(io.LimitReader(f, guide.MaxSize+1))
				f.Close()
			}
			if err != nil {
				h.showGuides(w, r, rc, http.StatusBadRequest, text, "The file could not be read; try again.")
				return
			}
		}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		h.showGuides(w, r, rc, http.StatusUnprocessableEntity, text, "Paste a guide or choose a guide file.")
		return
	}
	res, err := h.api.do(r.Context(), rc.tenant, http.MethodPost, "/v1/guides", nil, "text/plain", data)
	if err != nil {
		var p *problem
		if errors.As(err, &p) && p.Status < 500 && p.Status != http.StatusTooManyRequests {
			h.showGuides(w, r, rc, p.Status, text, p.Detail)
			return
		}
		h.apiFailed(w, r, rc, err)
		return
	}
	var c api.GuideCreated
	if err := decode(res.body.Bytes(), &c); err != nil || c.ID == "" {
		h.apiFailed(w, r, rc, errors.New("guide response without id"))
		return
	}
	http.Redirect(w, r, "/guides/"+url.PathEscape(c.ID), http.StatusSeeOther)
}

type guideData struct {
	G       *analyzer.Guide
	Builtin bool
	// Desc is the description's paragraphs.
	Desc []string
}

type editGuideData struct {
	G    *analyzer.Guide
	Text string // the guide as YAML, or what was posted
}

func (h *Handler) guidePage(w http.ResponseWriter, r *http.Request, rc *requestCtx) {
	id := r.PathValue("id")
	var g analyzer.Guide
	if err := h.api.getJSON(r.Context(), rc.tenant, "/v1/guides/"+url.PathEscape(id), nil, &g); err != nil {
		h.apiFailed(w, r, rc, err)
		return
	}
	_, builtin := guide.Builtin(id)
	p := &page{Title: g.Title, Nav: "guides", Tenant: rc.tenant, CSRF: rc.csrf,
		Data: guideData{G: &g, Builtin: builtin, Desc: paragraphs(g.Description)}}
	if r.URL.Query().Get("saved") != "" {
		p.Notice = "The guide was saved. New analyses use it; reports made before keep the version they were made with."
	}
	h.render(w, http.StatusOK, "guide.html", p)
}

// editGuidePage shows one of the tenant's guides as YAML to edit.
func (h *Handler) editGuidePage(w http.ResponseWriter, r *http.Request, rc *requestCtx) {
	id := r.PathValue("id")
	if _, builtin := guide.Builtin(id); builtin {
		h.errorPage(w, r, rc, http.StatusForbidden, "Built-in guide", "Built-in guides are read-only. Download one with 'candor guides import', change it and import it as your own.")
		return
	}
	var g analyzer.Guide
	if err := h.api.getJSON(r.Context(), rc.tenant, "/v1/guides/"+url.PathEscape(id), nil, &g); err != nil {
		h.apiFailed(w, r, rc, err)
		return
	}
	g.Version = "" // recomputed on save
	text, err := yaml.Marshal(&g)
	if err != nil {
		h.apiFailed(w, r, rc, err)
		return
	}
	h.render(w, http.StatusOK, "guide_edit.html", &page{Title: "Edit " + g.Title, Nav: "guides", Tenant: rc.tenant, CSRF: rc.csrf,
		Data: editGuideData{G: &g, Text: string(text)}})
}

// saveGuide sends the edited guide to PUT /v1/guides/{id}: YAML or JSON
// as the editor shows it, or Yardstick text pasted over it.
func (h *Handler) saveGuide(w http.ResponseWriter, r *http.Request, rc *requestCtx) {
	id := r.PathValue("id")
	text := r.PostFormValue("guide")
	ct := "text/plain"
	if f, err := guide.Detect("guide", []byte(text)); err == nil && f == guide.FormatYAML {
		ct = "application/yaml"
	} else if err == nil && f == guide.FormatJSON {
		ct = "application/json"
	}
	_, err := h.api.do(r.Context(), rc.tenant, http.MethodPut, "/v1/guides/"+url.PathEscape(id), nil, ct, []byte(text))
	if err != nil {
		var p *problem
		if errors.As(err, &p) && p.Status < 500 && p.Status != http.StatusTooManyRequests {
			g := &analyzer.Guide{ID: id, Title: id}
			h.render(w, p.Status, "guide_edit.html", &page{Title: "Edit " + id, Nav: "guides", Tenant: rc.tenant, CSRF: rc.csrf,
				Error: p.Detail, Data: editGuideData{G: g, Text: text}})
			return
		}
		h.apiFailed(w, r, rc, err)
		return
	}
	http.Redirect(w, r, "/guides/"+url.PathEscape(id)+"?saved=1", http.StatusSeeOther)
}

// deleteGuide deletes one of the tenant's guides.
func (h *Handler) deleteGuide(w http.ResponseWriter, r *http.Request, rc *requestCtx) {
	id := r.PathValue("id")
	if _, err := h.api.do(r.Context(), rc.tenant, http.MethodDelete, "/v1/guides/"+url.PathEscape(id), nil, "", nil); err != nil {
		h.apiFailed(w, r, rc, err)
		return
	}
	http.Redirect(w, r, "/guides?deleted=1", http.StatusSeeOther)
}
