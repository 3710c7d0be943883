package heuristic

import (
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer/semantic"
	"github.com/candorhq/candor/guide"
)

func TestAreaKey(t *testing.T) {
	a := AreaKey("How they calmed  the customer down")
	for _, same := range []string{"how they calmed the customer down", "  How they calmed the\tcustomer down ", "How they calmed the customer down."} {
		if AreaKey(same) != a {
			t.Errorf("AreaKey(%q) differs from AreaKey of the same words", same)
		}
	}
	if AreaKey("How they calmed the customer") == a {
		t.Error("two wordings share a key")
	}
	if AreaKey("The customer's feelings") != AreaKey("the customer\u2019s feelings") {
		t.Error("a curly apostrophe changes the key")
	}
	if AreaKey("Results, and lessons") != AreaKey("results and lessons") || AreaKey("a ' b") != AreaKey("a b") {
		t.Error("punctuation changes the key")
	}
	if len(a) != 16 {
		t.Errorf("key %q: want 16 hex digits", a)
	}
}

func TestPrototypesOf(t *testing.T) {
	row := func(x string) string { return strings.TrimSpace(strings.Repeat(x+" ", semantic.Dim)) }
	for _, c := range []struct {
		name string
		p    Prototypes
	}{
		{"short row", Prototypes{Keys: map[string]int{"a": 0}, Vectors: []string{"1 2 3"}}},
		{"zero row", Prototypes{Keys: map[string]int{"a": 0}, Vectors: []string{row("0")}}},
		{"not a number", Prototypes{Keys: map[string]int{"a": 0}, Vectors: []string{row("x")}}},
		{"key past the rows", Prototypes{Keys: map[string]int{"a": 0, "b": 1}, Vectors: []string{row("1")}}},
	} {
		if err := c.p.decode(); err == nil {
			t.Errorf("%s: decoded without an error", c.name)
		}
	}
	p := &Prototypes{Keys: map[string]int{"a": 0}, Vectors: []string{row("0.5")}}
	if err := p.decode(); err != nil {
		t.Fatal(err)
	}
	d := p.of("a")
	if d == nil {
		t.Fatal("a: no prototype")
	}
	n := float32(0)
	for _, x := range d {
		n += x * x
	}
	if n < 0.999 || n > 1.001 {
		t.Errorf("a: squared norm %v, want 1 (renormalised)", n)
	}
	if p.of("none") != nil {
		t.Error("a prototype for a key the file lacks")
	}
	var none *Prototypes
	if none.of("a") != nil {
		t.Error("nil Prototypes gave a prototype")
	}
}

// TestBuiltinAreasHavePrototypes: every area of the built-in guides, whose
// questions labelled answers were given to, finds its prototype in the
// embedded weights (cx-empathy's through the seed guide's areas).
func TestBuiltinAreasHavePrototypes(t *testing.T) {
	w, err := loadWeights()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"cx-empathy", "behavioral-core"} {
		g, ok := guide.Builtin(id)
		if !ok {
			t.Fatalf("no built-in guide %s", id)
		}
		have, all := 0, 0
		for _, q := range g.Questions {
			for _, a := range q.Areas {
				all++
				if w.Prototypes.of(AreaKey(a)) != nil {
					have++
				}
			}
		}
		if have != all {
			t.Errorf("%s: %d of %d areas have a prototype", id, have, all)
		}
	}
}

// TestDecodeWeightsRefusesBadPrototypes: the embedded file decodes; the same
// file with a prototype row cut short, or a key past the rows, does not.
func TestDecodeWeightsRefusesBadPrototypes(t *testing.T) {
	if _, err := DecodeWeights(weightsJSON); err != nil {
		t.Fatalf("the embedded weights: %v", err)
	}
	for name, mend := range map[string]func(p map[string]any){
		"short row": func(p map[string]any) { p["vectors"].([]any)[0] = "0.1 0.2" },
		"key past the rows": func(p map[string]any) {
			p["keys"].(map[string]any)["0000000000000000"] = float64(len(p["vectors"].([]any)))
		},
	} {
		err := decodeMended(t, func(raw map[string]any) { mend(raw["prototypes"].(map[string]any)) })
		if err == nil || !strings.Contains(err.Error(), "prototype") {
			t.Errorf("%s: DecodeWeights gave %v, want an error naming the prototype", name, err)
		}
	}
}
