package dialog

import (
	"context"
	"fmt"
	nlutext "github.com/assistd/assist/nlu/text"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/nlu"
)

// Right after a task's answer for an order, a message naming another
// task and pointing back at the order ("ok can i return it once it
// arrives then" after a refused cancellation, "那它能退吗", "just cancel
// the whole thing") asks that task for the same order: its flow runs with
// the order known, and says what applies to it. A question that does not
// point back ("do I get money back or how does that work" after a
// cancellation) is about the order too when the task serves it in the
// state it is now in.

// itWords point back at the order just answered about.
var itWords = nlutext.MustPattern(`\b(it|them|that one|this one|the whole (thing|order|lot)|all of it|everything)\b|它|这个|这单|那单|整单|整个订单|全部`)

// whenShips asks when an order will be sent out ("那大概啥时候发", "几号能发
// 出来", "when will it ship then").
var whenShips = nlutext.MustPattern(`(?i)(什么|啥|几|哪)(时候|天|号)[^，。？?！!\s]{0,3}发|多久[^，。？?！!\s]{0,2}发|何时发|\bwhen\b[^.?!]{0,20}\b(ship|shipped|dispatch|dispatched|sent out|go out)\b`)

// redirectWish asks for the parcel just talked about to go somewhere
// else, in the form of a wish or a request: a change of where it goes
// ("改送到公司", "转寄", "换个地址"), or sending it to a place asked for
// ("能送到我单位不", "帮我发到公司", "send it to my office instead").
// "会送到家门口吗" asks what the courier does, "送到家里的那件" talks of
// what was sent: neither is a wish (wishesRedirect).
var redirectWish = nlutext.MustPattern(`(?i)` + changeAddressZH + `|(能|可以|可不可以|能不能|能否|帮我|帮忙|麻烦|请|想|要|直接)[^，。？?！!\s]{0,3}(寄|送|发|派)(到|去|往)[^，。？?！!\s]{0,4}(公司|单位|家|学校|宿舍|驿站|快递柜|前台|门卫|朋友)|` +
	`\b(can|could|would|will) (you|it|they|u)\b[^.?!]{0,12}\b(send|deliver|redirect|forward|ship)\b[^.?!]{0,20}\bto (my|the) (office|work|workplace|school|friend'?s?|neighbou?r'?s?|parents'?)\b|` +
	`\b(please|pls|plz|i'?d like|i want|i need|instead|rather)\b[^.?!]{0,20}\b(send|deliver|redirect|forward|ship)\b[^.?!]{0,20}\bto (my|the) (office|work|workplace|school|friend'?s?|neighbou?r'?s?|parents'?)\b|` +
	`\b(send|deliver|redirect|forward|ship)\b[^.?!]{0,20}\bto (my|the) (office|work|workplace|school|friend'?s?|neighbou?r'?s?|parents'?)\b[^.?!]{0,12}\b(instead|please|pls|plz)\b|` +
	`\b(change|update) the (delivery )?address\b`)

// sentBefore talks of a parcel sent before or another one ("上次你们送到家里的
// 那件", "上回发到公司的快递", "the last parcel you sent to my office"):
// where that one went is no wish for this one.
var sentBefore = nlutext.MustPattern(`(?i)(上次|上回|之前|以前|那次|已经)[^，。？?！!\s]{0,6}(寄|送|发|派)|(寄|送|发|派)(到|去|往)[^，。？?！!\s]{0,6}的(那|快递|包裹|东西|件)|` +
	`\b(last time|last (parcel|package|order|one|delivery)|previous (parcel|package|order|one|delivery)|you (sent|shipped|delivered)|(was|were) (sent|shipped|delivered)|sent before|already (sent|shipped|delivered))\b`)

// wishesRedirect reports whether text wishes the parcel just talked about sent
// somewhere else: redirectWish, not of a parcel sent before (sentBefore),
// not a general question of what couriers do (leaveGeneral, leaveAtOrder's
// guard: "do you deliver to my office on saturdays?"), not how to do it.
func wishesRedirect(text string) bool {
	low := strings.ToLower(text)
	return redirectWish.MatchString(low) && !sentBefore.MatchString(low) && !leaveGeneral.MatchString(low) && !asksHow(text)
}

// changeVerb asks for the delivery to change, in words: "改送", "换个地址",
// "redirect", "change the address", "instead".
var changeVerb = nlutext.MustPattern(`(?i)` + changeAddressZH + `|\b(change|update|redirect|forward|reroute|instead)\b`)

// changeAddressZH changes where a parcel goes, in Chinese: "改送", "转寄",
// "换个地址", "改收货地址". The one reading of it that a wish to redirect
// (redirectWish), a change asked for in words (changeVerb) and a short
// request for one's own task (ownTaskZH) share.
const changeAddressZH = `(改|换|转)(寄|送|发|派)|(改|换)(个|一下|下)?(收货)?地址`

// supposes reports whether text checks a guess with a closing 吧 ("我没
// 付款的话应该不涉及退款吧"): a question, unlike a short request ("取消吧").
func supposes(text string) bool {
	t := strings.TrimRightFunc(text, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
	return strings.HasSuffix(t, "吧") && utf8.RuneCountInString(t) >= minSupposition
}

// minSupposition is the shortest guess checked with 吧, in characters;
// shorter ones ("取消吧", "退了吧") ask for something.
const minSupposition = 6

// otherTaskSameOrder runs the task such a question names for the order
// of the task just answered; ok is false when the message is not one.
func (tr *turn) otherTaskSameOrder(ctx context.Context) (Reply, bool, error) {
	st, a := tr.st, tr.a
	if st.Done == "" || st.DoneTurn != st.Turns-1 || a.Flows == nil || st.Entities["order_id"] == "" {
		return Reply{}, false, nil
	}
	asks := isQuestion(tr.text) || isQuestion(stripCourtesy(tr.text)) || supposes(tr.text) // "ok can i …", "应该不用退款吧"
	if asksRule(tr.text) {
		// "ok so if i return them do they have to stay sealed": the rules
		// of the task, whichever order (ruleask.go)
		return Reply{}, false, nil
	}
	pointed := itWords.MatchString(strings.ToLower(tr.text))
	for _, e := range tr.res.Entities {
		switch e.Type {
		case "order_id", "tracking_number", "product":
			return Reply{}, false, nil // another order, named
		}
	}
	label := tr.keywordIntent()
	if in := tr.res.Intent; label == "" && sure(in) && a.isTask(in.Label) {
		label = in.Label // "do I get money back or how does that work"
	} else if label == "" && pointed {
		// "can you just cancel the whole thing": the order is pointed at,
		// the task is the model's best task reading, if a fair one.
		for _, s := range in.Top {
			if s.Score >= PlaceConfidence && a.isTask(s.Label) {
				label = s.Label
				break
			}
		}
	}
	// "白天家里没人 能不能改送到我单位", "明天到是吧 可是周一我不在家，能改送到
	// 公司不" after the parcel's status: where to send that parcel, however
	// unsure the model is or whatever status it hears around it.
	// "when will it ship to my office?", "什么时候发到公司" ask when, not
	// for another address: a when-question is the order's status unless
	// it asks for the change in words (改送, "instead", REVIEW12A 5).
	low := strings.ToLower(tr.text)
	redirects := asks && wishesRedirect(tr.text) && (!whenShips.MatchString(low) || changeVerb.MatchString(low))
	if redirects && (label == "" || slices.Contains(statusIntents, label)) {
		label = changeAddress
	}
	if asks && whenShips.MatchString(strings.ToLower(tr.text)) && isShortish(tr.text) && !redirects {
		// "那大概啥时候发" after a change answered for an order not yet
		// shipped: when it ships is that order's status.
		label = statusIntents[0]
	}
	if !asks && !pointed || label == "" || !a.isTask(label) {
		return Reply{}, false, nil
	}
	name, ok := a.Flows.ForIntent(label)
	if !ok || name == st.Done || slices.Contains(statusIntents, label) && tr.statusBefore() != "" {
		// Status and tracking after a status are one topic: sameOrder
		// answers them ("is it stuck somewhere?").
		return Reply{}, false, nil
	}
	var orders flow.Orders
	if tr.conv != nil && tr.conv.CustomerRef != "" {
		var listed bool
		if orders, listed, _ = tr.namedOrders(ctx, tr.input()); listed && orders.ByName {
			return Reply{}, false, nil // "and the refund for the power banks": another order, by what was bought
		}
	}
	// Where to send it names what to do with that parcel: the change flow
	// says what can still be done for it (shipped: the courier),
	// whatever its state.
	if !pointed && !(redirects && label == changeAddress) && !tr.admitsDone(orders, name) {
		// Without "it" or "this order", only a task that serves the order
		// in the state it is now in is about it ("do I get money back"
		// after a cancellation); "how long do refunds take" after a
		// shipped order's status asks how refunds work.
		return Reply{}, false, nil
	}
	tr.label, tr.settled = label, true
	st.renote(label)
	// The order just answered about, even when the question says what
	// state it will be in ("once it's delivered").
	run, out, err := a.Flows.Start(ctx, name, tr.input(), st.Entities)
	if err != nil {
		return Reply{}, false, fmt.Errorf("starting flow %s: %w", name, err)
	}
	return tr.flowReply(ctx, run, tr.sayWhich(run, out), nil), true, nil
}

// admitsDone reports whether flow name serves the order the task just
// answered about, in the state orders lists it in now (Engine.Admits).
func (tr *turn) admitsDone(orders flow.Orders, name string) bool {
	id := tr.st.Entities["order_id"]
	for i := range orders.List {
		if orders.Order(i) == id {
			return tr.a.Flows.Admits(name, orders.List[i])
		}
	}
	return false
}

// namesAnotherOrder reports whether the message names, by what was
// bought, only orders other than the one the task just answered about:
// "被套那单现在啥状态" right after the pillow's refund asks about the
// duvet's order, not the refund again.
func (tr *turn) namesAnotherOrder(ctx context.Context) bool {
	id := tr.st.Entities["order_id"]
	if id == "" || !slices.ContainsFunc(tr.res.Entities, func(e nlu.Entity) bool { return e.Type == "product" }) {
		// Nothing bought is named ("so by friday then?"): no order to
		// look up, and no list_orders call on every follow-up.
		return false
	}
	in := tr.input()
	if in.CustomerRef == "" {
		return false
	}
	orders, ok, _ := tr.namedOrders(ctx, in)
	if !ok || !orders.ByName || len(orders.Meant) == 0 {
		return false
	}
	return !slices.ContainsFunc(orders.Meant, func(i int) bool { return orders.Order(i) == id })
}

// rememberShown remembers what run, a flow just finished, was about:
// its filled order and parcel numbers, and, for a signed-in customer, the
// order its last answer names (a parcel tracked by its number belongs to
// an order: "能不能改送到我公司" after it is about that order; digits
// taken for an order number were the parcel's).
func (tr *turn) rememberShown(run *flow.Run) {
	tr.keepOrder(run)
	if tr.conv == nil || tr.conv.CustomerRef == "" || run.Result == nil || run.Result.Status != flow.StatusOK {
		return
	}
	if id := asText(run.Result.Data["order_id"]); id != "" {
		if tr.st.Entities == nil {
			tr.st.Entities = map[string]string{}
		}
		tr.st.Entities["order_id"] = id
	}
}

// keepOrder remembers the order of run, a flow dropped for another task
// ("no wait don't cancel it, just send it to my new place instead"), as
// the order the conversation is about: the task that replaces it acts on
// the same order unless the message names another (carry, Engine.Start).
func (tr *turn) keepOrder(run *flow.Run) {
	if tr.a.Flows == nil || run == nil {
		return
	}
	for typ, v := range tr.a.Flows.EntitySlots(run) {
		if tr.st.Entities == nil {
			tr.st.Entities = map[string]string{}
		}
		tr.st.Entities[typ] = v
	}
}
