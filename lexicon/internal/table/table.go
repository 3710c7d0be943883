// Package table defines the binary format of Candor's embedded lexical table,
// shared by the generator that writes it and the lexicon package that reads it.
//
// The format is column-oriented (all lemma strings, then all part-of-speech
// bytes, then all frequencies, ...) because similar values next to each other
// compress far better under gzip than interleaved records do. Integers are
// unsigned varints; strings are front-coded against the previous string of
// the same column, which is sorted.
package table

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Magic opens every table so that a wrong or truncated file is recognised
// before any section is decoded.
const Magic = "CANDORLEX\n"

// Version is the format version recorded after Magic. Bump it whenever the
// layout or the meaning of a field changes, so that a stale committed table
// fails its header test instead of being misread.
const Version = 2

// Part-of-speech bits used in Table.POS and Table.ExcPOS.
const (
	Noun uint8 = 1 << iota
	Verb
	Adj
	Adv
)

// NumLexFiles is the number of WordNet lexicographer files (categories).
const NumLexFiles = 45

// Concept is one synset reachable from a lemma, with its closeness level.
type Concept struct {
	ID    uint32
	Level uint8
}

// Table is the decoded content. Per-lemma data are parallel slices indexed
// by lemma number; the concepts of lemma i are
// Concepts[ConceptEnd[i-1]:ConceptEnd[i]] (ConceptEnd[-1] taken as 0).
type Table struct {
	Words      []string  // lemmas, sorted, unique
	POS        []uint8   // part-of-speech bits of each lemma
	Freq       []uint32  // sense-tag counts (cntlist.rev) of each lemma per POS: 4 per lemma, noun verb adj adv
	ConceptEnd []uint32  // end offset of each lemma's concepts in Concepts
	Concepts   []Concept // per lemma, sorted by ID, levels 0..3
	ConceptLex []uint8   // lexicographer file number of each concept ID

	// Exceptions (WordNet *.exc) map irregular forms to lemma numbers;
	// sorted by form, then POS, then base.
	ExcForm []string
	ExcPOS  []uint8
	ExcBase []uint32
}

// WriteGzip encodes t and gzips it with a zeroed header (no name, no mtime)
// so that the same input always yields the same bytes.
func WriteGzip(w io.Writer, t *Table) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	if err := Encode(zw, t); err != nil {
		return err
	}
	return zw.Close()
}

// Encode writes t uncompressed.
func Encode(w io.Writer, t *Table) error {
	if err := t.validate(); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	var tmp [binary.MaxVarintLen64]byte
	uv := func(x uint64) { bw.Write(tmp[:binary.PutUvarint(tmp[:], x)]) }
	strs := func(ss []string) {
		prev := ""
		for _, s := range ss {
			p := commonPrefix(prev, s)
			uv(uint64(p))
			uv(uint64(len(s) - p))
			bw.WriteString(s[p:])
			prev = s
		}
	}
	bw.WriteString(Magic)
	uv(Version)
	uv(uint64(len(t.Words)))
	uv(uint64(len(t.ConceptLex)))
	uv(uint64(len(t.Concepts)))
	uv(uint64(len(t.ExcForm)))
	strs(t.Words)
	bw.Write(t.POS)
	for _, f := range t.Freq {
		uv(uint64(f))
	}
	start := uint32(0)
	for _, end := range t.ConceptEnd {
		uv(uint64(end - start))
		start = end
	}
	start = 0
	for _, end := range t.ConceptEnd {
		prev := uint32(0)
		for _, c := range t.Concepts[start:end] {
			uv(uint64(c.ID-prev)<<2 | uint64(c.Level))
			prev = c.ID
		}
		start = end
	}
	bw.Write(t.ConceptLex)
	strs(t.ExcForm)
	bw.Write(t.ExcPOS)
	for _, b := range t.ExcBase {
		uv(uint64(b))
	}
	return bw.Flush()
}

func (t *Table) validate() error {
	n := len(t.Words)
	if len(t.POS) != n || len(t.Freq) != 4*n || len(t.ConceptEnd) != n {
		return errors.New("table: per-lemma columns differ in length")
	}
	for i := 1; i < n; i++ {
		if t.Words[i-1] >= t.Words[i] {
			return errors.New("table: words not sorted and unique")
		}
	}
	if len(t.ExcPOS) != len(t.ExcForm) || len(t.ExcBase) != len(t.ExcForm) {
		return errors.New("table: exception columns differ in length")
	}
	start := uint32(0)
	for i, end := range t.ConceptEnd {
		if end < start || int(end) > len(t.Concepts) {
			return fmt.Errorf("table: bad concept range for %q", t.Words[i])
		}
		for j := start; j < end; j++ {
			c := t.Concepts[j]
			if c.Level > 3 || int(c.ID) >= len(t.ConceptLex) || (j > start && c.ID <= t.Concepts[j-1].ID) {
				return fmt.Errorf("table: bad concept list for %q", t.Words[i])
			}
		}
		start = end
	}
	return nil
}

// ErrFormat reports a table that is not in this package's format.
var ErrFormat = errors.New("table: bad format")

// ReadGzip decodes a table written by WriteGzip.
func ReadGzip(data []byte) (*Table, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("table: %w", err)
	}
	// The gzip trailer records the uncompressed size (mod 2^32); reading
	// into a buffer of that size saves io.ReadAll's repeated growing.
	var buf bytes.Buffer
	if len(data) >= 4 {
		if n := binary.LittleEndian.Uint32(data[len(data)-4:]); n < 1<<28 {
			buf.Grow(int(n) + bytes.MinRead)
		}
	}
	if _, err := buf.ReadFrom(zr); err != nil {
		return nil, fmt.Errorf("table: %w", err)
	}
	return Decode(buf.Bytes())
}

// Header returns the format version recorded in a raw (uncompressed) table.
func Header(raw []byte) (version uint64, err error) {
	if !bytes.HasPrefix(raw, []byte(Magic)) {
		return 0, ErrFormat
	}
	v, n := binary.Uvarint(raw[len(Magic):])
	if n <= 0 {
		return 0, ErrFormat
	}
	return v, nil
}

// decoder reads varints from a byte slice, remembering the first error so
// that the section loops stay short.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) uv() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = ErrFormat
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) bytes(n uint64) []byte {
	if d.err != nil || n > uint64(len(d.b)) {
		d.err = ErrFormat
		return nil
	}
	out := d.b[:n:n]
	d.b = d.b[n:]
	return out
}

// strs decodes n front-coded strings into one backing string, so that the
// whole column costs two allocations however many strings it has.
func (d *decoder) strs(n uint64) []string {
	if n > uint64(len(d.b)) {
		d.err = ErrFormat
		return nil
	}
	blob := make([]byte, 0, 12*n) // lemmas average under 10 bytes
	ends := make([]int, n)
	prevStart := 0
	for i := range ends {
		p, s := d.uv(), d.uv()
		if d.err != nil || p > uint64(len(blob)-prevStart) {
			d.err = ErrFormat
			return nil
		}
		suffix := d.bytes(s)
		if d.err != nil {
			return nil
		}
		start := len(blob)
		blob = append(blob, blob[prevStart:prevStart+int(p)]...)
		blob = append(blob, suffix...)
		prevStart = start
		ends[i] = len(blob)
	}
	all := string(blob)
	out := make([]string, n)
	start := 0
	for i, e := range ends {
		out[i] = all[start:e]
		start = e
	}
	return out
}

// Decode parses a raw (uncompressed) table.
func Decode(raw []byte) (*Table, error) {
	v, err := Header(raw)
	if err != nil {
		return nil, err
	}
	if v != Version {
		return nil, fmt.Errorf("table: version %d, want %d: %w", v, Version, ErrFormat)
	}
	d := &decoder{b: raw[len(Magic):]}
	d.uv()
	nWords, nCon, nRefs, nExc := d.uv(), d.uv(), d.uv(), d.uv()
	if d.err != nil || nWords > uint64(len(raw)) || nCon > uint64(len(raw)) || nRefs > uint64(len(raw)) || nExc > uint64(len(raw)) {
		return nil, ErrFormat
	}
	t := &Table{}
	t.Words = d.strs(nWords)
	t.POS = d.bytes(nWords)
	t.Freq = make([]uint32, 4*nWords)
	for i := range t.Freq {
		t.Freq[i] = uint32(d.uv())
	}
	t.ConceptEnd = make([]uint32, nWords)
	end := uint64(0)
	for i := range t.ConceptEnd {
		end += d.uv()
		if end > nRefs {
			return nil, ErrFormat
		}
		t.ConceptEnd[i] = uint32(end)
	}
	if end != nRefs {
		return nil, ErrFormat
	}
	t.Concepts = make([]Concept, nRefs)
	start := uint32(0)
	for _, end := range t.ConceptEnd {
		id := uint64(0)
		for j := start; j < end; j++ {
			x := d.uv()
			id += x >> 2
			if id >= nCon {
				return nil, ErrFormat
			}
			t.Concepts[j] = Concept{ID: uint32(id), Level: uint8(x & 3)}
		}
		start = end
	}
	t.ConceptLex = d.bytes(nCon)
	t.ExcForm = d.strs(nExc)
	t.ExcPOS = d.bytes(nExc)
	t.ExcBase = make([]uint32, nExc)
	for i := range t.ExcBase {
		b := d.uv()
		if b >= nWords {
			return nil, ErrFormat
		}
		t.ExcBase[i] = uint32(b)
	}
	if d.err != nil {
		return nil, d.err
	}
	if len(d.b) != 0 {
		return nil, fmt.Errorf("table: %d trailing bytes: %w", len(d.b), ErrFormat)
	}
	// Lookups rely on these invariants (sorted, unique concept ids for the
	// similarity merge), so a table that breaks them is rejected here.
	if err := t.validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	return t, nil
}

func commonPrefix(a, b string) int {
	n := min(len(a), len(b), 255)
	i := 0
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}
