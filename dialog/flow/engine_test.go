package flow

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/nlu"
	"github.com/assistd/assist/nlu/entity"
)

// turn is one customer message in a script and what the flow must do.
type turn struct {
	say     string
	intent  string   // the NLU intent of the message (confidence 0.95), if any
	digress bool     // Accepts must say no; the bot would answer elsewhere, so Reprompt is checked instead
	want    []string // substrings of the bot's messages (joined with "\n")
	not     []string // substrings that must not appear
	asking  string   // Output.Asking
	done    bool
	handoff string // Output.Handoff.Reason
}

type script struct {
	name     string
	flow     string
	lang     string
	customer string
	carry    map[string]string
	turns    []turn
	calls    []string          // actions called, in order
	slots    map[string]string // the run's slots after the last turn (nil: not checked)
	down     []string          // actions the shop fails (EUNAVAILABLE)
	// shipAfterLookup: the order ships right after get_order answers (a
	// race the shop's not_allowed covers).
	shipAfterLookup bool
}

var extractor = func() *entity.Extractor {
	x, err := entity.New(entity.Config{})
	if err != nil {
		panic(err)
	}
	return x
}()

func input(sc script, tn turn, i int) Input {
	in := Input{Text: tn.say, Lang: sc.lang, Entities: extractor.Extract(tn.say), TenantID: "demo",
		ConversationID: "conv-1", CustomerRef: sc.customer, Turn: i + 1}
	if tn.intent != "" {
		in.Intent = nlu.Intent{Label: tn.intent, Confidence: 0.95}
	}
	return in
}

// roundTrip stores and reloads run as the conversation service does
// between turns.
func roundTrip(t *testing.T, run *Run) *Run {
	t.Helper()
	b, err := json.Marshal(run)
	if err != nil {
		t.Fatal(err)
	}
	var back Run
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	return &back
}

func play(t *testing.T, e *Engine, shop *fakeShop, sc script) *Run {
	t.Helper()
	ctx := context.Background()
	var run *Run
	for i, tn := range sc.turns {
		in := input(sc, tn, i)
		var out Output
		var err error
		switch {
		case i == 0:
			run, out, err = e.Start(ctx, sc.flow, in, sc.carry)
		case tn.digress:
			if e.Accepts(run, in) {
				t.Fatalf("turn %d %q: Accepts = true, want false (a digression)", i+1, tn.say)
			}
			q := e.Reprompt(run, sc.lang)
			for _, w := range tn.want {
				if !strings.Contains(q, w) {
					t.Errorf("turn %d: Reprompt = %q, want it to contain %q", i+1, q, w)
				}
			}
			run = roundTrip(t, run)
			continue
		default:
			if !e.Accepts(run, in) && !strings.HasPrefix(tn.say, "!") {
				t.Errorf("turn %d %q: Accepts = false, want true", i+1, tn.say)
			}
			out, err = e.Continue(ctx, run, in)
		}
		if err != nil {
			t.Fatalf("turn %d %q: %v", i+1, tn.say, err)
		}
		msg := strings.Join(out.Messages, "\n")
		for _, w := range tn.want {
			if !strings.Contains(msg, w) {
				t.Errorf("turn %d %q: reply %q, want it to contain %q", i+1, tn.say, msg, w)
			}
		}
		for _, w := range tn.not {
			if strings.Contains(msg, w) {
				t.Errorf("turn %d %q: reply %q contains %q", i+1, tn.say, msg, w)
			}
		}
		if strings.Contains(msg, "<no value>") || len(out.Messages) == 0 {
			t.Errorf("turn %d %q: reply %q", i+1, tn.say, msg)
		}
		if out.Asking != tn.asking || out.Done != tn.done {
			t.Errorf("turn %d %q: asking %q done %v, want asking %q done %v (reply %q)", i+1, tn.say, out.Asking, out.Done, tn.asking, tn.done, msg)
		}
		reason := ""
		if out.Handoff != nil {
			reason = out.Handoff.Reason
		}
		if reason != tn.handoff {
			t.Errorf("turn %d %q: handoff %q, want %q", i+1, tn.say, reason, tn.handoff)
		}
		if out.Done && i != len(sc.turns)-1 {
			t.Fatalf("turn %d: flow ended early: %q", i+1, msg)
		}
		run = roundTrip(t, run)
	}
	if got := shop.actions(); !slices.Equal(got, sc.calls) {
		t.Errorf("calls %v, want %v", got, sc.calls)
	}
	if sc.slots != nil && !maps.Equal(run.Slots, sc.slots) {
		t.Errorf("slots %v, want %v", run.Slots, sc.slots)
	}
	return run
}

func newEngine(t testing.TB, b Backend) *Engine {
	t.Helper()
	flows, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(flows, b)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestShippedFlows(t *testing.T) {
	for _, sc := range scripts {
		t.Run(sc.name, func(t *testing.T) {
			shop := newFakeShop()
			for _, a := range sc.down {
				shop.fail[a] = assist.Errorf(assist.EUNAVAILABLE, "shop down")
			}
			shop.shipAfterLookup = sc.shipAfterLookup
			play(t, newEngine(t, shop), shop, sc)
		})
	}
}

var scripts = []script{
	// order_status
	{name: "order_status/zh", flow: "order_status", lang: "zh", customer: "c9",
		turns: []turn{
			{say: "我的订单到哪一步了", asking: "order_id", want: []string{"订单号"}},
			{say: "DD202611030001", done: true, want: []string{"不在您的账户下"}},
		},
		calls: []string{"list_orders", "get_order"}},
	// An order number is no proof the order is yours: without signing in,
	// nothing of it is looked up or shown.
	{name: "order_status/zh not signed in", flow: "order_status", lang: "zh", customer: "",
		turns: []turn{{say: "我的订单到哪一步了", done: true, want: []string{"登录"}}}},
	{name: "order_status/en not signed in, with a number", flow: "order_status", lang: "en", customer: "",
		turns: []turn{{say: "where is my order DD202611030001", done: true, want: []string{"sign in"}, not: []string{"SF1234567890123", "shipped"}}}},
	{name: "track_shipment/zh not signed in, with an order number", flow: "track_shipment", lang: "zh", customer: "",
		turns: []turn{{say: "DD202611030001 到哪了", done: true, want: []string{"登录", "快递单号"}, not: []string{"SF1234567890123"}}}},
	{name: "track_shipment/en not signed in, order number when asked", flow: "track_shipment", lang: "en", customer: "",
		turns: []turn{
			{say: "where's my parcel", asking: "order_id", want: []string{"tracking number"}},
			{say: "DD202611030001", done: true, want: []string{"sign in"}, not: []string{"SF1234567890123"}},
		}},
	{name: "refund_status/en not signed in, with a number", flow: "refund_status", lang: "en", customer: "",
		turns: []turn{{say: "refund for DD202610200005?", done: true, want: []string{"sign in"}, not: []string{"299.00"}}}},
	{name: "order_status/en early", flow: "order_status", lang: "en", customer: "c1",
		turns: []turn{{say: "what's the status of DD202611050002", done: true, want: []string{"paid, not shipped yet", "48 hours"}}},
		calls: []string{"get_order"}},
	{name: "order_status/zh carry", flow: "order_status", lang: "zh", customer: "c2", carry: map[string]string{"order_id": "DD202611060007"},
		turns: []turn{{say: "那个订单怎么样了", done: true, want: []string{"待付款", "30 分钟"}}},
		calls: []string{"get_order"}},
	{name: "order_status/entity beats carry", flow: "order_status", lang: "en", customer: "c1", carry: map[string]string{"order_id": "DD202611050002"},
		turns: []turn{{say: "and DD202611030001?", done: true, want: []string{"DD202611030001", "shipped"}}},
		calls: []string{"get_order"}},
	{name: "order_status/en not_found", flow: "order_status", lang: "en", customer: "c9",
		turns: []turn{
			{say: "order status please", asking: "order_id", want: []string{"order number"}},
			{say: "it's DD209912319999", done: true, want: []string{"couldn't find order DD209912319999"}},
		},
		calls: []string{"list_orders", "get_order"}},
	{name: "order_status/zh not_yours", flow: "order_status", lang: "zh", customer: "c2",
		turns: []turn{{say: "查一下 DD202611030001", done: true, want: []string{"不在您的账户下"}, not: []string{"SF1234567890123"}}},
		calls: []string{"get_order"}},
	{name: "order_status/zh invalid then stuck", flow: "order_status", lang: "zh", customer: "c9",
		turns: []turn{
			{say: "订单状态", asking: "order_id"},
			{say: "!我忘了", asking: "order_id", want: []string{"没有识别到订单号"}},
			{say: "!找不到", asking: "order_id", want: []string{"没有识别到订单号"}},
			{say: "!不知道", done: true, handoff: ReasonStuck, want: []string{"人工客服"}},
		},
		calls: []string{"list_orders"}},
	{name: "order_status/en digression then answer", flow: "order_status", lang: "en", customer: "c1",
		turns: []turn{
			{say: "where's my order", asking: "order_id"},
			{say: "how long does shipping take?", digress: true, want: []string{"order number"}},
			{say: "DD202611030001", done: true, want: []string{"SF tracking number SF1234567890123"}},
		},
		calls: []string{"list_orders", "get_order"}},
	// track_shipment
	{name: "track_shipment/zh tracking number", flow: "track_shipment", lang: "zh", customer: "",
		turns: []turn{
			{say: "帮我查下物流", asking: "order_id", want: []string{"订单号或快递单号"}},
			{say: "SF1234567890123", done: true, want: []string{"运输中", "上海转运中心", "2026-11-22"}},
		},
		calls: []string{"track_shipment"}, slots: map[string]string{"tracking_number": "SF1234567890123"}},
	{name: "track_shipment/en order id early", flow: "track_shipment", lang: "en", customer: "c1",
		turns: []turn{{say: "where is my parcel for DD202611030001", done: true, want: []string{"in transit", "Shanghai hub"}}},
		calls: []string{"track_shipment"}},
	{name: "track_shipment/en not_shipped", flow: "track_shipment", lang: "en", customer: "c1",
		turns: []turn{{say: "track DD202611050002", done: true, want: []string{"hasn't shipped yet"}}},
		calls: []string{"track_shipment"}},
	{name: "track_shipment/zh not_found", flow: "track_shipment", lang: "zh", customer: "c1",
		turns: []turn{{say: "快递单号 SF9999999999999 到哪了", done: true, want: []string{"没有查到 SF9999999999999"}}},
		calls: []string{"track_shipment"}},
	{name: "track_shipment/zh correction to tracking number", flow: "track_shipment", lang: "zh", customer: "c1", carry: map[string]string{"order_id": "DD202611050002"},
		turns: []turn{{say: "物流呢", done: true, want: []string{"尚未发货"}}},
		calls: []string{"track_shipment"}},
	// cancel_order
	{name: "cancel_order/zh yes", flow: "cancel_order", lang: "zh", customer: "c1", down: []string{"list_orders"},
		turns: []turn{
			{say: "我要取消订单", asking: "order_id", want: []string{"取消哪个订单"}},
			{say: "DD202611050002", asking: AwaitConfirm, want: []string{"T恤 x2", "158.00 CNY", "确认取消吗"}},
			{say: "取消吧", done: true, want: []string{"已取消", "158.00 CNY", "原路退回"}},
		},
		calls: []string{"list_orders", "get_order", "cancel_order"}},
	{name: "cancel_order/en no", flow: "cancel_order", lang: "en", customer: "c1",
		turns: []turn{
			{say: "cancel DD202611050002", asking: AwaitConfirm, want: []string{"Cancel it?"}},
			{say: "no, keep it", done: true, want: []string{"left order DD202611050002 as it is"}},
		},
		calls: []string{"get_order"}},
	// A pause that goes on with a question asks first; "wait" alone is a no.
	{name: "cancel_order/en wait, a question first", flow: "cancel_order", lang: "en", customer: "c1",
		turns: []turn{
			{say: "cancel DD202611050002", asking: AwaitConfirm},
			{say: "wait will I get the money back?", digress: true, want: []string{"Cancel it?"}},
			{say: "wait", done: true, want: []string{"left order DD202611050002 as it is"}},
		},
		calls: []string{"get_order"}},
	{name: "cancel_order/zh 算了 is no", flow: "cancel_order", lang: "zh", customer: "c1",
		turns: []turn{
			{say: "取消 DD202611050002", asking: AwaitConfirm},
			{say: "算了", done: true, want: []string{"不取消"}},
		},
		calls: []string{"get_order"}},
	// A shipped order is turned down before the customer is asked to
	// confirm; the shop's not_allowed still covers a race.
	{name: "cancel_order/en shipped: told before confirming", flow: "cancel_order", lang: "en", customer: "c1",
		turns: []turn{
			{say: "please cancel order DD202611030001", done: true, want: []string{"can't be cancelled any more", "shipped", "refuse the delivery", "return it within 7 days"}},
		},
		calls: []string{"get_order"}},
	{name: "cancel_order/zh already cancelled: told at once", flow: "cancel_order", lang: "zh", customer: "c2",
		turns: []turn{
			{say: "取消 DD202610250009", done: true, want: []string{"已经取消了", "退款 159.00 CNY：退款已完成", "原路退回"}},
		},
		calls: []string{"get_order", "get_refund"}},
	{name: "cancel_order/en not_yours", flow: "cancel_order", lang: "en", customer: "c2",
		turns: []turn{{say: "cancel DD202611050002", done: true, want: []string{"isn't on your account"}}},
		calls: []string{"get_order"}},
	{name: "cancel_order/zh not_found", flow: "cancel_order", lang: "zh", customer: "c1",
		turns: []turn{{say: "取消 DD209912319999", done: true, want: []string{"没有找到订单 DD209912319999"}}},
		calls: []string{"get_order"}},
	{name: "cancel_order/zh correction at confirm", flow: "cancel_order", lang: "zh", customer: "c2", carry: map[string]string{"order_id": "DD202611060007"},
		turns: []turn{
			{say: "帮我取消订单", asking: AwaitConfirm, want: []string{"DD202611060007"}},
			{say: "不对，是 DD202610250009", done: true, want: []string{"DD202610250009", "已经取消了"}},
		},
		calls: []string{"get_order", "get_order", "get_refund"}},
	{name: "cancel_order/en the other order", flow: "cancel_order", lang: "en", customer: "c1", carry: map[string]string{"order_id": "DD202611050002"},
		turns: []turn{
			{say: "cancel my order", asking: AwaitConfirm, want: []string{"DD202611050002"}},
			{say: "no, the other order", asking: "order_id", want: []string{"Which order"}},
			{say: "DD202611030001", done: true, want: []string{"DD202611030001", "can't be cancelled any more"}},
		},
		calls: []string{"get_order", "get_order"}},
	{name: "cancel_order/en unclear answer at confirm", flow: "cancel_order", lang: "en", customer: "c1",
		turns: []turn{
			{say: "cancel DD202611050002", asking: AwaitConfirm},
			{say: "do you sell gift cards?", digress: true, want: []string{"Cancel it?"}},
			{say: "!hmm", asking: AwaitConfirm, want: []string{"Please answer yes or no"}},
			{say: "ok", done: true, want: []string{"cancelled"}},
		},
		calls: []string{"get_order", "cancel_order"}},
	// change_address
	{name: "change_address/zh", flow: "change_address", lang: "zh", customer: "c1", down: []string{"list_orders"},
		turns: []turn{
			{say: "我想改一下收货地址", asking: "order_id"},
			{say: "DD202611050002", asking: "address", want: []string{"新的收货地址"}},
			{say: "北京市朝阳区建国路 88 号 张伟 13812345678", asking: AwaitConfirm, want: []string{"「北京市朝阳区建国路 88 号 张伟 13812345678」"}},
			{say: "对", done: true, want: []string{"将寄往：北京市朝阳区建国路 88 号"}},
		},
		calls: []string{"list_orders", "get_order", "change_address"}},
	{name: "change_address/zh address in the first message", flow: "change_address", lang: "zh", customer: "c1",
		turns: []turn{
			{say: "DD202611050002 的收货地址改成上海市徐汇区漕溪北路 1 号", asking: AwaitConfirm, want: []string{"「上海市徐汇区漕溪北路 1 号」"}},
			{say: "对", done: true, want: []string{"将寄往：上海市徐汇区漕溪北路 1 号"}},
		},
		calls: []string{"get_order", "change_address"}},
	{name: "change_address/en address in the first message", flow: "change_address", lang: "en", customer: "c1",
		turns: []turn{
			{say: "please change the address of DD202611050002 to 12 Park Road, London NW1 4AB", asking: AwaitConfirm, want: []string{`"12 Park Road, London NW1 4AB"`}},
			{say: "yes", done: true, want: []string{"will now be delivered to 12 Park Road"}},
		},
		calls: []string{"get_order", "change_address"}},
	{name: "change_address/en question is not an address", flow: "change_address", lang: "en", customer: "c1",
		turns: []turn{
			{say: "change the address of DD202611050002", asking: "address"},
			{say: "how much is shipping to Beijing?", digress: true, want: []string{"new delivery address"}},
			{say: "I also want a refund for another order", intent: "refund_status", digress: true},
			{say: "12 Park Road, London NW1 4AB, Emily Chen", asking: AwaitConfirm, want: []string{`"12 Park Road, London NW1 4AB, Emily Chen"`}},
			{say: "sure", done: true, want: []string{"will now be delivered to 12 Park Road"}},
		},
		calls: []string{"get_order", "change_address"}},
	{name: "change_address/zh address correction", flow: "change_address", lang: "zh", customer: "c1",
		turns: []turn{
			{say: "DD202611050002 改地址", asking: "address"},
			{say: "上海市徐汇区漕溪北路 1 号", asking: AwaitConfirm},
			{say: "不对，地址写错了", asking: "address", want: []string{"新的收货地址"}},
			{say: "上海市徐汇区漕溪北路 18 号", asking: AwaitConfirm, want: []string{"漕溪北路 18 号"}},
			{say: "确认", done: true},
		},
		calls: []string{"get_order", "change_address"},
		slots: map[string]string{"order_id": "DD202611050002", "address": "上海市徐汇区漕溪北路 18 号"}},
	{name: "change_address/zh cue alone clears the order", flow: "change_address", lang: "zh", customer: "c1",
		turns: []turn{
			{say: "DD202611050002 要改地址", asking: "address"},
			{say: "不对", asking: "order_id", want: []string{"修改哪个订单"}},
			{say: "DD202611050002", asking: "address"},
			{say: "南京市鼓楼区中山路 8 号", asking: AwaitConfirm, want: []string{"DD202611050002"}},
			{say: "好的", done: true},
		},
		calls: []string{"get_order", "get_order", "change_address"}},
	// A shipped order is turned down before an address is asked, and a
	// person is offered to ask the courier to redirect it.
	{name: "change_address/en invalid_address asks again", flow: "change_address", lang: "en", customer: "c1",
		turns: []turn{
			{say: "new address for DD202611050002", asking: "address"},
			{say: "Flat 2B", asking: AwaitConfirm},
			{say: "yes", asking: "address", want: []string{"couldn't use that address", "new delivery address"}},
			{say: "Flat 2B, 5 High Street, Oxford OX1 4AA", asking: AwaitConfirm},
			{say: "yes", done: true, want: []string{"5 High Street"}},
		},
		calls: []string{"get_order", "change_address", "change_address"}},
	{name: "change_address/zh shipped: told first, a person offered", flow: "change_address", lang: "zh", customer: "c1",
		turns: []turn{
			{say: "DD202611030001 地址填错了要改", asking: AwaitConfirm, want: []string{"已经在路上了", "改不了", "改派", "转接人工客服"}, not: []string{"新的收货地址"}},
			{say: "!那怎么办，我下周不在家", asking: AwaitConfirm, want: []string{"请回复", "改派"}},
			{say: "是", done: true, handoff: "no_automation", want: []string{"联系快递"}},
		},
		calls: []string{"get_order"}},
	{name: "change_address/en shipped: no person wanted", flow: "change_address", lang: "en", customer: "c1",
		turns: []turn{
			{say: "change the address of DD202611030001 to 8 Elm Street, Bristol", asking: AwaitConfirm, want: []string{"on its way", "redirect"}},
			{say: "no thanks", done: true, want: []string{"keeps its original address"}},
		},
		calls: []string{"get_order"}},
	// The backend's not_allowed still covers an order that shipped meanwhile.
	{name: "change_address/zh shipped meanwhile: not_allowed", flow: "change_address", lang: "zh", customer: "c1", shipAfterLookup: true,
		turns: []turn{
			{say: "DD202611050002 地址填错了要改", asking: "address"},
			{say: "杭州市西湖区文三路 90 号", asking: AwaitConfirm},
			{say: "是", done: true, want: []string{"已经发货，地址改不了了"}},
		},
		calls: []string{"get_order", "change_address"}},
	{name: "change_address/en no", flow: "change_address", lang: "en", customer: "c1",
		turns: []turn{
			{say: "change address on DD202611050002", asking: "address"},
			{say: "8 Elm Street, Bristol BS1 2AB", asking: AwaitConfirm},
			{say: "nope", done: true, want: []string{"haven't changed anything"}},
		},
		calls: []string{"get_order"}},
	{name: "change_address/en not_found and not_yours", flow: "change_address", lang: "en", customer: "c2",
		turns: []turn{{say: "change the address for DD202611050002", done: true, want: []string{"isn't on your account"}}},
		calls: []string{"get_order"}},
	// mutating flows need a signed-in customer
	{name: "cancel_order/zh anonymous: sign in first", flow: "cancel_order", lang: "zh", customer: "",
		turns: []turn{{say: "取消订单 DD202611050002", done: true, want: []string{"需要先登录", "转人工"}}}},
	{name: "change_address/en anonymous: sign in first", flow: "change_address", lang: "en", customer: "",
		turns: []turn{{say: "change the address of DD202611050002", done: true, want: []string{"signed-in customer"}}}},
	{name: "return_request/en anonymous: sign in first", flow: "return_request", lang: "en", customer: "",
		turns: []turn{{say: "I want to return DD202611010003", done: true, want: []string{"sign in"}}}},
	// return_request
	{name: "return_request/zh", flow: "return_request", lang: "zh", customer: "c1", down: []string{"list_orders"},
		turns: []turn{
			{say: "我要退货", asking: "order_id"},
			{say: "DD202611010003", asking: "reason", want: []string{"退货原因"}},
			{say: "尺码太小了", asking: "photos", want: []string{"有照片可以上传吗", "没有可以跳过"}},
			{say: "没有", asking: AwaitConfirm, want: []string{"原因：尺码不合适。", "退款 259.00 CNY", "确认提交吗"}},
			{say: "好的", done: true, want: []string{"售后单号 RT202611010003", "3 天内寄回"}, not: []string{"上传", "原路退回"}},
		},
		calls: []string{"list_orders", "get_order", "quote_return", "quote_return", "create_return"},
		slots: map[string]string{"order_id": "DD202611010003", "reason": "size", "photos": "no"}},
	{name: "return_request/en several slots at once", flow: "return_request", lang: "en", customer: "c1",
		turns: []turn{
			{say: "I want to return DD202611010003, it arrived broken", asking: "photos"},
			{say: "yes I have some", asking: AwaitConfirm, want: []string{"reason quality problem, with photos"}},
			{say: "yes", done: true, want: []string{"return number RT202611010003", "upload the photos", "goes back to your original payment method"}},
		},
		calls: []string{"get_order", "quote_return", "create_return"}},
	{name: "return_request/zh skip photos", flow: "return_request", lang: "zh", customer: "c1",
		turns: []turn{
			{say: "DD202611010003 发错货了，要退", asking: "photos"},
			{say: "跳过", asking: AwaitConfirm, want: []string{"发错货"}},
			{say: "嗯", done: true},
		},
		calls: []string{"get_order", "quote_return", "create_return"}},
	// An answer that ends by saying to go ahead answers the confirmation
	// that follows it too; one go-ahead word alone only skips the photos.
	{name: "return_request/zh skip photos and confirm in one", flow: "return_request", lang: "zh", customer: "c1",
		turns: []turn{
			{say: "DD202611010003 发错货了，要退", asking: "photos"},
			{say: "照片先不传了，直接确认", done: true, want: []string{"售后单号 RT202611010003"}},
		},
		calls: []string{"get_order", "quote_return", "create_return"}},
	// The photos turned down in the customer's own verb (不拍, 不传),
	// with the reason said again and a go-ahead.
	{name: "return_request/zh photos turned down by their verb, reason again, go-ahead", flow: "return_request", lang: "zh", customer: "c1",
		turns: []turn{
			{say: "DD202611010003 不喜欢 要退", asking: "photos"},
			{say: "就是不喜欢 不拍照了 提交吧", done: true, want: []string{"售后单号 RT202611010003"}},
		},
		calls: []string{"get_order", "quote_return", "create_return"}},
	{name: "return_request/en reason and go-ahead in one", flow: "return_request", lang: "en", customer: "c1",
		turns: []turn{
			{say: "I want to return DD202611010003", asking: "reason"},
			{say: "wrong size, no photos. confirm", done: true, want: []string{"return number RT202611010003"}},
		},
		calls: []string{"get_order", "quote_return", "quote_return", "create_return"}},
	{name: "return_request/zh go-ahead alone skips, then asks", flow: "return_request", lang: "zh", customer: "c1",
		turns: []turn{
			{say: "DD202611010003 发错货了，要退", asking: "photos"},
			{say: "确认", asking: AwaitConfirm, want: []string{"确认提交吗"}},
		},
		calls: []string{"get_order", "quote_return"}},
	{name: "return_request/en reason given while asked for order", flow: "return_request", lang: "en", customer: "c1", down: []string{"list_orders"},
		turns: []turn{
			{say: "return please", asking: "order_id"},
			{say: "it doesn't fit", asking: "order_id", want: []string{"Which order"}},
			{say: "DD202611010003", asking: "photos"},
			{say: "skip", asking: AwaitConfirm, want: []string{"wrong size"}},
			{say: "no", done: true, want: []string{"haven't submitted"}},
		},
		calls: []string{"list_orders", "get_order", "quote_return"}},
	{name: "return_request/en not_allowed", flow: "return_request", lang: "en", customer: "c1",
		turns: []turn{
			{say: "I'd like to return DD202610150004 because I changed my mind", asking: "photos"},
			{say: "no photos", asking: AwaitConfirm},
			{say: "confirm", done: true, want: []string{"can't be returned right now", "7 days"}},
		},
		calls: []string{"get_order", "quote_return", "create_return"}},
	{name: "return_request/zh window passed: told before any question", flow: "return_request", lang: "zh", customer: "c4",
		turns: []turn{
			{say: "退货 DD202610010016", done: true, want: []string{"2026-10-01 签收", "2026-10-08 截止", "转人工"}, not: []string{"原因"}},
		},
		calls: []string{"get_order"}},
	{name: "return_request/en window passed", flow: "return_request", lang: "en", customer: "c4",
		turns: []turn{
			{say: "I want to return DD202610010016, it's too small", done: true, want: []string{"return window closed on 2026-10-08"}},
		},
		calls: []string{"get_order"}},
	{name: "return_request/zh invalid reason", flow: "return_request", lang: "zh", customer: "c1",
		turns: []turn{
			{say: "退货 DD202611010003", asking: "reason"},
			{say: "!嗯嗯", asking: "reason", want: []string{"好的，订单 DD202611010003（连帽衫 x1）的退货原因是"}},
			{say: "其他", asking: "photos"},
			{say: "有", asking: AwaitConfirm, want: []string{"其他原因，有照片"}},
			{say: "可以", done: true, want: []string{"照片请在"}},
		},
		calls: []string{"get_order", "quote_return", "quote_return", "create_return"}},
	// Free text in the middle of the flow: every message is read for every
	// slot still needed, whatever was asked.
	{name: "return_request/zh reason in own words, photos named while the reason is asked", flow: "return_request", lang: "zh", customer: "c1",
		turns: []turn{
			{say: "DD202611010003 想退", asking: "reason"},
			{say: "照片倒是拍了，等下传", asking: "reason", want: []string{"退货原因"}, not: []string{"请选一个"}},
			{say: "穿了一次就开线了", asking: AwaitConfirm, want: []string{"质量问题，有照片"}},
			{say: "嗯 提交吧", done: true, want: []string{"RT202611010003"}},
		},
		calls: []string{"get_order", "quote_return", "quote_return", "create_return"},
		slots: map[string]string{"order_id": "DD202611010003", "reason": "quality", "photos": "yes"}},
	{name: "return_request/zh 确认吧 to the photos question goes on without them", flow: "return_request", lang: "zh", customer: "c1",
		turns: []turn{
			{say: "DD202611010003 不想要了", asking: "photos"},
			{say: "确认吧", asking: AwaitConfirm, want: []string{"原因：不喜欢。"}, not: []string{"有照片"}},
			{say: "确认", done: true},
		},
		calls: []string{"get_order", "quote_return", "create_return"},
		slots: map[string]string{"order_id": "DD202611010003", "reason": "changed_mind", "photos": ""}},
	{name: "return_request/en a reason no option names is other", flow: "return_request", lang: "en", customer: "c1",
		turns: []turn{
			{say: "return DD202611010003 please", asking: "reason"},
			{say: "honestly my sister got me the same one, meh", asking: "photos"},
			{say: "no pics sorry", asking: AwaitConfirm, want: []string{"other reason"}},
			{say: "ok yes go ahead and submit", done: true, want: []string{"RT202611010003"}},
		},
		calls: []string{"get_order", "quote_return", "quote_return", "create_return"},
		slots: map[string]string{"order_id": "DD202611010003", "reason": "other", "photos": "no"}},
	{name: "return_request/zh reason up front in plain words", flow: "return_request", lang: "zh", customer: "c1",
		turns: []turn{
			{say: "DD202611010003 这个才穿两天 拉链就坏掉了 想退", asking: "photos"},
			{say: "没拍照", asking: AwaitConfirm, want: []string{"质量问题"}},
			{say: "好的确认", done: true},
		},
		calls: []string{"get_order", "quote_return", "create_return"}},
	// The reasons offered are the ones the shop allows for the products;
	// sealed earbuds tried for size are opened: no size, no stand-in.
	{name: "return_request/en reasons per product: no size for earbuds", flow: "return_request", lang: "en", customer: "c5",
		turns: []turn{
			{say: "I want to return DD202611040012", asking: "reason", want: []string{"You can choose: quality problem, wrong item, changed mind, other reason"}, not: []string{"wrong size"}},
			{say: "they're too big for my ears", asking: "reason", want: []string{"isn't a return reason", "quality problem, wrong item"}},
			{say: "the left one crackles, faulty", asking: "photos"},
		},
		calls: []string{"get_order", "quote_return", "quote_return", "quote_return"}},
	// A size given up front for a rug (no size returns for home goods) is
	// asked of the shop again as the no-reason return it is.
	{name: "return_request/zh rug too big for the room, up front", flow: "return_request", lang: "zh", customer: "c5",
		turns: []turn{
			{say: "DD202611060021 想退 尺寸太大了客厅放不下 没照片", asking: AwaitConfirm, want: []string{"不喜欢"}, not: []string{"不支持"}},
			{say: "确认", done: true},
		},
		calls: []string{"get_order", "quote_return", "quote_return", "create_return"}},
	// Electronics come back without a reason only sealed: the shop says
	// when to ask, and an opened pair is turned down before anything is
	// submitted.
	{name: "return_request/en opened earbuds: no-reason return turned down, quality offered", flow: "return_request", lang: "en", customer: "c5",
		turns: []turn{
			{say: "I want to return DD202611040012, not what I expected", asking: "sealed", want: []string{"factory seal of the 蓝牙耳机"}},
			{say: "oh I already opened them obviously", asking: "reason", want: []string{"Opened 蓝牙耳机 can't be returned without a reason", "quality problem"}},
			{say: "well the noise cancelling is faulty", asking: "photos"},
			{say: "skip", asking: AwaitConfirm, want: []string{"quality problem"}},
		},
		calls: []string{"get_order", "quote_return", "quote_return", "quote_return"}},
	// A reason said in a clause of its own in a question, or suspected
	// ("是不是…"), is taken; a supposition is not.
	{name: "return_request/zh reason in a statement after the question", flow: "return_request", lang: "zh", customer: "c5",
		turns: []turn{
			{say: "DD202611060021 这块地毯能退吗 颜色和沙发不搭", asking: "photos"},
			{say: "照片不传了", asking: AwaitConfirm, want: []string{"不喜欢"}},
			{say: "不传照片 确认", done: true},
		},
		calls: []string{"get_order", "quote_return", "create_return"}},
	{name: "return_request/zh suspected fault", flow: "return_request", lang: "zh", customer: "c1",
		turns: []turn{
			{say: "DD202611010003 拉链老卡住 是不是有毛病啊 能退吗", asking: "photos"},
		},
		calls: []string{"get_order", "quote_return"}},
	{name: "return_request/zh supposition is no reason", flow: "return_request", lang: "zh", customer: "c1",
		turns: []turn{
			{say: "DD202611010003 如果是质量问题能退吗", asking: "reason"},
		},
		calls: []string{"get_order", "quote_return"}},
	{name: "return_request/en reason after the question, size for a rug", flow: "return_request", lang: "en", customer: "c5",
		turns: []turn{
			{say: "can I send DD202611060021 back? it's too big for the hallway", asking: "photos"},
			{say: "skip", asking: AwaitConfirm, want: []string{"changed mind"}},
			{say: "no pics. yes submit it", done: true},
		},
		calls: []string{"get_order", "quote_return", "quote_return", "create_return"}},
	// Asked for photos, a question that happens to hold a "不用"/"no" is
	// no answer; a short one is.
	{name: "return_request/zh photos: a question with 不用 is no answer", flow: "return_request", lang: "zh", customer: "c1",
		turns: []turn{
			{say: "DD202611010003 质量问题 想退", asking: "photos"},
			{say: "我是金卡 不用我出运费吧", digress: true, asking: "photos"},
			{say: "暂时没有", asking: AwaitConfirm},
		},
		calls: []string{"get_order", "quote_return"}},
	{name: "return_request/en photos: a question with no is no answer", flow: "return_request", lang: "en", customer: "c1",
		turns: []turn{
			{say: "return DD202611010003, the zip is broken", asking: "photos"},
			{say: "no idea how the postage works, do I pay for the label?", digress: true, asking: "photos"},
			{say: "nope, didn't take any", asking: AwaitConfirm},
		},
		calls: []string{"get_order", "quote_return"}},
	{name: "return_request/zh sealed earbuds: asked, then on", flow: "return_request", lang: "zh", customer: "c5",
		turns: []turn{
			{say: "DD202611040012 不想要了 还没拆封", asking: "photos"},
			{say: "没有照片", asking: AwaitConfirm, want: []string{"不喜欢"}},
			{say: "确认", done: true},
		},
		calls: []string{"get_order", "quote_return", "quote_return", "create_return"}},
	// A reason denied is no reason: "没质量问题 就是…" is the other one, and
	// opened earbuds without a fault are turned down.
	{name: "return_request/zh denied fault: opened earbuds turned down", flow: "return_request", lang: "zh", customer: "c5",
		turns: []turn{
			{say: "DD202611040012 拆封了 没什么质量问题 就是戴着不舒服 能退吗", asking: "reason", want: []string{"不能无理由退货"}},
		},
		calls: []string{"get_order", "quote_return"}},
	{name: "return_request/en denied fault is no quality reason", flow: "return_request", lang: "en", customer: "c1",
		turns: []turn{
			{say: "return DD202611010003, there's no quality problem, i just don't like them", asking: "photos"},
			{say: "skip", asking: AwaitConfirm, want: []string{"changed mind"}, not: []string{"quality"}},
		},
		calls: []string{"get_order", "quote_return"}},
	{name: "return_request/zh not_yours", flow: "return_request", lang: "zh", customer: "c2",
		turns: []turn{{say: "退货 DD202611010003", done: true, want: []string{"不在您的账户下"}}},
		calls: []string{"get_order"}},
	{name: "return_request/en not_found", flow: "return_request", lang: "en", customer: "c1",
		turns: []turn{{say: "return DD209912319999", done: true, want: []string{"couldn't find order"}}},
		calls: []string{"get_order"}},
	// refund_status
	{name: "refund_status/zh", flow: "refund_status", lang: "zh", customer: "c9",
		turns: []turn{
			{say: "我的退款到哪了", asking: "order_id"},
			{say: "DD209912319999", done: true, want: []string{"没有找到订单"}},
		},
		calls: []string{"list_orders", "get_refund"}},
	{name: "refund_status/en completed", flow: "refund_status", lang: "en", customer: "c2",
		turns: []turn{{say: "refund for DD202610250009?", done: true, want: []string{"159.00 CNY", "completed"}}},
		calls: []string{"get_refund"}},
	{name: "refund_status/en no_refund", flow: "refund_status", lang: "en", customer: "c1",
		turns: []turn{{say: "where is my refund for DD202611050002", done: true, want: []string{"no refund"}}},
		calls: []string{"get_refund"}},
	{name: "refund_status/zh not_yours", flow: "refund_status", lang: "zh", customer: "c2",
		turns: []turn{{say: "DD202610200005 退款", done: true, want: []string{"不在您的账户下"}}},
		calls: []string{"get_refund"}},
	{name: "refund_status/zh not_found", flow: "refund_status", lang: "zh", customer: "c1",
		turns: []turn{{say: "DD209912319999 退款", done: true, want: []string{"没有找到"}}},
		calls: []string{"get_refund"}},
	// talk_to_human
	{name: "talk_to_human/zh", flow: "talk_to_human", lang: "zh", customer: "c1",
		turns: []turn{{say: "转人工", done: true, handoff: "customer_request", want: []string{"人工客服"}}}},
	{name: "talk_to_human/en", flow: "talk_to_human", lang: "en", customer: "c1",
		turns: []turn{{say: "I want to talk to a person", done: true, handoff: "customer_request", want: []string{"a person from our support team"}}}},
}

func TestBackendFailure(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error // nil: no backend at all
		lang string
		want string
		code string
	}{
		{"unavailable zh", assist.Errorf(assist.EUNAVAILABLE, "shop down"), "zh", "转接人工客服", assist.EUNAVAILABLE},
		{"invalid en", assist.Errorf(assist.EINVALID, "bad params"), "en", "A person from our support team will take over", assist.EINVALID},
		{"plain error", errors.New("boom"), "en", "take over", assist.EINTERNAL},
		{"no backend", nil, "zh", "转接人工客服", assist.EUNAVAILABLE},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b Backend
			if tc.err != nil {
				shop := newFakeShop()
				shop.fail["get_order"] = tc.err
				b = shop
			}
			e := newEngine(t, b)
			run, out, err := e.Start(context.Background(), "order_status", Input{Text: "DD202611030001", Lang: tc.lang,
				Entities: extractor.Extract("DD202611030001"), ConversationID: "c", CustomerRef: "c1"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !out.Done || out.Handoff == nil || out.Handoff.Reason != ReasonActionFailed {
				t.Fatalf("out = %+v, want a done flow with an action_failed hand-off", out)
			}
			want := map[string]string{"flow": "order_status", "step": "lookup", "action": "get_order", "error": tc.code}
			if !maps.Equal(out.Handoff.Evidence, want) {
				t.Errorf("evidence %v, want %v", out.Handoff.Evidence, want)
			}
			if len(out.Messages) != 1 || !strings.Contains(out.Messages[0], tc.want) {
				t.Errorf("messages %q, want %q", out.Messages, tc.want)
			}
			if run.Step != "" || run.Awaiting != "" {
				t.Errorf("run %+v still waits", run)
			}
		})
	}
}

// An "on: error" branch takes the failure instead of a hand-off.
func TestErrorBranch(t *testing.T) {
	f, err := Parse("x.yaml", []byte(`
name: lookup
intents: [order_status]
slots:
  order_id:
    type: order_id
    prompt: {zh: "订单号？", en: "Order number?"}
steps:
  - {id: ask, ask: order_id}
  - {id: get, call: get_order, params: {order_id: "{{.slots.order_id}}"}, on: {error: sorry}}
  - {id: ok, say: {zh: "{{.result.status}}", en: "{{.result.status}}"}, end: true}
  - {id: sorry, say: {zh: "查询失败（{{.result.error}}）", en: "Lookup failed ({{.result.error}}), try later."}, end: true}
`))
	if err != nil {
		t.Fatal(err)
	}
	shop := newFakeShop()
	shop.fail["get_order"] = assist.Errorf(assist.EUNAVAILABLE, "timeout")
	e, err := NewEngine([]*Flow{f}, shop)
	if err != nil {
		t.Fatal(err)
	}
	_, out, err := e.Start(context.Background(), "lookup", Input{Lang: "en", Entities: extractor.Extract("DD202611030001")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if out.Handoff != nil || !out.Done || !slices.Equal(out.Messages, []string{"Lookup failed (unavailable), try later."}) {
		t.Errorf("out = %+v", out)
	}
}

func TestCancelledContext(t *testing.T) {
	shop := newFakeShop()
	e := newEngine(t, shop)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := e.Start(ctx, "order_status", Input{Lang: "en", Entities: extractor.Extract("DD202611030001"), CustomerRef: "c1"}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestIdempotencyKeys(t *testing.T) {
	shop := newFakeShop()
	e := newEngine(t, shop)
	ctx := context.Background()
	in := func(text string) Input {
		return Input{Text: text, Lang: "en", Entities: extractor.Extract(text), ConversationID: "conv-9", CustomerRef: "c1"}
	}
	run, _, err := e.Start(ctx, "return_request", in("return DD202611010003, it is broken"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Continue(ctx, run, in("skip")); err != nil {
		t.Fatal(err)
	}
	// The same turn processed twice (a retry after a crash before the
	// state was stored) sends the same key, and the shop returns once.
	saved := roundTrip(t, run)
	var outs []Output
	for _, r := range []*Run{run, saved} {
		out, err := e.Continue(ctx, r, in("yes"))
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, out)
	}
	var keys []string
	for _, c := range shop.calls {
		keys = append(keys, c.Action+" "+c.IdempotencyKey)
	}
	want := []string{"get_order conv-9/return_request/lookup/0", "quote_return conv-9/return_request/quote/1", "create_return conv-9/return_request/create/2", "create_return conv-9/return_request/create/2"}
	if !slices.Equal(keys, want) {
		t.Errorf("keys %q, want %q", keys, want)
	}
	for _, out := range outs {
		if !out.Done || !strings.Contains(strings.Join(out.Messages, " "), "RT202611010003") {
			t.Errorf("retry out = %+v", out)
		}
	}
	if got := shop.calls[2].Params; !maps.Equal(got, map[string]string{"order_id": "DD202611010003", "reason": "quality", "photos": "no"}) {
		t.Errorf("create_return params %v", got)
	}
}

// A new attempt after the customer changes a slot uses a new key.
func TestIdempotencyKeyAfterCorrection(t *testing.T) {
	shop := newFakeShop()
	e := newEngine(t, shop)
	ctx := context.Background()
	in := func(text string) Input {
		return Input{Text: text, Lang: "en", Entities: extractor.Extract(text), ConversationID: "k", CustomerRef: "c1"}
	}
	run, _, _ := e.Start(ctx, "change_address", in("change address of DD202611050002"), nil)
	for _, msg := range []string{"Flat 1", "yes", "9 Hill Road, Leeds LS1 1AA", "actually, the address is wrong", "10 Hill Road, Leeds LS1 1AA", "yes"} {
		if _, err := e.Continue(ctx, run, in(msg)); err != nil {
			t.Fatal(err)
		}
	}
	var keys []string
	for _, c := range shop.calls {
		if c.Action == "change_address" {
			keys = append(keys, c.IdempotencyKey+" "+c.Params["address"])
		}
	}
	want := []string{"k/change_address/change/1 Flat 1", "k/change_address/change/2 10 Hill Road, Leeds LS1 1AA"}
	if !slices.Equal(keys, want) {
		t.Errorf("change_address calls %q, want %q", keys, want)
	}
}

func TestAccepts(t *testing.T) {
	e := newEngine(t, newFakeShop())
	for _, tc := range []struct {
		name string
		run  Run
		say  string
		want bool
	}{
		{"order id for order slot", Run{Flow: "order_status", Step: "ask_order", Awaiting: "order_id"}, "DD202611030001", true},
		{"question while asked for order", Run{Flow: "order_status", Step: "ask_order", Awaiting: "order_id"}, "运费怎么算？", false},
		{"phone is not an order", Run{Flow: "order_status", Step: "ask_order", Awaiting: "order_id"}, "13812345678", false},
		{"tracking number for parcel slot", Run{Flow: "track_shipment", Step: "ask_parcel", Awaiting: "order_id"}, "JDVA12345678901", true},
		{"choice by synonym", Run{Flow: "return_request", Step: "ask_reason", Awaiting: "reason", Slots: map[string]string{"order_id": "DD202611010003"}}, "颜色不喜欢", true},
		{"choice by english", Run{Flow: "return_request", Step: "ask_reason", Awaiting: "reason", Slots: map[string]string{"order_id": "DD202611010003"}}, "Too big for me", true},
		{"question while asked for reason", Run{Flow: "return_request", Step: "ask_reason", Awaiting: "reason", Slots: map[string]string{"order_id": "DD202611010003"}}, "who pays for return postage", false},
		{"skip optional", Run{Flow: "return_request", Step: "ask_photos", Awaiting: "photos", Slots: map[string]string{"order_id": "DD202611010003", "reason": "size"}}, "不用了", true},
		{"yes", Run{Flow: "cancel_order", Step: "confirm", Awaiting: AwaitConfirm, Slots: map[string]string{"order_id": "DD202611050002"}}, "嗯，取消吧", true},
		{"no", Run{Flow: "cancel_order", Step: "confirm", Awaiting: AwaitConfirm, Slots: map[string]string{"order_id": "DD202611050002"}}, "No.", true},
		{"question at confirm", Run{Flow: "cancel_order", Step: "confirm", Awaiting: AwaitConfirm, Slots: map[string]string{"order_id": "DD202611050002"}}, "取消以后优惠券会退回吗？", false},
		{"long message with 是 at confirm", Run{Flow: "cancel_order", Step: "confirm", Awaiting: AwaitConfirm, Slots: map[string]string{"order_id": "DD202611050002"}}, "我想知道会员积分规则是怎样的", false},
		{"correction at confirm", Run{Flow: "cancel_order", Step: "confirm", Awaiting: AwaitConfirm, Slots: map[string]string{"order_id": "DD202611050002"}}, "不对，是 DD202611060007", true},
		{"same value is no correction", Run{Flow: "cancel_order", Step: "confirm", Awaiting: AwaitConfirm, Slots: map[string]string{"order_id": "DD202611050002"}}, "DD202611050002 的发票怎么开呢", false},
		{"address text", Run{Flow: "change_address", Step: "ask_address", Awaiting: "address", Slots: map[string]string{"order_id": "DD202611050002"}}, "广州市天河区体育西路 1 号", true},
		{"too short address", Run{Flow: "change_address", Step: "ask_address", Awaiting: "address", Slots: map[string]string{"order_id": "DD202611050002"}}, "好", false},
		{"cancel words are no address", Run{Flow: "change_address", Step: "ask_address", Awaiting: "address", Slots: map[string]string{"order_id": "DD202611050002"}}, "算了不改了", false},
		{"correction of order while asked for address", Run{Flow: "change_address", Step: "ask_address", Awaiting: "address", Slots: map[string]string{"order_id": "DD202611050002"}}, "no, the other order", true},
		{"unknown flow", Run{Flow: "gone", Step: "x", Awaiting: "order_id"}, "DD202611030001", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run := tc.run
			in := Input{Text: tc.say, Lang: "zh", Entities: extractor.Extract(tc.say)}
			if got := e.Accepts(&run, in); got != tc.want {
				t.Errorf("Accepts(%q) = %v, want %v", tc.say, got, tc.want)
			}
		})
	}
}

func TestContinueErrors(t *testing.T) {
	e := newEngine(t, newFakeShop())
	for _, tc := range []struct {
		name string
		run  *Run
		code string
	}{
		{"nil run", nil, assist.EINVALID},
		{"unknown flow", &Run{Flow: "gone", Step: "x", Awaiting: "order_id"}, assist.ENOTFOUND},
		{"unknown step", &Run{Flow: "order_status", Step: "gone", Awaiting: "order_id"}, assist.ENOTFOUND},
		{"ended run", &Run{Flow: "order_status"}, assist.ENOTFOUND},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Continue(context.Background(), tc.run, Input{Text: "x"})
			if assist.ErrorCode(err) != tc.code {
				t.Errorf("err = %v, want code %s", err, tc.code)
			}
		})
	}
	if _, _, err := e.Start(context.Background(), "nope", Input{}, nil); assist.ErrorCode(err) != assist.ENOTFOUND {
		t.Errorf("Start(unknown) err = %v", err)
	}
}

func TestEngineLookups(t *testing.T) {
	e := newEngine(t, nil)
	for intent, want := range map[string]string{
		"order_status": "order_status", "urge_shipping": "order_status", "track_shipment": "track_shipment",
		"cancel_order": "cancel_order", "change_address": "change_address", "return_request": "return_request",
		"refund_status": "refund_status", "human_agent": "talk_to_human",
	} {
		if got, ok := e.ForIntent(intent); !ok || got != want {
			t.Errorf("ForIntent(%q) = %q, %v; want %q", intent, got, ok, want)
		}
	}
	if _, ok := e.ForIntent("coupon"); ok {
		t.Error("ForIntent(coupon) found a flow")
	}
	if f, ok := e.Flow("return_request"); !ok || f.Slots["reason"].Type != "choice" {
		t.Errorf("Flow(return_request) = %v, %v", f, ok)
	}
	run := &Run{Flow: "return_request", Step: "confirm", Awaiting: AwaitConfirm,
		Slots: map[string]string{"order_id": "DD202611010003", "reason": "wrong_item", "photos": ""}}
	if got := e.Reprompt(run, "en"); !strings.Contains(got, "reason wrong item") {
		t.Errorf("Reprompt = %q", got)
	}
	if got := e.Reprompt(&Run{Flow: "gone"}, "en"); got != "" {
		t.Errorf("Reprompt(unknown flow) = %q", got)
	}
}

func TestNewEngineConflicts(t *testing.T) {
	flows, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	dup, err := Parse("dup.yaml", []byte(`
name: orders2
intents: [order_status]
steps:
  - {id: hi, say: {zh: 你好, en: Hi}, end: true}
`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = NewEngine(append(flows, dup), nil)
	if assist.ErrorCode(err) != assist.EINVALID || !strings.Contains(err.Error(), `intent "order_status" starts both "order_status" and "orders2"`) {
		t.Errorf("err = %v", err)
	}
	_, err = NewEngine(append(flows, flows[0]), nil)
	if assist.ErrorCode(err) != assist.EINVALID {
		t.Errorf("duplicate name err = %v", err)
	}
	// then: names a flow the engine has, which goes on to no other.
	parse := func(name, doc string) *Flow {
		f, err := Parse(name+".yaml", []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	a := parse("a", "name: a\nsteps:\n  - {id: x, then: b}\n")
	b := parse("b", "name: b\nsteps:\n  - {id: y, then: c}\n")
	c := parse("c", "name: c\nsteps:\n  - {id: z, say: {zh: 好, en: OK}, end: true}\n")
	for _, tc := range []struct {
		flows []*Flow
		want  string
	}{
		{[]*Flow{a}, `then: no flow named "b"`},
		{[]*Flow{a, b, c}, `then: "b" goes on to another flow itself`},
	} {
		if _, err := NewEngine(append(slices.Clone(flows), tc.flows...), nil); assist.ErrorCode(err) != assist.EINVALID || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("err = %v, want %q", err, tc.want)
		}
	}
	if _, err := NewEngine(append(slices.Clone(flows), b, c), nil); err != nil {
		t.Errorf("one hop: %v", err)
	}
}

// Every non-ok status of every action a shipped flow calls has a branch.
func TestShippedFlowsBranchEveryStatus(t *testing.T) {
	statuses := map[string][]string{
		"get_order":      {"not_found", "not_yours"},
		"list_orders":    nil,
		"track_shipment": {"not_found", "not_shipped"},
		"cancel_order":   {"not_found", "not_yours", "not_allowed", "already_done"},
		"change_address": {"not_found", "not_yours", "not_allowed", "invalid_address"},
		"create_return":  {"not_found", "not_yours", "not_allowed", "already_done"},
		"quote_return":   {"not_found", "not_yours", "not_allowed"},
		"get_refund":     {"not_found", "not_yours", "no_refund"},
		"get_member":     {"not_found"},
	}
	flows, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range flows {
		for _, st := range f.Steps {
			if st.Call == "" {
				continue
			}
			want, ok := statuses[st.Call]
			if !ok {
				t.Errorf("%s: step %s calls %q, not in the action contract", f.Name, st.ID, st.Call)
			}
			for _, s := range want {
				if _, ok := st.On[s]; !ok {
					t.Errorf("%s: step %s: no branch for %s status %q", f.Name, st.ID, st.Call, s)
				}
			}
		}
	}
}

func BenchmarkContinue(b *testing.B) {
	e := newEngine(b, newFakeShop())
	ctx := context.Background()
	text := "尺码太小了"
	in := Input{Text: text, Lang: "zh", Entities: extractor.Extract(text), ConversationID: "bench", CustomerRef: "c1"}
	base := Run{Flow: "return_request", Step: "ask_reason", Awaiting: "reason", Calls: 1,
		Slots:  map[string]string{"order_id": "DD202611010003"},
		Result: &Result{Status: StatusOK, Data: map[string]any{"order_id": "DD202611010003", "items": "连帽衫 x1"}}}
	b.ReportAllocs()
	for b.Loop() {
		run := base
		run.Slots = maps.Clone(base.Slots)
		out, err := e.Continue(ctx, &run, in)
		if err != nil || out.Asking != "photos" {
			b.Fatalf("out %+v, err %v", out, err)
		}
	}
}

// A flow that loops without asking anything fails instead of spinning.
func TestLoopWithoutQuestion(t *testing.T) {
	f, err := Parse("loop.yaml", []byte(`
name: loop
steps:
  - {id: a, say: {zh: 一, en: one}, goto: b}
  - {id: b, goto: a}
`))
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine([]*Flow{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.Start(context.Background(), "loop", Input{}, nil); assist.ErrorCode(err) != assist.EINTERNAL {
		t.Errorf("err = %v, want %s", err, assist.EINTERNAL)
	}
}

// A confirmation whose yes brings in a person is known as such, so the
// bot can take it for a customer who presses on or cannot wait.
func TestOffersPerson(t *testing.T) {
	flows, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(flows, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		run  *Run
		want bool
	}{
		{&Run{Flow: "change_address", Step: "shipped", Awaiting: AwaitConfirm}, true},
		{&Run{Flow: "change_address", Step: "confirm", Awaiting: AwaitConfirm}, false},
		{&Run{Flow: "change_address", Step: "ask_address", Awaiting: "address"}, false},
		{&Run{Flow: "no_such_flow", Step: "shipped", Awaiting: AwaitConfirm}, false},
		{nil, false},
	} {
		if got := e.OffersPerson(tc.run); got != tc.want {
			t.Errorf("OffersPerson(%+v) = %v, want %v", tc.run, got, tc.want)
		}
	}
}

// A product slot takes every product a message names, "both" for all
// of them when asked, never a product of earlier turns, and a product
// named again in passing is no correction.
func TestProductSlotNamesItems(t *testing.T) {
	f, err := Parse("items.yaml", []byte(`
name: items
slots:
  items:
    type: product
    all: {zh: [都退], en: [both]}
    prompt: {zh: "退哪件？", en: "Which one?"}
  note:
    type: text
    prompt: {zh: "还有呢？", en: "Anything else?"}
steps:
  - {id: ask, ask: items}
  - {id: ask_note, ask: note}
  - {id: done, say: {zh: "好 {{.slots.items}}", en: "ok {{.slots.items}}"}, end: true}
`))
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine([]*Flow{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	product := func(sku string) nlu.Entity { return nlu.Entity{Type: "product", Value: sku, Text: sku} }
	for _, tc := range []struct {
		name         string
		first, reply Input
		carry        map[string]string
		want         string
	}{
		{"two named at once", Input{Text: "the sweater and the case", Lang: "en", Entities: []nlu.Entity{product("A"), product("B"), product("A")}}, Input{}, nil, "A B"},
		{"both, asked", Input{Text: "return it", Lang: "en"}, Input{Text: "both", Lang: "en"}, nil, AllItems},
		{"都退, asked", Input{Text: "退货", Lang: "zh"}, Input{Text: "都退吧", Lang: "zh"}, nil, AllItems},
		{"one, asked", Input{Text: "return it", Lang: "en"}, Input{Text: "the case", Lang: "en", Entities: []nlu.Entity{product("B")}}, nil, "B"},
		{"not from earlier turns", Input{Text: "return it", Lang: "en"}, Input{}, map[string]string{"product": "A"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run, _, err := e.Start(ctx, "items", tc.first, tc.carry)
			if err != nil {
				t.Fatal(err)
			}
			if tc.reply.Text != "" {
				if _, err := e.Continue(ctx, run, tc.reply); err != nil {
					t.Fatal(err)
				}
			}
			if got := run.Slots["items"]; got != tc.want {
				t.Errorf("items = %q, want %q", got, tc.want)
			}
		})
	}
	// Named again in passing while another question waits: kept.
	run, _, err := e.Start(ctx, "items", Input{Text: "return the sweater", Lang: "en", Entities: []nlu.Entity{product("A")}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Continue(ctx, run, Input{Text: "the case is fine, the sweater itches", Lang: "en", Entities: []nlu.Entity{product("B"), product("A")}}); err != nil {
		t.Fatal(err)
	}
	if got := run.Slots["items"]; got != "A" {
		t.Errorf("items after a passing mention = %q, want A", got)
	}
	// One more, with "too": both.
	run, _, err = e.Start(ctx, "items", Input{Text: "return the sweater", Lang: "en", Entities: []nlu.Entity{product("A")}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	run.Slots["order_id"] = "DD1" // the order the customer's list shows holding both
	listed := &Result{Status: StatusOK, Data: map[string]any{"orders": []any{map[string]any{"order_id": "DD1", "skus": "A B"}}}}
	if _, err := e.Continue(ctx, run, Input{Text: "the case from that order too", Lang: "en", Entities: []nlu.Entity{product("B")}, Listed: listed}); err != nil {
		t.Fatal(err)
	}
	if got := run.Slots["items"]; got != "A B" {
		t.Errorf("items after 'the case too' = %q, want A B", got)
	}
}
