package strtab

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

func TestTable(t *testing.T) {
	words := []string{"the", "because", "", "refund", "the", "café", "x"}
	for _, tab := range []*Table{New(words), Split([]byte(strings.Join(words, "\n")), '\n')} {
		if tab.Len() != len(words) {
			t.Fatalf("Len %d, want %d", tab.Len(), len(words))
		}
		want := map[string]int{}
		for i, w := range words {
			if tab.At(i) != w {
				t.Errorf("At(%d) = %q, want %q", i, tab.At(i), w)
			}
			want[w] = i // a map filled in order: the last place wins
		}
		for w, i := range want {
			if got, ok := tab.Index(w); !ok || got != i {
				t.Errorf("Index(%q) = %d, %v; want %d", w, got, ok, i)
			}
			if got, ok := tab.IndexBytes([]byte(w)); !ok || got != i {
				t.Errorf("IndexBytes(%q) = %d, %v; want %d", w, got, ok, i)
			}
		}
		for _, w := range []string{"refunds", "th", "The", "because "} {
			if i, ok := tab.Index(w); ok {
				t.Errorf("Index(%q) found %d", w, i)
			}
		}
	}
	if _, ok := New(nil).Index("a"); ok {
		t.Error("empty table found a word")
	}
}

// TestManyWords checks the table against a map over enough words to
// collide in the hash.
func TestManyWords(t *testing.T) {
	var words []string
	for i := range 50_000 {
		words = append(words, fmt.Sprintf("w%d", i*7))
	}
	tab := New(words)
	for i, w := range words {
		if got, ok := tab.Index(w); !ok || got != i {
			t.Fatalf("Index(%q) = %d, %v; want %d", w, got, ok, i)
		}
		if _, ok := tab.Index(w + "_"); ok {
			t.Fatalf("Index(%q) found", w+"_")
		}
	}
}

// BenchmarkGC measures a full garbage collection with 200,000 words held,
// as a table and as the []string plus map it replaces.
func BenchmarkGC(b *testing.B) {
	gen := func() []string {
		words := make([]string, 200_000)
		for i := range words {
			words[i] = fmt.Sprintf("word%d", i)
		}
		return words
	}
	b.Run("strtab", func(b *testing.B) {
		tab := New(gen())
		runtime.GC()
		b.ReportAllocs()
		for b.Loop() {
			runtime.GC()
		}
		runtime.KeepAlive(tab)
	})
	b.Run("map", func(b *testing.B) {
		ws := gen()
		m := make(map[string]int, len(ws))
		for i, w := range ws {
			m[w] = i
		}
		runtime.GC()
		b.ReportAllocs()
		for b.Loop() {
			runtime.GC()
		}
		runtime.KeepAlive(m)
		runtime.KeepAlive(ws)
	})
}

func BenchmarkIndex(b *testing.B) {
	words := make([]string, 100_000)
	for i := range words {
		words[i] = fmt.Sprintf("word%d", i)
	}
	tab := New(words)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		tab.Index(words[i%len(words)])
		i++
	}
}
