package flow

import (
	"context"
	"fmt"
	"slices"

	"github.com/assistd/assist"
	"github.com/assistd/assist/catalog"
)

// Orders are the customer's orders as the shop backend lists them
// (list_orders in the action contract) and those a message names, read
// with the rules of an offer (refer): by what was bought, its state, its
// day or its price.
type Orders struct {
	List  []map[string]any // the customer's orders, newest first
	Meant []int            // indexes into List of the orders the message names
	Named bool             // the message names an order at all (Meant is empty when none fits)
	// ByName is set when Meant are named by what they are (a product, the
	// head noun of a name: "lamp", "耳机"; not a colour or a word such as
	// "standard" or "home"), as the newest or by the price paid ("the 799
	// thing"), not only by their state, day or options.
	ByName bool
	// Result is list_orders' answer, for Input.Listed.
	Result *Result
}

// Order returns the order_id of List[i].
func (o Orders) Order(i int) string { return asText(o.List[i]["order_id"]) }

// Items returns how List[i] is shown in lang: its items and options.
func (o Orders) Items(i int, lang string) string {
	if s := asText(o.List[i]["items_"+catalog.Lang(lang)]); s != "" {
		return s
	}
	return asText(o.List[i]["items"])
}

// NamedOrders lists in.CustomerRef's orders (in.Listed when set) and
// reads in for the ones it names. Errors: EINVALID without a customer; EUNAVAILABLE without a
// backend or when it fails; a wrapped ctx.Err().
func (e *Engine) NamedOrders(ctx context.Context, in Input) (Orders, error) {
	if in.CustomerRef == "" {
		return Orders{}, assist.Errorf(assist.EINVALID, "listing orders: the conversation has no customer")
	}
	if e.backend == nil {
		return Orders{}, assist.Errorf(assist.EUNAVAILABLE, "no shop backend is configured")
	}
	if in.Listed != nil {
		return e.named(in, in.Listed), nil
	}
	res, err := e.backend.Call(ctx, Request{
		Action:         "list_orders",
		TenantID:       in.TenantID,
		ConversationID: in.ConversationID,
		CustomerRef:    in.CustomerRef,
		Lang:           catalog.Lang(in.Lang),
		IdempotencyKey: fmt.Sprintf("%s/orders/%d", in.ConversationID, in.Turn),
	})
	if err != nil {
		if ctx.Err() != nil {
			return Orders{}, fmt.Errorf("listing orders: %w", ctx.Err())
		}
		return Orders{}, assist.Wrap(assist.EUNAVAILABLE, err, "listing orders")
	}
	if res.Status == "" {
		return Orders{}, assist.Errorf(assist.EUNAVAILABLE, "list_orders answered without a status")
	}
	return e.named(in, &res), nil
}

// named reads in against the orders of res.
func (e *Engine) named(in Input, res *Result) Orders {
	list := (&Offer{List: "orders", Value: "order_id"}).all(res)
	meant, named, byName := referBy(in, list, e.now())
	return Orders{List: list, Meant: meant, Named: named, ByName: byName, Result: res}
}

// Admits reports whether flow name serves an order in the state of item:
// the flow offers the customer's orders and its offer takes that status
// ({status: [delivered]} for a return; any status when it names none).
// A flow that offers no orders admits none.
func (e *Engine) Admits(name string, item map[string]any) bool {
	f, ok := e.flows[name]
	if !ok {
		return false
	}
	for _, st := range f.Steps {
		if st.Offer == nil || st.Offer.List != "orders" {
			continue
		}
		statuses, ok := st.Offer.Where["status"]
		return !ok || slices.Contains(statuses, asText(item["status"]))
	}
	return false
}
