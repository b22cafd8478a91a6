package dialog

import "testing"

// A question about the customer's dealings with the shop is told "we don't
// know, a person can help"; one about the world is asked to rephrase, even
// when the customer says "I" or "我" in it.
func TestPersonalNamesTheShopOrTheCustomersDealings(t *testing.T) {
	for _, text := range []string{
		"can i pay for the sofa in instalments?",
		"do i need an account to order",
		"我能用花呗分期买沙发吗",
		"我的积分下个月会清零吗",
		"do you have a store in chengdu?",
		"你们周末有人值班吗",
	} {
		if !personal.MatchString(text) {
			t.Errorf("%q is about the customer's dealings with the shop", text)
		}
	}
	for _, text := range []string{
		"i wonder who will win the match tonight?",
		"i heard it might snow in beijing tomorrow, is that true?",
		"我想知道明天北京天气怎么样",
		"自我介绍一下 谁是世界首富？",
	} {
		if personal.MatchString(text) {
			t.Errorf("%q asks about the world, not the shop", text)
		}
	}
}
