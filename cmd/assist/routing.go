package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sort"

	"github.com/assistd/assist"
	"github.com/assistd/assist/auth"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/routing"
	"github.com/assistd/assist/store/sqlite"
	"github.com/assistd/assist/ticket"
)

var (
	_ conversation.HandoffHandler = (*routing.Engine)(nil)
	_ conversation.PeopleWatcher  = (*routing.Engine)(nil)
	_ routing.Conversations       = (*conversation.Service)(nil)
	_ ticket.Teams                = (*routing.Engine)(nil)
	_ ticket.Notifier             = slaEvents{}
)

// routingConfig is the routing policy of the configuration.
func routingConfig(cfg Config) (routing.Config, error) {
	rc := routing.DefaultConfig()
	var err error
	if rc.IntentSkills, err = routing.ParseSkillMap(cfg.Routing.IntentSkills); err != nil {
		return rc, fmt.Errorf("config: routing.intent_skills: %w", err)
	}
	if rc.ReasonSkills, err = routing.ParseSkillMap(cfg.Routing.ReasonSkills); err != nil {
		return rc, fmt.Errorf("config: routing.reason_skills: %w", err)
	}
	rc.DefaultSkill = cfg.Routing.DefaultSkill
	rc.OfferTimeout = cfg.Routing.OfferTimeout
	rc.MaxMissedOffers = cfg.Routing.MaxMissedOffers
	rc.OverflowWait = cfg.Routing.OverflowWait
	rc.FallbackTeam = cfg.Routing.FallbackTeam
	rc.CustomerIdleTimeout = cfg.Routing.CustomerIdleTimeout
	rc.AgingPerMinute = cfg.Routing.AgingPerMinute
	rc.VIPWeight = cfg.Routing.VIPWeight
	rc.DefaultCapacity = cfg.Routing.DefaultCapacity
	if err := rc.Validate(); err != nil {
		return rc, fmt.Errorf("config: routing: %s", assist.ErrorMessage(err))
	}
	return rc, nil
}

// skillPairs lists a skill map as the configuration writes it: "key=skill".
func skillPairs(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// newRouting builds the routing engine on the database, restores what it
// persisted and reconciles it with the conversations: a crash between a
// hand-off and its enqueue loses nothing.
func newRouting(ctx context.Context, db *sqlite.DB, cfg Config, convs routing.Conversations, bus *routing.Bus, logger *slog.Logger) (*routing.Engine, error) {
	rc, err := routingConfig(cfg)
	if err != nil {
		return nil, err
	}
	store := sqlite.NewRoutingStore(db)
	e, err := routing.New(rc, store, convs, bus, logger)
	if err != nil {
		return nil, err
	}
	if err := e.Restore(ctx); err != nil {
		return nil, err
	}
	n, err := e.Reconcile(ctx, store)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		logger.Info("routing reconciled with the conversations", "changed", n)
	}
	return e, nil
}

// slaEvents publishes the ticket service's SLA warnings and breaches on
// the agent event stream: to the ticket's assignee and the supervisors.
type slaEvents struct{ bus *routing.Bus }

func (s slaEvents) Notify(_ context.Context, e ticket.Event) {
	typ := routing.EventSLAWarning
	if e.Kind == ticket.EventBreach {
		typ = routing.EventSLABreach
	}
	ev := routing.Event{Type: typ, TenantID: e.TenantID, TicketID: e.TicketID, AgentID: e.AssigneeID,
		Metric: string(e.Metric), Reason: string(e.Priority), DueAt: e.DueAt, At: e.At, Roles: routing.SupervisorRoles()}
	if e.AssigneeID != "" {
		ev.To = []string{e.AssigneeID}
	}
	s.bus.Publish(ev)
}

// ticketFollower keeps a conversation's tickets in step with it (see
// ticket/follow.go): it hears the agent's messages (conversation.Observer)
// and stands between routing and the conversations, so a conversation an
// agent or supervisor closes solves its tickets.
type ticketFollower struct {
	routing.Conversations
	tickets *ticket.Service
	logger  *slog.Logger
}

// Observe meets the tickets' first (or next) response on an agent's
// message.
func (f ticketFollower) Observe(ctx context.Context, o conversation.Observation) {
	m := o.Message
	if m == nil || m.Author != assist.AuthorAgent || m.AuthorID == "" {
		return
	}
	if _, err := f.tickets.AgentReplied(ctx, m.TenantID, m.ConversationID, m.AuthorID); err != nil {
		f.logger.ErrorContext(ctx, "agent reply not applied to tickets", "tenant_id", m.TenantID, "conversation_id", m.ConversationID, "err", err)
	}
}

// SetOwner changes the owner; a conversation closed by staff (rule
// closed, not the customer's idle timeout) solves its tickets, as the
// person it was assigned to.
func (f ticketFollower) SetOwner(ctx context.Context, tenantID, id string, owner assist.Owner, assigneeID, reason string) error {
	closed := owner == assist.OwnerClosed && reason == routing.RuleClosed
	by := ""
	if closed {
		if c, err := f.Conversation(ctx, tenantID, id); err == nil {
			by = c.AssigneeID
		}
	}
	if err := f.Conversations.SetOwner(ctx, tenantID, id, owner, assigneeID, reason); err != nil {
		return err
	}
	if closed {
		if _, err := f.tickets.ConversationClosed(ctx, tenantID, id, by); err != nil {
			f.logger.ErrorContext(ctx, "closed conversation not applied to tickets", "tenant_id", tenantID, "conversation_id", id, "err", err)
		}
	}
	return nil
}

// demoAgents are the routing profiles of the demo shop's staff. Every
// queue the defaults route to has an agent who reads Chinese: lin.wei
// also serves senior (angry customers, VIP complaints) and complaints, so
// the README's angry Chinese customer is offered to her.
var demoAgents = map[string]routing.Profile{
	"lin.wei@demo.shop":    {Skills: map[string]int{"general": 3, "returns": 4, "billing": 3, "orders": 3, "senior": 4, "complaints": 3}, Langs: []string{"zh", "en"}, Teams: []string{"tier1"}, Capacity: 3},
	"emma.clark@demo.shop": {Skills: map[string]int{"general": 4, "complaints": 4, "senior": 5, "orders": 2}, Langs: []string{"en"}, Teams: []string{"tier2"}, Capacity: 3},
	"admin@demo.shop":      {Skills: map[string]int{"general": 1, "senior": 3}, Langs: []string{"zh", "en"}, Teams: []string{"tier2"}, Capacity: 2},
}

// seedDemoRouting gives the demo staff routing profiles, once (later
// changes through the API are kept), and puts them online so hand-offs
// reach them.
func seedDemoRouting(ctx context.Context, a *auth.Service, e *routing.Engine, cfg Config, out io.Writer) error {
	t, err := a.Store.TenantBySlug(ctx, cfg.Demo.Tenant)
	if err != nil {
		return fmt.Errorf("demo routing: %w", err)
	}
	seeder := assist.Principal{TenantID: t.ID, UserID: "demo-seed", Role: assist.RoleAdmin}
	emails := make([]string, 0, len(demoAgents))
	for email := range demoAgents {
		emails = append(emails, email)
	}
	slices.Sort(emails)
	for _, email := range emails {
		u, err := a.Store.UserByEmail(ctx, t.ID, email)
		if assist.ErrorCode(err) == assist.ENOTFOUND {
			continue
		}
		if err != nil {
			return fmt.Errorf("demo routing %s: %w", email, err)
		}
		if _, err := e.AgentStatusOf(t.ID, u.ID); err == nil {
			continue
		}
		if _, err := e.SetProfile(ctx, seeder, u.ID, demoAgents[email]); err != nil {
			return fmt.Errorf("demo routing %s: %w", email, err)
		}
		if _, err := e.SetPresence(ctx, assist.Principal{TenantID: t.ID, UserID: u.ID, Role: u.Role}, routing.Online); err != nil {
			return fmt.Errorf("demo routing %s: %w", email, err)
		}
		p := demoAgents[email]
		fmt.Fprintf(out, "  routing: %s online, skills %v, languages %v, capacity %d\n", email, p.Skills, p.Langs, p.Capacity)
	}
	return nil
}
