package heuristic

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/candorhq/candor/analyzer/semantic"
)

// Prototypes are what labelled answers say an area's quote looks like: for
// an area of a question that labelled answers were given to, the direction
// in word-vector space from the mean of those answers' other sentences to
// the mean of the sentences labelled as its evidence (a Rocchio
// prototype). The training command learns them from the labelled evidence
// (testdata/eval/answers2.jsonl, the behavioural set and the dev answers'
// evidence_dev.jsonl) and keys each by AreaKey of the area's text, so a
// guide that words an area exactly as a labelled one (the seed guide, and
// the built-in guides) finds it; any other area has none, and its quote is
// picked as before by the quote model without them.
type Prototypes struct {
	// Keys maps an AreaKey to its row of Vectors; areas of two guides
	// that word one area differently (cx-empathy rewords the seed guide
	// area by area) share a row.
	Keys map[string]int `json:"keys"`
	// Vectors are unit vectors of semantic.Dim numbers, each written as
	// one string of numbers apart by spaces (one line of the file each).
	Vectors []string `json:"vectors"`

	dirs []*[semantic.Dim]float32 // Vectors read (decode); set before the weights are used
}

// AreaKey identifies an area's text for Prototypes: the sha256 of its words
// in lower case, one space apart, in 16 hex digits (the text itself is not
// stored: a guide's wording is its author's). Apostrophes are dropped and
// words are runs of letters and digits, so punctuation, spacing, case and
// curly quotes (a guide pasted from a word processor) do not change the key.
func AreaKey(text string) string {
	text = strings.Map(func(r rune) rune {
		if r == '\'' || r == '\u2019' {
			return -1
		}
		return unicode.ToLower(r)
	}, text)
	words := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	h := sha256.Sum256([]byte(strings.Join(words, " ")))
	return hex.EncodeToString(h[:8])
}

// of returns the prototype of the area keyed key, nil when there is none.
func (p *Prototypes) of(key string) *[semantic.Dim]float32 {
	if p == nil {
		return nil
	}
	i, ok := p.Keys[key]
	if !ok || i < 0 || i >= len(p.dirs) {
		return nil
	}
	return p.dirs[i]
}

// decode reads Vectors (stored to four decimals) as unit vectors into dirs.
// A row that is not Dim numbers, or is all zeros, and a key that names no
// row are errors: DecodeWeights refuses such a file.
func (p *Prototypes) decode() error {
	p.dirs = make([]*[semantic.Dim]float32, len(p.Vectors))
	for i, line := range p.Vectors {
		if p.dirs[i] = parseUnit(line); p.dirs[i] == nil {
			return fmt.Errorf("prototype row %d: want %d numbers, not all zero", i, semantic.Dim)
		}
	}
	for k, i := range p.Keys {
		if i < 0 || i >= len(p.Vectors) {
			return fmt.Errorf("prototype key %s: row %d of %d", k, i, len(p.Vectors))
		}
	}
	return nil
}

// parseUnit reads semantic.Dim numbers apart by spaces as a unit vector;
// nil when they are not that many numbers or all zero.
func parseUnit(line string) *[semantic.Dim]float32 {
	v := strings.Fields(line)
	if len(v) != semantic.Dim {
		return nil
	}
	var d [semantic.Dim]float32
	n := float32(0)
	for k, f := range v {
		x, err := strconv.ParseFloat(f, 32)
		if err != nil {
			return nil
		}
		d[k] = float32(x)
		n += d[k] * d[k]
	}
	if n == 0 {
		return nil
	}
	n = float32(math.Sqrt(float64(n)))
	for k := range d {
		d[k] /= n
	}
	return &d
}
