package dialog

import (
	"context"
	nlutext "github.com/assistd/assist/nlu/text"
	"slices"
	"strings"
)

// Customers ask which of their orders holds what they bought ("is the
// lamp in the same order or separate", "拖鞋和卫衣是一单吗", "which order
// is the mouse in"): the shop's list of their orders says, and the order
// the conversation is about (the last one shown) is the one "same" means.
// The answer becomes the order the conversation is about, so "can you
// just cancel the whole thing" next acts on it.

// whichCue asks which order holds something, or whether two things are
// in one order.
var whichCue = nlutext.MustPattern(`\b(same|separate|different|which|what|one|another) (order|parcel|package|box|shipment|delivery)\b|\bseparate(ly)?\b|\bin (that|this) (one|parcel|package|box) too\b|\b(in|on) (one|the same) (order|parcel)\b` +
	`|同一个?(订单|单|包裹)|是不?是?一(个订|)单|在一个(订单|包裹)|一起(发|寄|到|送)|分开(发|寄|送|的)|哪个订单里|哪一?单里|在哪个订单|另一个?单|[也都]在(这|那)个?(包裹|单|订单)|[也都]在里(面|边|头)|一块儿?(发|寄|到|送)`)

// whichOrder answers such a question for the orders the message names by
// what was bought; ok is false when the message is not one.
func (tr *turn) whichOrder(ctx context.Context) (Reply, bool, error) {
	a, st := tr.a, tr.st
	if a.Flows == nil || tr.conv == nil || tr.conv.CustomerRef == "" || !whichCue.MatchString(strings.ToLower(tr.text)) {
		return Reply{}, false, nil
	}
	for _, e := range tr.res.Entities {
		if e.Type == "order_id" || e.Type == "tracking_number" {
			return Reply{}, false, nil // the order is named: its own question
		}
	}
	if !asksSomewhere(tr.text) && !confirmsEnd.MatchString(tr.text) {
		return Reply{}, false, nil // "袜子也在里面吧" asks to be told yes
	}
	if asksRule(tr.text) {
		return Reply{}, false, nil // "同一单的袜子要是不合脚 可以退不": a return's rule (ruleask.go)
	}
	in := tr.res.Intent
	for _, l := range []string{tr.keywordIntent(), in.Label} {
		if a.isTask(l) && !slices.Contains(statusIntents, l) && (l != in.Label || sure(in)) {
			return Reply{}, false, nil // "耳机和充电器一起退": a task for them
		}
	}
	orders, ok, err := tr.namedOrders(ctx, tr.input())
	if err != nil || !ok {
		return Reply{}, false, err
	}
	if !orders.ByName || len(orders.Meant) == 0 {
		return Reply{}, false, nil
	}
	current := st.Entities["order_id"]
	var r Reply
	var about string
	for _, i := range orders.Meant {
		id, items := orders.Order(i), orders.Items(i, tr.lang)
		key := "orders.in"
		switch {
		case current == "":
		case id == current:
			key = "orders.same"
		default:
			key = "orders.separate"
		}
		if about == "" || id == current {
			about = id
		}
		r.add(tr.say(key, "order", id, "items", items), nil)
	}
	if len(r.Messages) > 1 {
		lines := r.Messages
		if current == "" {
			// "卫衣和跑鞋是一单吗": not one order.
			lines = append([]string{tr.say("orders.apart")}, lines...)
		}
		r = Reply{Messages: []string{strings.Join(lines, "\n")}}
	}
	if st.Entities == nil {
		st.Entities = map[string]string{}
	}
	st.Entities["order_id"] = about
	// The order is now the topic, as after its status: a follow-up ("can
	// you just cancel the whole thing", "when does it come") is about it.
	if name, ok := a.Flows.ForIntent("order_status"); ok {
		st.Done, st.DoneTurn, st.DoneSay = name, st.Turns, ""
	}
	tr.label, tr.settled = "order_status", true
	st.renote(tr.label)
	return r, true, nil
}

// confirmsEnd closes a clause asking to be told yes ("也在里面吧").
var confirmsEnd = nlutext.MustPattern(`吧[~～?？]*\s*$`)
