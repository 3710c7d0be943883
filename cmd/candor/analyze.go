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
	"runtime"
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
	format       string
	explain      bool
}

func (f *inputFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.guide, "guide", "", "guide: a built-in id (see 'candor guides list') or a guide file (Yardstick text, JSON, YAML)")
	fs.Var(&f.interviewers, "interviewer", "name of a speaker who interviews (repeatable); default: inferred")
	fs.StringVar(&f.candidate, "candidate", "", "name of the speaker who answers; default: inferred")
	fs.StringVar(&f.format, "format", "text", "output format")
}

func (e *environment) analyze(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("analyze", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var in inputFlags
	in.register(fs)
	engineName := fs.String("engine", "heuristic", "engine: heuristic (embedded, offline), llm or hybrid")
	concurrency := fs.Int("concurrency", runtime.GOMAXPROCS(0), "answers analyzed at once")
	llmFlags := registerLLMFlags(fs, e.getenv)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: candor analyze --guide GUIDE [--engine heuristic|llm|hybrid] [--format text|json|md] INPUT...\n\n"+
			"INPUT is a transcript (answers JSON, turns JSON, WebVTT, SRT, Otter text, plain \"Name: text\"), a directory of them, or - for stdin.\n"+
			"Several inputs print one report each: JSON as one line per report (JSON Lines).\n\nFlags:\n")
		fs.PrintDefaults()
	}
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch in.format {
	case "json", "text", "md", "markdown":
	default:
		return usagef("analyze: --format must be json, text or md, not %q", in.format)
	}
	if in.guide == "" {
		return usagef("analyze: --guide is required (a built-in id: %s; or a guide file)", strings.Join(guide.BuiltinIDs(), ", "))
	}
	g, err := guide.Load(in.guide)
	if err != nil {
		return err
	}
	eng, err := newEngine(*engineName, llmFlags)
	if err != nil {
		return err
	}
	files, err := expandInputs(paths)
	if err != nil {
		return err
	}
	var bar *progressbar.ProgressBar
	if len(files) > 1 && isTerminal(e.stderr) {
		bar = progressbar.NewOptions(len(files), progressbar.OptionSetWriter(e.stderr), progressbar.OptionSetDescription("analyzing"),
			progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
	}
	for _, f := range files {
		rep, err := e.analyzeOne(ctx, g, eng, f, in, *concurrency)
		if err != nil {
			return err
		}
		if err := e.writeReport(rep, in.format, len(files) > 1); err != nil {
			return err
		}
		if bar != nil {
			_ = bar.Add(1)
		}
	}
	return nil
}

func (e *environment) analyzeOne(ctx context.Context, g *analyzer.Guide, eng analyzer.Engine, path string, in inputFlags, conc int) (*analyzer.Report, error) {
	name, data, err := e.readInput(path)
	if err != nil {
		return nil, err
	}
	return interview.Analyze(ctx, eng, g, name, data, interview.Options{Interviewers: in.interviewers, Candidate: in.candidate, Concurrency: conc})
}

// load reads, parses and segments one input.
func (e *environment) load(g *analyzer.Guide, path string, in inputFlags) (*segment.Result, *analyzer.Transcript, error) {
	name, data, err := e.readInput(path)
	if err != nil {
		return nil, nil, err
	}
	return interview.Parse(g, name, data, interview.Options{Interviewers: in.interviewers, Candidate: in.candidate, Explain: in.explain})
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

func (e *environment) writeReport(rep *analyzer.Report, format string, many bool) error {
	switch format {
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

func newEngine(name string, lf *llmFlags) (analyzer.Engine, error) {
	switch name {
	case "heuristic", "embedded", "":
		return heuristic.New(), nil
	case "llm", "hybrid":
		return newLLMEngine(name, lf)
	default:
		return nil, usagef("analyze: --engine must be heuristic, llm or hybrid, not %q", name)
	}
}
