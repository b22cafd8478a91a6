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
		// REVIEW11A 3-4: a task asked about the customer's own thing, an
		// order named by number, an own order's state
		{"Can I return these shoes?", false},
		{"Can I still cancel DD202611050002?", false},
		{"Will my order arrive tomorrow?", false},
		{"我的快递今天能到吗？", false},
		{"Where is my parcel? If it doesn't come today I want a refund.", false},
		{"可以改地址吗？", false},
		{"能不能退款", false},
		{"Did you ship my order yet?", false},
		{"Is the parcel shipped yet?", false},
		// our own, the same kinds
		{"could I exchange my jacket for a bigger size?", false},
		{"may we cancel it now?", false},
		{"Is it still possible to return order DD202611010003?", false},
		{"这双鞋还能退吗？", false},
		{"我那个台灯明天能送到吗", false},
		{"SF1234567890 这个快递今天会派送吗？", false},
		// REVIEW11A 4: an opening that says a question follows, "will you"
		// of what the shop does
		{"我想问一下，取消订单以后积分会退回来吗？", true},
		{"I want to know: if I cancel, do I get my points back?", true},
		{"Will you refund the shipping fee if I return it?", true},
		// our own questions of how things go, in a task's words
		{"Can I return a sale item bought with a coupon?", true},
		{"could I cancel an order after it has been packed?", true},
		{"I was wondering, does changing the address reset the delivery estimate?", true},
		{"请问改了收货地址以后，运费会重新算吗？", true},
		{"我想了解一下，换货的话运费谁出？", true},
		{"退款能退到别的银行卡吗？", true},
		{"Can I collect my order from your warehouse myself?", true},
		{"我可以自己去仓库取我的快递吗？", true},
	} {
		st := &State{Entities: map[string]string{"order_id": "DD202611050002", "tracking_number": "SF1234567890"}}
		if c.text == "Is it still possible to return order DD202611010003?" {
			st.Entities["order_id"] = "DD202611010003"
		}
		if got := AsksHowThingsGo(c.text, st); got != c.want {
			t.Errorf("AsksHowThingsGo(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}
