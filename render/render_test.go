package render_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/guide"
	"github.com/candorhq/candor/internal/testkit"
	"github.com/candorhq/candor/render"
)

// fixtureReport runs the embedded engine over testdata/answers.json against
// the built-in cx-empathy guide: a real report, not a hand-built one.
func fixtureReport(t *testing.T) *analyzer.Report {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "answers.json"))
	if err != nil {
		t.Fatal(err)
	}
	var in struct {
		Candidate string                 `json:"candidate"`
		Answers   []analyzer.GivenAnswer `json:"answers"`
	}
	if err := json.Unmarshal(data, &in); err != nil {
		t.Fatal(err)
	}
	g, ok := guide.Builtin("cx-empathy")
	if !ok {
		t.Fatal("built-in guide cx-empathy is missing")
	}
	answers := make([]analyzer.Answer, len(in.Answers))
	for i, a := range in.Answers {
		answers[i] = analyzer.Answer{QuestionID: a.QuestionID, Text: a.Text, AskedAt: -1}
	}
	rep, err := analyzer.Analyze(context.Background(), heuristic.New(), g, answers, analyzer.Options{Candidate: in.Candidate, Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Answers) != len(answers) {
		t.Fatalf("report has %d answers, want %d", len(rep.Answers), len(answers))
	}
	return rep
}

type renderFunc func(io.Writer, *analyzer.Report) error

var renderers = []struct {
	name string
	fn   renderFunc
	ext  string
}{
	{"Text", render.Text, "txt"},
	{"Markdown", render.Markdown, "md"},
	{"CSV", render.CSV, "csv"},
}

// TestGolden pins each format's rendering of a real report. Regenerate with
// go test ./render -update after reviewing the change.
func TestGolden(t *testing.T) {
	rep := fixtureReport(t)
	for _, r := range renderers {
		t.Run(r.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := r.fn(&buf, rep); err != nil {
				t.Fatal(err)
			}
			testkit.Golden(t, filepath.Join("testdata", "report."+r.ext), buf.Bytes())
		})
	}
}

// TestContent checks what every format must show, independent of layout:
// the question ids, the candidate and, for text and Markdown, the disclaimer.
func TestContent(t *testing.T) {
	rep := fixtureReport(t)
	for _, r := range renderers {
		t.Run(r.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := r.fn(&buf, rep); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			for _, a := range rep.Answers {
				if !strings.Contains(out, a.QuestionID) {
					t.Errorf("output lacks question %s", a.QuestionID)
				}
			}
			if r.name != "CSV" {
				for _, want := range []string{rep.Disclaimer, rep.Candidate} {
					if !strings.Contains(out, want) {
						t.Errorf("output lacks %q", want)
					}
				}
			}
		})
	}
}

// TestCSVRows parses the CSV back: a header, then one row per area of every
// answer, in report order, with the area's fields.
func TestCSVRows(t *testing.T) {
	rep := fixtureReport(t)
	var buf bytes.Buffer
	if err := render.CSV(&buf, rep); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	header := rows[0]
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, h := range []string{"report_id", "question_id", "area_index", "status", "evidence"} {
		if _, ok := col[h]; !ok {
			t.Fatalf("header %v lacks %q", header, h)
		}
	}
	rows = rows[1:]
	i := 0
	for _, a := range rep.Answers {
		for _, ar := range a.Coverage.Areas {
			if i >= len(rows) {
				t.Fatalf("CSV has %d area rows, want more", len(rows))
			}
			row := rows[i]
			if got, want := row[col["report_id"]]+" "+row[col["question_id"]]+" "+row[col["area_index"]]+" "+row[col["status"]],
				rep.ID+" "+a.QuestionID+" "+strconv.Itoa(ar.Index)+" "+ar.Status; got != want {
				t.Errorf("row %d = %q, want %q", i+1, got, want)
			}
			if len(ar.Evidence) > 0 && !strings.Contains(row[col["evidence"]], ar.Evidence[0].Quote) {
				t.Errorf("row %d evidence %q lacks %q", i+1, row[col["evidence"]], ar.Evidence[0].Quote)
			}
			i++
		}
	}
	if got, want := len(rows), i; got != want {
		t.Errorf("CSV has %d rows after the header, want %d (one per area)", got, want)
	}
}

// withQuote returns a copy of rep whose first area of the first answer
// quotes q, and whose first question text is question (when not empty).
func withQuote(t *testing.T, rep *analyzer.Report, q string) *analyzer.Report {
	t.Helper()
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var cp analyzer.Report
	if err := json.Unmarshal(data, &cp); err != nil {
		t.Fatal(err)
	}
	ar := &cp.Answers[0].Coverage.Areas[0]
	ar.Evidence = []analyzer.Span{{Quote: q, Start: 0, End: len([]rune(q))}}
	return &cp
}

// TestCSVFormulaDefused checks that a cell an answer controls never starts
// with a character a spreadsheet reads as a formula.
func TestCSVFormulaDefused(t *testing.T) {
	rep := fixtureReport(t)
	tests := []struct {
		quote, want string
	}{
		{`=HYPERLINK("http://evil.example","click")`, `'=HYPERLINK("http://evil.example","click")`},
		{"+1+2", "'+1+2"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tTAB", "'\tTAB"},
		{"plain words", "plain words"},
	}
	for _, tt := range tests {
		t.Run(tt.quote, func(t *testing.T) {
			var buf bytes.Buffer
			if err := render.CSV(&buf, withQuote(t, rep, tt.quote)); err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(&buf).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if got := rows[1][len(rows[1])-1]; got != tt.want {
				t.Errorf("evidence cell = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestMarkdownEscapes checks that a quote cannot break the area table: pipes
// are escaped, so every row keeps its four columns, and markup is inert.
func TestMarkdownEscapes(t *testing.T) {
	rep := fixtureReport(t)
	tests := []struct {
		quote, want string
	}{
		{"we split it | then merged", `we split it \| then merged`},
		{"a <script>alert(1)</script> tag", "a &lt;script&gt;alert(1)&lt;/script&gt; tag"},
		{"line one\nline two", "line one line two"},
		{"**bold** and _it_", `\*\*bold\*\* and \_it\_`},
	}
	for _, tt := range tests {
		t.Run(tt.quote, func(t *testing.T) {
			var buf bytes.Buffer
			if err := render.Markdown(&buf, withQuote(t, rep, tt.quote)); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			if !strings.Contains(out, "“"+tt.want+"”") {
				t.Errorf("Markdown lacks the escaped quote %q", tt.want)
			}
			for _, line := range strings.Split(out, "\n") {
				if !strings.HasPrefix(line, "| ") {
					continue
				}
				if got, want := strings.Count(line, "|")-strings.Count(line, `\|`), 5; got != want {
					t.Errorf("table row has %d unescaped pipes, want %d: %s", got, want, line)
				}
			}
		})
	}
}

// failWriter fails every write.
type failWriter struct{}

var errWrite = errors.New("disk full")

func (failWriter) Write([]byte) (int, error) { return 0, errWrite }

// TestWriteErrors checks that each renderer reports a failing writer.
func TestWriteErrors(t *testing.T) {
	rep := fixtureReport(t)
	for _, r := range renderers {
		t.Run(r.name, func(t *testing.T) {
			if err := r.fn(failWriter{}, rep); !errors.Is(err, errWrite) {
				t.Errorf("got error %v, want %v", err, errWrite)
			}
		})
	}
}

// TestBorderlineNote: text and Markdown mark a label the engine is not sure
// of, with the label across the boundary and how often such labels held;
// a sure label and one without a confidence are not marked.
func TestBorderlineNote(t *testing.T) {
	for _, c := range []struct {
		name string
		conf float64
		near string
		want bool
	}{
		{"borderline", 0.58, analyzer.LabelMixed, true},
		{"sure", 0.9, analyzer.LabelMixed, false},
		{"no confidence", 0, "", false},
	} {
		for _, r := range renderers[:2] {
			t.Run(c.name+"/"+r.name, func(t *testing.T) {
				rep := fixtureReport(t)
				rep.Answers[0].Delivery.LabelConfidence, rep.Answers[0].Delivery.NearLabel = c.conf, c.near
				var buf bytes.Buffer
				if err := r.fn(&buf, rep); err != nil {
					t.Fatal(err)
				}
				got := strings.Count(buf.String(), "(borderline: may read as mixed; labels this close matched the labellers' 58% of the time)")
				if want := b2i(c.want); got != want {
					t.Errorf("%d borderline notes, want %d:\n%s", got, want, buf.String())
				}
			})
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
