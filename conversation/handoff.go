package conversation

import (
	"context"
	"fmt"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog"
)

// HandoffHandler is told when a turn hands a conversation to people
// (routing implements it). HandOff gets the conversation (its owner
// already the queue), the reason code and the customer message that
// triggered it. It is called after the turn is stored, outside the
// conversation's lock; an error is logged and loses nothing: the
// conversation stays owned by the queue, and the handler is expected to
// reconcile such conversations at start.
type HandoffHandler interface {
	HandOff(ctx context.Context, c *assist.Conversation, h assist.Handoff, m *assist.Message) error
}

// PeopleWatcher is an optional ability of a HandoffHandler, found by a
// type assertion: it hears about conversations people own.
// CustomerMessage is told of every customer message stored while the
// queue or an agent owns the conversation.
type PeopleWatcher interface {
	CustomerMessage(ctx context.Context, c *assist.Conversation, m *assist.Message)
}

// Observer hears about a conversation after the fact: every message
// stored, with the bot's decision when it answered a customer message.
// Agent assist and the knowledge-gap recorder implement it. It is called
// outside the conversation's lock, after the change is stored; it must
// return quickly (do slow work elsewhere) and cannot fail the request.
type Observer interface {
	Observe(ctx context.Context, o Observation)
}

// Observation is one stored message. Reply is the bot's decision when the
// message is a customer message the bot answered (its stored replies in
// Replies), nil otherwise: a customer message to a person, or a staff or
// system message. Conversation is as it was when the message was stored.
type Observation struct {
	Conversation *assist.Conversation
	Message      *assist.Message
	Replies      []*assist.Message
	Reply        *dialog.Reply
}

func (s *Service) observe(ctx context.Context, o Observation) {
	for _, w := range s.Observers {
		func() {
			defer s.hookRecover(ctx, "observer", o.Conversation)
			w.Observe(ctx, o)
		}()
	}
}

func (s *Service) handOff(ctx context.Context, c *assist.Conversation, h assist.Handoff, m *assist.Message) {
	if s.Handoffs == nil {
		return
	}
	cc := *c
	cc.Owner, cc.AssigneeID, cc.Reason = assist.OwnerQueue, "", h.Reason
	defer s.hookRecover(ctx, "hand-off", c)
	if err := s.Handoffs.HandOff(ctx, &cc, h, m); err != nil {
		s.logger().ErrorContext(ctx, "hand-off not routed; it stays queued", "tenant_id", c.TenantID, "conversation_id", c.ID, "err", err)
	}
}

func (s *Service) customerMessage(ctx context.Context, c *assist.Conversation, m *assist.Message) {
	if w, ok := s.Handoffs.(PeopleWatcher); ok && c.Owner != assist.OwnerClosed && c.Owner != assist.OwnerBot {
		defer s.hookRecover(ctx, "customer message", c)
		w.CustomerMessage(ctx, c, m)
	}
}

// hookRecover, deferred around a call to the hook, turns its panic into a
// logged error: the message that led to the call is already stored and
// its Post must still succeed (routing reconciles at its next start).
func (s *Service) hookRecover(ctx context.Context, what string, c *assist.Conversation) {
	if v := recover(); v != nil {
		s.logger().ErrorContext(ctx, "hand-off hook panicked; the conversation stays as stored", "hook", what,
			"tenant_id", c.TenantID, "conversation_id", c.ID, "panic", fmt.Sprint(v))
	}
}

// Conversation returns one conversation of a tenant, whoever asks: for
// services that act on the tenant's behalf, such as routing.
func (s *Service) Conversation(ctx context.Context, tenantID, id string) (*assist.Conversation, error) {
	return s.Store.Conversation(ctx, tenantID, id)
}

// SetOwner changes who answers a conversation on a service's behalf (routing
// accepting, releasing or closing) and tells live clients. It takes the
// conversation's turn lock, so a bot turn in flight finishes first and
// its owner change cannot overwrite this one.
func (s *Service) SetOwner(ctx context.Context, tenantID, id string, owner assist.Owner, assigneeID, reason string) error {
	unlock := s.locks.lock(tenantID + "/" + id)
	defer unlock()
	if err := s.Store.SetOwner(ctx, tenantID, id, owner, assigneeID, reason); err != nil {
		return fmt.Errorf("set owner: %w", err)
	}
	s.publish(tenantID, Event{Type: EventStatus, ConversationID: id, Owner: owner, Reason: reason})
	s.logger().InfoContext(ctx, "conversation owner changed", "tenant_id", tenantID, "conversation_id", id, "owner", owner, "reason", reason)
	return nil
}
