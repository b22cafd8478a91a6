package qdrant_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	pb "github.com/qdrant/go-client/qdrant"

	"github.com/assistd/assist"
	"github.com/assistd/assist/rag"
	"github.com/assistd/assist/vector/qdrant"
	"github.com/assistd/assist/vector/qdrant/qdranttest"
	"github.com/assistd/assist/vector/vectortest"
)

var collections atomic.Int64

// open starts an in-process Qdrant and opens an index on a new collection.
func open(t *testing.T, srv *qdranttest.Server, cfg qdrant.Config) *qdrant.Index {
	t.Helper()
	if cfg.URL == "" {
		cfg.URL = "http://" + srv.Addr()
	}
	if cfg.Collection == "" {
		cfg.Collection = fmt.Sprintf("test_%d", collections.Add(1))
	}
	ix, err := qdrant.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

func TestConformance(t *testing.T) {
	srv := qdranttest.Start(t)
	vectortest.Run(t, func(t *testing.T, dim int) rag.Index {
		return open(t, srv, qdrant.Config{Dim: dim})
	})
}

// client returns a raw client of srv, to look at what the adapter made.
func client(t *testing.T, srv *qdranttest.Server, key string) *pb.Client {
	t.Helper()
	c, err := pb.NewClient(&pb.Config{Host: srv.Host(), Port: srv.Port(), APIKey: key, SkipCompatibilityCheck: true, PoolSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestEnsureCollection(t *testing.T) {
	srv := qdranttest.Start(t)
	ctx := context.Background()
	open(t, srv, qdrant.Config{Collection: "kb", Dim: 8})
	// Opening again is idempotent and creates nothing twice.
	open(t, srv, qdrant.Config{Collection: "kb", Dim: 8})
	if n := srv.Calls("/qdrant.Collections/Create"); n != 1 {
		t.Errorf("Create called %d times, want 1", n)
	}
	if n := srv.Calls("/qdrant.Points/CreateFieldIndex"); n != 5 {
		t.Errorf("CreateFieldIndex called %d times, want 5", n)
	}

	info, err := client(t, srv, "").GetCollectionInfo(ctx, "kb")
	if err != nil {
		t.Fatal(err)
	}
	params := info.GetConfig().GetParams()
	dense := params.GetVectorsConfig().GetParamsMap().GetMap()[qdrant.DenseVector]
	if dense.GetSize() != 8 || dense.GetDistance() != pb.Distance_Cosine {
		t.Errorf("dense vector params %v, want size 8 cosine", dense)
	}
	if sp, ok := params.GetSparseVectorsConfig().GetMap()[qdrant.SparseVector]; !ok || sp.GetModifier() == pb.Modifier_Idf {
		t.Errorf("sparse vector params %v, want one without the collection-wide IDF modifier", sp)
	}
	schema := info.GetPayloadSchema()
	for _, f := range []string{"tenant", "kb", "lang", "doc", "terms"} {
		if schema[f].GetDataType() != pb.PayloadSchemaType_Keyword {
			t.Errorf("payload index %s: %v, want keyword", f, schema[f])
		}
	}
	if !schema["tenant"].GetParams().GetKeywordIndexParams().GetIsTenant() {
		t.Errorf("tenant index is not marked is_tenant: %v", schema["tenant"])
	}

	// A collection made for another embedder is refused.
	_, err = qdrant.Open(ctx, qdrant.Config{URL: "http://" + srv.Addr(), Collection: "kb", Dim: 16})
	if assist.ErrorCode(err) != assist.EINVALID {
		t.Errorf("Open with another dim: %v, want EINVALID", err)
	}
}

// TestRefusesSharedIDF refuses a collection whose sparse vector has
// Qdrant's IDF modifier: its term statistics are collection-wide, so one
// tenant's documents would move another's scores.
func TestRefusesSharedIDF(t *testing.T) {
	srv := qdranttest.Start(t)
	ctx := context.Background()
	err := client(t, srv, "").CreateCollection(ctx, &pb.CreateCollection{
		CollectionName: "old",
		SparseVectorsConfig: pb.NewSparseVectorsConfig(map[string]*pb.SparseVectorParams{
			qdrant.SparseVector: {Modifier: pb.Modifier_Idf.Enum()},
		}),
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = qdrant.Open(ctx, qdrant.Config{URL: "http://" + srv.Addr(), Collection: "old"})
	if assist.ErrorCode(err) != assist.EINVALID || !strings.Contains(err.Error(), "new collection") {
		t.Errorf("Open on a collection with the IDF modifier: %v, want EINVALID asking for a new collection", err)
	}
}

func TestKeywordOnlyCollection(t *testing.T) {
	srv := qdranttest.Start(t)
	ix := open(t, srv, qdrant.Config{Dim: 0})
	ctx := context.Background()
	k := rag.DocKey{TenantID: "t", KB: "kb", Doc: "d"}
	if err := ix.Replace(ctx, k, []rag.Chunk{{DocKey: k, Text: "hello", Terms: []string{"hello"}}}); err != nil {
		t.Fatal(err)
	}
	hits, err := ix.Search(ctx, rag.Query{Filter: rag.Filter{TenantID: "t", KB: "kb"}, Terms: []string{"hello"}})
	if err != nil || len(hits) != 1 || hits[0].Chunk.Text != "hello" {
		t.Fatalf("Search = %v, %v", hits, err)
	}
	// The chunk had no ID: it got a UUIDv7.
	if len(hits[0].Chunk.ID) != 36 || hits[0].Chunk.ID[14] != '7' {
		t.Errorf("generated id %q is not a UUIDv7", hits[0].Chunk.ID)
	}
	_, err = ix.Search(ctx, rag.Query{Filter: rag.Filter{TenantID: "t", KB: "kb"}, Vector: []float32{1}})
	if assist.ErrorCode(err) != assist.EINVALID {
		t.Errorf("dense query on a keyword-only index: %v, want EINVALID", err)
	}
}

func TestReplaceRefusesBadIDs(t *testing.T) {
	srv := qdranttest.Start(t)
	ix := open(t, srv, qdrant.Config{Dim: 2})
	k := rag.DocKey{TenantID: "t", KB: "kb", Doc: "d"}
	for _, chunks := range [][]rag.Chunk{
		{{DocKey: k, ID: "chunk-1"}},
		{{DocKey: k, ID: "0195f3c4-7d3a-7c11-9b7e-1f2a3b4c5d6e"}, {DocKey: k, ID: "0195F3C4-7D3A-7C11-9B7E-1F2A3B4C5D6E"}},
	} {
		if err := ix.Replace(context.Background(), k, chunks); assist.ErrorCode(err) != assist.EINVALID {
			t.Errorf("Replace(%v) = %v, want EINVALID", chunks, err)
		}
	}
	if n := srv.Calls("/qdrant.Points/Upsert"); n != 0 {
		t.Errorf("a refused Replace sent %d upserts", n)
	}
}

func TestReplaceManyChunks(t *testing.T) {
	srv := qdranttest.Start(t)
	ix := open(t, srv, qdrant.Config{Collection: "many", Dim: 2})
	ctx := context.Background()
	k := rag.DocKey{TenantID: "t", KB: "kb", Doc: "big"}
	chunks := func(n int, term string) []rag.Chunk {
		var cs []rag.Chunk
		for i := range n {
			cs = append(cs, rag.Chunk{DocKey: k, Ord: i, Terms: []string{term, fmt.Sprint("n", i)}, Vector: []float32{1, float32(i)}})
		}
		return cs
	}
	if err := ix.Replace(ctx, k, chunks(600, "first")); err != nil {
		t.Fatal(err)
	}
	if err := ix.Replace(ctx, k, chunks(300, "second")); err != nil {
		t.Fatal(err)
	}
	if n := srv.PointCount("many"); n != 300 {
		t.Errorf("%d points after replacing 600 chunks by 300", n)
	}
	docs, err := ix.Documents(ctx, rag.Filter{TenantID: "t", KB: "kb"})
	if err != nil || len(docs) != 1 || docs[0].Chunks != 300 {
		t.Errorf("Documents = %+v, %v; want big with 300 chunks (paged scroll)", docs, err)
	}
}

func TestUnavailable(t *testing.T) {
	srv := qdranttest.Start(t)
	ix := open(t, srv, qdrant.Config{Dim: 2})
	srv.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	f := rag.Filter{TenantID: "t", KB: "kb"}
	_, err := ix.Search(ctx, rag.Query{Filter: f, Terms: []string{"x"}})
	if assist.ErrorCode(err) != assist.EUNAVAILABLE {
		t.Errorf("Search on a stopped server: %v, want EUNAVAILABLE", err)
	}
	k := rag.DocKey{TenantID: "t", KB: "kb", Doc: "d"}
	if err := ix.Replace(ctx, k, nil); assist.ErrorCode(err) != assist.EUNAVAILABLE {
		t.Errorf("Replace on a stopped server: %v, want EUNAVAILABLE", err)
	}
	if _, err := ix.Documents(ctx, f); assist.ErrorCode(err) != assist.EUNAVAILABLE {
		t.Errorf("Documents on a stopped server: %v, want EUNAVAILABLE", err)
	}
}

func TestAPIKey(t *testing.T) {
	srv := qdranttest.Start(t)
	srv.APIKey = "s3cret"
	_, err := qdrant.Open(context.Background(), qdrant.Config{URL: srv.Addr(), Collection: "k", Dim: 2, APIKey: "wrong"})
	if assist.ErrorCode(err) != assist.EUNAVAILABLE {
		t.Errorf("Open with a wrong key: %v, want EUNAVAILABLE", err)
	}
	open(t, srv, qdrant.Config{URL: srv.Addr(), Dim: 2, APIKey: "s3cret"})
}

func TestCanceled(t *testing.T) {
	srv := qdranttest.Start(t)
	ix := open(t, srv, qdrant.Config{Dim: 2})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ix.Search(ctx, rag.Query{Filter: rag.Filter{TenantID: "t", KB: "kb"}, Terms: []string{"x"}})
	if err == nil {
		t.Fatalf("Search with a canceled context: %v", err)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v does not wrap context.Canceled", err)
	}
}

func TestBadConfig(t *testing.T) {
	for _, url := range []string{"ftp://host:1", "http://host:99999", "http://host:6334/path", "http://"} {
		_, err := qdrant.Open(context.Background(), qdrant.Config{URL: url})
		if assist.ErrorCode(err) != assist.EINVALID {
			t.Errorf("Open(%q) = %v, want EINVALID", url, err)
		}
	}
	if _, err := qdrant.New(nil, qdrant.Config{Dim: -1}); assist.ErrorCode(err) != assist.EINVALID {
		t.Errorf("New with a negative dim: %v", err)
	}
}

// TestHybridRequest checks the requests a hybrid search sends: one batch
// of queries, after counting the knowledge base's chunks and those with
// each query term (the keyword leg's IDF), which the next search reuses
// until the knowledge base changes.
func TestHybridRequest(t *testing.T) {
	srv := qdranttest.Start(t)
	ix := open(t, srv, qdrant.Config{Dim: 2})
	ctx := context.Background()
	k := rag.DocKey{TenantID: "t", KB: "kb", Doc: "d"}
	if err := ix.Replace(ctx, k, []rag.Chunk{{DocKey: k, Lang: "zh", Text: "退货", Terms: []string{"退货"}, Vector: []float32{1, 0}}}); err != nil {
		t.Fatal(err)
	}
	q := rag.Query{Filter: rag.Filter{TenantID: "t", KB: "kb", Lang: "zh"}, Terms: []string{"退货", "运费"}, Vector: []float32{1, 0}}
	for i, wantCounts := range []int{3, 0} {
		batches, counts := srv.Calls("/qdrant.Points/QueryBatch"), srv.Calls("/qdrant.Points/Count")
		hits, err := ix.Search(ctx, q)
		if err != nil || len(hits) != 1 || hits[0].KeywordRank != 1 {
			t.Fatalf("search %d = %+v, %v; want the chunk, found by both legs", i, hits, err)
		}
		if n := srv.Calls("/qdrant.Points/QueryBatch") - batches; n != 1 {
			t.Errorf("search %d sent %d QueryBatch requests, want 1", i, n)
		}
		if n := srv.Calls("/qdrant.Points/Count") - counts; n != wantCounts {
			t.Errorf("search %d sent %d Count requests, want %d", i, n, wantCounts)
		}
	}
	if n := srv.Calls("/qdrant.Points/Query"); n != 0 {
		t.Errorf("hybrid search sent %d single queries", n)
	}
}

func TestSparseIndex(t *testing.T) {
	// FNV-1a 32 test vectors, so the index never changes under stored
	// collections.
	for term, want := range map[string]uint32{"": 0x811c9dc5, "a": 0xe40c292c, "foobar": 0xbf9cf968} {
		if got := qdrant.SparseIndex(term); got != want {
			t.Errorf("SparseIndex(%q) = %#x, want %#x", term, got, want)
		}
	}
	if qdrant.SparseIndex("退货") == qdrant.SparseIndex("退款") {
		t.Error("different terms share an index")
	}
}

// TestDocFreqs counts the points of one knowledge base holding each term.
func TestDocFreqs(t *testing.T) {
	srv := qdranttest.Start(t)
	ix := open(t, srv, qdrant.Config{Dim: 0})
	ctx := context.Background()
	k := rag.DocKey{TenantID: "t", KB: "kb", Doc: "d"}
	other := rag.DocKey{TenantID: "t2", KB: "kb", Doc: "d"}
	for _, tc := range []struct {
		key   rag.DocKey
		terms [][]string
	}{{k, [][]string{{"退货", "运费"}, {"退货", "时效"}}}, {other, [][]string{{"发票", "运费"}}}} {
		var cs []rag.Chunk
		for i, terms := range tc.terms {
			cs = append(cs, rag.Chunk{DocKey: tc.key, Ord: i, Text: strings.Join(terms, ""), Terms: terms})
		}
		if err := ix.Replace(ctx, tc.key, cs); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ix.DocFreqs(ctx, rag.Filter{TenantID: "t", KB: "kb"}, []string{"退货", "运费", "发票", "鲸鱼", "退货"})
	if err != nil || fmt.Sprint(got) != "[2 1 0 0 2]" {
		t.Errorf("DocFreqs = %v, %v; want [2 1 0 0 2]", got, err)
	}
}
