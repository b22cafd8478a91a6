package dialog

import (
	"context"
	"regexp"
	"strings"

	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/nlu"
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
//
// Declined, the rule is asked once more without the products the message
// names (the customer's item: "卫衣退货必须带吊牌吗", "i want to return the
// hoodie, do the tags have to stay on?"): the returns article speaks of
// returns, not of each product, and the help center's gate read the
// hoodie as something the article fails to say (uncovered, quoted
// passage uncovered), declining the rule it holds. Asked first as written,
// so a rule the article gives for a kind of product is still found by it.
func (tr *turn) askReturnRule(ctx context.Context) (rag.Answer, error) {
	saved, label := tr.question, tr.label
	tr.question, tr.label, tr.onTopic = tr.text, warrantyLabel, tr.say("aftersales.return_topic")
	defer func() { tr.question, tr.label, tr.onTopic = saved, label, "" }()
	r, err := tr.lookUp(ctx, false)
	if err == nil && !r.ans.Known {
		if rest := withoutProducts(tr.text, tr.res.Entities); rest != tr.text {
			tr.question = rest
			if r2, err2 := tr.lookUpOnce(ctx, true); err2 == nil && r2.ans.Known {
				r = r2
			}
		}
	}
	return tr.answerReading(ctx, r, err) // reading.go
}

// withoutProducts is text less the products the NLU found in it (and an
// English article or possessive before one: "return the hoodie" →
// "return"); text itself when it names none or nothing else is left.
func withoutProducts(text string, ents []nlu.Entity) string {
	s := text
	for _, e := range ents {
		if e.Type != "product" || e.Text == "" {
			continue
		}
		i := strings.Index(s, e.Text)
		if i < 0 {
			continue
		}
		before := productDeterminer.ReplaceAllString(s[:i], "")
		s = before + " " + s[i+len(e.Text):]
	}
	s = strings.Join(strings.Fields(s), " ")
	s = strings.ReplaceAll(s, " ,", ",")
	if s == "" || s == strings.Join(strings.Fields(text), " ") {
		return text
	}
	return s
}

// productDeterminer is an English determiner ending the text before a
// product's name.
var productDeterminer = regexp.MustCompile(`(?i)\b(the|my|this|that|these|those|a|an|our)\s*$`)
