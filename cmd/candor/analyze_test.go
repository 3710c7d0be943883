package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/internal/testkit"
	"github.com/candorhq/candor/transcript"
)

// goldFormat reads the "format" the hand-labelled gold file gives a transcript.
func goldFormat(t *testing.T, transcriptPath string) string {
	t.Helper()
	var gold struct {
		Format string `json:"format"`
	}
	readJSON(t, strings.TrimSuffix(transcriptPath, filepath.Ext(transcriptPath))+".gold.json", &gold)
	return gold.Format
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// answersFromEval writes an answers JSON file (the contract's input shape)
// from the first n items of the project's testdata/eval/answers.jsonl.
func answersFromEval(t *testing.T, n int) string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", "eval", "answers.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var in struct {
		Answers []analyzer.GivenAnswer `json:"answers"`
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() && len(in.Answers) < n {
		var a analyzer.GivenAnswer
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("answers.jsonl: %v", err)
		}
		in.Answers = append(in.Answers, a)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(in.Answers) < n {
		t.Fatalf("answers.jsonl has %d items, want at least %d", len(in.Answers), n)
	}
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "answers.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestAnalyzeJSON runs analyze --format json on every eval transcript and on
// answers JSON files: one report on stdout that meets the contract, with
// grounded spans, the same bytes on a second run.
func TestAnalyzeJSON(t *testing.T) {
	type input struct {
		path, format string
	}
	var inputs []input
	for _, p := range evalTranscripts(t, evalDir) {
		inputs = append(inputs, input{p, goldFormat(t, p)})
	}
	inputs = append(inputs,
		input{answersFromEval(t, 4), transcript.FormatAnswersJSON},
		input{filepath.Join("testdata", "own_answers.json"), transcript.FormatAnswersJSON})

	seen := map[string]bool{}
	for _, in := range inputs {
		t.Run(filepath.Base(in.path), func(t *testing.T) {
			args := []string{"analyze", "--guide", "cx-empathy", "--format", "json", in.path}
			out := mustRun(t, "", args...)
			rep := decodeReport(t, []byte(out))
			validateReport(t, []byte(out))
			checkSpans(t, rep)
			if got, want := rep.SchemaVersion, analyzer.SchemaVersion; got != want {
				t.Errorf("schema_version = %q, want %q", got, want)
			}
			if got, want := rep.Guide.ID, "cx-empathy"; got != want {
				t.Errorf("guide.id = %q, want %q", got, want)
			}
			if rep.Source == nil {
				t.Fatalf("report has no source")
			}
			if got, want := rep.Source.Format, in.format; got != want {
				t.Errorf("source.format = %q, want %q", got, want)
			}
			seen[rep.Source.Format] = true
			if len(rep.Answers) == 0 {
				t.Errorf("report has no answers")
			}
			if got, want := rep.Summary.Answers, len(rep.Answers); got != want {
				t.Errorf("summary.answers = %d, want %d", got, want)
			}
			if again := mustRun(t, "", args...); again != out {
				t.Errorf("second run printed different output (not deterministic)")
			}
		})
	}
	for _, f := range []string{transcript.FormatVTT, transcript.FormatSRT, transcript.FormatOtter, transcript.FormatPlain,
		transcript.FormatTurnsJSON, transcript.FormatAnswersJSON} {
		if !seen[f] {
			t.Errorf("no input of format %s was analyzed", f)
		}
	}
}

// statusMark is how the text and Markdown reports show an area's status.
var statusMark = map[string]string{analyzer.StatusCovered: "[x]", analyzer.StatusPartial: "[~]", analyzer.StatusMissing: "[ ]"}

// TestAnalyzeTextAndMarkdown checks that the human formats show every
// question id of the JSON report and every area with its status.
func TestAnalyzeTextAndMarkdown(t *testing.T) {
	input := filepath.Join(evalDir, "t05_plain.txt")
	rep := decodeReport(t, []byte(mustRun(t, "", "analyze", "--guide", "cx-empathy", "--format", "json", input)))
	if len(rep.Answers) == 0 {
		t.Fatal("no answers in the JSON report")
	}
	mdEsc := strings.NewReplacer("|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;")
	tests := []struct {
		format string
		// question and area give the line expected for an answer and an area.
		question func(a analyzer.AnswerAnalysis) string
		area     func(ar analyzer.AreaResult) string
	}{
		{
			format:   "text",
			question: func(a analyzer.AnswerAnalysis) string { return "\n" + a.QuestionID + "  " + a.Question + "\n" },
			area: func(ar analyzer.AreaResult) string {
				return fmt.Sprintf("\n    %s %d. %s\n", statusMark[ar.Status], ar.Index, ar.Text)
			},
		},
		{
			format:   "md",
			question: func(a analyzer.AnswerAnalysis) string { return "\n## " + a.QuestionID + ". " },
			area: func(ar analyzer.AreaResult) string {
				return fmt.Sprintf("\n| %d | %s | %s %s |", ar.Index, mdEsc.Replace(ar.Text), statusMark[ar.Status], ar.Status)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			out := mustRun(t, "", "analyze", "--guide", "cx-empathy", "--format", tt.format, input)
			if !strings.Contains(out, rep.ID) && tt.format == "text" {
				t.Errorf("text report does not name the report id %s", rep.ID)
			}
			for _, a := range rep.Answers {
				if want := tt.question(a); !strings.Contains(out, want) {
					t.Errorf("output lacks the heading of %s: %q", a.QuestionID, want)
				}
				for _, ar := range a.Coverage.Areas {
					if want := tt.area(ar); !strings.Contains(out, want) {
						t.Errorf("%s: output lacks area line %q", a.QuestionID, want)
					}
				}
			}
			for _, id := range rep.Summary.NotAsked {
				if strings.Contains(out, "\n"+id+"  ") || strings.Contains(out, "## "+id+". ") {
					t.Errorf("question %s was not asked but has a section", id)
				}
			}
		})
	}
}

// TestAnalyzeManyInputs checks that several inputs, given as files or as a
// directory, print JSON Lines: one compact report per line, each the same
// report a single-file run prints.
func TestAnalyzeManyInputs(t *testing.T) {
	names := []string{"t04_otter.txt", "t05_plain.txt", "t07_qa.txt"}
	dir := t.TempDir()
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(evalDir, n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Side files that a directory scan must skip.
	for _, n := range []string{"t04_otter.gold.json", "NOTES.md", ".hidden.txt"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("not a transcript"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}

	var want []string
	for _, n := range names {
		single := mustRun(t, "", "analyze", "--guide", "cx-empathy", "--format", "json", filepath.Join(dir, n))
		var buf bytes.Buffer
		if err := json.Compact(&buf, []byte(single)); err != nil {
			t.Fatal(err)
		}
		want = append(want, buf.String())
	}

	var files []string
	for _, n := range names {
		files = append(files, filepath.Join(dir, n))
	}
	tests := []struct {
		name   string
		inputs []string
	}{
		{"files", files},
		{"directory", []string{dir}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := mustRun(t, "", append([]string{"analyze", "--guide", "cx-empathy", "--format", "json"}, tt.inputs...)...)
			got := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if len(got) != len(want) {
				t.Fatalf("got %d lines, want %d (one report per input)", len(got), len(want))
			}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("line %d differs from the single-file report of %s", i+1, names[i])
				}
				rep := decodeReport(t, []byte(got[i]))
				if rep.Source == nil || rep.Source.Turns == 0 {
					t.Errorf("line %d: report has no source turns", i+1)
				}
			}
		})
	}
}

// TestAnalyzeStdin checks that - reads the transcript from stdin and gives
// the same report as the file, but for what names the source (its name,
// so its id).
func TestAnalyzeStdin(t *testing.T) {
	for _, n := range []string{"t05_plain.txt", "t01_zoom.vtt", "t08_turns.json"} {
		t.Run(n, func(t *testing.T) {
			path := filepath.Join(evalDir, n)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got := decodeReport(t, []byte(mustRun(t, string(data), "analyze", "--guide", "cx-empathy", "--format", "json", "--candidate-name", "Sam", "-")))
			want := decodeReport(t, []byte(mustRun(t, "", "analyze", "--guide", "cx-empathy", "--format", "json", "--candidate-name", "Sam", path)))
			if got.Source.File != "stdin" || want.Source.File != path {
				t.Errorf("source files %q and %q, want stdin and %s", got.Source.File, want.Source.File, path)
			}
			if got.ID == want.ID {
				t.Errorf("stdin and %s share the id %s", path, got.ID)
			}
			got.ID, got.Source.File, want.ID, want.Source.File = "", "", "", ""
			gj, _ := json.Marshal(got)
			wj, _ := json.Marshal(want)
			if string(gj) != string(wj) {
				t.Errorf("report from stdin differs from the report of %s", path)
			}
		})
	}
}

// TestAnalyzeGolden pins the heuristic engine's full JSON report on two
// small fixtures written for this test, so that engine changes show up in
// review. Regenerate with go test ./cmd/candor -run TestAnalyzeGolden -update.
func TestAnalyzeGolden(t *testing.T) {
	for _, name := range []string{"own_plain.txt", "own_answers.json"} {
		t.Run(name, func(t *testing.T) {
			got := mustRun(t, "", "analyze", "--guide", "cx-empathy", "--format", "json", filepath.Join("testdata", name))
			validateReport(t, []byte(got))
			checkSpans(t, decodeReport(t, []byte(got)))
			testkit.Golden(t, filepath.Join("testdata", "golden", "analyze_"+strings.TrimSuffix(name, filepath.Ext(name))+".json"), []byte(got))
		})
	}
}
