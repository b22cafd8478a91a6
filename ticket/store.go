package ticket

import (
	"context"
)

// Store keeps tickets, their comments, the audit log, SLA policies and
// business hours. Every method is scoped by tenant: a row of another tenant
// is never returned or changed.
//
// Errors: a missing (or other tenant's) ticket is an *assist.Error with
// code assist.ENOTFOUND; a duplicate id is assist.ECONFLICT; empty ids are
// assist.EINVALID; anything else is wrapped as is. An empty list is not an
// error.
type Store interface {
	// CreateTicket stores t (ID, TenantID, Status, Priority and times set)
	// with its first comments and audit records, all or nothing, and
	// assigns t.Number: the tenant's highest number plus one. When
	// t.EscalationKey is set and the tenant already has a ticket with that
	// key, nothing is written and the stored ticket is returned with
	// created == false.
	CreateTicket(ctx context.Context, t *Ticket, c Change) (stored *Ticket, created bool, err error)
	// Ticket returns one ticket.
	Ticket(ctx context.Context, tenantID, id string) (*Ticket, error)
	// ListTickets returns the tenant's tickets matching f, highest Number
	// first.
	ListTickets(ctx context.Context, tenantID string, f Filter) ([]*Ticket, error)
	// UpdateTicket reads the ticket, calls fn with a copy it may change,
	// and stores the changed ticket (Version + 1) with the comments and
	// audit records fn returns, all in one transaction: concurrent updates
	// are applied one after the other and none is lost. An error from fn
	// is returned as is and nothing is written. fn may run while the store
	// holds a write lock: it must only compute.
	UpdateTicket(ctx context.Context, tenantID, id string, fn func(t *Ticket) (Change, error)) (*Ticket, error)
	// ActiveTickets returns up to limit tickets of any tenant whose status
	// is new, open, pending or on hold, with ID greater than afterID, in ID
	// order: the tickets whose SLA timers may run.
	ActiveTickets(ctx context.Context, afterID string, limit int) ([]*Ticket, error)

	// Comments returns the comments of a ticket, oldest first; without
	// internal notes unless internal is true. A missing ticket is
	// ENOTFOUND.
	Comments(ctx context.Context, tenantID, ticketID string, internal bool) ([]*Comment, error)
	// AppendAudit adds records to the audit log (for entities other than
	// tickets; ticket records come with CreateTicket and UpdateTicket).
	AppendAudit(ctx context.Context, records ...*Audit) error
	// AuditLog returns the records of one entity, oldest first.
	AuditLog(ctx context.Context, tenantID, entity, entityID string) ([]*Audit, error)

	// Policies returns the tenant's SLA policies; an empty map when none
	// is set.
	Policies(ctx context.Context, tenantID string) (Policies, error)
	// SetPolicies replaces the tenant's SLA policies.
	SetPolicies(ctx context.Context, tenantID string, p Policies) error
	// Hours returns a team's business hours; nil (and no error) when none
	// are set.
	Hours(ctx context.Context, tenantID, team string) (*Hours, error)
	// SetHours replaces a team's business hours; nil removes them.
	SetHours(ctx context.Context, tenantID, team string, h *Hours) error
}

// Change is what a ticket write adds besides the ticket itself.
type Change struct {
	Comments []*Comment
	Audit    []*Audit
}

// Filter narrows ListTickets. Zero values match everything.
type Filter struct {
	Status         []Status
	Priority       []Priority
	AssigneeID     string // "none" for unassigned tickets
	Team           string
	RequesterID    string
	ConversationID string
	BeforeNumber   int64 // only tickets with a lower Number (paging)
	Limit          int   // 0 means 50; at most 500

	// Visible limits the list to what one agent may see: tickets assigned
	// to UserID, of one of Teams, or unassigned.
	Visible *Visibility
}

// Visibility is what an agent may see.
type Visibility struct {
	UserID string
	Teams  []string
}

// Unassigned is the Filter.AssigneeID for tickets without an assignee.
const Unassigned = "none"

// Page sizes of ListTickets.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)
