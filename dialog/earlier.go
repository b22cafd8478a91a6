package dialog

import (
	"context"
	"maps"

	"github.com/assistd/assist/nlu"
)

// Customers often say what they bought first and what they want after
// ("我金卡会员 毛衣收到袖子上有个洞…" then "退货 质量问题 照片我拍了"; "the
// kettle stopped heating" then "ok i want to return it"): the flow then
// started would offer every order it serves, though the product named a
// turn or two before picks one of them.

// earlierTurns is how many turns back a product the customer named still
// picks the order of a flow started now.
const earlierTurns = 3

// earlierOrder returns carry with the order of the product the customer
// named in the last earlierTurns turns when flow name is about to start
// with no order known, the message names no order of its own, and that
// product is in exactly one of the customer's orders, one the flow serves
// (Engine.Admits); else carry unchanged.
func (tr *turn) earlierOrder(ctx context.Context, name string, carry map[string]string) map[string]string {
	st := tr.st
	sku := st.Entities["product"]
	if sku == "" || carry["order_id"] != "" || carry["tracking_number"] != "" || st.ProductTurn >= st.Turns ||
		st.Turns-st.ProductTurn > earlierTurns || tr.conv == nil || tr.conv.CustomerRef == "" {
		return carry
	}
	for _, e := range tr.res.Entities {
		switch e.Type {
		case "order_id", "tracking_number", "product":
			return carry
		}
	}
	now, ok, _ := tr.namedOrders(ctx, tr.input())
	if !ok || now.Named {
		return carry // "the other one", "the one from monday": the message says which
	}
	in := tr.input()
	in.Text, in.Entities = "", []nlu.Entity{{Type: "product", Value: sku}}
	then, ok, _ := tr.namedOrders(ctx, in)
	if !ok || !then.ByName || len(then.Meant) != 1 || !tr.a.Flows.Admits(name, then.List[then.Meant[0]]) {
		return carry
	}
	out := maps.Clone(carry)
	if out == nil {
		out = map[string]string{}
	}
	out["order_id"] = then.Order(then.Meant[0])
	return out
}

// earlierProduct returns the product the customer named in the last
// earlierTurns turns when this message names no order, parcel or product
// of its own; ok is false otherwise.
func (tr *turn) earlierProduct() (string, bool) {
	st := tr.st
	sku := st.Entities["product"]
	if sku == "" || st.ProductTurn >= st.Turns || st.Turns-st.ProductTurn > earlierTurns {
		return "", false
	}
	for _, e := range tr.res.Entities {
		switch e.Type {
		case "order_id", "tracking_number", "product":
			return "", false
		}
	}
	return sku, true
}
