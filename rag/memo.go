package rag

import (
	"slices"
	"sync"
)

// memo remembers the results of a pure function of a string (the terms
// of a text, whether it carries a figure): the same article sections are
// analysed again for every question a knowledge base answers. It holds at
// most size entries and starts afresh when full, so it needs no
// invalidation (a result depends on the text alone) and cannot grow
// without bound.
//
// Its results are shared between goroutines and tenants: a slice is kept
// clipped (remember), so a caller's append copies it, and a caller that
// changes a slice's elements clones it first.
type memo[K comparable, V any] struct {
	mu   sync.Mutex
	m    map[K]V
	size int // the most entries kept; 0 means questionMemoSize
}

// questionMemoSize is the most entries a memo keeps unless it says
// otherwise: a memo keyed by a customer's question (which may hold a
// phone number or an address, and seldom comes again) keeps the last
// few, enough for the drafts of the turns in flight.
const questionMemoSize = 256

// articleMemoSize is the size of a memo keyed by pieces of the articles
// (never by a customer's question): more than the sections of the demo
// help center's articles in both languages. A memo of words or flags
// keeps a few MB at most; one of vectors more (sentenceCodes: 6 MB with
// the shipped question encoder).
const articleMemoSize = 8192

// memoMaxText is the longest text remembered; longer ones (whole
// documents) are rare and analysed each time.
const memoMaxText = 4096

// do is fn's result for k: remembered, or computed and remembered. n is
// the length of the text k stands for: a text longer than memoMaxText is
// computed each time and not kept.
func (c *memo[K, V]) do(k K, n int, fn func() V) V {
	if n > memoMaxText {
		return fn()
	}
	if v, ok := c.get(k); ok {
		return v
	}
	v := fn()
	c.put(k, v)
	return v
}

// remember is c.do for a memo of slices: the slice kept and handed out is
// clipped, so an append to it never writes into the memo's array.
func remember[K comparable, E any](c *memo[K, []E], k K, n int, fn func() []E) []E {
	return c.do(k, n, func() []E { return slices.Clip(fn()) })
}

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
		size = questionMemoSize
	}
	if c.m == nil || len(c.m) >= size {
		c.m = make(map[K]V, min(size, 256))
	}
	c.m[k] = v
	c.mu.Unlock()
}
