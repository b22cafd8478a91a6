package routing

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/assistd/assist"
)

// A hand-off's intent and reason choose the skill queue through the
// default maps, with the reason winning.
func TestHandOffSkill(t *testing.T) {
	tests := []struct {
		intent, reason, skill string
	}{
		{"return_request", "no_automation", "returns"},
		{"track_shipment", "no_automation", "orders"},
		{"invoice", "customer_request", "billing"},
		{"complaint", "complaint", "complaints"},
		{"track_shipment", "anger", "senior"},
		{"", "customer_request", "general"},
		{"greeting", "customer_request", "general"},
	}
	for _, tc := range tests {
		t.Run(tc.intent+"/"+tc.reason, func(t *testing.T) {
			env := newTestEnv(t, DefaultConfig())
			c := env.convs.add(tenantA, "c1", assist.OwnerQueue)
			m := &assist.Message{Text: "hello"}
			if err := env.e.HandOff(context.Background(), c, assist.Handoff{Reason: tc.reason, Intent: tc.intent}, m); err != nil {
				t.Fatal(err)
			}
			if en := env.entry("c1"); en.Skill != tc.skill {
				t.Errorf("skill %q, want %q", en.Skill, tc.skill)
			}
		})
	}
}

// The hand-off's VIP flag, sentiment and evidence reach the entry and its
// first decision.
func TestHandOffFeed(t *testing.T) {
	tests := []struct {
		name          string
		h             assist.Handoff
		wantTier      Tier
		wantSentiment float64
		wantPriority  float64 // base priority with DefaultConfig, beyond the reason's weight
		wantNote      string
	}{
		{"plain", assist.Handoff{Reason: "no_automation"}, TierStandard, 0, 0, "reason no_automation"},
		{"vip flag", assist.Handoff{Reason: "customer_request", VIP: true}, TierVIP, 0, 30, "reason customer_request"},
		{"vip reason", assist.Handoff{Reason: "vip_complaint"}, TierVIP, 0, 30, "reason vip_complaint"},
		{"negative", assist.Handoff{Reason: "negative_trend", Sentiment: -0.5,
			Evidence: map[string]string{"trend": "-0.50", "negative_run": "3"}},
			TierStandard, -0.5, 10, "reason negative_trend; evidence: negative_run=3, trend=-0.50"},
		{"clamped", assist.Handoff{Reason: "anger", Sentiment: -7, Evidence: map[string]string{"anger": "0.97"}},
			TierStandard, -1, 20, "reason anger; evidence: anger=0.97"},
		{"clamped high", assist.Handoff{Reason: "customer_request", Sentiment: 3}, TierStandard, 1, 0, "reason customer_request"},
		{"nan", assist.Handoff{Reason: "customer_request", Sentiment: math.NaN()}, TierStandard, 0, 0, "reason customer_request"},
		{"unsafe evidence", assist.Handoff{Reason: "customer_request", Evidence: map[string]string{
			"phrase": "我要\n人工", "bad key!": "x", strings.Repeat("k", 41): "y", "long": strings.Repeat("长", 100)}},
			TierStandard, 0, 0, "reason customer_request; evidence: long=" + strings.Repeat("长", 59) + "…, phrase=我要 人工"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestEnv(t, DefaultConfig())
			c := env.convs.add(tenantA, "c1", assist.OwnerQueue)
			if err := env.e.HandOff(context.Background(), c, tt.h, &assist.Message{Text: "hello"}); err != nil {
				t.Fatal(err)
			}
			en := env.entry("c1")
			extra := en.BasePriority - DefaultConfig().ReasonWeights[tt.h.Reason]
			if en.Tier != tt.wantTier || en.Sentiment != tt.wantSentiment || extra != tt.wantPriority {
				t.Errorf("entry tier %q sentiment %v priority %v beyond the reason, want %q %v %v",
					en.Tier, en.Sentiment, extra, tt.wantTier, tt.wantSentiment, tt.wantPriority)
			}
			ds, err := env.store.Decisions(context.Background(), tenantA, "c1", 0)
			if err != nil || len(ds) != 1 {
				t.Fatalf("decisions %v, %v; want one", ds, err)
			}
			if ds[0].Note != tt.wantNote {
				t.Errorf("note %q, want %q", ds[0].Note, tt.wantNote)
			}
			// Supervisors see the sentiment and intent in the queue.
			qs, err := env.e.Queues(assist.Principal{TenantID: tenantA, UserID: "sup", Role: assist.RoleSupervisor}, 10)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, q := range qs {
				for _, qe := range q.Entries {
					if qe.ConversationID == "c1" {
						found = true
						if qe.Sentiment != tt.wantSentiment || qe.Intent != tt.h.Intent {
							t.Errorf("queue entry sentiment %v intent %q, want %v %q", qe.Sentiment, qe.Intent, tt.wantSentiment, tt.h.Intent)
						}
					}
				}
			}
			if !found {
				t.Errorf("c1 not in the queues %+v", qs)
			}
		})
	}
}

func TestEvidenceNoteLimits(t *testing.T) {
	ev := map[string]string{}
	for i := range 20 {
		ev[fmt.Sprintf("k%02d", i)] = strings.Repeat("v", 100)
	}
	note := EvidenceNote("", ev)
	if !strings.HasPrefix(note, "evidence: k00=") || strings.Contains(note, "k08=") {
		t.Errorf("note %q: want the first 8 keys only", note)
	}
	if n := utf8.RuneCountInString(note); n > 400 {
		t.Errorf("note has %d runes, want at most 400", n)
	}
	if got := EvidenceNote("", nil); got != "" {
		t.Errorf("EvidenceNote of nothing = %q", got)
	}
	if got := EvidenceNote("x", map[string]string{"a": "\xff"}); got != "reason x; evidence: a=\uFFFD" {
		t.Errorf("invalid UTF-8: %q", got)
	}
}

// QueuePosition tells the customer's place while queued, 0 once an agent
// has it, and nothing for a conversation routing does not hold.
func TestQueuePosition(t *testing.T) {
	env := newTestEnv(t, DefaultConfig())
	for _, id := range []string{"c1", "c2", "c3"} {
		env.escalate(Escalation{ConversationID: id, Reason: "customer_request"})
	}
	if pos, ok := env.e.QueuePosition(tenantA, "c3"); !ok || pos != 3 {
		t.Errorf("QueuePosition(c3) = %d, %v; want 3, true", pos, ok)
	}
	if _, ok := env.e.QueuePosition(tenantA, "nope"); ok {
		t.Error("QueuePosition of an unrouted conversation is ok")
	}
	if _, ok := env.e.QueuePosition("tenant-x", "c1"); ok {
		t.Error("QueuePosition across tenants is ok")
	}
	env.addAgents(tenantA, agentSpec{id: "a1", skills: map[string]int{"general": 1}, capacity: 1})
	if pos, ok := env.e.QueuePosition(tenantA, "c1"); !ok || pos != 0 {
		t.Errorf("QueuePosition(c1) once offered = %d, %v; want 0, true", pos, ok)
	}
	if pos, ok := env.e.QueuePosition(tenantA, "c3"); !ok || pos != 2 {
		t.Errorf("QueuePosition(c3) after c1 left the queue = %d, %v; want 2, true", pos, ok)
	}
}

// A customer who stops waiting leaves the queue and is the bot's again;
// one a person already has stays with that person.
func TestWithdraw(t *testing.T) {
	env := newTestEnv(t, DefaultConfig())
	for _, id := range []string{"c1", "c2"} {
		env.escalate(Escalation{ConversationID: id, Reason: "customer_request"})
	}
	ctx := context.Background()
	c1, _ := env.convs.Conversation(ctx, tenantA, "c1")
	if err := env.e.Withdraw(ctx, c1); err != nil {
		t.Fatal(err)
	}
	if o, _ := env.convs.owner(tenantA, "c1"); o != assist.OwnerBot {
		t.Errorf("c1: owner %s after leaving the queue, want bot", o)
	}
	if pos, ok := env.e.QueuePosition(tenantA, "c2"); !ok || pos != 1 {
		t.Errorf("c2: position %d, %v after c1 left; want 1", pos, ok)
	}
	env.addAgents(tenantA, agentSpec{id: "a1", skills: map[string]int{"general": 1}, capacity: 1})
	if _, err := env.e.Accept(ctx, agentP(tenantA, "a1"), "c2"); err != nil {
		t.Fatal(err)
	}
	c2, _ := env.convs.Conversation(ctx, tenantA, "c2")
	if err := env.e.Withdraw(ctx, c2); assist.ErrorCode(err) != assist.ECONFLICT {
		t.Errorf("withdrawing a conversation an agent has: %v, want ECONFLICT", err)
	}
	if o, _ := env.convs.owner(tenantA, "c2"); o != assist.OwnerAgent {
		t.Errorf("c2: owner %s, want agent", o)
	}
	if err := env.e.Withdraw(ctx, &assist.Conversation{TenantID: tenantA, ID: "never-routed"}); err != nil {
		t.Errorf("an unrouted conversation: %v", err)
	}
}
