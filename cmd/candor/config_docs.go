package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// configDocs is the hidden `candor config-docs`: the README's
// configuration reference, as Markdown, from the settings table.
func (e *environment) configDocs(args []string) error {
	if len(args) > 0 {
		return usagef("config-docs: takes no arguments")
	}
	_, err := io.WriteString(e.stdout, configMarkdown())
	return err
}

// configMarkdown is the configuration reference: a row per flag of the
// settings table (a flag whose meaning differs between commands has a row
// for each), then the variables only the environment carries.
func configMarkdown() string {
	var flags, envOnly []*setting
	for _, s := range settings {
		if s.flag == "" {
			envOnly = append(envOnly, s)
		} else {
			flags = append(flags, s)
		}
	}
	slices.SortStableFunc(flags, func(a, b *setting) int { return strings.Compare(a.flag, b.flag) })
	var b strings.Builder
	b.WriteString("\nEvery flag's default comes from its environment variable when that is set (and not empty), so a\n" +
		"container or unit file needs no arguments. A flag given on the command line wins over the variable,\n" +
		"which is then not read. A value that does not parse, or is out of range, stops the command at start\n" +
		"(exit status 2) with a message naming the flag or the variable it came from.\n\n")
	b.WriteString("| flag | env var | default | values | commands | meaning |\n|---|---|---|---|---|---|\n")
	for _, s := range flags {
		env := "—"
		if s.env != "" {
			env = "`" + s.env + "`"
		}
		if len(s.derived) > 0 {
			env += "; default from `" + strings.Join(s.derived, "`, `") + "`"
		}
		def := s.defDoc
		if def == "" {
			def = code(s.def)
		}
		dashes := "--"
		if len(s.flag) == 1 {
			dashes = "-"
		}
		fmt.Fprintf(&b, "| `%s%s` | %s | %s | %s | %s | %s |\n", dashes, s.flag, env, cell(def), cell(s.valuesDoc()), strings.Join(s.cmds, ", "), cell(s.usage))
	}
	b.WriteString("\nSettings only the environment carries (secrets and credentials stay out of process lists):\n\n")
	b.WriteString("| env var | commands | when unset | meaning |\n|---|---|---|---|\n")
	for _, s := range envOnly {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", s.env, strings.Join(s.cmds, ", "), cell(s.defDoc), cell(s.usage))
	}
	b.WriteString("\n")
	return b.String()
}

// valuesDoc says which values a setting takes.
func (s *setting) valuesDoc() string {
	var d string
	switch s.kind {
	case kindInt:
		d = "integer"
		if s.min != nil {
			d += fmt.Sprintf(" ≥ %d", *s.min)
		}
	case kindUint:
		d = "integer ≥ 0"
	case kindDuration:
		switch {
		case s.min == nil:
			d = "duration"
		case *s.min == 0:
			d = "duration ≥ 0"
		case *s.min == 1:
			d = "duration > 0"
		default:
			d = "duration ≥ " + time.Duration(*s.min).String()
		}
		d += " (`90s`, `2m`, `1h30m`)"
	case kindBool:
		d = "`true` or `false`"
	case kindURL:
		d = "http or https URL"
		if s.def == "" && s.defaultFrom == nil {
			d += ", or empty"
		}
	case kindEnum:
		d = "`" + strings.Join(s.values, "`, `") + "`"
		if slices.Contains(s.hidden, "") {
			d += ", or empty"
		}
	case kindList:
		d = "text, repeatable or comma-separated"
	default:
		d = "text"
	}
	if s.rule != "" {
		d = s.rule
	}
	return d
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func code(s string) string {
	if s == "" {
		return "*(empty)*"
	}
	return "`" + s + "`"
}
