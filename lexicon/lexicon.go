// Package lexicon answers lexical questions offline from a compact table
// distilled from WordNet 3.0 and embedded in the binary: the base form of a
// word, its broad semantic categories, and how closely two words are related.
// Candor's engine uses it to see that an answer covers a guide's area in
// other words ("her voice was shaking" ~ "emotions").
//
// The table keeps single-word lemmas and common two-word phrasal verbs
// (written with an underscore, as WordNet does: "follow_up"), and for each
// lemma only its three most frequent senses per part of speech. All lookups
// are allocation-free and safe for concurrent use; the table is decoded on
// first use.
package lexicon

//go:generate go run ./internal/gen -wordnet /usr/share/wordnet -out table.bin.gz

import (
	_ "embed"
	"fmt"
	"github.com/candorhq/candor/internal/strtab"
	"sync"

	"github.com/candorhq/candor/lexicon/internal/table"
)

//go:embed table.bin.gz
var tableGz []byte

// Concept is a WordNet synset reachable from a lemma. IDs are dense and only
// meaningful within one build of the table; compare them, do not store them.
type Concept struct {
	ID uint32
	// Level says how the synset is reached: 0 a kept sense of the lemma,
	// 1 a derivationally related synset ("frustrate" -> "frustration") or,
	// for adjectives and adverbs, a similar, pertainym, also-see or
	// attribute link, 2 a hypernym of a level-0 synset, 3 a hypernym of a
	// level-2 one. Very general hypernyms are left out at levels 2 and 3.
	Level uint8
}

// lexTable is the decoded table, laid out flat so that lookups touch a few
// slices and allocate nothing.
type lexTable struct {
	// words are WordNet's lemmas and exc the irregular forms (with
	// excRanges, their bases), in tables the garbage collector never scans
	// (internal/strtab).
	words      *strtab.Table
	pos        []uint8
	freq       []uint32
	conEnd     []uint32
	concepts   []Concept
	conceptLex []uint8
	exc        *strtab.Table
	excRanges  []excRange
	excPOS     []uint8
	excBase    []uint32
}

// excRange locates an irregular form's bases in excPOS/excBase.
type excRange struct{ start, end uint32 }

var (
	loadOnce sync.Once
	loaded   *lexTable
)

// get returns the decoded table. The table is generated and tested with
// the package, so failing to decode it is a build defect, not a runtime
// condition callers could handle: it panics.
func get() *lexTable {
	loadOnce.Do(func() {
		t, err := decode(tableGz)
		if err != nil {
			panic(fmt.Sprintf("lexicon: embedded table: %v", err))
		}
		loaded = t
	})
	return loaded
}

func decode(gz []byte) (*lexTable, error) {
	raw, err := table.ReadGzip(gz)
	if err != nil {
		return nil, err
	}
	t := &lexTable{
		words:      strtab.New(raw.Words),
		pos:        raw.POS,
		freq:       raw.Freq,
		conEnd:     raw.ConceptEnd,
		concepts:   make([]Concept, len(raw.Concepts)),
		conceptLex: raw.ConceptLex,
		excPOS:     raw.ExcPOS,
		excBase:    raw.ExcBase,
	}
	for i, c := range raw.Concepts {
		t.concepts[i] = Concept(c)
	}
	var forms []string
	for i := 0; i < len(raw.ExcForm); {
		j := i + 1
		for j < len(raw.ExcForm) && raw.ExcForm[j] == raw.ExcForm[i] {
			j++
		}
		forms = append(forms, raw.ExcForm[i])
		t.excRanges = append(t.excRanges, excRange{uint32(i), uint32(j)})
		i = j
	}
	t.exc = strtab.New(forms)
	return t, nil
}

// lookup returns the lemma number of w.
func (t *lexTable) lookup(w string) (uint32, bool) {
	i, ok := t.words.Index(w)
	return uint32(i), ok
}

func (t *lexTable) conceptsOf(i uint32) []Concept {
	start := uint32(0)
	if i > 0 {
		start = t.conEnd[i-1]
	}
	end := t.conEnd[i]
	return t.concepts[start:end:end]
}

// Concepts returns the lemma's concepts sorted by ID, or nil for a word not
// in the table. The slice is shared with the table: it must not be modified.
func Concepts(lemma string) []Concept {
	t := get()
	i, ok := t.lookup(lemma)
	if !ok {
		return nil
	}
	return t.conceptsOf(i)
}

// Classes returns the lexicographer categories of the lemma's kept senses
// in every part of speech; 0 for a word not in the table. It does not
// lemmatise: pass Lemma(word).
func Classes(lemma string) Class { return ClassesPOS(lemma, 0) }

// ClassesPOS is Classes restricted to one part of speech: 'n' noun, 'v'
// verb, 'a' adjective (satellites included), 'r' adverb. Any other pos
// byte, 0 included, means all parts of speech.
func ClassesPOS(lemma string, pos byte) Class {
	t := get()
	i, ok := t.lookup(lemma)
	if !ok {
		return 0
	}
	all := pos != 'n' && pos != 'v' && pos != 'a' && pos != 'r'
	var c Class
	for _, con := range t.conceptsOf(i) {
		if con.Level != 0 {
			continue
		}
		lex := t.conceptLex[con.ID]
		if int(lex) < len(lexPOS) && (all || lexPOS[lex] == pos) {
			c |= 1 << lex
		}
	}
	return c
}

// posStrings holds every subset of "nvar" so that POS need not allocate.
var posStrings = func() (s [16]string) {
	for m := range s {
		for b, ch := range "nvar" {
			if m&(1<<b) != 0 {
				s[m] += string(ch)
			}
		}
	}
	return s
}()

// POS returns the parts of speech the lemma has in the table as a subset of
// "nvar" in that order (noun, verb, adjective, adverb), e.g. "nv" for
// "shake", or "" for a word not in the table.
func POS(lemma string) string {
	t := get()
	i, ok := t.lookup(lemma)
	if !ok {
		return ""
	}
	return posStrings[t.pos[i]&15]
}

// levelWeight scores a shared concept by the farther of the two levels at
// which the lemmas reach it.
var levelWeight = [4]float64{0.9, 0.7, 0.4, 0.2}

// Similarity returns 1 when a and b are the same non-empty string, else a
// weight in [0, 1] from the closest concept the two lemmas share: 0.9 when
// they share a sense (synonyms), 0.7 when one derives from the other or
// both derive from one synset, 0.4 when a hypernym is involved (one is the
// other's parent, or they are siblings) and 0.2 two steps up; 0 when
// nothing is shared or a word is not in the table. Like Classes it does not
// lemmatise.
func Similarity(a, b string) float64 {
	if a == b {
		if a == "" {
			return 0
		}
		return 1
	}
	return SimilarityOf(Index(a), Index(b))
}

// Index returns a lemma's entry in the table, or -1 when it has none:
// callers comparing the same words many times look them up once and use
// SimilarityOf.
func Index(lemma string) int32 {
	i, ok := get().lookup(lemma)
	if !ok {
		return -1
	}
	return int32(i)
}

// Closest is the closest level at which two concept lists (sorted by id,
// as Concepts returns them) share a concept: the larger of the two
// levels, minimised over the shared concepts; 4 when they share none.
func Closest(ca, cb []Concept) uint8 {
	best := uint8(4)
	for x, y := 0, 0; x < len(ca) && y < len(cb); {
		switch {
		case ca[x].ID < cb[y].ID:
			x++
		case ca[x].ID > cb[y].ID:
			y++
		default:
			if l := max(ca[x].Level, cb[y].Level); l < best {
				if best = l; best == 0 {
					return 0
				}
			}
			x++
			y++
		}
	}
	return best
}

// SimilarityOf is Similarity for two entries (from Index) of different
// lemmas; an entry of -1 relates to nothing.
func SimilarityOf(i, j int32) float64 {
	if i < 0 || j < 0 {
		return 0
	}
	t := get()
	best := Closest(t.conceptsOf(uint32(i)), t.conceptsOf(uint32(j)))
	if best > 3 {
		return 0
	}
	return levelWeight[best]
}
