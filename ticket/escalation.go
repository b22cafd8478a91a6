package ticket

import (
	"context"
	"errors"
	"log/slog"

	"github.com/assistd/assist"
)

// HandoffHandler is the hand-off hook of the conversation service
// (conversation.HandoffHandler, restated here since ticket sits below
// conversation).
type HandoffHandler interface {
	HandOff(ctx context.Context, c *assist.Conversation, h assist.Handoff, m *assist.Message) error
}

// peopleWatcher is conversation.PeopleWatcher, restated.
type peopleWatcher interface {
	CustomerMessage(ctx context.Context, c *assist.Conversation, m *assist.Message)
}

// Escalations opens a ticket for every hand-off of a conversation to
// people, after passing the hand-off on to Next (routing). It has the
// methods of conversation.HandoffHandler and conversation.PeopleWatcher,
// so it goes into conversation.Service.Handoffs in Next's place. A
// customer message in an escalated conversation counts as a customer
// reply on its tickets (next response timers, reopening).
type Escalations struct {
	Tickets *Service
	Next    HandoffHandler // nil: tickets only
	// History returns the messages of a conversation in Seq order, for the
	// summary of the bot part; nil: the summary holds the triggering
	// message only.
	History func(ctx context.Context, tenantID, conversationID string) ([]*assist.Message, error)
	Logger  *slog.Logger // nil: the Tickets service's
	// Summary writes the ticket's note from the hand-off (agent assist's
	// structured summary); nil, or "" from it, keeps the transcript
	// summary (EscalationSummary).
	Summary func(ctx context.Context, c *assist.Conversation, h assist.Handoff, botPart []*assist.Message) string
}

var (
	_ HandoffHandler = (*Escalations)(nil)
	_ peopleWatcher  = (*Escalations)(nil)
)

func (e *Escalations) logger() *slog.Logger {
	if e.Logger != nil {
		return e.Logger
	}
	return e.Tickets.logger()
}

// HandOff passes the hand-off on to Next, then opens the conversation's
// ticket (once per escalation: a retried hand-off finds the same ticket).
// The errors of both are returned joined; one failing does not stop the
// other.
func (e *Escalations) HandOff(ctx context.Context, c *assist.Conversation, h assist.Handoff, m *assist.Message) error {
	var errs []error
	if e.Next != nil {
		if err := e.Next.HandOff(ctx, c, h, m); err != nil {
			errs = append(errs, err)
		}
	}
	part := e.botPart(ctx, c, m)
	note := ""
	if e.Summary != nil {
		note = e.Summary(ctx, c, h, part)
	}
	if _, err := e.Tickets.openFromHandoff(ctx, *c, h, part, note); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// botPart returns the conversation's messages up to and including the
// one that triggered the hand-off, so a retry summarises the same part
// and finds the same escalation key.
func (e *Escalations) botPart(ctx context.Context, c *assist.Conversation, m *assist.Message) []*assist.Message {
	var part []*assist.Message
	if e.History != nil {
		msgs, err := e.History(ctx, c.TenantID, c.ID)
		if err != nil {
			e.logger().WarnContext(ctx, "conversation history unavailable for the ticket summary",
				"tenant_id", c.TenantID, "conversation_id", c.ID, "err", err)
		}
		for _, x := range msgs {
			if m == nil || x.Seq <= m.Seq {
				part = append(part, x)
			}
		}
	}
	if m != nil && (len(part) == 0 || part[len(part)-1].ID != m.ID) {
		part = append(part, m)
	}
	return part
}

// CustomerMessage passes the message on to Next, then tells the
// conversation's tickets that the customer wrote.
func (e *Escalations) CustomerMessage(ctx context.Context, c *assist.Conversation, m *assist.Message) {
	if w, ok := e.Next.(peopleWatcher); ok {
		w.CustomerMessage(ctx, c, m)
	}
	if _, err := e.Tickets.CustomerReplied(ctx, c.TenantID, c.ID); err != nil {
		e.logger().ErrorContext(ctx, "customer reply not applied to tickets", "tenant_id", c.TenantID, "conversation_id", c.ID, "err", err)
	}
}
