// Package qdranttest is an in-process Qdrant: a gRPC server built on the
// generated server interfaces of github.com/qdrant/go-client (the Qdrant,
// Collections and Points services) that keeps its collections in memory.
// It lets vector/qdrant be tested, through the real client and the real
// wire protocol, where no Qdrant can run.
//
// It implements the part of Qdrant the adapter uses, with Qdrant's
// semantics: collections with named dense vectors (cosine, dot, euclid)
// and sparse vectors (with or without the IDF modifier), payload indexes,
// upsert, delete by ids or filter, scroll with paging, count, and the
// universal query API (nearest on a dense or sparse vector, prefetches,
// fusion by RRF with Qdrant's weighted formula 1/(rank/weight + k - 1),
// limits, offsets and score thresholds, payload selectors) and its batch
// form. Filters support must, should (and min_should), must_not, keyword,
// integer and boolean matches, match any and except, is_empty, is_null,
// has_id and nested filters. Anything else is refused with
// codes.Unimplemented rather than answered wrongly.
//
// Server is the service state; Start runs one on a loopback listener for a
// test. Server.APIKey, when set, is required in the "api-key" metadata as
// Qdrant does.
package qdranttest
