package dialog

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/assistd/assist/catalog"
	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/nlu"
	nlutext "github.com/assistd/assist/nlu/text"
)

// Escalation reason codes, besides ReasonCustomerRequest, ReasonComplaint,
// ReasonNoAutomation and ReasonBotError: the codes of catalog.Reasons,
// the one list routing and tickets read.
const (
	ReasonAnger            = catalog.ReasonAnger            // one message angrier than Rules.Anger
	ReasonNegativeTrend    = catalog.ReasonNegativeTrend    // several negative messages and a low trend
	ReasonRepeatedFallback = catalog.ReasonRepeatedFallback // the bot did not understand Rules.Fallbacks times in a row
	ReasonVIPComplaint     = catalog.ReasonVIPComplaint     // a complaint from a member of a VIP tier
	ReasonActionFailed     = catalog.ReasonActionFailed     // a flow's backend action failed
)

// EscalationRules are the thresholds of the escalation rules that depend
// on numbers (doc.go lists every rule and their order). A zero field turns
// its rule off.
type EscalationRules struct {
	Anger float32 // a message with Score.Anger ≥ this escalates (0..1] ...
	// AngerAtOnce: ... at once from this anger on; below it the bot
	// answers a concrete question first and offers a person (upset.go).
	// 0: always at once.
	AngerAtOnce   float32
	NegativeTrend float32 // with NegativeTurns: the trend's EWMA ≤ this ...
	NegativeTurns int     // ... after this many negative messages in a row escalates ...
	// NegativeLast: ... when the newest message's polarity is ≤ this
	// (it voices the discontent itself; a closing "行吧 等收到再说" or a
	// plain "照片拍了 等下传" does not). 0: any negative message.
	NegativeLast float32
	Fallbacks    int      // this many fallbacks in a row escalate
	VIPTiers     []string // member tiers whose complaints go straight to a person, first in the queue
	// Goodwill are the escalation reasons for which the bot offers a
	// compensation coupon through the shop (issue_coupon; the shop sets
	// the amount), recorded in State.Coupons and the hand-off's evidence.
	Goodwill []string
}

// DefaultRules are the rules of the default configuration.
func DefaultRules() EscalationRules {
	return EscalationRules{Anger: 0.7, AngerAtOnce: 0.8, NegativeTrend: -0.4, NegativeTurns: 2, NegativeLast: -0.7, Fallbacks: 2, VIPTiers: []string{"gold", "platinum"},
		Goodwill: []string{ReasonNegativeTrend, ReasonVIPComplaint}}
}

// num formats a score for evidence: two decimals.
func num(f float32) string { return strconv.FormatFloat(float64(f), 'f', 2, 32) }

// messageRules runs the rules that look at the message itself, in order:
// customer_request, anger, negative_trend, vip_complaint, complaint (an
// angry complaint escalates as anger; the handoff still says VIP). It
// returns a reply when one fires.
func (tr *turn) messageRules(ctx context.Context) (Reply, bool) {
	a, st, in := tr.a, tr.st, tr.res.Intent
	sure := in.Label != "" && in.Label != nlu.OutOfScope && !in.Ambiguous
	declined := declinesPerson(tr.text) // queue.go
	if sure && in.Label == "human_agent" && !declined && !tr.answersFlow() && !namesOtherPerson(tr.text) {
		return tr.escalate(ctx, ReasonCustomerRequest, map[string]string{"intent": in.Label, "confidence": num(in.Confidence)}, nil), true
	}
	if p := askedForHuman(tr.text); p != "" && !declined {
		return tr.escalate(ctx, ReasonCustomerRequest, map[string]string{"phrase": p}, nil), true
	}
	if tr.angry() {
		return tr.angerRule(ctx) // upset.go
	}
	if tr.scored && a.Rules.NegativeTurns > 0 && st.Sentiment.NegativeRun >= a.Rules.NegativeTurns && st.Sentiment.EWMA <= a.Rules.NegativeTrend && tr.voicesDiscontent() {
		evidence := map[string]string{
			"negative_run": strconv.Itoa(st.Sentiment.NegativeRun), "ewma": num(st.Sentiment.EWMA), "threshold": num(a.Rules.NegativeTrend),
		}
		if tr.asksToAct() {
			// "算了不等了 取消吧": fed up, but asking for what the bot can do;
			// it is done first, with an apology and (once no flow waits) an
			// offer of a person (afterAnswer, upset.go). A task the bot
			// cannot finish still hands off after its answer.
			tr.after, tr.upset, tr.acts = &Escalation{Reason: ReasonNegativeTrend, Evidence: evidence}, true, true
			return Reply{}, false
		}
		return tr.escalate(ctx, ReasonNegativeTrend, evidence, nil), true
	}
	if sure && in.Label == "complaint" {
		reason, evidence := ReasonComplaint, map[string]string{"intent": in.Label, "confidence": num(in.Confidence)}
		if tier := tr.tier(ctx); tier != "" && slices.Contains(a.Rules.VIPTiers, tier) {
			reason, evidence = ReasonVIPComplaint, map[string]string{"tier": tier}
		}
		if tr.complaintAsksWhere() {
			// "this is ridiculous where the hell is my speaker": the
			// order's state is told first, then the complaint handed off
			// (afterAnswer: answer and queue; REVIEW14 2).
			tr.after = &Escalation{Reason: reason, Evidence: evidence}
			return Reply{}, false
		}
		return tr.escalate(ctx, reason, evidence, tr.complaintAsked(ctx)), true
	}
	if !tr.leaves() { // upset.go: answered, then handed off
		tr.vipGrievance(ctx) // upset.go: answered, then handed off
	}
	return Reply{}, false
}

// whereAsk asks where the customer's order or parcel is, or when it comes,
// in a complaint ("this is ridiculous where the hell is my speaker",
// "when is my order finally coming", "我的耳机到底到哪了", "跑鞋怎么还没发货
// 什么时候发"): the one thing in it the bot can answer at once.
var whereAsk = nlutext.MustPattern(`(?i)\bwhere(\s+(the\s+)?(hell|heck|fuck|on earth|tf)\b)?\s*('s|s|is|are|r)?\s+(my|our|the|this|that)\s+\w+|\bwhere'?s\s+(my|our|the)\s+\w+|` +
	`\bwhen\s+(the\s+(hell|heck|fuck)\s+)?(will|does|do|is|are|am i going to|am i gonna)\s+(my|our|the|i|it|they)\b[^.?!]{0,30}\b(come|coming|arrive|arriving|ship|shipped|shipping|get|here|deliver\w*|sent|send)\b|` +
	`\b(any|what'?s the) (update|news|status)\b[^.?!]{0,12}\b(on|with|of) (my|the|our)\b|` +
	`(到|在)(底|到底)?(哪|哪里|哪儿)(了|呢|啊|去了)?|(什么时候|啥时候|几时)(才)?(能)?(到|发货|发|送到|送来|寄出)|(怎么|为什么|为啥)(还)?(没|不)(到|发货|发|送到|寄出)`)

// complaintAsksWhere reports whether a complaint also asks where an
// order is (whereAsk), the order status a flow answers, in a clause that
// is no supposition; the intent is then that status, noted as such, and
// the complaint is handed off after it.
func (tr *turn) complaintAsksWhere() bool {
	if tr.a.Flows == nil || tr.waiting || tr.st.Flow != nil || !whereAsk.MatchString(tr.text) || supposing.MatchString(tr.text) {
		return false
	}
	if _, ok := tr.a.Flows.ForIntent(statusIntents[0]); !ok {
		return false
	}
	in := tr.res.Intent
	tr.res.Intent = nlu.Intent{Label: statusIntents[0], Confidence: 1, Source: in.Source, Model: in.Model}
	tr.st.renote(statusIntents[0])
	return true
}

// asksToAct reports whether the message asks for a task the bot carries
// out itself, one that changes something in the shop (a flow that acts:
// cancel an order, change an address, open a return), the model sure of
// it and the message voicing no grievance of its own ("算了不等了 cancel掉吧
// 全部", "forget it, just cancel the order"): a clear task, not "太失望了
// 感觉钱白花了", whatever the model reads in that.
func (tr *turn) asksToAct() bool {
	a, in := tr.a, tr.res.Intent
	if a.Flows == nil || !sure(in) || !a.isTask(in.Label) || tr.grievance() != "" {
		return false
	}
	name, ok := a.Flows.ForIntent(in.Label)
	if !ok {
		return false
	}
	f, ok := a.Flows.Flow(name)
	return ok && f.Acts()
}

// angry reports whether the anger rule applies to this message: anger at
// or over Rules.Anger that is no calm question, or hostility.
func (tr *turn) angry() bool {
	return tr.scored && tr.a.Rules.Anger > 0 && (tr.score.Anger >= tr.a.Rules.Anger && !tr.calmQuestion() || tr.hostile() != "")
}

// fallback counts a turn the bot did not understand and returns msgs.
// When that makes Rules.Fallbacks in a row, the bot says what it can do
// and asks whether the customer wants a person (State.Offered: a yes
// hands off as repeated_fallback) rather than queueing them unasked: two
// off-topic messages ("tell me a joke", "陪我聊聊天") are no reason for a
// person. In a flow, whose question the customer may be answering, it
// hands off as before. A customer waiting in the queue is told the
// person will read it, and where they stand.
func (tr *turn) fallback(ctx context.Context, msgs []string) Reply {
	if tr.waiting {
		// Waiting for a person, who reads the whole conversation: what the
		// bot cannot place is theirs ("I want someone to look at this
		// again"), not a request to rephrase or an offer of the person
		// already on the way.
		tr.st.Offered = ""
		return Reply{Messages: []string{tr.say("queue.for_person")}, QueueStatus: true}
	}
	tr.fellBack = true
	tr.st.Fallbacks++
	n := tr.a.Rules.Fallbacks
	switch {
	case n <= 0 || tr.st.Fallbacks < n:
		return Reply{Messages: msgs}
	case tr.st.Flow != nil:
		return tr.escalate(ctx, ReasonRepeatedFallback, map[string]string{"fallbacks": strconv.Itoa(tr.st.Fallbacks)}, nil)
	}
	offered := tr.st.Offered != "" // the help center's "don't know" offers a person already
	tr.st.Offered = ReasonRepeatedFallback
	if offered {
		return Reply{Messages: msgs}
	}
	var r Reply
	r.add(tr.say("fallback.offer"), tr.yesNo())
	return r
}

// escalate hands the conversation to a person for reason: it records the
// escalation in the state, drops any flow or question, and tells the
// customer what happens next after the messages before.
func (tr *turn) escalate(ctx context.Context, reason string, evidence map[string]string, before []string) Reply {
	if tr.waiting {
		return tr.queuedComplaint(ctx, reason, before) // queue.go: already waiting for a person
	}
	return tr.handoff(ctx, reason, evidence, append(slices.Clip(before), tr.escalationText(reason)))
}

// escalateFlow hands off for a flow whose last message already says that
// a person takes over; it adds what happens next to that message.
func (tr *turn) escalateFlow(ctx context.Context, reason string, evidence map[string]string, msgs []string) Reply {
	if tr.waiting {
		return Reply{Messages: msgs, QueueStatus: true}
	}
	if len(msgs) == 0 {
		return tr.escalate(ctx, reason, evidence, nil)
	}
	msgs = slices.Clone(msgs)
	msgs[len(msgs)-1] = catalog.Join(tr.lang, msgs[len(msgs)-1], tr.say("escalation.next"))
	return tr.handoff(ctx, reason, evidence, msgs)
}

func (tr *turn) handoff(ctx context.Context, reason string, evidence map[string]string, msgs []string) Reply {
	st := tr.st
	tier := tr.tier(ctx)
	if note, code := tr.goodwill(ctx, reason); note != "" {
		msgs = append(slices.Clip(msgs), note)
		evidence = maps.Clone(evidence)
		if evidence == nil {
			evidence = map[string]string{}
		}
		evidence["coupon"] = code
	}
	st.Escalation = &Escalation{Reason: reason, Turn: st.Turns, Evidence: evidence}
	st.Flow, st.Clarify = nil, nil
	if in := tr.res.Intent; sure(in) && !isSmallTalk(in.Label) && st.Question != tr.masked() && isShortish(openingCourtesy(tr.text)) {
		// What the customer asked for is the topic a short question while
		// they wait goes on ("how long does that take" after "I want to
		// make a complaint": the complaint's answer times), not the
		// help-center question before it.
		st.Question = tr.masked()
	}
	intent := tr.label
	if intent == "" {
		intent = tr.res.Intent.Label
	}
	return Reply{Messages: msgs, Handoff: &Handoff{
		Reason:    reason,
		Intent:    intent,
		Evidence:  evidence,
		Sentiment: float64(st.Sentiment.EWMA),
		VIP:       tier != "" && slices.Contains(tr.a.Rules.VIPTiers, tier),
		Lang:      tr.lang,
	}}
}

// goodwill asks the shop for a compensation coupon when reason is one of
// Rules.Goodwill and the customer is known, once per conversation and
// reason; it returns the note telling the customer and the coupon code,
// or "" (no rule, anonymous, or the shop declined or failed).
func (tr *turn) goodwill(ctx context.Context, reason string) (note, code string) {
	st, conv := tr.st, tr.conv
	if !slices.Contains(tr.a.Rules.Goodwill, reason) || tr.a.Backend == nil || conv == nil || conv.CustomerRef == "" || slices.Contains(st.Coupons, reason) {
		return "", ""
	}
	res, err := tr.a.Backend.Call(ctx, flow.Request{
		Action:         "issue_coupon",
		TenantID:       conv.TenantID,
		ConversationID: conv.ID,
		CustomerRef:    conv.CustomerRef,
		Lang:           tr.lang,
		Params:         map[string]string{"reason": reason},
		IdempotencyKey: fmt.Sprintf("%s/issue_coupon/%s", conv.ID, reason),
	})
	if err != nil || res.Status != flow.StatusOK {
		return "", ""
	}
	amount, _ := res.Data["amount"].(string)
	code, _ = res.Data["code"].(string)
	if amount == "" || code == "" {
		return "", ""
	}
	st.Coupons = append(st.Coupons, reason)
	return tr.say("goodwill", "amount", amount, "code", code), code
}

// tier returns the customer's member tier, asking the backend
// (get_member) the first time; "" when unknown. A failing backend is
// not an error here: the customer is then treated as not VIP.
func (tr *turn) tier(ctx context.Context) string {
	st, conv := tr.st, tr.conv
	if st.Tier != "" || tr.a.Backend == nil || conv == nil || conv.CustomerRef == "" || tr.askedTier {
		return st.Tier
	}
	tr.askedTier = true
	res, err := tr.a.Backend.Call(ctx, flow.Request{
		Action:         "get_member",
		TenantID:       conv.TenantID,
		ConversationID: conv.ID,
		CustomerRef:    conv.CustomerRef,
		Lang:           tr.lang,
		Params:         map[string]string{},
		IdempotencyKey: fmt.Sprintf("%s/get_member/%d", conv.ID, st.Turns),
	})
	if err != nil || res.Status != flow.StatusOK {
		return ""
	}
	if t, ok := res.Data["tier"].(string); ok {
		st.Tier = t
	}
	return st.Tier
}

// escalationText tells the customer, in the turn's language, why a
// person is joining and what happens next: they can keep writing and the
// person sees everything.
func (tr *turn) escalationText(reason string) string {
	key := "escalation." + reason
	if _, ok := escalationReasons[reason]; !ok {
		return tr.say("handoff")
	}
	return catalog.Join(tr.lang, tr.say(key), tr.say("escalation.next"))
}

// escalationReasons are the reasons with their own wording
// ("escalation.<reason>").
var escalationReasons = map[string]bool{
	ReasonCustomerRequest: true, ReasonAnger: true, ReasonNegativeTrend: true, ReasonRepeatedFallback: true,
	ReasonVIPComplaint: true, ReasonComplaint: true, ReasonActionFailed: true,
}

// howCues ask how a task works rather than asking to run it ("how long
// does a refund take?", "退款多久到账？", "能不能开发票").
var howCues = []string{"how long", "how much", "how many days", "how soon", "how does", "how do refunds", "多久", "多长时间", "几天", "几个工作日", "能不能", "可不可以", "多少钱"}

// orderWords point a message at one of the customer's orders.
var orderWords = []string{"my order", "my refund", "my parcel", "my package", "my return", "this order", "that order", "the order", "订单", "我的退款", "我的快递", "我的包裹", "这单", "那单"}

// tookSoFar says how long something has already taken ("取消好几天了", "都几天了",
// "等了多久了", "这么多天了"): a complaint of the wait, not a question of how
// long it takes.
var tookSoFar = nlutext.MustPattern(`好几天|(都|已经|这么|了)(几天|多久|多长时间|多少天)了?|(几天|多久|多长时间|多少天)了`)

// asksHowItWorks reports whether text asks how a task works (see howCues).
func asksHowItWorks(text string) bool {
	low := tookSoFar.ReplaceAllString(strings.ToLower(text), "")
	for _, c := range howCues {
		if strings.Contains(low, c) {
			return true
		}
	}
	return false
}

// handledAsk asks how a complaint is handled or how long until it is
// ("多久能给答复", "什么时候有人来处理", "how long until someone gets back to
// me", "what happens now"); "都等了多久了" complains of the wait so far
// and asks nothing.
var handledAsk = nlutext.MustPattern(`(?i)\b(how long|how soon|when will|when do|what happens|hear back|get back to|how (do|will) you (handle|deal))\b|` +
	// how to make one ("how do i make a complaint", "where can I complain",
	// "怎么投诉"): how complaints are handled says it
	`\b(how|where) (do|can|could|would|should) (i|we) (make|file|lodge|submit|raise|send|put in|complain)\b|\b(way|how|where) to (complain|(file|make|lodge|submit|raise) (a |an )?(formal |official )?complaint)\b|怎么投诉|如何投诉|在哪(里|儿)?投诉|投诉(渠道|方式|电话)|` +
	`(多久|几天|多长时间)\s*[呢啊？?]|多久(能|会|可以|才|给|有|回|处理|答复|回复|联系|解决)|(几天|多长时间)(能|会|内|之内|可以|才|给|有|回|处理|答复|回复|联系|解决)|什么时候|啥时候|何时|怎么处理|如何处理|(给|有).{0,2}(答复|回复|说法|结果)|谁(来)?处理`)

// complaintAsked is what the help center says of how complaints are
// handled (who gets back, and when), when a complaint handed to a person
// also asks it ("我要投诉他 你们多久能给答复"): said before the hand-off's
// words, not left to the person. Nil when the message does not ask, or
// the help center does not know.
func (tr *turn) complaintAsked(ctx context.Context) []string {
	if tr.a.KB == nil || tr.waiting || !handledAsk.MatchString(strings.ToLower(tr.text)) {
		return nil
	}
	// Asked in the shop's words (as queuedComplaint does).
	saved := tr.question
	tr.question = tr.say("complaint.question")
	ans, err := tr.ask(ctx)
	tr.question = saved
	if err != nil || !ans.Known {
		return nil
	}
	msg, _ := tr.withSources(ans)
	return []string{msg}
}
