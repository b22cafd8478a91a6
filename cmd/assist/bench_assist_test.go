package main

import (
	"slices"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/agentassist"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/eval"
)

// BenchmarkAssist measures agent assist without an LLM, in process, on
// the demo setup (intent and sentiment models, the demo knowledge base,
// a saved reply, answered questions to compare with): from a customer
// message stored in a conversation an agent owns to its Set built
// (history and dialog state read, NLU, sentiment, retrieval, macros,
// similar answers, next steps, summary). It reports p50 and p99 as
// custom metrics (target: p99 ≤ 50 ms).
func BenchmarkAssist(b *testing.B) {
	requireORTTB(b)
	ctx := b.Context()
	d := newStoryDriver(storyConfig(b), b.TempDir())
	b.Cleanup(func() { d.Close() })
	convID, err := d.Start(ctx, eval.StoryStart{Lang: "en", Customer: "C1001"})
	if err != nil {
		b.Fatal(err)
	}
	m := d.m
	if _, err := m.Assist.SaveMacro(ctx, d.tenant, "bench", agentassist.Macro{Title: "Refund", Lang: "en", Intent: "refund_status",
		Text: "I've checked order {{order_id}}: the refund is on its way."}); err != nil {
		b.Fatal(err)
	}
	for i, qa := range [][2]string{
		{"how long does a refund take to arrive", "Refunds reach your account 3-5 working days after the warehouse receives the parcel."},
		{"can I change my delivery address", "Yes, until the order ships: I can change it for you now."},
	} {
		_ = m.Assist.Replies.Add(ctx, agentassist.Pair{TenantID: d.tenant, ConversationID: "earlier-" + string(rune('a'+i)), Question: qa[0], Answer: qa[1], Lang: "en", At: time.Now()})
	}
	if _, err := d.Say(ctx, convID, "I want to talk to a person"); err != nil {
		b.Fatal(err)
	}
	if err := m.Conversations.SetOwner(ctx, d.tenant, convID, assist.OwnerAgent, "bench-agent", "claimed"); err != nil {
		b.Fatal(err)
	}
	c, err := m.Conversations.Conversation(ctx, d.tenant, convID)
	if err != nil {
		b.Fatal(err)
	}
	cust := assist.Principal{TenantID: d.tenant, Role: assist.RoleCustomer, ConversationID: convID}
	texts := []string{
		"where is the refund for DD202611050002?",
		"how long does a refund take?",
		"THIS IS RIDICULOUS, I WAITED TWO WEEKS",
		"can you change the address of my order",
	}
	var lat []time.Duration
	i := 0
	for b.Loop() {
		res, err := m.Conversations.Post(ctx, cust, convID, conversation.NewMessage{Text: texts[i%len(texts)]})
		if err != nil {
			b.Fatal(err)
		}
		i++
		start := time.Now()
		set, err := m.Assist.Build(ctx, c, res.Message)
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		if set.MessageID != res.Message.ID {
			b.Fatal("set for another message")
		}
	}
	slices.Sort(lat)
	b.ReportMetric(millis(quantile(lat, 0.50)), "p50-ms")
	b.ReportMetric(millis(quantile(lat, 0.99)), "p99-ms")
}
