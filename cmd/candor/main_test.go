package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/contract"
)

// evalDir is the project's own labelled transcripts, relative to this package.
var evalDir = filepath.Join("..", "..", "testdata", "eval", "transcripts")

// result is what one call of run produced.
type result struct {
	stdout, stderr string
	code           int
	err            error
}

// runCLI calls run as main would, with an empty environment, and maps its
// error to the exit status and stderr line main would print.
func runCLI(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	getenv := func(string) string { return "" }
	err := run(context.Background(), args, getenv, strings.NewReader(stdin), &stdout, &stderr)
	code := exitCode(err, &stderr)
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code, err: err}
}

// mustRun runs the CLI and fails the test unless it exits 0.
func mustRun(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	r := runCLI(t, stdin, args...)
	if r.code != 0 {
		t.Fatalf("candor %s: exit %d, stderr:\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r.stdout
}

// sharedDir returns the path of /work/shared as seen from this package, or
// skips the test when the checkout has none.
func sharedDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared directory %s not available: %v", dir, err)
	}
	return dir
}

// evalTranscripts lists the transcript files (not the .gold.json) in dir.
func evalTranscripts(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if n := e.Name(); !e.IsDir() && !strings.HasSuffix(n, ".gold.json") {
			out = append(out, filepath.Join(dir, n))
		}
	}
	if len(out) == 0 {
		t.Fatalf("no transcripts in %s", dir)
	}
	return out
}

// decodeReport decodes one JSON report, rejecting unknown trailing data.
func decodeReport(t *testing.T, data []byte) *analyzer.Report {
	t.Helper()
	var rep analyzer.Report
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("decode report: %v\n%s", err, data)
	}
	if dec.More() {
		t.Fatalf("more than one JSON value on stdout")
	}
	return &rep
}

// validateReport checks one encoded report against the report contract
// kept in the repository (contract/).
func validateReport(t *testing.T, data []byte) {
	t.Helper()
	if err := contract.Validate(data); err != nil {
		t.Errorf("report does not match the contract schema: %v", err)
	}
}

// checkSpans checks that every evidence and signal quote is the text at its
// code-point offsets: []rune(text)[start:end] == quote.
func checkSpans(t *testing.T, rep *analyzer.Report) {
	t.Helper()
	check := func(where, text string, s analyzer.Span) {
		r := []rune(text)
		if s.Start < 0 || s.End > len(r) || s.Start >= s.End {
			t.Errorf("%s: span [%d:%d] out of range for a %d-rune text (quote %q)", where, s.Start, s.End, len(r), s.Quote)
			return
		}
		if got := string(r[s.Start:s.End]); got != s.Quote {
			t.Errorf("%s: text[%d:%d] = %q, quote = %q", where, s.Start, s.End, got, s.Quote)
		}
	}
	spans := 0
	for _, a := range rep.Answers {
		for _, ar := range a.Coverage.Areas {
			for _, e := range ar.Evidence {
				check(a.QuestionID+" area "+ar.Text, a.Text, e)
				spans++
			}
		}
		for _, s := range a.Delivery.Signals {
			check(a.QuestionID+" signal "+s.Kind, a.Text, s.Span)
			spans++
		}
	}
	if len(rep.Answers) > 0 && spans == 0 {
		t.Errorf("report with %d answers has no evidence or signal spans at all", len(rep.Answers))
	}
}

func TestNoCommandAndHelp(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"no command", nil, 2, "", "candor: no command given"},
		{"unknown command", []string{"frobnicate"}, 2, "", `candor: unknown command "frobnicate"`},
		{"help", []string{"help"}, 0, "Commands:", ""},
		{"version", []string{"version"}, 0, "candor " + version + "\n", ""},
		{"--version", []string{"--version"}, 0, "candor " + version + "\n", ""},
		{"analyze -h", []string{"analyze", "-h"}, 0, "", "Usage: candor analyze"},
		{"segment -h", []string{"segment", "-h"}, 0, "", "Usage: candor segment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, "", tt.args...)
			if got, want := r.code, tt.wantCode; got != want {
				t.Errorf("exit code = %d, want %d (stderr %q)", got, want, r.stderr)
			}
			if !strings.Contains(r.stdout, tt.wantStdout) {
				t.Errorf("stdout = %q, want it to contain %q", r.stdout, tt.wantStdout)
			}
			switch {
			case tt.wantCode != 0 && lastLine(r.stderr) != tt.wantStderr:
				t.Errorf("last stderr line = %q, want %q", lastLine(r.stderr), tt.wantStderr)
			case tt.wantCode == 0 && tt.wantStderr == "" && r.stderr != "":
				t.Errorf("stderr = %q, want empty", r.stderr)
			case tt.wantCode == 0 && !strings.HasPrefix(r.stderr, tt.wantStderr):
				t.Errorf("stderr = %.80q, want it to start with %q", r.stderr, tt.wantStderr)
			}
		})
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}
