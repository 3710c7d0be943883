package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/schollz/progressbar/v3"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/evaluation"
	"github.com/candorhq/candor/guide"
	"github.com/candorhq/candor/render"
	"github.com/candorhq/candor/store"
)

// setFlags are the flags eval and audit share.
type setFlags struct {
	guide       string
	format      string
	out         string
	concurrency int
	cacheDir    string
	noCache     bool
	llm         *llmFlags
	prototypes  string
}

// setSettings reads the flags eval and audit share from a parsed config.
func setSettings(c *config) *setFlags {
	return &setFlags{guide: c.str("guide"), format: c.str("format"), out: c.str("out"), concurrency: c.int("concurrency"),
		cacheDir: c.str("cache-dir"), noCache: c.bool("no-cache"), llm: llmSettings(c), prototypes: c.str("prototypes")}
}

func (f *setFlags) check(cmd string, paths []string) (*analyzer.Guide, error) {
	if f.guide == "" {
		return nil, usagef("%s: --guide is required: the guide the set was labelled against (a built-in id: %s; or a guide file)", cmd, strings.Join(guide.BuiltinIDs(), ", "))
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%w: give a labelled set: a folder with answers.jsonl (or answers.csv) and/or transcripts/, or an answers file", errNoInput)
	}
	if f.format == "html" && len(paths) > 1 {
		return nil, usagef("%s: --format html writes one page: give one set", cmd)
	}
	return guide.Load(f.guide)
}

// engine builds a named engine for analyses against g; model engines go
// through the analysis cache (the same decorator and keys as the
// service's, kept on disk), so that a rerun of a set costs nothing.
func (f *setFlags) engine(cmd, name string, g *analyzer.Guide) (analyzer.Engine, error) {
	eng, err := newEngine(cmd, name, f.llm, f.prototypes)
	if err != nil {
		return nil, err
	}
	if eng.Info().Name == analyzer.EngineHeuristic || f.noCache {
		// The embedded engine is faster than reading a cache entry.
		return eng, nil
	}
	dir := f.cacheDir
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return nil, usagef("%s: no user cache folder (%v): give --cache-dir or --no-cache", cmd, err)
		}
		dir = filepath.Join(base, "candor", "analyses")
	}
	c, err := store.NewFileCache(dir)
	if err != nil {
		return nil, err
	}
	// The local cache has one namespace: no tenant.
	return store.CachedEngine(eng, c, 0).For("", g.Version), nil
}

// output opens --out or returns stdout.
func (e *environment) output(path string) (io.Writer, func() error, error) {
	if path == "" {
		return e.stdout, func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	return f, f.Close, nil
}

// progress returns a progress callback drawing a bar on a terminal stderr.
func (e *environment) progress(what string) (func(done, total int), func()) {
	if !isTerminal(e.stderr) {
		return nil, func() {}
	}
	var bar *progressbar.ProgressBar
	return func(done, total int) {
			if bar == nil {
				bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(e.stderr), progressbar.OptionSetDescription(what),
					progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
			}
			_ = bar.Set(done)
		}, func() {
			if bar != nil {
				_ = bar.Finish()
			}
		}
}

func writeJSON(w io.Writer, v any, compact bool) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if !compact {
		enc.SetIndent("", "  ")
	}
	return enc.Encode(v)
}

func (e *environment) eval(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	c := newConfig("eval", fs, e.getenv)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: candor eval --guide GUIDE [--engine heuristic[,llm,hybrid]] [--format text|json|md|html] LABELS...\n\n"+
			"Measures how far each engine agrees with your own labels. LABELS is a labelled set: a folder with answers.jsonl\n"+
			"(or answers.csv) and/or transcripts/ with NAME.gold.json beside each transcript (see evaluation/schema), or an\n"+
			"answers file. Several sets print one evaluation each (JSON: one per line).\n\nFlags:\n")
		printDefaults(fs)
	}
	paths, err := c.parse(args)
	if err != nil {
		return err
	}
	sf := setSettings(c)
	g, err := sf.check("eval", paths)
	if err != nil {
		return err
	}
	boot := c.int("bootstrap")
	opts := evaluation.Options{Concurrency: sf.concurrency, Bootstrap: boot, Seed: c.uint("seed-bootstrap")}
	if boot == 0 {
		opts.Bootstrap = -1
	}
	if prices := c.str("prices"); prices != "" {
		data, err := os.ReadFile(prices)
		if err != nil {
			return err
		}
		if opts.Prices, err = evaluation.ParsePrices(prices, data); err != nil {
			return err
		}
	}
	var engs []analyzer.Engine
	seen := map[string]bool{}
	for _, name := range strings.Split(c.str("engine"), ",") {
		name = strings.TrimSpace(name)
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		eng, err := sf.engine("eval", name, g)
		if err != nil {
			return err
		}
		engs = append(engs, eng)
	}
	if len(engs) == 0 {
		return usagef("eval: --engine names no engine")
	}
	sets, err := loadSets(g, paths)
	if err != nil {
		return err
	}
	var second *evaluation.Set
	if rater := c.str("second-rater"); rater != "" {
		if len(sets) > 1 {
			return usagef("eval: --second-rater compares with one set: give one")
		}
		if second, err = evaluation.LoadSet(rater); err != nil {
			return err
		}
	}
	return eachSet(e, sf, sets, "evaluating", func(set *evaluation.Set, progress func(done, total int)) (*evaluation.Evaluation, error) {
		opts.Progress = progress
		ev, err := evaluation.EvaluateAll(ctx, engs, g, set, opts)
		if err == nil && second != nil {
			ag := evaluation.RaterAgreement(set, second)
			ev.Raters = &ag
		}
		return ev, err
	}, renderers[*evaluation.Evaluation]{render.EvaluationMarkdown, render.EvaluationHTML, render.EvaluationText})
}

// loadSets reads the labelled sets and checks each against g, all before
// the first model call.
func loadSets(g *analyzer.Guide, paths []string) ([]*evaluation.Set, error) {
	sets := make([]*evaluation.Set, len(paths))
	for i, p := range paths {
		var err error
		if sets[i], err = evaluation.LoadSet(p); err != nil {
			return nil, err
		}
		if err := evaluation.Check(g, sets[i]); err != nil {
			return nil, err
		}
	}
	return sets, nil
}

// renderers write an evaluation or an audit as Markdown, HTML and text.
type renderers[T any] struct{ markdown, html, text func(io.Writer, T) error }

// eachSet runs run on every set, with a progress bar saying verb and the
// set's name, and writes each result to --out in --format (JSON: one a
// line when there are several).
func eachSet[T any](e *environment, sf *setFlags, sets []*evaluation.Set, verb string,
	run func(*evaluation.Set, func(done, total int)) (T, error), r renderers[T]) error {
	w, closeOut, err := e.output(sf.out)
	if err != nil {
		return err
	}
	many := len(sets) > 1
	for _, set := range sets {
		progress, done := e.progress(verb + " " + set.Name)
		v, err := run(set, progress)
		done()
		blank := many // a blank line between texts (JSON lines and the one HTML page need none)
		if err == nil {
			switch sf.format {
			case "json":
				err, blank = writeJSON(w, v, many), false
			case "md", "markdown":
				err = r.markdown(w, v)
			case "html":
				err, blank = r.html(w, v), false
			default:
				err = r.text(w, v)
			}
		}
		if err == nil && blank {
			_, err = fmt.Fprintln(w)
		}
		if err != nil {
			closeOut()
			return err
		}
	}
	return closeOut()
}

func (e *environment) audit(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	c := newConfig("audit", fs, e.getenv)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: candor audit --guide GUIDE [--engine E] [--min-group N] [--swap auto|on|off] [--format text|json|md|html] SET...\n\n"+
			"Compares, per group and intersection of the set's group fields, the rate of specific labels and the share of answers\n"+
			"above the median specificity and coverage (impact ratios, four-fifths flags, Fisher's exact test), and re-analyses every\n"+
			"answer with names, pronouns and spellings swapped. Labels are not needed.\n\nFlags:\n")
		printDefaults(fs)
	}
	paths, err := c.parse(args)
	if err != nil {
		return err
	}
	sf := setSettings(c)
	g, err := sf.check("audit", paths)
	if err != nil {
		return err
	}
	eng, err := sf.engine("audit", c.str("engine"), g)
	if err != nil {
		return err
	}
	var runSwap bool
	switch c.str("swap") {
	case "on":
		runSwap = true
	case "auto":
		runSwap = eng.Info().Name == analyzer.EngineHeuristic
	}
	lists := evaluation.DefaultSwapLists()
	if swapLists := c.str("swap-lists"); swapLists != "" {
		if lists, err = evaluation.LoadSwapLists(swapLists); err != nil {
			return err
		}
	}
	sets, err := loadSets(g, paths)
	if err != nil {
		return err
	}
	return eachSet(e, sf, sets, "auditing", func(set *evaluation.Set, progress func(done, total int)) (*evaluation.AuditReport, error) {
		rep, err := evaluation.RunAudit(ctx, eng, g, set, evaluation.AuditOptions{MinGroupSize: c.int("min-group"), Fields: c.list("field"), Concurrency: sf.concurrency, Progress: progress})
		if err == nil && runSwap {
			rep.Swap, err = evaluation.Swap(ctx, eng, g, set, evaluation.SwapOptions{Lists: lists, Concurrency: sf.concurrency, Progress: progress})
		}
		return rep, err
	}, renderers[*evaluation.AuditReport]{render.AuditMarkdown, render.AuditHTML, render.AuditText})
}
