package rag_test

import (
	"context"
	"testing"

	"github.com/assistd/assist/rag"
)

// TestRefundGoesWhereYouPaid asks where a refund goes back to ("my card or
// alipay?"), also as a follow-up of the refund's state: the answer is the
// list saying refunds go back to the account paid with, whose lead-in
// names its items, not only the coupons' line that shares "goes back to
// your account".
func TestRefundGoesWhereYouPaid(t *testing.T) {
	s := demoOn(t, &listingIndex{}, "en-refunds.md", "en-returns.md", "en-payment.md", "en-membership.md", "en-faq.jsonl", "zh-refunds.md", "zh-faq.jsonl")
	ctx := context.Background()
	for _, tc := range []struct{ topic, q string }{
		{"", "will it go back to my card or to alipay?"},
		{"whats happening with my jeans refund", "will it go back to my card or to alipay?"},
		{"", "where does my refund go back to?"},
		{"", "does the refund go back to my card or my wallet?"},
	} {
		for _, cont := range []bool{false, true} {
			if cont && tc.topic == "" {
				continue
			}
			d, err := s.Draft(ctx, rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: tc.q, Topic: tc.topic, Continues: cont})
			if err != nil {
				t.Fatal(err)
			}
			rag.CheckAnswer(t, tc.topic+" / "+tc.q, d.Text, []string{"account you paid with"}, nil)
		}
	}
}
