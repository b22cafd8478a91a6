package dialog

import (
	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/sentiment"
)

// State is what the bot remembers of one conversation between turns. The
// conversation service stores it as JSON with each turn's replies, in one
// transaction, so a restart resumes every conversation where it was. It
// holds only plain data.
type State struct {
	Lang       string            `json:"lang,omitempty"`       // the language the bot answers in
	Turns      int               `json:"turns"`                // customer turns the bot has run
	Flow       *flow.Run         `json:"flow,omitempty"`       // the task flow in progress
	Intents    []IntentNote      `json:"intents,omitempty"`    // recent intents, newest last (at most MaxIntents)
	Entities   map[string]string `json:"entities,omitempty"`   // the last value seen per entity type
	Fallbacks  int               `json:"fallbacks"`            // consecutive turns the bot did not understand
	Clarify    []string          `json:"clarify,omitempty"`    // intents the bot asked the customer to choose between
	Sentiment  sentiment.Trend   `json:"sentiment"`            // the customer's sentiment over the conversation
	Escalation *Escalation       `json:"escalation,omitempty"` // why the bot stopped, once it has
}

// MaxIntents is how many recent intents State keeps.
const MaxIntents = 5

// IntentNote is one turn's understood intent.
type IntentNote struct {
	Turn       int     `json:"turn"`
	Label      string  `json:"label"`
	Confidence float32 `json:"confidence"`
}

// Escalation is an escalation rule that fired: its reason code, and the
// evidence that made it fire (values as text: "anger": "0.91").
type Escalation struct {
	Reason   string            `json:"reason"`
	Turn     int               `json:"turn"`
	Evidence map[string]string `json:"evidence,omitempty"`
}
