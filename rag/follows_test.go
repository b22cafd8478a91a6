package rag_test

import (
	"context"
	"testing"

	"github.com/assistd/assist/rag"
)

// TestFollowsReadsInTheTopicsDocument asks, right after a help-center
// answer (Follows), a short question whose own words fit the topic's
// article and another document equally ("运费" is in the shipping fees and
// in the return postage entry): it is answered from the topic's article.
// A question whose words the topic's article does not hold ("会员有哪些等级"
// after an invoice question) is answered as asked.
func TestFollowsReadsInTheTopicsDocument(t *testing.T) {
	s := demoOn(t, &listingIndex{}, "en-shipping.md", "en-returns.md", "en-invoices.md", "en-membership.md", "en-refunds.md", "en-faq.jsonl",
		"zh-shipping.md", "zh-returns.md", "zh-invoices.md", "zh-membership.md", "zh-refunds.md", "zh-faq.jsonl")
	ctx := context.Background()
	for _, tc := range []struct {
		topic, q      string
		want, notWant []string
	}{
		{"寄到拉萨要几天", "运费要多少", []string{"15"}, []string{"¥12"}},
		{"乌鲁木齐能送到吗 大概几天", "运费怎么算", []string{"15"}, []string{"¥12"}},
		{"how many days does delivery to lhasa take", "what's the shipping cost", []string{"15"}, []string{"¥12"}},
		{"怎么开发票", "会员有哪些等级", []string{"等级"}, []string{"发票"}},
		{"how do I get an invoice", "what membership levels are there", []string{"Gold"}, []string{"invoice"}},
	} {
		d, err := s.Draft(ctx, rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: tc.q, Topic: tc.topic, Follows: true})
		if err != nil {
			t.Fatal(err)
		}
		rag.CheckAnswer(t, tc.topic+" / "+tc.q, d.Text, tc.want, tc.notWant)
	}
}
