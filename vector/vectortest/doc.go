// Package vectortest is the conformance suite every rag.Index must pass,
// in the manner of testing/slogtest: an implementation's test calls
//
//	vectortest.Run(t, func(t *testing.T, dim int) rag.Index { ... })
//
// and Run opens a fresh, empty index of dense dimension dim for each of its
// subtests. The suite covers Replace (replacing, deleting, validation),
// Search (keyword leg, dense leg, weighted reciprocal rank fusion, filters
// by tenant, knowledge base and language, limits, Chinese and English
// terms), Documents, and concurrent use. Its fixtures are built so that
// every asserted order has a clear margin under any sensible keyword
// scoring (BM25 in SQLite FTS5, Qdrant's IDF-weighted sparse dot product):
// ties are never asserted.
//
// Fixture and query vectors are unit length (as embedders make them) and
// every pair has a positive cosine, so an index may score by dot product
// and may drop dense matches at a right angle or more. The order of hits
// for a scaled query vector is checked, its scores are not.
//
// The suite checks these fields of a returned chunk: DocKey, ID, Ord,
// Title, Lang, HeadingPath, Source, UpdatedAt, Text, Question and Answer.
// Terms and Vector need not round-trip.
//
// MemIndex is a simple in-memory reference implementation (BM25 over the
// chunks' terms, exact cosine scan, weighted RRF with k = 60). The suite is
// run against it, which exercises the suite itself; it also serves as a
// fake rag.Index in other packages' tests.
package vectortest
