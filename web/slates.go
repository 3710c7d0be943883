package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/api"
	"github.com/candorhq/candor/slate"
)

// Slates: a named set of reports on one guide, compared side by side. The
// reports list makes one (tick reports, name the set); the comparison page
// lays the slate package's matrix out with the candidates as columns, the
// guide's questions and areas as rows, each cell's quote shown on hover
// and on keyboard focus (a tooltip the cell names with aria-describedby),
// and orders the columns on the server (?sort=coverage|specificity), so
// it works without script. Downloads (CSV, Markdown) follow the order on
// screen.

// slateForm is what the reports list's slate form sent, kept when it is
// shown again with an error.
type slateForm struct {
	Name     string
	Selected map[string]bool
}

type slatesData struct {
	Slates []resultRow
	Next   string
}

func slateURL(id string) string { return "/slates/" + url.PathEscape(id) }

func (h *Handler) slatesPage(w http.ResponseWriter, r *http.Request, rc *requestCtx) {
	q := url.Values{"limit": {"50"}}
	if c := r.URL.Query().Get("cursor"); c != "" {
		q.Set("cursor", c)
	}
	var list api.ResultList
	if err := h.api.getJSON(r.Context(), rc.tenant, "/v1/slates", q, &list); err != nil {
		h.apiFailed(w, r, rc, err)
		return
	}
	d := &slatesData{}
	for _, ri := range list.Results {
		d.Slates = append(d.Slates, resultRow{ResultInfo: ri, URL: slateURL(ri.ID), Created: ri.CreatedAt.UTC().Format("2 Jan 2006 15:04")})
	}
	if list.NextCursor != "" {
		d.Next = "/slates?" + url.Values{"cursor": {list.NextCursor}}.Encode()
	}
	p := &page{Title: "Slates", Nav: "slates", Tenant: rc.tenant, CSRF: rc.csrf, Data: d}
	if r.URL.Query().Get("deleted") != "" {
		p.Notice = "The slate was deleted. Its reports are kept."
	}
	h.render(w, http.StatusOK, "slates.html", p)
}

// createSlate sends the ticked reports to POST /v1/slates and opens the
// comparison; a refusal shows the reports list again, ticks and name kept.
func (h *Handler) createSlate(w http.ResponseWriter, r *http.Request, rc *requestCtx) {
	f := &slateForm{Name: strings.TrimSpace(r.PostFormValue("name")), Selected: map[string]bool{}}
	var ids []string
	for _, id := range r.PostForm["report_id"] {
		if id != "" && !f.Selected[id] {
			f.Selected[id] = true
			ids = append(ids, id)
		}
	}
	back, _ := url.ParseQuery(r.PostFormValue("back"))
	fail := func(status int, msg string) {
		h.showReports(w, r, rc, status, back, msg, f)
	}
	switch {
	case len(ids) == 0:
		fail(http.StatusUnprocessableEntity, "Tick the reports to compare (the first column), then make the slate.")
		return
	case f.Name == "":
		fail(http.StatusUnprocessableEntity, "Name the slate: the role or shortlist it is for.")
		return
	}
	body, _ := json.Marshal(api.SlateRequest{Name: f.Name, ReportIDs: ids})
	res, err := h.api.do(r.Context(), rc.tenant, http.MethodPost, "/v1/slates", nil, "application/json", body)
	if err != nil {
		var p *problem
		if errors.As(err, &p) && p.Status < 500 && p.Status != http.StatusTooManyRequests {
			msg := p.Detail
			if strings.Contains(msg, "one guide") {
				msg += ". Filter the list by guide, then tick the reports."
			}
			fail(p.Status, msg)
			return
		}
		h.apiFailed(w, r, rc, err)
		return
	}
	var v api.SlateView
	if err := decode(res.body.Bytes(), &v); err != nil || v.ID == "" {
		h.apiFailed(w, r, rc, errors.New("slate response without id"))
		return
	}
	http.Redirect(w, r, slateURL(v.ID), http.StatusSeeOther)
}

// slate reads a slate's comparison, its columns in the order asked for.
func (h *Handler) slate(r *http.Request, rc *requestCtx, order string) (*api.SlateView, error) {
	var v api.SlateView
	if err := h.api.getJSON(r.Context(), rc.tenant, slateAPI(r.PathValue("id")), nil, &v); err != nil {
		return nil, err
	}
	if v.Matrix == nil {
		return nil, errors.New("slate response without a matrix")
	}
	if err := v.Matrix.Sort(order); err != nil {
		return nil, err
	}
	return &v, nil
}

func slateAPI(id string) string { return "/v1/slates/" + url.PathEscape(id) }

// slateOrder is the ?sort= parameter, anything unknown read as the order
// the reports were added.
func slateOrder(r *http.Request) string {
	switch s := r.URL.Query().Get("sort"); s {
	case slate.SortCoverage, slate.SortSpecificity:
		return s
	}
	return slate.SortAdded
}

type slateView struct {
	ID, Name  string
	Guide     analyzer.GuideRef
	Created   string
	Reports   int // as made; Gone of them deleted since
	Gone      int
	Order     string // how the columns are ordered, in words
	Sorts     []sortLink
	Cols      []slateCol
	Questions []slateQuestion
	Download  string // the download URL up to its format
	SortQuery string // "?sort=..." for the downloads, or ""
}

type sortLink struct {
	Key, Label, Href string
	Current          bool
}

type slateCol struct {
	ReportID, Name string
	CoveragePct    int
	Specificity    int
}

type slateQuestion struct {
	ID, Text string
	Anchor   string
	// Asked: at least one candidate answered it; the areas of the others
	// are not shown (every cell would say not asked).
	Asked   bool
	Answers []slateAnswer
	Areas   []slateArea
}

type slateAnswer struct {
	Answered    bool
	Status      string
	Symbol      string
	Word        string
	Label       badge
	Specificity int
	CovPct      int
}

type slateArea struct {
	Index int
	Text  string
	Cells []slateCell
}

type slateCell struct {
	Status, Symbol, Word string
	Quote                string
	TipID                string // the tooltip's id, when there is a quote
}

func buildSlate(v *api.SlateView, order string) *slateView {
	m := v.Matrix
	sv := &slateView{ID: v.ID, Name: v.Name, Guide: v.Guide, Reports: len(v.ReportIDs), Gone: len(v.ReportIDs) - len(m.Candidates),
		Created: v.CreatedAt.UTC().Format("2 Jan 2006 15:04 UTC"), Download: slateURL(v.ID) + "/download/"}
	if order != slate.SortAdded {
		sv.SortQuery = "?sort=" + order
	}
	sv.Order = map[string]string{slate.SortAdded: "in the order they were added", slate.SortCoverage: "by areas covered, most first",
		slate.SortSpecificity: "by specificity, most specific first"}[order]
	for _, s := range []struct{ key, label string }{{slate.SortAdded, "Order added"}, {slate.SortCoverage, "Areas covered"}, {slate.SortSpecificity, "Specificity"}} {
		href := slateURL(v.ID)
		if s.key != slate.SortAdded {
			href += "?sort=" + s.key
		}
		sv.Sorts = append(sv.Sorts, sortLink{Key: s.key, Label: s.label, Href: href, Current: s.key == order})
	}
	if sv.Sorts[0].Key == "" {
		sv.Sorts[0].Key = "added"
	}
	for _, c := range m.Candidates {
		sv.Cols = append(sv.Cols, slateCol{ReportID: c.ReportID, Name: c.Name, CoveragePct: pct(c.Coverage), Specificity: int(c.Specificity + 0.5)})
	}
	for qi, q := range m.Questions {
		sq := slateQuestion{ID: q.ID, Text: q.Text, Anchor: fmt.Sprintf("sq%d", qi+1)}
		for _, a := range q.Answers {
			sa := slateAnswer{Status: a.Status, Symbol: slate.Symbols[a.Status], Word: slate.Words[a.Status]}
			if a.Status == "answered" {
				sq.Asked = true
				sa.Answered, sa.Label, sa.Specificity, sa.CovPct = true, badgeOf(a.Label), a.Specificity, pct(a.Coverage)
			}
			sq.Answers = append(sq.Answers, sa)
		}
		for ai, ar := range q.Areas {
			sa := slateArea{Index: ar.Index, Text: ar.Text}
			for ci, c := range ar.Cells {
				sc := slateCell{Status: c.Status, Symbol: slate.Symbols[c.Status], Word: slate.Words[c.Status], Quote: c.Quote}
				if sc.Word == "" {
					sc.Symbol, sc.Word = "?", humanize(c.Status)
				}
				if c.Quote != "" {
					sc.TipID = fmt.Sprintf("tip-%d-%d-%d", qi+1, ai+1, ci+1)
				}
				sa.Cells = append(sa.Cells, sc)
			}
			sq.Areas = append(sq.Areas, sa)
		}
		sv.Questions = append(sv.Questions, sq)
	}
	return sv
}

func (h *Handler) slatePage(w http.ResponseWriter, r *http.Request, rc *requestCtx) {
	order := slateOrder(r)
	v, err := h.slate(r, rc, order)
	if err != nil {
		h.apiFailed(w, r, rc, err)
		return
	}
	h.render(w, http.StatusOK, "slate.html", &page{Title: v.Name, Nav: "slates", Tenant: rc.tenant, CSRF: rc.csrf,
		Styles: []string{"slate.css"}, Data: buildSlate(v, order)})
}

// downloadSlate serves the comparison as CSV or Markdown, its columns in
// the order of the page it was downloaded from.
func (h *Handler) downloadSlate(w http.ResponseWriter, r *http.Request, rc *requestCtx) {
	format := r.PathValue("format")
	if format != "csv" && format != "md" {
		h.errorPage(w, r, rc, http.StatusNotFound, "Not found", "Slates download as csv or md.")
		return
	}
	v, err := h.slate(r, rc, slateOrder(r))
	if err != nil {
		h.apiFailed(w, r, rc, err)
		return
	}
	body, ct := v.Matrix.CSV(), "text/csv; charset=utf-8"
	if format == "md" {
		body, ct = v.Matrix.Markdown(), "text/markdown; charset=utf-8"
	}
	name := strings.Trim(strings.ToLower(fileSafe(v.Name)), "_")
	if name == "" {
		name = fileSafe(v.ID)
	}
	w.Header().Set("Content-Type", ct)
	if len(name) > 60 {
		name = name[:60]
	}
	w.Header().Set("Content-Disposition", `attachment; filename="slate-`+name+"."+format+`"`)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// deleteSlate deletes a slate (its reports stay), then goes to the list.
func (h *Handler) deleteSlate(w http.ResponseWriter, r *http.Request, rc *requestCtx) {
	if _, err := h.api.do(r.Context(), rc.tenant, http.MethodDelete, slateAPI(r.PathValue("id")), nil, "", nil); err != nil {
		h.apiFailed(w, r, rc, err)
		return
	}
	http.Redirect(w, r, "/slates?deleted=1", http.StatusSeeOther)
}
