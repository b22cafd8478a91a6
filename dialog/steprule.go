package dialog

import (
	nlutext "github.com/assistd/assist/nlu/text"
	"strings"

	"github.com/assistd/assist"
)

// A help-center answer that states a stepped discount ("每满 ¥300 减
// ¥50", "¥50 off every ¥300") answers "那我买600块的能减多少" only
// through a sum the customer would have to do. When the customer's
// message names one sum of money and the answer states exactly one such
// rule in the same currency, the bot adds the rule applied to the sum,
// computed in integer minor units (assist.Money), unless the answer
// also states a cap.

// stepRules find a stepped discount: the step, then what it takes off
// (zh), or what it takes off, then the step (en).
var (
	stepRuleZH = nlutext.MustPattern(`每满\s*([¥￥$])?\s*(\d{1,9}(?:\.\d{1,2})?)\s*(?:元)?\s*(?:立)?减\s*([¥￥$])?\s*(\d{1,9}(?:\.\d{1,2})?)`)
	stepRuleEN = nlutext.MustPattern(`(?i)([¥￥$])\s*(\d{1,9}(?:\.\d{1,2})?)\s+off\s+(?:for\s+)?every\s+([¥￥$])\s*(\d{1,9}(?:\.\d{1,2})?)`)
)

// capped finds a limit on a discount, which the steps alone do not show
// ("最多减 ¥100", "up to ¥100 off"): the bot then does not do the sum.
var capped = nlutext.MustPattern(`(?i)封顶|最多减|最高减|最多可减|\bup to\b|\bat most\b|\bcapped\b|\bmaximum\b|\bcap\b`)

// stepRule is a stepped discount: off taken for every full step.
type stepRule struct{ step, off assist.Money }

// stepRulesIn returns the stepped discounts text states, each once.
func stepRulesIn(text string) []stepRule {
	var out []stepRule
	seen := map[stepRule]bool{}
	add := func(stepSign, step, offSign, off string) {
		cur := signCurrency(stepSign, offSign)
		s, err1 := assist.ParseAmount(step, cur)
		o, err2 := assist.ParseAmount(off, cur)
		r := stepRule{s, o}
		if err1 != nil || err2 != nil || s.Minor <= 0 || o.Minor <= 0 || o.Minor >= s.Minor || seen[r] {
			return
		}
		seen[r] = true
		out = append(out, r)
	}
	for _, m := range stepRuleZH.FindAllStringSubmatch(text, -1) {
		add(m[1], m[2], m[3], m[4])
	}
	for _, m := range stepRuleEN.FindAllStringSubmatch(text, -1) {
		add(m[3], m[4], m[1], m[2])
	}
	return out
}

// signCurrency is the currency of a rule's signs: dollars when one says
// so, else yuan.
func signCurrency(signs ...string) string {
	for _, s := range signs {
		if s == "$" {
			return "USD"
		}
	}
	return "CNY"
}

// applyStepRule is the sentence giving the stepped discount the answer
// states applied to the one sum of money the message names, or "".
func (tr *turn) applyStepRule(answer string) string {
	var sums []assist.Money
	for _, e := range tr.res.Entities {
		if e.Type != "amount" {
			continue
		}
		m, err := assist.ParseMoney(e.Value)
		if err != nil {
			return ""
		}
		sums = append(sums, m)
	}
	rules := stepRulesIn(answer)
	if len(sums) != 1 || len(rules) != 1 || capped.MatchString(strings.NewReplacer("不封顶", "", "no cap", "", "No cap", "").Replace(answer)) {
		return ""
	}
	sum, r := sums[0], rules[0]
	if sum.Currency != r.step.Currency {
		return ""
	}
	steps := sum.Minor / r.step.Minor
	if steps == 0 {
		return tr.say("step_rule.below", "sum", showMoney(sum), "step", showMoney(r.step))
	}
	total, err := r.off.Times(steps)
	if err != nil {
		return ""
	}
	return tr.say("step_rule", "sum", showMoney(sum), "step", showMoney(r.step), "off", showMoney(r.off), "total", showMoney(total))
}

// showMoney writes m as a customer reads it: "¥600", "$12.50".
func showMoney(m assist.Money) string {
	s := strings.TrimSuffix(m.String(), " "+m.Currency)
	s = strings.TrimSuffix(s, ".00")
	switch m.Currency {
	case "CNY":
		return "¥" + s
	case "USD":
		return "$" + s
	}
	return m.String()
}
