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
// a saved reply, answered questions to compare with), the way agents get
// it: a customer message posted into a conversation an agent owns, and
// the time from the message's stored timestamp until its Set reaches the
// agent's notifier (history and dialog state read, NLU, sentiment,
// retrieval, macros, similar answers, next steps, summary). Every ten
// messages the customer is a new one, handed off and assigned outside the
// timing. It reports p50 and p99 as custom metrics (target: p99 ≤ 50 ms).
func BenchmarkAssist(b *testing.B) {
	requireORTTB(b)
	ctx := b.Context()
	d := newStoryDriver(storyConfig(b), b.TempDir())
	b.Cleanup(func() { d.Close() })
	if _, err := d.Start(ctx, eval.StoryStart{Lang: "en", Customer: "C1001"}); err != nil {
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
	sets := make(chan *agentassist.Set, 16)
	m.Assist.Notifier = notifyFunc(func(s *agentassist.Set) { sets <- s })
	texts := []string{
		"where is the refund for DD202611050002?",
		"how long does a refund take?",
		"THIS IS RIDICULOUS, I WAITED TWO WEEKS",
		"can you change the address of my order",
	}
	var cust assist.Principal
	newCustomer := func() {
		c, tok, err := m.Conversations.CreateTrusted(ctx, d.tenant, conversation.NewConversation{Channel: "bench", Lang: "en"})
		if err != nil {
			b.Fatal(err)
		}
		if cust, err = m.Conversations.Authorize(ctx, c.ID, tok); err != nil {
			b.Fatal(err)
		}
		if _, err := m.Conversations.Post(ctx, cust, c.ID, conversation.NewMessage{Text: "I want to talk to a person"}); err != nil {
			b.Fatal(err)
		}
		if err := m.Conversations.SetOwner(ctx, d.tenant, c.ID, assist.OwnerAgent, "bench-agent", "claimed"); err != nil {
			b.Fatal(err)
		}
	}
	var lat []time.Duration
	i := 0
	for b.Loop() {
		if i%10 == 0 {
			b.StopTimer()
			newCustomer()
			b.StartTimer()
		}
		res, err := m.Conversations.Post(ctx, cust, cust.ConversationID, conversation.NewMessage{Text: texts[i%len(texts)]})
		if err != nil {
			b.Fatal(err)
		}
		i++
		set := <-sets
		lat = append(lat, time.Since(res.Message.CreatedAt))
		if set.MessageID != res.Message.ID {
			b.Fatal("set for another message")
		}
	}
	slices.Sort(lat)
	b.ReportMetric(millis(quantile(lat, 0.50)), "p50-ms")
	b.ReportMetric(millis(quantile(lat, 0.99)), "p99-ms")
}

type notifyFunc func(*agentassist.Set)

func (f notifyFunc) Assist(_, _ string, s *agentassist.Set) { f(s) }
