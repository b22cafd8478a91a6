package api

import (
	"fmt"
	"testing"
	"time"
)

// A flood of new keys (rotating addresses) cannot grow the bucket map past
// its bound while the earlier keys are idle.
func TestLimiterBounded(t *testing.T) {
	l := newLimiter(1, 1)
	now := time.Unix(0, 0)
	for i := range maxBuckets {
		l.allow(fmt.Sprint("ip:", i), now)
	}
	if len(l.buckets) != maxBuckets {
		t.Fatalf("%d buckets, want %d", len(l.buckets), maxBuckets)
	}
	later := now.Add(bucketBusy + time.Second)
	if ok, _ := l.allow("ip:new", later); !ok {
		t.Fatal("a new client was refused")
	}
	if len(l.buckets) != 1 {
		t.Fatalf("%d buckets after the bound was hit, want only the new one", len(l.buckets))
	}
	// A client seen recently keeps its (empty) bucket.
	if ok, _ := l.allow("ip:new", later); ok {
		t.Fatal("the new client's burst was not kept")
	}
}
