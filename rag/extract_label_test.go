package rag_test

import (
	"context"
	"testing"

	"github.com/assistd/assist/rag"
)

// TestListLabels asks what a list answers where only the list's heading
// or the sentence announcing it holds the question's words: the answer
// is the list so named (and not the list of exceptions beside it, whose
// announcement says "not"), an item quoted alone keeps the sentence that
// says what its list is, and a list question is answered by the table
// whose heading names all of what it lists.
func TestListLabels(t *testing.T) {
	s := articlesService(t, "labels")
	ctx := context.Background()
	for _, tc := range []struct {
		q       string
		want    []string
		notWant []string
	}{
		{"what does the frame guarantee protect?", []string{"cracks in the frame", "welds", "paint that bubbles"}, []string{"crash damage", "racing"}},
		{"what is not protected by the frame guarantee", []string{"crash damage", "racing"}, []string{"welds"}},
		{"is a cracked frame from a car rack protected by the guarantee", []string{"does not protect", "car rack"}, []string{"welds"}},
		{"which ways to pay can I choose", []string{"Bank transfer", "Cycle-to-work voucher"}, []string{"fraud check"}},
		{"锅具质保包括哪些", []string{"涂层起泡", "手柄松动"}, []string{"金属铲", "洗碗机"}},
		{"哪些情况不在质保范围", []string{"金属铲", "空烧", "洗碗机"}, []string{"手柄松动"}},
	} {
		d, err := s.Draft(ctx, rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		rag.CheckAnswer(t, tc.q, d.Text, tc.want, tc.notWant)
	}
}
