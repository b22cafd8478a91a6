package rag

import (
	"context"
	"sync"

	"github.com/assistd/assist/nlu/pii"
)

// contactCache holds the contact data each knowledge base's articles
// publish, by index, tenant and base, with the documents it was read from
// (see docsStamp): it is read again only when they changed.
var contactCache = struct {
	sync.Mutex
	m map[faqKey]contactEntry
}{m: map[faqKey]contactEntry{}}

// forgetContacts drops the contact data cached for key's knowledge base:
// a document of it changed (forgetPublished), so the cache holds no more
// bases than the service has kept unchanged since it last read them.
func forgetContacts(key faqKey) {
	contactCache.Lock()
	delete(contactCache.m, key)
	contactCache.Unlock()
}

type contactEntry struct {
	docs string
	pub  *pii.Public
}

// PublicContacts returns the contact data the articles of f's knowledge
// base publish (pii.Public: its e-mail addresses and its
// phone numbers): the shop's own, not personal data. Published gap
// answers are not read (they quote agents). An index that cannot list
// chunks publishes nothing. Errors: EINVALID for a bad filter; the
// index's.
func (s *Service) PublicContacts(ctx context.Context, f Filter) (*pii.Public, error) {
	if err := checkFilter(f); err != nil {
		return nil, err
	}
	lister, ok := s.Index.(ChunkLister)
	if !ok {
		return pii.NewPublic(), nil
	}
	docs, err := s.Index.Documents(ctx, f)
	if err != nil {
		return nil, err
	}
	stamp := docsStamp(docs)
	key := faqKey{s.Index, f.TenantID, f.KB}
	if cacheable(s.Index) {
		contactCache.Lock()
		e, ok := contactCache.m[key]
		contactCache.Unlock()
		if ok && e.docs == stamp {
			return e.pub, nil
		}
	}
	var texts []string
	for _, d := range docs {
		if d.Source == PublishedSource {
			continue
		}
		cs, err := lister.Chunks(ctx, d.DocKey)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			texts = append(texts, c.Text)
		}
	}
	pub := pii.NewPublic(texts...)
	if cacheable(s.Index) {
		contactCache.Lock()
		contactCache.m[key] = contactEntry{docs: stamp, pub: pub}
		contactCache.Unlock()
	}
	return pub, nil
}
