package storetest

import (
	"context"
	"fmt"
	"sort"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/routing"
)

// Routing runs the conformance suite of routing.Store. open returns a new,
// empty store for each subtest.
func Routing(t *testing.T, open func(t *testing.T) routing.Store) {
	t.Run("Agents", func(t *testing.T) { testRoutingAgents(t, open(t)) })
	t.Run("Entries", func(t *testing.T) { testRoutingEntries(t, open(t)) })
	t.Run("Decisions", func(t *testing.T) { testRoutingDecisions(t, open(t)) })
	t.Run("Invalid", func(t *testing.T) { testRoutingInvalid(t, open(t)) })
}

func normAgent(a routing.Agent) routing.Agent {
	a.UpdatedAt = normTime(a.UpdatedAt)
	if len(a.Langs) == 0 {
		a.Langs = nil
	}
	if len(a.Teams) == 0 {
		a.Teams = nil
	}
	if len(a.Skills) == 0 {
		a.Skills = nil
	}
	return a
}

func normEntry(e routing.Entry) routing.Entry {
	e.EnqueuedAt = normTime(e.EnqueuedAt)
	e.LastCustomerAt = normTime(e.LastCustomerAt)
	if !e.OfferedAt.IsZero() {
		e.OfferedAt = normTime(e.OfferedAt)
	}
	if len(e.Declined) == 0 {
		e.Declined = nil
	}
	return e
}

func normDecision(d routing.Decision) routing.Decision {
	d.At = normTime(d.At)
	if len(d.Candidates) == 0 {
		d.Candidates = nil
	}
	if len(d.Excluded) == 0 {
		d.Excluded = nil
	}
	return d
}

func testRoutingAgents(t *testing.T, s routing.Store) {
	ctx := context.Background()
	t1, t2 := newID(), newID()
	a := &routing.Agent{UserID: newID(), TenantID: t1, Presence: routing.Online, UpdatedAt: at(1),
		Profile: routing.Profile{Skills: map[string]int{"billing": 4, "general": 1}, Langs: []string{"en", "zh"}, Teams: []string{"tier2"}, Capacity: 3}}
	b := &routing.Agent{UserID: newID(), TenantID: t2, Presence: routing.Offline, UpdatedAt: at(2),
		Profile: routing.Profile{Skills: map[string]int{}, Capacity: 1}}
	must(t, s.PutAgent(ctx, a))
	must(t, s.PutAgent(ctx, b))
	// Replace: the latest profile and presence win.
	a2 := *a
	a2.Presence = routing.Away
	a2.Skills = map[string]int{"returns": 2}
	a2.Capacity = 5
	a2.UpdatedAt = at(3)
	must(t, s.PutAgent(ctx, &a2))

	got, err := s.Agents(ctx)
	must(t, err)
	if len(got) != 2 {
		t.Fatalf("Agents returned %d, want 2 (both tenants)", len(got))
	}
	byUser := map[string]*routing.Agent{}
	for _, g := range got {
		byUser[g.TenantID+"/"+g.UserID] = g
	}
	same(t, "replaced agent", byUser[t1+"/"+a.UserID], &a2, normAgent)
	same(t, "other tenant's agent", byUser[t2+"/"+b.UserID], b, normAgent)
}

func sampleEntry(tenantID string, n int) *routing.Entry {
	return &routing.Entry{
		TenantID: tenantID, ConversationID: newID(), State: routing.StateQueued, Skill: "billing", Lang: "zh",
		Reason: "angry", Intent: "payment_issue", Tier: routing.TierVIP, Sentiment: -0.75, BasePriority: 65.5,
		EnqueuedAt: at(n), LastCustomerAt: at(n + 1),
	}
}

func testRoutingEntries(t *testing.T, s routing.Store) {
	ctx := context.Background()
	t1, t2 := newID(), newID()
	e1, e2, e3 := sampleEntry(t1, 1), sampleEntry(t1, 2), sampleEntry(t2, 3)
	e2.State, e2.AgentID, e2.OfferedAt, e2.Declined, e2.Overflowed = routing.StateOffered, "agent-1", at(5), []string{"agent-0", "agent-2"}, true
	e3.State, e3.AgentID, e3.Tier = routing.StateAssigned, "agent-9", routing.TierStandard
	for _, e := range []*routing.Entry{e1, e2, e3} {
		must(t, s.PutEntry(ctx, e))
	}
	// Replace e1: offered now.
	e1b := *e1
	e1b.State, e1b.AgentID, e1b.OfferedAt = routing.StateOffered, "agent-3", at(7)
	must(t, s.PutEntry(ctx, &e1b))

	got, err := s.Entries(ctx)
	must(t, err)
	sort.Slice(got, func(i, j int) bool { return got[i].EnqueuedAt.Before(got[j].EnqueuedAt) })
	if len(got) != 3 {
		t.Fatalf("Entries returned %d, want 3", len(got))
	}
	same(t, "replaced entry", got[0], &e1b, normEntry)
	same(t, "offered entry", got[1], e2, normEntry)
	same(t, "other tenant's entry", got[2], e3, normEntry)

	// Delete is scoped by tenant and forgiving.
	must(t, s.DeleteEntry(ctx, t2, e1.ConversationID)) // wrong tenant: nothing
	must(t, s.DeleteEntry(ctx, t1, e1.ConversationID))
	must(t, s.DeleteEntry(ctx, t1, e1.ConversationID)) // again: not an error
	must(t, s.DeleteEntry(ctx, t1, newID()))
	got, err = s.Entries(ctx)
	must(t, err)
	if len(got) != 2 {
		t.Errorf("after delete: %d entries, want 2", len(got))
	}
	for _, g := range got {
		if g.ConversationID == e1.ConversationID {
			t.Error("deleted entry is still listed")
		}
	}
}

func testRoutingDecisions(t *testing.T, s routing.Store) {
	ctx := context.Background()
	t1, t2 := newID(), newID()
	conv := newID()
	var want []*routing.Decision
	for i := range 5 {
		d := &routing.Decision{
			ID: newID(), TenantID: t1, ConversationID: conv, At: at(i), Action: routing.ActionOffer, Rule: routing.RuleBestSkill,
			Skill: "billing", Priority: 12.5 + float64(i), AgentID: fmt.Sprintf("agent-%d", i), ByUserID: "sup", Position: i,
			Considered: 10 + i, Note: "note",
			Candidates: []routing.Candidate{{AgentID: "agent-x", SkillLevel: 5, Load: 1, Capacity: 3, LoadRatio: 1.0 / 3, LastPick: 7, Rank: 1}},
			Excluded:   map[string]int{"offline": 2, "at_capacity": i + 1},
		}
		if i == 4 {
			d.Candidates, d.Excluded = nil, nil
		}
		must(t, s.AddDecision(ctx, d))
		want = append(want, d)
	}
	// Same conversation id in another tenant: not listed.
	must(t, s.AddDecision(ctx, &routing.Decision{ID: newID(), TenantID: t2, ConversationID: conv, At: at(0), Action: routing.ActionQueue, Rule: routing.RuleNoAgent}))
	wantCode(t, s.AddDecision(ctx, want[0]), assist.ECONFLICT)

	got, err := s.Decisions(ctx, t1, conv, 0)
	must(t, err)
	if len(got) != len(want) {
		t.Fatalf("Decisions returned %d, want %d", len(got), len(want))
	}
	for i := range want {
		same(t, fmt.Sprintf("decision %d", i), got[i], want[i], normDecision)
	}
	got, err = s.Decisions(ctx, t1, conv, 2)
	must(t, err)
	sameIDs(t, "limited decisions", ids(got, func(d *routing.Decision) string { return d.ID }), []string{want[0].ID, want[1].ID})
	got, err = s.Decisions(ctx, t1, newID(), 0)
	must(t, err)
	if len(got) != 0 {
		t.Errorf("decisions of an unknown conversation: %d, want none", len(got))
	}
}

func testRoutingInvalid(t *testing.T, s routing.Store) {
	ctx := context.Background()
	wantCode(t, s.PutAgent(ctx, &routing.Agent{TenantID: newID(), Presence: routing.Online, Profile: routing.Profile{Capacity: 1}}), assist.EINVALID)
	wantCode(t, s.PutAgent(ctx, &routing.Agent{TenantID: newID(), UserID: newID(), Presence: "busy", Profile: routing.Profile{Capacity: 1}}), assist.EINVALID)
	e := sampleEntry(newID(), 1)
	e.State = routing.StateBot
	wantCode(t, s.PutEntry(ctx, e), assist.EINVALID)
	e = sampleEntry("", 1)
	wantCode(t, s.PutEntry(ctx, e), assist.EINVALID)
	wantCode(t, s.DeleteEntry(ctx, "", newID()), assist.EINVALID)
	wantCode(t, s.AddDecision(ctx, &routing.Decision{TenantID: newID(), ConversationID: newID()}), assist.EINVALID)
	got, err := s.Entries(ctx)
	must(t, err)
	if len(got) != 0 {
		t.Errorf("invalid writes stored %d entries", len(got))
	}
}
