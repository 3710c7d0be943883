// Package wordnet reads a WordNet 3.0 database (index.*, data.*, *.exc,
// cntlist.rev) and distils it into the compact table that the lexicon package
// embeds. It runs only at generation time, so it favours clarity over speed.
package wordnet

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/candorhq/candor/lexicon/internal/table"
)

// Options tune what the table keeps. The zero value is not useful; start
// from DefaultOptions.
type Options struct {
	// SensesPerPOS is how many of a lemma's senses to keep per part of
	// speech. WordNet lists senses most frequent first, and the rare tail
	// mostly adds noise (e.g. "deadline" as a line around a prison).
	SensesPerPOS int
	// MaxHypernymLemmas drops a noun hypernym (level 2 or 3) shared by more
	// lemmas than this: very general synsets such as "person" or "entity"
	// would otherwise make unrelated words look alike.
	MaxHypernymLemmas int
	// MaxTopHypernymLemmas is the same bound for verbs and for the nouns of
	// noun.Tops. It is lower because those sit near the top of shallow
	// hierarchies, so a modest count already means a very general synset:
	// the verbs "change", "communicate", "create", "give", "be", "act" and
	// the nouns "change", "event", "communication", "group", "feeling" are
	// all shared by 150-300 lemmas, while "measure" (134) still usefully
	// ties "metric" to "measure".
	MaxTopHypernymLemmas int
}

// DefaultOptions are the settings the committed table is generated with.
var DefaultOptions = Options{SensesPerPOS: 3, MaxHypernymLemmas: 300, MaxTopHypernymLemmas: 150}

// lexNounTops is the lexicographer file of the unique beginners.
const lexNounTops = 3

// particles are the second words of the two-word verbs that are kept
// ("follow_up", "check_in"); other multi-word lemmas are left out to keep
// the table small and because the engine matches single tokens.
var particles = map[string]bool{
	"up": true, "in": true, "out": true, "back": true, "off": true, "on": true,
	"down": true, "over": true, "through": true, "around": true, "away": true,
	"along": true, "ahead": true, "forward": true, "together": true,
}

type posInfo struct {
	name string // file suffix
	bit  uint8
	char byte
}

var poses = []posInfo{
	{"noun", table.Noun, 'n'},
	{"verb", table.Verb, 'v'},
	{"adj", table.Adj, 'a'},
	{"adv", table.Adv, 'r'},
}

// key names a synset: data-file part of speech ('s' folded into 'a') and
// byte offset.
type key struct {
	pos byte
	off uint32
}

type pointer struct {
	sym    string
	target key
	src    uint8 // source word number, 0 for a semantic pointer
}

type synset struct {
	lex   uint8
	words []string
	ptrs  []pointer
}

// level1 lists the pointer symbols whose targets count as closely related
// (level 1) per part of speech: derivation for all, and for adjectives and
// adverbs the similar-to, pertainym, also-see and attribute links that tie
// "angry" to "anger" or "quickly" to "quick".
var level1 = map[byte][]string{
	'n': {"+", "="},
	'v': {"+"},
	'a': {"+", "&", "\\", "^", "="},
	'r': {"+", "\\"},
}

// Build reads the WordNet database in dir and returns the table.
func Build(dir string, opt Options) (*table.Table, error) {
	synsets := map[key]*synset{}
	senses := map[string]map[byte][]key{} // lemma -> pos -> kept synsets
	for _, p := range poses {
		if err := readData(filepath.Join(dir, "data."+p.name), p.char, synsets); err != nil {
			return nil, err
		}
		if err := readIndex(filepath.Join(dir, "index."+p.name), p.char, opt.SensesPerPOS, senses); err != nil {
			return nil, err
		}
	}
	freq, err := readCounts(filepath.Join(dir, "cntlist.rev"))
	if err != nil {
		return nil, err
	}

	words := make([]string, 0, len(senses))
	for w := range senses {
		words = append(words, w)
	}
	slices.Sort(words)

	// Expand each lemma to its concepts, keeping the closest level.
	levels := make([]map[key]uint8, len(words))
	general := map[key]int{} // lemmas that reach a synset at level 2-3
	for i, w := range words {
		lv := map[key]uint8{}
		set := func(k key, l uint8) {
			if old, ok := lv[k]; !ok || l < old {
				lv[k] = l
			}
		}
		for pos, ks := range senses[w] {
			for _, k := range ks {
				s := synsets[k]
				if s == nil {
					return nil, fmt.Errorf("wordnet: %q: missing synset %c %d", w, k.pos, k.off)
				}
				set(k, 0)
				num := wordNumber(s, w)
				for _, ptr := range s.ptrs {
					if slices.Contains(level1[pos], ptr.sym) && (ptr.src == 0 || ptr.src == num) {
						set(ptr.target, 1)
					}
				}
				for _, h := range hypernyms(s) {
					set(h, 2)
					if hs := synsets[h]; hs != nil {
						for _, hh := range hypernyms(hs) {
							set(hh, 3)
						}
					}
				}
			}
		}
		for k, l := range lv {
			if l >= 2 {
				general[k]++
			}
		}
		levels[i] = lv
	}

	keep := func(k key, l uint8) bool {
		switch {
		case l < 2:
			return true
		case k.pos == 'v' || synsets[k].lex == lexNounTops:
			return general[k] <= opt.MaxTopHypernymLemmas
		default:
			return general[k] <= opt.MaxHypernymLemmas
		}
	}
	// Dense concept ids in (pos, offset) order: deterministic, and synsets
	// of one lexicographer file sit together, which helps compression.
	used := map[key]bool{}
	for _, lv := range levels {
		for k, l := range lv {
			if keep(k, l) {
				used[k] = true
			}
		}
	}
	keys := make([]key, 0, len(used))
	for k := range used {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(posRank(a.pos), posRank(b.pos)), cmp.Compare(a.off, b.off))
	})
	ids := make(map[key]uint32, len(keys))
	t := &table.Table{Words: words, ConceptLex: make([]uint8, len(keys))}
	for i, k := range keys {
		ids[k] = uint32(i)
		t.ConceptLex[i] = synsets[k].lex
	}

	index := make(map[string]uint32, len(words))
	for i, w := range words {
		index[w] = uint32(i)
		var bits uint8
		for _, p := range poses {
			if len(senses[w][p.char]) > 0 {
				bits |= p.bit
			}
		}
		t.POS = append(t.POS, bits)
		for _, p := range poses {
			t.Freq = append(t.Freq, freq[w][p.bit])
		}
		start := len(t.Concepts)
		for k, l := range levels[i] {
			if id, ok := ids[k]; ok && keep(k, l) {
				t.Concepts = append(t.Concepts, table.Concept{ID: id, Level: l})
			}
		}
		slices.SortFunc(t.Concepts[start:], func(a, b table.Concept) int { return cmp.Compare(a.ID, b.ID) })
		t.ConceptEnd = append(t.ConceptEnd, uint32(len(t.Concepts)))
	}

	type exc struct {
		form string
		pos  uint8
		base uint32
	}
	var excs []exc
	for _, p := range poses {
		err := eachLine(filepath.Join(dir, p.name+".exc"), func(f []string) error {
			if len(f) < 2 || !singleWord(f[0]) {
				return nil
			}
			for _, b := range f[1:] {
				if i, ok := index[b]; ok && t.POS[i]&p.bit != 0 {
					excs = append(excs, exc{f[0], p.bit, i})
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	slices.SortFunc(excs, func(a, b exc) int {
		return cmp.Or(strings.Compare(a.form, b.form), cmp.Compare(a.pos, b.pos), cmp.Compare(a.base, b.base))
	})
	excs = slices.Compact(excs)
	for _, e := range excs {
		t.ExcForm = append(t.ExcForm, e.form)
		t.ExcPOS = append(t.ExcPOS, e.pos)
		t.ExcBase = append(t.ExcBase, e.base)
	}
	return t, nil
}

func posRank(p byte) int { return strings.IndexByte("nvar", p) }

func hypernyms(s *synset) []key {
	var out []key
	for _, p := range s.ptrs {
		if p.sym == "@" || p.sym == "@i" {
			out = append(out, p.target)
		}
	}
	return out
}

// wordNumber is the 1-based position of w in s, which lexical pointers use
// to say which word of the synset they start from.
func wordNumber(s *synset, w string) uint8 {
	for i, x := range s.words {
		if x == w {
			return uint8(i + 1)
		}
	}
	return 0
}

// singleWord accepts the lemma shapes the engine's tokenizer can produce:
// lower-case letters with inner hyphens or apostrophes.
func singleWord(w string) bool {
	if w == "" || w[0] < 'a' || w[0] > 'z' {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !(c >= 'a' && c <= 'z' || c == '-' || c == '\'') {
			return false
		}
	}
	return true
}

func keepLemma(w string, pos byte) bool {
	if singleWord(w) {
		return true
	}
	first, second, ok := strings.Cut(w, "_")
	return ok && pos == 'v' && singleWord(first) && particles[second]
}

// eachLine calls fn with the space-separated fields of every line of a
// WordNet file, skipping the licence header (lines starting with a space).
func eachLine(path string, fn func([]string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("wordnet: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == ' ' {
			continue
		}
		if err := fn(strings.Fields(line)); err != nil {
			return fmt.Errorf("wordnet: %s: %w", filepath.Base(path), err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("wordnet: %s: %w", filepath.Base(path), err)
	}
	return nil
}

var errSyntax = errors.New("malformed line")

// readIndex records the first n synsets of every kept lemma. Index lines
// are: lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt
// synset_offset... with offsets in decreasing sense frequency.
func readIndex(path string, pos byte, n int, senses map[string]map[byte][]key) error {
	return eachLine(path, func(f []string) error {
		if len(f) < 6 {
			return errSyntax
		}
		w := f[0]
		if !keepLemma(w, pos) {
			return nil
		}
		cnt, err1 := strconv.Atoi(f[2])
		pc, err2 := strconv.Atoi(f[3])
		if err1 != nil || err2 != nil || len(f) != 4+pc+2+cnt {
			return errSyntax
		}
		offs := f[4+pc+2:]
		if len(offs) > n {
			offs = offs[:n]
		}
		if senses[w] == nil {
			senses[w] = map[byte][]key{}
		}
		for _, o := range offs {
			off, err := strconv.ParseUint(o, 10, 32)
			if err != nil {
				return errSyntax
			}
			senses[w][pos] = append(senses[w][pos], key{pos, uint32(off)})
		}
		return nil
	})
}

// readData parses synset lines: offset lex_filenum ss_type w_cnt(hex)
// [word lex_id]... p_cnt [symbol offset pos source/target(hex)]... | gloss.
func readData(path string, pos byte, out map[key]*synset) error {
	return eachLine(path, func(f []string) error {
		if len(f) < 4 {
			return errSyntax
		}
		off, err := strconv.ParseUint(f[0], 10, 32)
		if err != nil {
			return errSyntax
		}
		lex, err := strconv.ParseUint(f[1], 10, 8)
		if err != nil || lex >= table.NumLexFiles {
			return errSyntax
		}
		wc, err := strconv.ParseUint(f[3], 16, 8)
		if err != nil || len(f) < 4+2*int(wc)+1 {
			return errSyntax
		}
		s := &synset{lex: uint8(lex)}
		for i := range int(wc) {
			w := strings.ToLower(f[4+2*i])
			if j := strings.IndexByte(w, '('); j > 0 { // adjective marker: "galore(ip)"
				w = w[:j]
			}
			s.words = append(s.words, w)
		}
		rest := f[4+2*wc:]
		pc, err := strconv.Atoi(rest[0])
		if err != nil || len(rest) < 1+4*pc {
			return errSyntax
		}
		for i := range pc {
			p := rest[1+4*i : 5+4*i]
			toff, err := strconv.ParseUint(p[1], 10, 32)
			if err != nil || len(p[2]) != 1 || len(p[3]) != 4 {
				return errSyntax
			}
			tpos := p[2][0]
			if tpos == 's' {
				tpos = 'a'
			}
			src, err := strconv.ParseUint(p[3][:2], 16, 8)
			if err != nil {
				return errSyntax
			}
			s.ptrs = append(s.ptrs, pointer{sym: p[0], target: key{tpos, uint32(toff)}, src: uint8(src)})
		}
		out[key{pos, uint32(off)}] = s
		return nil
	})
}

// readCounts sums the SemCor tag counts of cntlist.rev per lemma and part of
// speech; the file is optional (some packagings leave it out), in which case
// all counts are 0. A sense key reads lemma%ss_type:lex_filenum:...
func readCounts(path string) (map[string]map[uint8]uint32, error) {
	counts := map[string]map[uint8]uint32{}
	err := eachLine(path, func(f []string) error {
		if len(f) != 3 {
			return errSyntax
		}
		lemma, rest, ok := strings.Cut(f[0], "%")
		n, err := strconv.ParseUint(f[2], 10, 32)
		if !ok || err != nil || rest == "" {
			return errSyntax
		}
		bit := map[byte]uint8{'1': table.Noun, '2': table.Verb, '3': table.Adj, '4': table.Adv, '5': table.Adj}[rest[0]]
		if bit == 0 {
			return errSyntax
		}
		lemma = strings.ToLower(lemma)
		if counts[lemma] == nil {
			counts[lemma] = map[uint8]uint32{}
		}
		counts[lemma][bit] += uint32(n)
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return counts, nil
	}
	return counts, err
}
