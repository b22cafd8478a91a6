package dialog

import (
	"context"
	nlutext "github.com/assistd/assist/nlu/text"
	"slices"
	"strings"

	"github.com/assistd/assist/nlu"
	"github.com/assistd/assist/rag"
)

// Asking "do you want X or Y?" costs the customer a turn, so the bot asks
// only when cheaper readings fail. Before asking which of the model's top
// two intents was meant, in this order:
//
//  1. The conversation: when the topic of the last few turns is one of
//     the two (or served alike), the message continues it ("钱多久到"
//     right after a refund was checked is the refund).
//  2. The customer's purchase: when the message points at something the
//     customer bought (an order or tracking number, a product, a date, or
//     "my order"), a keyword of only one of the two takes it, else a
//     task the message names by its keyword.
//  3. The help center: when it answers the message with a confidence
//     clearly above its threshold (KBMargin above), that answer is given.
//
// A task intent the model is unsure of (below SureConfidence) asked as a
// question that names no purchase is also answered from the help center
// first when it answers confidently ("is there a showroom where I can try
// the coats on?"), then the task is offered.

// SureConfidence is the intent probability below which the model's label
// alone does not decide what the bot does: a task is not started on it
// without trying the help center, and a short follow-up is read against
// the conversation's topic rather than the label.
const SureConfidence = 0.5

// KBMargin is how far above the knowledge base's own threshold its
// confidence must be for its answer to be given instead of a clarifying
// question or an unsure task, when the answer's article is about one of
// the intents the model hesitates between.
const KBMargin = 0.1

// KBSure is the knowledge base's confidence at which its answer is given
// instead of a clarifying question whatever its article is about.
const KBSure = 0.7

// contextWindow is how many turns back the conversation's topic settles
// an ambiguous message.
const contextWindow = 3

// sure reports whether the model placed the message confidently enough to
// act on its label alone.
func sure(in nlu.Intent) bool {
	return in.Label != "" && in.Label != nlu.OutOfScope && !in.Ambiguous && in.Confidence >= SureConfidence
}

// beforeClarify tries the cheaper readings of a message the model is torn
// on between x and y. It returns the label to act on (the turn goes on as
// that intent), or a reply (the help center's answer), or neither (the
// bot asks).
func (tr *turn) beforeClarify(ctx context.Context, x, y string) (label string, reply *Reply, err error) {
	if r, ok, err := tr.courierChoice(ctx); err != nil || ok {
		return "", &r, err
	}
	if l := tr.inContext(x, y); l != "" {
		// Settled on the question just answered, it continues it
		// ("已经开了个人的 要改" after how to change an invoice's title).
		if r, ok, err := tr.ellipticAs(ctx, l); err != nil || ok {
			return "", &r, err
		}
		return l, nil, nil
	}
	if tr.namesPurchase() {
		// "the lamp from monday, return it": the purchase and a keyword.
		// A product alone is no reason for a task ("is the speaker I
		// bought still under warranty?").
		if hits := tr.a.optionHits([]string{x, y}, tr.text); len(hits) == 1 {
			return hits[0], nil, nil
		}
		// "the scarf from monday, send it back?": a task named by its
		// keyword that neither reading is.
		if k := tr.keywordIntent(); tr.a.isTask(k) {
			return k, nil, nil
		}
	}
	if r, ok, err := tr.elliptic(ctx); err != nil || ok {
		return "", &r, err
	}
	if ans, ok, err := tr.askFirst(ctx, x, y); err != nil || ok {
		if err != nil {
			return "", nil, err
		}
		r := tr.answered(ans)
		return "", &r, nil
	}
	return "", nil, nil
}

// choosesCourier asks for a courier of the customer's choosing: a
// courier named after a verb of choosing or changing ("改成顺丰", "指定京东",
// "能走顺丰吗", "send it with DHL", "switch to SF").
var choosesCourier = nlutext.MustPattern(`(?i)(改|换|指定|用|走|发|要)(成|为|个)?\s*(顺丰|京东|中通|圆通|韵达|申通|邮政|EMS|DHL|SF|JD|ZTO|YTO)|` +
	`(?i)\b(with|via|by|use|using|switch to|switch it to|change to|change it to|through)\s+(sf|sf express|dhl|jd|zto|yto|fedex|ups|ems)\b`)

// courierChoice answers a request for a courier of the customer's
// choosing (choosesCourier: "能不能改成顺丰 急用", "can you send it with DHL
// instead"): which courier carries a parcel is neither a change to the
// order nor to its address, and the help center says whether one can be
// chosen. Asked in the shop's words: the customer's find whatever
// article mentions changing something. ok is false when the message is
// no such request or the help center does not know.
func (tr *turn) courierChoice(ctx context.Context) (Reply, bool, error) {
	if !choosesCourier.MatchString(tr.text) || tr.a.KB == nil {
		return Reply{}, false, nil
	}
	saved := tr.question
	tr.question = tr.say("courier.question")
	ans, err := tr.ask(ctx)
	tr.question = saved
	if err != nil || !ans.Known {
		return Reply{}, false, err
	}
	return tr.answered(ans), true, nil
}

// inContext returns x or y when the conversation's topic of the last
// contextWindow turns is that intent or served alike, else "".
func (tr *turn) inContext(x, y string) string {
	st := tr.st
	for i := len(st.Intents) - 1; i >= 0; i-- {
		n := st.Intents[i]
		if n.Turn == st.Turns {
			continue // this message's own label
		}
		if n.Turn < st.Turns-contextWindow {
			return ""
		}
		if !tr.a.isTask(n.Label) && !tr.a.isKnowledge(n.Label) {
			continue
		}
		for _, o := range []string{x, y} {
			if o == n.Label || servedAlike(o, n.Label) {
				return o
			}
		}
		return ""
	}
	return ""
}

// servedAlike reports whether x and y are in one group of siblings.
func servedAlike(x, y string) bool {
	for _, g := range siblings {
		if slices.Contains(g, x) && slices.Contains(g, y) {
			return true
		}
	}
	return false
}

// namesPurchase reports whether the message points at something the
// customer bought: an order or tracking number, "my order", a product of
// the catalogue or a date.
func (tr *turn) namesPurchase() bool {
	if tr.namesOrder() {
		return true
	}
	return slices.ContainsFunc(tr.res.Entities, func(e nlu.Entity) bool { return e.Type == "product" || e.Type == "date" })
}

// askFirst asks the knowledge base the message as it is and reports
// whether its answer is confident enough to give without asking anything:
// KBSure, or KBMargin above the base's threshold when the article it
// quotes is about one of readings (its title understood as one of them)
// or the model could not place the message (unplaced: its readings are
// guesses).
// The question is remembered as the topic of follow-ups when it is.
func (tr *turn) askFirst(ctx context.Context, readings ...string) (rag.Answer, bool, error) {
	if tr.a.KB == nil {
		return rag.Answer{}, false, nil
	}
	q := tr.question
	tr.question = tr.text
	ans, err := tr.ask(ctx)
	tr.question = q
	if err != nil {
		return rag.Answer{}, false, err
	}
	if !ans.Known || ans.Confidence < ans.Threshold+KBMargin {
		return ans, false, nil
	}
	if ans.Confidence < KBSure && !tr.unplaced() && !tr.about(ctx, ans, readings) {
		return ans, false, nil
	}
	tr.st.Question = tr.masked()
	return ans, true, nil
}

// unsureTask reports whether the message is a question the model only
// weakly takes for a task, naming no purchase: the help center is asked
// first.
func (tr *turn) unsureTask() bool {
	in := tr.res.Intent
	return !tr.settled && in.Label == tr.label && in.Confidence < SureConfidence && isQuestion(tr.text) && !tr.namesPurchase()
}

// unsureTaskAnswer answers from the help center a question the model
// only weakly takes for task flow name's intent (see unsureTask), when
// the help center is confident, then offers to run the task; ok is false
// otherwise (the flow starts).
func (tr *turn) unsureTaskAnswer(ctx context.Context, name string) (Reply, bool, error) {
	if !tr.unsureTask() {
		return Reply{}, false, nil
	}
	ans, ok, err := tr.askFirst(ctx, tr.label)
	if err != nil || !ok {
		return Reply{}, false, err
	}
	return tr.answerThenOffer(ans, name), true, nil
}

// about reports whether the article ans quotes first is about one of
// labels: the model reads its title as one of them (among its top two).
func (tr *turn) about(ctx context.Context, ans rag.Answer, labels []string) bool {
	if tr.a.NLU == nil || len(ans.Sources) == 0 || len(labels) == 0 {
		return false
	}
	title := ans.Sources[0].Title
	if title == "" {
		return false
	}
	res, err := tr.a.NLU.Parse(ctx, title)
	if err != nil {
		return false
	}
	if slices.Contains(labels, res.Intent.Label) {
		return true
	}
	top := res.Intent.Top
	if len(top) > 2 {
		top = top[:2]
	}
	return slices.ContainsFunc(top, func(s nlu.Scored) bool { return slices.Contains(labels, s.Label) })
}

// newRequest reports whether the message, whatever "no" it holds, asks
// for something new the model is sure of ("算了 麻烦 直接取消这单吧"): it
// is not the answer to the bot's yes/no offer but a request. A short one
// names the request in words, or puts it in place of what was offered
// ("不弄了 直接取消吧", "那干脆取消吧": turnsTo).
func (tr *turn) newRequest() bool {
	a, in := tr.a, tr.res.Intent
	if !sure(in) || !a.isTask(in.Label) && !a.isKnowledge(in.Label) {
		return false
	}
	return !isShort(tr.text, nil) || a.keywordIntent(tr.text, nil, a.isTask(in.Label)) == in.Label || turnsTo(tr.text)
}

// turnsTo reports whether text turns from what was said before to what
// it asks now: put instead (insteadCue), or asked of the bot to do
// straight away ("直接帮我取消", "那干脆取消吧"); not the customer going to
// do it themselves ("我直接打电话", "我自己去查").
func turnsTo(text string) bool {
	low := strings.ToLower(text)
	if insteadCue.MatchString(low) {
		return true
	}
	return straightCue.MatchString(low) && !selfStraight.MatchString(low) && !selfHelp.MatchString(low)
}

var (
	// straightCue asks for something at once, instead of the way round
	// talked about.
	straightCue = nlutext.MustPattern(`直接|干脆`)
	// selfStraight is the customer going straight to it themselves.
	selfStraight = nlutext.MustPattern(`(^|[^帮给替])我(就|还是)?(直接|干脆)`)
)

// whichCourier asks which courier the shop ships with ("which courier",
// "what carrier do you use", "which delivery company do you ship with",
// "用哪家快递"), a question of the shop's policy.
var whichCourier = nlutext.MustPattern(`(?i)\b(which|what|whose) (courier|carrier|delivery company|delivery service|shipping company|logistics( company)?|express( company)?)s?\b|\b(couriers?|carriers?) do you (use|ship with|work with)\b|(哪家|什么|哪个)快递|发什么快递`)

// asksCourierPolicy reports whether the message asks which courier the
// shop uses without pointing at an order or parcel ("which courier" after
// the fee to Hong Kong): the help center's, not a parcel to track.
func (tr *turn) asksCourierPolicy() bool {
	if !whichCourier.MatchString(tr.text) || tr.namesOrder() {
		return false
	}
	for _, e := range tr.res.Entities {
		if e.Type == "order_id" || e.Type == "tracking_number" {
			return false
		}
	}
	low := strings.ToLower(tr.text)
	return !containsWord(low, "my") && !strings.Contains(low, "我的") && !strings.Contains(low, "我买的")
}
