package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/assistd/assist/rag"
)

// kwTestIndex is an index with one small knowledge base whose chunks hold
// the words of words, a few each.
func kwTestIndex(t *testing.T) (*Index, rag.Filter, string, []string) {
	t.Helper()
	ctx := context.Background()
	ix, err := Open(ctx, filepath.Join(t.TempDir(), "kb.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	words := []string{"return", "shipping", "fee", "member", "level", "invoice", "warranty", "point", "退货", "运费", "会员", "发票"}
	f := rag.Filter{TenantID: "t", KB: "help"}
	for d := range 8 {
		key := rag.DocKey{TenantID: f.TenantID, KB: f.KB, Doc: fmt.Sprint("doc-", d)}
		var cs []rag.Chunk
		for i := range 3 {
			terms := []string{words[(d+i)%len(words)], words[(d*3+i)%len(words)], words[(d+2*i+5)%len(words)]}
			cs = append(cs, rag.Chunk{DocKey: key, ID: fmt.Sprint(d, "-", i), Ord: i, Lang: "en", Text: "x", Terms: terms})
		}
		if err := ix.Replace(ctx, key, cs); err != nil {
			t.Fatal(err)
		}
	}
	return ix, f, scopeToken(f.TenantID, f.KB), words
}

// TestKeywordMemFullCacheReplaced checks that when a knowledge base's term
// cache is full, the copy read afresh replaces it, so that the searches
// after it are served from memory again (no re-reading of the row sizes,
// nor of the terms it holds).
func TestKeywordMemFullCacheReplaced(t *testing.T) {
	defer func(n int) { kwMemTerms = n }(kwMemTerms)
	kwMemTerms = 2
	ctx := context.Background()
	ix, _, scope, words := kwTestIndex(t)
	search := func(tokens ...string) {
		t.Helper()
		want, err := ix.keyword(ctx, scope, matchExpr(tokens, ""), 10)
		if err != nil {
			t.Fatal(err)
		}
		got, ok, err := ix.keywordMem(ctx, scope, tokens, "", 10)
		if err != nil || !ok {
			t.Fatalf("%v: in memory: ok %v, %v", tokens, ok, err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%v: in memory %v, FTS5 %v", tokens, got, want)
		}
	}
	cached := func() *kwMem {
		ix.mu.Lock()
		defer ix.mu.Unlock()
		return ix.kw[scope]
	}
	search(words[0], words[1]) // the cache is full
	if n := ix.kwLoads.Load(); n != 1 {
		t.Fatalf("loads after the first search: %d, want 1", n)
	}
	full := cached()
	if full == nil || len(full.terms) != 2 {
		t.Fatalf("cache after the first search: %+v", full)
	}
	search(words[2]) // reads afresh, and keeps the fresh copy
	if n := ix.kwLoads.Load(); n != 2 {
		t.Fatalf("loads after the cache filled: %d, want 2", n)
	}
	fresh := cached()
	if fresh == full || fresh == nil || len(fresh.terms) != 1 {
		t.Fatalf("the full cache was not replaced: %p %+v (was %p)", fresh, fresh, full)
	}
	loads, reads := ix.kwLoads.Load(), ix.kwInstReads.Load()
	for range 5 {
		search(words[2])
	}
	if n, r := ix.kwLoads.Load(), ix.kwInstReads.Load(); n != loads || r != reads {
		t.Fatalf("searches of a cached term read again: loads %d→%d, instance reads %d→%d", loads, n, reads, r)
	}
	if cached() != fresh {
		t.Fatal("the cache changed without a write")
	}
}

// TestKeywordMemParallel runs keyword searches of one knowledge base from
// several goroutines at once, with a small term cache that fills and is
// replaced, for the race detector (go test -race), each checked against
// FTS5.
func TestKeywordMemParallel(t *testing.T) {
	defer func(n int) { kwMemTerms = n }(kwMemTerms)
	kwMemTerms = 3
	ctx := context.Background()
	ix, _, scope, words := kwTestIndex(t)
	type query struct {
		tokens []string
		want   string
	}
	var qs []query
	for i := range words {
		tokens := []string{words[i], words[(i*5+1)%len(words)]}
		want, err := ix.keyword(ctx, scope, matchExpr(tokens, ""), 10)
		if err != nil {
			t.Fatal(err)
		}
		qs = append(qs, query{tokens, fmt.Sprint(want)})
	}
	errs := make(chan error, 16)
	for g := range 16 {
		go func() {
			for i := range 80 {
				q := qs[(g*7+i)%len(qs)]
				got, ok, err := ix.keywordMem(ctx, scope, q.tokens, "", 10)
				switch {
				case err != nil || !ok:
					errs <- fmt.Errorf("%v: in memory: ok %v, %v", q.tokens, ok, err)
					return
				case fmt.Sprint(got) != q.want:
					errs <- fmt.Errorf("%v: in memory %v, FTS5 %s", q.tokens, got, q.want)
					return
				}
			}
			errs <- nil
		}()
	}
	for range 16 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestKeywordMemFallback checks that a search whose keyword query fails in
// memory gets FTS5's results instead of the error.
func TestKeywordMemFallback(t *testing.T) {
	ctx := context.Background()
	ix, f, scope, words := kwTestIndex(t)
	q := rag.Query{Filter: f, Terms: []string{words[0]}, Limit: 5}
	if _, err := ix.Search(ctx, q); err != nil { // the instance vocabulary is known from now on
		t.Fatal(err)
	}
	// Another process drops it: reading a term not cached fails.
	if _, err := ix.write.ExecContext(ctx, `DROP TABLE `+instTable(scope)); err != nil {
		t.Fatal(err)
	}
	q.Terms = []string{words[1], words[2]}
	if _, _, err := ix.keywordMem(ctx, scope, q.Terms, "", 50); err == nil {
		t.Fatal("in memory without the instance vocabulary: no error")
	}
	got, err := ix.Search(ctx, q)
	if err != nil {
		t.Fatalf("search after the in-memory query failed: %v", err)
	}
	want, err := ix.keyword(ctx, scope, matchExpr(q.Terms, ""), 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || len(got) != min(len(want), q.Limit) {
		t.Fatalf("%d hits, FTS5 has %d", len(got), len(want))
	}
	for i, h := range got {
		if h.KeywordRank != i+1 || h.KeywordScore != want[i].score {
			t.Fatalf("hit %d: rank %d score %v, FTS5 %v", i, h.KeywordRank, h.KeywordScore, want[i].score)
		}
	}
}

// TestKeywordMemOldStore checks a store written before scopes had their
// instance vocabulary: its keyword queries are scored by FTS5 (no error,
// nothing written by a search) until it is opened again, which adds it.
func TestKeywordMemOldStore(t *testing.T) {
	ctx := context.Background()
	ix, _, scope, words := kwTestIndex(t)
	if _, err := ix.write.ExecContext(ctx, `DROP TABLE `+instTable(scope)); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := ix.keywordMem(ctx, scope, words[:2], "", 10); ok || err != nil {
		t.Fatalf("without the instance vocabulary: in memory %v, %v", ok, err)
	}
	path := ix.Path()
	ix.Close()
	ix, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, ok, err := ix.keywordMem(ctx, scope, words[:2], "", 10); !ok || err != nil {
		t.Fatalf("opened again: in memory %v, %v", ok, err)
	}
}

// TestKeywordMemDuringWrite checks that the first keyword query of a
// knowledge base does not wait for a write in progress: it writes nothing.
func TestKeywordMemDuringWrite(t *testing.T) {
	ctx := context.Background()
	ix, _, scope, words := kwTestIndex(t)
	ix.mu.Lock()
	delete(ix.inst, scope)
	delete(ix.kw, scope)
	ix.mu.Unlock()
	tx, err := ix.write.BeginTx(ctx, nil) // holds the write lock
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE kb_chunks SET title = title`); err != nil {
		t.Fatal(err)
	}
	qctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if _, ok, err := ix.keywordMem(qctx, scope, words[:2], "", 10); !ok || err != nil {
		t.Fatalf("during a write: in memory %v, %v", ok, err)
	}
}
