package dialog

import (
	"testing"

	"github.com/assistd/assist/nlu"
)

// TestStepRuleAppliedToTheSumAsked: "那我买600块的能减多少" after an answer
// stating "每满 ¥300 减 ¥50" gets the sum done; no rule, two rules, two
// sums or another currency get nothing added.
func TestStepRuleAppliedToTheSumAsked(t *testing.T) {
	const (
		zhRule = "参加活动的商品每满 ¥300 减 ¥50，上不封顶，可跨品类凑单。 [1]"
		enRule = "Participating items get ¥50 off every ¥300 with no cap. [1]"
	)
	sum := func(v string) []nlu.Entity { return []nlu.Entity{{Type: "amount", Text: v, Value: v}} }
	cases := []struct {
		name, lang, answer string
		ents               []nlu.Entity
		want               string
	}{
		{"zh rule, a sum", "zh", zhRule, sum("600.00 CNY"), "按每满 ¥300 减 ¥50 计算，¥600 可减 ¥100。"},
		{"en rule, a sum between steps", "en", enRule, sum("950.00 CNY"), "With ¥50 off every ¥300, ¥950 gets ¥150 off."},
		{"below the first step", "zh", zhRule, sum("299.00 CNY"), "¥299 还不满 ¥300，暂时不能减。"},
		{"no sum asked", "zh", zhRule, nil, ""},
		{"two sums", "zh", zhRule, append(sum("600.00 CNY"), sum("900.00 CNY")...), ""},
		{"another currency", "en", enRule, sum("600.00 USD"), ""},
		{"no rule in the answer", "zh", "满 ¥99 包邮。", sum("600.00 CNY"), ""},
		{"a cap", "zh", "每满 ¥300 减 ¥50，最多减 ¥100。", sum("900.00 CNY"), ""},
		{"a cap in english", "en", "¥50 off every ¥300, up to ¥100.", sum("900.00 CNY"), ""},
		{"two different rules", "zh", zhRule + " 另有每满 ¥200 减 ¥20。", sum("600.00 CNY"), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr := &turn{a: &Assistant{}, st: &State{}, lang: c.lang, res: nlu.Result{Entities: c.ents}}
			if got := tr.applyStepRule(c.answer); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}
