package render_test

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"strings"
	"testing"

	"github.com/candorhq/candor/render"
)

// hostile are values an attacker could get into a report field (a stored
// report from before ids were restricted, or any text field).
var hostile = []string{
	`=HYPERLINK("http://evil.example","q")`,
	"q1\n# Hired!\n",
	`<img src="http://evil.example/p.png" onerror="alert(1)">`,
	`[click](javascript:alert(1))`,
	`![t](http://evil.example/p.png)`,
	`\[x\](javascript:alert(2))`,
	"+cmd|' /C calc'!A0",
	"@SUM(1+1)*cmd|' /C calc'!A0",
	"-2+3",
}

// TestExportsEscapeEveryField: with a hostile value in every field a
// report carries as text (question id included), no CSV cell starts a
// formula and the Markdown holds no new block, HTML, link or image.
func TestExportsEscapeEveryField(t *testing.T) {
	for _, h := range hostile {
		rep := fixtureReport(t)
		rep.Candidate = h
		rep.Guide.Title = h
		for i := range rep.Answers {
			a := &rep.Answers[i]
			a.QuestionID, a.Question, a.Delivery.Label = h, h, h
			a.Delivery.LabelConfidence, a.Delivery.NearLabel = 0.5, h
			for j := range a.Coverage.Areas {
				a.Coverage.Areas[j].Text, a.Coverage.Areas[j].Status = h, h
				for k := range a.Coverage.Areas[j].Evidence {
					a.Coverage.Areas[j].Evidence[k].Quote = h
				}
			}
			a.FollowUps = []string{h}
		}
		for i := range rep.Warnings {
			rep.Warnings[i].QuestionID, rep.Warnings[i].Message = h, h
		}

		var b bytes.Buffer
		if err := render.CSV(&b, rep); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows[1:] {
			for i, cell := range row {
				if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
					t.Errorf("%q: CSV column %s starts a formula: %q", h, rows[0][i], cell)
				}
			}
		}

		b.Reset()
		if err := render.Markdown(&b, rep); err != nil {
			t.Fatal(err)
		}
		md := b.String()
		for _, line := range strings.Split(md, "\n") {
			if strings.HasPrefix(line, "#") && !strings.HasPrefix(line, "# Interview report: ") && !strings.HasPrefix(line, "## ") {
				t.Errorf("%q: a heading the report does not write: %q", h, line)
			}
			if strings.HasPrefix(line, "## ") && strings.Contains(line[3:], "\n") {
				t.Errorf("%q: heading runs on: %q", h, line)
			}
		}
		for _, bad := range []*regexp.Regexp{
			regexp.MustCompile(`<[a-zA-Z/]`),              // raw HTML (our own markup is only <br>)
			regexp.MustCompile(`(^|[^\\])(\\\\)*\]\(`),    // a link or image target
			regexp.MustCompile(`(^|[^\\])(\\\\)*!\[`),     // an image
			regexp.MustCompile(`(^|\n)# Hired`),           // a new heading
			regexp.MustCompile(`(^|[^\\])(\\\\)*\[click`), // link text
		} {
			for _, m := range bad.FindAllString(strings.ReplaceAll(md, "<br>", ""), -1) {
				t.Errorf("%q: Markdown holds %q", h, m)
			}
		}
	}
}
