// Package strtab is a read-only table of strings that the garbage
// collector never has to scan: the strings live in one byte slice and are
// found through an open-addressing table of integers. It stands in for a
// []string plus a map[string]int where those hold hundreds of thousands of
// words for the life of the process (the word-vector vocabulary, WordNet's
// lemmas): as pointers, every garbage collection cycle would mark them all.
package strtab

import "unsafe"

// Table holds n strings, indexed 0..n-1.
type Table struct {
	blob  []byte   // the strings, back to back
	off   []uint32 // string i is blob[off[2i]:off[2i+1]]
	slots []uint32 // index+1 of the string hashed there, 0 for empty
	mask  uint32
}

// New builds a table of words. When a word occurs more than once, Index
// returns its last place, as a map filled in order would.
func New(words []string) *Table {
	size := 0
	for _, w := range words {
		size += len(w)
	}
	blob := make([]byte, 0, size)
	off := make([]uint32, 1, len(words)+1)
	for _, w := range words {
		blob = append(blob, w...)
		off = append(off, uint32(len(blob)))
	}
	return build(blob, off)
}

// Split builds a table over blob's sep-separated parts without copying
// them: blob must not change afterwards (an embedded file, say).
func Split(blob []byte, sep byte) *Table {
	t := &Table{blob: blob, off: make([]uint32, 0, 1024)}
	start := uint32(0)
	for i, c := range blob {
		if c == sep {
			t.off = append(t.off, start, uint32(i))
			start = uint32(i + 1)
		}
	}
	t.off = append(t.off, start, uint32(len(blob)))
	t.index()
	return t
}

func build(blob []byte, off []uint32) *Table {
	t := &Table{blob: blob, off: make([]uint32, 0, 2*(len(off)-1))}
	for i := 0; i+1 < len(off); i++ {
		t.off = append(t.off, off[i], off[i+1]) // (start, end) of string i
	}
	t.index()
	return t
}

// index fills the hash slots (load factor at most one half); a repeated
// string keeps its last place.
func (t *Table) index() {
	n := t.Len()
	size := uint32(1)
	for int(size) < 2*n+1 {
		size <<= 1
	}
	t.slots = make([]uint32, size)
	t.mask = size - 1
	for i := 0; i < n; i++ {
		s := t.At(i)
		for h := hash(s) & t.mask; ; h = (h + 1) & t.mask {
			v := t.slots[h]
			if v == 0 {
				t.slots[h] = uint32(i + 1)
				break
			}
			if t.At(int(v-1)) == s {
				t.slots[h] = uint32(i + 1)
				break
			}
		}
	}
}

// Len returns the number of strings.
func (t *Table) Len() int { return len(t.off) / 2 }

// At returns string i. It shares the table's memory: no allocation.
func (t *Table) At(i int) string {
	a, b := t.off[2*i], t.off[2*i+1]
	if a == b {
		return ""
	}
	return unsafe.String(&t.blob[a], int(b-a))
}

// Index returns the place of s, if the table holds it.
func (t *Table) Index(s string) (int, bool) {
	if len(t.slots) == 0 {
		return 0, false
	}
	for h := hash(s) & t.mask; ; h = (h + 1) & t.mask {
		v := t.slots[h]
		if v == 0 {
			return 0, false
		}
		if t.At(int(v-1)) == s {
			return int(v - 1), true
		}
	}
}

// IndexBytes is Index for a byte slice, without converting it.
func (t *Table) IndexBytes(b []byte) (int, bool) {
	if len(b) == 0 {
		return t.Index("")
	}
	return t.Index(unsafe.String(&b[0], len(b)))
}

// hash is 32-bit FNV-1a.
func hash(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}
