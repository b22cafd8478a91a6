package dialog

import (
	"context"
	"slices"
	"strings"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/nlu"
)

// While a task waits for the customer about an order ("Shall I get a
// person from our support team to contact the courier?", "What's the reason for the
// return?"), the customer often asks about that order first ("ugh. ok
// when does it arrive then", "那它现在到哪了"). Such a question names no
// other order: it is answered for the order of the task in progress, by
// the status or tracking flow run to its end on the side, and the task's
// question is asked again; the task stays where it was.

// refundIntent asks where an order's refund is.
const refundIntent = "refund_status"

// asideIntents are the questions about an order answered on the side:
// its status, its parcel, its refund.
var asideIntents = append(slices.Clone(statusIntents), refundIntent)

// asideStatus answers a status or tracking question about the order of
// run, the flow waiting for the customer, then asks run's question again;
// ok is false when the message is not such a question.
func (tr *turn) asideStatus(ctx context.Context, run *flow.Run) (Reply, bool, error) {
	a := tr.a
	if _, ok := a.Flows.Flow(run.Flow); !ok {
		return Reply{}, false, nil
	}
	order := a.Flows.EntitySlots(run)["order_id"]
	if order == "" || tr.namesOrderAfresh() {
		// "查一下订单状态" names an order of its own in words: another
		// request, not a question about this one.
		return Reply{}, false, nil
	}
	if slices.ContainsFunc(tr.res.Entities, func(e nlu.Entity) bool { return e.Type == "product" }) {
		// Named by what was bought: another order, unless only the one
		// in hand has it ("is the cardigan in that order too").
		orders, ok, err := tr.namedOrders(ctx, tr.input())
		if err != nil {
			return Reply{}, false, err
		}
		if !ok || !orders.ByName || len(orders.Meant) != 1 || orders.Order(orders.Meant[0]) != order {
			return Reply{}, false, nil
		}
	}
	in, low := tr.res.Intent, strings.ToLower(tr.text)
	placed := !in.Ambiguous && slices.Contains(asideIntents, in.Label)
	if !placed && !(statusCue.MatchString(low) && isQuestion(tr.text)) {
		return Reply{}, false, nil
	}
	if k := tr.keywordIntent(); k != "" && !slices.Contains(asideIntents, k) {
		return Reply{}, false, nil // "can I return it once it arrives": another task
	}
	label := "order_status"
	switch {
	case in.Label == refundIntent && placed:
		label = refundIntent // "when do I get my money back", during a return
	case in.Label == trackIntent && placed || trackCue.MatchString(low) || whereCue.MatchString(low):
		label = trackIntent
	}
	return tr.onTheSide(ctx, run, label, order)
}

// onTheSide answers question label (a status, tracking or refund intent)
// about order by its flow run to its end on the side, then asks run's
// question again; ok is false when that flow is run itself or would need
// questions of its own.
func (tr *turn) onTheSide(ctx context.Context, run *flow.Run, label, order string) (Reply, bool, error) {
	a := tr.a
	name, ok := a.Flows.ForIntent(label)
	if !ok || name == run.Flow {
		return Reply{}, false, nil // the task itself: its own answer
	}
	input := tr.input()
	input.Intent = nlu.Intent{Label: label, Confidence: 1, Source: "dialog"}
	side, out, err := a.Flows.Start(ctx, name, input, map[string]string{"order_id": order})
	if err != nil {
		return Reply{}, false, err
	}
	if side == nil || !out.Done || out.Handoff != nil || len(out.Messages) == 0 {
		return Reply{}, false, nil // the aside would need questions of its own
	}
	var r Reply
	for i, m := range out.Messages {
		var att *assist.Attachments
		if i < len(out.Attachments) {
			att = out.Attachments[i]
		}
		r.add(m, att)
	}
	r.add(tr.reprompt(run))
	return r, true, nil
}

// standsAgain reports whether a short question the model reads as label,
// right after flow name told where an order stands, asks that again:
// both are where-does-it-stand answers (asideIntents: its status, its
// parcel, its refund) and the question names none of them in words, so
// "how many days till it gets here?" after a status, or "那还要多久"
// after a refund's, is about the day just given, not another lookup.
func (tr *turn) standsAgain(name, label string) bool {
	a := tr.a
	if !slices.Contains(asideIntents, label) || tr.keywordIntent() != "" || whereCue.MatchString(strings.ToLower(tr.text)) {
		return false // "那现在到哪了" asks where the parcel is now: its tracking (sameOrder)
	}
	f, ok := a.Flows.Flow(name)
	return ok && slices.ContainsFunc(f.Intents, func(l string) bool { return slices.Contains(asideIntents, l) })
}

// pointingOrder are the order words that point back at the order just
// talked about ("is the cardigan in that order too", "这单发货了吗").
var pointingOrder = []string{"this order", "that order", "这单", "那单"}

// namesOrderAfresh is namesOrder without the words pointing back at the
// order in hand: a number, or an order named anew ("my order", "订单").
func (tr *turn) namesOrderAfresh() bool {
	for _, e := range tr.res.Entities {
		if e.Type == "order_id" || e.Type == "tracking_number" {
			return true
		}
	}
	low := strings.ToLower(tr.text)
	for _, w := range pointingOrder {
		low = strings.ReplaceAll(low, w, " ")
	}
	low = strings.ReplaceAll(low, "那个订单", " ")
	low = strings.ReplaceAll(low, "这个订单", " ")
	for _, w := range orderWords {
		if strings.Contains(low, w) {
			return true
		}
	}
	return false
}

// sameParcel answers, right after an order's state or parcel, whether
// something else bought is in it too ("袜子也在这个包裹里吧", "鼠标也在里面吧",
// "are the socks in the same parcel?") by the orders (whichOrder), before
// the short question is read as the same status asked again.
func (tr *turn) sameParcel(ctx context.Context) (Reply, bool, error) {
	st := tr.st
	if tr.a.Flows == nil || st.Done == "" || st.DoneTurn != st.Turns-1 || !tr.a.flowOfAny(st.Done, statusIntents) {
		return Reply{}, false, nil
	}
	return tr.whichOrder(ctx)
}
