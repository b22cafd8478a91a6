package dialog

import (
	"context"
	nlutext "github.com/assistd/assist/nlu/text"
	"maps"
	"slices"
	"strings"

	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/nlu"
)

// Customers ask about their orders by what they bought ("hi where's my
// desk lamp", "充电器什么时候到", "watch coming today right?") more often
// than by number, in words the intent model often reads as something
// else (a warranty question, stock, a delivery problem). aboutOrders
// reads such a message against the customer's orders from the shop
// (flow.Engine.NamedOrders, the resolver the flows' offers use): when it
// asks where, when, whether shipped or delivered, or for the tracking, and
// names one of them, the order's status (or its tracking) is answered
// for that order; when it names several, the status flow offers only
// those. A request for the list of orders ("what orders do i have",
// "我有哪些订单") runs the status flow, which lists them. A customer who
// is not signed in is told to sign in (the flows' hint), never shown
// orders.

// statusCue finds a question about where an order is or what state it
// is in.
var statusCue = nlutext.MustPattern(`\b(where'?s|wheres|where (is|are|r)|when (will|does|do|is|did|can|would)|when'?s|arriv\w*|deliver(ed|y)?|ship(ped)?|dispatch(ed)?|track(ing)?|coming|(get|be) here|(show|shows|turn|turns) up|on (its|the) way|status|eta|today|tomorrow|tmrw|tmr|tmrow|2moro)\b` +
	// "has the charger left the warehouse yet", not "the left earbud"
	`|\b(has|have|did)\b[^.?!]{0,40}\bleft\b|\bleft (the warehouse|yet|already)\b|\b(sent|gone|out) (out|off|yet)\b` +
	// "my curtains? supposed to come soon", "any news on my keyboard?",
	// "are the curtains nearly here": its arrival, in other words
	`|\b(supposed to|due to|meant to|going to|gonna) (come|arrive|land|get here|be here)\b|\bdue (today|tomorrow|soon|this week|any day)\b|\bany (news|updates?) on\b|\b(nearly|almost) here\b|\bhere yet\b` +
	`|到哪|哪了|到了|到没|能到|会到|到吗|到不|什么时候到|啥时候到|几时到|何时到|发货|发了没|发了吗|没发|发出|出库|签收|送到|送达|物流|快递|单号|状态|到货|寄出|揽收|派送|配送|今天|明天`)

// stateAsk asks whether an order is still there ("床垫那单我还没付款 现在
// 还有效吗", "is my unpaid order still there"): its state, whatever task
// the model guesses at in the payment words. The payment left undone
// alone is no such question ("床垫那个还没付款 现在付还能参加满减吗" asks
// about the discount). "被套那单忘了付 还在不在" asks it in the X不X form
// (stillThereZH).
var stateAsk = nlutext.MustPattern(`\b(still (there|valid|open|active)|expired)\b|还有效|有效吗|失效了?[吗没]|作废了?[吗没]|还在(吗|么|嘛|吧|的吧)|被?自动取消了?[吗没]`)

// asksState reports whether low asks whether an order is still there:
// stateAsk, or 还 before 在 asked as itself ("还在不在", the X不X reading
// of asksNotZH).
func asksState(low string) bool {
	if stateAsk.MatchString(low) {
		return true
	}
	for rest := low; ; {
		i := strings.Index(rest, "还在")
		if i < 0 {
			return false
		}
		rest = rest[i+len("还"):]
		if opensAsItself([]rune(rest)) {
			return true
		}
	}
}

// shipsWhere asks where or whether the shop ships at all ("do u ship to
// canada?", "can you deliver abroad", "你们能寄国外吗"), not about an
// order: a destination follows ("can you send me the tracking number",
// "will you deliver on sunday?" ask about the order).
var shipsWhere = nlutext.MustPattern(`\b(do|does|can|could|will|would) (you|u|ya|the shop)( guys)?( even| also)? (ship|deliver|send|post) (to|abroad|overseas|internationally)\b|\bship(s|ping)? (internationally|abroad|overseas)\b|` +
	`(能|可以|能不能|可不可以)(寄|发|送)(到)?(国外|海外|境外|港澳台)|(寄|发|送)(到)?(国外|海外|境外)`)

// shippedCue asks whether the order has left the warehouse.
var shippedCue = nlutext.MustPattern(`\b(ship(ped)?|dispatch(ed)?|sent out)\b|发货|没发|发了|发出|出库|寄出`)

// trackCue asks for the parcel's tracking rather than the order's state.
var trackCue = nlutext.MustPattern(`\b(tracking|track|courier|carrier)\b|单号|物流|快递|运单`)

// boughtCue points at something the customer bought ("我买的拖鞋是粉色的吧",
// "the lamp i ordered, is it the white one?"): asked about while the model
// cannot place the message, that order's details answer it.
var boughtCue = nlutext.MustPattern(`我买的|我订的|我下单的|我拍的|\bi (ordered|bought)\b|\bthe one i (ordered|bought|got)\b`)

// listCue asks for the list of one's orders.
var listCue = nlutext.MustPattern(`\b(what|which|all|list|show|rundown|overview|summary)\b.*\borders\b|\borders do i have\b` +
	`|(哪些|几个|所有|全部|都有|列一下|列出).{0,4}(订单|单子)|(订单|单子).{0,4}(列表|都有哪些|有哪些)`)

// statusIntents are the intents an order's status answers.
var statusIntents = siblings[0]

// aboutOrders answers a message about the customer's own orders that
// names them by what was bought or asks for their list (see above); ok is
// false when the message is not one, and the turn goes on as usual.
func (tr *turn) aboutOrders(ctx context.Context) (Reply, bool, error) {
	a := tr.a
	if a.Flows == nil {
		return Reply{}, false, nil
	}
	for _, e := range tr.res.Entities {
		if e.Type == "order_id" || e.Type == "tracking_number" {
			return Reply{}, false, nil // the intent's flow takes the number
		}
	}
	if r, ok, err := tr.refundOfNamed(ctx); err != nil || ok {
		return r, ok, err // refundnamed.go: "my towel refund went through right?"
	}
	if tr.asksAbout() {
		return Reply{}, false, nil // "can the rug get stained easily?": the product asked about, not the order (asksabout.go)
	}
	if a.KB != nil && tr.asksCourierPolicy() {
		// "which courier do you use for orders to Hong Kong?": the shop's
		// policy, read here as in dispatch, not her orders (clarify.go).
		return Reply{}, false, nil
	}
	in := tr.res.Intent
	low := strings.ToLower(tr.text)
	// "窗帘到了如果颜色不喜欢 能换吗" (hypothetical.go); "do u ship to
	// canada? my sister wants a hoodie" asks where the shop ships.
	cued := statusCue.MatchString(low) && !asksWhatIf(tr.text) && !shipsWhere.MatchString(low) &&
		!partingDay.MatchString(low) // not "ok thanks, talk tomorrow" (statusagain.go)
	// Whether the order has left ("338那个订单还没发吧", "我499那单还没发货
	// 吧？") is asked of its state; the model, unsure, guesses at the tasks
	// a not yet shipped order invites (a change, a cancellation).
	asksShipped := cued && shippedCue.MatchString(low) && tr.keywordIntent() == ""
	again := tr.continuesStatus(in.Label) // "my keyboard order then", right after a status
	if again != "" && asksDay(low) {
		cued = true // "so tuesday-ish?", "星期几啊": when that order comes (statusagain.go)
		if !isFollowUp(tr.text) && !thenCue.MatchString(low) && !tr.namesOrder() {
			// "周五前ok不": a day asked of that order, not another order
			// named by its day or state ("and the one from friday?"); the
			// day is when it should come, not when it was ordered.
			ents := tr.res.Entities
			tr.res.Entities = slices.DeleteFunc(slices.Clone(ents), func(e nlu.Entity) bool { return e.Type == "date" })
			r, ok, err := tr.sameOrder(ctx, true)
			tr.res.Entities = ents
			if err != nil || ok {
				return r, ok, err
			}
		}
	}
	if !asksShipped {
		if r, ok, err := tr.byOrderState(ctx); err != nil || ok {
			return r, ok, err
		}
	}
	// "床垫那单我还没付款 现在还有效吗": the order's state is asked.
	stateAsked := asksState(low) && asksSomewhere(tr.text) && !asksWhatIf(tr.text)
	sure := !in.Ambiguous && in.Label != "" && in.Label != nlu.OutOfScope
	if sure && !slices.Contains(statusIntents, in.Label) && again == "" && !stateAsked && (in.Confidence >= SureConfidence || !asksShipped) {
		// Another task with its own flow: a return, a refund, a
		// cancellation; not one the model only guesses at.
		if _, ok := a.Flows.ForIntent(in.Label); ok {
			return Reply{}, false, nil
		}
	}
	k := tr.keywordIntent()
	if k != "" && tierClaim.MatchString(low) {
		k = a.keywordIntent(withoutTierClaim(low), nil, true) // not "我铂金会员啊 音箱啥时候到" (tierclaim.go)
	}
	if k != "" && !slices.Contains(statusIntents, k) && !stateAsked {
		return Reply{}, false, nil // "where can I get an invoice for the lamp"
	}
	lists := listCue.MatchString(low)
	asks := cued || stateAsked || sure && slices.Contains(statusIntents, in.Label) ||
		!sure && boughtCue.MatchString(low) && (isQuestion(tr.text) || strings.Contains(tr.text, "吧"))
	label := "order_status"
	if !asks && again != "" {
		label, asks = again, true
	}
	if last := tr.st.lastTopic(a); !asks && slices.Contains(statusIntents, last) && isFollowUp(tr.text) {
		// "ok and the jacket order?" right after an order's status.
		label, asks = last, true
	}
	if !lists && !asks {
		return Reply{}, false, nil
	}
	if asks && (trackCue.MatchString(low) || whereCue.MatchString(low)) {
		// "卫衣到哪了 还在杭州？？", "where's my lamp": where the parcel is
		// is the carrier's latest scan (the tracking), not only a status.
		label = trackIntent
	}
	name, ok := a.Flows.ForIntent(label)
	if !ok {
		return Reply{}, false, nil
	}
	input := tr.input()
	signedIn := input.CustomerRef != ""
	switch {
	case lists && (!asks || !signedIn):
		return tr.startOrders(ctx, name, label, input)
	case !signedIn:
		// Not signed in: a product of the catalogue asked about is an
		// order the flow cannot see; it says to sign in.
		if slices.ContainsFunc(tr.res.Entities, func(e nlu.Entity) bool { return e.Type == "product" }) {
			return tr.startOrders(ctx, name, label, input)
		}
		return tr.sameOrder(ctx, cued)
	}
	orders, ok, err := tr.namedOrders(ctx, input)
	if err != nil || !ok {
		return Reply{}, false, err // no list: the turn goes on as usual
	}
	if len(orders.Meant) > 0 && orders.ByName || lists {
		if len(orders.Meant) == 1 && !a.Flows.Admits(name, orders.List[orders.Meant[0]]) {
			// "床垫那单我还没付…": no parcel to track for an unpaid order;
			// its status says so.
			for _, l := range statusIntents {
				if n, ok := a.Flows.ForIntent(l); ok && a.Flows.Admits(n, orders.List[orders.Meant[0]]) {
					label, name = l, n
					break
				}
			}
		}
		// The flow finds the same order(s) in the same list, says which
		// one it took, and answers (or offers only those).
		return tr.startOrders(ctx, name, label, input)
	}
	if orders.Named {
		return Reply{}, false, nil // another order, by its state, day or price
	}
	return tr.sameOrder(ctx, cued)
}

// sameOrder answers again for the order whose status the bot gave last
// turn when the message asks about its state without naming another
// ("sorry my chinese isnt great, is it stuck? the status hasnt changed").
func (tr *turn) sameOrder(ctx context.Context, cued bool) (Reply, bool, error) {
	a, st := tr.a, tr.st
	if !cued || st.Done == "" || st.DoneTurn != st.Turns-1 || st.Entities["order_id"] == "" {
		return Reply{}, false, nil
	}
	f, ok := a.Flows.Flow(st.Done)
	if !ok || !slices.ContainsFunc(f.Intents, func(l string) bool { return slices.Contains(statusIntents, l) }) {
		return Reply{}, false, nil
	}
	name, label := st.Done, f.Intents[0]
	if whereCue.MatchString(strings.ToLower(tr.text)) {
		// "and where is it right now?" after its status: the parcel's
		// latest tracking event says where, the status again would not.
		if n, ok := a.Flows.ForIntent(trackIntent); ok {
			name, label = n, trackIntent
		}
	}
	tr.label, tr.settled, st.Clarify = label, true, nil
	st.renote(tr.label)
	r, err := tr.start(ctx, name, nil)
	return r, err == nil, err
}

// trackIntent asks where a parcel is; its flow answers with the latest
// tracking event.
const trackIntent = "track_shipment"

// whereCue asks where a parcel is now, rather than what state its order
// is in.
var whereCue = nlutext.MustPattern(`\bwhere\b|\b(which|what) (city|town|place|hub)\b|哪里|哪儿|到哪|在哪|哪了|哪个城市|什么地方`)

// startOrders runs flow name for label with input, without the order of
// earlier turns: the message says which one (or asks for all).
func (tr *turn) startOrders(ctx context.Context, name, label string, input flow.Input) (Reply, bool, error) {
	run, out, err := tr.startAs(ctx, name, label, input)
	if err != nil {
		return Reply{}, false, err
	}
	return tr.flowReply(ctx, run, out, nil), true, nil
}

// startAs starts flow name for label, the dialog's own reading of the
// message rather than the model's, settling the turn on it; no order of
// earlier turns is carried in.
func (tr *turn) startAs(ctx context.Context, name, label string, input flow.Input) (*flow.Run, flow.Output, error) {
	tr.label, tr.settled, tr.st.Clarify = label, true, nil
	tr.st.renote(label)
	input.Intent = nlu.Intent{Label: label, Confidence: 1, Source: "dialog"}
	input.Listed = tr.listed
	return tr.a.Flows.Start(ctx, name, input, nil)
}

// aboutOrder is input with order as if its number had been given.
func aboutOrder(input flow.Input, order string) flow.Input {
	input.Entities = append(slices.Clone(input.Entities), nlu.Entity{Type: "order_id", Value: order, Text: order})
	return input
}

// isFollowUp reports whether text continues the last request ("and the
// jacket?", "ok what about the lamp", "那鞋子呢"), after any courtesy.
func isFollowUp(text string) bool {
	if followUpCue(text) != "" {
		return true
	}
	rest := stripCourtesy(text)
	return rest != "" && followUpCue(rest) != ""
}

// carry returns the entities known from earlier turns that a flow
// starting now may use: without the order of earlier turns when the
// message names another of the customer's orders by what was bought or
// its state ("and the refund for the power banks?" after the keyboard's
// status, "the one i haven't paid yet, cancel it" after a shipped one),
// so the flow finds that one instead.
func (tr *turn) carry(ctx context.Context) map[string]string {
	known := tr.st.Entities
	prev := known["order_id"]
	if prev == "" || tr.conv == nil || tr.conv.CustomerRef == "" {
		return known
	}
	for _, e := range tr.res.Entities {
		if e.Type == "order_id" || e.Type == "tracking_number" {
			return known
		}
	}
	orders, ok, _ := tr.namedOrders(ctx, tr.input())
	if !ok || !orders.Named || len(orders.Meant) == 0 {
		return known
	}
	for _, i := range orders.Meant {
		if orders.Order(i) == prev {
			return known // the same order, named
		}
	}
	other := maps.Clone(known)
	delete(other, "order_id")
	return other
}

// byOrderState settles a choice the model is torn over between two
// tasks (or a task and a help-center question) by the state of the one
// order the message names by what was bought: only one of the two flows
// serves an order in that state (flow.Engine.Admits): "之前取消的那个充电宝，
// 钱怎么一直没退" is a refund, not a cancellation; "the shirt I sent back,
// was I refunded?" a refund, not a return; "那双灰色的运动鞋能退吗" about a
// delivered pair, a return.
func (tr *turn) byOrderState(ctx context.Context) (Reply, bool, error) {
	a, in := tr.a, tr.res.Intent
	if !in.Ambiguous || len(in.Top) < 2 || tr.conv == nil || tr.conv.CustomerRef == "" {
		return Reply{}, false, nil
	}
	x, y := in.Top[0].Label, in.Top[1].Label
	fx, okx := a.Flows.ForIntent(x)
	fy, oky := a.Flows.ForIntent(y)
	if x == y || !okx && !oky || !(a.isTask(x) || a.isKnowledge(x)) || !(a.isTask(y) || a.isKnowledge(y)) {
		return Reply{}, false, nil
	}
	input := tr.input()
	orders, ok, err := tr.namedOrders(ctx, input)
	if err != nil || !ok {
		return Reply{}, false, err
	}
	if !orders.ByName || len(orders.Meant) != 1 {
		return Reply{}, false, nil
	}
	item := orders.List[orders.Meant[0]]
	ax, ay := okx && a.Flows.Admits(fx, item), oky && a.Flows.Admits(fy, item)
	label, name := x, fx
	switch {
	case ax == ay:
		return Reply{}, false, nil
	case ay:
		label, name = y, fy
	}
	return tr.startOrders(ctx, name, label, input)
}

// namedOrders is Flows.NamedOrders, listing the customer's orders at most
// once a turn: a flow started after it uses the same list (Input.Listed),
// and so does a later reading of in built before the list was made.
// ok is false when there is no list (no shop, or it failed): the turn
// goes on without it. err is set only when ctx ended (a wrapped
// ctx.Err()), for the caller to return.
func (tr *turn) namedOrders(ctx context.Context, in flow.Input) (orders flow.Orders, ok bool, err error) {
	if in.Listed == nil {
		in.Listed = tr.listed
	}
	orders, err = tr.a.Flows.NamedOrders(ctx, in)
	if err != nil {
		if ctx.Err() != nil {
			return flow.Orders{}, false, err
		}
		return flow.Orders{}, false, nil
	}
	tr.listed = orders.Result
	return orders, true, nil
}
