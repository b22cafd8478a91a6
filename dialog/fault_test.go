package dialog

import (
	"context"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/nlu"
)

// household is a shop whose customer "h1" has a kettle bought long ago
// (its warranty over), headphones delivered three days ago, a coat
// delivered three weeks ago (past the quality window, under warranty)
// and a lamp not shipped yet. The windows and warranties are the shop's,
// in its answers; the bot only reads them.
type household struct {
	calls  []string
	params []map[string]string
}

var householdOrders = []map[string]any{
	{"order_id": "DD202612050001", "items_en": "Glow Desk Lamp (white) ×1", "items_zh": "Glow 护眼台灯 (white) ×1", "skus": "EL-LP-030",
		"status": "paid", "created_at": "2026-12-05", "total": "199.00 CNY", "price_protectable": "true", "price_protect_until": "2027-01-04"},
	{"order_id": "DD202612020002", "items_en": "Studio Headphones (black) ×1", "items_zh": "录音室头戴耳机 (black) ×1", "skus": "EL-HP-001",
		"status": "delivered", "created_at": "2026-11-30", "delivered_at": "2026-12-03", "returnable": "true", "quality_returnable": "true",
		"return_by": "2026-12-10", "in_warranty": "true", "warranty_en": "Studio Headphones: 2 years, until 2028-12-03 (repair)", "warranty_zh": "录音室头戴耳机保修 2 年，至 2028-12-03（维修）",
		"total": "599.00 CNY", "price_protectable": "true", "price_protect_until": "2026-12-30"},
	{"order_id": "DD202611100003", "items_en": "Camel Wool Coat (M) ×1", "items_zh": "驼色羊毛大衣 (M) ×1", "skus": "CL-CT-002",
		"status": "delivered", "created_at": "2026-11-10", "delivered_at": "2026-11-14", "returnable": "false", "quality_returnable": "false",
		"return_by": "2026-11-21", "in_warranty": "true", "warranty_en": "Camel Wool Coat: 45 days, until 2026-12-29 (a replacement)", "warranty_zh": "驼色羊毛大衣保修 45 天，至 2026-12-29（更换）",
		"total": "899.00 CNY", "price_protectable": "true", "price_protect_until": "2026-12-10"},
	{"order_id": "DD202608010004", "items_en": "Steel Kettle ×1", "items_zh": "不锈钢电热水壶 ×1", "skus": "HM-KT-037",
		"status": "delivered", "created_at": "2026-08-01", "delivered_at": "2026-08-04", "returnable": "false", "quality_returnable": "false",
		"return_by": "2026-08-11", "in_warranty": "false", "warranty_en": "Steel Kettle: 30 days, until 2026-09-03 (a replacement)", "warranty_zh": "不锈钢电热水壶保修 30 天，至 2026-09-03（更换）",
		"total": "149.00 CNY", "price_protectable": "false", "price_protect_until": "2026-08-31"},
}

func (h *household) Call(_ context.Context, req flow.Request) (flow.Result, error) {
	h.calls = append(h.calls, req.Action)
	h.params = append(h.params, req.Params)
	if req.CustomerRef != "h1" {
		return flow.Result{}, assist.Errorf(assist.EFORBIDDEN, "not signed in")
	}
	find := func() map[string]any {
		for _, o := range householdOrders {
			if o["order_id"] == req.Params["order_id"] {
				data := map[string]any{"items": o["items_"+req.Lang]}
				for k, v := range o {
					data[k] = v
				}
				return data
			}
		}
		return nil
	}
	switch req.Action {
	case "list_orders":
		var list []any
		for _, o := range householdOrders {
			item := map[string]any{"items": o["items_"+req.Lang]}
			for k, v := range o {
				item[k] = v
			}
			list = append(list, item)
		}
		return flow.Result{Status: flow.StatusOK, Data: map[string]any{"orders": list, "count": len(list)}}, nil
	case "get_order", "quote_return":
		if o := find(); o != nil {
			o["reasons"] = "quality wrong_item changed_mind other"
			o["refund_amount"] = o["total"]
			return flow.Result{Status: flow.StatusOK, Data: o}, nil
		}
		return flow.Result{Status: "not_found"}, nil
	case "create_return":
		return flow.Result{Status: flow.StatusOK, Data: map[string]any{"return_id": "RT1", "order_id": req.Params["order_id"]}}, nil
	}
	return flow.Result{}, assist.Errorf(assist.ENOTFOUND, "no action %s", req.Action)
}

// A signed-in customer who says what is wrong with something they bought,
// asks whether it can go back or wants a price drop back, naming the
// product, gets that order and what the shop's policy gives it, in words
// the intent model reads as anything: a quality return while its window
// runs (the confirmation then submits it), past it the warranty, past
// that a plain "no" with a way to a person; price protection until the
// shop's date. Nothing is submitted without a yes.
func TestAfterSalesByWhatWasBought(t *testing.T) {
	flows, err := flow.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	type turn struct {
		say       string
		said      said
		want, not []string
	}
	for _, tc := range []struct {
		name     string
		customer string
		turns    []turn
		submits  string // the reason create_return is called with; "" for no call
	}{
		{name: "a fault in the quality window: a quality return, confirmed", customer: "h1", submits: "quality", turns: []turn{
			{say: "the headphones crackle on the left side", said: said{label: "payment_issue"}, want: []string{"DD202612020002", "photo"}},
			{say: "no photos", want: []string{"DD202612020002", "quality problem", "submit"}},
			{say: "yes", want: []string{"RT1"}},
		}},
		{name: "耳机坏了 确认才提交", customer: "h1", submits: "quality", turns: []turn{
			{say: "耳机一边没声音了", said: said{label: nlu.OutOfScope}, want: []string{"DD202612020002", "照片"}},
			{say: "没有", want: []string{"质量问题", "确认"}},
			{say: "确认", want: []string{"RT1"}},
		}},
		{name: "past the quality window: the warranty, from the shop", customer: "h1", turns: []turn{
			{say: "a button came off the coat", said: said{label: "price_protection", top2: "exchange_request"},
				want: []string{"DD202611100003", "2026-12-29", "45 days", "Warranty"}, not: []string{"submit"}},
		}},
		{name: "水壶过了保修期", customer: "h1", turns: []turn{
			{say: "水壶不加热了 能退吗", said: said{label: "return_policy"},
				want: []string{"DD202608010004", "保修期也已结束", "2026-09-03", "转人工"}, not: []string{"确认提交"}},
		}},
		{name: "a wish to return it names the order", customer: "h1", turns: []turn{
			{say: "can i send the headphones back", said: said{label: "order_status"}, want: []string{"DD202612020002", "reason"}},
		}},
		{name: "asked how returns work, the help center answers", customer: "h1", turns: []turn{
			{say: "where do I return the headphones", said: said{label: "return_policy"}, want: []string{"14 days"}, not: []string{"DD2026"}},
		}},
		{name: "a price drop: price protection for the order named", customer: "h1", turns: []turn{
			{say: "大衣现在便宜了100 能退差价吗", said: said{label: "price_protection"}, want: []string{"DD202611100003", "2026-12-10", "价格保护"}},
		}},
		{name: "the order named after a price question", customer: "h1", turns: []turn{
			{say: "can I get a price drop refunded", said: said{label: "price_protection"}, want: []string{"30 days"}},
			{say: "the headphones", said: said{label: nlu.OutOfScope}, want: []string{"DD202612020002", "2026-12-30"}},
		}},
		{name: "price protection over", customer: "h1", turns: []turn{
			{say: "the kettle is cheaper now, can I get the difference", said: said{label: "price_protection"}, want: []string{"DD202608010004", "ended on 2026-08-31"}},
		}},
		{name: "a question right after the warranty is about the warranty", customer: "h1", turns: []turn{
			{say: "a button came off the coat", said: said{label: nlu.OutOfScope}, want: []string{"DD202611100003", "2026-12-29"}},
			{say: "who pays the postage?", said: said{label: "return_policy"}, want: []string{"We pay the postage for warranty repairs"}},
		}},
		{name: "the warranty asked after a refused return, in the other language", customer: "h1", turns: []turn{
			{say: "i want to return the coat", said: said{label: "return_request"}, want: []string{"DD202611100003", "2026-12-29"}},
			{say: "那要是质量问题呢 扣子松了", said: said{label: nlu.OutOfScope}, want: []string{"DD202611100003", "保修期内", "2026-12-29"}},
		}},
		{name: "保修，换了语言问", customer: "h1", turns: []turn{
			{say: "大衣想退货", said: said{label: "return_request"}, want: []string{"DD202611100003", "2026-12-29"}},
			{say: "what if it is a defect, the button came loose", said: said{label: nlu.OutOfScope}, want: []string{"DD202611100003", "under warranty", "2026-12-29"}},
		}},
		{name: "what a return would cost is the help center's", customer: "h1", turns: []turn{
			{say: "if I send the headphones back do I pay the postage?", said: said{label: "return_policy"},
				want: []string{"You pay the postage"}, not: []string{"DD2026"}},
		}},
		{name: "could it go back: a return", customer: "h1", turns: []turn{
			{say: "could the studio headphones still go back? not keen on them", said: said{label: "product_inquiry"}, want: []string{"DD202612020002"}},
		}},
		{name: "going back into a case, in stock, to a price: no return", customer: "h1", turns: []turn{
			{say: "do the headphones go back in the case to charge?", said: said{label: "product_inquiry"}, not: []string{"Returning", "DD2026"}},
			{say: "will the wool coat go back in stock?", said: said{label: "stock_availability"}, not: []string{"Returning", "DD2026"}},
			{say: "does the desk lamp price go back to normal?", said: said{label: "price_protection"}, not: []string{"Returning"}},
			{say: "can the kettle go back on its base while hot?", said: said{label: "product_inquiry"}, not: []string{"Returning"}},
		}},
		{name: "a bare number names no order", customer: "h1", turns: []turn{
			{say: "the lamp stopped working after 2 days", said: said{label: nlu.OutOfScope}, want: []string{"DD202612050001"}, not: []string{"DD202612020002"}},
		}},
		{name: "asked about the warranty: the help center's rule and the order's dates", customer: "h1", turns: []turn{
			{say: "is the coat still under warranty?", said: said{label: "product_inquiry"},
				want: []string{"Clothing: 30 days.", "Sources", "DD202611100003", "2026-12-29"}, not: []string{"submit"}},
		}},
		{name: "what would happen is no fault report", customer: "h1", turns: []turn{
			{say: "what if the headphones arrive broken", said: said{label: "return_policy"}, not: []string{"Returning", "photo", "warranty"}},
		}},
		{name: "not signed in: the help center, and sign in for the order", turns: []turn{
			{say: "my kettle is broken", said: said{label: nlu.OutOfScope}, want: []string{"We pay the postage for warranty repairs", "Sign in"}, not: []string{"DD2026"}},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			shop := &household{}
			engine, err := flow.NewEngine(flows, shop)
			if err != nil {
				t.Fatal(err)
			}
			nl := script{}
			for _, tu := range tc.turns {
				if tu.said.label != "" {
					nl[tu.say] = tu.said
				}
			}
			a := &Assistant{
				NLU: nl,
				KB: &helpCenter{answers: map[string]string{"return": "Return within 14 days.", "price drop": "Within 30 days of payment.",
					"claim the warranty": "We pay the postage for warranty repairs.", "the postage": "You pay the postage for no-reason returns.", "under warranty": "Clothing: 30 days."}},
				Flows: engine,
				Rules: DefaultRules(),
			}
			conv := &assist.Conversation{ID: "c", TenantID: "demo", CustomerRef: tc.customer}
			var st *State
			for i, tu := range tc.turns {
				r, err := a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: tu.say}, State: st})
				if err != nil {
					t.Fatal(err)
				}
				st = r.State
				all := strings.Join(r.Messages, "\n")
				for _, w := range tu.want {
					if !strings.Contains(all, w) {
						t.Errorf("turn %d %q: reply %q, want %q in it", i+1, tu.say, all, w)
					}
				}
				for _, w := range tu.not {
					if strings.Contains(all, w) {
						t.Errorf("turn %d %q: reply %q, want no %q", i+1, tu.say, all, w)
					}
				}
				if r.Handoff != nil {
					t.Errorf("turn %d %q: handed off: %+v", i+1, tu.say, r.Handoff)
				}
			}
			submitted := ""
			for i, c := range shop.calls {
				if c == "create_return" {
					submitted = shop.params[i]["reason"]
				}
			}
			if submitted != tc.submits {
				t.Errorf("create_return reason %q, want %q (calls %v)", submitted, tc.submits, shop.calls)
			}
		})
	}
}

// Whether a used item can go back: the words that say it was used, and
// the question in the A-not-A form too.
func TestUsedReturnQuestion(t *testing.T) {
	for _, tc := range []struct {
		text      string
		used, ask bool
	}{
		{"那件毛衣我洗过一次了 版型不喜欢 还能退吗", true, true},
		{"降噪耳机戴了一周了 音质一般般 能退不", true, true},
		{"电饭煲用了两次 能不能退", true, true},
		{"I've worn them twice, can I return them?", true, true},
		{"毛衣还没穿 能退吗", false, true},
		{"这个能退不", false, true},
		{"Can I return the headphones? I've used them for a week", true, true},
		{"这个没用过 能退吗", false, true},
		{"I haven't used it, can I return it", false, true},
		{"Never worn, can I still return the coat", false, true},
	} {
		if got := saysUsed(tc.text); got != tc.used {
			t.Errorf("saysUsed(%q) = %v, want %v", tc.text, got, tc.used)
		}
		if got := asksCanReturn.MatchString(tc.text); got != tc.ask {
			t.Errorf("asksCanReturn(%q) = %v, want %v", tc.text, got, tc.ask)
		}
	}
}
