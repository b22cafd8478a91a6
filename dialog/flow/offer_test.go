package flow

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/assistd/assist"
)

// The fake shop's customers: c1 has five orders (newest first 0002 paid,
// 0001 shipped, 0003 delivered, 0005 returned, 0004 delivered), c2 two
// (0007 pending payment, 0009 cancelled), c3 one (0010 paid), c9 none.
var offerScripts = []script{
	// order_status: every order is offered.
	{name: "order_status/zh several, pick by ordinal", flow: "order_status", lang: "zh", customer: "c1",
		turns: []turn{
			{say: "我的订单到哪了", asking: "order_id", want: []string{"要查哪一个", "1. DD202611050002（T恤 x2，已付款，待发货）",
				"2. DD202611030001（运动鞋 x1，已发货）", "5. DD202610150004（帆布包 x1，已签收）"}},
			{say: "第二个", done: true, want: []string{"订单 DD202611030001", "SF1234567890123"}},
		},
		calls: []string{"list_orders", "get_order"}, slots: map[string]string{"order_id": "DD202611030001"}},
	{name: "order_status/en several, pick by number", flow: "order_status", lang: "en", customer: "c1",
		turns: []turn{
			{say: "where is my order", asking: "order_id", want: []string{"Reply with its number", "1. DD202611050002 (T恤 x2, paid, not shipped yet)", "3. DD202611010003 (连帽衫 x1, delivered)"}},
			{say: "3", done: true, want: []string{"Order DD202611010003", "delivered"}},
		},
		calls: []string{"list_orders", "get_order"}},
	{name: "order_status/en the second one", flow: "order_status", lang: "en", customer: "c2",
		turns: []turn{
			{say: "order status", asking: "order_id", want: []string{"1. DD202611060007 (Desk lamp x1, awaiting payment)", "2. DD202610250009 (Mug x2, cancelled)"}},
			{say: "the second one please", done: true, want: []string{"Order DD202610250009 (Mug x2): cancelled"}},
		},
		calls: []string{"list_orders", "get_order"}},
	{name: "order_status/zh one order, yes", flow: "order_status", lang: "zh", customer: "c3",
		turns: []turn{
			{say: "我的订单怎么样了", asking: "order_id", want: []string{"您是要查询最近的订单 DD202611070010（蓝牙音箱 x1，已付款，待发货）吗？"}},
			{say: "是的", done: true, want: []string{"订单 DD202611070010（蓝牙音箱 x1）：已付款，待发货", "48 小时内发货"}},
		},
		calls: []string{"list_orders", "get_order"}},
	{name: "order_status/en one order, yes", flow: "order_status", lang: "en", customer: "c3",
		turns: []turn{
			{say: "has my order shipped", asking: "order_id", want: []string{"Is it your latest order, DD202611070010 (蓝牙音箱 x1, paid, not shipped yet)?"}},
			{say: "yes", done: true, want: []string{"Order DD202611070010", "48 hours"}},
		},
		calls: []string{"list_orders", "get_order"}},
	{name: "order_status/zh no orders: plain question", flow: "order_status", lang: "zh", customer: "c9",
		turns: []turn{
			{say: "查订单", asking: "order_id", want: []string{"请告诉我您的订单号"}, not: []string{"1."}},
			{say: "DD209912319999", done: true, want: []string{"没有找到订单 DD209912319999"}},
		},
		calls: []string{"list_orders", "get_order"}},
	{name: "order_status/en no customer_ref: no lookup", flow: "order_status", lang: "en", customer: "",
		turns: []turn{{say: "order status", done: true, want: []string{"sign in"}, not: []string{"DD2026"}}}},
	{name: "order_status/zh order id given: no lookup", flow: "order_status", lang: "zh", customer: "c1",
		turns: []turn{{say: "DD202611050002 到哪了", done: true, want: []string{"已付款，待发货"}}},
		calls: []string{"get_order"}},
	{name: "order_status/zh none of them", flow: "order_status", lang: "zh", customer: "c2",
		turns: []turn{
			{say: "订单状态", asking: "order_id", want: []string{"1. DD202611060007"}},
			{say: "都不是", asking: "order_id", want: []string{"好的，请告诉我您的订单号"}, not: []string{"1. DD"}},
			{say: "how long?", digress: true, want: []string{"请告诉我您的订单号"}},
			{say: "DD209912319999", done: true, want: []string{"没有找到"}},
		},
		calls: []string{"list_orders", "get_order"}},
	{name: "order_status/en unclear pick, digression, last one", flow: "order_status", lang: "en", customer: "c1",
		turns: []turn{
			{say: "check my order", asking: "order_id"},
			{say: "!hmm", asking: "order_id", want: []string{`Please answer with a number, like "1".`, "5. DD202610150004"}},
			{say: "!7", asking: "order_id", want: []string{"Please answer with a number"}},
			{say: "how long does delivery take?", digress: true, want: []string{"Reply with its number", "2. DD202611030001"}},
			{say: "the last one", done: true, want: []string{"Order DD202610150004"}},
		},
		calls: []string{"list_orders", "get_order"}},
	{name: "order_status/zh pick by last digits", flow: "order_status", lang: "zh", customer: "c1",
		turns: []turn{
			{say: "订单状态", asking: "order_id"},
			{say: "尾号0005的那个", done: true, want: []string{"订单 DD202610200005", "已退货"}},
		},
		calls: []string{"list_orders", "get_order"}},
	// cancel_order: only orders that can still be cancelled are offered.
	// The question for the one order is the confirmation: a yes cancels.
	{name: "cancel_order/zh one offered, yes cancels", flow: "cancel_order", lang: "zh", customer: "c1",
		turns: []turn{
			{say: "我要取消订单", asking: "order_id", want: []string{"要取消订单 DD202611050002（T恤 x2，已付款，待发货）吗？取消后不能恢复。"}},
			{say: "对", done: true, want: []string{"订单 DD202611050002 已取消"}},
		},
		calls: []string{"list_orders", "get_order", "cancel_order"}},
	{name: "cancel_order/en no to the offer", flow: "cancel_order", lang: "en", customer: "c2",
		turns: []turn{
			{say: "cancel my order", asking: "order_id", want: []string{"Cancel order DD202611060007 (Desk lamp x1, awaiting payment)? It can't be restored"}},
			{say: "no", asking: "order_id", want: []string{"OK. Which order would you like to cancel?"}},
			{say: "DD202610250009", done: true, want: []string{"already cancelled"}},
		},
		calls: []string{"list_orders", "get_order", "get_refund"}},
	{name: "cancel_order/zh another id in the answer", flow: "cancel_order", lang: "zh", customer: "c1",
		turns: []turn{
			{say: "帮我取消订单", asking: "order_id", want: []string{"DD202611050002"}},
			{say: "不是，是 DD202611030001", done: true, want: []string{"运动鞋 x1", "已经不能取消了", "拒收"}},
		},
		calls: []string{"list_orders", "get_order"}},
	{name: "cancel_order/en the other order after the offer: no second offer", flow: "cancel_order", lang: "en", customer: "c1",
		turns: []turn{
			{say: "cancel an order", asking: "order_id"},
			{say: "DD202611050002", asking: AwaitConfirm, want: []string{"DD202611050002"}},
			{say: "no, the other order", asking: "order_id", want: []string{"Which order would you like to cancel?"}, not: []string{"Cancel order"}},
			{say: "DD202611030001", done: true, want: []string{"DD202611030001", "can't be cancelled any more"}},
		},
		calls: []string{"list_orders", "get_order", "get_order"}},
	{name: "cancel_order/en nothing cancellable: plain question", flow: "cancel_order", lang: "en", customer: "c9",
		turns: []turn{
			{say: "cancel my order", asking: "order_id", want: []string{"Which order would you like to cancel?"}},
			{say: "DD209912319999", done: true, want: []string{"couldn't find order"}},
		},
		calls: []string{"list_orders", "get_order"}},
	// change_address
	{name: "change_address/en one offered", flow: "change_address", lang: "en", customer: "c3",
		turns: []turn{
			{say: "I need to change my delivery address", asking: "order_id", want: []string{"Is it order DD202611070010"}},
			{say: "yes that one", asking: "address"},
			{say: "21 Baker Street, London NW1 6XE", asking: AwaitConfirm, want: []string{"DD202611070010", "21 Baker Street"}},
			{say: "yes", done: true, want: []string{"will now be delivered to 21 Baker Street"}},
		},
		calls: []string{"list_orders", "get_order", "change_address"}},
	// return_request: delivered orders are offered; others are turned down at once.
	{name: "return_request/en several delivered, first one", flow: "return_request", lang: "en", customer: "c1",
		turns: []turn{
			{say: "I want to return something", asking: "order_id", want: []string{"1. DD202611010003 (连帽衫 x1, delivered)", "2. DD202610150004 (帆布包 x1, delivered)"}, not: []string{"DD202611050002"}},
			{say: "the first one", asking: "reason"},
			{say: "too small", asking: "photos"},
			{say: "skip", asking: AwaitConfirm, want: []string{"wrong size"}},
			{say: "yes", done: true, want: []string{"RT202611010003"}},
		},
		calls: []string{"list_orders", "get_order", "quote_return", "quote_return", "create_return"}},
	{name: "return_request/zh several, reason in the pick", flow: "return_request", lang: "zh", customer: "c1",
		turns: []turn{
			{say: "我要退货", asking: "order_id", want: []string{"要退哪一个"}},
			{say: "第一个，质量有问题", asking: "photos"},
			{say: "没有", asking: AwaitConfirm, want: []string{"DD202611010003", "质量问题"}},
			{say: "确认", done: true, want: []string{"RT202611010003"}},
		},
		calls: []string{"list_orders", "get_order", "quote_return", "create_return"}},
	{name: "return_request/zh not delivered: said before any question", flow: "return_request", lang: "zh", customer: "c1",
		turns: []turn{{say: "DD202611050002 我要退货", done: true, want: []string{"订单 DD202611050002 还没有签收（已付款，待发货）", "可以直接取消"}, not: []string{"原因"}}},
		calls: []string{"get_order"}},
	{name: "return_request/en shipped: not delivered", flow: "return_request", lang: "en", customer: "c1",
		turns: []turn{
			{say: "return please", asking: "order_id"},
			{say: "DD202611030001", done: true, want: []string{"hasn't been delivered yet (shipped)"}, not: []string{"cancel it instead", "reason"}},
		},
		calls: []string{"list_orders", "get_order"}},
	// Returned already: the refund's status, not a return again.
	{name: "return_request/en already returned", flow: "return_request", lang: "en", customer: "c1",
		turns: []turn{{say: "return DD202610200005", done: true, want: []string{"The refund of 299.00 CNY for order DD202610200005"}}},
		calls: []string{"get_order", "get_refund"}},
	{name: "return_request/zh cancelled", flow: "return_request", lang: "zh", customer: "c2",
		turns: []turn{{say: "退货 DD202610250009", done: true, want: []string{"已经取消，不需要退货"}}},
		calls: []string{"get_order"}},
	{name: "return_request/zh nothing delivered: plain question", flow: "return_request", lang: "zh", customer: "c2",
		turns: []turn{
			{say: "我要退货", asking: "order_id", want: []string{"请问要退哪个订单"}},
			{say: "DD202611060007", done: true, want: []string{"还没有签收（待付款）"}},
		},
		calls: []string{"list_orders", "get_order"}},
	// refund_status
	{name: "refund_status/en one with a refund", flow: "refund_status", lang: "en", customer: "c1",
		turns: []turn{
			{say: "where is my refund", asking: "order_id", want: []string{"Is it the refund for order DD202610200005 (牛仔裤 x1, returned)?"}},
			{say: "yep", done: true, want: []string{"299.00 CNY", "being processed"}},
		},
		calls: []string{"list_orders", "get_refund"}},
	{name: "refund_status/zh 1 to a single offer", flow: "refund_status", lang: "zh", customer: "c2",
		turns: []turn{
			{say: "退款怎么还没到", asking: "order_id", want: []string{"DD202610250009（Mug x2，已取消）的退款吗"}},
			{say: "1", done: true, want: []string{"159.00 CNY"}},
		},
		calls: []string{"list_orders", "get_refund"}},
	// track_shipment: shipped and paid orders are offered; a tracking number is taken too.
	{name: "track_shipment/zh several, pick", flow: "track_shipment", lang: "zh", customer: "c1",
		turns: []turn{
			{say: "我的快递到哪了", asking: "order_id", want: []string{"1. DD202611050002", "2. DD202611030001"}, not: []string{"DD202611010003"}},
			{say: "2", done: true, want: []string{"运输中"}},
		},
		calls: []string{"list_orders", "track_shipment"}},
	{name: "track_shipment/en tracking number instead", flow: "track_shipment", lang: "en", customer: "c1",
		turns: []turn{
			{say: "track my parcel", asking: "order_id", want: []string{"Which order would you like to track?"}},
			{say: "it's SF1234567890123", done: true, want: []string{"in transit"}},
		},
		calls: []string{"list_orders", "track_shipment"}, slots: map[string]string{"tracking_number": "SF1234567890123"}},
	{name: "track_shipment/en tracking number given: no lookup", flow: "track_shipment", lang: "en", customer: "c1",
		turns: []turn{{say: "where is SF1234567890123", done: true, want: []string{"in transit"}}},
		calls: []string{"track_shipment"}},
}

func TestOffers(t *testing.T) {
	for _, sc := range offerScripts {
		t.Run(sc.name, func(t *testing.T) {
			shop := newFakeShop()
			play(t, newEngine(t, shop), shop, sc)
		})
	}
}

// A failing list_orders is no hand-off: the flow asks for the number.
func TestOfferLookupFails(t *testing.T) {
	shop := newFakeShop()
	shop.fail["list_orders"] = assist.Errorf(assist.EUNAVAILABLE, "shop down")
	play(t, newEngine(t, shop), shop, script{flow: "cancel_order", lang: "en", customer: "c1",
		turns: []turn{
			{say: "cancel my order", asking: "order_id", want: []string{"Which order would you like to cancel?"}},
			{say: "DD202611050002", asking: AwaitConfirm},
		},
		calls: []string{"list_orders", "get_order"}})
}

// The offer lives in the stored Run (its last result): after a JSON round
// trip the list is []any of map[string]any, and a backend in process may
// answer with []map[string]string; both offer the same.
func TestOfferListShapes(t *testing.T) {
	e := newEngine(t, nil)
	run := &Run{Flow: "order_status", Step: "ask_order", Awaiting: "order_id", Result: &Result{Status: StatusOK, Data: map[string]any{
		"orders": []map[string]string{
			{"order_id": "DD202611050002", "status": "paid", "items": "T恤 x2"},
			{"status": "paid"}, // no id: skipped
			{"order_id": "DD202611030001", "status": "shipped", "items": "运动鞋 x1"},
		}, "count": 3}}}
	want := e.Reprompt(run, "en")
	if !strings.Contains(want, "2. DD202611030001 (运动鞋 x1, shipped)") {
		t.Fatalf("Reprompt = %q", want)
	}
	b, err := json.Marshal(run)
	if err != nil {
		t.Fatal(err)
	}
	var back Run
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if got := e.Reprompt(&back, "en"); got != want {
		t.Errorf("after a round trip: %q, want %q", got, want)
	}
	for _, data := range []map[string]any{
		{"orders": "DD202611050002"},   // not a list
		{"orders": []any{1, "x", nil}}, // no maps
		{"count": 0},                   // no list
		{"orders": []map[string]any{}}, // empty
	} {
		run.Result = &Result{Status: StatusOK, Data: data}
		if got := e.Reprompt(run, "en"); !strings.HasPrefix(got, "Could you tell me your order number") {
			t.Errorf("data %v: Reprompt = %q, want the plain prompt", data, got)
		}
	}
}

func TestPick(t *testing.T) {
	two := []string{"DD202611050002", "DD202611030001"}
	one := []string{"DD202611070010"}
	five := []string{"DD202611050002", "DD202611030001", "DD202611010003", "DD202610200005", "DD202610150004"}
	for _, tc := range []struct {
		say  string
		vals []string
		want string // "" for no pick
	}{
		{"2", two, two[1]},
		{"２号", two, two[1]},
		{"选1", two, two[0]},
		{"#2", two, two[1]},
		{"number 2 please", two, two[1]},
		{"第二个", two, two[1]},
		{"第2个订单", two, two[1]},
		{"要第一个吧", two, two[0]},
		{"最后一个", five, five[4]},
		{"the last one", five, five[4]},
		{"the second one", five, five[1]},
		{"3rd", five, five[2]},
		{"the fourth", five, five[3]},
		{"最近的那个", five, five[0]},
		{"the latest one", five, five[0]},
		{"尾号0001", two, two[1]},
		{"the one ending 0002", two, two[0]},
		{"是的", one, one[0]},
		{"yes", one, one[0]},
		{"1", one, one[0]},
		{"yes", two, ""},                       // which one?
		{"3", two, ""},                         // out of range
		{"不是", one, ""},                        // a no
		{"是这个吗？", one, ""},                     // a question
		{"not the first, the second", two, ""}, // two positions
		{"first I want to know how long shipping takes to Beijing from Shanghai", five, ""},
		{"0", two, ""},
		{"hmm", two, ""},
		{"202611", two, ""}, // the end of neither
	} {
		got, ok := pick(fold(tc.say), tc.vals)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("pick(%q, %d) = %q, %v; want %q", tc.say, len(tc.vals), got, ok, tc.want)
		}
	}
}

func TestDeclines(t *testing.T) {
	for say, want := range map[string]bool{
		"不是": true, "都不是": true, "是另一个订单": true, "no": true, "none of them": true, "a different one": true,
		"neither": true, "是的": false, "yes": false, "2": false, "the latest": false,
		"do you have other colours?": false, "其他颜色有货吗": false,
		"I have another question about the delivery fee for big parcels to Beijing": false,
	} {
		if got := declines(fold(say)); got != want {
			t.Errorf("declines(%q) = %v, want %v", say, got, want)
		}
	}
}

// When conditions: each part, compared as text.
func TestWhenHolds(t *testing.T) {
	yes, no := true, false
	run := &Run{Slots: map[string]string{"order_id": "DD202611050002", "photos": ""},
		Result: &Result{Status: StatusOK, Data: map[string]any{"count": float64(2), "status": "delivered"}}}
	in := Input{CustomerRef: "c1"}
	for _, tc := range []struct {
		name string
		w    When
		in   Input
		want bool
	}{
		{"customer", When{Customer: &yes}, in, true},
		{"no customer", When{Customer: &yes}, Input{}, false},
		{"customer false", When{Customer: &no}, Input{}, true},
		{"filled", When{Filled: []string{"order_id"}}, in, true},
		{"skipped optional is not filled", When{Filled: []string{"photos"}}, in, false},
		{"empty", When{Empty: []string{"photos", "reason"}}, in, true},
		{"empty but filled", When{Empty: []string{"order_id"}}, in, false},
		{"status", When{Status: []string{"ok"}}, in, true},
		{"other status", When{Status: []string{"not_found"}}, in, false},
		{"number as text", When{Result: map[string][]string{"count": {"2", "3"}}}, in, true},
		{"data value", When{Result: map[string][]string{"status": {"delivered"}}}, in, true},
		{"missing key is empty", When{Result: map[string][]string{"eta": {""}}}, in, true},
		{"all parts", When{Customer: &yes, Result: map[string][]string{"status": {"paid"}}}, in, false},
	} {
		if got := tc.w.holds(run, tc.in); got != tc.want {
			t.Errorf("%s: holds = %v, want %v", tc.name, got, tc.want)
		}
	}
	if (&When{Status: []string{"ok"}}).holds(&Run{}, in) {
		t.Error("a status condition holds without a result")
	}
}

// The shipped flows that ask for an order id all offer the customer's
// orders first.
func TestShippedFlowsOfferOrders(t *testing.T) {
	flows, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var offering []string
	for _, f := range flows {
		for i, st := range f.Steps {
			if st.Ask == "order_id" {
				if st.Offer == nil || i == 0 || f.Steps[i-1].Call != "list_orders" {
					t.Errorf("%s: step %s asks for an order id without offering the customer's orders", f.Name, st.ID)
					continue
				}
				offering = append(offering, f.Name)
			}
		}
	}
	slices.Sort(offering)
	want := []string{"cancel_order", "change_address", "drop_item", "exchange", "modify_order", "order_status", "price_protection", "refund_status", "return_request", "track_shipment", "warranty"}
	if !slices.Equal(offering, want) {
		t.Errorf("flows offering orders %v, want %v", offering, want)
	}
}

// BenchmarkContinueOffer picks from a stored offer of five orders after a
// JSON round trip (the list is []any), then looks the order up.
func BenchmarkContinueOffer(b *testing.B) {
	e := newEngine(b, newFakeShop())
	ctx := context.Background()
	run, _, err := e.Start(ctx, "order_status", Input{Text: "我的订单到哪了", Lang: "zh", ConversationID: "bench", CustomerRef: "c1"}, nil)
	if err != nil {
		b.Fatal(err)
	}
	stored, err := json.Marshal(run)
	if err != nil {
		b.Fatal(err)
	}
	in := Input{Text: "第二个", Lang: "zh", Entities: extractor.Extract("第二个"), ConversationID: "bench", CustomerRef: "c1"}
	b.ReportAllocs()
	for b.Loop() {
		var r Run
		if err := json.Unmarshal(stored, &r); err != nil {
			b.Fatal(err)
		}
		out, err := e.Continue(ctx, &r, in)
		if err != nil || !out.Done || r.Slots["order_id"] != "DD202611030001" {
			b.Fatalf("out %+v, err %v", out, err)
		}
	}
}
