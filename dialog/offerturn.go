package dialog

import (
	"context"
	"slices"

	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/nlu"
)

// otherOrderAtOffer serves a follow-up about another order while run
// waits only for the answer to its offer of a person ("…shall I get a
// colleague to contact the courier?" → "oh ok. and the kids sneakers from
// last month??", "哦 那充电器那单呢？"): the message names, by what was
// bought, one of the customer's orders other than run's, and no task in
// words. The task is over but for the offer, which the customer has
// passed over: run is dropped and that order's status given, as a
// follow-up after a status would be (statusagain.go). ok is false
// otherwise.
func (tr *turn) otherOrderAtOffer(ctx context.Context, run *flow.Run) (Reply, bool, error) {
	a := tr.a
	if !a.Flows.OffersPerson(run) || !isFollowUp(tr.text) || tr.conv == nil || tr.conv.CustomerRef == "" {
		return Reply{}, false, nil
	}
	if k := tr.keywordIntent(); k != "" && !slices.Contains(statusIntents, k) {
		return Reply{}, false, nil // "and can you cancel the lamp?": another task, named
	}
	current := a.Flows.EntitySlots(run)["order_id"]
	input := tr.input()
	orders, err := tr.namedOrders(ctx, input)
	if err != nil {
		return Reply{}, false, ctx.Err()
	}
	if !orders.ByName || len(orders.Meant) != 1 || orders.Order(orders.Meant[0]) == current {
		return Reply{}, false, nil
	}
	label := "order_status"
	if trackCue.MatchString(tr.text) {
		label = trackIntent
	}
	name, ok := a.Flows.ForIntent(label)
	if !ok {
		return Reply{}, false, nil
	}
	id := orders.Order(orders.Meant[0])
	tr.st.Flow, tr.st.Offered = nil, ""
	tr.label, tr.settled = label, true
	tr.st.renote(label)
	input.Intent = nlu.Intent{Label: label, Confidence: 1, Source: "dialog"}
	input.Listed = tr.listed
	input.Entities = append(slices.Clone(input.Entities), nlu.Entity{Type: "order_id", Value: id, Text: id})
	next, out, err := a.Flows.Start(ctx, name, input, nil)
	if err != nil {
		return Reply{}, false, err
	}
	return tr.flowReply(ctx, next, out, nil), true, nil
}
