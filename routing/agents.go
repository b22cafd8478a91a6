package routing

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/assistd/assist"
)

// SetPresence sets the calling staff member's presence, creating their
// agent with the default profile if they have none. Going online brings
// offers; going away or offline withdraws pending offers (assigned
// conversations stay).
func (e *Engine) SetPresence(ctx context.Context, p assist.Principal, presence Presence) (*AgentStatus, error) {
	if !canWork(p) || p.UserID == "" {
		return nil, assist.Errorf(assist.EFORBIDDEN, "only agents and supervisors have a presence")
	}
	if !presence.Valid() {
		return nil, assist.Errorf(assist.EINVALID, "presence must be online, away or offline")
	}
	var st *AgentStatus
	err := e.run(ctx, func(b *batch) error {
		t := e.tenantLocked(p.TenantID)
		now := e.now()
		a := e.agentLocked(t, p.UserID, now, b)
		e.setPresenceLocked(t, a, presence, "", now, b)
		st = status(a)
		return nil
	})
	return st, err
}

func (e *Engine) setPresenceLocked(t *tenant, a *agentState, presence Presence, reason string, now time.Time, b *batch) {
	changed := a.Presence != presence
	a.Presence = presence
	a.UpdatedAt = now
	if presence == Online {
		a.misses = 0
	}
	if changed {
		e.putAgent(b, a)
		b.event(Event{Type: EventPresence, TenantID: t.id, AgentID: a.UserID, Presence: presence, Reason: reason, At: now}, a.UserID)
	}
	if presence == Online {
		e.fillAgentLocked(t, a, now, b)
		return
	}
	e.withdrawOffersLocked(t, a, RuleAgentAway, now, b)
}

// withdrawOffersLocked puts the agent's pending offers back in their queues
// and offers them to others.
func (e *Engine) withdrawOffersLocked(t *tenant, a *agentState, rule string, now time.Time, b *batch) {
	ids := make([]string, 0, len(a.offered))
	for id := range a.offered {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		en := t.entries[id]
		if en == nil {
			delete(a.offered, id)
			continue
		}
		d := e.newDecision(en, now, ActionRequeue, rule)
		d.AgentID = a.UserID
		e.record(b, d)
		e.requeueLocked(t, en)
		e.putEntry(b, en)
		b.event(Event{Type: EventOfferWithdrawn, TenantID: t.id, ConversationID: id, AgentID: a.UserID, Reason: rule, At: now}, a.UserID)
	}
	for _, id := range ids {
		if en := t.entries[id]; en != nil && en.State == StateQueued {
			e.dispatchEntryLocked(t, en, now, b)
		}
	}
}

// SetProfile sets an agent's skills, languages, teams and capacity;
// supervisors and admins only (EFORBIDDEN). The caller checks that userID
// is a staff member of the tenant. The agent keeps its presence (offline
// for a new one).
func (e *Engine) SetProfile(ctx context.Context, p assist.Principal, userID string, prof Profile) (*AgentStatus, error) {
	if !isSupervisor(p) {
		return nil, assist.Errorf(assist.EFORBIDDEN, "only supervisors and admins set agent profiles")
	}
	if userID == "" {
		return nil, assist.Errorf(assist.EINVALID, "agent id is required")
	}
	if err := prof.Validate(); err != nil {
		return nil, err
	}
	prof.Langs = slices.Compact(slices.Sorted(slices.Values(prof.Langs)))
	prof.Teams = slices.Compact(slices.Sorted(slices.Values(prof.Teams)))
	var st *AgentStatus
	err := e.run(ctx, func(b *batch) error {
		t := e.tenantLocked(p.TenantID)
		now := e.now()
		a := t.agents[userID]
		if a == nil {
			a = newAgentState(&Agent{UserID: userID, TenantID: t.id, Presence: Offline})
			t.agents[userID] = a
		}
		a.Profile = prof
		if a.Skills == nil {
			a.Skills = map[string]int{}
		}
		a.UpdatedAt = now
		e.putAgent(b, a)
		b.event(Event{Type: EventPresence, TenantID: t.id, AgentID: userID, Presence: a.Presence, Reason: "profile", At: now}, userID)
		if a.Presence == Online {
			e.fillAgentLocked(t, a, now, b)
		}
		st = status(a)
		return nil
	})
	return st, err
}

func status(a *agentState) *AgentStatus {
	s := &AgentStatus{Agent: *a.Agent.clone(), MissedOffers: a.misses, Load: a.load(), AvailableSlot: a.available()}
	for id := range a.active {
		s.Active = append(s.Active, id)
	}
	for id := range a.offered {
		s.Offered = append(s.Offered, id)
	}
	sort.Strings(s.Active)
	sort.Strings(s.Offered)
	return s
}

// Agents returns the tenant's agents with their load, by user id;
// supervisors and admins only.
func (e *Engine) Agents(p assist.Principal) ([]*AgentStatus, error) {
	if !isSupervisor(p) {
		return nil, assist.Errorf(assist.EFORBIDDEN, "only supervisors and admins list agents")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.tenants[p.TenantID]
	if t == nil {
		return []*AgentStatus{}, nil
	}
	out := make([]*AgentStatus, 0, len(t.agents))
	for _, a := range t.agents {
		out = append(out, status(a))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UserID < out[j].UserID })
	return out, nil
}

// AgentStatusOf returns one agent; ENOTFOUND if the tenant has none by
// that id.
func (e *Engine) AgentStatusOf(tenantID, userID string) (*AgentStatus, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if t := e.tenants[tenantID]; t != nil {
		if a := t.agents[userID]; a != nil {
			return status(a), nil
		}
	}
	return nil, assist.Errorf(assist.ENOTFOUND, "no agent %q", userID)
}

// TeamsOf returns the teams of an agent, none for an unknown one; it
// implements ticket.Teams.
func (e *Engine) TeamsOf(_ context.Context, tenantID, userID string) ([]string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if t := e.tenants[tenantID]; t != nil {
		if a := t.agents[userID]; a != nil {
			return slices.Clone(a.Teams), nil
		}
	}
	return nil, nil
}
