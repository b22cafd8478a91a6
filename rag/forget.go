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
	for k := range faqScopes.m {
		if k.ix == ix {
			delete(faqScopes.m, k)
		}
	}
	for k := range faqScopes.gen {
		if k.ix == ix {
			delete(faqScopes.gen, k)
		}
	}
	faqScopes.Unlock()
	searches.Lock()
	for k := range searches.m {
		if k.ix == ix {
			delete(searches.m, k)
		}
	}
	for k := range searches.gen {
		if k.ix == ix {
			delete(searches.gen, k)
		}
	}
	searches.Unlock()
	contactCache.Lock()
	for k := range contactCache.m {
		if k.ix == ix {
			delete(contactCache.m, k)
		}
	}
	contactCache.Unlock()
}
