package eval

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/assistd/assist"
	"github.com/assistd/assist/conversation"
	"github.com/assistd/assist/dialog"
	"github.com/assistd/assist/nlu/pii"
)

// ConversationSource is what Export reads: the conversation store.
type ConversationSource interface {
	ListConversations(ctx context.Context, tenantID string, f conversation.Filter) ([]*assist.Conversation, error)
	Messages(ctx context.Context, tenantID, conversationID string, afterSeq int64, limit int) ([]*assist.Message, error)
	DialogState(ctx context.Context, tenantID, conversationID string) ([]byte, error)
}

// Export reads up to limit of a tenant's conversations (newest first) as
// Recorded: each customer message with the bot's replies to it, the
// intents the stored dialog state still remembers by turn, and the turn
// the bot handed the conversation off at (from the state's escalation, or
// the last turn the bot answered when the conversation left the bot).
// Conversations without a customer message are left out. Every text is
// masked (nlu/pii: phone numbers, e-mail addresses, ID and card numbers
// become placeholders), so an export can leave the process.
func Export(ctx context.Context, src ConversationSource, tenantID string, limit int) ([]*Recorded, error) {
	convs, err := src.ListConversations(ctx, tenantID, conversation.Filter{Limit: limit})
	if err != nil {
		return nil, err
	}
	var out []*Recorded
	for _, c := range convs {
		rec := &Recorded{ID: c.ID, Lang: c.Lang, Customer: c.CustomerRef}
		byID := map[string]int{} // customer message id → turn index
		lastAnswered := 0
		for after := int64(0); ; {
			msgs, err := src.Messages(ctx, tenantID, c.ID, after, 500)
			if err != nil {
				return nil, fmt.Errorf("export %s: %w", c.ID, err)
			}
			for _, m := range msgs {
				after = m.Seq
				switch m.Author {
				case assist.AuthorCustomer:
					byID[m.ID] = len(rec.Turns)
					rec.Turns = append(rec.Turns, RecordedTurn{Say: pii.Mask(m.Text), Replies: []string{}})
				case assist.AuthorBot:
					if i, ok := byID[m.ReplyTo]; ok {
						rec.Turns[i].Replies = append(rec.Turns[i].Replies, pii.Mask(m.Text))
						lastAnswered = i + 1
					}
				}
			}
			if len(msgs) < 500 {
				break
			}
		}
		if len(rec.Turns) == 0 {
			continue
		}
		var st dialog.State
		if b, err := src.DialogState(ctx, tenantID, c.ID); err == nil && len(b) > 0 && json.Unmarshal(b, &st) == nil {
			for _, n := range st.Intents {
				if n.Turn >= 1 && n.Turn <= len(rec.Turns) {
					rec.Turns[n.Turn-1].Intent = n.Label
				}
			}
		}
		if c.Owner != assist.OwnerBot && c.Reason != "" {
			rec.Reason = c.Reason
			rec.EscalationTurn = lastAnswered
			if st.Escalation != nil && st.Escalation.Turn >= 1 && st.Escalation.Turn <= len(rec.Turns) {
				rec.EscalationTurn = st.Escalation.Turn
			}
		}
		out = append(out, rec)
	}
	return out, nil
}
