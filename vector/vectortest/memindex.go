package vectortest

import (
	"cmp"
	"context"
	"math"
	"slices"
	"sync"

	"github.com/assistd/assist"
	"github.com/assistd/assist/rag"
)

// RRFK is the k of reciprocal rank fusion: a chunk at 1-based rank r of a
// leg with weight w adds w/(RRFK+r) to its fused score.
const RRFK = 60

// BM25 parameters of MemIndex's keyword leg.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// MemIndex is an in-memory rag.Index: BM25 over each chunk's Terms, an
// exact cosine scan over its Vector, fused by weighted RRF. It is safe for
// concurrent use. The zero value is not usable; call NewMemIndex.
type MemIndex struct {
	dim int

	mu   sync.RWMutex
	docs map[rag.DocKey][]rag.Chunk
}

var _ rag.Index = (*MemIndex)(nil)

// NewMemIndex returns an empty index whose chunk vectors have dim floats
// (0: chunks carry no vectors).
func NewMemIndex(dim int) *MemIndex {
	return &MemIndex{dim: dim, docs: map[rag.DocKey][]rag.Chunk{}}
}

// CheckKey returns an EINVALID error unless key names a tenant, a knowledge
// base and a document.
func CheckKey(key rag.DocKey) error {
	if key.TenantID == "" || key.KB == "" || key.Doc == "" {
		return assist.Errorf(assist.EINVALID, "document key needs a tenant, a knowledge base and a name")
	}
	return nil
}

// CheckFilter returns an EINVALID error unless f names a tenant and a
// knowledge base.
func CheckFilter(f rag.Filter) error {
	if f.TenantID == "" || f.KB == "" {
		return assist.Errorf(assist.EINVALID, "filter needs a tenant and a knowledge base")
	}
	return nil
}

// CheckChunks returns an EINVALID error if a chunk's key differs from key
// or its non-empty vector does not have dim floats.
func CheckChunks(key rag.DocKey, chunks []rag.Chunk, dim int) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	for i, c := range chunks {
		if c.DocKey != key {
			return assist.Errorf(assist.EINVALID, "chunk %d belongs to another document than %q", i, key.Doc)
		}
		if len(c.Vector) != 0 && len(c.Vector) != dim {
			return assist.Errorf(assist.EINVALID, "chunk %d has a vector of %d floats, the index takes %d", i, len(c.Vector), dim)
		}
	}
	return nil
}

// CheckQuery returns an EINVALID error for a query with a bad filter, a
// negative limit or weight, or a vector of the wrong size.
func CheckQuery(q rag.Query, dim int) error {
	if err := CheckFilter(q.Filter); err != nil {
		return err
	}
	if q.Limit < 0 || q.KeywordWeight < 0 || q.DenseWeight < 0 {
		return assist.Errorf(assist.EINVALID, "negative limit or weight")
	}
	if q.Vector != nil && len(q.Vector) != dim {
		return assist.Errorf(assist.EINVALID, "query vector has %d floats, the index takes %d", len(q.Vector), dim)
	}
	return nil
}

// Replace implements rag.Index.
func (m *MemIndex) Replace(ctx context.Context, key rag.DocKey, chunks []rag.Chunk) error {
	if err := CheckChunks(key, chunks, m.dim); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	cp := make([]rag.Chunk, len(chunks))
	for i, c := range chunks {
		c.Terms = slices.Clone(c.Terms)
		c.Vector = slices.Clone(c.Vector)
		c.HeadingPath = slices.Clone(c.HeadingPath)
		cp[i] = c
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(cp) == 0 {
		delete(m.docs, key)
	} else {
		m.docs[key] = cp
	}
	return nil
}

// Search implements rag.Index.
func (m *MemIndex) Search(ctx context.Context, q rag.Query) ([]rag.Hit, error) {
	if err := CheckQuery(q, m.dim); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()

	var pool []*rag.Chunk
	var totalLen float64
	for key, chunks := range m.docs {
		if key.TenantID != q.TenantID || key.KB != q.KB {
			continue
		}
		for i := range chunks {
			if q.Lang != "" && chunks[i].Lang != q.Lang {
				continue
			}
			pool = append(pool, &chunks[i])
			totalLen += float64(len(chunks[i].Terms))
		}
	}
	hits := map[*rag.Chunk]*rag.Hit{}
	hit := func(c *rag.Chunk) *rag.Hit {
		h := hits[c]
		if h == nil {
			h = &rag.Hit{Chunk: *c}
			hits[c] = h
		}
		return h
	}
	type scored struct {
		c *rag.Chunk
		s float64
	}
	rank := func(list []scored) []scored {
		slices.SortFunc(list, func(a, b scored) int {
			return cmp.Or(cmp.Compare(b.s, a.s), cmp.Compare(a.c.ID, b.c.ID))
		})
		return list
	}

	if len(q.Terms) > 0 && len(pool) > 0 {
		// BM25 with Lucene's non-negative idf, over the filtered pool.
		avg := totalLen / float64(len(pool))
		qterms := map[string]bool{}
		for _, t := range q.Terms {
			qterms[t] = true
		}
		df := map[string]int{}
		for _, c := range pool {
			seen := map[string]bool{}
			for _, t := range c.Terms {
				if qterms[t] && !seen[t] {
					seen[t] = true
					df[t]++
				}
			}
		}
		var list []scored
		n := float64(len(pool))
		for _, c := range pool {
			tf := map[string]int{}
			for _, t := range c.Terms {
				if qterms[t] {
					tf[t]++
				}
			}
			var s float64
			for t, f := range tf {
				idf := math.Log(1 + (n-float64(df[t])+0.5)/(float64(df[t])+0.5))
				norm := 1 - bm25B + bm25B*float64(len(c.Terms))/avg
				s += idf * float64(f) * (bm25K1 + 1) / (float64(f) + bm25K1*norm)
			}
			if s > 0 {
				list = append(list, scored{c, s})
			}
		}
		w := weight(q.KeywordWeight)
		for i, x := range rank(list) {
			h := hit(x.c)
			h.KeywordScore, h.KeywordRank = x.s, i+1
			h.Score += w / float64(RRFK+i+1)
		}
	}
	if q.Vector != nil {
		var list []scored
		for _, c := range pool {
			if len(c.Vector) == len(q.Vector) {
				list = append(list, scored{c, cosine(q.Vector, c.Vector)})
			}
		}
		w := weight(q.DenseWeight)
		for i, x := range rank(list) {
			h := hit(x.c)
			h.DenseScore, h.DenseRank = x.s, i+1
			h.Score += w / float64(RRFK+i+1)
		}
	}

	out := make([]rag.Hit, 0, len(hits))
	for _, h := range hits {
		h.Chunk.Terms = slices.Clone(h.Chunk.Terms)
		h.Chunk.Vector = slices.Clone(h.Chunk.Vector)
		h.Chunk.HeadingPath = slices.Clone(h.Chunk.HeadingPath)
		out = append(out, *h)
	}
	slices.SortFunc(out, func(a, b rag.Hit) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Chunk.ID, b.Chunk.ID))
	})
	limit := q.Limit
	if limit == 0 {
		limit = 10
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// Documents implements rag.Index.
func (m *MemIndex) Documents(ctx context.Context, f rag.Filter) ([]rag.DocInfo, error) {
	if err := CheckFilter(f); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	var out []rag.DocInfo
	for key, chunks := range m.docs {
		if key.TenantID != f.TenantID || key.KB != f.KB {
			continue
		}
		var info *rag.DocInfo
		for _, c := range chunks {
			if f.Lang != "" && c.Lang != f.Lang {
				continue
			}
			if info == nil {
				info = &rag.DocInfo{DocKey: key, Title: c.Title, Lang: c.Lang, Source: c.Source, UpdatedAt: c.UpdatedAt}
			}
			info.Chunks++
		}
		if info != nil {
			out = append(out, *info)
		}
	}
	slices.SortFunc(out, func(a, b rag.DocInfo) int { return cmp.Compare(a.Doc, b.Doc) })
	return out, nil
}

func weight(w float64) float64 {
	if w == 0 {
		return 1
	}
	return w
}

func cosine(a, b []float32) float64 {
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}
