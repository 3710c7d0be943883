package api_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/api"
	"github.com/candorhq/candor/internal/doctest"
)

func evalTranscript(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "eval", "transcripts", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func docxOf(text []byte) []byte {
	var paras []doctest.Paragraph
	for _, l := range strings.Split(strings.TrimRight(string(text), "\n"), "\n") {
		paras = append(paras, doctest.Paragraph{l})
	}
	return doctest.DOCX(paras)
}

// TestDocumentUploads: Word and PDF transcripts come in as a multipart
// upload, a raw body or through a job; the report names the document and
// its file; another binary is refused with what to send instead.
func TestDocumentUploads(t *testing.T) {
	e := newEnv(t, options{noRedis: true})
	plain := evalTranscript(t, "t05_plain.txt")
	text := e.do(req{method: http.MethodPost, path: "/v1/analyses?guide_id=cx-empathy", key: keyA, ctype: "text/plain", body: plain})
	want(t, text, 200, "")
	var fromText analyzer.Report
	text.json(t, &fromText)

	body, ct := multipartBody(t, "sofia_ruiz.docx", docxOf(plain), map[string]string{"guide_id": "cx-empathy", "role": "CX lead",
		"interview_date": "2026-03-02", "interviewer_names": "Ana Diaz, Bo Li"})
	r := e.do(req{method: http.MethodPost, path: "/v1/analyses", key: keyA, ctype: ct, body: body})
	want(t, r, 200, "")
	var rep analyzer.Report
	r.json(t, &rep)
	if rep.Source.Document != "docx" || rep.Source.File != "sofia_ruiz.docx" || rep.Candidate != "sofia ruiz" ||
		rep.Role != "CX lead" || rep.InterviewDate != "2026-03-02" || strings.Join(rep.Interviewers, ",") != "Ana Diaz,Bo Li" {
		t.Errorf("docx report: source %+v candidate %q role %q date %q interviewers %v", rep.Source, rep.Candidate, rep.Role, rep.InterviewDate, rep.Interviewers)
	}
	if len(rep.Answers) != len(fromText.Answers) || rep.Answers[0].Text != fromText.Answers[0].Text {
		t.Errorf("the .docx gave %d answers, the text %d", len(rep.Answers), len(fromText.Answers))
	}
	if rep.ID == fromText.ID {
		t.Errorf("the .docx and the text share the id %s", rep.ID)
	}

	lines := strings.Split(string(plain), "\n")
	pdf := doctest.PDF(lines, doctest.PDFOptions{})
	r = e.do(req{method: http.MethodPost, path: "/v1/analyses?guide_id=cx-empathy&file_name=interview.pdf&candidate_name=Sofia%20Ruiz&async=true",
		key: keyA, ctype: "application/pdf", body: pdf})
	want(t, r, 202, "")
	var job api.JobAccepted
	r.json(t, &job)
	var done api.Job
	eventually(t, 10e9, "the PDF job to finish", func() bool {
		e.get(job.StatusURL, keyA).json(t, &done)
		return done.ReportURL != ""
	})
	var fromPDF analyzer.Report
	e.get(done.ReportURL, keyA).json(t, &fromPDF)
	if fromPDF.Source.Document != "pdf" || fromPDF.Source.File != "interview.pdf" || fromPDF.Candidate != "Sofia Ruiz" || len(fromPDF.Answers) != len(fromText.Answers) {
		t.Errorf("pdf job report: source %+v candidate %q, %d answers", fromPDF.Source, fromPDF.Candidate, len(fromPDF.Answers))
	}

	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 64)...)
	body, ct = multipartBody(t, "photo.png", png, map[string]string{"guide_id": "cx-empathy"})
	r = e.do(req{method: http.MethodPost, path: "/v1/analyses", key: keyA, ctype: ct, body: body})
	want(t, r, 422, api.CodeInvalidInput)
	if p := r.problem(t); !strings.Contains(p.Detail, "Teams") || !strings.Contains(p.Detail, ".docx") || p.Field != "transcript" {
		t.Errorf("binary upload: %+v", p)
	}
	r = e.do(req{method: http.MethodPost, path: "/v1/analyses?guide_id=cx-empathy", key: keyA, ctype: "application/pdf", body: []byte("%PDF-1.4\nbroken")})
	want(t, r, 422, "")
	r = e.postJSON("/v1/analyses", keyA, map[string]any{"guide_id": "cx-empathy", "transcript": string(plain), "interview_date": "2 March"})
	want(t, r, 422, api.CodeValidation)
}

// TestReportFieldsFilterAndExport: role, interview date and interviewers
// filter the list (on both stores) and go into the CSV, which downloads
// under the candidate's name and the day.
func TestReportFieldsFilterAndExport(t *testing.T) {
	for _, redis := range []bool{false, true} {
		e := newEnv(t, options{noRedis: !redis})
		post := func(name, role, day string, interviewers ...string) string {
			b := answers(answerQ1)
			b["candidate_name"], b["role"], b["interview_date"], b["interviewer_names"] = name, role, day, interviewers
			r := e.postJSON("/v1/analyses", keyA, b)
			want(t, r, 200, "")
			var rep analyzer.Report
			r.json(t, &rep)
			return rep.ID
		}
		a := post("Sofia Ruiz", "REQ-7 CX lead", "2026-03-02", "Ana Diaz")
		b := post("Tom Berg", "REQ-9 Support agent", "2026-03-09", "Bo Li", "Ana Diaz")
		if a == b {
			t.Fatalf("the same answers from two candidates share the id %s", a)
		}
		for q, wantIDs := range map[string][]string{
			"?role=req-7":                  {a},
			"?interviewer=bo":              {b},
			"?interviewer=ana":             {a, b},
			"?interviewed_from=2026-03-05": {b},
			"?interviewed_to=2026-03-02":   {a},
			"?interviewed_from=2026-03-01&interviewed_to=2026-03-31&role=support": {b},
		} {
			var l api.ReportList
			r := e.get("/v1/reports"+q, keyA)
			want(t, r, 200, "")
			r.json(t, &l)
			got := map[string]bool{}
			for _, ri := range l.Reports {
				got[ri.ID] = true
				if ri.ID == a && (ri.Role != "REQ-7 CX lead" || ri.InterviewDate != "2026-03-02" || ri.Interviewers[0] != "Ana Diaz") {
					t.Errorf("list row %+v lacks the report fields", ri)
				}
			}
			if len(got) != len(wantIDs) || !got[wantIDs[0]] || !got[wantIDs[len(wantIDs)-1]] {
				t.Errorf("redis=%v list %s: %v, want %v", redis, q, got, wantIDs)
			}
		}
		want(t, e.get("/v1/reports?interviewed_from=March", keyA), 422, api.CodeValidation)

		r := e.get("/v1/reports/"+a+"?format=csv", keyA)
		want(t, r, 200, "")
		if cd := r.header.Get("Content-Disposition"); !strings.Contains(cd, `filename="sofia-ruiz_2026-03-02.csv"`) {
			t.Errorf("Content-Disposition %q", cd)
		}
		recs, err := csv.NewReader(bytes.NewReader(r.body)).ReadAll()
		if err != nil || len(recs) < 2 || recs[0][1] != "candidate" || recs[1][1] != "Sofia Ruiz" || recs[1][2] != "REQ-7 CX lead" || recs[1][3] != "2026-03-02" {
			t.Errorf("CSV: %v %v", err, recs[:min(2, len(recs))])
		}
	}
}

// TestOpenAPIServerRelative: the document names no fixed host; clients
// resolve its server against where they fetched it.
func TestOpenAPIServerRelative(t *testing.T) {
	e := newEnv(t, options{noRedis: true})
	r := e.get("/openapi.yaml", "")
	want(t, r, 200, "")
	if bytes.Contains(r.body, []byte("127.0.0.1")) || !bytes.Contains(r.body, []byte("servers:\n  - url: /\n")) {
		t.Errorf("servers are not relative:\n%s", r.body[:min(len(r.body), 600)])
	}
}
