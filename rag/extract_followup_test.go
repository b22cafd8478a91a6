package rag_test

import (
	"context"
	"testing"

	"github.com/assistd/assist/rag"
)

// TestFollowUpReadsItsTopic asks a question that points back at the one
// before it ("how long does it take" after asking about Ireland): the
// answer is the passage about the topic's subject that holds what the
// question asks (the Ireland row), not a sentence that merely shares the
// question's words ("may take longer").
func TestFollowUpReadsItsTopic(t *testing.T) {
	// The embedded index lists a document's sections: extraction reads
	// every section of the best hit's article.
	s := articlesOn(t, &listingIndex{}, "followup")
	ctx := context.Background()
	for _, tc := range []struct {
		topic, q string
		want     []string
		notWant  []string
	}{
		{"do you deliver to ireland", "how long does it take", []string{"4–6 working days"}, []string{"ferry", "Germany"}},
		{"do you deliver to germany", "how many days will that take", []string{"2–3 working days"}, []string{"ferry", "Ireland"}},
		{"can you match a cheaper price", "how many times can I ask", []string{"once per order"}, nil},
	} {
		d, err := s.Draft(ctx, rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: tc.q, Topic: tc.topic, Continues: true})
		if err != nil {
			t.Fatal(err)
		}
		rag.CheckAnswer(t, tc.topic+" / "+tc.q, d.Text, tc.want, tc.notWant)
	}
}

// TestFollowUpFindsTheTopicsFigure asks, after a help-center question, a
// follow-up whose own words are few or common across the help center
// ("is there a limit per order", "how many times can I do that"): it is
// answered from the topic's article, by the section holding what it asks
// (the 20% cap on points, "once per order"), not declined for finding no
// section of the topic's article among the question's first hits, nor
// answered by a sentence that only shares the word "times".
func TestFollowUpFindsTheTopicsFigure(t *testing.T) {
	// The embedded index lists a document's sections, as extraction reads them.
	s := demoOn(t, &listingIndex{}, "en-membership.md", "en-price-protection.md", "en-refunds.md", "en-warranty.md", "en-payment.md",
		"en-returns.md", "en-shipping.md", "en-faq.jsonl", "zh-membership.md", "zh-price-protection.md", "zh-shipping.md", "zh-faq.jsonl")
	ctx := context.Background()
	for _, tc := range []struct {
		topic, q string
		want     []string
	}{
		{"how much are 5000 points worth when I check out?", "is there a limit per order", []string{"20%"}},
		{"what are my points worth at checkout", "is there a max i can use on one order", []string{"20%"}},
		{"my wool coat got cheaper after I bought it, can I get the difference back", "how many times can I do that", []string{"once per order"}},
		{"the price dropped after i paid, can i get the difference", "how many times am i allowed to do it", []string{"once"}},
		{"who pays shipping to send it in for repair", "and how long does the repair take", []string{"7 business days"}},
		{"价格降了能退差价吗", "能申请几次", []string{"1 次"}},
		// The topic is read with the lexicon's words: Urumqi and Lhasa
		// are in remote areas.
		{"do you ship to urumqi", "and how long does it take to get there", []string{"5–7 days"}},
		{"寄到拉萨运费多少", "几天能到", []string{"5–7 天"}},
		{"can you deliver overseas", "how long would it take to get there", []string{"7–15 days"}},
		// A follow-up whose words no section of the topic holds among its
		// best hits is answered from the topic's own hits.
		{"who pays the postage when I return something I just don't want?", "ok thanks. and if it's faulty?", []string{"we pay"}},
	} {
		d, err := s.Draft(ctx, rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: tc.q, Topic: tc.topic, Continues: true})
		if err != nil {
			t.Fatal(err)
		}
		rag.CheckAnswer(t, tc.topic+" / "+tc.q, d.Text, tc.want, nil)
	}
}
