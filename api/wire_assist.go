package api

import "github.com/assistd/assist/agentassist"

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
