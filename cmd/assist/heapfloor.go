package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
)

// The server's Go heap is small (a few MB live: the models, the stores'
// page caches and ONNX Runtime live outside it) while a bot turn allocates
// tens to hundreds of KB, so with Go's default GOGC=100 the collector ran
// every 20 or so help-center turns, and on one core its mark work (a few
// ms) landed on the turns it overlapped: most of the slowest turns of
// BenchmarkTurn. A heap floor lets the heap grow to at least floor bytes
// before a collection, so a small heap is collected several times less
// often, and a heap past the floor is collected as GOGC=100 would.
//
// heapFloor sets the floor (runtime.heap_floor_mb; 0 restores Go's
// default). A GOGC set in the environment wins: the floor is not applied.
func heapFloor(bytes int64) {
	if os.Getenv("GOGC") != "" {
		return
	}
	floor.Store(bytes)
	floorOnce.Do(func() { runtime.SetFinalizer(new(gcCycle), retune) })
	tune()
}

var (
	floor     atomic.Int64
	floorOnce sync.Once
	lastGOGC  atomic.Int64 // the percent in force, 0 before the first tune
)

// gcCycle is a sentinel whose finalizer runs once after each collection
// and re-arms itself: the live heap is then known.
type gcCycle struct{ _ [16]byte }

func retune(c *gcCycle) {
	tune()
	runtime.SetFinalizer(c, retune)
}

// tune sets GOGC so the next collection starts at max(2 × live, floor).
func tune() {
	percent := gcPercentFor(liveHeap(), floor.Load())
	// SetGCPercent stops the world briefly: only on a real change.
	if old := lastGOGC.Load(); old == 0 || math.Abs(float64(percent-old)) > 0.1*float64(old) {
		lastGOGC.Store(percent)
		debug.SetGCPercent(int(percent))
	}
}

// gcPercentFor is the GOGC that puts the heap goal at the floor for this
// live heap, and never below Go's default of 100.
func gcPercentFor(live, floor int64) int64 {
	if floor <= 0 || live <= 0 || 2*live >= floor {
		return 100
	}
	return floor*100/live - 100
}

// liveHeap is the heap marked live by the last collection.
func liveHeap() int64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64())
}
