package rag_test

import (
	"context"
	"testing"

	"github.com/assistd/assist/rag"
)

// TestAnswerIsWhatACustomerReads asks questions whose answer is not the
// sentence sharing the most words with them but the one next to it: the
// reply is the paragraph or the short section a customer would read,
// except where the pieces are separate entries (a list of "label: text")
// or the piece chosen already holds the figure asked for.
func TestAnswerIsWhatACustomerReads(t *testing.T) {
	s := articlesService(t, "units")
	ctx := context.Background()
	for _, tc := range []struct {
		q       string
		want    []string
		notWant []string
	}{
		// The sentence naming the sale shares the words; the next one says
		// how late the parcel may be.
		{"bought something in the summer sale and it still hasn't shipped, is that normal", []string{"up to 4 days"}, nil},
		// The step naming the cancelling shares the words; the next step
		// says it can be undone, and for how long.
		{"取消了鲜花订阅 后悔了 还能改回来吗", []string{"7天反悔期"}, nil},
		// Entries of a "label: text" list answer one each.
		{"do gift messages cost anything", []string{"free"}, []string{"CNY 10", "packing slip"}},
		// The piece holding the day asked for is enough.
		{"鲜花订阅每周几送", []string{"每周五"}, nil},
		// A table whose top-left header is empty: the first cell names the
		// row, the others keep their column's name.
		{"how long is store credit valid for", []string{"Validity — Gift card: 2 years; Store credit: 6 months from issue"}, nil},
		// "how much" is answered with the amount, even where another
		// sentence shares more of the question's words.
		{"how much do i pay up front for a made-to-order sofa in the colour i choose", []string{"20%"}, nil},
		// Two sections answer about as well: both, in the article's order.
		{"toaster warranty?", []string{"Product: Kettles and toasters; Warranty: 1 year", "CNY 60"}, nil},
	} {
		d, err := s.Draft(ctx, rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		rag.CheckAnswer(t, tc.q, d.Text, tc.want, tc.notWant)
	}
}
