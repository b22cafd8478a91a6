package dialog

import (
	"context"
	"strings"

	nlutext "github.com/assistd/assist/nlu/text"
)

// A refund asked about by what was bought ("oh and my towel refund went
// through right?", "did i get the full 159 back for the firm one?", "耳机
// 那单的钱退了没"): the intent model often reads such a message as the
// last topic, a promotion or nothing at all, and the help center then
// answers something general. Read against the signed-in customer's
// orders (the offers' resolver), a message that asks about getting money
// back and names exactly one order is that order's refund (the refund
// flow); a question on how refunds work ("how long do refunds take")
// names no order and goes on as usual.

// refundCue asks about money coming back.
var refundCue = nlutext.MustPattern(`(?i)\brefund(s|ed)?\b|\bmoney back\b|\b(get|got|getting|gotten|receive|received)\b[^.?!]{0,25}\bback\b|\breimburs\w*|` +
	// "has the money for my towels come back", "was the cash credited"
	`\b(money|cash|payment)\b[^.?!]{0,30}\b(come|came|coming|gone|went) back\b|\b(paid|credited) back\b|\b(money|cash)\b[^.?!]{0,30}\bcredited\b|` +
	`退款|退钱|钱.{0,4}(退|回来|到账)|退.{0,3}钱`)

// refundOfNamed answers such a question with the refund of the order it
// names; ok is false when the message is not one.
func (tr *turn) refundOfNamed(ctx context.Context) (Reply, bool, error) {
	a := tr.a
	if a.Flows == nil || tr.conv == nil || tr.conv.CustomerRef == "" {
		return Reply{}, false, nil
	}
	low := strings.ToLower(tr.text)
	if !refundCue.MatchString(low) || !asksSomewhere(tr.text) && !statusCue.MatchString(low) || asksWhatIf(tr.text) || asksHowItWorks(tr.text) {
		return Reply{}, false, nil
	}
	if k := tr.keywordIntent(); k != "" && k != refundIntent && a.isTask(k) {
		return Reply{}, false, nil // "refund or exchange the boots?": another task named
	}
	in := tr.res.Intent
	if sure(in) && a.isTask(in.Label) && in.Label != refundIntent && in.Confidence >= SureConfidence {
		return Reply{}, false, nil // the model is sure of another task
	}
	name, ok := a.Flows.ForIntent(refundIntent)
	if !ok {
		return Reply{}, false, nil
	}
	input := tr.input()
	orders, ok, err := tr.namedOrders(ctx, input)
	if err != nil || !ok {
		return Reply{}, false, err
	}
	if !orders.Named || len(orders.Meant) != 1 || !a.Flows.Admits(name, orders.List[orders.Meant[0]]) {
		return Reply{}, false, nil
	}
	return tr.startOrders(ctx, name, refundIntent, aboutOrder(input, orders.Order(orders.Meant[0])))
}
