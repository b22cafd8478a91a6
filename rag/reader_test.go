package rag_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/assistd/assist/rag"
)

// TestSpecificTheArticleNeverNames: asked whether the shop ships to a place
// its shipping article never names (Macau, when it ships to Hong Kong and
// Singapore), the same passage is a less likely answer than for a place it
// names; in Chinese too, and a place named in another section of the same
// article counts as named.
func TestSpecificTheArticleNeverNames(t *testing.T) {
	s := &rag.Service{Index: &memIndex{}}
	ctx := context.Background()
	for _, d := range []rag.Document{
		{DocKey: rag.DocKey{TenantID: tenant, KB: "help", Doc: "en-shipping.md"}, Title: "Shipping", Chunks: []rag.Chunk{
			{Text: "We ship from our warehouse to Hong Kong and Singapore. Standard delivery takes 3-5 business days.", HeadingPath: []string{"Shipping", "Where we ship"}},
			{Text: "Orders to Taiwan go by sea freight.", HeadingPath: []string{"Shipping", "Other places"}}}},
		{DocKey: rag.DocKey{TenantID: tenant, KB: "help", Doc: "zh-shipping.md"}, Title: "配送", Chunks: []rag.Chunk{
			{Text: "我们从仓库发货，可以寄到香港和新加坡，普通快递3-5个工作日送达。"}}},
		{DocKey: rag.DocKey{TenantID: tenant, KB: "help", Doc: "en-returns.md"}, Title: "Returns", Chunks: []rag.Chunk{
			{Text: "You can return an item within 7 days of delivery."}}},
	} {
		if _, err := s.Ingest(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	absent := slices.Index(rag.FeatureNames, "specific_absent")
	if absent < 0 {
		t.Fatal("no specific_absent feature")
	}
	f := rag.Filter{TenantID: tenant, KB: "help"}
	for _, tc := range []struct{ named, unnamed, lang string }{
		{"do you ship to singapore", "do you ship to macau", "en"},
		{"能寄到新加坡吗", "能寄到澳门吗", "zh"},
		{"do you ship to taiwan", "do you ship to malaysia", "en"},
	} {
		f.Lang = tc.lang
		named, err := s.Draft(ctx, rag.AnswerRequest{Filter: f, Question: tc.named})
		if err != nil {
			t.Fatal(err)
		}
		unnamed, err := s.Draft(ctx, rag.AnswerRequest{Filter: f, Question: tc.unnamed})
		if err != nil {
			t.Fatal(err)
		}
		if len(named.Hits) == 0 || len(unnamed.Hits) == 0 || named.Hits[0].Chunk.Doc != unnamed.Hits[0].Chunk.Doc {
			t.Fatalf("%q / %q: hits differ: %+v / %+v", tc.named, tc.unnamed, named.Hits, unnamed.Hits)
		}
		if named.Features[absent] != 0 || unnamed.Features[absent] != 1 {
			t.Errorf("%q: specific_absent %v, %q: %v; want 0 and 1", tc.named, named.Features[absent], tc.unnamed, unnamed.Features[absent])
		}
		if !(unnamed.Confidence < named.Confidence) {
			t.Errorf("confidence %q %.2f, %q %.2f: want the place never named lower", tc.unnamed, unnamed.Confidence, tc.named, named.Confidence)
		}
	}
}

func TestParseSpecifics(t *testing.T) {
	if _, err := rag.ParseSpecifics(strings.NewReader("# comment\n\nplace\t澳门\tmacau\n")); err != nil {
		t.Errorf("good file: %v", err)
	}
	for _, bad := range []string{"place\t澳门\n", "\t澳门\tmacau\n", "place\t\t\n"} {
		if _, err := rag.ParseSpecifics(strings.NewReader(bad)); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
	if rag.DefaultSpecifics() == nil {
		t.Error("no shipped specifics")
	}
}
