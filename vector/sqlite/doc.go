// Package sqlite is the embedded knowledge-base index: a rag.Index (and a
// rag.GapRecorder) on its own SQLite file (modernc.org/sqlite, WAL,
// migrations embedded and applied with goose).
//
// The keyword leg is an FTS5 table over the chunks' pre-segmented terms,
// ranked by BM25; the dense leg is an exact scan over float32 vectors kept
// in memory per tenant and knowledge base (loaded on first use, dropped
// when that knowledge base changes); the two are fused by weighted
// reciprocal rank in Go. Index is the main type; Open creates it.
package sqlite
