package guide_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/guide"
)

// corpus returns every real guide the package knows: fixtures, golden
// outputs, the built-in YAML and, when present, the shared seed.
func corpus(tb testing.TB) [][]byte {
	tb.Helper()
	paths := fixtures(tb)
	for _, pat := range []string{"testdata/golden/*.json", "builtin/*.yaml"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			tb.Fatal(err)
		}
		paths = append(paths, m...)
	}
	if _, err := os.Stat(seedPath); err == nil {
		paths = append(paths, seedPath)
	}
	var out [][]byte
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

// FuzzParse: Parse never panics; it either fails with an error that
// matches ErrInvalidGuide, or returns a guide that validates and survives a
// JSON round trip unchanged.
func FuzzParse(f *testing.F) {
	for _, data := range corpus(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := guide.Parse("fuzz", data)
		if err != nil {
			if !errors.Is(err, analyzer.ErrInvalidGuide) {
				t.Fatalf("error does not match ErrInvalidGuide: %v", err)
			}
			return
		}
		if err := guide.Validate(g); err != nil {
			t.Fatalf("Parse returned a guide that does not validate: %v", err)
		}
		out, err := json.Marshal(g)
		if err != nil {
			t.Fatal(err)
		}
		back, err := guide.Parse("fuzz.json", out)
		if err != nil {
			t.Fatalf("guide does not read back from its JSON: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(back, g) {
			t.Fatalf("JSON round trip changed the guide:\n%+v\n%+v", g, back)
		}
	})
}

// BenchmarkParse parses the seed-size Yardstick guide (the shared seed when
// present, else the built-in cx-empathy written out as Yardstick text).
func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile(seedPath)
	if err != nil {
		data = yardstickText(b, "cx-empathy")
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := guide.Parse("seed.txt", data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseJSON parses the same guide as JSON, for comparison.
func BenchmarkParseJSON(b *testing.B) {
	g, _ := guide.Builtin("cx-empathy")
	data, err := json.Marshal(g)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := guide.Parse("g.json", data); err != nil {
			b.Fatal(err)
		}
	}
}

// yardstickText writes a built-in guide in the Yardstick text layout.
func yardstickText(tb testing.TB, id string) []byte {
	tb.Helper()
	g, ok := guide.Builtin(id)
	if !ok {
		tb.Fatalf("no built-in %q", id)
	}
	s := g.Title + "\n" + g.Description + "\nInterview Questions\n"
	for _, q := range g.Questions {
		s += q.Text + "\nAreas to Cover:\n"
		for _, a := range q.Areas {
			s += "- " + a + "\n"
		}
		s += "Follow-Up Questions:\n"
		for _, f := range q.FollowUps {
			s += "- " + f + "\n"
		}
	}
	s += "Frequently Asked Questions\n"
	for _, n := range g.Notes {
		s += n.Title + "?\n" + n.Text + "\n"
	}
	return []byte(s)
}

// TestYardstickTextOfBuiltins: a built-in guide written as Yardstick text
// reads back with the same questions, areas and follow-ups.
func TestYardstickTextOfBuiltins(t *testing.T) {
	for _, id := range guide.BuiltinIDs() {
		want, _ := guide.Builtin(id)
		got, err := guide.Parse(id+".txt", yardstickText(t, id))
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		// Yardstick text has no place for depth signals (the importer
		// proposes them from the FAQ only) or stated area kinds: compare
		// the questions without.
		if !reflect.DeepEqual(withoutDepth(got.Questions), withoutDepth(want.Questions)) || got.Title != want.Title || len(got.Notes) != len(want.Notes) {
			t.Errorf("%s: Yardstick text reads back differently:\ngot  %+v\nwant %+v", id, got, want)
		}
	}
}

func withoutDepth(qs []analyzer.Question) []analyzer.Question {
	out := append([]analyzer.Question(nil), qs...)
	for i := range out {
		out[i].Depth, out[i].AreaKinds = nil, nil
	}
	return out
}
