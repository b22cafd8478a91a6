package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/rag"
	"github.com/assistd/assist/vector/sqlite"
)

func open(t testing.TB, dim int) *sqlite.Index {
	t.Helper()
	ix, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "kb.db"), sqlite.WithDim(dim))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

var at = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// chunk builds a chunk of key with the bigram terms of text.
func chunk(key rag.DocKey, ord int, lang, text string, vec []float32) rag.Chunk {
	return rag.Chunk{DocKey: key, ID: fmt.Sprintf("%s/%s/%s/%d", key.TenantID, key.KB, key.Doc, ord), Ord: ord,
		Title: "T " + key.Doc, Lang: lang, HeadingPath: []string{"T " + key.Doc, "Part"}, Source: "src/" + key.Doc,
		UpdatedAt: at, Text: text, Terms: rag.Bigrams{}.Terms(text), Vector: vec}
}

func replace(t *testing.T, ix rag.Index, key rag.DocKey, cs ...rag.Chunk) {
	t.Helper()
	if err := ix.Replace(context.Background(), key, cs); err != nil {
		t.Fatal(err)
	}
}

func search(t *testing.T, ix rag.Index, q rag.Query) []string {
	t.Helper()
	hits, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var docs []string
	for _, h := range hits {
		docs = append(docs, h.Chunk.Doc)
	}
	return docs
}

func terms(s string) []string { return rag.Unique(rag.Bigrams{}.Terms(s)) }

func TestKeywordSearchAndFilters(t *testing.T) {
	ix := open(t, 0)
	a := rag.DocKey{TenantID: "t1", KB: "help", Doc: "returns.md"}
	b := rag.DocKey{TenantID: "t1", KB: "help", Doc: "shipping.md"}
	c := rag.DocKey{TenantID: "t2", KB: "help", Doc: "returns.md"}
	d := rag.DocKey{TenantID: "t1", KB: "other", Doc: "returns.md"}
	replace(t, ix, a, chunk(a, 0, "zh", "七天无理由退货，质量问题由卖家承担运费。", nil),
		chunk(a, 1, "en", "Returns are accepted within 7 days of delivery.", nil))
	replace(t, ix, b, chunk(b, 0, "zh", "满99元包邮，偏远地区5到7天送达。", nil))
	replace(t, ix, c, chunk(c, 0, "zh", "七天无理由退货，质量问题由卖家承担运费。", nil))
	replace(t, ix, d, chunk(d, 0, "zh", "七天无理由退货。", nil))

	tests := []struct {
		name string
		q    rag.Query
		want []string
	}{
		{"chinese", rag.Query{Filter: rag.Filter{TenantID: "t1", KB: "help"}, Terms: terms("退货运费谁出")}, []string{"returns.md"}},
		{"english", rag.Query{Filter: rag.Filter{TenantID: "t1", KB: "help"}, Terms: terms("how many days for returns")}, []string{"returns.md"}},
		{"lang filter", rag.Query{Filter: rag.Filter{TenantID: "t1", KB: "help", Lang: "en"}, Terms: terms("退货 returns 包邮")}, []string{"returns.md"}},
		{"other tenant", rag.Query{Filter: rag.Filter{TenantID: "t2", KB: "help"}, Terms: terms("包邮 退货")}, []string{"returns.md"}},
		{"unknown tenant", rag.Query{Filter: rag.Filter{TenantID: "t3", KB: "help"}, Terms: terms("退货")}, nil},
		{"no match", rag.Query{Filter: rag.Filter{TenantID: "t1", KB: "help"}, Terms: terms("发票抬头")}, nil},
		{"punctuation only", rag.Query{Filter: rag.Filter{TenantID: "t1", KB: "help"}, Terms: []string{`"`, "*", ""}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := search(t, ix, tt.q)
			if len(tt.want) == 0 && len(got) == 0 {
				return
			}
			if len(got) == 0 || got[0] != tt.want[0] {
				t.Fatalf("got %v, want first %v", got, tt.want)
			}
		})
	}
	// Tenant isolation: t2's hit is t2's chunk.
	hits, err := ix.Search(context.Background(), rag.Query{Filter: rag.Filter{TenantID: "t2", KB: "help"}, Terms: terms("退货")})
	if err != nil || len(hits) != 1 || hits[0].Chunk.TenantID != "t2" || hits[0].KeywordRank != 1 || hits[0].KeywordScore <= 0 {
		t.Fatalf("t2 hits = %+v, %v", hits, err)
	}
	h := hits[0].Chunk
	if h.Title != "T returns.md" || len(h.HeadingPath) != 2 || h.Source != "src/returns.md" || !h.UpdatedAt.Equal(at) || h.Lang != "zh" {
		t.Errorf("chunk metadata not kept: %+v", h)
	}
}

func TestReplaceDeletesAndLists(t *testing.T) {
	ix := open(t, 0)
	ctx := context.Background()
	a := rag.DocKey{TenantID: "t1", KB: "help", Doc: "a.md"}
	b := rag.DocKey{TenantID: "t1", KB: "help", Doc: "b.md"}
	replace(t, ix, a, chunk(a, 0, "en", "old coupon rules", nil), chunk(a, 1, "en", "old coupon limits", nil))
	replace(t, ix, b, chunk(b, 0, "en", "invoice title", nil))
	// Re-ingest a with new ids: the old chunks are gone, nothing duplicated.
	n0 := chunk(a, 0, "en", "new membership points", nil)
	n0.ID += "-v2"
	replace(t, ix, a, n0)
	if got := search(t, ix, rag.Query{Filter: rag.Filter{TenantID: "t1", KB: "help"}, Terms: terms("coupon")}); len(got) != 0 {
		t.Fatalf("old chunks still found: %v", got)
	}
	if got := search(t, ix, rag.Query{Filter: rag.Filter{TenantID: "t1", KB: "help"}, Terms: terms("membership points")}); len(got) != 1 {
		t.Fatalf("new chunk: %v", got)
	}
	docs, err := ix.Documents(ctx, rag.Filter{TenantID: "t1", KB: "help"})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs[0].Doc != "a.md" || docs[0].Chunks != 1 || docs[1].Doc != "b.md" || docs[0].Title != "T a.md" || docs[0].Lang != "en" || !docs[0].UpdatedAt.Equal(at) {
		t.Fatalf("documents = %+v", docs)
	}
	replace(t, ix, b) // empty: delete
	docs, _ = ix.Documents(ctx, rag.Filter{TenantID: "t1", KB: "help"})
	if len(docs) != 1 || docs[0].Doc != "a.md" {
		t.Fatalf("after delete: %+v", docs)
	}
	if docs, _ := ix.Documents(ctx, rag.Filter{TenantID: "t1", KB: "help", Lang: "zh"}); len(docs) != 0 {
		t.Fatalf("lang filter: %+v", docs)
	}
}

func TestDenseAndFusion(t *testing.T) {
	ix := open(t, 3)
	f := rag.Filter{TenantID: "t", KB: "k"}
	mk := func(doc, text string, v []float32) {
		k := rag.DocKey{TenantID: "t", KB: "k", Doc: doc}
		replace(t, ix, k, chunk(k, 0, "en", text, v))
	}
	mk("both", "refund policy", []float32{1, 0, 0})
	mk("kwonly", "refund refund policy details", []float32{0, 1, 0})
	mk("dnonly", "nothing alike", []float32{0.9, 0.1, 0})
	q := rag.Query{Filter: f, Terms: terms("refund policy"), Vector: []float32{1, 0, 0}, Limit: 3}
	hits, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if hits[0].Chunk.Doc != "both" || hits[0].KeywordRank == 0 || hits[0].DenseRank != 1 || hits[0].DenseScore < 0.99 {
		t.Fatalf("fused first = %+v", hits[0])
	}
	if got := search(t, ix, rag.Query{Filter: f, Vector: []float32{0, 1, 0}, Limit: 1}); got[0] != "kwonly" {
		t.Fatalf("dense only = %v", got)
	}
	// Weights: a heavy dense leg puts the dense-only chunk above the
	// keyword-only one; a heavy keyword leg the reverse.
	order := func(wk, wd float64) []string {
		q := q
		q.KeywordWeight, q.DenseWeight = wk, wd
		return search(t, ix, q)
	}
	idx := func(s []string, v string) int {
		for i, x := range s {
			if x == v {
				return i
			}
		}
		return 99
	}
	if o := order(0.1, 5); idx(o, "dnonly") > idx(o, "kwonly") {
		t.Errorf("dense-weighted order %v", o)
	}
	if o := order(5, 0.1); idx(o, "kwonly") > idx(o, "dnonly") {
		t.Errorf("keyword-weighted order %v", o)
	}
	if got := search(t, ix, rag.Query{Filter: f, Terms: terms("refund"), Limit: 1}); len(got) != 1 {
		t.Errorf("limit: %v", got)
	}
	// A change is visible to the dense leg at once (the cache is dropped).
	mk("both", "refund policy", []float32{0, 0, 1})
	if got := search(t, ix, rag.Query{Filter: f, Vector: []float32{0, 0, 1}, Limit: 1}); got[0] != "both" {
		t.Fatalf("after replace dense = %v", got)
	}
}

func TestBadInput(t *testing.T) {
	ix := open(t, 2)
	ctx := context.Background()
	k := rag.DocKey{TenantID: "t", KB: "k", Doc: "d"}
	other := rag.DocKey{TenantID: "t", KB: "k", Doc: "e"}
	tests := []struct {
		name string
		err  error
	}{
		{"other key", ix.Replace(ctx, k, []rag.Chunk{chunk(other, 0, "en", "x", nil)})},
		{"vector size", ix.Replace(ctx, k, []rag.Chunk{chunk(k, 0, "en", "x", []float32{1, 2, 3})})},
		{"no tenant", ix.Replace(ctx, rag.DocKey{KB: "k", Doc: "d"}, nil)},
		{"no doc", ix.Replace(ctx, rag.DocKey{TenantID: "t", KB: "k"}, nil)},
		{"query vector", func() error {
			_, err := ix.Search(ctx, rag.Query{Filter: rag.Filter{TenantID: "t", KB: "k"}, Vector: []float32{1}})
			return err
		}()},
		{"query filter", func() error { _, err := ix.Search(ctx, rag.Query{Terms: []string{"a"}}); return err }()},
		{"gap without question", ix.RecordGap(ctx, rag.Gap{TenantID: "t", KB: "k"})},
	}
	for _, tt := range tests {
		if assist.ErrorCode(tt.err) != assist.EINVALID {
			t.Errorf("%s: err = %v, want EINVALID", tt.name, tt.err)
		}
	}
}

func TestGaps(t *testing.T) {
	ix := open(t, 0)
	ctx := context.Background()
	f := rag.Filter{TenantID: "t", KB: "help"}
	for i, q := range []string{"能寄到南极吗", "who is your CEO"} {
		g := rag.Gap{TenantID: "t", KB: "help", ConversationID: "c1", Question: q, Lang: "zh", Confidence: 0.1,
			BestDoc: "x.md", BestScore: 0.02, KeywordScore: 3.5, At: at.Add(time.Duration(i) * time.Minute)}
		if err := ix.RecordGap(ctx, g); err != nil {
			t.Fatal(err)
		}
	}
	gaps, err := ix.Gaps(ctx, f, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(gaps) != 2 || gaps[0].Question != "who is your CEO" || gaps[1].ConversationID != "c1" || gaps[1].KeywordScore != 3.5 || !gaps[1].At.Equal(at) {
		t.Fatalf("gaps = %+v", gaps)
	}
	if other, _ := ix.Gaps(ctx, rag.Filter{TenantID: "u", KB: "help"}, 0); len(other) != 0 {
		t.Fatalf("other tenant sees %d gaps", len(other))
	}
}

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kb.db")
	ctx := context.Background()
	ix, err := sqlite.Open(ctx, path, sqlite.WithDim(2))
	if err != nil {
		t.Fatal(err)
	}
	k := rag.DocKey{TenantID: "t", KB: "k", Doc: "d"}
	replace(t, ix, k, chunk(k, 0, "en", "warranty one year", []float32{0, 1}))
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err = sqlite.Open(ctx, path, sqlite.WithDim(2))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if got := search(t, ix, rag.Query{Filter: rag.Filter{TenantID: "t", KB: "k"}, Vector: []float32{0, 1}}); len(got) != 1 {
		t.Fatalf("after reopen: %v", got)
	}
}

func TestConcurrentReplaceAndSearch(t *testing.T) {
	ix := open(t, 2)
	f := rag.Filter{TenantID: "t", KB: "k"}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				k := rag.DocKey{TenantID: "t", KB: "k", Doc: fmt.Sprintf("d%d", i%5)}
				c := chunk(k, 0, "en", "shipping carrier express", []float32{1, 0})
				c.ID = fmt.Sprintf("%d-%d", w, i)
				if err := ix.Replace(context.Background(), k, []rag.Chunk{c}); err != nil {
					t.Error(err)
					return
				}
				if _, err := ix.Search(context.Background(), rag.Query{Filter: f, Terms: terms("express"), Vector: []float32{1, 0}}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	docs, err := ix.Documents(context.Background(), f)
	if err != nil || len(docs) != 5 {
		t.Fatalf("docs %v %v", docs, err)
	}
	for _, d := range docs {
		if d.Chunks != 1 {
			t.Errorf("%s has %d chunks", d.Doc, d.Chunks)
		}
	}
}

// TestDocFreqs counts, per term, the chunks of one knowledge base holding
// it, whatever other knowledge bases hold.
func TestDocFreqs(t *testing.T) {
	ix := open(t, 0)
	k := rag.DocKey{TenantID: "t", KB: "k", Doc: "d"}
	other := rag.DocKey{TenantID: "t2", KB: "k", Doc: "d"}
	replace(t, ix, k, chunk(k, 0, "zh", "退货运费", nil), chunk(k, 1, "zh", "退货时效", nil))
	replace(t, ix, other, chunk(other, 0, "zh", "发票运费", nil))
	got, err := ix.DocFreqs(context.Background(), rag.Filter{TenantID: "t", KB: "k"}, []string{"退货", "运费", "发票", "鲸鱼"})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[2 1 0 0]" {
		t.Errorf("DocFreqs = %v, want [2 1 0 0]", got)
	}
	got, err = ix.DocFreqs(context.Background(), rag.Filter{TenantID: "nobody", KB: "k"}, []string{"退货"})
	if err != nil || fmt.Sprint(got) != "[0]" {
		t.Errorf("unknown knowledge base: %v, %v", got, err)
	}
}
