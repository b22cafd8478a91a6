package dialog

import (
	"maps"
	"slices"

	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/nlu"
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
	// Question is the last help-center question (PII masked), so an
	// elliptical follow-up ("and the blue one?") can be asked again with
	// what it adds.
	Question string `json:"question,omitempty"`
	// Answered is the turn the help center last answered on, so a short
	// question right after it ("weekends?", "那质量问题呢") is read as
	// continuing it.
	Answered int `json:"answered,omitempty"`
	// ProductTurn is the turn Entities["product"] was last named on, so a
	// flow started a little later can pick that product's order
	// (earlier.go).
	ProductTurn int `json:"product_turn,omitempty"`
	// Tier is the customer's member tier once looked up (get_member), so
	// it is asked for at most once per conversation.
	Tier string `json:"tier,omitempty"`
	// Offered is set when the bot, unable to help, asked whether the
	// customer wants a person (the reason it would hand off with); a yes
	// next turn hands off, anything else goes on as usual.
	Offered string `json:"offered,omitempty"`
	// OfferedTask is the task flow the bot offered to run after answering
	// how it works from the help center ("want me to check a specific
	// order?"); a yes next turn starts it.
	OfferedTask string `json:"offered_task,omitempty"`
	// Done is the task flow that ended on turn DoneTurn, so a short
	// follow-up right after ("so by friday then?", "那运费呢") runs it
	// again for the same order.
	Done     string `json:"done,omitempty"`
	DoneTurn int    `json:"done_turn,omitempty"`
	// DoneSay is the last message of that flow, said again to a "确认" or
	// "yes submit" that comes after it was done.
	DoneSay string `json:"done_say,omitempty"`
	// DoneResult is what a return flow's create_return gave (order_id,
	// return_id, refund_amount and, when the shop says it, fee), so a
	// question about the postage of the return just submitted is answered
	// from the shop's facts (postage.go: doneResult).
	DoneResult map[string]string `json:"done_result,omitempty"`
	// Coupons are the escalation reasons a goodwill coupon was issued
	// for (Rules.Goodwill), at most one each.
	Coupons []string `json:"coupons,omitempty"`
	// Upset is the turn an angry message was answered rather than handed
	// off (upset.go): anger again on the next turn hands off.
	Upset int `json:"upset,omitempty"`
	// UpsetOffer is the reason (anger, vip_complaint…) of an upset
	// message answered first while a flow still waited for an answer
	// ("给我取消" → "确认取消吗？"): the person is offered once that task is
	// done (upset.go: offerAfterTask), not in the middle of it.
	UpsetOffer string `json:"upset_offer,omitempty"`
	// AfterSales is what the after-sales answer of turn AfterSalesTurn
	// was about (fault.go: the price question, the warranty), so a
	// question right after it is asked on that topic. AfterSalesOn is
	// the path the topic belongs to (pathWarranty for the warranty), so
	// a message in another language still follows it.
	AfterSales     string `json:"after_sales,omitempty"`
	AfterSalesTurn int    `json:"after_sales_turn,omitempty"`
	AfterSalesOn   string `json:"after_sales_on,omitempty"`
}

// Clone returns a deep copy of s; a nil s gives a new State.
func (s *State) Clone() *State {
	if s == nil {
		return &State{}
	}
	c := *s
	if s.Flow != nil {
		run := *s.Flow
		run.Slots = maps.Clone(s.Flow.Slots)
		run.Narrow = slices.Clone(s.Flow.Narrow)
		if s.Flow.Result != nil {
			res := *s.Flow.Result
			res.Data = maps.Clone(s.Flow.Result.Data)
			run.Result = &res
		}
		c.Flow = &run
	}
	c.Intents = slices.Clone(s.Intents)
	c.Entities = maps.Clone(s.Entities)
	c.DoneResult = maps.Clone(s.DoneResult)
	c.Clarify = slices.Clone(s.Clarify)
	c.Coupons = slices.Clone(s.Coupons)
	if s.Escalation != nil {
		e := *s.Escalation
		e.Evidence = maps.Clone(s.Escalation.Evidence)
		c.Escalation = &e
	}
	return &c
}

// lastTopic returns the newest remembered intent that is a task or a
// help-center question, or "".
func (s *State) lastTopic(a *Assistant) string {
	for i := len(s.Intents) - 1; i >= 0; i-- {
		if l := s.Intents[i].Label; a.isTask(l) || a.isKnowledge(l) {
			return l
		}
	}
	return ""
}

// renote records label as this turn's intent in place of the model's:
// the intent a clarification or a follow-up settled on.
func (s *State) renote(label string) {
	if n := len(s.Intents); n > 0 && s.Intents[n-1].Turn == s.Turns {
		s.Intents = s.Intents[:n-1]
	}
	s.note(label, 1)
}

// note remembers the turn's intent, keeping the newest MaxIntents.
func (s *State) note(label string, confidence float32) {
	if label == "" || label == nlu.OutOfScope {
		return
	}
	s.Intents = append(s.Intents, IntentNote{Turn: s.Turns, Label: label, Confidence: confidence})
	if n := len(s.Intents); n > MaxIntents {
		s.Intents = slices.Delete(s.Intents, 0, n-MaxIntents)
	}
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
