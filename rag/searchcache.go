package rag

import (
	"context"
	"encoding/binary"
	"math"
	"strconv"
	"strings"
	"sync"
)

// searches caches index searches by index, tenant and base: the same
// question is searched again within a turn and after it (the confidence
// the gap recorder asks for repeats the answer's searches). Like
// faqScopes, the Service forgets a base's searches whenever it changes a
// document of it (forgetPublished), and a search done while a document
// changed is not kept: gen counts the changes of each base. Each base
// keeps at most searchCacheSize searches and starts afresh when full.
var searches = struct {
	sync.Mutex
	m   map[faqKey]map[string][]Hit
	gen map[faqKey]uint64
}{m: map[faqKey]map[string][]Hit{}, gen: map[faqKey]uint64{}}

// searchCacheSize is the most searches kept per knowledge base.
const searchCacheSize = 1024

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
	if !cacheable(s.Index) {
		return s.Index.Search(ctx, q)
	}
	key := faqKey{s.Index, q.TenantID, q.KB}
	k := searchKey(q)
	searches.Lock()
	hits, ok := searches.m[key][k]
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
		m := searches.m[key]
		if m == nil || len(m) >= searchCacheSize {
			m = make(map[string][]Hit)
			searches.m[key] = m
		}
		m[k] = append([]Hit(nil), hits...)
	}
	searches.Unlock()
	return hits, nil
}
