package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"go.yaml.in/yaml/v3"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/guide"
)

const guidesUsage = `Usage: candor guides <list|show|import|lint|prototypes> [flags]

Lists the built-in guides, shows a guide's questions, areas and follow-ups,
converts a guide (Yardstick text, JSON, YAML) to YAML or JSON, checks a
guide for overlapping areas, duplicate questions, trait areas and the like,
or learns a guide's quote prototypes from your own labelled answers.

Examples:
  candor guides list
  candor guides show --guide cx-empathy
  candor guides import my-guide.txt -o my-guide.yaml
  candor guides lint my-guide.txt
  candor guides prototypes --guide my-guide.yaml labelled/ -o my-guide.prototypes.json

Run 'candor guides <subcommand> -h' for its flags.
`

func (e *environment) guides(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, guidesUsage)
		return usagef("guides: want a subcommand: list, show, import, lint or prototypes")
	}
	sub := args[0]
	switch sub {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(e.stderr, guidesUsage)
		return errHelp
	case "list", "show", "import":
	case "lint":
		return e.guidesLint(ctx, args[1:])
	case "prototypes":
		return e.guidesPrototypes(args[1:])
	default:
		fmt.Fprint(e.stderr, guidesUsage)
		return usagef("guides: unknown subcommand %q (want list, show, import, lint or prototypes)", sub)
	}
	fs := flag.NewFlagSet("guides "+sub, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	c := newConfig("guides "+sub, fs, e.getenv)
	switch sub {
	case "list":
		fs.Usage = subUsage(fs, "Usage: candor guides list [--format text|json|yaml]\n\nLists the built-in guides.\n\n"+
			"Example:\n  candor guides list --format json\n")
	case "show":
		fs.Usage = subUsage(fs, "Usage: candor guides show --guide ID|FILE [--format text|json|yaml]\n\n"+
			"Shows a guide's questions, areas to cover and follow-ups.\n\nExamples:\n  candor guides show --guide cx-empathy\n  candor guides show my-guide.txt --format yaml\n")
	case "import":
		fs.Usage = subUsage(fs, "Usage: candor guides import FILE [-o OUT.yaml|OUT.json] [--format yaml|json]\n\n"+
			"Converts a guide (Yardstick text, JSON or YAML) to YAML or JSON.\n\nExample:\n  candor guides import my-guide.txt -o my-guide.yaml\n")
	}
	pos, err := c.parse(args[1:])
	if err != nil {
		return err
	}
	format := c.str("format")
	if sub == "list" {
		if len(pos) > 0 {
			return usagef("guides list: unexpected argument %q", pos[0])
		}
		gs := guide.Builtins()
		if format != "text" {
			type row struct {
				ID        string `json:"id" yaml:"id"`
				Title     string `json:"title" yaml:"title"`
				Questions int    `json:"questions" yaml:"questions"`
			}
			rows := make([]row, 0, len(gs))
			for _, g := range gs {
				rows = append(rows, row{g.ID, g.Title, len(g.Questions)})
			}
			return e.encode(rows, format)
		}
		for _, g := range gs {
			fmt.Fprintf(e.stdout, "%-18s %2d questions  %s\n", g.ID, len(g.Questions), g.Title)
		}
		return nil
	}
	ref := c.str("guide")
	if ref == "" && len(pos) == 1 {
		ref = pos[0]
	} else if len(pos) > 0 {
		return usagef("guides %s: unexpected argument %q", sub, pos[len(pos)-1])
	}
	if ref == "" {
		return usagef("guides %s: give a guide (--guide ID|FILE)", sub)
	}
	g, err := guide.Load(ref)
	if err != nil {
		return err
	}
	if sub == "import" {
		if out := c.str("o"); out != "" {
			return e.writeGuideFile(g, out)
		}
		return e.encode(g, format)
	}
	if format != "text" {
		return e.encode(g, format)
	}
	e.printGuide(g)
	return nil
}

// subUsage prints a subcommand's text and its own flags only.
func subUsage(fs *flag.FlagSet, text string) func() {
	return func() {
		fmt.Fprint(fs.Output(), text+"\nFlags:\n")
		printDefaults(fs)
	}
}

func (e *environment) encode(v any, format string) error {
	if format == "yaml" {
		enc := yaml.NewEncoder(e.stdout)
		enc.SetIndent(2)
		if err := enc.Encode(v); err != nil {
			return err
		}
		return enc.Close()
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func (e *environment) writeGuideFile(g *analyzer.Guide, path string) error {
	var data []byte
	var err error
	switch filepath.Ext(path) {
	case ".json":
		data, err = json.MarshalIndent(g, "", "  ")
	case ".yaml", ".yml":
		data, err = yaml.Marshal(g)
	default:
		return usagef("guides import: -o must end in .json, .yaml or .yml")
	}
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "wrote %s: %d questions\n", path, len(g.Questions))
	return nil
}

func (e *environment) printGuide(g *analyzer.Guide) {
	fmt.Fprintf(e.stdout, "%s (%s), %d questions, version %s\n", g.Title, g.ID, len(g.Questions), g.Version)
	if len(g.DepthSignals) > 0 {
		fmt.Fprintf(e.stdout, "\nDepth signals (every answer is judged by them):\n")
		for _, d := range g.DepthSignals {
			fmt.Fprintf(e.stdout, "    %s: %s\n", d.ID, d.Text)
		}
	}
	for _, q := range g.Questions {
		fmt.Fprintf(e.stdout, "\n%s  %s\n", q.ID, q.Text)
		for i, a := range q.Areas {
			if k := q.AreaKind(i); k != "" {
				fmt.Fprintf(e.stdout, "    %d. %s  [%s]\n", i+1, a, k)
				continue
			}
			fmt.Fprintf(e.stdout, "    %d. %s\n", i+1, a)
		}
		for _, f := range q.FollowUps {
			fmt.Fprintf(e.stdout, "    ? %s\n", f)
		}
	}
	if len(g.Notes) > 0 {
		fmt.Fprintf(e.stdout, "\nNotes: %d\n", len(g.Notes))
	}
}
