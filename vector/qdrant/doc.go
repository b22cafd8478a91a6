// Package qdrant is the Qdrant adapter of rag.Index, over gRPC with
// github.com/qdrant/go-client.
//
// All tenants and knowledge bases share one collection (Config.Collection)
// with two named vectors: "dense" (cosine, Config.Dim floats; left out when
// Dim is 0) and "sparse" (a plain dot product). A chunk is one point: its
// id is the chunk's UUIDv7, its sparse vector maps each keyword term to a
// uint32 index by 32-bit FNV-1a with BM25's saturated term frequency as
// value (terms that collide add up), and its payload holds tenant, kb, doc,
// lang, ord, title, heading_path, source, updated_at (Unix nanoseconds),
// text, question, answer and terms (the distinct keyword terms).
// EnsureCollection creates the collection and the payload indexes (tenant:
// keyword with is_tenant, so Qdrant co-locates a tenant's points; kb, lang,
// doc, terms: keyword) if missing, and is idempotent.
//
// Tenant isolation of scores: Qdrant's IDF modifier counts documents over
// the whole collection, so one tenant's ingest would change another's
// ranking and confidence. The adapter therefore computes the IDF itself,
// per tenant and knowledge base: the query's sparse weights are each
// term's ln(1 + (N − n + 0.5)/(n + 0.5)), with N and n counted by Qdrant
// (Count under the tenant/kb filter, and with the term in the terms
// payload). The counts are cached per knowledge base for 30 s and dropped
// when this Index changes it; the same counts answer DocFreqs (the
// answer confidence's known-word share). A point's length is normalised against a
// fixed reference length (60 terms), so its stored weights depend on no
// other point. A collection made with the IDF modifier is refused
// (EINVALID): create a new one and ingest again.
//
// Replace upserts the new points and then deletes the document's other
// points by filter (tenant, kb, doc, and not one of the new ids), both
// with wait. Compared with deleting first, a reader never sees the
// document missing, and a failed upsert leaves the old version in place.
// Qdrant has no transactions: two Replace calls for the same document at
// the same time can interleave, so the caller serialises them (the
// ingester handles one document at a time); different documents are
// independent.
//
// Search with both legs sends one QueryBatch: a hybrid query (a sparse and
// a dense prefetch of Config.Candidates points each, under the tenant/kb/
// lang filter, fused by Qdrant's RRF) plus the two legs alone (ids and
// scores only), which give each hit its per-leg rank and score. Hit.Score
// is the contract's weighted RRF, Σ weight/(60 + rank), so scores mean the
// same as on the embedded index. Qdrant 1.17's weighted RRF scores a rank r
// of a leg with weight w as 1/(r/w + k - 1): with equal weights and
// k = 61 that orders exactly as the contract, so the fused query asks for
// Limit points; with unequal weights the orders can differ, so the fused
// query returns every candidate and the adapter re-ranks by the contract
// formula before cutting to Limit. A single-leg query is a plain nearest
// query.
//
// Errors: gRPC Unavailable, ResourceExhausted, DeadlineExceeded (while the
// context is live), Aborted, Unauthenticated and PermissionDenied map to
// assist.EUNAVAILABLE; InvalidArgument and FailedPrecondition to EINVALID;
// NotFound (no collection) to ENOTFOUND; anything else to EINTERNAL. The
// context's own errors are returned wrapped as they are.
//
// The package is tested with vectortest against the in-process server in
// qdranttest; with the build tag qdrant and ASSIST_QDRANT_URL set, the
// same suite runs against a real Qdrant.
package qdrant
