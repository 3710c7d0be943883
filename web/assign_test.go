package web_test

import (
	"net/http"
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
