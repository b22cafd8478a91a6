package conversation

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/assistd/assist"
	"github.com/assistd/assist/catalog"
)

// QueueTeller is an optional ability of a HandoffHandler, found by a type
// assertion: it says where a handed-off conversation stands, so the
// customer can be told. routing.Engine implements it (and
// ticket.Escalations passes it on to routing).
//
// QueuePosition returns the conversation's 1-based place in its queue, or
// 0 when an agent has already been offered or given it; ok is false when
// the handler does not hold the conversation (not routed, or routing is
// down), and then nothing is said.
type QueueTeller interface {
	QueuePosition(tenantID, conversationID string) (pos int, ok bool)
}

// queueMessageKey is the idempotency key of the queue message that
// follows the hand-off of customer message id: one per hand-off turn.
func queueMessageKey(id string) string { return "queue-position:" + id }

// tellQueue, after a hand-off, tells the customer where they stand: their
// place in the queue, or that an agent is joining. It stores and
// publishes one bot message replying to m and returns it; nil when the
// handler cannot tell (no QueueTeller, or it does not hold the
// conversation) or the message could not be stored (logged).
func (s *Service) tellQueue(ctx context.Context, c *assist.Conversation, m *assist.Message, lang string) *assist.Message {
	qt, ok := s.Handoffs.(QueueTeller)
	if !ok {
		return nil
	}
	pos, ok := s.queuePosition(ctx, qt, c)
	if !ok || pos < 0 {
		return nil
	}
	q := &assist.Message{
		ID:             uuid.Must(uuid.NewV7()).String(),
		TenantID:       c.TenantID,
		ConversationID: c.ID,
		Author:         assist.AuthorBot,
		Text:           queueText(lang, pos, s.staffed(ctx, c)),
		IdempotencyKey: queueMessageKey(m.ID),
		ReplyTo:        m.ID,
		Handled:        true,
		CreatedAt:      s.now(),
	}
	res, err := s.store(ctx, q)
	if err != nil {
		s.logger().ErrorContext(ctx, "queue position message not stored", "tenant_id", c.TenantID, "conversation_id", c.ID, "err", err)
		return nil
	}
	if !res.Created {
		return nil // told already, by an earlier run of this hand-off
	}
	return res.Message
}

// QueueLeaver is an optional ability of a HandoffHandler, found by a type
// assertion: the customer stopped waiting for a person before one took
// the conversation, which is the bot's again. routing.Engine implements
// it. Withdraw returns ECONFLICT when a person already has the
// conversation.
type QueueLeaver interface {
	Withdraw(ctx context.Context, c *assist.Conversation) error
}

// ReasonCustomerLeft is the owner change of a customer who left the queue.
const ReasonCustomerLeft = "customer_left"

// leaveQueue tells the handler the customer left the queue.
func (s *Service) leaveQueue(ctx context.Context, c *assist.Conversation) {
	ql, ok := s.Handoffs.(QueueLeaver)
	if !ok {
		return
	}
	defer s.hookRecover(ctx, "leave queue", c)
	if err := ql.Withdraw(ctx, c); err != nil {
		s.logger().ErrorContext(ctx, "leaving the queue not routed", "tenant_id", c.TenantID, "conversation_id", c.ID, "err", err)
	}
}

// queueNote is the bot's reply, to a customer already waiting, saying
// where they stand; nil when the handler cannot tell.
func (s *Service) queueNote(ctx context.Context, c *assist.Conversation, m *assist.Message, lang string, now time.Time) *assist.Message {
	qt, ok := s.Handoffs.(QueueTeller)
	if !ok {
		return nil
	}
	pos, ok := s.queuePosition(ctx, qt, c)
	if !ok || pos < 0 {
		return nil
	}
	return &assist.Message{
		ID:             uuid.Must(uuid.NewV7()).String(),
		TenantID:       c.TenantID,
		ConversationID: c.ID,
		Author:         assist.AuthorBot,
		Text:           queueText(lang, pos, s.staffed(ctx, c)),
		ReplyTo:        m.ID,
		Handled:        true,
		CreatedAt:      now,
	}
}

// queuePosition asks qt, turning a panic into "unknown".
func (s *Service) queuePosition(ctx context.Context, qt QueueTeller, c *assist.Conversation) (pos int, ok bool) {
	defer func() {
		if v := recover(); v != nil {
			s.logger().ErrorContext(ctx, "queue position hook panicked", "tenant_id", c.TenantID, "conversation_id", c.ID, "panic", fmt.Sprint(v))
			pos, ok = 0, false
		}
	}()
	return qt.QueuePosition(c.TenantID, c.ID)
}

// QueueStaffing is an optional ability of a HandoffHandler, found by a
// type assertion: QueueServing returns how many people could serve the
// conversation where it waits (online, its queue, its language); ok is
// false when the handler cannot tell. With none, the customer is told so
// rather than promised a wait. routing.Engine implements it (and
// ticket.Escalations passes it on).
type QueueStaffing interface {
	QueueServing(tenantID, conversationID string) (agents int, ok bool)
}

// staffed reports whether someone serves c's queue; true when the handler
// cannot tell.
func (s *Service) staffed(ctx context.Context, c *assist.Conversation) (yes bool) {
	qs, ok := s.Handoffs.(QueueStaffing)
	if !ok {
		return true
	}
	defer func() {
		if v := recover(); v != nil {
			s.logger().ErrorContext(ctx, "queue staffing hook panicked", "tenant_id", c.TenantID, "conversation_id", c.ID, "panic", fmt.Sprint(v))
			yes = true
		}
	}()
	n, ok := qs.QueueServing(c.TenantID, c.ID)
	return !ok || n > 0
}

// MinutesPerPlace is the rough wait told per place in the queue.
const MinutesPerPlace = 3

// QueueText is what the customer is told after a hand-off, in lang ("zh"
// or anything else for English): pos is their 1-based place in the queue,
// 0 when an agent is already joining.
func QueueText(lang string, pos int) string { return queueText(lang, pos, true) }

// queueText is QueueText, saying plainly when nobody serves the queue
// (staffed false) instead of promising a wait.
func queueText(lang string, pos int, staffed bool) string {
	c := catalog.Default()
	switch {
	case pos <= 0:
		return c.Say(lang, "queue.joining")
	case !staffed:
		return c.Say(lang, "queue.unstaffed", "n", strconv.Itoa(pos))
	case pos == 1:
		return c.Say(lang, "queue.next", "minutes", strconv.Itoa(MinutesPerPlace))
	}
	return c.Say(lang, "queue.position", "n", strconv.Itoa(pos), "ahead", strconv.Itoa(pos-1),
		"minutes", strconv.Itoa(pos*MinutesPerPlace))
}
