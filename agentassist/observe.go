package agentassist

import (
	"context"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/catalog"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/nlu/pii"
)

var _ conversation.Observer = (*Service)(nil)

// Observe implements conversation.Observer: a customer message in a
// conversation an agent owns builds a new Set, pushed to that agent; an
// agent's message is remembered, with the customer question it answers,
// for "similar" suggestions. The work runs in the background.
func (s *Service) Observe(ctx context.Context, o conversation.Observation) {
	c, m := o.Conversation, o.Message
	if c == nil || m == nil || o.Reply != nil {
		return
	}
	ctx = context.WithoutCancel(ctx)
	switch {
	case m.Author == assist.AuthorCustomer && c.Owner == assist.OwnerAgent && c.AssigneeID != "":
		go s.push(ctx, c, m)
	case m.Author == assist.AuthorAgent && s.Replies != nil:
		go s.learn(ctx, c, m)
	}
}

// push builds the Set for m and sends it to the conversation's agent.
func (s *Service) push(ctx context.Context, c *assist.Conversation, m *assist.Message) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second+draftTimeout)
	defer cancel()
	hist, err := s.Conversations.History(ctx, c.TenantID, c.ID)
	if err != nil {
		s.logger().WarnContext(ctx, "assist: building suggestions failed", "tenant_id", c.TenantID, "conversation_id", c.ID, "err", err)
		return
	}
	set, err := s.build(ctx, c, m, hist)
	if err != nil {
		s.logger().WarnContext(ctx, "assist: building suggestions failed", "tenant_id", c.TenantID, "conversation_id", c.ID, "err", err)
		return
	}
	if s.Notifier != nil {
		s.Notifier.Assist(c.TenantID, c.AssigneeID, set)
	}
	s.draft(ctx, c, set, hist)
}

// learn remembers an agent's answer with the customer message before it.
func (s *Service) learn(ctx context.Context, c *assist.Conversation, m *assist.Message) {
	hist, err := s.Conversations.History(ctx, c.TenantID, c.ID)
	if err != nil {
		return
	}
	var before []*assist.Message
	for _, x := range hist {
		if x.Seq >= m.Seq && m.Seq > 0 || x.ID == m.ID {
			break
		}
		before = append(before, x)
	}
	// The question is the customer's problem, not their last message: an
	// answer to "thanks, any news?" is remembered for the stalled parcel.
	q := s.readProblem(ctx, before, nil).Text
	if q == "" {
		return
	}
	lang := catalog.Lang(c.Lang)
	if c.Lang == "" {
		st, err := s.Conversations.State(ctx, c.TenantID, c.ID)
		if err == nil && st != nil && st.Lang != "" {
			lang = catalog.Lang(st.Lang)
		}
	}
	p := Pair{TenantID: c.TenantID, ConversationID: c.ID, Question: clip(q, 500), Answer: clip(pii.Mask(m.Text), 2000), Lang: lang, At: m.CreatedAt}
	if err := s.Replies.Add(ctx, p); err != nil {
		s.logger().WarnContext(ctx, "assist: agent reply not remembered", "tenant_id", c.TenantID, "conversation_id", c.ID, "err", err)
	}
}
