package rag_test

import (
	"context"
	"testing"

	"github.com/assistd/assist/rag"
)

// TestFollowsOwnPhrasings: follow-ups with words of their own right
// after an answer, read in the topic's article when it holds their words
// (the remote areas' fee after a remote delivery's days), answered as
// asked when another article does (return postage after delivery days,
// membership levels after a refund's time): the reading REVIEW13A 6 kept while the
// question is searched once.
func TestFollowsOwnPhrasings(t *testing.T) {
	s := demoOn(t, &listingIndex{}, "en-shipping.md", "en-returns.md", "en-invoices.md", "en-membership.md", "en-refunds.md", "en-faq.jsonl",
		"zh-shipping.md", "zh-returns.md", "zh-invoices.md", "zh-membership.md", "zh-refunds.md", "zh-faq.jsonl")
	ctx := context.Background()
	for _, tc := range []struct {
		topic, q      string
		want, notWant []string
	}{
		{"发西藏要多久", "运费多少钱", []string{"15"}, []string{"¥12"}},
		{"新疆几天能到", "运费怎么收", []string{"15"}, []string{"¥12"}},
		{"how long does delivery to xinjiang take", "how much is shipping", []string{"15"}, []string{"¥12"}},
		{"how long does delivery to xinjiang take", "who pays the postage if i send it back", []string{"return"}, []string{"Xinjiang"}},
		{"退款一般多久到账", "会员有哪些等级", []string{"等级"}, []string{"退款"}},
		{"寄到拉萨要几天", "退货运费谁出", []string{"退"}, []string{"拉萨"}},
	} {
		d, err := s.Draft(ctx, rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: tc.q, Topic: tc.topic, Follows: true})
		if err != nil {
			t.Fatal(err)
		}
		rag.CheckAnswer(t, tc.topic+" / "+tc.q, d.Text, tc.want, tc.notWant)
	}
}
