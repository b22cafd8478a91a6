package main

import (
	"runtime"
	"runtime/debug"
	"testing"
)

func TestGCPercentFor(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		live, floor, want int64
	}{
		{6 * mb, 64 * mb, 966},  // a small heap: collected at the floor
		{32 * mb, 64 * mb, 100}, // twice the live heap reaches the floor
		{500 * mb, 64 * mb, 100},
		{6 * mb, 0, 100}, // no floor: Go's default
		{0, 64 * mb, 100},
	} {
		if got := gcPercentFor(c.live, c.floor); got != c.want {
			t.Errorf("gcPercentFor(%d MB, %d MB) = %d, want %d", c.live/mb, c.floor/mb, got, c.want)
		}
	}
}

// After a collection the floor is in force: the heap goal is the floor,
// not twice the live heap; a floor of 0 gives Go's default back.
func TestHeapFloorFollowsTheLiveHeap(t *testing.T) {
	t.Setenv("GOGC", "")
	defer heapFloor(0)
	heapFloor(256 << 20)
	runtime.GC()
	runtime.GC() // the finalizer of the first cycle has run
	if p := debug.SetGCPercent(-1); p <= 100 {
		t.Errorf("GOGC %d with a live heap of %d MB and a floor of 256 MB, want > 100", p, liveHeap()>>20)
	} else {
		debug.SetGCPercent(p)
	}
	heapFloor(0)
	if p := debug.SetGCPercent(-1); p != 100 {
		t.Errorf("GOGC %d without a floor, want 100", p)
	} else {
		debug.SetGCPercent(p)
	}
}
