package dialog

import (
	"context"
	"unicode"

	"github.com/assistd/assist"
)

// Turn is one customer message with what the policy needs to answer it.
type Turn struct {
	Conversation *assist.Conversation
	Message      *assist.Message
	// State is the conversation's dialog state before this turn, never
	// nil when the conversation service calls (a zero State for a new
	// conversation). The policy may change it; the reply says what to
	// store.
	State *State
}

// Reply is what the bot does with a turn.
type Reply struct {
	Messages []string // texts to send to the customer, in order
	Handoff  *Handoff // non-nil: the bot stops and the conversation waits for a person
	State    *State   // the state to store after the turn; nil keeps the stored one
}

// Handoff moves a conversation from the bot to the human queue.
type Handoff struct {
	Reason    string            // a reason code, e.g. "no_automation", "customer_request"
	Intent    string            // the intent of the message that caused it, when known
	Evidence  map[string]string // what made the rule fire, e.g. "anger": "0.91"
	Sentiment float64           // the conversation's sentiment trend, −1..1 (0 when unknown)
	VIP       bool              // the customer is a VIP member
}

// Reason codes for handoffs decided here.
const (
	ReasonNoAutomation = "no_automation" // the bot has no way to answer yet
	ReasonBotError     = "bot_error"     // the policy failed on this turn
)

// Policy answers customer turns. Respond must not keep references to the
// turn after it returns. An error means the policy could not run (a model or
// backend down); the caller then hands the conversation to a person.
type Policy interface {
	Respond(ctx context.Context, t Turn) (Reply, error)
}

// PolicyFunc adapts a function to Policy.
type PolicyFunc func(ctx context.Context, t Turn) (Reply, error)

// Respond calls f.
func (f PolicyFunc) Respond(ctx context.Context, t Turn) (Reply, error) { return f(ctx, t) }

// HandoffPolicy is the policy used before the bot can understand messages: it says
// plainly that a person will answer and queues the conversation.
type HandoffPolicy struct{}

var _ Policy = HandoffPolicy{}

// Respond implements Policy.
func (HandoffPolicy) Respond(_ context.Context, t Turn) (Reply, error) {
	return Reply{
		Messages: []string{HandoffText(Lang(t))},
		Handoff:  &Handoff{Reason: ReasonNoAutomation},
	}, nil
}

// HandoffText is the message telling the customer that a person will take
// over, in lang ("zh" or anything else for English).
func HandoffText(lang string) string {
	if lang == "zh" {
		return "我现在还不能自动回答这个问题，正在为您转接人工客服，请稍候。您可以继续留言，客服会看到全部内容。"
	}
	return "I can't answer this automatically yet, so I'm connecting you with a member of our team. Please stay here; you can keep writing and they will see everything."
}

// ErrorText is the message sent when the bot failed on a turn.
func ErrorText(lang string) string {
	if lang == "zh" {
		return "抱歉，系统暂时出了点问题。您的消息已保存，正在为您转接人工客服。"
	}
	return "Sorry, something went wrong on our side. Your message is saved and I'm connecting you with a member of our team."
}

// Lang returns the language to answer a turn in: the conversation's, or
// "zh" when the message is mostly Han characters, else "en".
func Lang(t Turn) string {
	if t.Conversation != nil && t.Conversation.Lang != "" {
		return t.Conversation.Lang
	}
	if t.Message == nil {
		return "en"
	}
	return GuessLang(t.Message.Text)
}

// GuessLang is a cheap script-based guess: "zh" when Han characters make up
// at least a third of the letters, else "en". The NLU's language detector
// replaces it once wired in.
func GuessLang(s string) string {
	var han, letters int
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
			letters++
		case unicode.IsLetter(r):
			letters++
		}
	}
	if han > 0 && han*3 >= letters {
		return "zh"
	}
	return "en"
}
