package rag_test

import (
	"context"
	"errors"
	"testing"

	"github.com/assistd/assist/rag"
)

// failingIndex is a memIndex that can list chunks and fails to store one
// document.
type failingIndex struct {
	memIndex
	failOn string
}

func (f *failingIndex) Replace(ctx context.Context, key rag.DocKey, cs []rag.Chunk) error {
	if key.Doc == f.failOn && len(cs) > 0 {
		return errors.New("disk full")
	}
	return f.memIndex.Replace(ctx, key, cs)
}

func (f *failingIndex) Chunks(_ context.Context, key rag.DocKey) ([]rag.Chunk, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]rag.Chunk(nil), f.chunks[key]...), nil
}

func doc(name, text string) rag.Document {
	return rag.Document{DocKey: rag.DocKey{TenantID: "t", KB: "kb", Doc: name}, Title: name, Chunks: []rag.Chunk{{Text: text}}}
}

// IngestAll stores all documents or none: a refused one stores nothing,
// and an index failing on the third puts the first two back as they were.
func TestIngestAllOrNothing(t *testing.T) {
	ix := &failingIndex{failOn: "c"}
	s := &rag.Service{Index: ix}
	ctx := context.Background()
	if _, err := s.Ingest(ctx, doc("a", "old text of a")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.IngestAll(ctx, []rag.Document{doc("b", "b text"), doc("empty", "  ")}); err == nil {
		t.Fatal("a document without text was accepted")
	}
	if _, ok := ix.chunks[rag.DocKey{TenantID: "t", KB: "kb", Doc: "b"}]; ok {
		t.Fatal("b was stored by a refused batch")
	}
	_, err := s.IngestAll(ctx, []rag.Document{doc("a", "new text of a"), doc("b", "b text"), doc("c", "c text")})
	if err == nil {
		t.Fatal("the index's failure was not returned")
	}
	a := ix.chunks[rag.DocKey{TenantID: "t", KB: "kb", Doc: "a"}]
	if len(a) != 1 || a[0].Text != "old text of a" {
		t.Errorf("a after the failed batch: %+v, want its old text", a)
	}
	if _, ok := ix.chunks[rag.DocKey{TenantID: "t", KB: "kb", Doc: "b"}]; ok {
		t.Error("b, new in the failed batch, is still stored")
	}
	counts, err := s.IngestAll(ctx, []rag.Document{doc("a", "new text of a"), doc("b", "b text")})
	if err != nil || len(counts) != 2 || counts[0] != 1 || counts[1] != 1 {
		t.Fatalf("IngestAll = %v, %v", counts, err)
	}
}
