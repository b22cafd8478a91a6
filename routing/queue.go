package routing

import (
	"container/heap"
	"time"
)

// epoch is the origin of heap keys; any fixed instant works, a recent one
// keeps the numbers small.
var epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// heapKey is the time-invariant rank of a queued conversation: higher
// first. See the package documentation.
func heapKey(base, agingPerMinute float64, enqueued time.Time) float64 {
	return base - agingPerMinute*enqueued.Sub(epoch).Minutes()
}

// queue is one skill's priority queue: a binary max-heap of entries.
type queue struct {
	skill string
	items []*entry
}

func before(a, b *entry) bool {
	if a.key != b.key {
		return a.key > b.key
	}
	return a.seq < b.seq
}

func (q *queue) Len() int           { return len(q.items) }
func (q *queue) Less(i, j int) bool { return before(q.items[i], q.items[j]) }
func (q *queue) Swap(i, j int) {
	q.items[i], q.items[j] = q.items[j], q.items[i]
	q.items[i].index = i
	q.items[j].index = j
}
func (q *queue) Push(x any) {
	e := x.(*entry)
	e.index = len(q.items)
	q.items = append(q.items, e)
}
func (q *queue) Pop() any {
	n := len(q.items) - 1
	e := q.items[n]
	q.items[n] = nil
	q.items = q.items[:n]
	e.index = -1
	return e
}

func (q *queue) add(e *entry) { heap.Push(q, e) }

func (q *queue) remove(e *entry) {
	if e.index >= 0 && e.index < len(q.items) && q.items[e.index] == e {
		heap.Remove(q, e.index)
	}
	e.index = -1
}

// position is e's 1-based rank in the queue.
func (q *queue) position(e *entry) int {
	n := 1
	for _, x := range q.items {
		if x != e && before(x, e) {
			n++
		}
	}
	return n
}

// each visits the entries in priority order until fn returns false,
// without changing the heap: a best-first walk of the heap tree with a
// small frontier heap, so visiting k entries costs O(k log k).
func (q *queue) each(fn func(e *entry) bool) {
	if len(q.items) == 0 {
		return
	}
	f := frontier{q: q, idx: []int{0}}
	for len(f.idx) > 0 {
		i := heap.Pop(&f).(int)
		if !fn(q.items[i]) {
			return
		}
		if l := 2*i + 1; l < len(q.items) {
			heap.Push(&f, l)
		}
		if r := 2*i + 2; r < len(q.items) {
			heap.Push(&f, r)
		}
	}
}

type frontier struct {
	q   *queue
	idx []int
}

func (f *frontier) Len() int           { return len(f.idx) }
func (f *frontier) Less(i, j int) bool { return before(f.q.items[f.idx[i]], f.q.items[f.idx[j]]) }
func (f *frontier) Swap(i, j int)      { f.idx[i], f.idx[j] = f.idx[j], f.idx[i] }
func (f *frontier) Push(x any)         { f.idx = append(f.idx, x.(int)) }
func (f *frontier) Pop() any {
	n := len(f.idx) - 1
	x := f.idx[n]
	f.idx = f.idx[:n]
	return x
}
