package qdrant

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/assistd/assist/rag"
)

const benchDim = 384

func benchVector(r *rand.Rand) []float32 {
	v := make([]float32, benchDim)
	for i := range v {
		v[i] = float32(r.NormFloat64())
	}
	return v
}

func benchTerms(r *rand.Rand, n int) []string {
	t := make([]string, n)
	for i := range t {
		t[i] = fmt.Sprint("term", r.IntN(5000))
	}
	return t
}

// BenchmarkUpsertRequest builds the points of a 100-chunk document (40
// terms and a 384-float vector each).
func BenchmarkUpsertRequest(b *testing.B) {
	ix := &Index{collection: "bench", dim: benchDim, candidates: DefaultCandidates}
	r := rand.New(rand.NewPCG(1, 2))
	k := rag.DocKey{TenantID: "tenant", KB: "help", Doc: "doc"}
	chunks := make([]rag.Chunk, 100)
	for i := range chunks {
		chunks[i] = rag.Chunk{DocKey: k, Ord: i, Title: "Returns", Lang: "en", HeadingPath: []string{"Help", "Returns"},
			UpdatedAt: time.Unix(1700000000, 0), Text: "some text of a chunk of about this size", Terms: benchTerms(r, 40), Vector: benchVector(r)}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ix.points(k, chunks); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQueryPlan builds a hybrid search (12 terms, a 384-float vector)
// with equal and with unequal weights.
func BenchmarkQueryPlan(b *testing.B) {
	ix := &Index{collection: "bench", dim: benchDim, candidates: DefaultCandidates}
	r := rand.New(rand.NewPCG(3, 4))
	for _, w := range []float64{1, 0.5} {
		q := rag.Query{Filter: rag.Filter{TenantID: "tenant", KB: "help", Lang: "zh"}, Terms: benchTerms(r, 12), Vector: benchVector(r), Limit: 5, KeywordWeight: w, DenseWeight: 1}
		b.Run(fmt.Sprintf("keyword_weight=%g", w), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ix.plan(q, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestSparse(t *testing.T) {
	idx, val := sparse([]string{"b", "a", "b", "", "c", "b"})
	want := map[uint32]float32{SparseIndex("a"): 1, SparseIndex("b"): 3, SparseIndex("c"): 1}
	if len(idx) != 3 || len(val) != 3 {
		t.Fatalf("sparse = %v %v", idx, val)
	}
	for i, x := range idx {
		if i > 0 && idx[i-1] >= x {
			t.Errorf("indices not ascending: %v", idx)
		}
		if want[x] != val[i] {
			t.Errorf("index %d: tf %g, want %g", x, val[i], want[x])
		}
	}
	if idx, val := sparse(nil); len(idx) != 0 || len(val) != 0 {
		t.Errorf("sparse(nil) = %v %v", idx, val)
	}
}
