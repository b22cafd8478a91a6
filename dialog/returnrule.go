package dialog

import (
	"context"

	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/rag"
)

// A return asked for with a condition ("could i still return it if i've
// opened the box?", "if i send the slippers back how much is the label",
// "想退 需要寄回原包装吗"): the order's state or the flow's question alone
// does not answer what was asked. The condition is the help center's (the
// returns article), said before the order's line or the flow's question,
// so the reply answers both readings: the order and the rule. Whether a
// rule is asked is decided in one place, asksRule (ruleask.go).

// withReturnRule puts the help center's answer to a rule question asked
// with a return before r, the reply of the return flow run (ended or
// asking on); r as it is when the message asks no rule or the help
// center does not know it.
func (tr *turn) withReturnRule(ctx context.Context, run *flow.Run, r Reply) Reply {
	a := tr.a
	if a.KB == nil || a.Flows == nil || tr.waiting {
		return r
	}
	if returns, ok := a.Flows.ForIntent(pathReturn); !ok || run.Flow != returns {
		return r
	}
	if !asksRule(tr.text) || saysUsed(tr.text) { // ruleask.go
		return r
	}
	ans, err := tr.askReturnRule(ctx)
	if err != nil || !ans.Known {
		return r
	}
	return tr.before(tr.answered(ans), r)
}

// askReturnRule asks the help center the message, a rule of returns, on
// the returns topic: the customer's words pick the passage from the
// returns article ("if i change my mind" alone found the pre-sale
// deposit, "同一单那袜子万一不合脚 可以退不" the coupons of one order).
func (tr *turn) askReturnRule(ctx context.Context) (rag.Answer, error) {
	saved, label := tr.question, tr.label
	tr.question, tr.label, tr.onTopic = tr.text, warrantyLabel, tr.say("aftersales.return_topic")
	ans, err := tr.ask(ctx)
	tr.question, tr.label, tr.onTopic = saved, label, ""
	return ans, err
}
