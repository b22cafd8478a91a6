package routing

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/assistd/assist"
)

// Restore loads the agents and entries from the store into an engine that
// holds nothing yet, then offers what waits to who is available. Offers
// keep their time, so those that expired while the process was down are
// withdrawn at the next Tick. Customer-idle clocks restart now.
func (e *Engine) Restore(ctx context.Context) error {
	agents, err := e.store.Agents(ctx)
	if err != nil {
		return fmt.Errorf("routing restore: %w", err)
	}
	entries, err := e.store.Entries(ctx)
	if err != nil {
		return fmt.Errorf("routing restore: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool {
		if !entries[i].EnqueuedAt.Equal(entries[j].EnqueuedAt) {
			return entries[i].EnqueuedAt.Before(entries[j].EnqueuedAt)
		}
		return entries[i].ConversationID < entries[j].ConversationID
	})
	return e.run(ctx, func(b *batch) error {
		now := e.now()
		for _, a := range agents {
			t := e.tenantLocked(a.TenantID)
			t.agents[a.UserID] = newAgentState(a.clone())
		}
		for _, x := range entries {
			t := e.tenantLocked(x.TenantID)
			en := &entry{Entry: *x.clone(), index: -1}
			if en.LastCustomerAt.Before(now) {
				en.LastCustomerAt = now
			}
			e.indexLocked(t, en)
			t.entries[en.ConversationID] = en
			e.attachLocked(t, en, now, b)
		}
		e.fillAllLocked(now, b)
		return nil
	})
}

// attachLocked puts a loaded entry where its state says: in its queue, or
// in its agent's load.
func (e *Engine) attachLocked(t *tenant, en *entry, now time.Time, b *batch) {
	switch en.State {
	case StateOffered, StateAssigned:
		if en.AgentID == "" {
			en.State = StateQueued
			t.queue(en.Skill).add(en)
			return
		}
		a := e.agentLocked(t, en.AgentID, now, b)
		if en.State == StateOffered {
			a.offered[en.ConversationID] = struct{}{}
		} else {
			a.active[en.ConversationID] = struct{}{}
		}
	default:
		en.State = StateQueued
		en.AgentID = ""
		t.queue(en.Skill).add(en)
	}
}

func (e *Engine) fillAllLocked(now time.Time, b *batch) {
	tids := make([]string, 0, len(e.tenants))
	for id := range e.tenants {
		tids = append(tids, id)
	}
	sort.Strings(tids)
	for _, tid := range tids {
		t := e.tenants[tid]
		ids := make([]string, 0, len(t.agents))
		for id := range t.agents {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			e.fillAgentLocked(t, t.agents[id], now, b)
		}
	}
}

// Reconcile makes the engine agree with the conversation store, which is
// the truth about owners: a conversation owned by the queue that the
// engine does not hold (the process died between the hand-off and the
// enqueue) is enqueued; one owned by an agent is counted as that agent's;
// an entry whose conversation is no longer the queue's or an agent's is
// dropped. It returns how many conversations it changed.
func (e *Engine) Reconcile(ctx context.Context, owned OwnedLister) (int, error) {
	queued, err := owned.Owned(ctx, assist.OwnerQueue)
	if err != nil {
		return 0, fmt.Errorf("routing reconcile: %w", err)
	}
	withAgent, err := owned.Owned(ctx, assist.OwnerAgent)
	if err != nil {
		return 0, fmt.Errorf("routing reconcile: %w", err)
	}
	n := 0
	err = e.run(ctx, func(b *batch) error {
		now := e.now()
		seen := map[[2]string]bool{}
		var dispatch []*entry
		for _, c := range queued {
			seen[[2]string{c.TenantID, c.ID}] = true
			t := e.tenantLocked(c.TenantID)
			en := t.entries[c.ID]
			switch {
			case en == nil:
				en = e.newEntryLocked(t, Escalation{TenantID: c.TenantID, ConversationID: c.ID, Lang: c.Lang, Reason: c.Reason, At: c.UpdatedAt}, StateQueued, now)
				if len(c.Reason) > 4 && c.Reason[:4] == "vip_" {
					en.Tier = TierVIP
					en.BasePriority = e.cfg.BasePriority(en.Tier, 0, en.Reason)
					e.indexLocked(t, en)
				}
				t.queue(en.Skill).add(en)
			case en.State == StateAssigned:
				e.requeueLocked(t, en)
			default:
				continue
			}
			n++
			d := e.newDecision(en, now, ActionQueue, RuleReconciled)
			d.Position = t.queue(en.Skill).position(en)
			e.record(b, d)
			e.putEntry(b, en)
			dispatch = append(dispatch, en)
		}
		for _, c := range withAgent {
			seen[[2]string{c.TenantID, c.ID}] = true
			if c.AssigneeID == "" {
				continue
			}
			t := e.tenantLocked(c.TenantID)
			en := t.entries[c.ID]
			if en != nil && en.State == StateAssigned && en.AgentID == c.AssigneeID {
				continue
			}
			if en == nil {
				en = e.newEntryLocked(t, Escalation{TenantID: c.TenantID, ConversationID: c.ID, Lang: c.Lang, Reason: c.Reason, At: c.UpdatedAt}, StateAssigned, now)
			} else {
				e.detachLocked(t, en)
			}
			en.State, en.AgentID, en.OfferedAt = StateAssigned, c.AssigneeID, time.Time{}
			e.agentLocked(t, c.AssigneeID, now, b).active[c.ID] = struct{}{}
			n++
			d := e.newDecision(en, now, ActionAssign, RuleReconciled)
			d.AgentID = c.AssigneeID
			e.record(b, d)
			e.putEntry(b, en)
		}
		for _, t := range e.tenants {
			var stale []*entry
			for id, en := range t.entries {
				if !seen[[2]string{t.id, id}] {
					stale = append(stale, en)
				}
			}
			for _, en := range stale {
				a := e.detachLocked(t, en)
				delete(t.entries, en.ConversationID)
				e.deleteEntry(b, t.id, en.ConversationID)
				n++
				if a != nil {
					e.fillAgentLocked(t, a, now, b)
				}
			}
		}
		for _, en := range dispatch {
			if t := e.tenants[en.TenantID]; t != nil && t.entries[en.ConversationID] == en && en.State == StateQueued {
				e.dispatchEntryLocked(t, en, now, b)
			}
		}
		e.fillAllLocked(now, b)
		return nil
	})
	return n, err
}
