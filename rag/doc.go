// Package rag answers questions from a tenant's knowledge base: ingestion
// and chunking, hybrid retrieval (keyword + dense, fused by reciprocal rank)
// behind the Index interface, and grounded answers with citations. The
// embedded SQLite index is the default; Qdrant is an adapter.
//
// The implementation arrives with the knowledge-base issue.
package rag
