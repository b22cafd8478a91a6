// Package sqlite is the embedded knowledge-base index: a rag.Index (and a
// rag.GapRecorder) on its own SQLite file (modernc.org/sqlite, WAL,
// migrations embedded and applied with goose).
//
// The keyword leg is one FTS5 table per tenant and knowledge base
// (kb_fts_<hash>) over the chunks' pre-segmented terms, ranked by FTS5's
// BM25: FTS5 counts the chunks, their average length and each term's
// document frequency over the whole table, so a table of its own is what
// keeps another tenant's documents from moving this one's scores. An index
// file from before (one shared kb_fts) is split on Open, from the terms
// // stored in the shared table, without re-analysing anything. The dense leg
// is an exact scan over float32 vectors kept in memory per tenant and
// knowledge base (loaded on first use, dropped when that knowledge base
// changes); the two are fused by weighted reciprocal rank in Go. Index is the main type; Open creates it.
package sqlite
