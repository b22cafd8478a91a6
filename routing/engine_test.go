package routing

import (
	"context"
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/assistd/assist"
)

const tenantA = "tenant-a"

func supervisor(tenant string) assist.Principal {
	return assist.Principal{TenantID: tenant, UserID: "sup", Role: assist.RoleSupervisor}
}

func agentP(tenant, id string) assist.Principal {
	return assist.Principal{TenantID: tenant, UserID: id, Role: assist.RoleAgent}
}

type testEnv struct {
	t     testing.TB
	e     *Engine
	store *memStore
	convs *fakeConvs
	bus   *Bus
}

func newTestEnv(t testing.TB, cfg Config) *testEnv {
	t.Helper()
	store, convs, bus := newMemStore(), newFakeConvs(), &Bus{Buffer: 4096}
	e, err := New(cfg, store, convs, bus, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &testEnv{t: t, e: e, store: store, convs: convs, bus: bus}
}

// agentSpec is an agent a test sets up.
type agentSpec struct {
	id       string
	skills   map[string]int
	langs    []string
	teams    []string
	capacity int
	presence Presence // "": online
	load     int      // conversations already assigned
	lastPick uint64
}

func (env *testEnv) addAgents(tenant string, specs ...agentSpec) {
	env.t.Helper()
	ctx := context.Background()
	for _, s := range specs {
		if s.capacity == 0 {
			s.capacity = 2
		}
		if _, err := env.e.SetProfile(ctx, supervisor(tenant), s.id, Profile{Skills: s.skills, Langs: s.langs, Teams: s.teams, Capacity: s.capacity}); err != nil {
			env.t.Fatal(err)
		}
		env.e.mu.Lock()
		a := env.e.tenants[tenant].agents[s.id]
		for i := range s.load {
			a.active[fmt.Sprintf("busy-%s-%d", s.id, i)] = struct{}{}
		}
		a.lastPick = s.lastPick
		env.e.mu.Unlock()
		p := s.presence
		if p == "" {
			p = Online
		}
		if _, err := env.e.SetPresence(ctx, agentP(tenant, s.id), p); err != nil {
			env.t.Fatal(err)
		}
	}
}

// escalate creates a queued conversation and enqueues it.
func (env *testEnv) escalate(x Escalation) *Decision {
	env.t.Helper()
	if x.TenantID == "" {
		x.TenantID = tenantA
	}
	env.convs.add(x.TenantID, x.ConversationID, assist.OwnerQueue)
	d, err := env.e.Enqueue(context.Background(), x)
	if err != nil {
		env.t.Fatal(err)
	}
	return d
}

func (env *testEnv) entry(id string) *Entry {
	env.t.Helper()
	en, ok := env.e.Entry(tenantA, id)
	if !ok {
		env.t.Fatalf("conversation %s is not routed", id)
	}
	return en
}

func TestAssignment(t *testing.T) {
	billing := func(l int) map[string]int { return map[string]int{"billing": l} }
	tests := []struct {
		name         string
		agents       []agentSpec
		esc          Escalation
		wantAgent    string
		wantRule     string
		wantExcluded map[string]int
	}{
		{
			name:      "highest skill level wins",
			agents:    []agentSpec{{id: "a", skills: billing(2)}, {id: "b", skills: billing(5)}, {id: "c", skills: billing(3)}},
			esc:       Escalation{Intent: "payment_issue"},
			wantAgent: "b", wantRule: RuleBestSkill,
		},
		{
			name:      "equal skill: least loaded",
			agents:    []agentSpec{{id: "a", skills: billing(3), capacity: 4, load: 2}, {id: "b", skills: billing(3), capacity: 4, load: 1}},
			esc:       Escalation{Intent: "payment_issue"},
			wantAgent: "b", wantRule: RuleLeastLoaded,
		},
		{
			name:      "load is a ratio of capacity",
			agents:    []agentSpec{{id: "a", skills: billing(3), capacity: 2, load: 1}, {id: "b", skills: billing(3), capacity: 10, load: 2}},
			esc:       Escalation{Intent: "payment_issue"},
			wantAgent: "b", wantRule: RuleLeastLoaded,
		},
		{
			name:      "equal skill and load: round-robin picks the one picked longest ago",
			agents:    []agentSpec{{id: "a", skills: billing(3), lastPick: 7}, {id: "b", skills: billing(3), lastPick: 9}, {id: "c", skills: billing(3), lastPick: 8}},
			esc:       Escalation{Intent: "payment_issue"},
			wantAgent: "a", wantRule: RuleRoundRobin,
		},
		{
			name: "unavailable agents are excluded with their reason",
			agents: []agentSpec{
				{id: "away", skills: billing(5), presence: Away},
				{id: "off", skills: billing(5), presence: Offline},
				{id: "full", skills: billing(5), capacity: 1, load: 1},
				{id: "en-only", skills: billing(5), langs: []string{"en"}},
				{id: "other", skills: map[string]int{"returns": 5}},
				{id: "ok", skills: billing(1), langs: []string{"zh", "en"}},
			},
			esc:          Escalation{Intent: "payment_issue", Lang: "zh"},
			wantAgent:    "ok",
			wantRule:     RuleOnlyCandidate,
			wantExcluded: map[string]int{"away": 1, "offline": 1, "at_capacity": 1, "language": 1, "no_skill": 1},
		},
		{
			name:      "the reason's skill beats the intent's",
			agents:    []agentSpec{{id: "a", skills: billing(5)}, {id: "s", skills: map[string]int{"senior": 1}}},
			esc:       Escalation{Intent: "payment_issue", Reason: "anger"},
			wantAgent: "s", wantRule: RuleOnlyCandidate,
		},
		{
			name:      "unknown intent goes to the default skill",
			agents:    []agentSpec{{id: "a", skills: billing(5)}, {id: "g", skills: map[string]int{"general": 2}}},
			esc:       Escalation{Intent: "chit_chat"},
			wantAgent: "g", wantRule: RuleOnlyCandidate,
		},
		{
			name:         "nobody available: queued",
			agents:       []agentSpec{{id: "a", skills: billing(5), presence: Away}},
			esc:          Escalation{Intent: "payment_issue"},
			wantRule:     RuleNoAgent,
			wantExcluded: map[string]int{"away": 1},
		},
		{
			name:         "the fallback team is not a candidate before the overflow wait",
			agents:       []agentSpec{{id: "f", skills: map[string]int{"general": 1}, teams: []string{"tier2"}}},
			esc:          Escalation{Intent: "payment_issue"},
			wantRule:     RuleNoAgent,
			wantExcluded: map[string]int{"no_skill": 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.FallbackTeam = "tier2"
			env := newTestEnv(t, cfg)
			env.addAgents(tenantA, tt.agents...)
			tt.esc.ConversationID = "c1"
			d := env.escalate(tt.esc)
			if d.AgentID != tt.wantAgent || d.Rule != tt.wantRule {
				t.Fatalf("decision: agent %q rule %q, want %q %q (candidates %+v)", d.AgentID, d.Rule, tt.wantAgent, tt.wantRule, d.Candidates)
			}
			if tt.wantExcluded != nil && !maps.Equal(d.Excluded, tt.wantExcluded) {
				t.Errorf("excluded %v, want %v", d.Excluded, tt.wantExcluded)
			}
			if d.Considered != len(tt.agents) {
				t.Errorf("considered %d, want %d", d.Considered, len(tt.agents))
			}
			en := env.entry("c1")
			if tt.wantAgent == "" {
				if en.State != StateQueued || d.Position != 1 || d.Action != ActionQueue {
					t.Errorf("state %s, position %d, action %s; want queued at 1", en.State, d.Position, d.Action)
				}
				return
			}
			if en.State != StateOffered || en.AgentID != tt.wantAgent {
				t.Errorf("entry %s to %q, want offered to %q", en.State, en.AgentID, tt.wantAgent)
			}
			if len(d.Candidates) == 0 || d.Candidates[0].AgentID != tt.wantAgent || d.Candidates[0].Rank != 1 {
				t.Errorf("candidates %+v, want %s first", d.Candidates, tt.wantAgent)
			}
			// The decision is kept and retrievable.
			ds, err := env.e.Decisions(context.Background(), supervisor(tenantA), "c1", 0)
			if err != nil || len(ds) != 1 || ds[0].ID != d.ID {
				t.Errorf("stored decisions %v, %v; want the one made", ds, err)
			}
		})
	}
}

func TestPriority(t *testing.T) {
	cfg := DefaultConfig()
	tests := []struct {
		name      string
		tier      Tier
		sentiment float64
		reason    string
		want      float64
	}{
		{"neutral standard", TierStandard, 0, "no_automation", 0},
		{"vip", TierVIP, 0, "", 30},
		{"angry reason", TierStandard, 0, "anger", 20},
		{"negative sentiment", TierStandard, -0.5, "", 10},
		{"positive sentiment adds nothing", TierStandard, 0.9, "", 0},
		{"vip complaint, very negative", TierVIP, -1, "vip_complaint", 30 + 30 + 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cfg.BasePriority(tt.tier, tt.sentiment, tt.reason); got != tt.want {
				t.Errorf("BasePriority = %v, want %v", got, tt.want)
			}
		})
	}
	// Aging: AgingPerMinute per minute waited.
	t0 := epoch.Add(1000 * 60e9)
	if got := cfg.Priority(10, t0, t0.Add(15*60e9)); got != 40 {
		t.Errorf("Priority after 15 min = %v, want 40", got)
	}
	// The heap key orders like the effective priority at any time.
	old, vip := heapKey(0, cfg.AgingPerMinute, t0), heapKey(30, cfg.AgingPerMinute, t0.Add(16*60e9))
	if !(old > vip) {
		t.Errorf("a standard conversation waiting 16 min more than a VIP should be ahead: keys %v vs %v", old, vip)
	}
}

// Conversations are served in priority order, and aging makes an old one
// beat a newer, more urgent one.
func TestQueueOrder(t *testing.T) {
	env := newTestEnv(t, DefaultConfig())
	env.addAgents(tenantA, agentSpec{id: "a", skills: map[string]int{"general": 1}, capacity: 1, presence: Offline})
	base := epoch.Add(24 * 60 * 60e9)
	min := func(n int) Escalation { return Escalation{At: base.Add(60e9 * time.Duration(n))} }
	xs := []struct {
		id string
		x  Escalation
	}{
		{"plain-late", min(30)},
		{"vip-late", Escalation{Tier: TierVIP, At: base.Add(60e9 * 30)}},
		{"plain-early", min(0)}, // waited 30 min more: +60, beats the VIP's +30
		{"angry-late", Escalation{Sentiment: -1, At: base.Add(60e9 * 30)}},
	}
	for _, x := range xs {
		x.x.ConversationID = x.id
		env.escalate(x.x)
	}
	for i, want := range []string{"plain-early", "vip-late", "angry-late", "plain-late"} {
		pos, ok := env.e.Position(tenantA, want)
		if !ok || pos.Position != i+1 || pos.Length != 4 {
			t.Errorf("%s: position %+v, want %d of 4", want, pos, i+1)
		}
	}
	ctx := context.Background()
	var got []string
	for range xs {
		if _, err := env.e.SetPresence(ctx, agentP(tenantA, "a"), Online); err != nil {
			t.Fatal(err)
		}
		st, _ := env.e.AgentStatusOf(tenantA, "a")
		if len(st.Offered) != 1 {
			t.Fatalf("agent offered %v, want one", st.Offered)
		}
		got = append(got, st.Offered[0])
		if _, err := env.e.Close(ctx, supervisor(tenantA), st.Offered[0]); err != nil {
			t.Fatal(err)
		}
		if _, err := env.e.SetPresence(ctx, agentP(tenantA, "a"), Offline); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"plain-early", "vip-late", "angry-late", "plain-late"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("served %v, want %v", got, want)
	}
}

func TestTransitions(t *testing.T) {
	legal := []struct {
		from State
		tr   Transition
		to   State
	}{
		{StateBot, THandoff, StateQueued},
		{StateQueued, TOffer, StateOffered},
		{StateOffered, TAccept, StateAssigned},
		{StateOffered, TDecline, StateQueued},
		{StateOffered, TOfferExpired, StateQueued},
		{StateAssigned, TTransferAgent, StateAssigned},
		{StateAssigned, TTransferQueue, StateQueued},
		{StateAssigned, TRelease, StateBot},
		{StateAssigned, TClose, StateClosed},
		{StateQueued, TCustomerGone, StateClosed},
		{StateQueued, TClaim, StateAssigned},
	}
	for _, tt := range legal {
		if got, err := Next(tt.from, tt.tr); err != nil || got != tt.to {
			t.Errorf("%s --%s--> %s, %v; want %s", tt.from, tt.tr, got, err, tt.to)
		}
	}
	illegal := []struct {
		from State
		tr   Transition
	}{
		{StateBot, TAccept},
		{StateBot, TOffer},
		{StateBot, TRelease},
		{StateQueued, TAccept},
		{StateQueued, THandoff},
		{StateOffered, TOffer},
		{StateAssigned, TAccept},
		{StateAssigned, TOffer},
		{StateAssigned, THandoff},
		{StateAssigned, TClaim},
		{StateBot, TClaim},
		{StateClosed, THandoff},
		{StateClosed, TAssign},
		{StateClosed, TRelease},
		{StateClosed, TClose},
	}
	for _, tt := range illegal {
		got, err := Next(tt.from, tt.tr)
		if assist.ErrorCode(err) != assist.ECONFLICT || got != tt.from {
			t.Errorf("%s --%s--> %s, %v; want ECONFLICT", tt.from, tt.tr, got, err)
		}
	}
}

// The engine refuses what the state machine and the roles forbid.
func TestIllegalOperations(t *testing.T) {
	ctx := context.Background()
	env := newTestEnv(t, DefaultConfig())
	env.addAgents(tenantA, agentSpec{id: "a", skills: map[string]int{"general": 1}}, agentSpec{id: "b", skills: map[string]int{"general": 1}, capacity: 1})
	env.escalate(Escalation{ConversationID: "c1"})
	offeredTo := env.entry("c1").AgentID
	other := "b"
	if offeredTo == "b" {
		other = "a"
	}
	customer := assist.Principal{TenantID: tenantA, Role: assist.RoleCustomer, ConversationID: "c1"}
	otherTenant := assist.Principal{TenantID: "tenant-b", UserID: offeredTo, Role: assist.RoleAgent}
	tests := []struct {
		name string
		do   func() error
		code string
	}{
		{"enqueue twice", func() error {
			_, err := env.e.Enqueue(ctx, Escalation{TenantID: tenantA, ConversationID: "c1"})
			return err
		}, assist.ECONFLICT},
		{"accept another agent's offer", func() error { _, err := env.e.Accept(ctx, agentP(tenantA, other), "c1"); return err }, assist.EFORBIDDEN},
		{"accept as a customer", func() error { _, err := env.e.Accept(ctx, customer, "c1"); return err }, assist.EFORBIDDEN},
		{"accept across tenants", func() error { _, err := env.e.Accept(ctx, otherTenant, "c1"); return err }, assist.ENOTFOUND},
		{"accept unknown", func() error { _, err := env.e.Accept(ctx, agentP(tenantA, offeredTo), "nope"); return err }, assist.ENOTFOUND},
		{"transfer an offer", func() error {
			_, err := env.e.Transfer(ctx, agentP(tenantA, offeredTo), "c1", Target{Skill: "billing"})
			return err
		}, assist.ECONFLICT},
		{"release an offer as its agent", func() error { _, err := env.e.Release(ctx, agentP(tenantA, offeredTo), "c1"); return err }, assist.EFORBIDDEN},
		{"assign as an agent", func() error { _, err := env.e.Assign(ctx, agentP(tenantA, offeredTo), "c1", other); return err }, assist.EFORBIDDEN},
		{"assign to an unknown agent", func() error { _, err := env.e.Assign(ctx, supervisor(tenantA), "c1", "ghost"); return err }, assist.ENOTFOUND},
		{"profile by an agent", func() error {
			_, err := env.e.SetProfile(ctx, agentP(tenantA, "a"), "a", Profile{Capacity: 9})
			return err
		}, assist.EFORBIDDEN},
		{"bad profile", func() error {
			_, err := env.e.SetProfile(ctx, supervisor(tenantA), "a", Profile{Skills: map[string]int{"billing": 6}, Capacity: 1})
			return err
		}, assist.EINVALID},
		{"bad presence", func() error { _, err := env.e.SetPresence(ctx, agentP(tenantA, "a"), "busy"); return err }, assist.EINVALID},
		{"bad sentiment", func() error {
			_, err := env.e.Enqueue(ctx, Escalation{TenantID: tenantA, ConversationID: "x", Sentiment: -2})
			return err
		}, assist.EINVALID},
		{"transfer to agent and skill", func() error {
			_, err := env.e.Transfer(ctx, supervisor(tenantA), "c1", Target{AgentID: "a", Skill: "billing"})
			return err
		}, assist.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code := assist.ErrorCode(tt.do()); code != tt.code {
				t.Errorf("code %q, want %q", code, tt.code)
			}
		})
	}
	// Closed conversations stay closed.
	if _, err := env.e.Close(ctx, supervisor(tenantA), "c1"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.e.Assign(ctx, supervisor(tenantA), "c1", "a"); assist.ErrorCode(err) != assist.ECONFLICT {
		t.Errorf("assign a closed conversation: %v, want ECONFLICT", err)
	}
	if o, _ := env.convs.owner(tenantA, "c1"); o != assist.OwnerClosed {
		t.Errorf("owner %s, want closed", o)
	}
}

// An offer goes through accept, transfer to an agent, transfer to a queue,
// decline and release, with the owner and the loads following.
func TestLifecycle(t *testing.T) {
	ctx := context.Background()
	env := newTestEnv(t, DefaultConfig())
	env.addAgents(tenantA,
		agentSpec{id: "a", skills: map[string]int{"general": 5}, capacity: 1},
		agentSpec{id: "b", skills: map[string]int{"general": 1, "billing": 2}, capacity: 2},
	)
	sub := env.bus.Subscribe(tenantA, "a", assist.RoleAgent)
	defer sub.Close()
	env.escalate(Escalation{ConversationID: "c1"})
	if en := env.entry("c1"); en.AgentID != "a" {
		t.Fatalf("offered to %s, want a", en.AgentID)
	}
	if ev := nextEvent(sub, EventOffer); ev.ConversationID != "c1" || ev.Decision == nil {
		t.Fatalf("event %+v, want the offer with its decision", ev)
	}
	if _, err := env.e.Accept(ctx, agentP(tenantA, "a"), "c1"); err != nil {
		t.Fatal(err)
	}
	if o, who := env.convs.owner(tenantA, "c1"); o != assist.OwnerAgent || who != "a" {
		t.Fatalf("owner %s %s, want agent a", o, who)
	}
	// The customer writes: the agent hears it.
	c, _ := env.convs.Conversation(ctx, tenantA, "c1")
	env.e.CustomerMessage(ctx, c, &assist.Message{ID: "m1", ConversationID: "c1", Text: "hello"})
	if ev := nextEvent(sub, EventCustomerMessage); ev.Message == nil || ev.Message.ID != "m1" {
		t.Fatalf("customer message event %+v", ev)
	}
	// a is full; c2 goes to b.
	env.escalate(Escalation{ConversationID: "c2"})
	if en := env.entry("c2"); en.AgentID != "b" {
		t.Fatalf("c2 offered to %s, want b (a is full)", en.AgentID)
	}
	if _, err := env.e.Decline(ctx, agentP(tenantA, "b"), "c2"); err != nil {
		t.Fatal(err)
	}
	if en := env.entry("c2"); en.State != StateQueued || en.Declined[0] != "b" {
		t.Fatalf("after decline: %+v, want queued with b excluded", en)
	}
	// a transfers c1 to b.
	if _, err := env.e.Transfer(ctx, agentP(tenantA, "a"), "c1", Target{AgentID: "b"}); err != nil {
		t.Fatal(err)
	}
	if o, who := env.convs.owner(tenantA, "c1"); o != assist.OwnerAgent || who != "b" {
		t.Fatalf("after transfer owner %s %s, want agent b", o, who)
	}
	// a is free again and gets c2, which b declined.
	if en := env.entry("c2"); en.State != StateOffered || en.AgentID != "a" {
		t.Fatalf("c2 %s to %s, want offered to a", en.State, en.AgentID)
	}
	// b sends c1 to the billing queue: b has billing, but is not offered
	// back what they passed on; it waits, and b may still claim it.
	if _, err := env.e.Transfer(ctx, agentP(tenantA, "b"), "c1", Target{Skill: "billing"}); err != nil {
		t.Fatal(err)
	}
	if en := env.entry("c1"); en.Skill != "billing" || en.State != StateQueued {
		t.Fatalf("c1 after transfer to billing: %+v", en)
	}
	if _, err := env.e.Claim(ctx, agentP(tenantA, "b"), "c1"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.e.Release(ctx, agentP(tenantA, "b"), "c1"); err != nil {
		t.Fatal(err)
	}
	if o, _ := env.convs.owner(tenantA, "c1"); o != assist.OwnerBot {
		t.Fatalf("after release owner %s, want bot", o)
	}
	if _, ok := env.e.Entry(tenantA, "c1"); ok || env.store.entry(tenantA, "c1") != nil {
		t.Error("a released conversation is still routed or stored")
	}
	st, _ := env.e.AgentStatusOf(tenantA, "b")
	if st.Load != 0 {
		t.Errorf("b's load %d after release, want 0", st.Load)
	}
	ds, _ := env.e.Decisions(ctx, supervisor(tenantA), "c1", 0)
	var rules []string
	for _, d := range ds {
		rules = append(rules, d.Rule)
	}
	want := []string{RuleBestSkill, RuleAccepted, RuleTransferAgent, RuleTransferQueue, RuleNoAgent, RuleClaimed, RuleReleased}
	if fmt.Sprint(rules) != fmt.Sprint(want) {
		t.Errorf("c1's decisions %v, want %v", rules, want)
	}
}

// A supervisor may give any conversation to an agent, even one the bot has.
func TestAssign(t *testing.T) {
	ctx := context.Background()
	env := newTestEnv(t, DefaultConfig())
	env.addAgents(tenantA, agentSpec{id: "a", skills: map[string]int{"billing": 1}, capacity: 1})
	env.convs.add(tenantA, "bot1", assist.OwnerBot)
	if _, err := env.e.Assign(ctx, supervisor(tenantA), "bot1", "a"); err != nil {
		t.Fatal(err)
	}
	if o, who := env.convs.owner(tenantA, "bot1"); o != assist.OwnerAgent || who != "a" {
		t.Fatalf("owner %s %s", o, who)
	}
}

// An agent claims a conversation waiting in a queue they serve, in a
// language they speak, while they have room; anything else is refused and
// leaves the conversation waiting.
func TestClaim(t *testing.T) {
	ctx := context.Background()
	env := newTestEnv(t, DefaultConfig())
	// Everyone away: conversations wait in their queues.
	env.addAgents(tenantA,
		agentSpec{id: "bill", skills: map[string]int{"billing": 2}, langs: []string{"en"}, capacity: 1, presence: Away},
		agentSpec{id: "gen", skills: map[string]int{"general": 1}, presence: Away},
	)
	env.escalate(Escalation{ConversationID: "zh-bill", Intent: "payment_issue", Lang: "zh"})
	env.escalate(Escalation{ConversationID: "en-bill", Intent: "payment_issue", Lang: "en"})
	env.escalate(Escalation{ConversationID: "en-bill-2", Intent: "payment_issue", Lang: "en"})
	if en := env.entry("en-bill"); en.State != StateQueued || en.Skill != "billing" {
		t.Fatalf("en-bill %s in %s; want queued for billing", en.State, en.Skill)
	}
	refusals := []struct {
		who, conv string
		code      string
	}{
		{"gen", "en-bill", assist.EFORBIDDEN},  // not a billing agent
		{"bill", "zh-bill", assist.EFORBIDDEN}, // does not speak Chinese
		{"bill", "nope", assist.ENOTFOUND},
	}
	for _, r := range refusals {
		if _, err := env.e.Claim(ctx, agentP(tenantA, r.who), r.conv); assist.ErrorCode(err) != r.code {
			t.Errorf("%s claims %s: %v, want %s", r.who, r.conv, err, r.code)
		}
	}
	if en := env.entry("en-bill"); en.State != StateQueued {
		t.Fatalf("a refused claim changed the conversation: %+v", en)
	}
	sub := env.bus.Subscribe(tenantA, "bill", assist.RoleAgent)
	defer sub.Close()
	d, err := env.e.Claim(ctx, agentP(tenantA, "bill"), "en-bill")
	if err != nil {
		t.Fatal(err)
	}
	if d.Rule != RuleClaimed || d.AgentID != "bill" {
		t.Errorf("decision %+v", d)
	}
	if o, who := env.convs.owner(tenantA, "en-bill"); o != assist.OwnerAgent || who != "bill" {
		t.Errorf("owner %s %s, want the claiming agent", o, who)
	}
	if pos, _ := env.e.Position(tenantA, "en-bill"); pos.Position != 0 {
		t.Errorf("claimed conversation still queued at %d", pos.Position)
	}
	if ev := nextEvent(sub, EventAssigned); ev.ConversationID != "en-bill" {
		t.Errorf("assigned event %+v", ev)
	}
	// Claimed already; and bill has no room left for another.
	if _, err := env.e.Claim(ctx, agentP(tenantA, "gen"), "en-bill"); assist.ErrorCode(err) != assist.ECONFLICT {
		t.Errorf("claiming an assigned conversation: %v, want conflict", err)
	}
	if _, err := env.e.Claim(ctx, agentP(tenantA, "bill"), "en-bill-2"); assist.ErrorCode(err) != assist.ECONFLICT {
		t.Errorf("claiming past capacity: %v, want conflict", err)
	}
	if _, err := env.e.Claim(ctx, assist.Principal{TenantID: tenantA, UserID: "k", Role: assist.RoleKnowledge}, "en-bill-2"); assist.ErrorCode(err) != assist.EFORBIDDEN {
		t.Errorf("a knowledge manager claims: %v", err)
	}
}

// An agent who transfers a conversation to a skill queue they also serve
// is not offered it back; a colleague is, and without one it waits.
func TestTransferToSkillNotOfferedBack(t *testing.T) {
	ctx := context.Background()
	env := newTestEnv(t, DefaultConfig())
	env.addAgents(tenantA, agentSpec{id: "a", skills: map[string]int{"general": 5, "billing": 5}, capacity: 3})
	env.escalate(Escalation{ConversationID: "c1"})
	if _, err := env.e.Accept(ctx, agentP(tenantA, "a"), "c1"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.e.Transfer(ctx, agentP(tenantA, "a"), "c1", Target{Skill: "billing"}); err != nil {
		t.Fatal(err)
	}
	if en := env.entry("c1"); en.State != StateQueued || en.Skill != "billing" {
		t.Fatalf("after the transfer: %s to %q in %s; want waiting in billing", en.State, en.AgentID, en.Skill)
	}
	env.addAgents(tenantA, agentSpec{id: "b", skills: map[string]int{"billing": 1}})
	if en := env.entry("c1"); en.State != StateOffered || en.AgentID != "b" {
		t.Fatalf("a colleague came online: %s to %q; want offered to b", en.State, en.AgentID)
	}
	// b declines: still never back to a.
	if _, err := env.e.Decline(ctx, agentP(tenantA, "b"), "c1"); err != nil {
		t.Fatal(err)
	}
	if en := env.entry("c1"); en.State != StateQueued {
		t.Errorf("after b declined: %s to %q; want waiting", en.State, en.AgentID)
	}
}

// Many conversations escalated at once with agents at capacity: none is
// assigned twice and none is lost.
func TestConcurrentEscalations(t *testing.T) {
	const n, agents, capacity = 500, 20, 3
	ctx := context.Background()
	env := newTestEnv(t, DefaultConfig())
	var specs []agentSpec
	for i := range agents {
		specs = append(specs, agentSpec{id: fmt.Sprintf("a%02d", i), skills: map[string]int{"general": 1 + i%5, "billing": 1}, capacity: capacity})
	}
	env.addAgents(tenantA, specs...)
	errs := make(chan error, n)
	for i := range n {
		go func() {
			id := fmt.Sprintf("c%03d", i)
			env.convs.add(tenantA, id, assist.OwnerQueue)
			intent := ""
			if i%2 == 0 {
				intent = "payment_issue"
			}
			_, err := env.e.Enqueue(ctx, Escalation{TenantID: tenantA, ConversationID: id, Intent: intent, Sentiment: -float64(i%3) / 2})
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	// Agents accept their offers and close some, concurrently, while more
	// offers arrive.
	for round := 0; round < 3; round++ {
		done := make(chan struct{})
		for _, s := range specs {
			go func() {
				defer func() { done <- struct{}{} }()
				st, _ := env.e.AgentStatusOf(tenantA, s.id)
				for _, id := range st.Offered {
					if _, err := env.e.Accept(ctx, agentP(tenantA, s.id), id); err != nil {
						t.Error(err)
					}
				}
				for _, id := range st.Active[:min(1, len(st.Active))] {
					if _, err := env.e.Close(ctx, agentP(tenantA, s.id), id); err != nil {
						t.Error(err)
					}
				}
			}()
		}
		for range specs {
			<-done
		}
	}
	checkInvariants(t, env, n)
}

// checkInvariants: every conversation is closed, or routed exactly once
// (queued, or held by one agent whose load counts it), and no agent is
// over capacity.
func checkInvariants(t *testing.T, env *testEnv, n int) {
	t.Helper()
	env.e.mu.Lock()
	defer env.e.mu.Unlock()
	ts := env.e.tenants[tenantA]
	held := map[string]string{}
	for id, a := range ts.agents {
		if a.load() > a.Capacity {
			t.Errorf("agent %s holds %d, capacity %d", id, a.load(), a.Capacity)
		}
		for c := range a.active {
			if prev, dup := held[c]; dup {
				t.Errorf("conversation %s held by %s and %s", c, prev, id)
			}
			held[c] = id
		}
		for c := range a.offered {
			if prev, dup := held[c]; dup {
				t.Errorf("conversation %s held by %s and %s", c, prev, id)
			}
			held[c] = id
		}
	}
	queued := 0
	for _, q := range ts.queues {
		for _, en := range q.items {
			queued++
			if en.State != StateQueued {
				t.Errorf("%s in a queue but %s", en.ConversationID, en.State)
			}
			if _, dup := held[en.ConversationID]; dup {
				t.Errorf("%s both queued and held", en.ConversationID)
			}
		}
	}
	closed := 0
	for i := range n {
		id := fmt.Sprintf("c%03d", i)
		o, _ := env.convs.owner(tenantA, id)
		en := ts.entries[id]
		switch {
		case o == assist.OwnerClosed:
			closed++
			if en != nil {
				t.Errorf("%s closed but routed", id)
			}
		case en == nil:
			t.Errorf("%s lost: owner %s, not routed", id, o)
		case en.State == StateQueued && en.index < 0:
			t.Errorf("%s queued but in no queue", id)
		case en.State != StateQueued && held[id] != en.AgentID:
			t.Errorf("%s %s to %s, but the agents' loads say %q", id, en.State, en.AgentID, held[id])
		}
	}
	if len(held)+queued+closed < n {
		t.Errorf("held %d + queued %d + closed %d < %d", len(held), queued, closed, n)
	}
	if closed == 0 || len(held) == 0 || queued == 0 {
		t.Errorf("held %d, queued %d, closed %d: the test should exercise all three", len(held), queued, closed)
	}
}

// nextEvent returns the next event of the type, skipping others; the
// events were published before the call that made them returned.
func nextEvent(sub *Subscription, typ string) Event {
	for {
		select {
		case ev, ok := <-sub.C:
			if !ok {
				return Event{}
			}
			if ev.Type == typ {
				return ev
			}
		default:
			return Event{}
		}
	}
}
