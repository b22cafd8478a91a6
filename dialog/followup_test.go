package dialog

import (
	"context"
	"strings"
	"testing"

	"github.com/assistd/assist"
)

// TestShortQuestionContinuesTheLastAnswer: a short question the model is
// unsure of, right after a help-center answer, is answered as continuing
// it; a sure one, one naming a purchase, or one long after is not.
func TestShortQuestionContinuesTheLastAnswer(t *testing.T) {
	const (
		hours    = "Chat is open 9:00-22:00."
		weekends = "Chat is open every day, weekends included."
		quality  = "质量问题退货运费由商城承担。"
		goodbye  = "再见"
	)
	nlu := script{
		"when are you open":   {label: "contact", conf: 0.9},
		"weekends?":           {label: "promotion_rules", conf: 0.25},
		"七天无理由怎么退":            {label: "return_policy", conf: 0.9},
		"ok 那质量问题呢":           {label: "goodbye", conf: 0.3},
		"and the coupons?":    {label: "coupon", conf: 0.9},
		"the lamp, weekends?": {label: "promotion_rules", conf: 0.25, entities: map[string]string{"lamp": "product"}},
		"thanks":              {label: "thanks", conf: 0.95},
		"ok":                  {label: "out_of_scope", conf: 0.3},
	}
	kb := map[string]article{
		"when are you open":     {hours, "Contact us", 0.8},
		"weekends":              {"Refunds take 3 days, weekends included.", "Refunds", 0.9}, // confident about the bare word, and wrong
		"are you open weekends": {weekends, "Contact us", 0.7},
		"七天无理由":                 {"七天无理由退货运费顾客承担。", "退货政策", 0.8},
		"七天无理由怎么退 质量问题":         {quality, "退货政策", 0.7},
		"coupons":               {"One coupon per order.", "Coupons", 0.8},
	}
	cases := []struct {
		name  string
		says  []string
		reply string
		not   string
	}{
		{"an unsure short question continues the answer", []string{"when are you open", "weekends?"}, weekends, ""},
		{"an acknowledgement and a cue first", []string{"七天无理由怎么退", "ok 那质量问题呢"}, quality, goodbye},
		{"a sure question is asked as it is", []string{"when are you open", "and the coupons?"}, "One coupon per order.", weekends},
		{"a question naming a product is not a follow-up", []string{"when are you open", "the lamp, weekends?"}, "", weekends},
		{"too long after the answer", []string{"when are you open", "thanks", "ok", "weekends?"}, "", weekends},
		{"nothing answered before", []string{"weekends?"}, "", weekends},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := testShop()
			a := &Assistant{NLU: nlu, KB: &gradedHelpCenter{answers: kb}, Backend: b, Flows: testEngine(t, b), Rules: DefaultRules()}
			conv := &assist.Conversation{ID: "c1", TenantID: "demo", CustomerRef: "plain-1"}
			var st *State
			var r Reply
			for _, say := range c.says {
				var err error
				if r, err = a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: say}, State: st}); err != nil {
					t.Fatalf("%q: %v", say, err)
				}
				st = r.State
			}
			all := strings.Join(r.Messages, "\n")
			if !strings.Contains(all, c.reply) || c.not != "" && strings.Contains(all, c.not) {
				t.Errorf("reply %q, want %q and no %q", all, c.reply, c.not)
			}
		})
	}
}
