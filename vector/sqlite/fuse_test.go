package sqlite

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// A search without a query vector ranks as the fusion of both legs would:
// the same hits, scores and ranks, in the same order.
func TestKeywordOnlyIsFusion(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 7, 50, 120} {
		kw := make([]legHit, n)
		for i := range kw {
			kw[i] = legHit{rid: int64(r.IntN(1000) + i*1000), score: r.Float64() * 10}
		}
		for _, limit := range []int{1, 10, 50} {
			for _, wk := range []float64{1, 0.3} {
				got, want := fuse(kw, nil, wk, 1, limit), fuseLegs(kw, nil, wk, 1, limit)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("n=%d limit=%d wk=%g:\n got %+v\nwant %+v", n, limit, wk, got, want)
				}
			}
		}
	}
}

// BenchmarkFuse measures ranking the 50 rows of the keyword leg of a
// help-center search (no query vector) into its 10 hits.
func BenchmarkFuse(b *testing.B) {
	kw := make([]legHit, 50)
	for i := range kw {
		kw[i] = legHit{rid: int64(1000 - 7*i), score: 20 - float64(i)/3}
	}
	b.Run("keyword", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			fuse(kw, nil, 1, 1, 10)
		}
	})
	b.Run("legs", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			fuseLegs(kw, nil, 1, 1, 10)
		}
	})
}
