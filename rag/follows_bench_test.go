package rag_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/assistd/assist/rag"
)

// The cost of a short follow-up with words of its own asked right after
// an answer (Follows), searched afresh (no search cache): the question's
// own search decides whether it is read in the topic's document, with
// Follows unset as the base.
func BenchmarkFollowsDraft(b *testing.B) {
	ix := &searchCountingIndex{}
	s := demoOn(b, ix, "en-shipping.md", "en-returns.md", "en-invoices.md", "en-membership.md", "en-refunds.md", "en-faq.jsonl",
		"zh-shipping.md", "zh-returns.md", "zh-invoices.md", "zh-membership.md", "zh-refunds.md", "zh-faq.jsonl")
	s.Config.SearchCacheTTL = -1
	ctx := context.Background()
	turns := []struct{ topic, q string }{
		{"寄到拉萨要几天", "运费要多少"},
		{"怎么开发票", "会员有哪些等级"},
		{"how many days does delivery to lhasa take", "what's the shipping cost"},
		{"how do I get an invoice", "what membership levels are there"},
		{"退款一般多久到账", "优惠券能叠加吗"},
		{"how long does a refund take", "can i use points to pay"},
	}
	for _, follows := range []bool{false, true} {
		name := "alone"
		if follows {
			name = "follows"
		}
		b.Run(name, func(b *testing.B) {
			ix.n.Store(0)
			i := 0
			for b.Loop() {
				tc := turns[i%len(turns)]
				i++
				if _, err := s.Draft(ctx, rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: tc.q, Topic: tc.topic, Follows: follows}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(ix.n.Load())/float64(i), "searches/op")
		})
	}
}

// searchCountingIndex counts the searches run on it.
type searchCountingIndex struct {
	listingIndex
	n atomic.Int64
}

func (c *searchCountingIndex) Search(ctx context.Context, q rag.Query) ([]rag.Hit, error) {
	c.n.Add(1)
	return c.listingIndex.Search(ctx, q)
}
