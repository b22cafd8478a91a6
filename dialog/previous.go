package dialog

import (
	"context"
	"fmt"
	nlutext "github.com/assistd/assist/nlu/text"
	"slices"
	"strings"
)

// Customers walk back through their orders one at a time: "上一单呢"
// after the newest order's status, "and the one before that?", "前面那单
// 发货了吗". The order meant is the one placed just before the order the
// conversation is about (the last one shown), or, when none was shown,
// the customer's newest but one ("my previous order" is the one before
// the order being placed now, i.e. the newest: "我上一单到哪了" with no
// order shown yet asks about the newest). The shop lists the orders
// newest first (list_orders), so "before" is the next one in that list.

// previousCue names the order placed before another.
var previousCue = nlutext.MustPattern(`\b(the (one|order) before( that| this| it)?|previous (one|order)|order before( that| this)?|one before that|before that one)\b` +
	`|上一(单|个订单|笔|个单)|前一(单|个订单|笔)|再往前|更早的?那(单|个订单)|之前那一?单|前面那(单|个订单)`)

// previousOrder answers a message naming the order before the one the
// conversation is about; ok is false when the message does not name one
// that way, names an order or product of its own, or there is none.
func (tr *turn) previousOrder(ctx context.Context) (Reply, bool, error) {
	a, st := tr.a, tr.st
	if a.Flows == nil || tr.conv == nil || tr.conv.CustomerRef == "" || !previousCue.MatchString(strings.ToLower(tr.text)) {
		return Reply{}, false, nil
	}
	for _, e := range tr.res.Entities {
		switch e.Type {
		case "order_id", "tracking_number", "product":
			return Reply{}, false, nil // named by itself
		}
	}
	orders, ok, err := tr.namedOrders(ctx, tr.input())
	if err != nil || !ok {
		return Reply{}, false, err
	}
	if orders.ByName {
		return Reply{}, false, nil // "上一单的耳机": the item says which
	}
	at := -1 // the order placed now, before the newest
	if cur := st.Entities["order_id"]; cur != "" {
		at = slices.IndexFunc(orders.List, func(o map[string]any) bool { return asText(o["order_id"]) == cur })
		if at < 0 {
			return Reply{}, false, nil // the order shown is not among the listed: "before" it is unknown
		}
	}
	if at+1 >= len(orders.List) {
		return Reply{}, false, nil
	}
	prev := orders.Order(at + 1)
	label := tr.previousTask()
	name, ok := a.Flows.ForIntent(label)
	if !ok {
		return Reply{}, false, nil
	}
	tr.label, tr.settled, st.Clarify = label, true, nil
	st.renote(label)
	carry := map[string]string{"order_id": prev}
	run, out, err := a.Flows.Start(ctx, name, tr.input(), carry)
	if err != nil {
		return Reply{}, false, fmt.Errorf("starting flow %s: %w", name, err)
	}
	return tr.flowReply(ctx, run, tr.sayWhich(run, out), nil), true, nil
}

// previousTask is the task asked for the earlier order: the one the
// message names (by keyword, or the model when sure), else the task just
// answered ("上一单呢" after a status), else its status.
func (tr *turn) previousTask() string {
	a, in := tr.a, tr.res.Intent
	if k := tr.keywordIntent(); a.isTask(k) {
		if _, ok := a.Flows.ForIntent(k); ok {
			return k
		}
	}
	if sure(in) && a.isTask(in.Label) && !isFollowUp(tr.text) {
		if _, ok := a.Flows.ForIntent(in.Label); ok {
			return in.Label
		}
	}
	if st := tr.st; st.Done != "" && st.DoneTurn == st.Turns-1 {
		if f, ok := a.Flows.Flow(st.Done); ok && len(f.Intents) > 0 {
			return f.Intents[0]
		}
	}
	return "order_status"
}
