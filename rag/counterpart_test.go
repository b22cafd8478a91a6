package rag_test

import (
	"context"
	"strings"
	"testing"

	"github.com/assistd/assist/rag"
)

// TestCounterpartInTheCustomersLanguage: a Chinese question that the
// English article answers best is quoted from the Chinese version of that
// article when it says the same (REVIEW14 8), not in English.
func TestCounterpartInTheCustomersLanguage(t *testing.T) {
	s := demoService(t, "en-shipping.md", "zh-shipping.md", "en-faq.jsonl", "zh-faq.jsonl", "en-exchanges.md", "zh-exchanges.md", "en-refunds.md", "zh-refunds.md")
	for q, want := range map[string]string{
		"顺便问下寄香港运费多少":       "$12",
		"寄到澳门运费怎么算":         "$12",
		"我付了299 无理由退货能退多少钱": "287",
	} {
		d, err := s.Draft(context.Background(), rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: q, Lang: "zh"})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(d.Text, want) || strings.Contains(d.Text, "英文") || len(d.Hits) == 0 || d.Hits[0].Chunk.Lang != "zh" {
			t.Errorf("%s: want a Chinese quote with %s, got:\n%s", q, want, d.Text)
		}
	}
}

// TestWhatMembersGet: "what do gold members get" asks the level's
// benefits, the levels table's row (free returns), not only the sentences
// where members "get" a member-day discount (REVIEW14 9).
func TestWhatMembersGet(t *testing.T) {
	s := demoService(t, "en-membership.md", "en-faq.jsonl")
	for q, want := range map[string]string{
		"wait what do gold members get actually": "free returns",
		"what do platinum members get":           "dedicated customer-service line",
	} {
		d, err := s.Draft(context.Background(), rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: q})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(d.Text, want) {
			t.Errorf("%s: want %q, got:\n%s", q, want, d.Text)
		}
	}
}
