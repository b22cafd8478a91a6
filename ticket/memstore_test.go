package ticket_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/store/storetest"
	"github.com/assistd/assist/ticket"
)

// memStore is a hand-written in-memory ticket.Store for the service tests.
// The conformance suite checks that it behaves like the real one.
type memStore struct {
	mu       sync.Mutex
	tickets  map[string]*ticket.Ticket // by id
	comments []*ticket.Comment
	audit    []*ticket.Audit
	policies map[string]ticket.Policies
	hours    map[string]*ticket.Hours // tenant + "/" + team
	updates  int                      // UpdateTicket calls that wrote
}

var _ ticket.Store = (*memStore)(nil)

func newMemStore() *memStore {
	return &memStore{tickets: map[string]*ticket.Ticket{}, policies: map[string]ticket.Policies{}, hours: map[string]*ticket.Hours{}}
}

func TestMemStoreConformance(t *testing.T) {
	storetest.Tickets(t, func(t *testing.T) ticket.Store { return newMemStore() })
}

func notFound() error { return assist.Errorf(assist.ENOTFOUND, "ticket not found") }

func (s *memStore) CreateTicket(ctx context.Context, t *ticket.Ticket, c ticket.Change) (*ticket.Ticket, bool, error) {
	if t.ID == "" || t.TenantID == "" {
		return nil, false, assist.Errorf(assist.EINVALID, "ticket id and tenant are required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.tickets[t.ID]; ok {
		return nil, false, assist.Errorf(assist.ECONFLICT, "ticket already exists")
	}
	var max int64
	for _, x := range s.tickets {
		if x.TenantID != t.TenantID {
			continue
		}
		if t.EscalationKey != "" && x.EscalationKey == t.EscalationKey {
			return x.Clone(), false, nil
		}
		if x.Number > max {
			max = x.Number
		}
	}
	t.Number = max + 1
	s.tickets[t.ID] = t.Clone()
	s.add(c)
	return t.Clone(), true, nil
}

func (s *memStore) add(c ticket.Change) {
	for _, x := range c.Comments {
		cp := *x
		s.comments = append(s.comments, &cp)
	}
	for _, x := range c.Audit {
		cp := *x
		s.audit = append(s.audit, &cp)
	}
}

func (s *memStore) Ticket(ctx context.Context, tenantID, id string) (*ticket.Ticket, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tickets[id]
	if !ok || t.TenantID != tenantID {
		return nil, notFound()
	}
	return t.Clone(), nil
}

func matches(t *ticket.Ticket, f ticket.Filter) bool {
	switch {
	case len(f.Status) > 0 && !slices.Contains(f.Status, t.Status),
		len(f.Priority) > 0 && !slices.Contains(f.Priority, t.Priority),
		f.AssigneeID == ticket.Unassigned && t.AssigneeID != "",
		f.AssigneeID != "" && f.AssigneeID != ticket.Unassigned && t.AssigneeID != f.AssigneeID,
		f.Team != "" && t.Team != f.Team,
		f.RequesterID != "" && t.RequesterID != f.RequesterID,
		f.ConversationID != "" && t.ConversationID != f.ConversationID,
		f.BeforeNumber > 0 && t.Number >= f.BeforeNumber:
		return false
	}
	if v := f.Visible; v != nil {
		return t.AssigneeID == "" || t.AssigneeID == v.UserID || t.Team != "" && slices.Contains(v.Teams, t.Team)
	}
	return true
}

func (s *memStore) ListTickets(ctx context.Context, tenantID string, f ticket.Filter) ([]*ticket.Ticket, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*ticket.Ticket
	for _, t := range s.tickets {
		if t.TenantID == tenantID && matches(t, f) {
			out = append(out, t.Clone())
		}
	}
	slices.SortFunc(out, func(a, b *ticket.Ticket) int { return int(b.Number - a.Number) })
	limit := f.Limit
	if limit <= 0 {
		limit = ticket.DefaultPageSize
	}
	limit = min(limit, ticket.MaxPageSize)
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (s *memStore) UpdateTicket(ctx context.Context, tenantID, id string, fn func(t *ticket.Ticket) (ticket.Change, error)) (*ticket.Ticket, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tickets[id]
	if !ok || t.TenantID != tenantID {
		return nil, notFound()
	}
	cp := t.Clone()
	c, err := fn(cp)
	if err != nil {
		return nil, err
	}
	cp.ID, cp.TenantID, cp.Number = t.ID, t.TenantID, t.Number
	cp.Version = t.Version + 1
	s.tickets[id] = cp.Clone()
	s.add(c)
	s.updates++
	return cp, nil
}

func (s *memStore) ActiveTickets(ctx context.Context, afterID string, limit int) ([]*ticket.Ticket, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*ticket.Ticket
	for _, id := range slices.Sorted(maps.Keys(s.tickets)) {
		if t := s.tickets[id]; id > afterID && t.Status.Active() {
			out = append(out, t.Clone())
		}
	}
	if limit <= 0 {
		limit = 100
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (s *memStore) Comments(ctx context.Context, tenantID, ticketID string, internal bool) ([]*ticket.Comment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.tickets[ticketID]; !ok || t.TenantID != tenantID {
		return nil, notFound()
	}
	var out []*ticket.Comment
	for _, c := range s.comments {
		if c.TenantID == tenantID && c.TicketID == ticketID && (internal || !c.Internal) {
			cp := *c
			out = append(out, &cp)
		}
	}
	return out, nil
}

func (s *memStore) AppendAudit(ctx context.Context, records ...*ticket.Audit) error {
	for _, r := range records {
		if r.ID == "" || r.TenantID == "" || r.Entity == "" {
			return assist.Errorf(assist.EINVALID, "audit records need an id, a tenant and an entity")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.add(ticket.Change{Audit: records})
	return nil
}

func (s *memStore) AuditLog(ctx context.Context, tenantID, entity, entityID string) ([]*ticket.Audit, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*ticket.Audit
	for _, a := range s.audit {
		if a.TenantID == tenantID && a.Entity == entity && a.EntityID == entityID {
			cp := *a
			out = append(out, &cp)
		}
	}
	return out, nil
}

func (s *memStore) Policies(ctx context.Context, tenantID string) (ticket.Policies, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := ticket.Policies{}
	maps.Copy(out, s.policies[tenantID])
	return out, nil
}

func (s *memStore) SetPolicies(ctx context.Context, tenantID string, p ticket.Policies) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.policies[tenantID] = maps.Clone(p)
	return nil
}

func (s *memStore) Hours(ctx context.Context, tenantID, team string) (*ticket.Hours, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h, ok := s.hours[tenantID+"/"+team]
	if !ok {
		return nil, nil
	}
	cp := *h
	cp.Holidays = slices.Clone(h.Holidays)
	for d := range cp.Weekly {
		cp.Weekly[d] = slices.Clone(h.Weekly[d])
	}
	return &cp, nil
}

func (s *memStore) SetHours(ctx context.Context, tenantID, team string, h *ticket.Hours) error {
	if strings.TrimSpace(team) == "" {
		return assist.Errorf(assist.EINVALID, "team is required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if h == nil {
		delete(s.hours, tenantID+"/"+team)
		return nil
	}
	cp := *h
	s.hours[tenantID+"/"+team] = &cp
	return nil
}
