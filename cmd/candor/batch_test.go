package main

import (
	"bufio"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/render"
)

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// batchDir lays out a folder of 15 transcripts as a recruiter has them:
// the nine eval transcripts, Word and PDF exports of three of them, the
// plain interview again without its small talk, and one broken file (a
// short VTT with a malformed timestamp).
func batchDir(t *testing.T) (dir, broken string) {
	t.Helper()
	dir = t.TempDir()
	for _, p := range evalTranscripts(t, evalDir) {
		copyFile(t, p, filepath.Join(dir, filepath.Base(p)))
	}
	office := filepath.Join("..", "..", "interview", "testdata", "office")
	for _, n := range []string{"t02_teams.docx", "t04_otter.docx", "t05_plain.docx", "t05_plain.pdf"} {
		copyFile(t, filepath.Join(office, n), filepath.Join(dir, "export_"+n))
	}
	plain, err := os.ReadFile(filepath.Join(evalDir, "t05_plain.txt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(plain), "\n")
	// The first four exchanges are small talk (the badge, the office).
	if err := os.WriteFile(filepath.Join(dir, "t05_no_small_talk.txt"), []byte(strings.Join(lines[8:], "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	broken = filepath.Join(dir, "t03b_short.vtt")
	if err := os.WriteFile(broken, []byte("WEBVTT\n\n00:00:01.000 --> 00:0x:04.000\nAna: hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 15 {
		t.Fatalf("batch folder has %d files, want 15", len(entries))
	}
	return dir, broken
}

// TestBatchGoesOn is the acceptance test of batches: a folder with one
// broken file among 15 gives 14 reports (every one naming its source, no
// two sharing an id, the two files of one interview included), a summary
// naming the broken file, and exit status 2.
func TestBatchGoesOn(t *testing.T) {
	dir, broken := batchDir(t)
	r := runCLI(t, "", "analyze", "--guide", "cx-empathy", "--format", "json", dir)
	if r.code != 2 {
		t.Fatalf("exit %d, want 2 (some input failed); stderr:\n%s", r.code, r.stderr)
	}
	var reps []*analyzer.Report
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	sc.Buffer(make([]byte, 1<<20), 8<<20)
	for sc.Scan() {
		reps = append(reps, decodeReport(t, sc.Bytes()))
	}
	if len(reps) != 14 {
		t.Fatalf("%d reports, want 14", len(reps))
	}
	ids := map[string]string{}
	for _, rep := range reps {
		if rep.Source == nil || rep.Source.File == "" || rep.Source.SHA256 == "" {
			t.Fatalf("report %s does not name its source: %+v", rep.ID, rep.Source)
		}
		if prev, dup := ids[rep.ID]; dup {
			t.Errorf("%s and %s share the report id %s", prev, rep.Source.File, rep.ID)
		}
		ids[rep.ID] = rep.Source.File
		if rep.Source.File == broken {
			t.Errorf("the broken file got a report")
		}
	}
	// The same interview with and without its small talk: same answers,
	// two reports.
	byFile := map[string]*analyzer.Report{}
	for _, rep := range reps {
		byFile[filepath.Base(rep.Source.File)] = rep
	}
	a, b := byFile["t05_plain.txt"], byFile["t05_no_small_talk.txt"]
	if a == nil || b == nil {
		t.Fatal("the two files of the plain interview are not both reported")
	}
	if len(a.Answers) != len(b.Answers) || a.Answers[0].Text != b.Answers[0].Text {
		t.Errorf("the small talk changed the answers; the test needs two files of one interview")
	}
	if byFile["export_t05_plain.docx"] == nil || byFile["export_t05_plain.pdf"] == nil {
		t.Errorf("the Word and PDF exports were not reported")
	}
	skipped := regexp.MustCompile(`(?m)^candor: skipped: ` + regexp.QuoteMeta(broken) + `:3: malformed cue`)
	if !skipped.MatchString(r.stderr) {
		t.Errorf("stderr does not report the broken file with its line and reason:\n%s", r.stderr)
	}
	summary := lastLine(r.stderr)
	for _, want := range []string{"14 of 15 inputs reported", "1 failed", "failed: " + broken} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary %q does not say %q", summary, want)
		}
	}
}

// TestBatchNothingAligned: an interview in which nothing aligns with the
// guide is a report that says so, and the batch exits 3.
func TestBatchNothingAligned(t *testing.T) {
	dir := t.TempDir()
	copyFile(t, filepath.Join(evalDir, "t05_plain.txt"), filepath.Join(dir, "a.txt"))
	chat := "Interviewer: Hi, thanks for coming in. Did you find the office?\nCandidate: Yes, the directions were clear.\n" +
		"Interviewer: Great. Would you like some water before we start?\nCandidate: No thanks, I'm fine. I had a coffee at the station " +
		"while I waited for the tram, which was late again, so I read the news on my phone and then walked the last bit along the river, " +
		"which was lovely in this weather.\n"
	if err := os.WriteFile(filepath.Join(dir, "b_chat.txt"), []byte(chat), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "md", "json"} {
		r := runCLI(t, "", "analyze", "--guide", "cx-empathy", "--format", format, dir)
		if r.code != exitNothingAligned {
			t.Fatalf("%s: exit %d, want %d; stderr:\n%s", format, r.code, exitNothingAligned, r.stderr)
		}
		if !strings.Contains(lastLine(r.stderr), "1 with nothing aligned") || !strings.Contains(lastLine(r.stderr), "b_chat.txt") {
			t.Errorf("%s: summary %q", format, lastLine(r.stderr))
		}
		for _, want := range []string{filepath.Join(dir, "a.txt"), filepath.Join(dir, "b_chat.txt")} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("%s: output does not name source %s", format, want)
			}
		}
		if format != "json" && !strings.Contains(strings.ToLower(r.stdout), "nothing in this interview was recognised") {
			t.Errorf("%s: no clear warning for the interview in which nothing aligned", format)
		}
		if format == "json" && !strings.Contains(r.stdout, `"code":"`+analyzer.WarnNothingAligned+`"`) {
			t.Errorf("json: no %s warning", analyzer.WarnNothingAligned)
		}
		// The long chat reply is not listed as unplaced: nothing was placed.
		if format == "json" && strings.Contains(r.stdout, `"code":"`+analyzer.WarnAnswerUnplaced+`"`) {
			t.Errorf("json: %s beside %s", analyzer.WarnAnswerUnplaced, analyzer.WarnNothingAligned)
		}
	}
	// One such file alone is an input error, as before.
	r := runCLI(t, "", "analyze", "--guide", "cx-empathy", filepath.Join(dir, "b_chat.txt"))
	if r.code != 2 || !strings.Contains(r.stderr, "no answer to any question") {
		t.Errorf("single file: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestAnalyzeCSV: --format csv gives the API's CSV columns, one header for
// a batch, a candidate on every row.
func TestAnalyzeCSV(t *testing.T) {
	out := mustRun(t, "", "analyze", "--guide", "cx-empathy", "--format", "csv", "--role", "CX lead",
		filepath.Join(evalDir, "t05_plain.txt"), filepath.Join(evalDir, "t06_panel.txt"))
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != strings.Join(render.CSVHeader, ",") {
		t.Fatalf("header %v, want %v", recs[0], render.CSVHeader)
	}
	cands := map[string]bool{}
	for _, rec := range recs[1:] {
		if rec[0] == "report_id" {
			t.Fatal("a second header row")
		}
		cands[rec[1]] = true
		if rec[2] != "CX lead" || !strings.HasSuffix(rec[5], ".txt") {
			t.Errorf("row %v: role or source missing", rec[:6])
		}
	}
	// t05 labels its speakers by role: the file name stands in.
	if !cands["t05 plain"] || !cands["Priyanka Deshmukh"] || len(cands) != 2 {
		t.Errorf("candidates %v, want the file name for t05 and the speaker's name for t06", cands)
	}
}

// TestAnalyzeReportFields: the display name, role, date and interviewers go
// into every format, apart from the speaker that answers.
func TestAnalyzeReportFields(t *testing.T) {
	path := filepath.Join(evalDir, "t05_plain.txt")
	args := []string{"analyze", "--guide", "cx-empathy", "--candidate-name", "Sofia Ruiz", "--role", "REQ-118 CX lead",
		"--date", "2026-03-02", "--interviewer-name", "Ana Diaz", "--interviewer-name", "Bo Li"}
	rep := decodeReport(t, []byte(mustRun(t, "", append(args, "--format", "json", path)...)))
	if rep.Candidate != "Sofia Ruiz" || rep.Source.Candidate != "Candidate" || rep.Role != "REQ-118 CX lead" ||
		rep.InterviewDate != "2026-03-02" || strings.Join(rep.Interviewers, ",") != "Ana Diaz,Bo Li" {
		t.Errorf("report fields: %q (speaker %q) %q %q %v", rep.Candidate, rep.Source.Candidate, rep.Role, rep.InterviewDate, rep.Interviewers)
	}
	for _, format := range []string{"text", "md"} {
		out := mustRun(t, "", append(args, "--format", format, path)...)
		for _, want := range []string{"Sofia Ruiz", "REQ-118 CX lead", "2026-03-02", "Ana Diaz, Bo Li", path} {
			if !strings.Contains(out, want) {
				t.Errorf("%s report does not show %q", format, want)
			}
		}
	}
	if r := runCLI(t, "", append(args[:len(args)-4], "--date", "March 2", path)...); r.code != 2 || !strings.Contains(r.stderr, "YYYY-MM-DD") {
		t.Errorf("bad --date: exit %d, %q", r.code, r.stderr)
	}
}

// TestEveryHelp: every command's and subcommand's -h exits 0 and shows that
// command's usage, an example and only its own flags.
func TestEveryHelp(t *testing.T) {
	flagLine := regexp.MustCompile(`(?m)^  -([\w-]+)`)
	tests := []struct {
		args    []string
		usage   string
		want    []string // flags it must list
		notWant []string // flags of other commands
	}{
		{[]string{"analyze", "-h"}, "Usage: candor analyze", []string{"guide", "format", "candidate-name", "role", "date", "engine"}, []string{"addr", "o", "explain"}},
		{[]string{"segment", "--help"}, "Usage: candor segment", []string{"guide", "explain", "candidate"}, []string{"addr", "engine", "role"}},
		{[]string{"guides", "-h"}, "Usage: candor guides", nil, []string{"o", "guide", "format"}},
		{[]string{"guides", "list", "-h"}, "Usage: candor guides list", []string{"format"}, []string{"o", "guide"}},
		{[]string{"guides", "show", "-h"}, "Usage: candor guides show", []string{"guide", "format"}, []string{"o"}},
		{[]string{"guides", "import", "-h"}, "Usage: candor guides import", []string{"guide", "o", "format"}, nil},
		{[]string{"serve", "-h"}, "Usage: candor serve", []string{"addr", "workers", "redis-prefix"}, []string{"guide", "url", "o"}},
		{[]string{"worker", "-h"}, "Usage: candor worker", []string{"addr", "workers"}, []string{"guide", "url"}},
		{[]string{"healthcheck", "-h"}, "Usage: candor healthcheck", []string{"url", "timeout"}, []string{"addr", "guide"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := runCLI(t, "", tt.args...)
			if r.code != 0 {
				t.Fatalf("exit %d, want 0; stderr:\n%s", r.code, r.stderr)
			}
			help := r.stderr + r.stdout
			if !strings.Contains(help, tt.usage) || !strings.Contains(help, "Example") {
				t.Errorf("help lacks %q or an example:\n%s", tt.usage, help)
			}
			has := map[string]bool{}
			for _, m := range flagLine.FindAllStringSubmatch(help, -1) {
				has[m[1]] = true
			}
			for _, f := range tt.want {
				if !has[f] {
					t.Errorf("help does not list -%s", f)
				}
			}
			for _, f := range tt.notWant {
				if has[f] {
					t.Errorf("help lists -%s, a flag of another command", f)
				}
			}
			// A backquoted word in a usage string becomes the flag's
			// placeholder ("-workers candor worker"): never wanted.
			if m := regexp.MustCompile(`(?m)^  -[\w-]+ [a-z]+ [a-z]+\n`).FindString(help); m != "" {
				t.Errorf("garbled flag placeholder: %q", m)
			}
		})
	}
}
