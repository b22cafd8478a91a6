package routing

import (
	"context"
	"fmt"
	"testing"

	"github.com/assistd/assist"
)

// benchEnv is a tenant with 1,000 online agents and 10,000 queued
// conversations spread over skills and languages. Agents are at capacity
// unless free is set, in which case each has room for one more.
func benchEnv(b *testing.B, free bool) *testEnv {
	b.Helper()
	ctx := context.Background()
	env := newTestEnv(b, DefaultConfig())
	env.bus = nil
	skills := []string{"billing", "returns", "orders", "complaints", "senior"}
	e := env.e
	e.bus = nil
	for i := range 1000 {
		id := fmt.Sprintf("agent%04d", i)
		prof := Profile{
			Skills:   map[string]int{skills[i%5]: 1 + i%5, skills[(i+1)%5]: 1 + (i+2)%5, "general": 1 + i%3},
			Langs:    []string{[]string{"zh", "en"}[i%2]},
			Capacity: 4,
		}
		if _, err := e.SetProfile(ctx, supervisor(tenantA), id, prof); err != nil {
			b.Fatal(err)
		}
		e.mu.Lock()
		a := e.tenants[tenantA].agents[id]
		for j := range 4 {
			a.active[fmt.Sprintf("%s-busy%d", id, j)] = struct{}{}
		}
		a.Presence = Online
		e.mu.Unlock()
	}
	intents := []string{"payment_issue", "return_request", "order_status", "complaint"}
	for i := range 10000 {
		id := fmt.Sprintf("q%05d", i)
		env.convs.add(tenantA, id, assist.OwnerQueue)
		_, err := e.Enqueue(ctx, Escalation{TenantID: tenantA, ConversationID: id, Intent: intents[i%4],
			Lang: []string{"zh", "en"}[(i/4)%2], Tier: []Tier{"", "", "", TierVIP}[i%4], Sentiment: -float64(i%5) / 5})
		if err != nil {
			b.Fatal(err)
		}
	}
	if free {
		e.mu.Lock()
		for _, a := range e.tenants[tenantA].agents {
			for j := range 4 {
				delete(a.active, fmt.Sprintf("%s-busy%d", a.UserID, j))
			}
			for j := range 3 {
				a.active[fmt.Sprintf("%s-busy%d", a.UserID, j)] = struct{}{}
			}
		}
		e.mu.Unlock()
	}
	return env
}

// BenchmarkDecision measures one routing decision with 1,000 agents online
// and 10,000 conversations queued:
//
//   - enqueue/offered: a new conversation scores all 1,000 agents and is
//     offered to the best;
//   - enqueue/queued: every agent is full: it is queued and its position
//     computed;
//   - agent_free: an agent frees a slot and takes the best conversation of
//     its skill queues that it can serve.
func BenchmarkDecision(b *testing.B) {
	ctx := context.Background()
	b.Run("enqueue/offered", func(b *testing.B) {
		env := benchEnv(b, true)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			id := fmt.Sprintf("new%d", i)
			d, err := env.e.Enqueue(ctx, Escalation{TenantID: tenantA, ConversationID: id, Lang: "en"})
			if err != nil || d.Action != ActionOffer {
				b.Fatalf("%+v %v", d, err)
			}
			b.StopTimer()
			env.e.mu.Lock()
			t := env.e.tenants[tenantA]
			en := t.entries[id]
			env.e.detachLocked(t, en)
			delete(t.entries, id)
			env.e.mu.Unlock()
			b.StartTimer()
		}
	})
	b.Run("enqueue/queued", func(b *testing.B) {
		env := benchEnv(b, false)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			id := fmt.Sprintf("new%d", i)
			d, err := env.e.Enqueue(ctx, Escalation{TenantID: tenantA, ConversationID: id, Intent: "payment_issue", Lang: "zh"})
			if err != nil || d.Action != ActionQueue || d.Considered != 1000 {
				b.Fatalf("%+v %v", d, err)
			}
			b.StopTimer()
			env.e.mu.Lock()
			t := env.e.tenants[tenantA]
			env.e.detachLocked(t, t.entries[id])
			delete(t.entries, id)
			env.e.mu.Unlock()
			b.StartTimer()
		}
	})
	b.Run("agent_free", func(b *testing.B) {
		env := benchEnv(b, false)
		e := env.e
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			id := fmt.Sprintf("agent%04d", i%1000)
			e.mu.Lock()
			t := e.tenants[tenantA]
			a := t.agents[id]
			delete(a.active, id+"-busy0")
			bt := &batch{}
			e.fillAgentLocked(t, a, e.now(), bt)
			e.pending = append(e.pending, bt)
			e.mu.Unlock()
			e.flush(ctx)
			b.StopTimer()
			e.mu.Lock()
			if len(a.offered) != 1 {
				b.Fatalf("agent %s got %d offers", id, len(a.offered))
			}
			for c := range a.offered {
				e.requeueLocked(t, t.entries[c])
			}
			a.active[id+"-busy0"] = struct{}{}
			e.mu.Unlock()
			b.StartTimer()
		}
	})
}
