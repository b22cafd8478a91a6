package rag_test

import (
	"context"
	"testing"

	"github.com/assistd/assist/rag"
)

// TestQuoteWhatWasAsked asks the demo help center questions whose words
// are spread over the sections of one article: the reply quotes the
// piece about what the question names that gives what it asks for (a
// verdict for "can I", the steps for "how do I", the rate for "how many
// per yuan"), not the piece sharing its other words (the fee row naming
// "changed your mind", the invoice-types row, member day's "get 2% off").
func TestQuoteWhatWasAsked(t *testing.T) {
	s := demoOn(t, &listingIndex{}, "en-returns.md", "zh-returns.md", "en-invoices.md", "zh-invoices.md", "en-membership.md", "zh-membership.md")
	for _, tc := range []struct {
		q       string
		want    []string
		notWant []string
	}{
		// A yes/no question whose subject is in a list of exceptions is
		// answered with that list.
		{"can i return socks if i just changed my mind", []string{"cannot be returned without a reason", "socks"}, nil},
		{"could a pair of socks be sent back if i don't like the colour", []string{"cannot be returned without a reason"}, nil},
		{"can engraved items be returned if i don't like them", []string{"engraved"}, nil},
		{"没拆封的袜子能退不", []string{"袜子"}, nil},
		// A how-to question is answered with the steps.
		{"公司报销要开专票 怎么弄", []string{"增票资质"}, nil},
		{"我们公司要增值税专用发票 怎么申请", []string{"增票资质"}, nil},
		{"how do I get a special VAT invoice for my company", []string{"VAT invoice details"}, nil},
		// "per yuan" is the rate, not the member-day discount others "get".
		{"lol ok. how do points work here, how many do i get per yuan", []string{"1 point for every ¥1"}, []string{"Member day"}},
		{"how many points for each yuan I spend", []string{"1 point for every ¥1"}, nil},
		{"每花一块钱能得几个积分", []string{"得 1 积分"}, nil},
	} {
		d, err := s.Draft(context.Background(), rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		rag.CheckAnswer(t, tc.q, d.Text, tc.want, tc.notWant)
	}
}
