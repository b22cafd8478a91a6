package dialog

import "testing"

func TestAsksRule(t *testing.T) {
	for _, text := range []string{
		"ok so if i return them do they have to stay sealed",
		"do earbuds need to be unopened if i want to return them",
		"how much is a return label normally?",
		"can you return socks if you just dont like them",
		"耳机退货必须没拆封吗",
		"袜子不喜欢可以退吗",
		"退货运费一般多少钱",
	} {
		if !asksRule(text) {
			t.Errorf("asksRule(%q) = false, want a question about the rules", text)
		}
	}
	for _, text := range []string{
		"i need to return the earbuds, the left one is dead",
		"the earbuds keep cutting out, can i return them?",
		"我要退耳机",
		"where is my order",
		"i used to buy these all the time, where's my order?",
		"do i have to pay to send it back?",
	} {
		if asksRule(text) {
			t.Errorf("asksRule(%q) = true, want no question about the rules", text)
		}
	}
}

func TestUsedItemIsNoRuleAsk(t *testing.T) {
	// the return flow runs, and reads the item's state (its seal question,
	// saysUsed)
	for _, text := range []string{"what about the coat, can i return that too, barely worn it", "耳机拆封了 能七天无理由退吗 没质量问题 就是戴着不舒服", "降噪耳机已经拆开试过了 也没啥毛病 就是不喜欢 可以退不"} {
		if asksRule(text) {
			t.Errorf("asksRule(%q) = true: the state of the customer's own item is the flow's", text)
		}
	}
}
