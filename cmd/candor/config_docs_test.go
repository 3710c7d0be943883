package main

import (
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/candorhq/candor/internal/testkit"
)

const (
	configStart = "<!-- config:start"
	configEnd   = "<!-- config:end -->"
)

var readmePath = filepath.Join("..", "..", "README.md")

// readmeSection returns README.md and the byte range of its generated
// configuration reference: from the line after the start marker to the
// end marker.
func readmeSection(t *testing.T) (string, int, int) {
	t.Helper()
	raw, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	s := string(raw)
	i := strings.Index(s, configStart)
	j := strings.Index(s, configEnd)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the %q ... %q markers", configStart, configEnd)
	}
	nl := strings.IndexByte(s[i:], '\n')
	if nl < 0 || i+nl+1 > j {
		t.Fatalf("README.md: the start marker's line does not end before the end marker")
	}
	return s, i + nl + 1, j
}

// TestConfigDocsREADME keeps the README's configuration reference in step
// with the commands' flags: it is regenerated here and must match.
func TestConfigDocsREADME(t *testing.T) {
	want := mustRun(t, "", "config-docs")
	readme, from, to := readmeSection(t)
	if got := readme[from:to]; got != want {
		if testkit.Update() {
			if err := os.WriteFile(readmePath, []byte(readme[:from]+want+readme[to:]), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("rewrote the configuration reference in %s", readmePath)
			return
		}
		t.Errorf("README.md's configuration reference differs from the flags.\n"+
			"Regenerate it:  go test ./cmd/candor -run TestConfigDocsREADME -update\n"+
			"(or paste the output of `go run ./cmd/candor config-docs` between the config markers)\n\n%s",
			lineDiff(got, want))
	}
}

// lineDiff lists the lines only one side has, enough to see what changed.
func lineDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	var b strings.Builder
	for _, l := range g {
		if !slices.Contains(w, l) {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range w {
		if !slices.Contains(g, l) {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}

// sourceEnvKeys returns every environment variable the command's code
// reads: the string literals given to getenv, envOr, envInt and envDuration.
func sourceEnvKeys(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var keys []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var fn string
			switch x := call.Fun.(type) {
			case *ast.Ident:
				fn = x.Name
			case *ast.SelectorExpr:
				fn = x.Sel.Name
			}
			arg := -1
			switch fn {
			case "getenv", "Getenv":
				arg = 0
			case "envOr", "envInt", "envDuration":
				arg = 1
			}
			if arg < 0 || len(call.Args) <= arg {
				return true
			}
			if lit, ok := call.Args[arg].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				k, _ := strconv.Unquote(lit.Value)
				if !slices.Contains(keys, k) {
					keys = append(keys, k)
				}
			}
			return true
		})
	}
	slices.Sort(keys)
	return keys
}

// documentedEnv is every variable the reference names: flag variables,
// variables defaults derive from, and the environment-only settings.
func documentedEnv(t *testing.T) map[string]bool {
	t.Helper()
	flags, _, err := configReference()
	if err != nil {
		t.Fatal(err)
	}
	doc := map[string]bool{}
	for _, f := range flags {
		for _, k := range append(append([]string{}, f.env...), f.derived...) {
			doc[k] = true
		}
	}
	for _, s := range envOnlySettings {
		doc[s.name] = true
	}
	return doc
}

// TestConfigDocsCoverEveryVariable: every variable the code reads is in the
// reference, and the reference names none the code does not read.
func TestConfigDocsCoverEveryVariable(t *testing.T) {
	src := sourceEnvKeys(t)
	if len(src) < 20 {
		t.Fatalf("found only %d variables in the source (%v): the scan is broken", len(src), src)
	}
	doc := documentedEnv(t)
	for _, k := range src {
		if !doc[k] {
			t.Errorf("the code reads %s but the configuration reference does not name it (add it to envOnlySettings, or bind it to a flag)", k)
		}
	}
	for k := range doc {
		if !slices.Contains(src, k) {
			t.Errorf("the configuration reference names %s but the code never reads it", k)
		}
	}
}

// TestConfigDocsParseFlagSets checks the help-text reader against the flag
// set serve builds: the same names, the same defaults.
func TestConfigDocsParseFlagSets(t *testing.T) {
	empty := func(string) string { return "" }
	got, err := helpFlags("serve", empty)
	if err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	registerServerFlags(fs, empty, "127.0.0.1:8080")
	n := 0
	fs.VisitAll(func(f *flag.Flag) {
		n++
		hf, ok := got[f.Name]
		if !ok {
			t.Errorf("--%s: not read from the help text", f.Name)
			return
		}
		if hf.def != f.DefValue {
			t.Errorf("--%s: default %q read from the help text, the flag says %q", f.Name, hf.def, f.DefValue)
		}
		if _, u := flag.UnquoteUsage(f); !strings.HasPrefix(u, hf.usage) {
			t.Errorf("--%s: usage %q read, the flag says %q", f.Name, hf.usage, u)
		}
	})
	if n != len(got) {
		t.Errorf("read %d flags from the help text, the flag set has %d", len(got), n)
	}
}

func TestCleanUsage(t *testing.T) {
	for in, want := range map[string]string{
		"prefix of every Redis key (env CANDOR_REDIS_PREFIX)":                         "prefix of every Redis key",
		"listen address (env CANDOR_ADDR; port 0 picks a free one)":                   "listen address (port 0 picks a free one)",
		"let webhooks call private addresses (env CANDOR_WEBHOOK_ALLOW_PRIVATE=true)": "let webhooks call private addresses",
		"answers analyzed at once":                                                    "answers analyzed at once",
	} {
		if got := cleanUsage(in); got != want {
			t.Errorf("cleanUsage(%q) = %q, want %q", in, got, want)
		}
	}
}
