package web_test

import (
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
)

// The upload form's "Questions asked at turns" reaches the API's assign:
// a reply the report named as unplaced is analysed under the question the
// user gives, and a wrong assignment comes back on the form with its
// reason and the value kept.
func TestUploadAssign(t *testing.T) {
	e := newEnv(t, envOpts{})
	u := e.user()
	u.signIn(acmeKey)
	if p := u.get("/"); !strings.Contains(p.body, `<label for="assign">`) {
		t.Fatal("upload page has no assign field")
	}
	data := readFixture(t, "analyzer/segment/testdata/synthetic_unplaced.txt")

	id := u.uploadReport("behavioral-core", "unplaced.txt", data, "")
	p := u.get("/reports/" + id)
	if !strings.Contains(p.body, `data-code="`+analyzer.WarnAnswerUnplaced+`"`) || !strings.Contains(p.body, "An answer matched no guide question") {
		t.Errorf("report page does not show the unplaced reply:\n%s", clipBody(p.body))
	}
	// Each closest question links to the form, filled in to assign turn 4
	// to it; the first is the closest.
	rep, _ := e.apiReport(acmeKey, id)
	var closest []string
	for _, w := range rep.Warnings {
		if w.Code == analyzer.WarnAnswerUnplaced {
			closest = w.Closest
		}
	}
	links := regexp.MustCompile(`<a href="([^"]+)" data-assign>([^<]+)</a>`).FindAllStringSubmatch(p.body, -1)
	if len(closest) == 0 || len(links) != len(closest) {
		t.Fatalf("%d assign links for closest questions %v", len(links), closest)
	}
	for k, l := range links {
		if l[2] != closest[k] {
			t.Errorf("link %d is %s, want %s", k, l[2], closest[k])
		}
	}
	form := u.get(html.UnescapeString(links[0][1]))
	if !strings.Contains(form.body, `value="4=`+closest[0]+`"`) || !strings.Contains(form.body, `<option value="behavioral-core" selected`) {
		t.Errorf("the link's form is not filled in with 4=%s and behavioral-core:\n%s", closest[0], clipBody(form.body))
	}

	id = u.uploadReport("behavioral-core", "unplaced.txt", data, "", "assign", "4=q3")
	rep, status := e.apiReport(acmeKey, id)
	if status != http.StatusOK {
		t.Fatalf("API report: %d", status)
	}
	var ids []string
	for _, a := range rep.Answers {
		ids = append(ids, a.QuestionID)
	}
	slices.Sort(ids)
	if !slices.Equal(ids, []string{"q1", "q3"}) {
		t.Errorf("with assign 4=q3: answers to %v, want q1 and q3", ids)
	}

	p = u.upload("behavioral-core", "unplaced.txt", data, "", "assign", "5=q3")
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "not an interviewer") || !strings.Contains(p.body, `value="5=q3"`) {
		t.Errorf("bad assignment: %d\n%s", p.status, clipBody(p.body))
	}
}
