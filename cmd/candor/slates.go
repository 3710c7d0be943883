package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/guide"
	"github.com/candorhq/candor/slate"
	"github.com/candorhq/candor/store"
)

// slates is `candor slates compare`: the reports of one guide, as
// `candor analyze --format json` prints them, side by side (the matrix the
// service's slates show), offline.
func (e *environment) slates(args []string) error {
	if len(args) == 0 || args[0] != "compare" {
		return usagef("slates: want a subcommand: candor slates compare [--guide GUIDE] REPORT.json...")
	}
	fs := flag.NewFlagSet("slates compare", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	c := newConfig("slates compare", fs, e.getenv)
	fs.Usage = subUsage(fs, `Usage: candor slates compare [flags] REPORT.json...

Puts the reports of one guide side by side: a column per candidate, a row per
question and area, each cell the area's status (covered, partial, missing, not
asked, no answer) with its quote, and each answer's delivery label and
specificity. REPORT is a report as 'candor analyze --format json' prints it (a
file of several, one a line, as a batch prints them, works too), or - for stdin.
Nothing of one candidate's answers is compared with another's. --role keeps the
reports of one role (the report field candor analyze --role sets), as the
service's role slates do.

Examples:
  candor analyze --guide cx-empathy --format json interviews/ > reports.jsonl
  candor slates compare --sort specificity reports.jsonl
  candor slates compare --role "REQ-118 CX lead" reports.jsonl
  candor slates compare --format csv ana.json ben.json > shortlist.csv
`)
	paths, err := c.parse(args[1:])
	if err != nil {
		return err
	}
	format, order, role := c.str("format"), c.str("sort"), c.str("role")
	if len(paths) == 0 {
		return usagef("slates compare: want report files (from candor analyze --format json)")
	}
	var reps []*analyzer.Report
	seen := map[string]string{}
	for _, p := range paths {
		rs, err := e.readReports(p)
		if err != nil {
			return err
		}
		for _, r := range rs {
			if role != "" && store.SlateName(r.Role) != store.SlateName(role) {
				continue
			}
			if prev, dup := seen[r.ID]; dup {
				return usagef("slates compare: %s: report %s is given twice (also in %s)", p, r.ID, prev)
			}
			seen[r.ID] = p
			if len(reps) > 0 && r.Guide.ID != reps[0].Guide.ID {
				return usagef("slates compare: %s: report %s is on guide %q, not %q: a slate compares reports of one guide",
					p, r.ID, r.Guide.ID, reps[0].Guide.ID)
			}
			reps = append(reps, r)
		}
	}
	if len(reps) == 0 {
		return usagef("slates compare: no report has role %q (candor analyze --role)", role)
	}
	ref := c.str("guide")
	if ref == "" {
		if _, ok := guide.Builtin(reps[0].Guide.ID); !ok {
			return usagef("slates compare: the reports' guide %q is not built in: give it with --guide FILE", reps[0].Guide.ID)
		}
		ref = reps[0].Guide.ID
	}
	g, err := guide.Load(ref)
	if err != nil {
		return err
	}
	if g.ID != reps[0].Guide.ID {
		return usagef("slates compare: --guide %s is guide %q; the reports are on %q", ref, g.ID, reps[0].Guide.ID)
	}
	m := slate.Build(g, reps)
	if err := m.Sort(order); err != nil {
		return usagef("slates compare: %v", err)
	}
	switch format {
	case "csv":
		_, err = e.stdout.Write(m.CSV())
	case "json":
		err = e.encode(m, "json")
	default:
		_, err = e.stdout.Write(m.Markdown())
	}
	return err
}

// readReports reads the reports in a file (or stdin for -): one JSON
// report, or several one after another.
func (e *environment) readReports(path string) ([]*analyzer.Report, error) {
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(e.stdin)
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, usagef("slates compare: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var out []*analyzer.Report
	for {
		var r analyzer.Report
		err := dec.Decode(&r)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, usagef("slates compare: %s: not a report as candor analyze --format json prints it: %v", path, err)
		}
		if r.ID == "" || r.Guide.ID == "" {
			return nil, usagef("slates compare: %s: report %d has no id or guide: not a report as candor analyze --format json prints it", path, len(out)+1)
		}
		out = append(out, &r)
	}
	if len(out) == 0 {
		return nil, usagef("slates compare: %s holds no report", path)
	}
	return out, nil
}
