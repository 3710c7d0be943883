package web

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
)

// TestBorderlineOnReportPage: an answer whose label the engine is not sure
// of says so on the report page, naming the label across the boundary;
// a sure one and one with no confidence (the LLM engine) do not.
func TestBorderlineOnReportPage(t *testing.T) {
	rep, g := fifteenAnswerReport(t)
	h, err := New(Config{API: http.NotFoundHandler()})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name       string
		conf       float64
		near       string
		borderline bool
	}{
		{"borderline", 0.58, analyzer.LabelMixed, true},
		{"sure", 0.91, analyzer.LabelMixed, false},
		{"no confidence", 0, "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := *rep
			r.Answers = append([]analyzer.AnswerAnalysis(nil), rep.Answers...)
			for i := range r.Answers {
				r.Answers[i].Delivery.LabelConfidence, r.Answers[i].Delivery.NearLabel = 0.95, ""
			}
			r.Answers[0].Delivery.Label = analyzer.LabelSpecific
			r.Answers[0].Delivery.LabelConfidence, r.Answers[0].Delivery.NearLabel = c.conf, c.near
			var buf bytes.Buffer
			h.render(&bufWriter{h: http.Header{}, b: &buf}, http.StatusOK, "report.html",
				&page{Title: "x", Tenant: "acme", CSRF: "token", Data: buildReport(&r, g)})
			page := buf.String()
			n := strings.Count(page, `class="help borderline"`)
			want := 0
			if c.borderline {
				want = 1
			}
			if n != want {
				t.Fatalf("%d borderline notes on the page, want %d", n, want)
			}
			if c.borderline && !strings.Contains(page, "58% of the time; a second reading may call it mixed.") {
				t.Errorf("the note does not give the confidence and the near label")
			}
		})
	}
}
