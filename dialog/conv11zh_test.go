package dialog

import "testing"

// TestCancelSaid: a phrase that says to cancel and nothing else is the
// go-ahead; a question about the cancellation is not.
func TestCancelSaid(t *testing.T) {
	for s, want := range map[string]bool{
		"确认取消": true, "对 取消吧": true, "好的，确认取消": true, "就取消吧": true, "yes cancel it": true, "go ahead and cancel": true,
		"取消后钱多久到": false, "确认": false, "先不取消": false, "cancel the lamp and keep the stand": false,
	} {
		got := false
		for _, p := range phrases(s) {
			if cancelSaid.MatchString(p) {
				got = true
			}
		}
		if got != want {
			t.Errorf("cancelSaid(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestStatesReturnAsksMoney: the return said in one phrase, the money
// asked about in another; a return only supposed or asked about is none.
func TestStatesReturnAsksMoney(t *testing.T) {
	for s, want := range map[string]bool{
		"想了想还是直接退掉吧 钱退到哪": true, "电饭煲我也想退 微信付的 钱几天能回来": true, "i'll return it. where does the money go?": true,
		"退了的话钱退到哪": false, "如果退货 钱多久到": false, "能退吗 钱退到哪": false, "钱退到哪": false, "我要退货": false,
	} {
		if got := statesReturnAsksMoney(s); got != want {
			t.Errorf("statesReturnAsksMoney(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestAsksModifySizeToSize: one size or colour straight to another.
func TestAsksModifySizeToSize(t *testing.T) {
	for s, want := range map[string]bool{
		"S改M还来得及吗": true, "跑鞋42换43可以吗": true, "卫衣白色改黑色行不": true, "can i change the dress from S to M": true,
		"我M码的穿着正好": false, "S码太小了": false, "改到30号再发": false, "from 9 to 5": false,
	} {
		if got := asksModify(s); got != want {
			t.Errorf("asksModify(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestUrgeAct: asked to hurry the order along, in so many words.
func TestUrgeAct(t *testing.T) {
	for s, want := range map[string]bool{
		"太慢了吧 帮我催一下": true, "能不能催催快递": true, "can you hurry it up please": true, "could you chase the courier": true,
		"到哪了": false, "什么时候发货": false, "别催了": false,
	} {
		if got := urgeAct.MatchString(s); got != want {
			t.Errorf("urgeAct(%q) = %v, want %v", s, got, want)
		}
	}
	if !notUrged.MatchString("别催了") {
		t.Error("notUrged(别催了) = false")
	}
}

// TestTookSoFar: how long it has already been is no question of how long
// it takes.
func TestTookSoFar(t *testing.T) {
	for s, want := range map[string]bool{
		"充电宝的退款呢 取消好几天了": false, "都几天了还没退": false, "退款一般几天到": true, "要多久": true, "等了多久了": false,
	} {
		if got := asksHowItWorks(s); got != want {
			t.Errorf("asksHowItWorks(%q) = %v, want %v", s, got, want)
		}
	}
}
