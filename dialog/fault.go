package dialog

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"github.com/assistd/assist/nlu"
)

// After-sales by what was bought. A signed-in customer says what is wrong
// with something they bought ("榨汁机坏了 按了没反应", "my blender just
// stopped working"), asks whether "that X" can go back ("那件毛衣可以退吗"),
// or wants a price drop back ("大衣现在便宜了100 能退差价吗"), naming the
// product, not the order; the intent model reads such messages as anything
// (a payment issue, a verification code, the order's status). afterSales
// reads them against the customer's orders (namedOrders, the resolver of
// the flows' offers) and, when one names an order by what it is, starts
// the after-sales path for that order:
//
//   - a fault (the return flow's quality or wrong-item reason names it: the
//     fault vocabulary lives in one place, the flow file) or a wish to
//     return it: the return flow, whose steps follow the shop's policy
//     (get_order, quote_return): a no-reason return within its window, a
//     quality return within the quality window, and past both the order's
//     warranty by its category, as the shop's backend gives it;
//   - a price drop (priceWish), or an order named right after a question
//     about price protection: the price_protection flow, which says until
//     when the order is protected and where to claim.
//
// A customer who is not signed in, a message naming no order by what it
// is, and one the model places in another task with a flow of its own
// (a cancellation, a refund's status) go on as usual. A VIP's grievance
// about the fault (vipGrievance) is answered first here: the bot puts it
// right at once, with an apology, and a person stays on offer.

// returnWish asks to send something back ("能退吗", "can I return the
// sweater", "send it back"), not for a refund's status or a price
// difference (priceWish is read first).
var returnWish = regexp.MustCompile(`(?i)退货|退掉|退回|退了吧|能退|可以退|能不能退|可不可以退|想退|要退|申请退|退得了|` +
	`\breturn(ing)?\b|\bsend(ing)? ([a-z']+ ){0,3}back\b|\btake (it |them )?back\b`)

// priceWish asks for a price drop back.
var priceWish = regexp.MustCompile(`(?i)差价|价保|价格保护|降价|便宜了|买贵了|` +
	`\bprice (protection|drop|dropped|went down|difference|adjustment|match)\b|\bcheaper\b|\bdropped in price\b|\bthe difference\b|\bprice has dropped\b`)

// remedyWords name what the shop does about a fault ("so you'll replace
// it?", "能保修吗", "can you fix it").
var remedyWords = regexp.MustCompile(`(?i)\b(replace|replacement|repair|fix|exchange|swap|warranty)\w*|保修|维修|修好|修一下|更换|换货|换一个|换个新|换新`)

// howTo asks how something is done rather than to do it.
var howTo = regexp.MustCompile(`(?i)^\W*(where|how) (do|can|should|would) (i|we|you)\b|怎么|如何|在哪`)

// after-sales paths.
const (
	pathReturn = "return_request"   // the return flow's intent: a return, a quality return, the warranty
	pathPrice  = "price_protection" // the price_protection flow (and help-center intent)
)

// afterSales starts the after-sales path for the order a signed-in
// customer's message names by what was bought (see above); ok is false
// when the message is not such a request.
func (tr *turn) afterSales(ctx context.Context) (Reply, bool, error) {
	a, st := tr.a, tr.st
	if a.Flows == nil || st.Flow != nil || tr.conv == nil || tr.conv.CustomerRef == "" {
		return Reply{}, false, nil
	}
	if r, ok, err := tr.onPriceAnswer(ctx); err != nil || ok {
		return r, ok, err
	}
	if r, ok, err := tr.askRemedy(ctx); err != nil || ok {
		return r, ok, err
	}
	path, given := tr.afterSalesPath()
	if path == "" {
		return Reply{}, false, nil
	}
	name, ok := tr.pathFlow(path)
	if !ok {
		return Reply{}, false, nil
	}
	for _, e := range tr.res.Entities {
		if e.Type == "order_id" || e.Type == "tracking_number" {
			return Reply{}, false, nil // the intent's flow takes the number
		}
	}
	input := tr.input()
	var id, items string
	orders, err := tr.namedOrders(ctx, input)
	if err != nil {
		if ctx.Err() != nil {
			return Reply{}, false, err
		}
		return Reply{}, false, nil // no list: the turn goes on as usual
	}
	if !orders.ByName || len(orders.Meant) == 0 {
		return Reply{}, false, nil // no order named by what it is
	}
	if len(orders.Meant) == 1 {
		i := orders.Meant[0]
		id, items = orders.Order(i), orders.Items(i, tr.lang)
		// The order, as if its number were given: the flow takes it
		// whatever its state (an offer would show only returnable
		// ones), and says what applies to it.
		input.Entities = append(slices.Clone(input.Entities), nlu.Entity{Type: "order_id", Value: id, Text: id})
	}
	// Several: the flow offers only those (its offer reads the same words).
	input.Given = given
	if tr.after != nil && tr.after.Reason == ReasonVIPComplaint {
		tr.upset = true // the bot puts it right at once; a person stays on offer
	}
	tr.label, tr.settled, st.Clarify, st.Offered, st.OfferedTask = path, true, nil, "", ""
	if path == pathPrice && priceWish.MatchString(strings.ToLower(tr.text)) {
		st.Question = tr.masked() // the topic of a question asked on about it
	}
	st.renote(path)
	input.Intent = nlu.Intent{Label: path, Confidence: 1, Source: "dialog"}
	input.Listed = tr.listed
	run, out, err := a.Flows.Start(ctx, name, input, nil)
	if err != nil {
		return Reply{}, false, err
	}
	var before []string
	if id != "" && items != "" && run != nil && !out.Done && out.Handoff == nil && !slices.ContainsFunc(out.Messages, func(m string) bool { return strings.Contains(m, id) }) {
		// The flow asks on (a reason, photos) without saying which order
		// it took: say so first.
		before = append(before, tr.say("aftersales.order", "order", id, "items", items))
	}
	if tr.upset && run != nil && !out.Done && out.Handoff == nil {
		// The flow's question comes last; a person is on offer before it
		// (afterAnswer offers one only once no flow waits).
		before = append(before, tr.say("upset.offer"))
	}
	return tr.flowReply(ctx, run, out, before), true, nil
}

// afterSalesPath returns the after-sales path the message asks for
// (pathReturn, pathPrice) and the return reason it gives, if any; "" when
// it asks for none, or the model is sure of another task with a flow of
// its own.
func (tr *turn) afterSalesPath() (string, map[string]string) {
	a, in := tr.a, tr.res.Intent
	low := strings.ToLower(tr.text)
	sure := !in.Ambiguous && in.Label != "" && in.Label != nlu.OutOfScope
	if sure && in.Label != pathReturn && in.Label != pathPrice && !slices.Contains(statusIntents, in.Label) {
		if _, ok := a.Flows.ForIntent(in.Label); ok {
			return "", nil // "cancel the lamp", "the shirt I sent back, was I refunded?"
		}
	}
	returns, _ := a.Flows.ForIntent(pathReturn)
	reason := a.Flows.Option(returns, "reason", tr.text)
	switch {
	case priceWish.MatchString(low):
		return pathPrice, nil
	case reason == "quality" || reason == "wrong_item":
		return pathReturn, map[string]string{"reason": reason} // a fault
	case returnWish.MatchString(low) && !(sure && a.isKnowledge(in.Label) && howTo.MatchString(low)):
		// "where do I return the desk lamp" asks how returns work: the
		// help center's.
		return pathReturn, nil // the flow reads a reason the message gives itself
	case tr.priceTopic():
		return pathPrice, nil
	}
	return "", nil
}

// priceTopic reports whether the message continues a question about
// price protection ("就那件驼色的羊毛大衣" after "能退差价吗"): the model
// places it there, or the last turn was about it and the message is short.
func (tr *turn) priceTopic() bool {
	in, st := tr.res.Intent, tr.st
	if !in.Ambiguous && in.Label == pathPrice {
		return true
	}
	if !isShort(tr.text, tr.res.Entities) {
		return false
	}
	for _, n := range st.Intents {
		if n.Turn == st.Turns-1 && n.Label == pathPrice {
			return true
		}
	}
	return false
}

// pathFlow returns the flow that serves an after-sales path.
func (tr *turn) pathFlow(path string) (string, bool) {
	if name, ok := tr.a.Flows.ForIntent(path); ok {
		return name, true
	}
	if _, ok := tr.a.Flows.Flow(path); ok {
		return path, true // a flow the dialog starts, no intent's own
	}
	return "", false
}

// onPriceAnswer answers from the help center a question asked right after
// an order's price protection ("and where does the money go"), on that
// topic, rather than as a new task for the same order.
func (tr *turn) onPriceAnswer(ctx context.Context) (Reply, bool, error) {
	a, st := tr.a, tr.st
	asks := isQuestion(tr.text) || asksFact(tr.text)
	if a.KB == nil || st.Done != pathPrice || st.DoneTurn != st.Turns-1 || !asks || tr.namesOrder() || !isShort(tr.text, tr.res.Entities) {
		return Reply{}, false, nil
	}
	tr.label, tr.question, tr.settled = pathPrice, tr.text, true
	st.renote(pathPrice)
	ans, err := tr.ask(ctx)
	if err != nil || !ans.Known {
		return Reply{}, false, err
	}
	return tr.answered(ans), true, nil
}

// askRemedy answers a question about the remedy ("so you'll replace it?",
// "能换个新的吗") asked right after the return path answered for an
// order, with that order's after-sales path again (what the shop does
// for it now: a return, or its warranty and how to claim), rather than as
// a new request the bot cannot serve (an exchange).
func (tr *turn) askRemedy(ctx context.Context) (Reply, bool, error) {
	a, st := tr.a, tr.st
	name, ok := a.Flows.ForIntent(pathReturn)
	if !ok || st.Done != name || st.DoneTurn != st.Turns-1 || st.Entities["order_id"] == "" {
		return Reply{}, false, nil
	}
	if !remedyWords.MatchString(tr.text) || !(isQuestion(tr.text) || asksFact(tr.text)) || !isShort(tr.text, tr.res.Entities) {
		return Reply{}, false, nil
	}
	for _, e := range tr.res.Entities {
		if e.Type == "order_id" && e.Value != st.Entities["order_id"] {
			return Reply{}, false, nil // another order
		}
	}
	tr.label, tr.settled, st.Clarify = pathReturn, true, nil
	st.renote(pathReturn)
	r, err := tr.start(ctx, name, nil)
	return r, err == nil, err
}
