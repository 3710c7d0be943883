package heuristic

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/candorhq/candor/analyzer/semantic"
)

// Learning prototypes from labelled answers: the training command learns the
// built-in guides' from the project's labelled evidence, and `candor guides
// prototypes` learns a team's own guide's from its labelled interviews, by
// the same code.

// ProtoBuilder sums, per area (by AreaKey), the directions of the units
// labelled as the area's evidence and of the other units of the same
// answers.
type ProtoBuilder struct {
	sums    map[string]*protoSums
	answers map[string]int
}

type protoSums struct {
	pos, neg   [semantic.Dim]float64
	nPos, nNeg int
}

// NewProtoBuilder returns an empty builder.
func NewProtoBuilder() *ProtoBuilder {
	return &ProtoBuilder{sums: map[string]*protoSums{}, answers: map[string]int{}}
}

// Add adds one answer's evidence for the area keyed key: units are the
// answer's traced units (Trace.Units), gold marks those inside the labelled
// evidence (GoldUnits).
func (b *ProtoBuilder) Add(key string, units []TraceUnit, gold []bool) {
	s := b.sums[key]
	if s == nil {
		s = &protoSums{}
		b.sums[key] = s
	}
	b.answers[key]++
	for u, tu := range units {
		if tu.Dir == nil || tu.Injected {
			continue
		}
		dst, n := &s.neg, &s.nNeg
		if gold[u] {
			dst, n = &s.pos, &s.nPos
		}
		for i, x := range tu.Dir {
			dst[i] += float64(x)
		}
		*n++
	}
}

// Answers is how many answers were added for the area keyed key.
func (b *ProtoBuilder) Answers(key string) int { return b.answers[key] }

// Build returns the prototypes of the areas with at least minAnswers
// answers, some evidence and some other units: for each, the mean
// direction of its evidence units less the mean direction of the other
// units, as a unit vector (a Rocchio prototype). alias gives more keys to
// a learned area (a key that has a prototype of its own keeps it).
func (b *ProtoBuilder) Build(minAnswers int, alias map[string]string) *Prototypes {
	p := &Prototypes{Keys: map[string]int{}}
	for _, k := range slices.Sorted(maps.Keys(b.sums)) {
		s := b.sums[k]
		if b.answers[k] < minAnswers || s.nPos == 0 || s.nNeg == 0 {
			continue
		}
		v := make([]float64, semantic.Dim)
		norm := 0.0
		for i := range v {
			v[i] = s.pos[i]/float64(s.nPos) - s.neg[i]/float64(s.nNeg)
			norm += v[i] * v[i]
		}
		if norm == 0 {
			continue
		}
		norm = math.Sqrt(norm)
		nums := make([]string, len(v))
		for i, x := range v {
			// Four decimals: the file stays readable and the engine
			// renormalises.
			nums[i] = strconv.FormatFloat(x/norm, 'f', 4, 64)
		}
		p.Keys[k] = len(p.Vectors)
		p.Vectors = append(p.Vectors, strings.Join(nums, " "))
	}
	for _, from := range slices.Sorted(maps.Keys(alias)) {
		if i, ok := p.Keys[alias[from]]; ok {
			if _, own := p.Keys[from]; !own {
				p.Keys[from] = i
			}
		}
	}
	return p
}

// GoldUnits marks the units of an answer (text, traced into units) that
// lie at least half inside one of the labelled evidence sentences, each an
// exact substring of text (every occurrence counts).
func GoldUnits(text string, units []TraceUnit, sentences []string) []bool {
	out := make([]bool, len(units))
	for _, s := range sentences {
		if s == "" {
			continue
		}
		for from := 0; ; {
			i := strings.Index(text[from:], s)
			if i < 0 {
				break
			}
			a, b := from+i, from+i+len(s)
			for k, u := range units {
				lo, hi := max(a, u.ByteStart), min(b, u.ByteEnd)
				if hi > lo && 2*(hi-lo) >= u.ByteEnd-u.ByteStart {
					out[k] = true
				}
			}
			from = b
		}
	}
	return out
}

// PrototypeFile is what `candor guides prototypes` writes and `--prototypes`
// reads: a guide's prototypes learned from a team's labelled answers.
type PrototypeFile struct {
	// Format is "candor-prototypes/1".
	Format string `json:"format"`
	// Guide is the id of the guide the labels were written against.
	Guide string `json:"guide"`
	// Engine is the engine version that traced the answers.
	Engine string `json:"engine"`
	// Areas says, per area of the guide, how many labelled answers gave
	// it evidence and whether it has a prototype.
	Areas      []PrototypeArea `json:"areas"`
	Prototypes *Prototypes     `json:"prototypes"`
}

// PrototypeArea is one area's line of a PrototypeFile.
type PrototypeArea struct {
	Question  string `json:"question_id"`
	Area      int    `json:"area"` // 1-based
	Answers   int    `json:"answers"`
	Prototype bool   `json:"prototype"`
}

// PrototypeFormat is PrototypeFile.Format.
const PrototypeFormat = "candor-prototypes/1"

// DecodePrototypeFile reads and checks a prototype file.
func DecodePrototypeFile(b []byte) (*PrototypeFile, error) {
	var f PrototypeFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("prototype file: %w", err)
	}
	if f.Format != PrototypeFormat {
		return nil, fmt.Errorf("prototype file: format %q, want %q", f.Format, PrototypeFormat)
	}
	if f.Prototypes == nil {
		return nil, fmt.Errorf("prototype file: no prototypes")
	}
	if err := f.Prototypes.decode(); err != nil {
		return nil, fmt.Errorf("prototype file: %w", err)
	}
	return &f, nil
}

// NewWithPrototypes returns the embedded engine with prototypes of its own:
// an area they key is quoted with its prototype, before the built-in
// ones. Its version (Info) names them by a hash of their vectors, so that
// a report says which were used and a cache never mixes analyses.
func NewWithPrototypes(p *Prototypes) (*Engine, error) {
	if p.dirs == nil {
		if err := p.decode(); err != nil {
			return nil, err
		}
	}
	h := sha256.New()
	for _, k := range slices.Sorted(maps.Keys(p.Keys)) {
		fmt.Fprintf(h, "%s %s\n", k, p.Vectors[p.Keys[k]])
	}
	return &Engine{protos: p, protoID: hex.EncodeToString(h.Sum(nil))[:8]}, nil
}

// prototype is the area's prototype: the engine's own, else the weights'.
func (e *Engine) prototype(w *Weights, key string) *[semantic.Dim]float32 {
	if d := e.protos.of(key); d != nil {
		return d
	}
	return w.Prototypes.of(key)
}
