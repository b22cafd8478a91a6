package rag_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/assistd/assist/rag"
)

// A question asked again after its article changed or went away is
// answered from the knowledge base as it is now, not as it was.
func TestSearchSeesIngestAndDelete(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	key := rag.DocKey{TenantID: tenant, KB: "help", Doc: "en-planted.md"}
	ask := func() string { return giftWrapping(t, s, key) }
	for range 2 {
		if got := ask(); !strings.Contains(got, "$3") {
			t.Fatalf("before the change: %q", got)
		}
	}
	if _, err := s.Ingest(ctx, rag.Document{DocKey: key, Title: "Gift wrapping",
		Chunks: []rag.Chunk{{Text: "Gift wrapping costs $5 per item."}}}); err != nil {
		t.Fatal(err)
	}
	if got := ask(); !strings.Contains(got, "$5") {
		t.Errorf("after re-ingest: %q, want the $5 price", got)
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if got := ask(); got != "" {
		t.Errorf("after delete: still found %q", got)
	}
}

// A change another process made to the same database (`assist ingest`
// while the server runs: this Service does not see it happen) is
// answered within the cache's lifetime.
func TestSearchSeesAnotherProcesssChange(t *testing.T) {
	defer rag.SetCacheTTL(50 * time.Millisecond)()
	s, _ := newService(t)
	ctx := context.Background()
	key := rag.DocKey{TenantID: tenant, KB: "help", Doc: "en-planted.md"}
	ask := func() string { return giftWrapping(t, s, key) }
	if got := ask(); !strings.Contains(got, "$3") {
		t.Fatalf("before the change: %q", got)
	}
	// Another process: its own Service and index handle on the same data.
	other := &rag.Service{Index: &otherHandle{s.Index}, Config: s.Config}
	if _, err := other.Ingest(ctx, rag.Document{DocKey: key, Title: "Gift wrapping",
		Chunks: []rag.Chunk{{Text: "Gift wrapping costs $5 per item."}}}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for !strings.Contains(ask(), "$5") {
		if time.Now().After(deadline) {
			t.Fatalf("the other process's change is still unseen: %q", ask())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// With the search cache off (rag.search_cache_ttl 0), another process's
// change is answered at once.
func TestSearchCacheOff(t *testing.T) {
	s, _ := newService(t)
	s.Config.SearchCacheTTL = -1
	ctx := context.Background()
	key := rag.DocKey{TenantID: tenant, KB: "help", Doc: "en-planted.md"}
	if got := giftWrapping(t, s, key); !strings.Contains(got, "$3") {
		t.Fatalf("before the change: %q", got)
	}
	other := &rag.Service{Index: &otherHandle{s.Index}, Config: s.Config}
	if _, err := other.Ingest(ctx, rag.Document{DocKey: key, Title: "Gift wrapping",
		Chunks: []rag.Chunk{{Text: "Gift wrapping costs $5 per item."}}}); err != nil {
		t.Fatal(err)
	}
	if got := giftWrapping(t, s, key); !strings.Contains(got, "$5") {
		t.Errorf("after the other process's change: %q, want the $5 price", got)
	}
}

// otherHandle is another process's handle on the same index.
type otherHandle struct{ rag.Index }

// giftWrapping asks s the price of gift wrapping and returns the text of
// key's passage among the hits, "" when it is not among them.
func giftWrapping(t *testing.T, s *rag.Service, key rag.DocKey) string {
	t.Helper()
	hits, err := s.Search(context.Background(), rag.SearchRequest{Filter: rag.Filter{TenantID: key.TenantID, KB: key.KB}, Question: "How much does gift wrapping cost?"})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hits {
		if h.Chunk.Doc == key.Doc {
			return h.Chunk.Text
		}
	}
	return ""
}
