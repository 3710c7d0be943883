package main

import (
	"flag"
	"fmt"

	"github.com/candorhq/candor/guide"
)

// exitLintFindings is the exit status of guides lint when it found
// something (0 when the guide is clean, 2 when it cannot be read).
const exitLintFindings = 3

func (e *environment) guidesLint(args []string) error {
	fs := flag.NewFlagSet("guides lint", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	c := newConfig("guides lint", fs, e.getenv)
	fs.Usage = subUsage(fs, "Usage: candor guides lint --guide ID|FILE [--format text|json|yaml]\n\n"+
		"Checks a guide for areas of one question that overlap, near-duplicate questions, areas that\n"+
		"ask for a trait (\"is empathetic\", \"passion\") rather than what an answer can tell, follow-ups\n"+
		"that repeat their question, and empty or over-long lists. Each finding names the text at\n"+
		"fault and, where one is obvious, a rewrite.\n\n"+
		"Exit status: 0 when the guide is clean, 3 when lint found something, 2 when the guide\n"+
		"cannot be read.\n\nExamples:\n  candor guides lint my-guide.txt\n  candor guides lint --guide cx-empathy --format json\n")
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
	fs2 := guide.Lint(g)
	if format != "text" {
		if fs2 == nil {
			fs2 = []guide.Finding{}
		}
		if err := e.encode(fs2, format); err != nil {
			return err
		}
	} else {
		for _, f := range fs2 {
			q := f.QuestionID
			if q == "" {
				q = "-"
			}
			fmt.Fprintf(e.stdout, "%s %s %s: %s\n", q, f.Field, f.Code, f.Message)
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
	if len(fs2) > 0 {
		return &batchError{msg: fmt.Sprintf("guides lint: %s: %d finding(s)", ref, len(fs2)), code: exitLintFindings}
	}
	fmt.Fprintf(e.stderr, "candor: guides lint: %s: clean\n", ref)
	return nil
}
