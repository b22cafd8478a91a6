package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"github.com/assistd/assist/rag"
)

// TestKeywordInMemory checks that a keyword query scored in memory gives
// exactly what FTS5 gives (the same rows, in the same order, with the same
// scores to the last bit), with and without a language, after documents
// were replaced and deleted, before and after the table was merged, and
// after another connection changed the table.
func TestKeywordInMemory(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kb.db")
	ix, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	r := rand.New(rand.NewPCG(3, 5))
	// A small vocabulary, so that terms repeat within and across chunks,
	// scores tie and some terms are in most chunks.
	zh := []string{"退货", "运费", "退", "货", "运", "费", "会员", "等级", "发票", "保修", "积分", "过期", "优惠", "券"}
	en := []string{"return", "shipping", "fee", "member", "level", "invoice", "warranty", "point", "expire", "coupon", "zh", "en"}
	f := rag.Filter{TenantID: "t", KB: "help"}
	write := func(doc int) {
		key := rag.DocKey{TenantID: f.TenantID, KB: f.KB, Doc: fmt.Sprint("doc-", doc)}
		var cs []rag.Chunk
		for i := range 1 + r.IntN(6) {
			lang, words := "zh", zh
			if r.IntN(2) == 0 {
				lang, words = "en", en
			}
			var terms []string
			for range 1 + r.IntN(12) {
				terms = append(terms, words[r.IntN(len(words))])
			}
			cs = append(cs, rag.Chunk{DocKey: key, ID: fmt.Sprintf("%d-%d-%d", doc, i, r.Uint32()), Ord: i, Lang: lang, Text: "x", Terms: terms})
		}
		if r.IntN(8) == 0 {
			cs = nil // deleted
		}
		if err := ix.Replace(ctx, key, cs); err != nil {
			t.Fatal(err)
		}
	}
	scope := scopeToken(f.TenantID, f.KB)
	check := func(stage string) {
		t.Helper()
		for q := range 60 {
			var tokens []string
			seen := map[string]bool{}
			for range 1 + r.IntN(8) {
				words := zh
				if r.IntN(2) == 0 {
					words = en
				}
				if w := words[r.IntN(len(words))]; !seen[w] {
					seen[w] = true
					tokens = append(tokens, w)
				}
			}
			if q%7 == 0 {
				tokens = append(tokens, "nowhere")
			}
			lang := []string{"", "zh", "en"}[q%3]
			n := []int{3, 10, 50}[q%3]
			want, err := ix.keyword(ctx, scope, matchExpr(tokens, lang), n)
			if err != nil {
				t.Fatal(err)
			}
			got, ok, err := ix.keywordMem(ctx, scope, tokens, lang, n)
			if err != nil || !ok {
				t.Fatalf("%s: in memory: ok %v, %v", stage, ok, err)
			}
			if len(got) != len(want) {
				t.Fatalf("%s: %v in %q: %d rows in memory, FTS5 %d", stage, tokens, lang, len(got), len(want))
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("%s: %v in %q, row %d: in memory %+v, FTS5 %+v", stage, tokens, lang, i, got[i], want[i])
				}
			}
		}
		checkSortedTerms(t, stage, ix, scope)
	}
	for d := range 60 {
		write(d)
	}
	check("written")
	for range 30 {
		write(r.IntN(60))
	}
	check("replaced and deleted")
	if err := ix.Compact(ctx, f); err != nil {
		t.Fatal(err)
	}
	check("merged")
	// Another process writes the same file: seen at the next search.
	other, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ix2 := ix
	ix = other
	for range 10 {
		write(r.IntN(80))
	}
	ix = ix2
	check("written by another process")

	// A knowledge base over the limit is left to FTS5.
	defer func(n uint64) { kwMemRows = n }(kwMemRows)
	kwMemRows = 10
	write(0)
	if _, ok, err := ix.keywordMem(ctx, scope, []string{"退货"}, "", 10); ok || err != nil {
		t.Fatalf("over the limit: in memory %v, %v", ok, err)
	}
}

// BenchmarkKeyword is one keyword query of 12 terms on 240 chunks: by
// FTS5 (fts5), from memory with every term read before (mem), and from
// memory with the cache dropped first (mem_cold: the row sizes and the
// terms' instances read again, as after a write to the knowledge base).
func BenchmarkKeyword(b *testing.B) {
	ctx := context.Background()
	ix, err := Open(ctx, filepath.Join(b.TempDir(), "kb.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	r := rand.New(rand.NewPCG(1, 2))
	words := make([]string, 400)
	for i := range words {
		words[i] = string(rune(0x4e00+r.IntN(300))) + string(rune(0x4e00+r.IntN(300)))
	}
	f := rag.Filter{TenantID: "t", KB: "help"}
	for d := range 40 {
		key := rag.DocKey{TenantID: f.TenantID, KB: f.KB, Doc: fmt.Sprint(d)}
		var cs []rag.Chunk
		for i := range 6 {
			var terms []string
			for range 80 {
				terms = append(terms, words[int(r.ExpFloat64()*60)%len(words)])
			}
			cs = append(cs, rag.Chunk{DocKey: key, ID: fmt.Sprint(d, "-", i), Ord: i, Lang: "zh", Text: "x", Terms: terms})
		}
		if err := ix.Replace(ctx, key, cs); err != nil {
			b.Fatal(err)
		}
	}
	if err := ix.Compact(ctx, f); err != nil {
		b.Fatal(err)
	}
	scope := scopeToken(f.TenantID, f.KB)
	tokens := words[:12]
	b.Run("fts5", func(b *testing.B) {
		for b.Loop() {
			if _, err := ix.keyword(ctx, scope, matchExpr(tokens, "zh"), 100); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, cold := range []bool{false, true} {
		name := "mem"
		if cold {
			name = "mem_cold"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if cold {
					ix.mu.Lock()
					delete(ix.kw, scope)
					ix.mu.Unlock()
				}
				if _, ok, err := ix.keywordMem(ctx, scope, tokens, "zh", 100); err != nil || !ok {
					b.Fatal(ok, err)
				}
			}
		})
	}
}

// checkSortedTerms fails unless every term list scope's statistics hold
// is in row id order: kwMem.search merges them list by list, and an
// unsorted list gives no error but one row as two hits, each with part of
// its term counts.
func checkSortedTerms(t *testing.T, stage string, ix *Index, scope string) {
	t.Helper()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	m := ix.kw[scope]
	if m == nil || len(m.terms) == 0 {
		t.Fatalf("%s: no term lists in memory", stage)
	}
	for term, rs := range m.terms {
		if !slices.IsSortedFunc(rs, func(a, b kwRow) int { return cmpInt64(a.rid, b.rid) }) {
			t.Fatalf("%s: the rows of %q are not in row id order: %+v", stage, term, rs)
		}
	}
}
