package main

import (
	"bytes"
	"errors"
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"regexp"
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

// testConfig is cmd's settings as they would be at start with getenv and
// args: registered, parsed and checked.
func testConfig(cmd string, getenv func(string) string, args ...string) (*config, error) {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c := newConfig(cmd, fs, getenv)
	_, err := c.parse(args)
	return c, err
}

// settingCommands is every command the settings table names, in its order.
func settingCommands() []string {
	var out []string
	for _, s := range settings {
		for _, c := range s.cmds {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// documentedEnv is every variable the reference names: flags' variables,
// variables defaults derive from, and the environment-only settings.
func documentedEnv() map[string]bool {
	doc := map[string]bool{}
	for _, s := range settings {
		if s.env != "" {
			doc[s.env] = true
		}
		for _, k := range s.derived {
			doc[k] = true
		}
	}
	return doc
}

// sourceCalls returns, for each of the named functions or methods, the
// string literals the command's code (not its tests) passes as their
// first argument, and in which file.
func sourceCalls(t *testing.T, names ...string) map[string][]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	out := map[string][]string{}
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
			if !ok || len(call.Args) == 0 {
				return true
			}
			var fn string
			switch x := call.Fun.(type) {
			case *ast.Ident:
				fn = x.Name
			case *ast.SelectorExpr:
				fn = x.Sel.Name
			}
			if !slices.Contains(names, fn) {
				return true
			}
			if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				k, _ := strconv.Unquote(lit.Value)
				out[k] = append(out[k], name)
			}
			return true
		})
	}
	return out
}

// TestSettingsReadThroughTable: the code reads the environment only in
// the settings table, and reads every setting the table lists (a row no
// code reads would be documented but do nothing).
func TestSettingsReadThroughTable(t *testing.T) {
	for k, files := range sourceCalls(t, "getenv", "Getenv") {
		for _, f := range files {
			if f != "settings.go" {
				t.Errorf("%s reads %s itself: add it to the settings table and read it through the command's config", f, k)
			}
		}
	}
	read := sourceCalls(t, "str", "int", "uint", "dur", "bool", "list", "secret")
	for _, s := range settings {
		key := s.flag
		if key == "" {
			key = s.env
		}
		if len(read[key]) == 0 {
			t.Errorf("the settings table lists %s but no code reads it", key)
		}
	}
}

// TestSettingsCommands: each command's -h lists exactly the flags the
// settings table gives it, so the table's commands column is true.
func TestSettingsCommands(t *testing.T) {
	flagLine := regexp.MustCompile(`(?m)^  -([a-z0-9-]+)`)
	for _, cmd := range settingCommands() {
		var want []string
		for _, s := range settings {
			if s.flag != "" && slices.Contains(s.cmds, cmd) {
				want = append(want, s.flag)
			}
		}
		slices.Sort(want)
		var stderr bytes.Buffer
		err := run(t.Context(), append(strings.Fields(cmd), "-h"), func(string) string { return "" }, strings.NewReader(""), io.Discard, &stderr)
		if !errors.Is(err, errHelp) {
			t.Errorf("candor %s -h: %v", cmd, err)
			continue
		}
		var got []string
		for _, m := range flagLine.FindAllStringSubmatch(stderr.String(), -1) {
			got = append(got, m[1])
		}
		if !slices.Equal(got, want) {
			t.Errorf("candor %s -h lists flags %v; the settings table gives it %v", cmd, got, want)
		}
	}
}
