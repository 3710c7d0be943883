package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/guide"
)

// showGuide runs guides show --format json and decodes the guide.
func showGuide(t *testing.T, ref string) *analyzer.Guide {
	t.Helper()
	out := mustRun(t, "", "guides", "show", "--guide", ref, "--format", "json")
	var g analyzer.Guide
	if err := json.Unmarshal([]byte(out), &g); err != nil {
		t.Fatalf("guides show %s: %v\n%s", ref, err, out)
	}
	return &g
}

func TestGuidesList(t *testing.T) {
	builtins := guide.Builtins()
	if len(builtins) < 2 {
		t.Fatalf("want at least the two built-in guides, got %d", len(builtins))
	}
	t.Run("text", func(t *testing.T) {
		out := mustRun(t, "", "guides", "list")
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if got, want := len(lines), len(builtins); got != want {
			t.Fatalf("got %d lines, want %d:\n%s", got, want, out)
		}
		for _, id := range []string{"cx-empathy", "behavioral-core"} {
			if !strings.Contains(out, id+" ") {
				t.Errorf("list lacks %s:\n%s", id, out)
			}
		}
		for i, g := range builtins {
			if want := fmt.Sprintf("%d questions  %s", len(g.Questions), g.Title); !strings.HasPrefix(lines[i], g.ID) || !strings.HasSuffix(lines[i], want) {
				t.Errorf("line %d = %q, want %s ... %q", i+1, lines[i], g.ID, want)
			}
		}
	})
	t.Run("json", func(t *testing.T) {
		var rows []struct {
			ID        string `json:"id"`
			Title     string `json:"title"`
			Questions int    `json:"questions"`
		}
		if err := json.Unmarshal([]byte(mustRun(t, "", "guides", "list", "--format", "json")), &rows); err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, r := range rows {
			got[r.ID] = r.Questions
		}
		if got["cx-empathy"] != 15 || got["behavioral-core"] == 0 {
			t.Errorf("guides list --format json = %v, want cx-empathy with 15 questions and behavioral-core", got)
		}
	})
}

// checkShape checks that g has questions q1..qN, each with the given
// numbers of areas and follow-ups.
func checkShape(t *testing.T, g *analyzer.Guide, questions, areas, followUps int) {
	t.Helper()
	if got := len(g.Questions); got != questions {
		t.Fatalf("%s: %d questions, want %d", g.ID, got, questions)
	}
	for i, q := range g.Questions {
		if want := fmt.Sprintf("q%d", i+1); q.ID != want {
			t.Errorf("question %d has id %q, want %q", i+1, q.ID, want)
		}
		if q.Text == "" {
			t.Errorf("%s has no text", q.ID)
		}
		if got := len(q.Areas); got != areas {
			t.Errorf("%s: %d areas, want %d", q.ID, got, areas)
		}
		if got := len(q.FollowUps); got != followUps {
			t.Errorf("%s: %d follow-ups, want %d", q.ID, got, followUps)
		}
	}
}

func TestGuidesShow(t *testing.T) {
	t.Run("cx-empathy json", func(t *testing.T) {
		g := showGuide(t, "cx-empathy")
		if g.ID != "cx-empathy" || g.Version == "" {
			t.Errorf("id = %q, version = %q; want cx-empathy and a version", g.ID, g.Version)
		}
		checkShape(t, g, 15, 8, 4)
	})
	t.Run("yardstick seed json", func(t *testing.T) {
		seed := filepath.Join(sharedDir(t), "seeds", "000_d3797fe2d9603f3b.txt")
		if _, err := os.Stat(seed); err != nil {
			t.Skipf("seed guide not available: %v", err)
		}
		checkShape(t, showGuide(t, seed), 15, 8, 4)
	})
	t.Run("text", func(t *testing.T) {
		out := mustRun(t, "", "guides", "show", "cx-empathy")
		g, _ := guide.Builtin("cx-empathy")
		for _, d := range g.DepthSignals {
			if want := "    " + d.ID + ": " + d.Text + "\n"; !strings.Contains(out, want) {
				t.Errorf("text lacks depth signal %q", want)
			}
		}
		for _, q := range g.Questions {
			if want := "\n" + q.ID + "  " + q.Text + "\n"; !strings.Contains(out, want) {
				t.Errorf("text lacks %q", want)
			}
			for i, a := range q.Areas {
				// A stated kind follows its area in brackets.
				want := fmt.Sprintf("    %d. %s\n", i+1, a)
				if k := q.AreaKind(i); k != "" {
					want = fmt.Sprintf("    %d. %s  [%s]\n", i+1, a, k)
				}
				if !strings.Contains(out, want) {
					t.Errorf("%s: text lacks area %q", q.ID, want)
				}
			}
		}
	})
	t.Run("yaml", func(t *testing.T) {
		out := mustRun(t, "", "guides", "show", "--guide", "behavioral-core", "--format", "yaml")
		if !strings.Contains(out, "id: behavioral-core\n") || !strings.Contains(out, "questions:\n") {
			t.Errorf("yaml output lacks the id or questions:\n%.300s", out)
		}
	})
}

// TestGuidesImport converts a guide to JSON and YAML files and reads each
// back: the written guide has the same questions as the source.
func TestGuidesImport(t *testing.T) {
	sources := []string{"cx-empathy", "behavioral-core"}
	if _, err := os.Stat(filepath.Join("..", "..", "..", "shared", "seeds")); err == nil {
		sources = append(sources, filepath.Join("..", "..", "..", "shared", "seeds", "000_d3797fe2d9603f3b.txt"))
	}
	for _, src := range sources {
		want := showGuide(t, src)
		for _, ext := range []string{".json", ".yaml"} {
			t.Run(filepath.Base(src)+ext, func(t *testing.T) {
				out := filepath.Join(t.TempDir(), "guide"+ext)
				r := runCLI(t, "", "guides", "import", "--guide", src, "-o", out)
				if r.code != 0 {
					t.Fatalf("exit %d: %s", r.code, r.stderr)
				}
				if wantMsg := fmt.Sprintf("wrote %s: %d questions\n", out, len(want.Questions)); r.stderr != wantMsg {
					t.Errorf("stderr = %q, want %q", r.stderr, wantMsg)
				}
				got := showGuide(t, out)
				if !reflect.DeepEqual(got.Questions, want.Questions) {
					t.Errorf("questions of %s differ from those of %s", out, src)
				}
				if got.ID != want.ID || got.Title != want.Title || got.Version != want.Version {
					t.Errorf("got id %q title %q version %q, want %q %q %q", got.ID, got.Title, got.Version, want.ID, want.Title, want.Version)
				}
			})
		}
	}
	t.Run("stdout yaml", func(t *testing.T) {
		out := mustRun(t, "", "guides", "import", "cx-empathy")
		path := filepath.Join(t.TempDir(), "g.yaml")
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		if got, want := showGuide(t, path).Questions, showGuide(t, "cx-empathy").Questions; !reflect.DeepEqual(got, want) {
			t.Errorf("guide imported to stdout reads back with different questions")
		}
	})
}
