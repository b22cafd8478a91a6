package dialog

import (
	"context"
	nlutext "github.com/assistd/assist/nlu/text"
	"strings"
)

// Right after a task told the customer where something stands ("the
// refund of 159.00 CNY: refunded"), the customer often says it does not
// match what they see ("可是我没看到钱啊", "but there's nothing in my
// account", "it still says processing"): the same answer again does not
// help, what the help center says about that situation does (where to
// look, how long each payment method takes, whom to contact). The help
// center is asked with the message and the task's name; when it has no
// answer, the turn goes on as usual.

// notSeenCue says the customer does not see, or has not received, what
// the bot just said. "Not in my …" counts only for where money lands
// (card, account, bank, wallet, balance, statement, a way to pay): "not
// in my size", "nothing in my cart" are not about the refund.
var notSeenCue = nlutext.MustPattern(`\b(haven'?t|have not|didn'?t|did not|don'?t|do not|can'?t|cannot|still (haven'?t|not|no|nothing))\b.{0,20}\b(see|seen|get|got|gotten|receive|received|arrived|showing|show)\b|\bnothing (has|arrived|came)\b|\bnothing (in|on) (it|there|yet|so far|here|the (card|account|bank|statement))\b|\bnot (showing|received|arrived|there)\b|\b(not|nothing|isn'?t|isnt) (yet |back |back yet )?(on|in|into) my (credit |debit |bank |paypal |alipay |wechat )?(card|account|bank|wallet|balance|statement|visa|mastercard|amex|paypal|alipay|wechat)\b|\bno (money|refund|sign)\b` +
	`|没(看到|看见|收到|到账|到|见到|显示|有钱|有到)|还没(有)?(到|收到|退)|不见|查不到|看不到|收不到`)

// notSeen answers such a message from the help center, asked with the
// task's name; ok is false when the message is not one or
// the help center does not know.
func (tr *turn) notSeen(ctx context.Context) (Reply, bool, error) {
	if r, ok, err := tr.paidWith(ctx); err != nil || ok {
		return r, ok, err // paidwith.go: how long for the way the customer paid
	}
	st, a := tr.st, tr.a
	if a.KB == nil || st.Done == "" || st.DoneSay == "" || st.DoneTurn != st.Turns-1 || !notSeenCue.MatchString(strings.ToLower(tr.text)) {
		return Reply{}, false, nil
	}
	if tr.namesOrder() {
		return Reply{}, false, nil // another order
	}
	if name, ok := a.Flows.ForIntent(tr.keywordIntent()); ok && name != st.Done {
		return Reply{}, false, nil // a task of its own ("but I haven't got it, I want to return it")
	}
	if in := tr.res.Intent; sure(in) && a.isTask(in.Label) && !(in.Label == "payment_issue" && a.flowOfAny(st.Done, refundTasks)) {
		// "not on my card yet tho" right after a refund's state is about
		// that refund's money, however much the model hears a payment
		// problem in it.
		if name, ok := a.Flows.ForIntent(in.Label); !ok || name != st.Done {
			return Reply{}, false, nil // "it says delivered but I never got it": a delivery problem
		}
	}
	label := st.Done
	if f, ok := a.Flows.Flow(st.Done); ok && len(f.Intents) > 0 {
		label = f.Intents[0]
	}
	saved := tr.question
	tr.question = tr.say("notseen.ask", "name", a.catalog().Name(label, tr.lang))
	ans, err := tr.ask(ctx)
	tr.question = saved
	if err != nil || !ans.Known {
		return Reply{}, false, err
	}
	tr.label, tr.settled = label, true
	st.renote(label)
	return tr.answered(ans), true, nil
}
