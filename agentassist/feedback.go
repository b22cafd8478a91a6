package agentassist

import (
	"context"
	"time"

	"github.com/assistd/assist"
)

// What an agent did with a suggestion.
const (
	ActionSent    = "sent"    // sent as is
	ActionEdited  = "edited"  // sent after editing
	ActionIgnored = "ignored" // not used
)

// SuggestionRecord is one suggestion shown to an agent and what they did
// with it ("" until they say).
type SuggestionRecord struct {
	TenantID       string    `json:"-"`
	ID             string    `json:"suggestion_id"`
	ConversationID string    `json:"conversation_id"`
	MessageID      string    `json:"message_id"`
	Source         string    `json:"source"`
	Intent         string    `json:"intent"`
	Action         string    `json:"action,omitempty"`
	By             string    `json:"by,omitempty"`
	ShownAt        time.Time `json:"shown_at"`
	ActedAt        time.Time `json:"acted_at,omitzero"`
}

// Rate is the acceptance of suggestions of one source or intent:
// Acceptance is (Sent+Edited)/Shown.
type Rate struct {
	Key        string  `json:"key"`
	Shown      int     `json:"shown"`
	Sent       int     `json:"sent"`
	Edited     int     `json:"edited"`
	Ignored    int     `json:"ignored"`
	Acceptance float64 `json:"acceptance"`
}

// Stats are acceptance rates by source and by intent.
type Stats struct {
	BySource []Rate `json:"by_source"`
	ByIntent []Rate `json:"by_intent"`
}

// SuggestionLog records suggestions shown and what agents did with them.
// Implementation: store/sqlite.
type SuggestionLog interface {
	// Shown records the suggestions (a suggestion already recorded is
	// left as it is).
	Shown(ctx context.Context, recs []SuggestionRecord) error
	// Act records what an agent did with a suggestion and returns it.
	// Errors: ENOTFOUND for an unknown suggestion of the tenant.
	Act(ctx context.Context, tenantID, id, action, by string, at time.Time) (SuggestionRecord, error)
	// Stats counts the tenant's suggestions ("" counts every tenant's).
	Stats(ctx context.Context, tenantID string) (Stats, error)
}

// ValidAction reports whether a is an action an agent can report.
func ValidAction(a string) bool { return a == ActionSent || a == ActionEdited || a == ActionIgnored }

// Feedback records what the agent did with a suggestion of conversation
// convID. Errors: EINVALID for an unknown action, ENOTFOUND for a
// suggestion that is not the conversation's, EUNAVAILABLE without a log.
func (s *Service) Feedback(ctx context.Context, tenantID, convID, suggestionID, action, by string) (SuggestionRecord, error) {
	if !ValidAction(action) {
		return SuggestionRecord{}, assist.Errorf(assist.EINVALID, "action must be sent, edited or ignored")
	}
	if s.Suggestions == nil {
		return SuggestionRecord{}, assist.Errorf(assist.EUNAVAILABLE, "suggestions are not recorded")
	}
	if suggestionID == "" || len(suggestionID) > 400 {
		return SuggestionRecord{}, assist.Errorf(assist.EINVALID, "suggestion_id is required")
	}
	rec, err := s.Suggestions.Act(ctx, tenantID, suggestionID, action, by, s.now())
	if err != nil {
		return SuggestionRecord{}, err
	}
	if rec.ConversationID != convID {
		return SuggestionRecord{}, assist.Errorf(assist.ENOTFOUND, "no suggestion %q in this conversation", suggestionID)
	}
	return rec, nil
}

// Rates computes acceptance rates from counts.
func Rates(r Rate) Rate {
	if r.Shown > 0 {
		r.Acceptance = float64(r.Sent+r.Edited) / float64(r.Shown)
	}
	return r
}

// record logs the suggestions of a Set as shown.
func (s *Service) record(ctx context.Context, tenantID string, set *Set) {
	if s.Suggestions == nil || len(set.Suggestions) == 0 || set.reused {
		return
	}
	recs := make([]SuggestionRecord, 0, len(set.Suggestions))
	for _, sg := range set.Suggestions {
		recs = append(recs, SuggestionRecord{TenantID: tenantID, ID: sg.ID, ConversationID: set.ConversationID, MessageID: set.MessageID,
			Source: sg.Source, Intent: set.Intent, ShownAt: set.At})
	}
	if err := s.Suggestions.Shown(ctx, recs); err != nil {
		s.logger().WarnContext(ctx, "assist: suggestions not recorded", "tenant_id", tenantID, "conversation_id", set.ConversationID, "err", err)
	}
}
