package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/analyzer/segment"
	"github.com/candorhq/candor/guide"
	"github.com/candorhq/candor/interview"
	"github.com/candorhq/candor/render"
	"github.com/candorhq/candor/transcript"
)

var errNoInput = errors.New("no input")

// inputFlags are the flags every command that reads a transcript shares.
type inputFlags struct {
	guide        string
	interviewers listFlag
	candidate    string
	assign       map[int]string
	format       string
	explain      bool
	// Report fields (analyze only).
	candidateName    string
	role             string
	date             string
	interviewerNames listFlag
}

// inputSettings reads the flags of the commands that read a transcript
// (analyze, segment) from a parsed config; the report's own fields are
// analyze's only.
func inputSettings(c *config) (inputFlags, error) {
	f := inputFlags{guide: c.str("guide"), interviewers: c.list("interviewer"), candidate: c.str("candidate"), format: c.str("format")}
	if f.guide == "" {
		return f, usagef("%s: --guide is required (a built-in id: %s; or a guide file)", c.cmd, strings.Join(guide.BuiltinIDs(), ", "))
	}
	a, err := segment.ParseAssign(c.list("assign"))
	if err != nil {
		return f, usagef("%s: --assign %v", c.cmd, err)
	}
	if len(a) > 0 {
		f.assign = a
	}
	if c.cmd == "analyze" {
		f.candidateName, f.role, f.date, f.interviewerNames = c.str("candidate-name"), c.str("role"), c.str("date"), c.list("interviewer-name")
	}
	return f, nil
}

func (f *inputFlags) options(conc int) interview.Options {
	return interview.Options{Interviewers: f.interviewers, Candidate: f.candidate, Concurrency: conc, Explain: f.explain, Assign: f.assign,
		CandidateName: f.candidateName, Role: f.role, InterviewDate: f.date, InterviewerNames: f.interviewerNames}
}

// Exit statuses of a batch (several inputs): 0 when every input gave a
// report with answers; 2 when an input failed (unreadable, not a
// transcript) even though the others were reported; 3 when none failed but
// in some nothing aligned with the guide (their reports say so).
const exitNothingAligned = 3

// batchError ends a batch that did not wholly succeed; its message is the
// summary line, and its code the exit status.
type batchError struct {
	msg  string
	code int
}

func (e *batchError) Error() string { return e.msg }

func (e *environment) analyze(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("analyze", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	c := newConfig("analyze", fs, e.getenv)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: candor analyze --guide GUIDE [flags] INPUT...

Analyzes interview transcripts against a guide and prints a report per input.
INPUT is a transcript file (WebVTT, SRT, Otter or plain text, answers or turns JSON,
Word .docx, PDF), a directory of them, or - for stdin. Several inputs print one report
each (JSON: one line per report; CSV: one header, rows of every report).
A batch goes on past a file that fails; a summary line on stderr counts the reports,
the failures (named with their reason) and the interviews in which nothing aligned.
Exit status: 0 all reported; 2 usage error or some input failed; 3 nothing aligned in
some input (none failed).

Examples:
  candor analyze --guide cx-empathy interview.vtt
  candor analyze --guide cx-empathy --candidate-name "Sofia Ruiz" --role "CX lead" --date 2026-03-02 teams.docx
  candor analyze --guide my-guide.txt --format csv transcripts/ > reports.csv

Flags:
`)
		printDefaults(fs)
	}
	paths, err := c.parse(args)
	if err != nil {
		return err
	}
	in, err := inputSettings(c)
	if err != nil {
		return err
	}
	g, err := guide.Load(in.guide)
	if err != nil {
		return err
	}
	eng, err := newEngine("analyze", c.str("engine"), llmSettings(c), c.str("prototypes"))
	if err != nil {
		return err
	}
	files, err := expandInputs(paths)
	if err != nil {
		return err
	}
	if len(files) > 1 && len(in.assign) > 0 {
		return usagef("analyze: --assign names the turns of one transcript; give one input, not %d", len(files))
	}
	if len(files) == 1 {
		rep, err := e.analyzeOne(ctx, g, eng, files[0], in, c.int("concurrency"), false)
		if err != nil {
			return err
		}
		return e.writeReport(rep, in.format, false, true)
	}
	return e.analyzeBatch(ctx, g, eng, files, in, c.int("concurrency"))
}

// analyzeBatch analyzes every file, reporting (not stopping at) the ones
// that fail, and ends with a summary line on stderr.
func (e *environment) analyzeBatch(ctx context.Context, g *analyzer.Guide, eng analyzer.Engine, files []string, in inputFlags, conc int) error {
	var bar *progressbar.ProgressBar
	if isTerminal(e.stderr) {
		bar = progressbar.NewOptions(len(files), progressbar.OptionSetWriter(e.stderr), progressbar.OptionSetDescription("analyzing"),
			progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
	}
	var failed, empty []string
	reports := 0
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		rep, err := e.analyzeOne(ctx, g, eng, f, in, conc, true)
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			// The reason names the file; on a line of its own, above the bar.
			if bar != nil {
				_ = bar.Clear()
			}
			fmt.Fprintf(e.stderr, "candor: skipped: %s\n", oneLine(withFile(f, err)))
			failed = append(failed, f)
		} else {
			if len(rep.Answers) == 0 {
				empty = append(empty, f)
			}
			if err := e.writeReport(rep, in.format, true, reports == 0); err != nil {
				return err
			}
			reports++
		}
		if bar != nil {
			_ = bar.Add(1)
		}
	}
	sum := fmt.Sprintf("%d of %d inputs reported (%d with answers), %d failed, %d with nothing aligned",
		reports, len(files), reports-len(empty), len(failed), len(empty))
	if len(failed) > 0 {
		sum += "; failed: " + strings.Join(failed, ", ")
	}
	if len(empty) > 0 {
		sum += "; nothing aligned: " + strings.Join(empty, ", ")
	}
	switch {
	case len(failed) > 0:
		return &batchError{msg: sum, code: 2}
	case len(empty) > 0:
		return &batchError{msg: sum, code: exitNothingAligned}
	}
	fmt.Fprintf(e.stderr, "candor: %s\n", sum)
	return nil
}

// withFile makes sure an error about one input names it.
func withFile(path string, err error) string {
	msg := err.Error()
	name := path
	if path == "-" {
		name = "stdin"
	}
	if strings.HasPrefix(msg, name) {
		return msg
	}
	return name + ": " + msg
}

// analyzeOne reads and analyzes one input. In a batch, an interview in
// which nothing aligned gives a report that says so instead of an error.
func (e *environment) analyzeOne(ctx context.Context, g *analyzer.Guide, eng analyzer.Engine, path string, in inputFlags, conc int, batch bool) (*analyzer.Report, error) {
	name, data, err := e.readInput(path)
	if err != nil {
		return nil, err
	}
	opts := in.options(conc)
	if !batch {
		return interview.Analyze(ctx, eng, g, name, data, opts)
	}
	seg, t, err := interview.Parse(g, name, data, opts)
	if err != nil {
		return nil, err
	}
	return interview.Report(ctx, eng, g, seg, t, opts)
}

// load reads, parses and segments one input.
func (e *environment) load(g *analyzer.Guide, path string, in inputFlags) (*segment.Result, *analyzer.Transcript, error) {
	name, data, err := e.readInput(path)
	if err != nil {
		return nil, nil, err
	}
	return interview.Parse(g, name, data, in.options(0))
}

func (e *environment) readInput(path string) (string, []byte, error) {
	if path == "-" {
		data, err := io.ReadAll(io.LimitReader(e.stdin, transcript.MaxSize+1))
		if err == nil && len(data) > transcript.MaxSize {
			// The read stopped at the limit, so the real size is unknown.
			return "", nil, &analyzer.InputError{File: "stdin", Reason: fmt.Sprintf("input is over the limit of %d bytes (8 MiB)", transcript.MaxSize)}
		}
		return "stdin", data, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return "", nil, err
	}
	if st.Size() > transcript.MaxSize {
		return "", nil, &analyzer.InputError{File: path, Reason: fmt.Sprintf("file is %d bytes, over the limit of %d bytes (8 MiB)", st.Size(), transcript.MaxSize)}
	}
	data, err := os.ReadFile(path)
	return path, data, err
}

// expandInputs turns directories into the files they hold (sorted, hidden
// files and gold/guide side files skipped).
func expandInputs(paths []string) ([]string, error) {
	if len(paths) == 0 {
		return nil, fmt.Errorf("%w: give a transcript file, a directory or - for stdin", errNoInput)
	}
	var out []string
	for _, p := range paths {
		if p == "-" {
			out = append(out, p)
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, err
		}
		var files []string
		for _, en := range entries {
			n := en.Name()
			if en.IsDir() || strings.HasPrefix(n, ".") || strings.HasSuffix(n, ".gold.json") || strings.HasSuffix(n, ".md") {
				continue
			}
			files = append(files, filepath.Join(p, n))
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("%w: directory %s holds no transcript files", errNoInput, p)
		}
		sort.Strings(files)
		out = append(out, files...)
	}
	return out, nil
}

// writeReport prints one report; many says it is one of a batch, first
// that it is the first printed (CSV prints its header once).
func (e *environment) writeReport(rep *analyzer.Report, format string, many, first bool) error {
	switch format {
	case "csv":
		return render.CSVRows(e.stdout, rep, first)
	case "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		if !many {
			enc.SetIndent("", "  ")
		}
		return enc.Encode(rep)
	case "md", "markdown":
		if err := render.Markdown(e.stdout, rep); err != nil {
			return err
		}
	default:
		if err := render.Text(e.stdout, rep); err != nil {
			return err
		}
	}
	if many {
		_, err := fmt.Fprintln(e.stdout)
		return err
	}
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// newEngine is cmd's engine by name (the settings table has checked it);
// protos names a prototype file for the embedded engine ("" for none).
func newEngine(cmd, name string, lf *llmFlags, protos string) (analyzer.Engine, error) {
	c, _ := analyzer.CanonicalEngine(name)
	if protos != "" && c != analyzer.EngineHeuristic {
		return nil, usagef("%s: --prototypes is read by the embedded engine only, not by --engine %s", cmd, name)
	}
	switch c {
	case analyzer.EngineHeuristic:
		if protos != "" {
			return loadPrototypes(protos)
		}
		return heuristic.New(), nil
	case analyzer.EngineLLM, analyzer.EngineHybrid:
		return newLLMEngine(cmd, c, lf)
	default:
		return nil, usagef("%s: --engine must be %s, not %q", cmd, orList(analyzer.EngineNames), name)
	}
}
