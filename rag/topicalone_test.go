package rag_test

import (
	"context"
	"strings"
	"testing"

	"github.com/assistd/assist/rag"
)

// A follow-up searched with its topic's words is no less sure than the
// question alone when both quote the same article: the topic's words
// (a company title, a tax ID) need not be in the passage that answers
// when the invoice is issued.
func TestFollowUpWithTopicNotBelowAlone(t *testing.T) {
	ctx := context.Background()
	s := demoService(t, "zh-invoices.md", "en-invoices.md", "zh-faq.jsonl", "en-faq.jsonl")
	f := rag.Filter{TenantID: tenant, KB: "help"}
	for _, c := range []struct {
		topic, q string
		want     []string // one of them in the reply
		known    string   // not yet: why
	}{
		{"跑鞋那单我要开公司抬头的发票，要填什么", "那它什么时候能开好", []string{"24"}, ""},
		{"我想给卫衣那单开个发票 怎么弄", "那大概多久能开出来", []string{"24"}, "the entry on changing a title (1 个工作日) is quoted"},
		{"how do i get a company invoice for my sweater order", "and when will it be issued", []string{"24 hours", "5 business days"}, ""},
		{"can I get an invoice with my company name on it", "and how soon do I get it", []string{"24 hours", "5 business days"}, ""},
	} {
		alone, err := s.Draft(ctx, rag.AnswerRequest{Filter: f, Question: c.q})
		if err != nil {
			t.Fatal(err)
		}
		with, err := s.Draft(ctx, rag.AnswerRequest{Filter: f, Question: c.q, Topic: c.topic})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%q after %q: alone %.3f %s, with the topic %.3f %s", c.q, c.topic, alone.Confidence, alone.Hits[0].Chunk.Doc, with.Confidence, with.Hits[0].Chunk.Doc)
		if with.Hits[0].Chunk.Doc == alone.Hits[0].Chunk.Doc && with.Confidence < alone.Confidence {
			t.Errorf("%q after %q: %.3f with the topic, %.3f alone", c.q, c.topic, with.Confidence, alone.Confidence)
		}
		if c.known != "" {
			t.Logf("not yet (%s): %q", c.known, with.Text)
			continue
		}
		found := false
		for _, w := range c.want {
			found = found || strings.Contains(with.Text, w)
		}
		if !found {
			t.Errorf("%q after %q: reply %q, want %q", c.q, c.topic, with.Text, c.want)
		}
		if s.Declines(with) {
			t.Errorf("%q after %q: declined at %.3f", c.q, c.topic, with.Confidence)
		}
	}
}
