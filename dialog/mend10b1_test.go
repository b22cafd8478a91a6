package dialog

import "testing"

// TestPostagePayNotTrip: 我出差/我出门 are a trip, not who pays the postage
// (REVIEW10B 9); "运费我出吗", "你们出", "谁出" still ask it.
func TestPostagePayNotTrip(t *testing.T) {
	for s, want := range map[string]bool{
		"我出差了 这周收不到": false, "我出门了": false, "我们出去了不在家": false,
		"退回去运费我出吗": true, "运费你们出吧": true, "这个邮费要我出吗": true, "谁出": true,
	} {
		if got := postagePay.MatchString(s); got != want {
			t.Errorf("postagePay(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestHandledAskAsks: "都等了多久了" complains of the wait; "多久能给答复" asks.
func TestHandledAskAsks(t *testing.T) {
	for s, want := range map[string]bool{
		"我要投诉 都等了多久了还没人理我": false, "等了好几天了也没消息": false, "这都拖了多长时间了": false,
		"你们多久能给答复": true, "一般多久能处理好": true, "要多久？": true, "什么时候有人来处理": true,
	} {
		if got := handledAsk.MatchString(s); got != want {
			t.Errorf("handledAsk(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestCancelsPart: an English give-in that names an item, not the order.
func TestCancelsPart(t *testing.T) {
	for s, want := range map[string]bool{
		"hmm just cancel the stand, keep the lamp": true, "just cancel the stand": true,
		"meh forget it, just cancel it": false, "please cancel the duvet cover order": false,
		"ugh just cancel the whole thing": false, "just cancel": false,
	} {
		if got := cancelsPart(s); got != want {
			t.Errorf("cancelsPart(%q) = %v, want %v", s, got, want)
		}
	}
}
