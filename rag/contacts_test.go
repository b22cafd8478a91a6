package rag_test

import (
	"context"
	"testing"

	"github.com/assistd/assist/nlu/pii"
	"github.com/assistd/assist/rag"
)

// The shop's contact data is what its articles give, read again when an
// article changes; a published answer (an agent's words) adds nothing.
func TestPublicContactsAreTheArticles(t *testing.T) {
	ctx := context.Background()
	s := shopWithArticles(t)
	f := rag.Filter{TenantID: tenant, KB: "help"}
	publish(t, s, "gap-1", "Write to someone@elsewhere.example.", "who do I write to?")
	pub, err := s.PublicContacts(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if pub.Holds(pii.Email, "someone@elsewhere.example") || pub.Len() != 0 {
		t.Errorf("no article gives an address, got %d values", pub.Len())
	}
	doc := rag.Document{DocKey: rag.DocKey{TenantID: tenant, KB: "help", Doc: "en-contact.md"}, Title: "Contact us", Source: "en-contact.md",
		Chunks: []rag.Chunk{{Text: "E-mail help@shop.example, or call 021-6234 5678 on working days."}}}
	if _, err := s.Ingest(ctx, doc); err != nil {
		t.Fatal(err)
	}
	if pub, err = s.PublicContacts(ctx, f); err != nil {
		t.Fatal(err)
	}
	for _, v := range []struct {
		kind pii.Kind
		text string
		want bool
	}{
		{pii.Email, "jobs@shop.example", false}, // another address at the shop's domain: only what the articles give
		{pii.Email, "HELP@shop.example", true},
		{pii.Phone, "021 6234 5678", true},
		{pii.Email, "someone@elsewhere.example", false},
		{pii.Phone, "13800138000", false},
	} {
		if got := pub.Holds(v.kind, v.text); got != v.want {
			t.Errorf("Holds(%s, %q) = %v, want %v", v.kind, v.text, got, v.want)
		}
	}
	if _, err := s.PublicContacts(ctx, rag.Filter{}); err == nil {
		t.Error("empty filter: no error")
	}
}
