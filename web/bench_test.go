package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkReportPage serves GET /reports/{id} for a 15-answer x 8-area
// report through the whole server in this process: session check, the
// API's report and guide reads, the view model and the template.
func BenchmarkReportPage(b *testing.B) {
	e := newEnv(b, envOpts{})
	u := e.user()
	u.signIn(acmeKey)
	id := u.uploadReport("cx-empathy", "answers.json", fifteenAnswers(b), "")
	req := httptest.NewRequest(http.MethodGet, "/reports/"+id, nil)
	jar := u.c.Jar.Cookies(mustURL(b, e.ts.URL))
	for _, c := range jar {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("GET /reports/%s: %d", id, rec.Code)
	}
	b.SetBytes(int64(rec.Body.Len()))
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}
