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

// REVIEW11B 1 and 4: the customer's own habit or guess, and a fallback
// supposition, ask no rule; a condition on the item or the cost does.
func TestHabitAndFallbackAskNoRule(t *testing.T) {
	for _, text := range []string{
		"卫衣太大了 我一般穿M 能退吗",
		"i must have ordered the wrong size, can i return the hoodie?",
		"i usually wear a medium but the hoodie is huge, can i send it back?",
		"i normally take a 42 and these running shoes will be too small, can i return them?",
		"我平时通常穿L 羽绒服买小了 想退",
		"can i return the down jacket? if not i'll just keep it",
		"can i return the running shoes? will there be a label in the box",
		"is the hoodie returnable? if so i'd like to send it back",
		"羽绒服能退吗 不行的话我就留着",
	} {
		if asksRule(text) {
			t.Errorf("asksRule(%q) = true, want no rule asked", text)
		}
	}
	for _, text := range []string{
		"once the charger gets here could i still return it if i've opened the box?",
		"if i send the slippers back because i don't like them, how much does the return label cost me?",
		"are the ankle socks returnable if i change my mind?",
		"拖鞋到了要是不喜欢退回去 运费要多少钱？",
		"耳机戴着耳朵疼 想退 需要寄回原包装吗",
		"is the return label normally free?",
	} {
		if !asksRule(text) {
			t.Errorf("asksRule(%q) = false, want a rule asked", text)
		}
	}
}
