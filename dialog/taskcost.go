package dialog

import (
	"context"
	"strings"

	nlutext "github.com/assistd/assist/nlu/text"
	"github.com/assistd/assist/rag"
)

// Right after the bot told what a task on an order comes to ("…you can
// exchange it for another size until 2026-11-10: in My orders…"), a short
// question about what it costs that points back at it ("do i have to pay
// the shipping for that", "is that free?", "who pays for sending it
// back", "这个要运费吗") asks about that task, not about shipping in
// general: the help center is asked with the task's name in front of the
// message (as notseen.go does). When it has no answer, the turn goes on as
// usual. Only for a task that sends something back (sendsSomething); a
// return's own postage is postage.go's (the shop's quote).

// costCue asks what something costs or who pays.
var costCue = nlutext.MustPattern(`(?i)\b(pay|pays|paying|cost|costs|charge|charged|charges|fee|fees|free|postage|shipping|how much|who covers)\b|运费|邮费|快递费|多少钱|收费|免费|谁出|要钱|花钱`)

// pastAsk asks what something was, not what it will cost ("how much was
// it", "what did it cost").
var pastAsk = nlutext.MustPattern(`(?i)\b(was|were|did)\b|了吗?$`)

// tierNamed names a member tier ("I'm gold", "金卡会员").
var tierNamed = nlutext.MustPattern(`(?i)\b(gold|platinum|silver|vip)\b|金卡|铂金|白金|银卡|会员`)

// sendsSomething are the task flows after which the customer sends
// something to the shop (an exchange, a repair under the warranty): the
// ones whose cost is the postage taskcost.ask asks about.
var sendsSomething = map[string]bool{pathExchange: true, pathWarranty: true}

// refundsMoney are the tasks whose answer says what goes back to the
// customer: asked again, it answers what they are charged.
var refundsMoney = map[string]bool{"cancel_order": true, "refund_status": true}

// taskCost answers such a question (see above); ok is false when the
// message is not one or the help center does not know.
func (tr *turn) taskCost(ctx context.Context) (Reply, bool, error) {
	st, a := tr.st, tr.a
	if a.KB == nil || a.Flows == nil || st.Flow != nil || st.Done == "" || st.DoneTurn != st.Turns-1 {
		return Reply{}, false, nil
	}
	low := strings.ToLower(tr.text)
	if !costCue.MatchString(low) || !refersBack(tr.text) || !isShortish(tr.text) || tr.namesOrder() {
		return Reply{}, false, nil
	}
	if recalls.MatchString(low) || pastAsk.MatchString(low) || tierNamed.MatchString(low) {
		// "how much was it again": what the task said, asked again
		// (continuesDone); "do I pay postage for that? I'm gold": who
		// asks decides, read where the tier is (tierclaim.go).
		return Reply{}, false, nil
	}
	// The task named in words other than the cost's ("pay" names a
	// payment problem).
	if name, ok := a.Flows.ForIntent(a.keywordIntent(costCue.ReplaceAllString(low, " "), nil, true)); ok && name != st.Done {
		return Reply{}, false, nil // "how much to return it instead": a task of its own
	}
	if in := tr.res.Intent; sure(in) && a.isTask(in.Label) {
		if name, ok := a.Flows.ForIntent(in.Label); ok && name != st.Done {
			return Reply{}, false, nil
		}
	}
	label := st.Done
	if f, ok := a.Flows.Flow(st.Done); ok && len(f.Intents) > 0 {
		label = f.Intents[0]
	}
	if !sendsSomething[st.Done] {
		// A cancellation, an address change, a refund's state: nothing
		// goes by post, so "will I be charged anything for that?" is no
		// postage question (REVIEW12A 4). After a task whose answer
		// says what is refunded (a cancellation, a refund), that answer
		// again is the cost: "already cancelled … 338.00 CNY goes back";
		// otherwise the turn goes on as usual. A return's postage is
		// postage.go's (the shop's quote).
		if !refundsMoney[label] {
			return Reply{}, false, nil
		}
		tr.label, tr.settled = label, true
		st.renote(label)
		r, err := tr.dispatch(ctx)
		return r, err == nil, err
	}
	// The message with the task's name, then the cost question in the
	// help center's words: the first the help center is sure of.
	name := a.catalog().Name(label, tr.lang)
	return tr.settleAsked(ctx, label, tr.say("taskcost.ask", "name", name), name+": "+tr.text) // the task is still the topic
}

// settleAsked asks the help center each of asks in turn (tr.question
// restored after) and answers with the first it is sure of, settling the
// turn on label with the task or refund just answered still the topic
// (paidWith, taskCost); ok is false when it is sure of none.
func (tr *turn) settleAsked(ctx context.Context, label string, asks ...string) (Reply, bool, error) {
	st := tr.st
	saved := tr.question
	defer func() { tr.question = saved }()
	var ans rag.Answer
	for _, q := range asks {
		tr.question = q
		var err error
		if ans, err = tr.ask(ctx); err != nil {
			return Reply{}, false, err
		}
		if ans.Known {
			break
		}
	}
	if !ans.Known {
		return Reply{}, false, nil
	}
	tr.label, tr.settled = label, true
	st.renote(label)
	st.DoneTurn = st.Turns
	return tr.answered(ans), true, nil
}
