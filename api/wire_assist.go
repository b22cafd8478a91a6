package api

import (
	"github.com/assistd/assist/agentassist"
	"github.com/assistd/assist/gap"
)

// AssistFeedbackRequest says what the agent did with a suggestion.
type AssistFeedbackRequest struct {
	SuggestionID string `json:"suggestion_id"`
	Action       string `json:"action"` // sent, edited, ignored
}

// ActionRequest runs a shop action a next step names.
type ActionRequest struct {
	Name   string            `json:"name"`
	Params map[string]string `json:"params,omitempty"`
}

// MacroRequest creates or replaces a saved reply.
type MacroRequest struct {
	Title  string `json:"title"`
	Lang   string `json:"lang"`
	Intent string `json:"intent,omitempty"`
	Text   string `json:"text"`
}

// MacrosResponse lists saved replies.
type MacrosResponse struct {
	Macros []*agentassist.Macro `json:"macros"`
}

// GapsResponse is the gap report: clusters ranked by score.
type GapsResponse struct {
	Clusters []*gap.Cluster `json:"clusters"`
}

// DismissGapRequest says why a cluster is dismissed.
type DismissGapRequest struct {
	Note string `json:"note,omitempty"`
}

// ThumbsRequest is a customer's thumbs on a bot message.
type ThumbsRequest struct {
	Rating string `json:"rating"` // up or down
}

// ThumbsResponse confirms a rating.
type ThumbsResponse struct {
	MessageID string `json:"message_id"`
	Rating    string `json:"rating"`
}
