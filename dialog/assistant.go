package dialog

import (
	"context"
	"fmt"
	"strings"

	"github.com/assistd/assist"
	"github.com/assistd/assist/nlu"
	"github.com/assistd/assist/rag"
)

// Parser understands a customer message; *nlu.Pipeline implements it.
type Parser interface {
	// Parse returns the message's language, intent and entities. Errors:
	// EINVALID or ETOOLARGE for text it refuses, EUNAVAILABLE when no
	// model can answer.
	Parse(ctx context.Context, text string) (nlu.Result, error)
}

// Answerer answers questions from a knowledge base; *rag.Service
// implements it.
type Answerer interface {
	// Answer answers req from the knowledge base; below its confidence
	// threshold the answer says so (Known false) and offers a human.
	Answer(ctx context.Context, req rag.AnswerRequest, onDelta func(string) error) (rag.Answer, error)
}

// Reason codes for handoffs the Assistant decides.
const (
	ReasonCustomerRequest = "customer_request" // the customer asked for a person
	ReasonComplaint       = "complaint"        // the customer wants to complain
)

// TaskIntents are the intents that need the shop's order, logistics or
// account systems. Until task flows can run them, the Assistant hands
// these conversations to a person instead of guessing.
var TaskIntents = []string{
	"order_status", "track_shipment", "urge_shipping", "cancel_order", "modify_order",
	"change_address", "return_request", "exchange_request", "refund_status", "payment_issue",
	"account_balance", "account_security", "delivery_problem",
}

// Assistant is the bot's policy before task flows: it understands the
// message with the NLU (when no model can answer, every message is taken
// as a question), answers greetings and thanks, answers questions
// from the tenant's knowledge base (saying so when it does not know and
// offering a person), and hands the conversation to a person when the
// customer asks for one, complains, or needs a task the bot cannot run
// yet.
type Assistant struct {
	NLU    Parser   // nil: every message is treated as a question
	KB     Answerer // nil: questions are handed to a person
	KBName string   // the knowledge base to answer from; "" means "help"
	// Tasks are the intents handed to a person; nil means TaskIntents.
	Tasks []string
}

var _ Policy = (*Assistant)(nil)

// Respond implements Policy.
func (a *Assistant) Respond(ctx context.Context, t Turn) (Reply, error) {
	text := t.Message.Text
	lang := Lang(t)
	label := ""
	if a.NLU != nil {
		res, err := a.NLU.Parse(ctx, text)
		switch {
		case assist.ErrorCode(err) == assist.EUNAVAILABLE && ctx.Err() == nil:
			// No model can answer (none trained, or it is down): treat the
			// message as a question rather than failing the turn.
			res = nlu.Result{}
		case err != nil:
			return Reply{}, fmt.Errorf("understanding the message: %w", err)
		}
		if res.Lang == nlu.LangZH || res.Lang == nlu.LangEN {
			lang = string(res.Lang)
		}
		label = res.Intent.Label
		if res.Intent.Ambiguous {
			// Small talk and handoffs are acted on only when the model is
			// sure; an ambiguous message is treated as a question.
			label = nlu.OutOfScope
		}
	}
	switch {
	case label == "human_agent":
		return handoff(ReasonCustomerRequest, label, transferText(lang)), nil
	case label == "complaint":
		return handoff(ReasonComplaint, label, complaintText(lang)), nil
	case a.isTask(label):
		return handoff(ReasonNoAutomation, label, HandoffText(lang)), nil
	case label == "greeting" || label == "thanks" || label == "goodbye":
		return Reply{Messages: []string{smallTalk(label, lang)}}, nil
	}
	if a.KB == nil {
		return handoff(ReasonNoAutomation, label, HandoffText(lang)), nil
	}
	kb := a.KBName
	if kb == "" {
		kb = "help"
	}
	ans, err := a.KB.Answer(ctx, rag.AnswerRequest{
		Filter:         rag.Filter{TenantID: t.Conversation.TenantID, KB: kb},
		Question:       text,
		ConversationID: t.Conversation.ID,
	}, nil)
	if err != nil {
		return Reply{}, fmt.Errorf("answering from the knowledge base: %w", err)
	}
	return Reply{Messages: []string{withSources(ans, lang)}}, nil
}

func (a *Assistant) isTask(label string) bool {
	tasks := a.Tasks
	if tasks == nil {
		tasks = TaskIntents
	}
	for _, t := range tasks {
		if t == label {
			return true
		}
	}
	return false
}

func handoff(reason, intent, text string) Reply {
	return Reply{Messages: []string{text}, Handoff: &Handoff{Reason: reason, Intent: intent}}
}

// withSources appends the titles of the answer's sources, so the customer
// sees where it comes from.
func withSources(ans rag.Answer, lang string) string {
	if !ans.Known || len(ans.Sources) == 0 {
		return ans.Text
	}
	var b strings.Builder
	b.WriteString(ans.Text)
	if lang == "zh" {
		b.WriteString("\n\n来源：")
	} else {
		b.WriteString("\n\nSources: ")
	}
	for i, s := range ans.Sources {
		if i > 0 {
			b.WriteString("; ")
		}
		title := s.Title
		if title == "" {
			title = s.Doc
		}
		fmt.Fprintf(&b, "[%d] %s", s.N, title)
	}
	return b.String()
}

func transferText(lang string) string {
	if lang == "zh" {
		return "好的，正在为您转接人工客服，请稍候。您可以继续留言，客服会看到全部内容。"
	}
	return "Sure, I'm connecting you with a member of our team. Please stay here; you can keep writing and they will see everything."
}

func complaintText(lang string) string {
	if lang == "zh" {
		return "非常抱歉给您带来不好的体验。我正在为您转接人工客服处理您的投诉，请稍候。"
	}
	return "I'm sorry about your experience. I'm passing your complaint to a member of our team, who will take it from here."
}

func smallTalk(label, lang string) string {
	zh := lang == "zh"
	switch label {
	case "greeting":
		if zh {
			return "您好！我是智能客服，可以解答退换货、配送、优惠券、发票、会员等问题，需要人工时说“转人工”即可。"
		}
		return "Hi! I'm the shop's assistant. I can answer questions about returns, shipping, coupons, invoices, membership and more; say \"agent\" any time to reach a person."
	case "thanks":
		if zh {
			return "不客气！还有其他问题随时问我。"
		}
		return "You're welcome! Anything else I can help with?"
	default:
		if zh {
			return "感谢您的咨询，祝您购物愉快，再见！"
		}
		return "Thanks for chatting with us. Have a great day!"
	}
}
