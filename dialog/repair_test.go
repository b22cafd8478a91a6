package dialog

import "testing"

// The phrases read outside the intent model: small talk in front of a
// request, asking whether this is a bot, and what a customer waiting for
// a person says.
func TestCustomerPhrases(t *testing.T) {
	for _, tc := range []struct {
		text                       string
		rest                       string
		bot, leave, wait, asksFact bool
	}{
		{text: "你好 问两个事 键盘到了没", rest: "问两个事 键盘到了没", asksFact: true},
		{text: "thx. which courier", rest: "which courier", asksFact: true},
		{text: "hello"},
		{text: "history of the shop"},
		{text: "are you a bot or a real person", bot: true},
		{text: "你是真人吗", bot: true},
		{text: "不用了，我自己看看", leave: true},
		{text: "actually never mind, found what I needed", rest: "never mind, found what I needed", leave: true},
		{text: "ok I'll wait for the agent then", rest: "I'll wait for the agent then"},
		{text: "hello?? still waiting", rest: "still waiting", wait: true, asksFact: true},
		{text: "我前面还有几个人", wait: true},
		{text: "顺便问下 退款退到银行卡要多久", asksFact: true},
		{text: "who will win the match tonight?"},
	} {
		if got := stripCourtesy(tc.text); got != tc.rest {
			t.Errorf("stripCourtesy(%q) = %q, want %q", tc.text, got, tc.rest)
		}
		if got := asksIfBot(tc.text); got != tc.bot {
			t.Errorf("asksIfBot(%q) = %v", tc.text, got)
		}
		if got := leavesQueue(tc.text); got != tc.leave {
			t.Errorf("leavesQueue(%q) = %v", tc.text, got)
		}
		if got := asksAboutWait(tc.text); got != tc.wait {
			t.Errorf("asksAboutWait(%q) = %v", tc.text, got)
		}
		if got := asksFact(tc.text); got != tc.asksFact {
			t.Errorf("asksFact(%q) = %v", tc.text, got)
		}
	}
}
