package dialog

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/nlu"
)

// closet is a shop whose customer "c1" has four orders, two of them shoes.
type closet struct{ calls []string }

var closetOrders = []map[string]any{
	{"order_id": "DD202612050001", "items_en": "Glow Desk Lamp (white) ×1", "items_zh": "Glow 护眼台灯 (white) ×1", "skus": "EL-LP-030",
		"status": "paid", "created_at": "2026-12-05", "total": "199.00 CNY"},
	{"order_id": "DD202612030002", "items_en": "GaNFast 65W Charger (white) ×1", "items_zh": "GaN 65W 快充充电器 (white) ×1", "skus": "EL-CH-021",
		"status": "shipped", "created_at": "2026-12-03", "total": "169.00 CNY"},
	{"order_id": "DD202611280003", "items_en": "AirFlex Running Shoes (white, 42) ×1", "items_zh": "AirFlex 跑鞋 (white, 42) ×1", "skus": "SH-RN-011",
		"status": "delivered", "created_at": "2026-11-28", "total": "499.00 CNY"},
	{"order_id": "DD202611200004", "items_en": "Kids Bounce Sneakers (pink, 30) ×1", "items_zh": "儿童弹跳运动鞋 (pink, 30) ×1", "skus": "SH-KD-016",
		"status": "shipped", "created_at": "2026-11-20", "total": "229.00 CNY"},
	{"order_id": "DD202611100005", "items_en": "PowerGo 10000mAh Power Bank (white) ×1", "items_zh": "PowerGo 10000毫安充电宝 (white) ×1", "skus": "EL-PB-019",
		"status": "cancelled", "created_at": "2026-11-10", "total": "129.00 CNY"},
	{"order_id": "DD202611080006", "items_en": "Cloud Cotton Duvet Cover Set (sage, queen) ×1", "items_zh": "云棉被套四件套 (sage, queen) ×1", "skus": "HM-DV-031",
		"status": "pending_payment", "created_at": "2026-11-08", "total": "399.00 CNY"},
}

func (c *closet) Call(_ context.Context, req flow.Request) (flow.Result, error) {
	c.calls = append(c.calls, req.Action)
	if req.CustomerRef != "c1" {
		return flow.Result{}, assist.Errorf(assist.EFORBIDDEN, "not signed in")
	}
	switch req.Action {
	case "list_orders":
		var list []any
		for _, o := range closetOrders {
			item := map[string]any{"items": o["items_"+req.Lang]}
			for k, v := range o {
				item[k] = v
			}
			list = append(list, item)
		}
		return flow.Result{Status: flow.StatusOK, Data: map[string]any{"orders": list, "count": len(list)}}, nil
	case "get_refund":
		return flow.Result{Status: flow.StatusOK, Data: map[string]any{"order_id": req.Params["order_id"], "amount": "129.00 CNY",
			"status_text_en": "completed", "status_text_zh": "已退款"}}, nil
	case "get_order", "track_shipment":
		for _, o := range closetOrders {
			if o["order_id"] == req.Params["order_id"] {
				data := map[string]any{"tracking_number": "", "eta": ""}
				for k, v := range o {
					data[k] = v
				}
				data["items"] = o["items_"+req.Lang]
				data["status_text_en"], data["status_text_zh"] = o["status"], o["status"]
				if o["status"] == "paid" && req.Action == "track_shipment" {
					return flow.Result{Status: "not_shipped", Data: data}, nil
				}
				if o["status"] != "paid" {
					data["carrier"], data["tracking_number"] = "SF", "SF-"+o["order_id"].(string)
				}
				return flow.Result{Status: flow.StatusOK, Data: data}, nil
			}
		}
		return flow.Result{Status: "not_found"}, nil
	}
	return flow.Result{}, assist.Errorf(assist.ENOTFOUND, "no action %s", req.Action)
}

// A signed-in customer asks about an order by what they bought, in words
// the intent model reads as something else: the bot answers for that
// order, offers only the ones that fit when several do, lists the orders
// when asked, and leaves other requests alone. A customer who is not
// signed in is asked to sign in and never shown an order.
func TestOrdersNamedByWhatWasBought(t *testing.T) {
	flows, err := flow.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		customer string
		say      string
		said     said
		want     []string // in the reply
		not      []string // not in the reply
		lists    bool     // the shop's orders were listed
	}{
		{name: "product words", customer: "c1", say: "hi where's my desk lamp", said: said{label: "product_inquiry"},
			want: []string{"DD202612050001", "paid"}, not: []string{"DD202612030002"}, lists: true},
		{name: "chinese head noun", customer: "c1", say: "充电器什么时候到", said: said{label: "stock_availability"},
			want: []string{"DD202612030002", "SF-DD202612030002"}, lists: true},
		{name: "category word fits two", customer: "c1", say: "那双鞋发货了吗", said: said{label: nlu.OutOfScope},
			want: []string{"DD202611280003", "DD202611200004"}, not: []string{"DD202612050001", "DD202612030002", "DD202611100005", "DD202611080006"}, lists: true},
		{name: "tracking asked", customer: "c1", say: "运动鞋那单快递到哪了", said: said{label: "delivery_problem"},
			want: []string{"SF-DD202611200004"}, lists: true},
		{name: "list of orders", customer: "c1", say: "what orders do i have right now", said: said{label: nlu.OutOfScope, top2: "return_policy"},
			want: []string{"DD202612050001", "DD202612030002", "DD202611280003", "DD202611200004", "DD202611100005"}, lists: true},
		{name: "not signed in", say: "hi where's my desk lamp", said: said{label: "product_inquiry", entities: map[string]string{"desk lamp": "product"}},
			want: []string{"sign in"}, not: []string{"DD2026"}},
		{name: "not signed in list", say: "我有哪些订单", said: said{label: nlu.OutOfScope},
			want: []string{"登录"}, not: []string{"DD2026"}},
		{name: "another task", customer: "c1", say: "where do I return the desk lamp", said: said{label: "return_policy"},
			want: []string{"14 days"}, not: []string{"DD202612050001"}},
		{name: "nothing of theirs", customer: "c1", say: "when will the kettle be back", said: said{label: "stock_availability"},
			want: []string{"restock"}, not: []string{"DD2026"}, lists: true},
		// Torn between two tasks, the model is settled by the state of the
		// order named: only a refund fits a cancelled order, only a return
		// a delivered one.
		{name: "state settles refund over cancel", customer: "c1", say: "之前取消的那个充电宝，钱怎么一直没退",
			said: said{label: "refund_status", top2: "cancel_order"}, want: []string{"DD202611100005", "已退款"}, lists: true},
		{name: "state settles return over its policy", customer: "c1", say: "can i still send the running shoes back",
			said: said{label: "return_policy", top2: "return_request"}, want: []string{"DD202611280003"}, not: []string{"14 days"}, lists: true},
		// No parcel to track for an unpaid order: its status says so.
		{name: "tracking an unpaid order", customer: "c1", say: "被套那单我还没付 现在付还来得及吗", said: said{label: "track_shipment"},
			want: []string{"DD202611080006", "pending_payment"}, lists: true},
		// A question about something bought, which the model cannot place.
		{name: "a detail of what was bought", customer: "c1", say: "对了 我买的台灯是白色的吧 没选错吧", said: said{label: nlu.OutOfScope, top2: "modify_order"},
			want: []string{"DD202612050001", "white"}, lists: true},
		// A colour or any word of a name is no product ("white" is an
		// option of three orders): the turn goes on as usual.
		{name: "a colour alone", customer: "c1", say: "when will the white one arrive", said: said{label: nlu.OutOfScope},
			not: []string{"DD2026"}, lists: true},
		{name: "no product at all", customer: "c1", say: "今天好冷啊", said: said{label: nlu.OutOfScope},
			not: []string{"DD2026"}, lists: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			shop := &closet{}
			engine, err := flow.NewEngine(flows, shop)
			if err != nil {
				t.Fatal(err)
			}
			a := &Assistant{
				NLU:   script{tc.say: tc.said},
				KB:    &helpCenter{answers: map[string]string{"return": "Return within 14 days.", "kettle": "We restock weekly.", "好冷": "注意保暖。"}},
				Flows: engine,
				Rules: DefaultRules(),
			}
			conv := &assist.Conversation{ID: "c", TenantID: "demo", CustomerRef: tc.customer}
			r, err := a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: tc.say}})
			if err != nil {
				t.Fatal(err)
			}
			all := strings.Join(r.Messages, "\n")
			checkReply(t, all, tc.want, tc.not)
			listed := strings.Count(strings.Join(shop.calls, " "), "list_orders")
			if tc.customer != "" && (listed > 0) != tc.lists || listed > 1 {
				t.Errorf("list_orders called %d times, want it called (once): %v (calls %v)", listed, tc.lists, shop.calls)
			}
			if r.Handoff != nil {
				t.Errorf("handed off: %+v", r.Handoff)
			}
		})
	}
}

// Right after an order's status, a question about its state that names
// no other order is about the same one; naming another one is not.
func TestSameOrderAgain(t *testing.T) {
	flows, err := flow.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	engine, err := flow.NewEngine(flows, &closet{})
	if err != nil {
		t.Fatal(err)
	}
	a := &Assistant{NLU: script{}, KB: &helpCenter{}, Flows: engine, Rules: DefaultRules()}
	conv := &assist.Conversation{ID: "c", TenantID: "demo", CustomerRef: "c1"}
	var st *State
	say := func(text string) string {
		t.Helper()
		r, err := a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: text}, State: st})
		if err != nil {
			t.Fatal(err)
		}
		st = r.State
		return strings.Join(r.Messages, "\n")
	}
	if got := say("hi where's my charger"); !strings.Contains(got, "DD202612030002") {
		t.Fatalf("first status: %q", got)
	}
	if got := say("sorry, is it stuck? the status hasnt changed since yesterday"); !strings.Contains(got, "DD202612030002") {
		t.Errorf("asked again: %q, want the charger's order", got)
	}
	if got := say("and is the desk lamp shipped yet"); !strings.Contains(got, "DD202612050001") || strings.Contains(got, "DD202612030002") {
		t.Errorf("another order named: %q, want the lamp's only", got)
	}
}

// ctxShop fails every call: with the context's error once it ended,
// else as a shop that is down.
type ctxShop struct{}

func (ctxShop) Call(ctx context.Context, _ flow.Request) (flow.Result, error) {
	if err := ctx.Err(); err != nil {
		return flow.Result{}, err
	}
	return flow.Result{}, assist.Errorf(assist.EUNAVAILABLE, "shop down")
}

// namedOrders: the list and what the words name; no list (not signed in,
// no shop, the shop down) is no error, the turn goes on without it; a
// turn whose context ended gets the error to return.
func TestNamedOrdersListedOrNot(t *testing.T) {
	flows, err := flow.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	turnOn := func(b flow.Backend) *turn {
		e, err := flow.NewEngine(flows, b)
		if err != nil {
			t.Fatal(err)
		}
		return &turn{a: &Assistant{Flows: e}}
	}
	in := flow.Input{CustomerRef: "c1", Lang: "en", Text: "where's my desk lamp",
		Entities: []nlu.Entity{{Type: "product", Value: "EL-LP-030", Text: "desk lamp"}}}
	tr := turnOn(&closet{})
	orders, ok, err := tr.namedOrders(context.Background(), in)
	if err != nil || !ok || !orders.ByName || len(orders.Meant) != 1 || orders.Order(orders.Meant[0]) != "DD202612050001" || tr.listed == nil {
		t.Fatalf("closet: %+v, %v, %v", orders, ok, err)
	}
	guest := in
	guest.CustomerRef = ""
	for name, c := range map[string]struct {
		tr *turn
		in flow.Input
	}{"not signed in": {turnOn(&closet{}), guest}, "no shop": {turnOn(nil), in}, "shop down": {turnOn(ctxShop{}), in}} {
		if orders, ok, err := c.tr.namedOrders(context.Background(), c.in); err != nil || ok || len(orders.List) > 0 {
			t.Errorf("%s: %+v, %v, %v: want no list and no error", name, orders, ok, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, ok, err := turnOn(ctxShop{}).namedOrders(ctx, in); ok || !errors.Is(err, context.Canceled) {
		t.Errorf("context ended: %v, %v: want its error", ok, err)
	}
}
