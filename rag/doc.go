// Package rag answers questions from a tenant's knowledge base: ingestion
// and chunking, hybrid retrieval (keyword + dense, fused by reciprocal rank)
// behind the Index interface, and grounded answers with citations. The
// embedded SQLite index is the default; Qdrant is an adapter.
//
// Main types: Service (Ingest, Search, Answer, Delete, Reindex) works on an
// Index with an Analyzer (Bigrams by default: Chinese character bigrams and
// characters, stemmed English words), an optional Embedder (HashEmbedder needs no
// download), an optional Generator (a chat model streaming grounded
// answers; without one, answers are extracted) and an optional GapRecorder
// (questions answered below the confidence threshold). Document, Chunk,
// Query, Hit, Answer and Gap are the data they exchange.
package rag
