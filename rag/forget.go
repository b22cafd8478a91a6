package rag

// ForgetIndex drops everything the package caches for ix (published-answer
// scopes, remembered searches, published contact data), for every tenant and
// base: call it when ix is closed. The caches are keyed by index, so without
// it each index opened and closed in one process (a test, a story of `assist
// eval dialog`) stays reachable, with its question encoder.
func ForgetIndex(ix Index) {
	if !cacheable(ix) {
		return
	}
	faqScopes.Lock()
	dropIndex(faqScopes.m, ix)
	dropIndex(faqScopes.gen, ix)
	faqScopes.Unlock()
	searches.Lock()
	dropIndex(searches.m, ix)
	dropIndex(searches.gen, ix)
	searches.Unlock()
	contactCache.Lock()
	dropIndex(contactCache.m, ix)
	contactCache.Unlock()
}

// dropIndex deletes m's entries of ix; the caller holds m's lock.
func dropIndex[V any](m map[faqKey]V, ix Index) {
	for k := range m {
		if k.ix == ix {
			delete(m, k)
		}
	}
}
