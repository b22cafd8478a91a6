package agentassist

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/assistd/assist"
	"github.com/assistd/assist/catalog"
	"github.com/assistd/assist/dialog"
	"github.com/assistd/assist/nlu/pii"
	"github.com/assistd/assist/rag"
	"github.com/assistd/assist/ticket"
)

// Summary is what the bot did and learnt before it handed the
// conversation to people, in the customer's language: extracted from the
// dialog state and the messages, never invented.
type Summary struct {
	Lang       string            `json:"lang"`
	SignedIn   bool              `json:"signed_in"`
	Tier       string            `json:"tier,omitempty"`
	Intent     string            `json:"intent,omitempty"`
	IntentText string            `json:"intent_text,omitempty"`
	OrderID    string            `json:"order_id,omitempty"`
	Slots      map[string]string `json:"slots,omitempty"`    // what the bot learnt: order, parcel, product, amount, date
	Question   string            `json:"question,omitempty"` // the problem the customer handed off with, in their words, personal data masked
	Tried      []string          `json:"tried"`              // the customer's messages and the bot's answers, in order
	Failed     []string          `json:"failed"`
	Sentiment  Mood              `json:"sentiment"`
	Reason     string            `json:"reason,omitempty"`
	ReasonText string            `json:"reason_text,omitempty"`
	Text       string            `json:"text"` // all of it, as the ticket's note
}

// Mood is the customer's sentiment in numbers and in words.
type Mood struct {
	EWMA  float32 `json:"ewma"`
	Anger float32 `json:"max_anger"`
	Text  string  `json:"text"`
}

// Limits of a summary.
const (
	maxExchanges = 4   // the last customer messages and bot answers kept
	maxQuote     = 80  // characters of a customer message quoted
	maxAnswer    = 120 // characters of a bot answer quoted
)

// Summarize writes the hand-off summary of a conversation as it stands.
func (s *Service) Summarize(ctx context.Context, tenantID, convID string) (*Summary, error) {
	c, err := s.Conversations.Conversation(ctx, tenantID, convID)
	if err != nil {
		return nil, err
	}
	st, err := s.Conversations.State(ctx, tenantID, convID)
	if err != nil {
		return nil, fmt.Errorf("summary %s: %w", convID, err)
	}
	if st == nil {
		st = &dialog.State{}
	}
	hist, err := s.Conversations.History(ctx, tenantID, convID)
	if err != nil {
		return nil, fmt.Errorf("summary %s: %w", convID, err)
	}
	lang := st.Lang
	if lang == "" {
		lang = dialog.Lang(dialog.Turn{Conversation: c, Message: firstCustomer(hist)})
	}
	return s.summarize(ctx, c, st, hist, catalog.Lang(lang)), nil
}

// HandoffNote is the ticket note of a hand-off: the summary's text, or
// "" when it cannot be written (the ticket then keeps its transcript).
func (s *Service) HandoffNote(ctx context.Context, c *assist.Conversation, h assist.Handoff, _ []*assist.Message) string {
	sum, err := s.Summarize(ctx, c.TenantID, c.ID)
	if err != nil {
		s.logger().WarnContext(ctx, "hand-off summary failed; the ticket keeps the transcript", "tenant_id", c.TenantID, "conversation_id", c.ID, "err", err)
		return ""
	}
	return sum.Text
}

func firstCustomer(hist []*assist.Message) *assist.Message {
	for _, m := range hist {
		if m.Author == assist.AuthorCustomer {
			return m
		}
	}
	return nil
}

func (s *Service) summarize(ctx context.Context, c *assist.Conversation, st *dialog.State, hist []*assist.Message, lang string) *Summary {
	sum := &Summary{Lang: lang, SignedIn: c.CustomerRef != "", Tier: st.Tier, Tried: []string{}, Failed: []string{}}
	// The problem is what the customer wrote before a person answered:
	// the last substantive message(s), not an earlier question the bot
	// answered, nor the request for a person.
	botPart := hist
	for i, m := range hist {
		if m.Author == assist.AuthorAgent {
			botPart = hist[:i]
			break
		}
	}
	prob := s.readProblem(ctx, botPart, nil)
	sum.Intent = prob.Intent
	if sum.Intent == "" {
		sum.Intent = lastIntent(st)
	}
	if sum.Intent != "" {
		sum.IntentText = dialog.DisplayName(sum.Intent, lang)
	}
	facts := factsOf(st)
	for k, v := range prob.Entities {
		if facts[k] == "" {
			facts[k] = v
		}
	}
	sum.OrderID = facts["order_id"]
	if len(facts) > 0 {
		sum.Slots = facts
	}
	sum.Question = clip(strings.Join(prob.Texts, listSep(lang)), maxQuote)
	sum.Tried = exchanges(botPart, st)
	if st.Escalation != nil {
		sum.Reason = st.Escalation.Reason
		sum.ReasonText = ticket.ReasonText(st.Escalation.Reason, lang)
		if code := st.Escalation.Evidence["coupon"]; code != "" {
			sum.Tried = append(sum.Tried, say(lang, "assist.tried.coupon", "code", code))
		}
		sum.Failed = failures(st.Escalation, sum.Intent, lang)
	}
	if st.Fallbacks > 0 && st.Question != "" && (st.Escalation == nil || st.Escalation.Evidence["fallbacks"] == "") {
		sum.Failed = append(sum.Failed, say(lang, "assist.failed.declined", "question", clip(st.Question, maxQuote)))
	}
	sum.Sentiment = mood(st, lang)
	sum.Text = render(sum)
	return sum
}

// failures says in plain words what did not work, from the escalation's
// evidence: the evidence itself (rule keys, scores, phrases) is for
// routing and never shown.
func failures(e *dialog.Escalation, intent, lang string) []string {
	ev := e.Evidence
	task := func() string {
		if f := ev["flow"]; f != "" {
			return dialog.DisplayName(f, lang)
		}
		return ""
	}
	out := []string{}
	switch e.Reason {
	case dialog.ReasonRepeatedFallback:
		if n := ev["fallbacks"]; n != "" {
			out = append(out, say(lang, "assist.failed.fallback", "n", n))
		}
	case dialog.ReasonActionFailed:
		if t := task(); t != "" {
			out = append(out, say(lang, "assist.failed.action", "task", t))
		}
	case catalog.ReasonFlowStuck:
		if t := task(); t != "" {
			out = append(out, say(lang, "assist.failed.stuck", "task", t, "what", factName(ev["awaiting"], lang)))
		}
	case dialog.ReasonNoAutomation:
		if intent != "" {
			out = append(out, say(lang, "assist.failed.no_automation", "task", dialog.DisplayName(intent, lang)))
		}
	default:
		if t := task(); t != "" && ev["status"] != "" {
			out = append(out, say(lang, "assist.failed.flow", "task", t))
		}
	}
	return out
}

// listSep separates the items of a list in lang.
func listSep(lang string) string {
	if lang == "zh" {
		return "，"
	}
	return ", "
}

// factName names a fact or slot for people ("订单号", "order number"); an
// unknown one is "the answer".
func factName(name, lang string) string {
	if isFact(name) {
		return say(lang, "assist.fact."+name)
	}
	return say(lang, "assist.fact.other")
}

// exchanges quotes the customer's messages to the bot and the first
// sentence of each bot answer, the last maxExchanges of them, up to the
// hand-off.
func exchanges(hist []*assist.Message, st *dialog.State) []string {
	var out []string
	for i, m := range hist {
		if m.Author != assist.AuthorCustomer {
			continue
		}
		var answer string
		for _, r := range hist[i+1:] {
			if r.Author == assist.AuthorCustomer || r.Author == assist.AuthorAgent {
				break
			}
			if r.Author == assist.AuthorBot && r.ReplyTo == m.ID {
				answer = firstSentence(r.Text)
				break
			}
		}
		if answer == "" {
			continue // a message to a person: not the bot's part
		}
		out = append(out, fmt.Sprintf("「%s」→ %s", clip(pii.Mask(m.Text), maxQuote), clip(answer, maxAnswer)))
	}
	if len(out) > maxExchanges {
		out = out[len(out)-maxExchanges:]
	}
	if out == nil {
		out = []string{}
	}
	return out
}

func firstSentence(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if ss := rag.Sentences(s); len(ss) > 0 {
		return strings.TrimSpace(ss[0])
	}
	return strings.TrimSpace(s)
}

func mood(st *dialog.State, lang string) Mood {
	t := st.Sentiment
	m := Mood{EWMA: t.EWMA, Anger: t.MaxAnger}
	rules := dialog.DefaultRules()
	switch {
	case t.Messages == 0:
		m.Text = say(lang, "assist.mood.neutral")
	case t.MaxAnger >= rules.Anger:
		m.Text = say(lang, "assist.mood.angry")
	case t.EWMA <= -0.2:
		m.Text = say(lang, "assist.mood.negative")
	case t.EWMA >= 0.2:
		m.Text = say(lang, "assist.mood.positive")
	default:
		m.Text = say(lang, "assist.mood.neutral")
	}
	return m
}

func render(s *Summary) string {
	l := s.Lang
	var b strings.Builder
	line := func(key, v string) {
		if v != "" {
			b.WriteString(say(l, key, "value", v) + "\n")
		}
	}
	b.WriteString(say(l, "assist.summary.title") + "\n")
	who := say(l, "assist.summary.anonymous")
	if s.SignedIn {
		who = say(l, "assist.summary.signed_in")
	}
	if s.Tier != "" {
		who += listSep(l) + say(l, "assist.summary.tier", "tier", s.Tier)
	}
	line("assist.summary.customer", who)
	line("assist.summary.wants", s.IntentText)
	line("assist.summary.order", s.OrderID)
	if len(s.Slots) > 0 {
		var kv []string
		for _, k := range sortedKeys(s.Slots) {
			if k != "order_id" {
				kv = append(kv, factName(k, l)+" "+s.Slots[k])
			}
		}
		line("assist.summary.details", strings.Join(kv, listSep(l)))
	}
	line("assist.summary.question", s.Question)
	list := func(key string, items []string) {
		if len(items) == 0 {
			return
		}
		b.WriteString(say(l, key) + "\n")
		for _, it := range items {
			b.WriteString("- " + it + "\n")
		}
	}
	list("assist.summary.tried", s.Tried)
	list("assist.summary.failed", s.Failed)
	line("assist.summary.mood", fmt.Sprintf("%s (%+.2f)", s.Sentiment.Text, s.Sentiment.EWMA))
	line("assist.summary.why", s.ReasonText)
	return strings.TrimRight(b.String(), "\n")
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
