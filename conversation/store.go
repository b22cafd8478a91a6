package conversation

import (
	"context"

	"github.com/assistd/assist"
)

// Store keeps conversations and their messages durably. Every method is
// scoped by tenant: a row of another tenant is never returned or changed.
//
// Errors: lookups of a missing (or other tenant's) row, and lists under a
// missing parent, return an *assist.Error with code assist.ENOTFOUND; a
// duplicate id returns assist.ECONFLICT; empty ids or an unknown owner
// return assist.EINVALID; anything else is wrapped as is. An empty list is
// not an error.
type Store interface {
	// CreateConversation stores c, whose ID, TenantID and timestamps are set.
	CreateConversation(ctx context.Context, c *assist.Conversation) error
	// Conversation returns one conversation.
	Conversation(ctx context.Context, tenantID, id string) (*assist.Conversation, error)
	// ListConversations returns the tenant's conversations, newest
	// CreatedAt first, filtered by f.
	ListConversations(ctx context.Context, tenantID string, f Filter) ([]*assist.Conversation, error)
	// SetOwner changes who answers the conversation, with the assignee (for
	// OwnerAgent) and a reason code, and bumps UpdatedAt.
	SetOwner(ctx context.Context, tenantID, id string, owner assist.Owner, assigneeID, reason string) error

	// AppendMessage stores m (ID, TenantID, ConversationID, Author, Text and
	// CreatedAt set) and assigns its Seq. When m.IdempotencyKey is set and the
	// conversation already holds a message with that key, nothing is written
	// and the stored message is returned with created == false. It is
	// durable when it returns.
	AppendMessage(ctx context.Context, m *assist.Message) (stored *assist.Message, created bool, err error)
	// Message returns one message.
	Message(ctx context.Context, tenantID, id string) (*assist.Message, error)
	// Messages returns up to limit messages of a conversation with Seq >
	// afterSeq, in Seq order; a limit <= 0 means 100.
	Messages(ctx context.Context, tenantID, conversationID string, afterSeq int64, limit int) ([]*assist.Message, error)
	// Replies returns the messages whose ReplyTo is messageID, in Seq order.
	Replies(ctx context.Context, tenantID, messageID string) ([]*assist.Message, error)
	// CompleteTurn atomically stores the replies to a customer message
	// (assigning their Seq), marks the message handled, applies the owner
	// change if one is given and replaces the dialog state if one is
	// given. A message already handled is ECONFLICT and nothing is
	// written, so a turn's replies and state are stored once.
	CompleteTurn(ctx context.Context, t TurnResult) error
	// DialogState returns the conversation's dialog state as last stored
	// by CompleteTurn (opaque bytes, JSON in practice), or nil and no
	// error when no turn stored one yet. An unknown conversation (or one
	// of another tenant) is ENOTFOUND.
	DialogState(ctx context.Context, tenantID, conversationID string) ([]byte, error)
	// Unhandled returns up to limit customer messages, of any tenant, whose
	// turn has not run, oldest first (a limit <= 0 means 100). Used to
	// resume work after a crash.
	Unhandled(ctx context.Context, limit int) ([]*assist.Message, error)
}

// Filter narrows ListConversations. Zero values match everything.
type Filter struct {
	Owner      assist.Owner
	AssigneeID string
	Limit      int // 0 means a default of 50
}

// TurnResult is what one customer message's turn produced.
type TurnResult struct {
	TenantID       string
	ConversationID string
	MessageID      string
	Replies        []*assist.Message
	Owner          *OwnerChange // nil: unchanged
	// State replaces the conversation's dialog state; nil leaves it
	// unchanged. A store may refuse a State larger than MaxStateBytes
	// with ETOOLARGE.
	State []byte
}

// MaxStateBytes is the largest dialog state a turn stores. The service
// trims a larger state (oldest intents and entities first) before storing.
const MaxStateBytes = 64 << 10

// OwnerChange moves a conversation to a new owner.
type OwnerChange struct {
	Owner      assist.Owner
	AssigneeID string
	Reason     string
}
