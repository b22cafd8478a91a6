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
