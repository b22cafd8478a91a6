package dialog

import (
	"context"

	"github.com/assistd/assist"
	"github.com/assistd/assist/catalog"
	"github.com/assistd/assist/nlu/text"
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
	// Attachments[i] are the structured parts of Messages[i] (quick
	// replies, cards, sources); the slice may be shorter than Messages
	// and hold nils.
	Attachments []*assist.Attachments
	Handoff     *Handoff // non-nil: the bot stops and the conversation waits for a person
	State       *State   // the state to store after the turn; nil keeps the stored one
	// While the customer waits in the queue (the conversation's owner is
	// the queue): Leave takes them out of it, back to the bot, and
	// QueueStatus asks the caller to add where they stand. A Handoff then
	// is read as QueueStatus.
	Leave       bool
	QueueStatus bool
	// Knowledge is the help-center answer the reply quotes, when it is
	// one: how sure the knowledge base was and of which document. The gap
	// report reads it instead of searching again.
	Knowledge *KnowledgeAnswer
}

// KnowledgeAnswer is how sure the knowledge base was of an answer it
// gave (rag.Answer.Confidence) and the document it quoted first.
type KnowledgeAnswer struct {
	Confidence float64
	Doc        string
}

// addAll appends o's messages, each with its attachments.
func (r *Reply) addAll(o Reply) {
	for i, m := range o.Messages {
		var att *assist.Attachments
		if i < len(o.Attachments) {
			att = o.Attachments[i]
		}
		r.add(m, att)
	}
}

// add appends a message with its attachments (nil for none); an empty
// message is left out.
func (r *Reply) add(msg string, att *assist.Attachments) {
	if msg == "" {
		return
	}
	r.Messages = append(r.Messages, msg)
	if att.Empty() {
		return
	}
	for len(r.Attachments) < len(r.Messages)-1 {
		r.Attachments = append(r.Attachments, nil)
	}
	r.Attachments = append(r.Attachments, att)
}

// Handoff moves a conversation from the bot to the human queue.
type Handoff struct {
	Reason    string            // a reason code, e.g. "no_automation", "customer_request"
	Intent    string            // the intent of the message that caused it, when known
	Evidence  map[string]string // what made the rule fire, e.g. "anger": "0.91"
	Sentiment float64           // the conversation's sentiment trend, −1..1 (0 when unknown)
	VIP       bool              // the customer is a VIP member
	Lang      string            // the language of the turn: "zh" or "en"
}

// Reason codes for handoffs decided here.
const (
	ReasonNoAutomation = catalog.ReasonNoAutomation // the bot has no way to answer yet
	ReasonBotError     = catalog.ReasonBotError     // the policy failed on this turn
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

// Respond implements Policy. A customer already waiting is told where
// they stand.
func (HandoffPolicy) Respond(_ context.Context, t Turn) (Reply, error) {
	if t.Conversation != nil && t.Conversation.Owner == assist.OwnerQueue {
		return Reply{QueueStatus: true}, nil
	}
	return Reply{
		Messages: []string{HandoffText(Lang(t))},
		Handoff:  &Handoff{Reason: ReasonNoAutomation, Lang: Lang(t)},
	}, nil
}

// HandoffText is the message telling the customer that a person will take
// over, in lang ("zh" or anything else for English).
func HandoffText(lang string) string { return catalog.Default().Say(lang, "handoff") }

// ErrorText is the message sent when the bot failed on a turn.
func ErrorText(lang string) string { return catalog.Default().Say(lang, "error") }

// Lang returns the language to answer a turn in when no policy ran: the
// language the message is written in (text.ReplyLang), else the
// conversation's.
func Lang(t Turn) string {
	var conv, msg string
	if t.Conversation != nil {
		conv = t.Conversation.Lang
	}
	if t.State != nil && t.State.Lang != "" {
		conv = t.State.Lang
	}
	if t.Message != nil {
		msg = t.Message.Text
	}
	return string(text.ReplyLang(msg, text.Lang(conv)))
}
