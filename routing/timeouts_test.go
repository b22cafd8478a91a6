package routing

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/assistd/assist"
)

// runEngine starts the timeout loop until the test ends.
func runEngine(t *testing.T, e *Engine) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); e.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
}

func rules(t *testing.T, env *testEnv, convID string) map[string]int {
	t.Helper()
	ds, err := env.e.Decisions(context.Background(), supervisor(tenantA), convID, 0)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]int{}
	for _, d := range ds {
		m[d.Rule]++
	}
	return m
}

// An offer not accepted in time goes back to the queue and out again; an
// agent who misses MaxMissedOffers in a row is set away and the next agent
// gets the conversation.
func TestOfferTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := DefaultConfig()
		cfg.OfferTimeout = 30 * time.Second
		cfg.MaxMissedOffers = 2
		env := newTestEnv(t, cfg)
		env.addAgents(tenantA, agentSpec{id: "a", skills: map[string]int{"general": 5}}, agentSpec{id: "b", skills: map[string]int{"general": 1}})
		runEngine(t, env.e)
		env.escalate(Escalation{ConversationID: "c1"})

		time.Sleep(29 * time.Second)
		synctest.Wait()
		if en := env.entry("c1"); en.State != StateOffered || en.AgentID != "a" {
			t.Fatalf("at 29 s: %s to %s, want still offered to a", en.State, en.AgentID)
		}
		time.Sleep(2 * time.Second)
		synctest.Wait()
		// Requeued, and a (still online, one miss) is still the best.
		en := env.entry("c1")
		if en.State != StateOffered || en.AgentID != "a" {
			t.Fatalf("at 31 s: %s to %s, want offered to a again", en.State, en.AgentID)
		}
		if st, _ := env.e.AgentStatusOf(tenantA, "a"); st.MissedOffers != 1 || st.Presence != Online {
			t.Fatalf("a: %d misses, %s; want 1, online", st.MissedOffers, st.Presence)
		}
		time.Sleep(30 * time.Second)
		synctest.Wait()
		if st, _ := env.e.AgentStatusOf(tenantA, "a"); st.Presence != Away || st.Load != 0 {
			t.Fatalf("a after two misses: %s, load %d; want away, 0", st.Presence, st.Load)
		}
		if en := env.entry("c1"); en.State != StateOffered || en.AgentID != "b" {
			t.Fatalf("after a went away: %s to %s, want offered to b", en.State, en.AgentID)
		}
		if got := rules(t, env, "c1")[RuleOfferTimeout]; got != 2 {
			t.Errorf("%d offer_timeout decisions, want 2", got)
		}
		// b accepts in time: no more timeouts.
		if _, err := env.e.Accept(context.Background(), agentP(tenantA, "b"), "c1"); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Minute)
		synctest.Wait()
		if en := env.entry("c1"); en.State != StateAssigned || en.AgentID != "b" {
			t.Errorf("accepted conversation: %s to %s", en.State, en.AgentID)
		}
	})
}

// A customer who stops writing is gone: the conversation closes, whether
// An agent whose workspace is connected (an open event stream) is present:
// missed offers go to the next agent but do not set them away.
func TestMissedOffersConnectedWorkspaceStaysOnline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := DefaultConfig()
		cfg.OfferTimeout = 30 * time.Second
		cfg.MaxMissedOffers = 2
		env := newTestEnv(t, cfg)
		env.addAgents(tenantA, agentSpec{id: "a", skills: map[string]int{"general": 5}}, agentSpec{id: "b", skills: map[string]int{"general": 1}})
		sub := env.bus.Subscribe(tenantA, "a", assist.RoleAgent)
		runEngine(t, env.e)
		env.escalate(Escalation{ConversationID: "c1"})
		time.Sleep(61 * time.Second)
		synctest.Wait()
		if st, _ := env.e.AgentStatusOf(tenantA, "a"); st.Presence != Online || st.MissedOffers != 2 {
			t.Fatalf("connected agent after two misses: %s, %d misses; want online", st.Presence, st.MissedOffers)
		}
		// The workspace closes: the next miss sets a away.
		sub.Close()
		time.Sleep(30 * time.Second)
		synctest.Wait()
		if st, _ := env.e.AgentStatusOf(tenantA, "a"); st.Presence != Away {
			t.Errorf("disconnected agent after three misses: %s; want away", st.Presence)
		}
	})
}

// it waits or an agent has it; a customer message restarts the clock.
func TestCustomerGone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := DefaultConfig()
		cfg.CustomerIdleTimeout = 10 * time.Minute
		cfg.OfferTimeout = time.Hour
		env := newTestEnv(t, cfg)
		env.addAgents(tenantA, agentSpec{id: "a", skills: map[string]int{"billing": 1}})
		runEngine(t, env.e)
		env.escalate(Escalation{ConversationID: "waiting"})                          // general: nobody
		env.escalate(Escalation{ConversationID: "talking", Intent: "payment_issue"}) // to a
		if _, err := env.e.Accept(context.Background(), agentP(tenantA, "a"), "talking"); err != nil {
			t.Fatal(err)
		}
		time.Sleep(6 * time.Minute)
		c, _ := env.convs.Conversation(context.Background(), tenantA, "talking")
		env.e.CustomerMessage(context.Background(), c, &assist.Message{ID: "m", CreatedAt: time.Now()})
		time.Sleep(4*time.Minute + time.Second)
		synctest.Wait()
		if o, _ := env.convs.owner(tenantA, "waiting"); o != assist.OwnerClosed {
			t.Errorf("waiting: owner %s after 10 idle minutes, want closed", o)
		}
		if _, ok := env.e.Entry(tenantA, "waiting"); ok {
			t.Error("waiting is still routed")
		}
		if o, _ := env.convs.owner(tenantA, "talking"); o != assist.OwnerAgent {
			t.Errorf("talking: owner %s 4 minutes after the customer wrote, want agent", o)
		}
		time.Sleep(6 * time.Minute)
		synctest.Wait()
		if o, _ := env.convs.owner(tenantA, "talking"); o != assist.OwnerClosed {
			t.Errorf("talking: owner %s after 10 idle minutes, want closed", o)
		}
		if st, _ := env.e.AgentStatusOf(tenantA, "a"); st.Load != 0 {
			t.Errorf("a's load %d, want 0", st.Load)
		}
		if got := rules(t, env, "talking")[RuleCustomerGone]; got != 1 {
			t.Errorf("%d customer_gone decisions, want 1", got)
		}
	})
}

// Waiting raises a conversation's priority; past the overflow wait the
// fallback team may take it.
func TestAgingAndOverflow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := DefaultConfig()
		cfg.FallbackTeam = "tier2"
		cfg.OverflowWait = 2 * time.Minute
		env := newTestEnv(t, cfg)
		env.addAgents(tenantA, agentSpec{id: "f", skills: map[string]int{"general": 1}, teams: []string{"tier2"}})
		runEngine(t, env.e)
		env.escalate(Escalation{ConversationID: "c1", Intent: "payment_issue"})
		time.Sleep(90 * time.Second)
		synctest.Wait()
		pos, _ := env.e.Position(tenantA, "c1")
		if pos.State != StateQueued || pos.Priority != 3 { // 2 per minute × 1.5 min
			t.Fatalf("at 90 s: %+v, want queued with priority 3", pos)
		}
		time.Sleep(31 * time.Second)
		synctest.Wait()
		en := env.entry("c1")
		if en.State != StateOffered || en.AgentID != "f" || !en.Overflowed {
			t.Fatalf("after the overflow wait: %+v, want offered to f", en)
		}
		if got := rules(t, env, "c1")[RuleOverflow]; got != 1 {
			t.Errorf("%d overflow decisions, want 1", got)
		}
	})
}
