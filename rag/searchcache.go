package rag

import (
	"context"
	"encoding/binary"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
)

// searches caches index searches by index, tenant and base: the same
// question is searched again within a turn and after it (the confidence
// the gap recorder asks for repeats the answer's searches). Like
// faqScopes, the Service forgets a base's searches whenever it changes a
// document of it (forgetPublished), and a search done while a document
// changed is not kept: gen counts the changes of each base. Each base
// keeps at most searchCacheSize searches and starts afresh when full or
// cacheTTL after its first: a change made by another process on the same
// database (`assist ingest` while the server runs) is seen within cacheTTL.
var searches = struct {
	sync.Mutex
	m   map[faqKey]*searchBase
	gen map[faqKey]uint64
}{m: map[faqKey]*searchBase{}, gen: map[faqKey]uint64{}}

// searchBase is the remembered searches of one knowledge base.
type searchBase struct {
	at   time.Time // when the first was remembered
	hits map[string][]Hit
}

// searchCacheSize is the most searches kept per knowledge base.
const searchCacheSize = 1024

// cacheTTL is how long a remembered search (unless Config.SearchCacheTTL
// says otherwise) or published-answer scope is used: the longest another
// process's change to the same database goes unseen. Changes made through
// this process are seen at once.
var cacheTTL = 10 * time.Second // a variable for the tests

// fresh reports whether something cached at at may still be used.
func fresh(at time.Time) bool { return time.Since(at) < cacheTTL }

// searchTTL is how long s uses a remembered search: Config.SearchCacheTTL,
// or cacheTTL.
func (s *Service) searchTTL() time.Duration {
	if s.Config.SearchCacheTTL != 0 {
		return s.Config.SearchCacheTTL
	}
	return cacheTTL
}

// forgetSearches drops the cached searches of key's knowledge base.
func forgetSearches(key faqKey) {
	searches.Lock()
	delete(searches.m, key)
	searches.gen[key]++
	searches.Unlock()
}

// searchKey is what a search is remembered by: everything of q but its
// tenant and base.
func searchKey(q Query) string {
	var b strings.Builder
	b.WriteString(q.Lang)
	b.WriteByte(0)
	b.WriteString(strconv.Itoa(q.Limit))
	b.WriteByte(0)
	b.WriteString(strconv.FormatFloat(q.KeywordWeight, 'g', -1, 64))
	b.WriteByte(0)
	b.WriteString(strconv.FormatFloat(q.DenseWeight, 'g', -1, 64))
	b.WriteByte(0)
	b.WriteString(strconv.Itoa(len(q.Terms)))
	for _, t := range q.Terms {
		b.WriteByte(0)
		b.WriteString(t)
	}
	b.WriteByte(0)
	if q.Vector == nil {
		b.WriteByte('-')
	} else {
		var buf [4]byte
		for _, x := range q.Vector {
			binary.LittleEndian.PutUint32(buf[:], math.Float32bits(x))
			b.Write(buf[:])
		}
	}
	return b.String()
}

// searchIndex is s.Index.Search, remembered per knowledge base. The hits
// come back in a slice of their own (callers reorder them).
func (s *Service) searchIndex(ctx context.Context, q Query) ([]Hit, error) {
	ttl := s.searchTTL()
	if ttl <= 0 || !cacheable(s.Index) {
		return s.Index.Search(ctx, q)
	}
	key := faqKey{s.Index, q.TenantID, q.KB}
	k := searchKey(q)
	searches.Lock()
	var hits []Hit
	ok := false
	if b := searches.m[key]; b != nil && time.Since(b.at) < ttl {
		hits, ok = b.hits[k]
	}
	gen := searches.gen[key]
	searches.Unlock()
	if ok {
		return append([]Hit(nil), hits...), nil
	}
	hits, err := s.Index.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	searches.Lock()
	if searches.gen[key] == gen {
		b := searches.m[key]
		if b == nil || len(b.hits) >= searchCacheSize || time.Since(b.at) >= ttl {
			b = &searchBase{at: time.Now(), hits: make(map[string][]Hit)}
			searches.m[key] = b
		}
		b.hits[k] = append([]Hit(nil), hits...)
	}
	searches.Unlock()
	return hits, nil
}
