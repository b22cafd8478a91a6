package dialog

import (
	"context"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog/flow"
)

// acting is the closet shop that also changes addresses and cancels
// orders, remembering what it was asked to do.
type acting struct {
	closet
	done []flow.Request
}

func (s *acting) Call(ctx context.Context, req flow.Request) (flow.Result, error) {
	switch req.Action {
	case "change_address":
		s.done = append(s.done, req)
		return flow.Result{Status: flow.StatusOK, Data: map[string]any{"order_id": req.Params["order_id"], "address": req.Params["address"]}}, nil
	case "cancel_order":
		s.done = append(s.done, req)
		return flow.Result{Status: flow.StatusOK, Data: map[string]any{"order_id": req.Params["order_id"]}}, nil
	}
	return s.closet.Call(ctx, req)
}

// At a confirmation, a yes that comes with a correction or a new value
// ("对 改成南京路2号" to the old address, "yes, but the other order,
// cancel it") confirms nothing on the old value: the bot takes the new
// value or asks again. A yes that only restates the task ("嗯 跑鞋那个 就
// 改成这个地址", "yes, the lamp one. change it to that address") confirms.
func TestYesWithACorrectionConfirmsNothingOld(t *testing.T) {
	flows, err := flow.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	const oldZH, oldEN = "杭州市西湖区文三路90号 张伟 13812345601", "88 Huaihai Road, Xuhui District, Shanghai, James Wilson 13612345604"
	for _, tc := range []struct {
		name    string
		first   string
		said1   said
		then    string
		said2   said
		action  string
		confirm bool   // the action is done
		not     string // a param value the action must not be done with
	}{
		{name: "zh new address", first: "DD202612050001地址改一下 " + oldZH,
			said1: said{label: "change_address", entities: map[string]string{"DD202612050001": "order_id"}},
			then:  "对 改成南京路2号", said2: said{label: "change_address"}, action: "change_address", not: oldZH},
		{name: "zh new address, longer", first: "DD202612050001地址改一下 " + oldZH,
			said1: said{label: "change_address", entities: map[string]string{"DD202612050001": "order_id"}},
			then:  "是的 不过换成上海市黄浦区南京东路200号 李雷 13900000000", said2: said{label: "change_address"}, action: "change_address", not: oldZH},
		{name: "en new address", first: "change the address of DD202612050001 to " + oldEN,
			said1: said{label: "change_address", entities: map[string]string{"DD202612050001": "order_id"}},
			then:  "yes, actually make it 12 Nanjing Road, Shanghai", said2: said{label: "change_address"}, action: "change_address", not: oldEN},
		{name: "en the other order", first: "cancel DD202612050001",
			said1: said{label: "cancel_order", entities: map[string]string{"DD202612050001": "order_id"}},
			then:  "yes, but the other order, cancel it", said2: said{label: "cancel_order"}, action: "cancel_order", not: "DD202612050001"},
		{name: "zh the other order", first: "取消DD202612050001",
			said1: said{label: "cancel_order", entities: map[string]string{"DD202612050001": "order_id"}},
			then:  "对 不过是另一个订单 取消吧", said2: said{label: "cancel_order"}, action: "cancel_order", not: "DD202612050001"},
		// Restating the task is a yes.
		{name: "zh restated", first: "DD202612050001地址改一下 " + oldZH,
			said1: said{label: "change_address", entities: map[string]string{"DD202612050001": "order_id"}},
			then:  "嗯 台灯那个 就改成这个地址", said2: said{label: "change_address"}, action: "change_address", confirm: true},
		{name: "en restated", first: "change the address of DD202612050001 to " + oldEN,
			said1: said{label: "change_address", entities: map[string]string{"DD202612050001": "order_id"}},
			then:  "yes, the lamp one. change it to that address", said2: said{label: "change_address"}, action: "change_address", confirm: true},
		{name: "en cancel restated", first: "cancel DD202612050001",
			said1: said{label: "cancel_order", entities: map[string]string{"DD202612050001": "order_id"}},
			then:  "yes, cancel that order", said2: said{label: "cancel_order"}, action: "cancel_order", confirm: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			shop := &acting{}
			engine, err := flow.NewEngine(flows, shop)
			if err != nil {
				t.Fatal(err)
			}
			a := &Assistant{NLU: script{tc.first: tc.said1, tc.then: tc.said2}, Flows: engine, Rules: DefaultRules()}
			conv := &assist.Conversation{ID: "c", TenantID: "demo", CustomerRef: "c1"}
			r, err := a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: tc.first}})
			if err != nil {
				t.Fatal(err)
			}
			if r.State == nil || r.State.Flow == nil || r.State.Flow.Awaiting != flow.AwaitConfirm {
				t.Fatalf("%q: not at a confirmation: %q", tc.first, r.Messages)
			}
			r, err = a.Respond(context.Background(), Turn{Conversation: conv, Message: &assist.Message{Text: tc.then}, State: r.State})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range shop.done {
				for _, v := range d.Params {
					if tc.not != "" && v == tc.not {
						t.Errorf("%q: %s done with the old %q; reply %q", tc.then, d.Action, v, r.Messages)
					}
				}
			}
			if tc.confirm && len(shop.done) != 1 {
				t.Errorf("%q: %s not done (%v); reply %q", tc.then, tc.action, shop.done, r.Messages)
			}
			t.Logf("%q -> %q", tc.then, r.Messages)
		})
	}
}
