package api

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
)

// TestNegotiate: ?format= wins, then the first acceptable part of Accept,
// JSON without either; the errors name what each resource is served as.
func TestNegotiate(t *testing.T) {
	for _, tt := range []struct {
		what, query, accept string
		reps                []representation
		want                string
		status              int
		msg                 string
	}{
		{"a report", "", "", reportRepresentations, formatJSON, 0, ""},
		{"a report", "MD", "text/csv", reportRepresentations, formatMarkdown, 0, ""},
		{"a report", "", "image/png, text/csv;q=0, text/*", reportRepresentations, formatMarkdown, 0, ""},
		{"a report", "", "text/csv", reportRepresentations, formatCSV, 0, ""},
		{"a report", "", "text/html", reportRepresentations, "", http.StatusNotAcceptable,
			"a report is served as application/json, text/markdown or text/csv (or ?format=json|md|csv)"},
		{"a report", "html", "", reportRepresentations, "", http.StatusUnprocessableEntity, `format must be json, md or csv, not "html"`},
		{"an evaluation or audit", "", "text/html", resultRepresentations, formatHTML, 0, ""},
		{"an evaluation or audit", "", "text/csv", resultRepresentations, "", http.StatusNotAcceptable,
			"an evaluation or audit is served as application/json, text/markdown or text/html (or ?format=json|md|html)"},
		{"an evaluation or audit", "csv", "", resultRepresentations, "", http.StatusUnprocessableEntity, `format must be json, md or html, not "csv"`},
	} {
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Request = httptest.NewRequest(http.MethodGet, "/x?format="+tt.query, nil)
		if tt.accept != "" {
			c.Request.Header.Set("Accept", tt.accept)
		}
		got, err := negotiate(c, tt.what, tt.reps)
		var ae *apiError
		switch {
		case tt.status == 0 && (err != nil || got != tt.want):
			t.Errorf("%s ?format=%s Accept %q: %q, %v; want %q", tt.what, tt.query, tt.accept, got, err, tt.want)
		case tt.status != 0 && !errors.As(err, &ae):
			t.Errorf("%s ?format=%s Accept %q: %q, %v; want a %d", tt.what, tt.query, tt.accept, got, err, tt.status)
		case tt.status != 0 && (ae.status != tt.status || ae.detail != tt.msg):
			t.Errorf("%s ?format=%s Accept %q: %d %q; want %d %q", tt.what, tt.query, tt.accept, ae.status, ae.detail, tt.status, tt.msg)
		}
	}
}
