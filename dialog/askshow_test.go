package dialog

import "testing"

// A question of how things go at the shop, asked in a task's words, is
// told apart from a request to the bot and from a question about where
// one's own order stands, in both languages.
func TestAsksHowThingsGo(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		// how things go: yes/no questions and suppositions
		{"Can I follow the courier on a live map when my order is out for delivery?", true},
		{"If I change the delivery address after paying, will my order take longer to arrive?", true},
		{"If I'm not home when the courier comes, will they try to deliver again?", true},
		{"What happens if my return parcel gets lost on the way back to you?", true},
		{"does cancelling an order give my coupon back?", true},
		{"取消订单以后，抵扣用掉的积分会退回来吗？", true},
		{"查物流的时候能看到派送快递员的电话吗？", true},
		{"付款后改收货地址，会不会影响发货时间？", true},
		{"快递能不能别放快递柜，直接送货上门？", true},
		{"退货的包裹要是寄丢了，谁负责？", true},
		// requests to the bot
		{"Can you cancel my order?", false},
		{"could u change the address on my order to my office", false},
		{"I want to return these shoes, is that ok?", false},
		{"please track my parcel?", false},
		{"能帮我取消一下订单吗？", false},
		{"麻烦改一下收货地址可以吗", false},
		{"我想退货，可以吗？", false},
		// where one's own order stands
		{"Has my parcel shipped yet?", false},
		{"is my refund through?", false},
		{"我的快递到了吗？", false},
		{"退款到账没有", false},
		// no question
		{"cancel my order", false},
		{"我要退货", false},
	} {
		if got := AsksHowThingsGo(c.text); got != c.want {
			t.Errorf("AsksHowThingsGo(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}
