package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/evaluation"
	"github.com/candorhq/candor/guide"
)

// exitLintFindings is the exit status of guides lint when it found
// something (0 when the guide is clean, 2 when it cannot be read).
const exitLintFindings = 3

func (e *environment) guidesLint(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("guides lint", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	c := newConfig("guides lint", fs, e.getenv)
	fs.Usage = subUsage(fs, "Usage: candor guides lint --guide ID|FILE [--answers PATH]... [--format text|json|yaml]\n\n"+
		"Checks a guide for areas of one question that overlap, near-duplicate questions, areas that\n"+
		"ask for a trait (\"is empathetic\", \"passion\") rather than what an answer can tell, follow-ups\n"+
		"that repeat their question, and empty or over-long lists. Each finding names the text at\n"+
		"fault and, where one is obvious, a rewrite.\n\n"+
		"With --answers (transcripts, labelled answers or reports of the guide), it also runs the\n"+
		"engine on the answers and flags every area that no answer to its question covers, even in\n"+
		"part (area_unreachable); a question with fewer than 3 answers is not judged (a note says so).\n"+
		"The embedded engine finds an off-topic area among short answers that keep to their question,\n"+
		"but reads nearly every area of long, vivid answers as partly covered; --engine llm reads each\n"+
		"area against the answer.\n\n"+
		"Exit status: 0 when the guide is clean (notes aside), 3 when lint found something, 2 when\n"+
		"the guide or an answers file cannot be read.\n\nExamples:\n  candor guides lint my-guide.txt\n"+
		"  candor guides lint --guide cx-empathy --format json\n  candor guides lint --guide my-guide.txt --answers pilot-interviews/\n")
	pos, err := c.parse(args)
	if err != nil {
		return err
	}
	format := c.str("format")
	ref := c.str("guide")
	if ref == "" && len(pos) == 1 {
		ref = pos[0]
	} else if len(pos) > 0 {
		return usagef("guides lint: unexpected argument %q", pos[len(pos)-1])
	}
	if ref == "" {
		return usagef("guides lint: give a guide (--guide ID|FILE)")
	}
	g, err := guide.Load(ref)
	if err != nil {
		return err
	}
	found := guide.Lint(g)
	if paths := c.list("answers"); len(paths) > 0 {
		reach, err := e.lintReach(ctx, c, g, paths)
		if err != nil {
			return err
		}
		found = append(found, reach...)
	} else {
		fmt.Fprintf(e.stderr, "candor: guides lint: reach not checked: give --answers (transcripts, labelled answers or reports) to find areas no answer reaches\n")
	}
	if format != "text" {
		if found == nil {
			found = []guide.Finding{}
		}
		if err := e.encode(found, format); err != nil {
			return err
		}
	} else {
		for _, f := range found {
			q := f.QuestionID
			if q == "" {
				q = "-"
			}
			code := f.Code
			if f.Severity != "" {
				code += " (" + f.Severity + ")"
			}
			fmt.Fprintf(e.stdout, "%s %s %s: %s\n", q, f.Field, code, f.Message)
			if f.Text != "" {
				fmt.Fprintf(e.stdout, "    text:    %s\n", f.Text)
			}
			if f.Other != "" {
				fmt.Fprintf(e.stdout, "    other:   %s (%s)\n", f.Other, f.OtherField)
			}
			if f.Suggestion != "" {
				fmt.Fprintf(e.stdout, "    suggest: %s\n", f.Suggestion)
			}
		}
	}
	if n := len(guide.Faults(found)); n > 0 {
		return &batchError{msg: fmt.Sprintf("guides lint: %s: %d finding(s)", ref, n), code: exitLintFindings}
	}
	fmt.Fprintf(e.stderr, "candor: guides lint: %s: clean\n", ref)
	return nil
}

// lintReach reads the answers at paths (files, or the files of folders)
// and runs guide.LintReach on them with the --engine.
func (e *environment) lintReach(ctx context.Context, c *config, g *analyzer.Guide, paths []string) ([]guide.Finding, error) {
	var answers []analyzer.GivenAnswer
	for _, p := range paths {
		files, err := answerFiles(p)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			name, data, err := e.readInput(f)
			if err != nil {
				return nil, err
			}
			as, err := evaluation.ReadAnswers(g, name, data)
			if err != nil {
				return nil, err
			}
			answers = append(answers, as...)
		}
	}
	eng, err := newEngine("guides lint", c.str("engine"), llmSettings(c), "")
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(e.stderr, "candor: guides lint: reach: %d answers, read with the %s engine\n", len(answers), eng.Info().Name)
	if name := eng.Info().Name; name == analyzer.EngineHeuristic {
		fmt.Fprintf(e.stderr, "candor: guides lint: note: the embedded engine reads nearly every area of a long, vivid answer as partly covered; --engine llm reads each area against the answer\n")
	}
	return guide.LintReach(ctx, g, eng, answers)
}

// answerFiles is path, or the files of the folder path as expandInputs
// lists them, leaving out guides (.yaml, .yml) kept beside transcripts.
func answerFiles(path string) ([]string, error) {
	files, err := expandInputs([]string{path})
	if err != nil || len(files) == 1 && files[0] == path {
		return files, err
	}
	files = slices.DeleteFunc(files, func(f string) bool {
		ext := strings.ToLower(filepath.Ext(f))
		return ext == ".yaml" || ext == ".yml"
	})
	if len(files) == 0 {
		return nil, fmt.Errorf("%w: folder %s holds no answers files", errNoInput, path)
	}
	return files, nil
}
