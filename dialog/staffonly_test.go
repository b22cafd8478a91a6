package dialog

import (
	"testing"
	"unicode"

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
	account := map[string]string{"账号": "在「账户安全」里一键冻结账号。", "account": "Freeze it under Account security → Emergency freeze."}
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
			// Unsure of it and asking for nothing yet, the customer gets
			// the freeze steps and an offer; a yes hands off.
			name:     "an unsure takeover is answered and a person offered, in both languages",
			customer: "plain-1",
			kb:       account,
			steps: []step{
				{say: "我账号是不是被人登了 收到个登录验证码 可我没操作", reply: []string{"冻结", "需要为您转接人工客服吗"}},
				{say: "好的", handoff: ReasonNoAutomation},
			},
		},
		{
			name: "an unsure takeover in English, then pressing on",
			kb:   freeze,
			steps: []step{
				{say: "i think someone might have got into my account, theres an order i didnt place", reply: []string{"Would you like me to connect you"}, not: []string{"queue"}},
				{say: "so what do i do now", handoff: ReasonNoAutomation},
			},
		},
		{
			name:  "an unsure takeover with urgency words only stays with the bot",
			kb:    account,
			steps: []step{{say: "好像有人动了我的账号 多了一单不是我买的 急", reply: []string{"冻结"}, not: []string{"排队"}}},
		},
		{
			name:  "unsure, asking what to do, gets the freeze steps and an offer",
			kb:    account,
			steps: []step{{say: "我账号好像被别人登了 还多了一个我没下过的订单 怎么办", reply: []string{"冻结", "需要为您转接人工客服吗"}, not: []string{"排队"}}},
		},
		{
			name:  "unsure, but asking for it to be dealt with, hands off at once",
			kb:    account,
			steps: []step{{say: "maybe my account was hacked, there are orders that aren't mine, can you please look into it", handoff: ReasonNoAutomation}},
		},
		{
			name:  "a gift someone else bought is no stranger's order",
			steps: []step{{say: "这个音箱其实是朋友送的 不是我买的", not: []string{"核实您的身份", "排队"}}},
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
		"fine, I'll be writing a long Trustpilot review about this":        "trustpilot",
		"sort it out today or I'm going to the ombudsman":                  "ombudsman",
		"I'm ringing my bank tomorrow to do a chargeback":                  "chargeback",
		"再不处理我就去消协投诉":                                                      "消协",
		"不给说法的话我只能发抖音曝光了":                                                  "抖音",
		"can I leave a review on Trustpilot for the boots?":                "",
		"how does a chargeback work if a parcel never arrives?":            "",
		"你们在小红书上有官方账号吗":                                                    "",
		"I'll be warning everyone I know to stay away from this shop":      "warning everyone",
		"fine, I'll make sure all my friends hear how you treat customers": "make sure all my friends",
		"I'm going to tell every parent at school what a shambles this is": "tell every parent",
		"ok then. I'll let my followers know how this went":                "let my followers",
		"再这样我就让身边所有人都知道你们家怎么对顾客的":                                          "让身边所有人",
		"不处理的话我会提醒群里的人别在你们这买":                                              "提醒群里",
		"can you let everyone in my order know the delivery date?":         "",
		"I told my friends about the sale, will it last till Friday?":      "",
		"让大家都知道一下双十一的活动吧":                                                  "",
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

// What the customer gets: a person only when they ask for one, threaten
// to go public, or say they leave the shop; not when they only mention
// staff, an outlet, or an item they give up.
func TestEscalationWords(t *testing.T) {
	for _, tc := range []struct {
		text    string
		upset   bool   // said in a negative message
		handoff string // "" for none
	}{
		// a person asked for, in other words
		{"叫个能解决问题的工作人员来吧", false, ReasonCustomerRequest},
		{"麻烦帮我接通一下你们的客服专员，有个售后的问题想当面说清楚，谢谢", false, ReasonCustomerRequest},
		{"我不想跟机器聊了，让你们的工作人员来处理我这单吧", false, ReasonCustomerRequest},
		{"我不想再等了，请让你们负责人跟我说", false, ReasonCustomerRequest},
		{"找你们主管来", false, ReasonCustomerRequest},
		{"Could your support team call me back about the refund?", false, ReasonCustomerRequest},
		{"Could someone from customer service give me a call back?", false, ReasonCustomerRequest},
		{"Is there anyone on your team I could actually talk to about this?", false, ReasonCustomerRequest},
		{"please escalate this, it's the third broken parcel", false, ReasonCustomerRequest},
		{"I want this escalated to someone senior", false, ReasonCustomerRequest},
		{"I need an actual employee to look at my order please", false, ReasonCustomerRequest},
		{"I want to talk to a sales agent about a bulk order", false, ReasonCustomerRequest},
		// staff only mentioned
		{"之前工作人员跟我说七天内可以退，现在还能退吗", false, ""},
		{"售后专员说给我补发，补发了吗", false, ""},
		{"工作人员处理得很快，谢谢", false, ""},
		{"上次安装的工作人员来的时候说配件少了", false, ""},
		{"你们经理推荐的那款还有货吗", false, ""},
		{"the courier said he'd call me back", false, ""},
		{"can the delivery driver give me a call before coming?", false, ""},
		{"someone from your team called me yesterday, was that legit?", false, ""},
		{"a staff member at the pickup point said it was sent back", false, ""},
		// going public
		{"Right, I'm putting this all over Twitter and leaving a review on Trustpilot so people know how you treat customers.", true, ReasonAnger},
		{"Refund me by Friday or I'm disputing it with my bank.", true, ReasonAnger},
		{"退不了是吧？行，那我就发微博和小红书，让大家都看看你们家的东西", true, ReasonAnger},
		{"再不处理我就去消协投诉", true, ReasonAnger},
		{"fix this or I'll sue you", true, ReasonAnger},
		{"Hi, I'm Sue, my parcel is 5 days late", true, ""},
		{"I'm really annoyed the Facebook ad said 20% off and it's not applied", true, ""},
		{"我在小红书看到的优惠券我要用 怎么一直用不了 烦死了", true, ""},
		{"I'm a lawyer and I need the invoice for my company", true, ""},
		// leaving the shop
		{"this is the last time I order from you, honestly. so frustrating", true, ReasonNegativeTrend},
		{"质量这么差，真的很失望，以后再也不在你们家买东西了", true, ReasonNegativeTrend},
		{"that's it, I'm taking my business elsewhere", true, ReasonNegativeTrend},
		{"I won't be ordering from you again after this mess", true, ReasonNegativeTrend},
		{"这个吹风机太烫了，不想再用了，退货", true, ""},
		{"用了一次就漏水，以后不用这个牌子了", true, ""},
		{"以后不用给我发短信了，烦", true, ""},
		{"I won't be using it again, I want a refund", true, ""},
		{"I won't be ordering the blue one, it's sold out, annoying", true, ""},
	} {
		s := story{name: tc.text, customer: "plain-1", steps: []step{{say: tc.text, handoff: tc.handoff}}}
		if tc.upset {
			s.moods = map[string]sentiment.Score{tc.text: negative(-0.7, 0.5)}
		}
		t.Run(tc.text, func(t *testing.T) { play(t, s) })
	}
}

// Once a person has been offered, a Chinese yes that closes with 吧
// ("是的转吧", "可以安排吧") accepts the offer like a bare "好的": it asks
// nothing, so the conversation is handed off, not answered from the
// help center.
func TestOfferAcceptedWithBa(t *testing.T) {
	twice := map[string]string{"两次": "多扣的钱系统会在 24 小时内自动退回。", "twice": "A double payment is refunded automatically within 24 hours."}
	account := map[string]string{"账号": "在「账户安全」里一键冻结账号。"}
	for _, yes := range []string{"是的转吧", "好的 可以的吧", "可以安排吧", "是的麻烦安排一下吧", "行 那就转过去吧", "好的 是该找人看看吧"} {
		t.Run(yes, func(t *testing.T) {
			play(t, story{name: yes, kb: twice, steps: []step{
				{say: "我好像一笔订单被扣了两次钱", reply: []string{"需要为您转接人工客服吗"}},
				{say: yes, handoff: ReasonNoAutomation},
			}})
			play(t, story{name: yes, kb: account, steps: []step{
				{say: "我账号是不是被人登了 收到个登录验证码 可我没操作", reply: []string{"需要为您转接人工客服吗"}},
				{say: yes, handoff: ReasonNoAutomation},
			}})
		})
	}
}

// A gift word cancels only the "not mine" reading of an order (a friend's
// present the customer did not buy), never a takeover report (hacked,
// 被盗, someone logged in); and a hedge counts only in the clause of the
// harm it doubts, not in a question about its cause.
func TestStaffNeedGiftAndHedge(t *testing.T) {
	for _, c := range []struct {
		text  string
		kind  string
		waits bool
	}{
		// A takeover with a gift word is still a takeover (its freeze steps
		// are the customer's own: offered; at once when the customer's
		// money is already gone, as the balance spent on a gift card).
		{"my account was hacked and someone used my balance to buy a gift card", "security", false},
		{"我账号被盗了 积分全被拿去兑换礼物了", "security", true},
		{"我没下过这个单 送的地址我根本不认识", "security", true},
		{"someone logged into my account and ordered a present to some address i don't know", "security", true},
		{"somebody hacked my account and sent gifts to people i don't know", "security", true},
		{"我的帐号被人登了 买了一堆赠送礼品的套装", "security", true},
		{"有个订单不是我下的 送的是一个我不认识的地址", "security", true},
		{"there's an order i never placed, shipped as a gift to a stranger", "security", true},
		// A present someone else bought is no stranger's order.
		{"这个音箱其实是朋友送的 不是我买的", "", false},
		{"it was a gift from my sister, i never ordered it", "", false},
		{"这是我妈送我的 不是我下的单 想问下保修", "", false},
		{"the blender was a present, i didn't buy it myself", "", false},
		// A certain report with a hedged question about its cause: locked
		// out (a changed password), at once; otherwise offered.
		{"my account has been hacked and my password was changed. could it be your data leak?", "security", false},
		{"我账号被盗了 密码也被改了 是不是你们泄露了我的信息", "security", false},
		{"someone logged into my account from another country. is it possible they saw my card?", "security", true},
		{"我的账号被人登录了，是不是我密码设得太简单了", "security", true},
		// Locked out, or asking for what only staff can do: at once.
		{"someone got into my account and placed an order i didnt make, now i cant even log in", "security", false},
		{"they changed my password and there's an order I never placed", "security", false},
		{"我号被盗了 手机号也被改了 多了个不是我下的单", "security", false},
		{"账号被盗了 现在登不上去了", "security", false},
		{"我账号被盗了 帮我把那两单取消退款", "security", false},
		{"my account got hacked, please cancel the orders they made", "security", false},
		// A certain report, the freeze steps the customer's own: offered.
		{"someone got into my account and placed an order i didnt make!!! help", "security", true},
		{"my account has been hacked, what do i do", "security", true},
		{"我账号被盗了 多了个不是我下的单 怎么办", "security", true},
		// Unsure of the harm itself: offered.
		{"我账号是不是被人登了 收到个登录验证码 可我没操作", "security", true},
		{"i think someone might have got into my account, theres an order i didnt place", "security", true},
		{"someone got into my account i think!! there's an order for a power bank i never placed", "security", true},
		{"我号好像被盗了 多了个不是我下的单 急急急", "security", true},
		{"could it be that my account was hacked?", "security", true},
	} {
		kind, waits, _ := staffNeed(c.text)
		if kind != c.kind || kind != "" && waits != c.waits {
			t.Errorf("staffNeed(%q) = %q, waits %v; want %q, waits %v", c.text, kind, waits, c.kind, c.waits)
		}
	}
}

// What the customer gets: a certain takeover report gets the freeze
// steps and the offer of a person (a yes hands off), whatever gift word it
// holds; locked out (a changed password) it is handed off at once,
// whatever hedged question about its cause it holds.
func TestStaffOnlyCertainTakeover(t *testing.T) {
	account := map[string]string{"账号": "在「账户安全」里一键冻结账号。", "account": "Freeze it under Account security → Emergency freeze."}
	for _, s := range []story{
		{name: "hacked, balance spent on a gift card", kb: account,
			steps: []step{{say: "my account was hacked and someone used my balance to buy a gift card", reply: []string{"Emergency freeze"}, handoff: ReasonNoAutomation}}},
		{name: "hacked, a present ordered to a stranger", kb: account,
			steps: []step{{say: "somebody hacked my account and sent gifts to people i don't know", reply: []string{"Emergency freeze", "connect you with a person"}},
				{say: "yes", handoff: ReasonNoAutomation}}},
		{name: "被盗 积分兑换礼物", kb: account,
			steps: []step{{say: "我账号被盗了 积分全被拿去兑换礼物了", reply: []string{"冻结", "需要为您转接人工客服吗"}}}},
		{name: "没下过的单 送的地址", kb: account,
			steps: []step{{say: "我没下过这个单 送的地址我根本不认识", reply: []string{"冻结"}, not: []string{"排队"}}}},
		{name: "hacked, then a hedged question about the cause", kb: account,
			steps: []step{{say: "my account has been hacked and my password was changed. could it be your data leak?", handoff: ReasonNoAutomation}}},
		{name: "被盗 是不是泄露", kb: account,
			steps: []step{{say: "我账号被盗了 密码也被改了 是不是你们泄露了我的信息", handoff: ReasonNoAutomation}}},
	} {
		t.Run(s.name, func(t *testing.T) { play(t, s) })
	}
}

// A taken-over account whose money is already gone (a saved card or the
// balance used, a charge, the money asked back) is handed off at once:
// freezing the account brings nothing back (REVIEW13A 2). An order placed
// in it, points spent, or "can't get in touch" (no lockout) leave the
// freeze steps to the customer first, with a person offered.
func TestStaffOnlyMoneyTaken(t *testing.T) {
	account := map[string]string{"账号": "在「账户安全」里一键冻结账号。", "account": "Freeze it under Account security → Emergency freeze."}
	for _, say := range []string{
		// The reviewer's.
		"someone hacked my account and bought two phones with my saved card, i want my money back",
		"我账号被盗了 有人用我绑定的卡下了三单 钱都扣了",
		// Own.
		"my account got hacked and they charged $400 to my credit card for stuff i never ordered",
		"somebody logged into my account and drained my store credit on orders i didn't make",
		"hacked!! someone spent all my balance, i need that money back",
		"someone hacked my account and used my saved card to buy a laptop",
		"号被盗了 余额被人花光了 好几单都不是我买的",
		"有陌生设备登录了我的账号 还盗刷了我的卡",
		"账号被人登了 下了两单 钱已经从我银行卡扣走了",
	} {
		t.Run(say, func(t *testing.T) {
			if kind, waits, _ := staffNeed(say); kind != "security" || waits {
				t.Errorf("staffNeed(%q) = %q, waits %v; want security at once", say, kind, waits)
			}
			freeze, _ := freezeAndOffer(say)
			play(t, story{name: say, kb: account, steps: []step{{say: say, reply: []string{freeze}, not: []string{"connect you with a person", "需要为您转接人工客服吗"}, handoff: ReasonNoAutomation}}})
		})
	}
	for _, say := range []string{
		"someone got into my account and placed an order i didnt make!!! help",
		"my account's been hacked, there's a pair of headphones ordered that i never bought",
		"hacked account, two orders i never placed, what should i do",
		"my account was hacked yesterday and i can't get in touch with anyone about it",
		"我号被盗了 多了两个订单 不是我下的",
		"账号被别人登了 下了个单 钱还没扣",
		"我账号被盗了 有人用我账号下单了 我都不知道",
		"我账号被盗了 积分全被拿去兑换礼物了",
	} {
		t.Run(say, func(t *testing.T) {
			if kind, waits, _ := staffNeed(say); kind != "security" || !waits {
				t.Errorf("staffNeed(%q) = %q, waits %v; want security offered", say, kind, waits)
			}
			freeze, offer := freezeAndOffer(say)
			play(t, story{name: say, kb: account, steps: []step{{say: say, reply: []string{freeze, offer}, not: []string{"排队", "queue"}}}})
		})
	}
}

// freezeAndOffer returns the words of the test help center's freeze steps
// and of the offer of a person in say's language.
func freezeAndOffer(say string) (freeze, offer string) {
	for _, r := range say {
		if unicode.Is(unicode.Han, r) {
			return "冻结", "需要为您转接人工客服吗"
		}
	}
	return "Emergency freeze", "connect you with a person"
}

// A taken-over account the customer can no longer get into is handed off
// at once in either language, however the takeover and the lockout are
// said (REVIEW14 4: "someone stole my account and changed the password,
// i cant log in anymore!!" was only offered a person); one they can still
// get into leaves the freeze steps to them, a person offered.
func TestStaffNeedLockedOutTakeover(t *testing.T) {
	for _, say := range []string{
		"someone stole my account and changed the password, i cant log in anymore!!",
		"somebody hijacked my account, i'm locked out",
		"my account got stolen and now my password doesn't work",
		"a hacker took over my account and changed my email, i can no longer log in",
		"someone took over my account, i cannot access my account at all",
		"they stole my account and reset the password",
		"号被盗了 密码被人改了 登不上去了 怎么办",
		"有人盗了我的号 改了密码 登录不了",
		"我的账号让人偷了 现在进不去了",
		"账号被黑了 密码不对了 登不上",
		"有人把我的密码改了 号被盗了",
		"账号被人盗了 无法登录",
	} {
		if kind, waits, _ := staffNeed(say); kind != "security" || waits {
			t.Errorf("staffNeed(%q) = %q, waits %v; want security at once", say, kind, waits)
		}
	}
	for _, say := range []string{
		"i think someone hacked my account, got a login code i never asked for. i can still log in tho",
		"someone stole my account i think, but i can still get in",
		"我账号好像被盗了 收到不是我要的验证码 现在还能登上",
		"有人盗了我的号 不过还能登录",
	} {
		if kind, waits, _ := staffNeed(say); kind != "security" || !waits {
			t.Errorf("staffNeed(%q) = %q, waits %v; want security offered", say, kind, waits)
		}
	}
}
