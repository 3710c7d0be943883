package web

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/guide"
	"github.com/candorhq/candor/interview"
)

// fifteenAnswersJSON is an answers-JSON transcript with the longest
// labelled answer to each of cx-empathy's 15 questions (8 areas each);
// the external tests reach it as FifteenAnswersJSON.
func fifteenAnswersJSON(tb testing.TB) []byte {
	tb.Helper()
	f, err := os.Open(filepath.Join("..", "testdata", "eval", "answers.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	longest := map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var a struct {
			QuestionID string `json:"question_id"`
			Text       string `json:"text"`
		}
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			tb.Fatal(err)
		}
		if len(a.Text) > len(longest[a.QuestionID]) {
			longest[a.QuestionID] = a.Text
		}
	}
	type ans struct {
		QuestionID string `json:"question_id"`
		Text       string `json:"text"`
	}
	in := struct {
		Candidate string `json:"candidate"`
		Answers   []ans  `json:"answers"`
	}{Candidate: "Fifteen Answers"}
	for i := 1; i <= 15; i++ {
		id := "q" + strconv.Itoa(i)
		if longest[id] == "" {
			tb.Fatalf("no labelled answer to %s", id)
		}
		in.Answers = append(in.Answers, ans{QuestionID: id, Text: longest[id]})
	}
	data, _ := json.Marshal(in)
	return data
}

// FifteenAnswersJSON is fifteenAnswersJSON for the external tests.
var FifteenAnswersJSON = fifteenAnswersJSON

// fifteenAnswerReport analyzes fifteenAnswersJSON with the embedded engine.
func fifteenAnswerReport(tb testing.TB) (*analyzer.Report, *analyzer.Guide) {
	tb.Helper()
	data := fifteenAnswersJSON(tb)
	g, ok := guide.Builtin("cx-empathy")
	if !ok {
		tb.Fatal("no cx-empathy guide")
	}
	rep, err := interview.Analyze(context.Background(), heuristic.New(), g, "answers.json", data, interview.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	areas := 0
	for _, a := range rep.Answers {
		areas += len(a.Coverage.Areas)
	}
	if len(rep.Answers) != 15 || areas != 15*8 {
		tb.Fatalf("report has %d answers and %d areas, want 15 x 8", len(rep.Answers), areas)
	}
	return rep, g
}

type discardWriter struct{ h http.Header }

func (d discardWriter) Header() http.Header         { return d.h }
func (d discardWriter) Write(b []byte) (int, error) { return io.Discard.Write(b) }
func (d discardWriter) WriteHeader(int)             {}

// BenchmarkRenderReport renders the report page of a 15-answer x 8-area
// report: view model and template, as renderReport does per request.
func BenchmarkRenderReport(b *testing.B) {
	rep, g := fifteenAnswerReport(b)
	h, err := New(Config{API: http.NotFoundHandler()})
	if err != nil {
		b.Fatal(err)
	}
	rc := &requestCtx{tenant: "acme", csrf: "token"}
	var size bytes.Buffer
	h.render(&bufWriter{h: http.Header{}, b: &size}, http.StatusOK, "report.html",
		&page{Title: "x", Tenant: rc.tenant, CSRF: rc.csrf, Data: buildReport(rep, g)})
	b.SetBytes(int64(size.Len()))
	b.ReportAllocs()
	w := discardWriter{h: http.Header{}}
	for b.Loop() {
		h.renderReport(w, rc, rep, g)
	}
}

type bufWriter struct {
	h http.Header
	b *bytes.Buffer
}

func (w *bufWriter) Header() http.Header         { return w.h }
func (w *bufWriter) Write(p []byte) (int, error) { return w.b.Write(p) }
func (w *bufWriter) WriteHeader(int)             {}
