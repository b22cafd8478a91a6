package rag

import (
	"context"
	"time"
)

// DocKey names one document of a knowledge base.
type DocKey struct {
	TenantID string
	KB       string
	Doc      string // stable name: the file's base name or the line's id
}

// Chunk is one indexed piece of a document.
type Chunk struct {
	DocKey
	ID          string    // unique id (UUIDv7), assigned by the ingester
	Ord         int       // position in the document, from 0
	Title       string    // the document's title
	Lang        string    // zh, en or mixed
	HeadingPath []string  // headings above the chunk, outermost first
	Source      string    // where it came from (path or URL)
	UpdatedAt   time.Time // when the document was ingested
	Text        string    // the text shown and cited
	Question    string    // for FAQ entries: the question (also indexed)
	Answer      string    // for FAQ entries: the answer
	Terms       []string  // keyword terms (segmented, normalised) of Question+Text
	Vector      []float32 // dense embedding; nil when there is no dense leg
}

// Filter narrows a search or a listing. TenantID and KB are required; Lang
// is optional.
type Filter struct {
	TenantID string
	KB       string
	Lang     string
}

// Query is one hybrid search. Either leg may be empty: no Terms means no
// keyword leg, a nil Vector no dense leg.
type Query struct {
	Filter
	Terms         []string
	Vector        []float32
	Limit         int     // hits to return after fusion
	KeywordWeight float64 // RRF weight of the keyword leg (0 treated as 1)
	DenseWeight   float64 // RRF weight of the dense leg (0 treated as 1)
}

// Hit is one search result. Score is the fused RRF score; KeywordScore and
// DenseScore are each leg's raw score (BM25, cosine) and Rank fields are
// 1-based positions in each leg, 0 when the leg did not return the chunk.
type Hit struct {
	Chunk        Chunk
	Score        float64
	KeywordScore float64
	DenseScore   float64
	KeywordRank  int
	DenseRank    int
}

// DocInfo describes an indexed document.
type DocInfo struct {
	DocKey
	Title     string
	Lang      string
	Source    string
	Chunks    int
	UpdatedAt time.Time
}

// Index stores chunks and searches them. Implementations: the embedded
// SQLite index (vector/sqlite) and Qdrant (vector/qdrant); both pass the
// conformance suite in vector/vectortest.
type Index interface {
	// Replace replaces every chunk of the document key with chunks (which
	// all carry key); an empty chunks deletes the document. Re-ingesting a
	// document therefore never duplicates it. Errors: EINVALID for chunks
	// whose key differs from key or whose vector size differs from the
	// index's.
	Replace(ctx context.Context, key DocKey, chunks []Chunk) error
	// Search runs both legs of q and fuses them by weighted reciprocal rank
	// (k = 60). Only chunks matching q.Filter are returned, best first.
	Search(ctx context.Context, q Query) ([]Hit, error)
	// Documents lists the documents matching f, by name.
	Documents(ctx context.Context, f Filter) ([]DocInfo, error)
}

// DocFreqer is an Index that can tell in how many of a knowledge base's
// chunks each term occurs, in one call; the Service uses it, when the Index
// has it, instead of a one-term search per term. vector/sqlite implements
// it.
type DocFreqer interface {
	// DocFreqs returns the number of f's chunks holding each term (0 for
	// an unknown term or knowledge base). Errors: EINVALID for a bad
	// filter.
	DocFreqs(ctx context.Context, f Filter, terms []string) ([]int, error)
}

// Compacter is an Index that can reorganise a knowledge base's storage
// after a batch of changes so that it is searched faster, without changing
// any result. vector/sqlite implements it: its keyword index gains a piece
// with every document stored, and each piece costs every search a lookup
// per term until they are merged.
type Compacter interface {
	// Compact reorganises f's knowledge base (nothing for one never
	// written). Errors: EINVALID for a bad filter.
	Compact(ctx context.Context, f Filter) error
}
