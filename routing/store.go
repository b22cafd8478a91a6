package routing

import (
	"context"
	"slices"
	"time"

	"github.com/assistd/assist"
)

// Entry is the routing state of one conversation the engine holds: queued,
// offered or assigned.
type Entry struct {
	TenantID       string    `json:"tenant_id"`
	ConversationID string    `json:"conversation_id"`
	State          State     `json:"state"`
	Skill          string    `json:"skill"`
	Lang           string    `json:"lang,omitempty"`
	Reason         string    `json:"reason,omitempty"`
	Intent         string    `json:"intent,omitempty"`
	Tier           Tier      `json:"tier,omitempty"`
	Sentiment      float64   `json:"sentiment"` // -1 (angry) .. 1 (happy)
	BasePriority   float64   `json:"base_priority"`
	EnqueuedAt     time.Time `json:"enqueued_at"`
	LastCustomerAt time.Time `json:"last_customer_at"`
	AgentID        string    `json:"agent_id,omitempty"` // offered to, or assigned to
	OfferedAt      time.Time `json:"offered_at,omitzero"`
	Declined       []string  `json:"declined,omitempty"` // agents excluded for this conversation
	Overflowed     bool      `json:"overflowed,omitempty"`
}

func (e *Entry) clone() *Entry {
	c := *e
	c.Declined = slices.Clone(e.Declined)
	return &c
}

// Store keeps the routing state durably so a restart restores the queues.
// Every row carries its tenant; lookups never cross tenants.
//
// Errors: empty ids or an invalid state are EINVALID; anything else is
// wrapped as is. Missing rows are not errors for the list methods (an
// empty list) nor for DeleteEntry.
type Store interface {
	// PutAgent creates or replaces an agent's profile and presence.
	PutAgent(ctx context.Context, a *Agent) error
	// Agents returns every stored agent of every tenant, for a restore.
	Agents(ctx context.Context) ([]*Agent, error)
	// PutEntry creates or replaces the routing state of a conversation.
	PutEntry(ctx context.Context, e *Entry) error
	// DeleteEntry forgets a conversation's routing state (it went back to
	// the bot or closed).
	DeleteEntry(ctx context.Context, tenantID, conversationID string) error
	// Entries returns every stored entry of every tenant, for a restore.
	Entries(ctx context.Context) ([]*Entry, error)
	// AddDecision appends a decision; a duplicate ID is ECONFLICT.
	AddDecision(ctx context.Context, d *Decision) error
	// Decisions returns up to limit decisions about a conversation, oldest
	// first (limit <= 0: 100).
	Decisions(ctx context.Context, tenantID, conversationID string, limit int) ([]*Decision, error)
}

// Conversations is what the engine needs of the conversation core
// (conversation.Service implements it).
type Conversations interface {
	// Conversation returns one conversation; ENOTFOUND if the tenant has
	// no such conversation.
	Conversation(ctx context.Context, tenantID, id string) (*assist.Conversation, error)
	// SetOwner changes who answers the conversation and tells live
	// clients; ENOTFOUND for an unknown conversation.
	SetOwner(ctx context.Context, tenantID, id string, owner assist.Owner, assigneeID, reason string) error
}

// OwnedLister lists the conversations, of every tenant, that have an
// owner; Reconcile uses it to find what a crash left out of routing.
type OwnedLister interface {
	// Owned returns every conversation whose owner is owner.
	Owned(ctx context.Context, owner assist.Owner) ([]*assist.Conversation, error)
}
