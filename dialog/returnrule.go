package dialog

import (
	"context"
	"strings"

	"github.com/assistd/assist/dialog/flow"
	nlutext "github.com/assistd/assist/nlu/text"
)

// A return asked for with a condition ("could i still return it if i've
// opened the box?", "if i send the slippers back how much is the label",
// "do they have to stay sealed") of an order the return flow answers
// without a question (not delivered yet, past its windows): the order's
// state alone does not answer what was asked. The condition is the help
// center's (the returns article), said before the order's line, so the
// reply answers both readings: the order and the rule.

// returnRuleAsk asks about a condition of a return: a supposition, what
// it must be, what it costs.
var returnRuleAsk = nlutext.MustPattern(`(?i)\bif\b|\b(have|has|need|needs) to\b|\bhow much\b|\bcost|\bfee\b|\blabel\b|\bseal|\bopened\b|\bunopened\b|\bpackaging\b|\btags?\b|` +
	supposeZH + `|必须|需要|要不要|得不得|多少钱|费用|运费|拆封|未拆|没拆|包装|吊牌`)

// withReturnRule puts the help center's answer to a rule question asked
// with a return before r, the reply of the return flow run that ended
// without asking on; r as it is when the message asks no rule or the
// help center does not know it.
func (tr *turn) withReturnRule(ctx context.Context, run *flow.Run, r Reply) Reply {
	a := tr.a
	if a.KB == nil || a.Flows == nil || tr.waiting {
		return r
	}
	if returns, ok := a.Flows.ForIntent(pathReturn); !ok || run.Flow != returns {
		return r
	}
	if !(isQuestion(tr.text) || hypothetical.MatchString(strings.ToLower(tr.text))) || !returnRuleAsk.MatchString(tr.text) || saysUsed(tr.text) {
		return r
	}
	// Asked on the returns topic: the customer's words pick the passage
	// from the returns article ("if i change my mind" alone found the
	// pre-sale deposit).
	saved, label := tr.question, tr.label
	tr.question, tr.label, tr.onTopic = tr.text, warrantyLabel, tr.say("aftersales.return_topic")
	ans, err := tr.ask(ctx)
	tr.question, tr.label, tr.onTopic = saved, label, ""
	if err != nil || !ans.Known {
		return r
	}
	return tr.before(tr.answered(ans), r)
}
