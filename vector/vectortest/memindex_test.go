package vectortest_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/assistd/assist/rag"
	"github.com/assistd/assist/vector/vectortest"
)

func TestMemIndex(t *testing.T) {
	vectortest.Run(t, func(t *testing.T, dim int) rag.Index { return vectortest.NewMemIndex(dim) })
}

// brokenIndex wraps a MemIndex and breaks one behaviour, to show the suite
// catches it.
type brokenIndex struct {
	*vectortest.MemIndex
	search func(context.Context, rag.Query) ([]rag.Hit, error)
	repl   func(context.Context, rag.DocKey, []rag.Chunk) error
}

func (b brokenIndex) Search(ctx context.Context, q rag.Query) ([]rag.Hit, error) {
	if b.search != nil {
		return b.search(ctx, q)
	}
	return b.MemIndex.Search(ctx, q)
}

func (b brokenIndex) Replace(ctx context.Context, k rag.DocKey, c []rag.Chunk) error {
	if b.repl != nil {
		return b.repl(ctx, k, c)
	}
	return b.MemIndex.Replace(ctx, k, c)
}

// broken lists indexes that each break one behaviour, and the subtest of
// the suite that must catch it.
var broken = []struct {
	name  string
	wrap  func(m *vectortest.MemIndex) rag.Index
	which string
}{
	{"ignores the tenant", func(m *vectortest.MemIndex) rag.Index {
		return brokenIndex{MemIndex: m, search: func(ctx context.Context, q rag.Query) ([]rag.Hit, error) {
			hits, err := m.Search(ctx, q)
			if err != nil {
				return nil, err
			}
			q.TenantID = "t2"
			more, _ := m.Search(ctx, q)
			return append(hits, more...), nil
		}}
	}, "TenantIsolation"},
	{"appends instead of replacing", func(m *vectortest.MemIndex) rag.Index {
		var mu sync.Mutex
		seen := map[rag.DocKey][]rag.Chunk{}
		return brokenIndex{MemIndex: m, repl: func(ctx context.Context, k rag.DocKey, c []rag.Chunk) error {
			mu.Lock()
			defer mu.Unlock()
			seen[k] = append(seen[k], c...)
			return m.Replace(ctx, k, seen[k])
		}}
	}, "ReplaceReplaces"},
	{"ignores weights", func(m *vectortest.MemIndex) rag.Index {
		return brokenIndex{MemIndex: m, search: func(ctx context.Context, q rag.Query) ([]rag.Hit, error) {
			q.KeywordWeight, q.DenseWeight = 1, 1
			return m.Search(ctx, q)
		}}
	}, "Weights"},
	{"drops the dense leg of hybrid queries", func(m *vectortest.MemIndex) rag.Index {
		return brokenIndex{MemIndex: m, search: func(ctx context.Context, q rag.Query) ([]rag.Hit, error) {
			if len(q.Terms) > 0 {
				q.Vector = nil
			}
			return m.Search(ctx, q)
		}}
	}, "FusionOrder"},
	{"ignores the language", func(m *vectortest.MemIndex) rag.Index {
		return brokenIndex{MemIndex: m, search: func(ctx context.Context, q rag.Query) ([]rag.Hit, error) {
			q.Lang = ""
			return m.Search(ctx, q)
		}}
	}, "KBAndLangFilters"},
	{"skips validation", func(m *vectortest.MemIndex) rag.Index {
		return brokenIndex{MemIndex: m, repl: func(ctx context.Context, k rag.DocKey, c []rag.Chunk) error {
			for i := range c {
				c[i].DocKey = k
				if len(c[i].Vector) != vectortest.Dim {
					c[i].Vector = nil
				}
			}
			if k.TenantID == "" {
				return nil
			}
			return m.Replace(ctx, k, c)
		}}
	}, "BadInput"},
}

const brokenEnv = "VECTORTEST_BROKEN"

// TestBrokenIndex runs the suite on the broken index named by
// $VECTORTEST_BROKEN; TestSuiteCatches runs it in a child process.
func TestBrokenIndex(t *testing.T) {
	name := os.Getenv(brokenEnv)
	if name == "" {
		t.Skip("run by TestSuiteCatches")
	}
	for _, b := range broken {
		if b.name == name {
			vectortest.Run(t, func(t *testing.T, dim int) rag.Index { return b.wrap(vectortest.NewMemIndex(dim)) })
			return
		}
	}
	t.Fatalf("no broken index %q", name)
}

// TestSuiteCatches checks that the suite fails each broken index in the
// subtest meant to catch it.
func TestSuiteCatches(t *testing.T) {
	for _, b := range broken {
		t.Run(b.which, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestBrokenIndex$/^"+b.which+"$", "-test.count=1")
			cmd.Env = append(os.Environ(), brokenEnv+"="+b.name)
			out, err := cmd.CombinedOutput()
			if err == nil || !strings.Contains(string(out), "--- FAIL: TestBrokenIndex/"+b.which) {
				t.Errorf("the suite's %s passed an index that %s (err %v):\n%s", b.which, b.name, err, out)
			}
		})
	}
}
