package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"html/template"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/candorhq/candor/api"
	"github.com/candorhq/candor/evaluation"
	"github.com/candorhq/candor/render"
	"github.com/candorhq/candor/store"
)

// Evaluations and audits: a labelled set uploaded from the page goes to
// POST /v1/evaluations or /v1/audits as a job; the job's progress page
// leads to the result's page, which embeds the render package's HTML
// (matrices, the SVG reliability plot, the group tables) in the site's
// layout, styled by render.EvalCSS served as an asset.

// Kinds of set job, as the form and the API name them.
const (
	kindEvaluation = evaluation.KindEvaluation
	kindAudit      = evaluation.KindAudit
)

type evaluationsData struct {
	Builtin, Own []api.GuideInfo
	Engines      []string
	GuideID      string
	Kind         string
	Engine       string
	Name         string
	Evaluations  []resultRow
	Audits       []resultRow
}

type resultRow struct {
	store.ResultInfo
	URL     string
	Created string
}

func resultURL(kind, id string) string {
	if kind == kindAudit {
		return "/audits/" + url.PathEscape(id)
	}
	return "/evaluations/" + url.PathEscape(id)
}

func (h *Handler) evaluationsPage(w http.ResponseWriter, r *http.Request, rc *requestCtx) {
	d := &evaluationsData{Kind: kindEvaluation, GuideID: r.URL.Query().Get("guide")}
	p := &page{}
	switch r.URL.Query().Get("deleted") {
	case kindEvaluation:
		p.Notice = "The evaluation was deleted."
	case kindAudit:
		p.Notice = "The audit was deleted."
	}
	h.showEvaluations(w, r, rc, http.StatusOK, d, p)
}

func (h *Handler) showEvaluations(w http.ResponseWriter, r *http.Request, rc *requestCtx, status int, d *evaluationsData, p *page) {
	gs, err := h.guides(r.Context(), rc.tenant)
	if err != nil {
		h.apiFailed(w, r, rc, err)
		return
	}
	d.Engines = h.cfg.Engines
	if d.Engine == "" {
		d.Engine = h.cfg.Engines[0]
	}
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
	for _, kind := range []string{kindEvaluation, kindAudit} {
		var list api.ResultList
		if err := h.api.getJSON(r.Context(), rc.tenant, "/v1/"+kind+"s", url.Values{"limit": {"50"}}, &list); err != nil {
			h.apiFailed(w, r, rc, err)
			return
		}
		for _, ri := range list.Results {
			row := resultRow{ResultInfo: ri, URL: resultURL(kind, ri.ID), Created: ri.CreatedAt.UTC().Format("2 Jan 2006 15:04")}
			if kind == kindAudit {
				d.Audits = append(d.Audits, row)
			} else {
				d.Evaluations = append(d.Evaluations, row)
			}
		}
	}
	p.Title, p.Nav, p.Tenant, p.CSRF, p.Data = "Evaluations and audits", "evals", rc.tenant, rc.csrf, d
	h.render(w, status, "evaluations.html", p)
}

// startEvaluation sends the uploaded set to POST /v1/evaluations or
// /v1/audits and goes to the job's progress page.
func (h *Handler) startEvaluation(w http.ResponseWriter, r *http.Request, rc *requestCtx) {
	d := &evaluationsData{GuideID: r.PostFormValue("guide_id"), Kind: r.PostFormValue("kind"), Engine: r.PostFormValue("engine"),
		Name: strings.TrimSpace(r.PostFormValue("name"))}
	fail := func(status int, msg string) {
		h.showEvaluations(w, r, rc, status, d, &page{Error: msg})
	}
	if d.Kind != kindAudit {
		d.Kind = kindEvaluation
	}
	if !slices.Contains(h.cfg.Engines, d.Engine) {
		d.Engine = h.cfg.Engines[0]
	}
	var name string
	var data []byte
	if r.MultipartForm != nil {
		if fhs := r.MultipartForm.File["set"]; len(fhs) > 0 && fhs[0].Size > 0 {
			f, err := fhs[0].Open()
			if err == nil {
				data, err = io.ReadAll(f)
				f.Close()
			}
			if err != nil {
				fail(http.StatusBadRequest, "The file could not be read; try again.")
				return
			}
			name = fhs[0].Filename
		}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		fail(http.StatusUnprocessableEntity, "Choose a labelled set: answers.jsonl, answers.csv, or a whole set as .json.")
		return
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("guide_id", d.GuideID)
	if d.Name != "" {
		_ = mw.WriteField("name", d.Name)
	}
	if d.Kind == kindAudit {
		_ = mw.WriteField("engine", d.Engine)
	} else {
		_ = mw.WriteField("engines", d.Engine)
	}
	fw, _ := mw.CreateFormFile("set", name)
	_, _ = fw.Write(data)
	_ = mw.Close()
	res, err := h.api.do(r.Context(), rc.tenant, http.MethodPost, "/v1/"+d.Kind+"s", nil, mw.FormDataContentType(), body.Bytes())
	if err != nil {
		var p *problem
		if errors.As(err, &p) && p.Status < 500 && p.Status != http.StatusTooManyRequests {
			msg := p.Detail
			if p.Field != "" && p.Field != "set" && !strings.Contains(msg, p.Field) {
				msg = p.Field + ": " + msg
			}
			fail(p.Status, msg)
			return
		}
		h.apiFailed(w, r, rc, err)
		return
	}
	var j api.JobAccepted
	if err := decode(res.body.Bytes(), &j); err != nil || j.JobID == "" {
		h.apiFailed(w, r, rc, errors.New("job response without id"))
		return
	}
	http.Redirect(w, r, "/jobs/"+url.PathEscape(j.JobID)+"?kind="+d.Kind, http.StatusSeeOther)
}

type resultData struct {
	Kind     string
	ID       string
	Title    string
	Body     template.HTML
	Download string // the download URL without its format
}

func (h *Handler) evaluationPage(w http.ResponseWriter, r *http.Request, rc *requestCtx) {
	h.resultPage(w, r, rc, kindEvaluation)
}

func (h *Handler) auditPage(w http.ResponseWriter, r *http.Request, rc *requestCtx) {
	h.resultPage(w, r, rc, kindAudit)
}

// resultPage shows an evaluation or audit: the render package's page body
// inside the site's layout.
func (h *Handler) resultPage(w http.ResponseWriter, r *http.Request, rc *requestCtx, kind string) {
	id := r.PathValue("id")
	res, err := h.api.do(r.Context(), rc.tenant, http.MethodGet, "/v1/"+kind+"s/"+url.PathEscape(id), nil, "", nil)
	if err != nil {
		h.apiFailed(w, r, rc, err)
		return
	}
	d := resultData{Kind: kind, ID: id, Download: resultURL(kind, id) + "/download/"}
	if kind == kindEvaluation {
		var ev evaluation.Evaluation
		if err = json.Unmarshal(res.body.Bytes(), &ev); err == nil {
			d.Title = "Evaluation of " + ev.Set
			d.Body, err = render.EvaluationFragment(&ev)
		}
	} else {
		var a evaluation.AuditReport
		if err = json.Unmarshal(res.body.Bytes(), &a); err == nil {
			d.Title = "Audit of " + a.Set
			d.Body, err = render.AuditFragment(&a)
		}
	}
	if err != nil {
		h.apiFailed(w, r, rc, err)
		return
	}
	h.render(w, http.StatusOK, "evaluation.html", &page{Title: d.Title, Nav: "evals", Tenant: rc.tenant, CSRF: rc.csrf,
		Styles: []string{"eval.css"}, Data: d})
}

// downloadResult serves an evaluation or audit as JSON, Markdown or the
// standalone HTML page, through the API's representations.
func (h *Handler) downloadResult(kind string) func(http.ResponseWriter, *http.Request, *requestCtx) {
	return func(w http.ResponseWriter, r *http.Request, rc *requestCtx) {
		id, format := r.PathValue("id"), r.PathValue("format")
		ext := map[string]string{"json": "json", "md": "md", "html": "html"}[format]
		if ext == "" {
			h.errorPage(w, r, rc, http.StatusNotFound, "Not found", "Evaluations and audits download as json, md or html.")
			return
		}
		res, err := h.api.do(r.Context(), rc.tenant, http.MethodGet, "/v1/"+kind+"s/"+url.PathEscape(id), url.Values{"format": {format}}, "", nil)
		if err != nil {
			h.apiFailed(w, r, rc, err)
			return
		}
		w.Header().Set("Content-Type", res.header.Get("Content-Type"))
		if csp := res.header.Get("Content-Security-Policy"); csp != "" {
			w.Header().Set("Content-Security-Policy", csp)
		}
		w.Header().Set("Content-Disposition", `attachment; filename="`+kind+"-"+fileSafe(id)+"."+ext+`"`)
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(res.body.Bytes())
	}
}

// deleteResult deletes an evaluation or audit, then goes to the list.
func (h *Handler) deleteResult(kind string) func(http.ResponseWriter, *http.Request, *requestCtx) {
	return func(w http.ResponseWriter, r *http.Request, rc *requestCtx) {
		id := r.PathValue("id")
		if _, err := h.api.do(r.Context(), rc.tenant, http.MethodDelete, "/v1/"+kind+"s/"+url.PathEscape(id), nil, "", nil); err != nil {
			h.apiFailed(w, r, rc, err)
			return
		}
		http.Redirect(w, r, "/evaluations?deleted="+kind, http.StatusSeeOther)
	}
}
