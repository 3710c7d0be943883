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

func (e *environment) guides(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usagef("guides: want a subcommand: list, show or import")
	}
	fs := flag.NewFlagSet("guides "+args[0], flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	ref := fs.String("guide", "", "a built-in id or a guide file")
	format := fs.String("format", "text", "output format: text, json or yaml")
	out := fs.String("o", "", "import: write the converted guide to this file (.json or .yaml) instead of stdout")
	pos, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	if *format != "text" && *format != "json" && *format != "yaml" {
		return usagef("guides: --format must be text, json or yaml, not %q", *format)
	}
	switch args[0] {
	case "list":
		gs := guide.Builtins()
		if *format != "text" {
			type row struct {
				ID        string `json:"id" yaml:"id"`
				Title     string `json:"title" yaml:"title"`
				Questions int    `json:"questions" yaml:"questions"`
			}
			rows := make([]row, 0, len(gs))
			for _, g := range gs {
				rows = append(rows, row{g.ID, g.Title, len(g.Questions)})
			}
			return e.encode(rows, *format)
		}
		for _, g := range gs {
			fmt.Fprintf(e.stdout, "%-18s %2d questions  %s\n", g.ID, len(g.Questions), g.Title)
		}
		return nil
	case "show", "import":
		if *ref == "" && len(pos) == 1 {
			*ref = pos[0]
		}
		if *ref == "" {
			return usagef("guides %s: give a guide (--guide ID|FILE)", args[0])
		}
		g, err := guide.Load(*ref)
		if err != nil {
			return err
		}
		if args[0] == "import" {
			if *format == "text" {
				*format = "yaml"
			}
			if *out != "" {
				return e.writeGuideFile(g, *out)
			}
			return e.encode(g, *format)
		}
		if *format != "text" {
			return e.encode(g, *format)
		}
		e.printGuide(g)
		return nil
	default:
		return usagef("guides: unknown subcommand %q (want list, show or import)", args[0])
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
	for _, q := range g.Questions {
		fmt.Fprintf(e.stdout, "\n%s  %s\n", q.ID, q.Text)
		for i, a := range q.Areas {
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
