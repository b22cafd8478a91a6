package ticket

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/assistd/assist"
)

// Limits on the hand-off details in an escalation summary.
const (
	maxEvidenceKeys  = 12
	maxEvidenceRunes = 120 // per value
)

// HandoffDetails writes what the escalation rule saw, for the agent: the
// evidence (one "key: value" line per key, in key order, values on one
// line and cut), the sentiment trend when known, and the VIP flag. ""
// when the hand-off carries none of these.
func HandoffDetails(h assist.Handoff) string {
	var b strings.Builder
	if h.VIP {
		b.WriteString("VIP customer.\n")
	}
	if h.Sentiment != 0 && !math.IsNaN(h.Sentiment) {
		fmt.Fprintf(&b, "Sentiment trend: %+.2f (−1 negative … +1 positive).\n", max(-1, min(1, h.Sentiment)))
	}
	keys := make([]string, 0, len(h.Evidence))
	for k := range h.Evidence {
		if strings.TrimSpace(k) != "" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	if len(keys) > 0 {
		b.WriteString("Evidence:\n")
	}
	for i, k := range keys {
		if i == maxEvidenceKeys {
			fmt.Fprintf(&b, "- … %d more\n", len(keys)-i)
			break
		}
		fmt.Fprintf(&b, "- %s: %s\n", oneLine(k, 40), oneLine(h.Evidence[k], maxEvidenceRunes))
	}
	return b.String()
}

// queueTeller is conversation.QueueTeller, restated.
type queueTeller interface {
	QueuePosition(tenantID, conversationID string) (pos int, ok bool)
}

var _ queueTeller = (*Escalations)(nil)

// QueuePosition passes the question on to Next (routing), so the
// conversation service finds it through this wrapper; ok is false when
// Next cannot tell.
func (e *Escalations) QueuePosition(tenantID, conversationID string) (int, bool) {
	if q, ok := e.Next.(queueTeller); ok {
		return q.QueuePosition(tenantID, conversationID)
	}
	return 0, false
}

// queueLeaver and queueStaffing are conversation.QueueLeaver and
// conversation.QueueStaffing, restated.
type (
	queueLeaver interface {
		Withdraw(ctx context.Context, c *assist.Conversation) error
	}
	queueStaffing interface {
		QueueServing(tenantID, conversationID string) (agents int, ok bool)
	}
)

var (
	_ queueLeaver   = (*Escalations)(nil)
	_ queueStaffing = (*Escalations)(nil)
)

// Withdraw passes a customer leaving the queue on to Next (routing), so
// the conversation service finds it through this wrapper and routing
// takes the conversation out of its queue; nil when Next does not route.
func (e *Escalations) Withdraw(ctx context.Context, c *assist.Conversation) error {
	if l, ok := e.Next.(queueLeaver); ok {
		return l.Withdraw(ctx, c)
	}
	return nil
}

// QueueServing passes the question on to Next (routing); ok is false
// when Next cannot tell.
func (e *Escalations) QueueServing(tenantID, conversationID string) (int, bool) {
	if q, ok := e.Next.(queueStaffing); ok {
		return q.QueueServing(tenantID, conversationID)
	}
	return 0, false
}
