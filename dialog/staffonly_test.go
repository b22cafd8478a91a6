package dialog

import (
	"testing"

	"github.com/assistd/assist/sentiment"
)

// A customer reporting harm only staff can repair (a wrong charge, an
// account someone else uses, an item missing from the parcel) is told
// what the bot cannot do and handed to a person at once; a double
// payment the shop refunds by itself is answered and a person offered
// until that time has passed; a question about such a problem in general
// is only answered.
func TestStaffOnly(t *testing.T) {
	freeze := map[string]string{"冻结": "在「账户安全」里一键冻结账号。", "taken over": "Freeze it under Account security → Emergency freeze."}
	twice := map[string]string{"两次": "多扣的钱系统会在 24 小时内自动退回。", "twice": "A double payment is refunded automatically within 24 hours."}
	for _, s := range []story{
		{
			name: "orders the customer never placed, in English, with the help center's freeze steps first",
			kb:   map[string]string{"account": "Freeze it under Account security → Emergency freeze."},
			steps: []step{{say: "there are two orders on my account I never placed, please sort it out", handoff: ReasonNoAutomation,
				reply:    []string{"Emergency freeze", "I can't secure an account", "connecting you"},
				evidence: map[string]string{"need": "security", "phrase": "i never placed"}}},
		},
		{
			name:     "a stranger's login in Chinese",
			customer: "plain-1",
			kb:       freeze,
			steps: []step{{say: "我的账号被人在陌生手机上登录了，快帮我处理", handoff: ReasonNoAutomation,
				reply: []string{"核实您的身份", "转接人工客服"}}},
		},
		{
			name:     "an item missing from the parcel",
			customer: "plain-1",
			steps: []step{{say: "the box arrived but the charger wasn't in the box", handoff: ReasonNoAutomation,
				reply: []string{"missing item"}}},
		},
		{
			name:  "a refund smaller than what was paid, in Chinese",
			steps: []step{{say: "牛仔裤的退款比我付的少了五十块", handoff: ReasonNoAutomation, reply: []string{"支付记录"}}},
		},
		{
			name: "a fresh double payment is answered and a person offered; yes hands off",
			kb:   twice,
			steps: []step{
				{say: "I think I paid twice for one order", reply: []string{"automatically within 24 hours", "Would you like me to connect you"}},
				{say: "yes please", handoff: ReasonNoAutomation},
			},
		},
		{
			name: "a double payment days ago that never came back hands off at once",
			kb:   twice,
			steps: []step{{say: "我上周被扣了两次钱，都五天了还没退回来", handoff: ReasonNoAutomation,
				reply: []string{"24 小时", "支付记录", "转接人工客服"}}},
		},
		{
			name: "questions about such problems in general are answered",
			kb:   map[string]string{"twice": "A double payment is refunded automatically within 24 hours.", "冻结": "在「账户安全」里一键冻结账号。"},
			steps: []step{
				{say: "what happens if I get charged twice?", not: []string{"connect you"}},
				{say: "如果账号被盗了怎么冻结", not: []string{"转接"}},
			},
		},
		{
			name:  "an angry customer charged twice is answered first (the anger rule), not queued twice",
			kb:    twice,
			nlu:   script{"charged twice again, what a joke": {label: "payment_issue"}},
			moods: map[string]sentiment.Score{"charged twice again, what a joke": negative(-0.8, 0.75)},
			steps: []step{{say: "charged twice again, what a joke", reply: []string{"24 hours"}}},
		},
	} {
		t.Run(s.name, func(t *testing.T) { play(t, s) })
	}
}

// Names called at the shop are anger even without swearing; the same
// words about something else are not.
func TestInsulting(t *testing.T) {
	for text, want := range map[string]bool{
		"you lot are a joke":                                  true,
		"are you all completely useless?":                     true,
		"this app is a rip-off":                               true,
		"你们就是骗子":                                              true,
		"什么破客服":                                               true,
		"is this raincoat useless in heavy rain?":             false,
		"I got an email from a stranger, is it a scam":        false,
		"我朋友说网上很多黑店，你们家是正品吗":                                  false,
		"what a clown show of a store, honestly":              false,
		"honestly a joke of a business, nothing ever arrives": true,
		"你们这个客服根本没用，说了半天等于白说":                                 true,
		"这个App的夜间模式有什么用":                                      false,
	} {
		if got := insulting(text); got != want {
			t.Errorf("insulting(%q) = %v, want %v", text, got, want)
		}
	}
}

// A customer who says they will take the complaint outside the shop, or
// stop shopping here, says so in many words; asking about reviews or
// accounts is not that.
func TestThreatensAndLeaving(t *testing.T) {
	for text, want := range map[string]string{
		"fine, I'll be writing a long Trustpilot review about this": "trustpilot",
		"sort it out today or I'm going to the ombudsman":           "ombudsman",
		"I'm ringing my bank tomorrow to do a chargeback":           "chargeback",
		"再不处理我就去消协投诉":                                               "消协",
		"不给说法的话我只能发抖音曝光了":                                           "抖音",
		"can I leave a review on Trustpilot for the boots?":         "",
		"how does a chargeback work if a parcel never arrives?":     "",
		"你们在小红书上有官方账号吗":                                             "",
	} {
		if got := threatens(text); got != want {
			t.Errorf("threatens(%q) = %q, want %q", text, got, want)
		}
	}
	for text, want := range map[string]bool{
		"that's it, I'm taking my business elsewhere":       true,
		"I won't be ordering from here again after this":    true,
		"please delete my account, I'm done with this shop": true,
		"以后都不在你们家买了，太折腾":                                    true,
		"我的账号直接注销吧，没意思":                                     true,
		"how long until the next order ships?":              false,
		"last time I ordered, the socks came in two days":   false,
		"这次买的拖鞋很舒服，以后还来":                                    false,
	} {
		if got := leaving.MatchString(text); got != want {
			t.Errorf("leaving(%q) = %v, want %v", text, got, want)
		}
	}
}
