package sqlite

import (
	"context"
	"fmt"
	"hash/fnv"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/assistd/assist/rag"
)

// oldScope is the term prefix of the shared keyword table that indexes
// written before per-knowledge-base tables used.
func oldScope(tenant, kb string) string {
	h := fnv.New64a()
	h.Write([]byte(tenant))
	h.Write([]byte{0})
	h.Write([]byte(kb))
	return fmt.Sprintf("z%010x", h.Sum64()>>24)
}

// TestOpenSplitsSharedKeywordTable opens an index file in the old layout
// (one kb_fts for every tenant, terms prefixed with a scope hash) and
// checks that every knowledge base is found as before, each now scored on
// its own statistics, and that the old table is gone.
func TestOpenSplitsSharedKeywordTable(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kb.db")
	ix, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	docs := map[rag.DocKey][]string{
		{TenantID: "t1", KB: "help", Doc: "returns"}:  {"退货 七天 无理由", "退款 原路 返回"},
		{TenantID: "t1", KB: "help", Doc: "shipping"}: {"满 99 包邮", "偏远 地区 运费"},
		{TenantID: "t2", KB: "help", Doc: "returns"}:  {"退货 三十天", "退货 运费 顾客 承担", "退货 退货 退货"},
	}
	for k, texts := range docs {
		var cs []rag.Chunk
		for i, text := range texts {
			cs = append(cs, rag.Chunk{DocKey: k, ID: fmt.Sprintf("%v/%d", k, i), Ord: i, Lang: "zh", Text: text, Terms: strings.Fields(text)})
		}
		if err := ix.Replace(ctx, k, cs); err != nil {
			t.Fatal(err)
		}
	}
	queries := []rag.Query{
		{Filter: rag.Filter{TenantID: "t1", KB: "help"}, Terms: []string{"退货", "运费"}, Limit: 10},
		{Filter: rag.Filter{TenantID: "t2", KB: "help"}, Terms: []string{"退货", "运费"}, Limit: 10},
	}
	want := make([][]rag.Hit, len(queries))
	for i, q := range queries {
		if want[i], err = ix.Search(ctx, q); err != nil || len(want[i]) == 0 {
			t.Fatalf("query %d: %v, %v", i, want[i], err)
		}
	}

	// Rewrite the file in the old layout.
	stmts := []string{`CREATE VIRTUAL TABLE kb_fts USING fts5 (lang, terms, content = '', contentless_delete = 1,
		tokenize = 'unicode61 remove_diacritics 0')`, `CREATE VIRTUAL TABLE kb_vocab USING fts5vocab (kb_fts, 'row')`}
	for k, texts := range docs {
		for i, text := range texts {
			var old []string
			for _, w := range strings.Fields(text) {
				old = append(old, oldScope(k.TenantID, k.KB)+w)
			}
			stmts = append(stmts, fmt.Sprintf(`INSERT INTO kb_fts (rowid, lang, terms) SELECT rid, 'zh', '%s' FROM kb_chunks WHERE id = '%v/%d'`,
				strings.Join(old, " "), k, i))
		}
	}
	for _, sc := range []string{scopeToken("t1", "help"), scopeToken("t2", "help")} {
		stmts = append(stmts, `DROP TABLE `+vocabTable(sc), `DROP TABLE `+ftsTable(sc))
	}
	for _, s := range stmts {
		if _, err := ix.write.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	ix, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for i, q := range queries {
		got, err := ix.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		same := slices.EqualFunc(got, want[i], func(a, b rag.Hit) bool {
			return a.Chunk.ID == b.Chunk.ID && a.KeywordScore == b.KeywordScore && a.Score == b.Score
		})
		if !same {
			t.Errorf("query %d after the split:\n got %+v\nwant %+v", i, got, want[i])
		}
	}
	var n int
	if err := ix.read.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name IN ('kb_fts', 'kb_vocab')`).Scan(&n); err != nil || n != 0 {
		t.Errorf("the shared keyword tables are still there (%d, %v)", n, err)
	}
}
