package rag

import "sync"

// memo remembers the results of a pure function of a string (the terms
// of a text, whether it carries a figure): the same article sections are
// analysed again for every question a knowledge base answers. It holds at
// most memoSize entries and starts afresh when full, so it needs no
// invalidation (a result depends on the text alone) and cannot grow
// without bound.
type memo[K comparable, V any] struct {
	mu   sync.Mutex
	m    map[K]V
	size int // the most entries kept; 0 means memoSize
}

// memoSize is the most entries a memo keeps: more than the sections of
// the demo help center's articles in both languages, a few MB at most.
const memoSize = 8192

// memoMaxText is the longest text remembered; longer ones (whole
// documents) are rare and analysed each time.
const memoMaxText = 4096

func (c *memo[K, V]) get(k K) (V, bool) {
	c.mu.Lock()
	v, ok := c.m[k]
	c.mu.Unlock()
	return v, ok
}

func (c *memo[K, V]) put(k K, v V) {
	c.mu.Lock()
	size := c.size
	if size == 0 {
		size = memoSize
	}
	if c.m == nil || len(c.m) >= size {
		c.m = make(map[K]V, min(size, 256))
	}
	c.m[k] = v
	c.mu.Unlock()
}
