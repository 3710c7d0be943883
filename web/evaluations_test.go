package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// postSet sends the evaluations form with a set file.
func (u *user) postSet(kind, guideID, name string, data []byte, csrf string) page {
	u.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range map[string]string{"csrf": csrf, "kind": kind, "guide_id": guideID, "engine": "heuristic"} {
		_ = mw.WriteField(k, v)
	}
	if name != "" {
		fw, _ := mw.CreateFormFile("set", name)
		_, _ = fw.Write(data)
	}
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, u.e.ts.URL+"/evaluations", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return u.do(req)
}

var jobLoc = regexp.MustCompile(`^/jobs/(job_[0-9a-f]+)\?kind=(evaluation|audit)$`)

// runSet starts an evaluation or audit from the page, runs the job and
// follows the job page to the result's page; it returns the page's path.
func (u *user) runSet(kind, guideID, name string, data []byte) string {
	u.t.Helper()
	u.get("/evaluations")
	p := u.postSet(kind, guideID, name, data, u.csrf)
	m := jobLoc.FindStringSubmatch(p.header.Get("Location"))
	if p.status != http.StatusSeeOther || m == nil || m[2] != kind {
		u.t.Fatalf("POST /evaluations: %d to %q; body:\n%s", p.status, p.header.Get("Location"), clipBody(p.body))
	}
	jp := u.get(p.header.Get("Location"))
	if jp.status != http.StatusOK || !strings.Contains(jp.body, "appears under <a href=\"/evaluations\">Evaluations</a>") {
		u.t.Fatalf("job page: %d\n%s", jp.status, clipBody(jp.body))
	}
	u.e.drain()
	done := u.get("/jobs/" + m[1])
	loc := done.header.Get("Location")
	if done.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/"+kind+"s/") {
		u.t.Fatalf("finished job page: %d to %q\n%s", done.status, loc, clipBody(done.body))
	}
	st := u.get("/jobs/" + m[1] + "/status")
	if !strings.Contains(st.body, `"report_url":"`+loc+`"`) {
		u.t.Errorf("job status %s, want report_url %s", st.body, loc)
	}
	return loc
}

func TestEvaluationPages(t *testing.T) {
	e := newEnv(t, envOpts{noWorkers: true})
	u := e.user()
	u.signIn(acmeKey)

	list := u.get("/evaluations")
	if list.status != http.StatusOK || !strings.Contains(list.body, `id="eval-form"`) || !strings.Contains(list.body, "No evaluation yet.") ||
		!strings.Contains(list.body, `href="/evaluations" aria-current="page"`) {
		t.Fatalf("list page: %d\n%s", list.status, clipBody(list.body))
	}

	set := readFixture(t, "evaluation/testdata/mini/answers.jsonl")
	loc := u.runSet("evaluation", "cx-empathy", "answers.jsonl", set)
	p := u.get(loc)
	if p.status != http.StatusOK {
		t.Fatalf("GET %s: %d", loc, p.status)
	}
	for _, want := range []string{`<svg`, `class="matrix"`, "Area statuses", "coverage QWK", `/assets/eval.`, `Evaluation of uploaded set`, `action="/evaluations/`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("evaluation page lacks %q", want)
		}
	}
	if strings.Contains(p.body, "<style") || strings.Contains(p.body, " style=") || strings.Contains(p.body, "<script>") {
		t.Errorf("inline style or script on the evaluation page")
	}
	if csp := p.header.Get("Content-Security-Policy"); !strings.Contains(csp, "style-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
	dl := u.get(loc + "/download/json")
	if dl.status != http.StatusOK || !strings.Contains(dl.body, `"kind":"evaluation"`) || !strings.Contains(dl.header.Get("Content-Disposition"), "attachment") {
		t.Errorf("download: %d %q %.200s", dl.status, dl.header.Get("Content-Disposition"), dl.body)
	}

	// Another tenant cannot see it.
	other := e.user()
	other.signIn(globexKey)
	if p := other.get(loc); p.status != http.StatusNotFound {
		t.Errorf("globex reads acme's evaluation: %d", p.status)
	}
	if p := other.get("/evaluations"); strings.Contains(p.body, loc) {
		t.Errorf("globex's list shows acme's evaluation")
	}

	planted := readFixture(t, "evaluation/testdata/audit/planted/answers.jsonl")
	aloc := u.runSet("audit", "cx-empathy", "planted.jsonl", planted)
	a := u.get(aloc)
	for _, want := range []string{"Audit of planted", "too small to compare", "under four-fifths", "Counterfactual swap test", `/assets/eval.`} {
		if !strings.Contains(a.body, want) {
			t.Errorf("audit page lacks %q", want)
		}
	}
	list = u.get("/evaluations")
	if !strings.Contains(list.body, `href="`+loc+`"`) || !strings.Contains(list.body, `href="`+aloc+`"`) || !strings.Contains(list.body, "flagged under four-fifths") {
		t.Errorf("list lacks the results:\n%s", clipBody(list.body))
	}

	// A bad set is refused on the form with the API's reason and place.
	bad := u.postSet("evaluation", "cx-empathy", "answers.jsonl", []byte(`{"id": "a", "question_id": "q99", "text": "x", "label": "specific"}`+"\n"), u.csrf)
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "q99") || !strings.Contains(bad.body, `id="eval-form"`) {
		t.Errorf("bad set: %d\n%s", bad.status, clipBody(bad.body))
	}
	if p := u.postSet("evaluation", "cx-empathy", "", nil, u.csrf); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "Choose a labelled set") {
		t.Errorf("no file: %d", p.status)
	}
	// Without the CSRF token nothing starts.
	if p := u.postSet("evaluation", "cx-empathy", "answers.jsonl", set, "forged"); p.status != http.StatusForbidden {
		t.Errorf("forged CSRF: %d", p.status)
	}

	// Delete, then the list says so.
	u.get(aloc)
	del := u.post(aloc+"/delete", url.Values{"csrf": {u.csrf}})
	if del.status != http.StatusSeeOther || del.header.Get("Location") != "/evaluations?deleted=audit" {
		t.Fatalf("delete: %d to %q", del.status, del.header.Get("Location"))
	}
	if p := u.get(aloc); p.status != http.StatusNotFound {
		t.Errorf("deleted audit: %d", p.status)
	}
	if p := u.get("/evaluations?deleted=audit"); !strings.Contains(p.body, "The audit was deleted.") || strings.Contains(p.body, `href="`+aloc+`"`) {
		t.Errorf("list after delete:\n%s", clipBody(p.body))
	}
}
