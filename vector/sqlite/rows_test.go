package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/assistd/assist/rag"
	"github.com/assistd/assist/vector/sqlite"
)

// Compacting a knowledge base changes no search result: the same hits, in
// the same order, with the same scores, deleted and replaced documents
// included.
func TestCompactChangesNoResult(t *testing.T) {
	ix := open(t, 0)
	ctx := context.Background()
	f := rag.Filter{TenantID: "t1", KB: "help"}
	texts := []string{"退货需要在签收后七天内申请", "运费由买家承担，质量问题除外", "退款三到五个工作日到账",
		"会员积分每年年底清零", "发票可以在订单详情页申请", "Refunds reach your card in 3 to 5 working days",
		"Return shipping is paid by the buyer unless the item is faulty", "Points expire at the end of each year"}
	for i := range 40 {
		key := rag.DocKey{TenantID: f.TenantID, KB: f.KB, Doc: fmt.Sprintf("doc-%02d.md", i)}
		replace(t, ix, key, chunk(key, 0, "zh", texts[i%len(texts)]+fmt.Sprintf("（第%d条）", i), nil),
			chunk(key, 1, "en", texts[(i+3)%len(texts)], nil))
	}
	for i := 0; i < 40; i += 7 { // deleted and replaced documents leave tombstones until merged
		key := rag.DocKey{TenantID: f.TenantID, KB: f.KB, Doc: fmt.Sprintf("doc-%02d.md", i)}
		replace(t, ix, key)
		if i%2 == 0 {
			replace(t, ix, key, chunk(key, 0, "zh", texts[(i+5)%len(texts)], nil))
		}
	}
	questions := []string{"退货运费谁出", "退款多久到账", "积分清零", "refund working days", "who pays return shipping faulty"}
	results := func() []string {
		var out []string
		for _, q := range questions {
			for _, lang := range []string{"", "zh", "en"} {
				hits, err := ix.Search(ctx, rag.Query{Filter: rag.Filter{TenantID: f.TenantID, KB: f.KB, Lang: lang}, Terms: terms(strings.ToLower(q)), Limit: 20})
				if err != nil {
					t.Fatal(err)
				}
				for _, h := range hits {
					out = append(out, fmt.Sprintf("%s %s %d %.17g", q, h.Chunk.ID, h.KeywordRank, h.KeywordScore))
				}
			}
		}
		return out
	}
	before := results()
	if len(before) == 0 {
		t.Fatal("no hits before compacting")
	}
	if err := ix.Compact(ctx, f); err != nil {
		t.Fatal(err)
	}
	after := results()
	if strings.Join(before, "\n") != strings.Join(after, "\n") {
		t.Errorf("compacting changed the results:\nbefore %q\nafter  %q", before, after)
	}
	if err := ix.Compact(ctx, rag.Filter{TenantID: "t1", KB: "never-written"}); err != nil {
		t.Errorf("compacting a knowledge base never written: %v", err)
	}
}

// A document replaced is found with its new text at once, even when its
// new chunks take the row ids of its old ones (SQLite reuses the largest).
func TestReplacedTextFoundAtOnce(t *testing.T) {
	ix := open(t, 0)
	key := rag.DocKey{TenantID: "t1", KB: "help", Doc: "wrap.md"}
	q := rag.Query{Filter: rag.Filter{TenantID: "t1", KB: "help"}, Terms: terms("gift wrapping"), Limit: 5}
	for _, price := range []string{"$3", "$5", "$7"} {
		replace(t, ix, key, chunk(key, 0, "en", "Gift wrapping costs "+price+" per item.", nil))
		for range 2 { // the second search reads the remembered row
			hits, err := ix.Search(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			if len(hits) != 1 || !strings.Contains(hits[0].Chunk.Text, price) {
				t.Fatalf("after setting %s: %+v", price, hits)
			}
		}
	}
}

// A change another process makes to the same file (its own handle) is
// found once the remembered rows expire.
func TestAnotherProcesssChangeFound(t *testing.T) {
	defer sqlite.SetRowCacheTTL(50 * time.Millisecond)()
	path := filepath.Join(t.TempDir(), "kb.db")
	ctx := context.Background()
	ours, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer ours.Close()
	other, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	key := rag.DocKey{TenantID: "t1", KB: "help", Doc: "wrap.md"}
	q := rag.Query{Filter: rag.Filter{TenantID: "t1", KB: "help"}, Terms: terms("gift wrapping"), Limit: 5}
	text := func() string {
		hits, err := ours.Search(ctx, q)
		if err != nil || len(hits) != 1 {
			t.Fatalf("%+v, %v", hits, err)
		}
		return hits[0].Chunk.Text
	}
	replace(t, other, key, chunk(key, 0, "en", "Gift wrapping costs $3 per item.", nil))
	if got := text(); !strings.Contains(got, "$3") {
		t.Fatalf("before the change: %q", got)
	}
	replace(t, other, key, chunk(key, 0, "en", "Gift wrapping costs $5 per item.", nil))
	deadline := time.Now().Add(2 * time.Second)
	for !strings.Contains(text(), "$5") {
		if time.Now().After(deadline) {
			t.Fatalf("the other process's change is still unseen: %q", text())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
