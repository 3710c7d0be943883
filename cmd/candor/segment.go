package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"github.com/candorhq/candor/analyzer"
	"strings"

	"github.com/candorhq/candor/guide"
)

func (e *environment) segment(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("segment", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	c := newConfig("segment", fs, e.getenv)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: candor segment --guide GUIDE [--format text|json] [--explain] INPUT

Prints which guide question each part of one transcript answers (INPUT: a file or - for stdin).

Examples:
  candor segment --guide cx-empathy interview.vtt
  candor segment --guide cx-empathy --explain --candidate "Sofia Ruiz" interview.docx

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
	if len(paths) != 1 {
		return usagef("segment: give exactly one transcript (or - for stdin)")
	}
	g, err := guide.Load(in.guide)
	if err != nil {
		return err
	}
	in.explain = c.bool("explain")
	seg, t, err := e.load(g, paths[0], in)
	if err != nil {
		return err
	}
	if in.format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(seg)
	}
	fmt.Fprintf(e.stdout, "Format: %s, %d turns. Interviewer(s): %s. Candidate: %s.\n", t.Format, len(t.Turns),
		strings.Join(seg.Interviewers, ", "), seg.Candidate)
	for _, a := range seg.Answers {
		q, _ := g.Question(a.QuestionID)
		fmt.Fprintf(e.stdout, "\n%s  %s\n", a.QuestionID, q.Text)
		if a.AskedAt >= 0 {
			fmt.Fprintf(e.stdout, "    asked at turn %d (match %.2f): %s\n", a.AskedAt, a.Match, clipRunes(a.Asked, 120))
		}
		fmt.Fprintf(e.stdout, "    answer: %d turns, %d words\n", len(a.Turns), len(strings.Fields(a.Text)))
	}
	placed := false
	for _, u := range seg.Unplaced {
		if u.AskedAt < 0 {
			continue
		}
		if !placed {
			fmt.Fprintln(e.stdout, "\nNot placed (no guide question took these replies; --assign TURN=QUESTION analyses one as that question's answer):")
			placed = true
		}
		var closest []string
		for k, id := range u.Closest {
			closest = append(closest, fmt.Sprintf("%s %.2f", id, u.Scores[k]))
		}
		fmt.Fprintf(e.stdout, "    turn %d: %s\n      reply: %d turns, %d words; closest: %s\n", u.AskedAt, clipRunes(u.Asked, 100),
			len(u.Turns), u.Words, strings.Join(closest, ", "))
	}
	if len(seg.NotAsked) > 0 {
		fmt.Fprintf(e.stdout, "\nNot asked: %s\n", strings.Join(seg.NotAsked, ", "))
	}
	if len(seg.Decisions) > 0 {
		fmt.Fprintln(e.stdout, "\nEvery interviewer turn: the decision, the turn model's probability for it (p; none for a decision read")
		fmt.Fprintln(e.stdout, "from cue phrases: closing, a return to a deferred question), the three best-matching questions and their match:")
	}
	for _, d := range seg.Decisions {
		fmt.Fprintf(e.stdout, "turn %3d  %-16s", d.Turn, d.Decision)
		if d.P > 0 {
			fmt.Fprintf(e.stdout, " p %.2f ", d.P)
		} else {
			fmt.Fprintf(e.stdout, "        ")
		}
		for k := range d.Best {
			fmt.Fprintf(e.stdout, " %s %.2f", d.Best[k], d.Scores[k])
		}
		fmt.Fprintf(e.stdout, "  %s\n", clipRunes(t.Turns[d.Turn].Text, 70))
	}
	for _, w := range seg.Warnings {
		if w.Code == analyzer.WarnAnswerUnplaced {
			continue // listed above, under "Not placed"
		}
		fmt.Fprintf(e.stdout, "Warning: %s: %s\n", w.Code, w.Message)
	}
	return nil
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
