package ticket

import (
	"context"
	"errors"
	"slices"

	"github.com/assistd/assist"
)

// A conversation's tickets follow it, as a help desk's chat tickets do:
//
//   - The agent's first message in the conversation is the ticket's first
//     response: the first response target is met (a later agent message
//     after the customer wrote again meets the next response) and a new
//     ticket becomes open. Its assignee is left as it is: the chat moves
//     between agents by transfers, and whoever has it next must still
//     see its ticket.
//   - Closing the conversation (the agent or a supervisor ends it) solves
//     its active tickets: the resolution target is met. A solved ticket
//     reopens if the customer writes again (CustomerReplied).
//
// A conversation the customer abandoned (routing's idle timeout) is not
// a solved problem: its tickets stay as they are for someone to follow up.

// AgentReplied tells the active tickets of a conversation that agentID
// (a staff member) wrote to its customer. It returns the tickets changed.
func (s *Service) AgentReplied(ctx context.Context, tenantID, conversationID, agentID string) ([]*Ticket, error) {
	p := assist.Principal{TenantID: tenantID, UserID: agentID, Role: assist.RoleAgent}
	return s.follow(ctx, p, conversationID, []Status{StatusNew, StatusOpen, StatusPending, StatusOnHold},
		func(a *audit, c slaClock, t *Ticket) {
			before := t.SLA
			c.agentReplied(t)
			auditTimers(a, &before, &t.SLA)
			if t.Status == StatusNew {
				s.setStatus(a, c, t, StatusOpen)
			}
		})
}

// ConversationClosed solves the active tickets of a conversation that
// byID (the agent or supervisor who closed it; "" for the system) ended.
// It returns the tickets changed.
func (s *Service) ConversationClosed(ctx context.Context, tenantID, conversationID, byID string) ([]*Ticket, error) {
	p := assist.Principal{TenantID: tenantID, UserID: byID, Role: assist.RoleAgent}
	return s.follow(ctx, p, conversationID, []Status{StatusNew, StatusOpen, StatusPending, StatusOnHold},
		func(a *audit, c slaClock, t *Ticket) {
			if CanTransition(t.Status, StatusSolved) {
				s.setStatus(a, c, t, StatusSolved)
			}
		})
}

// follow applies change to each ticket of the conversation in one of
// statuses, retrying stale updates, and schedules their timers.
func (s *Service) follow(ctx context.Context, p assist.Principal, conversationID string, statuses []Status, change func(a *audit, c slaClock, t *Ticket)) ([]*Ticket, error) {
	if p.TenantID == "" || conversationID == "" {
		return nil, assist.Errorf(assist.EINVALID, "tenant and conversation are required")
	}
	list, err := s.Store.ListTickets(ctx, p.TenantID, Filter{ConversationID: conversationID, Status: statuses, Limit: MaxPageSize})
	if err != nil {
		return nil, err
	}
	var changed []*Ticket
	for _, listed := range list {
		// The listed ticket is as current as a second read: the update
		// finds a team or priority changed since (errStale) and then
		// reads the ticket again.
		t, err := s.followOne(ctx, p, listed, listed, statuses, change)
		for i := 1; errors.Is(err, errStale) && i < maxAttempts; i++ {
			t, err = s.followOne(ctx, p, listed, nil, statuses, change)
		}
		if errors.Is(err, errUnchanged) {
			continue
		}
		if err != nil {
			return changed, err
		}
		s.schedule(t)
		changed = append(changed, t)
	}
	return changed, nil
}

// followOne applies change to listed's ticket, as cur (nil: read again)
// has its team and priority.
func (s *Service) followOne(ctx context.Context, p assist.Principal, listed, cur *Ticket, statuses []Status, change func(a *audit, c slaClock, t *Ticket)) (*Ticket, error) {
	if cur == nil {
		var err error
		if cur, err = s.Store.Ticket(ctx, listed.TenantID, listed.ID); err != nil {
			return nil, err
		}
	}
	now := s.now()
	c, err := s.clock(ctx, cur.TenantID, cur.Team, cur.Priority, now)
	if err != nil {
		return nil, err
	}
	return s.Store.UpdateTicket(ctx, cur.TenantID, cur.ID, func(t *Ticket) (Change, error) {
		if t.Team != cur.Team || t.Priority != cur.Priority {
			return Change{}, errStale
		}
		a := &audit{s: s, t: t, p: p, now: now}
		if slices.Contains(statuses, t.Status) {
			change(a, c, t)
		}
		if len(a.items) == 0 {
			return Change{}, errUnchanged
		}
		t.UpdatedAt = now
		return Change{Audit: a.items}, nil
	})
}
