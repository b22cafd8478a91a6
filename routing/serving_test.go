package routing

import "testing"

// The wait promised to a customer depends on someone serving their queue:
// nobody online for its skill and language is said plainly.
func TestQueueServing(t *testing.T) {
	env := newTestEnv(t, DefaultConfig())
	env.escalate(Escalation{ConversationID: "c1", Reason: "customer_request", Lang: "zh"})
	env.escalate(Escalation{ConversationID: "c2", Reason: "customer_request", Lang: "zh"})
	if n, ok := env.e.QueueServing(tenantA, "c2"); !ok || n != 0 {
		t.Errorf("QueueServing with nobody online = %d, %v; want 0, true", n, ok)
	}
	env.addAgents(tenantA,
		agentSpec{id: "away", skills: map[string]int{"general": 3}, presence: Away},
		agentSpec{id: "en-only", skills: map[string]int{"general": 3}, langs: []string{"en"}},
		agentSpec{id: "billing", skills: map[string]int{"billing": 3}},
	)
	if n, ok := env.e.QueueServing(tenantA, "c2"); !ok || n != 0 {
		t.Errorf("QueueServing with only away, other-language and other-skill agents = %d, %v; want 0, true", n, ok)
	}
	env.addAgents(tenantA, agentSpec{id: "zh", skills: map[string]int{"general": 1}, langs: []string{"zh"}, capacity: 1})
	if n, ok := env.e.QueueServing(tenantA, "c2"); !ok || n != 1 {
		t.Errorf("QueueServing(c2) with a busy agent of its queue = %d, %v; want 1, true", n, ok)
	}
	if n, ok := env.e.QueueServing(tenantA, "c1"); !ok || n != 1 {
		t.Errorf("QueueServing(c1) once offered = %d, %v; want 1, true", n, ok)
	}
	if _, ok := env.e.QueueServing(tenantA, "nope"); ok {
		t.Error("QueueServing of an unrouted conversation is ok")
	}
}
