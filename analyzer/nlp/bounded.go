package nlp

import "sync"

// BoundedMap is a concurrency-safe map that stops taking new keys at a
// fixed size: a memo of what is derived from text (lemmas, word facts),
// which hostile input must not grow without bound. Reads take a shared
// lock, cheaper than sync.Map for the small keys used here.
type BoundedMap[K comparable, V any] struct {
	mu  sync.RWMutex
	m   map[K]V
	max int
}

// NewBoundedMap returns a BoundedMap that holds at most max keys.
func NewBoundedMap[K comparable, V any](max int) *BoundedMap[K, V] {
	return &BoundedMap[K, V]{m: make(map[K]V), max: max}
}

// Get returns the value stored for k.
func (b *BoundedMap[K, V]) Get(k K) (V, bool) {
	b.mu.RLock()
	v, ok := b.m[k]
	b.mu.RUnlock()
	return v, ok
}

// Put stores v for k unless the map is full.
func (b *BoundedMap[K, V]) Put(k K, v V) {
	b.mu.Lock()
	if len(b.m) < b.max {
		b.m[k] = v
	}
	b.mu.Unlock()
}
