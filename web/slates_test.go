package web_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/candorhq/candor/api"
	"github.com/candorhq/candor/slate"
)

// slateTranscripts are five interviews on cx-empathy, each with its
// candidate's name, in the order they go into the slate.
var slateTranscripts = []struct{ file, name string }{
	{"t01_zoom.vtt", "Hannah Lindqvist"},
	{"t02_teams.vtt", "Tomasz Wójcik"},
	{"t03_srt.srt", "Carla Jiménez"},
	{"t04_otter.txt", "Ibrahim Haddad"},
	{"t06_panel.txt", "Priyanka Deshmukh"},
}

// apiSlate fetches a slate's comparison from the JSON API with a key.
func (e *env) apiSlate(key, id string) *api.SlateView {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/v1/slates/"+id, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		e.t.Fatalf("GET /v1/slates/%s: %d", id, res.StatusCode)
	}
	var v api.SlateView
	if err := json.NewDecoder(res.Body).Decode(&v); err != nil {
		e.t.Fatal(err)
	}
	return &v
}

// bySpecificity is the report ids of v, most specific report first (ties:
// more covered, then the order added), as the page must order them.
func bySpecificity(v *api.SlateView) []string {
	cs := slices.Clone(v.Matrix.Candidates)
	sort.SliceStable(cs, func(a, b int) bool {
		if cs[a].Specificity != cs[b].Specificity {
			return cs[a].Specificity > cs[b].Specificity
		}
		return cs[a].Coverage > cs[b].Coverage
	})
	var ids []string
	for _, c := range cs {
		ids = append(ids, c.ReportID)
	}
	return ids
}

var (
	candColRE   = regexp.MustCompile(`<th scope="col" class="cand" data-report="([^"]+)"`)
	slateCellRE = regexp.MustCompile(`<td class="cell [a-z_]+" data-status="([a-z_]+)"`)
)

// TestSlatePages: tick five reports on the list, make a slate, read the
// comparison (a column per candidate, quotes named by their cells, not
// asked apart from missing), order it, download it, list and delete it;
// refusals come back to the list with the ticks kept; other tenants see
// nothing.
func TestSlatePages(t *testing.T) {
	e := newEnv(t, envOpts{})
	u := e.user()
	u.signIn(acmeKey)
	var ids []string
	for _, tr := range slateTranscripts {
		ids = append(ids, u.uploadReport("cx-empathy", tr.file, readFixture(t, "testdata/eval/transcripts/"+tr.file), tr.name))
	}
	other := u.uploadReport("behavioral-core", "answers.json",
		[]byte(`{"candidate":"Other Guide","answers":[{"question_id":"q1","text":"In March our release slipped a week and I told the client myself."}]}`), "")

	list := u.get("/reports?guide=cx-empathy")
	for _, id := range ids {
		if !strings.Contains(list.body, `name="report_id" value="`+id+`"`) {
			t.Fatalf("no checkbox for report %s on the list", id)
		}
	}
	if !strings.Contains(list.body, `id="slate-form"`) || !strings.Contains(list.body, `name="back" value="guide=cx-empathy"`) {
		t.Fatalf("no slate form keeping the filter:\n%s", clipBody(list.body))
	}

	// Refusals: no token, nothing ticked, two guides (ticks and name kept).
	if p := u.post("/slates", url.Values{"name": {"x"}, "report_id": ids}); p.status != http.StatusForbidden {
		t.Errorf("without the CSRF token: %d", p.status)
	}
	u.get("/reports")
	p := u.post("/slates", url.Values{"csrf": {u.csrf}, "name": {"Shortlist"}, "back": {"guide=cx-empathy"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "Tick the reports") {
		t.Errorf("nothing ticked: %d\n%s", p.status, clipBody(p.body))
	}
	p = u.post("/slates", url.Values{"csrf": {u.csrf}, "name": {"Mixed"}, "report_id": {ids[0], other}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "one guide") ||
		!strings.Contains(p.body, `value="`+other+`" id="pick-`+other+`" data-guide="behavioral-core" checked`) ||
		!strings.Contains(p.body, `value="Mixed"`) {
		t.Errorf("two guides: %d\n%s", p.status, clipBody(p.body))
	}

	p = u.post("/slates", url.Values{"csrf": {u.csrf}, "name": {"CX lead shortlist"}, "report_id": ids, "back": {"guide=cx-empathy"}})
	loc := p.header.Get("Location")
	if p.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/slates/sl_") {
		t.Fatalf("make the slate: %d to %q\n%s", p.status, loc, clipBody(p.body))
	}
	id := strings.TrimPrefix(loc, "/slates/")
	v := e.apiSlate(acmeKey, id)

	pg := u.get(loc)
	if pg.status != http.StatusOK || !strings.Contains(pg.header.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Fatalf("comparison page: %d", pg.status)
	}
	cols := func(body string) (out []string) {
		for _, m := range candColRE.FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		return out
	}
	if got := cols(pg.body); !slices.Equal(got, ids) {
		t.Errorf("columns %v, want the reports in the order ticked %v", got, ids)
	}
	// A cell per candidate and area of every question asked of anyone,
	// each with the matrix's status (not asked kept apart from missing).
	wantCells := map[string]int{}
	for _, q := range v.Matrix.Questions {
		asked := slices.ContainsFunc(q.Answers, func(a slate.AnswerCell) bool { return a.Status == "answered" })
		for _, a := range q.Areas {
			for _, c := range a.Cells {
				if asked {
					wantCells[c.Status]++
				}
			}
		}
	}
	gotCells := map[string]int{}
	for _, m := range slateCellRE.FindAllStringSubmatch(pg.body, -1) {
		gotCells[m[1]]++
	}
	if fmt.Sprint(gotCells) != fmt.Sprint(wantCells) || wantCells["not_asked"] == 0 {
		t.Errorf("cells by status %v, want %v", gotCells, wantCells)
	}
	for _, want := range []string{`<h1 id="slate-title">CX lead shortlist</h1>`,
		`tabindex="0" aria-describedby="tip-`, `role="tooltip"`, `<span class="sr-only">covered</span>`, `aria-current="page">Slates</a>`,
		`<script src="/assets/app.`, `/assets/slate.`} {
		if !strings.Contains(pg.body, want) {
			t.Errorf("comparison page lacks %s", want)
		}
	}
	if strings.Contains(pg.body, "<script>") || strings.Contains(pg.body, " style=") {
		t.Error("inline script or style on the comparison page")
	}
	// Every quote is the report's, in the tooltip its cell names.
	quotes := 0
	for _, q := range v.Matrix.Questions {
		for _, a := range q.Areas {
			for _, c := range a.Cells {
				if c.Quote != "" {
					quotes++
					if !strings.Contains(pg.body, "“"+htmlEsc(c.Quote)+"”</span>") {
						t.Errorf("quote %q not on the page", c.Quote)
					}
				}
			}
		}
	}
	if n := strings.Count(pg.body, `role="tooltip"`); n != quotes || quotes == 0 {
		t.Errorf("%d tooltips, %d quotes", n, quotes)
	}

	// Ordered by specificity on the server; unknown orders are the default.
	want := bySpecificity(v)
	if slices.Equal(want, ids) {
		t.Fatal("the fixtures are already in order of specificity: the test would prove nothing")
	}
	if got := cols(u.get(loc + "?sort=specificity").body); !slices.Equal(got, want) {
		t.Errorf("by specificity: %v, want %v", got, want)
	}
	if got := cols(u.get(loc + "?sort=%3Cscript%3E").body); !slices.Equal(got, ids) {
		t.Errorf("unknown order: %v", got)
	}

	// CSV in the order shown.
	res := u.get(loc + "/download/csv?sort=specificity")
	if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") ||
		res.header.Get("Content-Disposition") != `attachment; filename="slate-cx_lead_shortlist.csv"` {
		t.Fatalf("CSV: %d %q %q", res.status, res.header.Get("Content-Type"), res.header.Get("Content-Disposition"))
	}
	recs, err := csv.NewReader(strings.NewReader(res.body)).ReadAll()
	if err != nil || len(recs) != 1+15+15*8 || len(recs[0]) != 2+2*5 {
		t.Fatalf("CSV: %d records, err %v", len(recs), err)
	}
	names := map[string]string{}
	for _, c := range v.Matrix.Candidates {
		names[c.ReportID] = c.Name
	}
	if recs[0][2] != names[want[0]] || recs[0][10] != names[want[4]] {
		t.Errorf("CSV header %v, want %s first and %s last", recs[0], names[want[0]], names[want[4]])
	}
	if md := u.get(loc + "/download/md"); md.status != http.StatusOK || !strings.Contains(md.body, "| Area | Hannah Lindqvist | Tomasz Wójcik |") {
		t.Errorf("Markdown: %d %.200s", md.status, md.body)
	}
	if p := u.get(loc + "/download/xlsx"); p.status != http.StatusNotFound {
		t.Errorf("unknown format: %d", p.status)
	}

	// Listed; not another tenant's.
	if l := u.get("/slates"); !strings.Contains(l.body, `<a href="`+loc+`">CX lead shortlist</a>`) {
		t.Errorf("the list lacks the slate:\n%s", clipBody(l.body))
	}
	g := e.user()
	g.signIn(globexKey)
	if p := g.get(loc); p.status != http.StatusNotFound {
		t.Errorf("another tenant's slate: %d", p.status)
	}
	if l := g.get("/slates"); strings.Contains(l.body, "CX lead shortlist") {
		t.Error("another tenant's slate listed")
	}
	if p := g.post(loc+"/delete", url.Values{"csrf": {g.csrf}}); p.status != http.StatusNotFound {
		t.Errorf("another tenant deletes: %d", p.status)
	}

	// Deleted: the slate goes, its reports stay.
	u.get(loc)
	p = u.post(loc+"/delete", url.Values{"csrf": {u.csrf}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/slates?deleted=1" {
		t.Fatalf("delete: %d to %q", p.status, p.header.Get("Location"))
	}
	if p := u.get(loc); p.status != http.StatusNotFound {
		t.Errorf("deleted slate: %d", p.status)
	}
	if _, st := e.apiReport(acmeKey, ids[0]); st != http.StatusOK {
		t.Errorf("a report of the deleted slate: %d", st)
	}
}

// htmlEsc escapes as html/template does in text.
func htmlEsc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;", "+", "&#43;").Replace(s)
}
