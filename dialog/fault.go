package dialog

import (
	"context"
	"fmt"
	nlutext "github.com/assistd/assist/nlu/text"
	"slices"
	"strings"

	"github.com/assistd/assist/dialog/flow"
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
// about the fault (vipGrievance) is answered and handed off in the same
// turn (afterAnswer): the return the bot started waits with the customer
// in the queue, so they can finish it while a person is on the way.

// returnWish asks to send something back ("能退吗", "能七天无理由退吗",
// "can I return the sweater", "send it back", "can my coat still go
// back"), not for a refund's status or a price difference (priceWish is
// read first).
var returnWish = nlutext.MustPattern(`(?i)退货|退掉|退回|退了吧|(?:能|可以)[^，。,.？?！!\s款钱]{0,6}退[吗嘛么不]|能退|可以退|能不能退|可不可以退|想退|要退|申请退|退得了|` +
	`\breturn(ing|able)?\b|\bsend(ing)? ([a-z']+ ){0,3}back\b|\btake (it |them )?back\b|\b(can|could) (i|it|they|them|this|these|those|the [a-z']+( [a-z']+)?|my [a-z']+( [a-z']+)?)( still)? go back\b`)

// statesReturnAsksMoney reports whether text says to send something back
// in one phrase and asks where the refund goes or how long it takes in
// another ("想了想还是直接退掉吧 钱退到哪", "电饭煲我也想退 微信付的 钱几天能回来",
// "ok i'll return it. when do i get the money?"): the customer's stated
// intent is the return; the question rides along. A return only asked
// about ("退了的话钱退到哪", "如果退货 钱多久到") states none.
func statesReturnAsksMoney(text string) bool {
	money := refundWhereAsk(text)
	if money == "" {
		return false
	}
	return slices.ContainsFunc(phrases(text), func(p string) bool {
		low := strings.ToLower(p)
		return p != money && returnWish.MatchString(low) && !goesBackInto.MatchString(low) && !isQuestion(p) &&
			!strings.ContainsAny(p, "吗?？") && !hypothetical.MatchString(low) && !inGeneral.MatchString(low)
	})
}

// goesBackInto is going back somewhere, not to the shop: "can it go back
// in the case to charge", "can the price go back to normal" (Go's regexp
// has no lookahead to keep it out of returnWish).
var goesBackInto = nlutext.MustPattern(`(?i)\bgo back (in|into|on|onto|to)\b`)

// priceWish asks for a price drop back.
var priceWish = nlutext.MustPattern(`(?i)差价|价保|价格保护|降价|便宜了|买贵了|` +
	`\bprice (protection|drop|dropped|went down|difference|adjustment|match)\b|\bcheaper\b|\bdropped in price\b|\bthe difference\b|\bprice has dropped\b`)

// remedyWords name what the shop does about a fault ("so you'll replace
// it?", "能保修吗", "can you fix it").
var remedyWords = nlutext.MustPattern(`(?i)\b(replace|replacement|repair|fix|exchange|swap|warranty)\w*|\bnew one\b|保修|维修|修好|修一下|更换|换货|换一个|换个新|换新`)

// howTo asks how something is done rather than to do it.
var howTo = nlutext.MustPattern(`(?i)^\W*(where|how) (do|can|should|would) (i|we|you)\b|怎么|如何|在哪`)

// hypothetical asks what would happen ("what if it arrives broken", "if I
// send them back do I pay the postage?") rather than reporting a fault or
// asking for a return: the help center answers it.
var hypothetical = nlutext.MustPattern(`(?i)\bwhat if\b|\b(if|when) (i|we) (send|return|take)\b|\b(if|in case) (it|its|it's|they|the|my)\b|` + supposeZH)

// supposeZH open a supposition in Chinese ("如果", "万一"): the words of
// hypothetical and of inGeneral (staffonly.go).
const supposeZH = `如果|要是|假如|万一`

// after-sales paths.
const (
	pathReturn   = "return_request"   // the return flow's intent: a return, a quality return, the warranty
	pathPrice    = "price_protection" // the price_protection flow (and help-center intent)
	pathWarranty = "warranty"         // the warranty flow: until when an order's items are covered
	pathModify   = "modify_order"     // the modify_order flow: a size, colour or quantity changed, by the order's state
	pathDrop     = "drop_item"        // the drop_item flow: one item out of an order, by the order's state
	pathExchange = "exchange"         // the exchange flow: another size or colour, by the order's state
)

// modifyWish asks to change what an order holds, its size, colour or
// quantity ("S能改成M吗", "羽绒服我想换成L码", "拖鞋码数选错了 能改成37-38的吗",
// "颜色拍错了 想要蓝的 还能改不", "can I switch the jacket to an L", "change
// the colour to black"): a change verb with a variant word or a size
// after it. The address, the invoice, the courier and the payment are
// changed elsewhere (notModify).
var modifyWish = nlutext.MustPattern(`(?i)(改|换)(成|为)\s*(` + letterSizes + `|[2-4][0-9](-[2-4][0-9])?)(码|号|的)?([^A-Za-z0-9]|$)|` +
	`(尺码|码数|尺寸|颜色|规格|数量|件数)[^，。？！?!]{0,10}(改|换)|(改|换)[^，。？！?!]{0,6}(码|尺码|尺寸|颜色|色|规格|数量|大一号|小一号)|` +
	`(^|[^A-Za-z0-9])(` + letterSizes + `|[2-4][0-9])(码|号)?\s*(改|换)(成|为|到)?\s*(` + letterSizes + `|[2-4][0-9])(码|号)?([^A-Za-z0-9]|$)|色\s*(改|换)(成|为)?[^，。？！?!\s]{0,4}色|` +
	`\b(change|switch|swap|modify|update)\b[^.?!]{0,30}\b(size|colou?r|quantity|to (an? |size )?(` + letterSizes + `)\b)|\b(in|to) (a |size )?(` + letterSizes + `|bigger|smaller|larger) (size )?instead\b|` +
	`\bfrom (an? |size )?(` + letterSizes + `) to (an? |size )?(` + letterSizes + `)\b`)

// asksModify reports whether text asks to change what an order holds
// ("S改M还来得及吗", "38换39", "白色换成黑色", "from S to M")
// (modifyWish), its dates and durations taken out first (variant.go): "能改
// 到30号再发吗" asks for another day.
func asksModify(text string) bool {
	return modifyWish.MatchString(variantText(text))
}

// dropItem takes one item out of an order, the rest to ship ("开衫不想要了
// 羽绒服照常发就行", "支架能去掉吗 台灯照常发", "枕头不要了 只要被套", "take the
// cardigan out of my order", "cancel just the stand"): a change of what
// the order holds, not a cancellation of all of it.
var dropItem = nlutext.MustPattern(`(?i)(不想要|不要|去掉|删掉|拿掉|减掉|撤掉)[^，。？！?!]{0,12}(照常|正常|照样|继续|还是)(发|寄|送)|(不想要|不要|去掉|删掉|拿掉)[^。？！?!]{0,10}(只要|只留|留着|保留)|` +
	`(只|单独)(取消|退掉|去掉)(其中)?|取消其中|(去掉|删掉|拿掉|减掉)[^，。？！?!]{0,6}(吗|嘛|么|行不|可以)|` +
	`\b(take|remove|drop|cancel|delete)\b[^.?!]{0,25}\b(out of|from) (my|the|this|that)\b[^.?!]{0,20}\border\b|\bcancel (just|only) the\b|\b(still|just) want the\b`)

// notModify changes something other than what the order holds.
var notModify = nlutext.MustPattern(`(?i)地址|发票|抬头|快递|顺丰|京东|中通|圆通|支付|付款方式|手机号|电话|密码|邮箱|\b(address|invoice|courier|payment|phone|email|password)\b`)

// warrantyLabel is the help-center intent a warranty question is
// noted as: the intents have none of its own.
const warrantyLabel = "return_policy"

// warrantyWish asks about the warranty ("is my kettle still under
// warranty?", "耳机保修多久").
var warrantyWish = nlutext.MustPattern(`(?i)\bwarrant(y|ies)\b|\bguarantee\b|保修|质保|保固`)

// afterSales starts the after-sales path for the order a signed-in
// customer's message names by what was bought (see above); ok is false
// when the message is not such a request.
func (tr *turn) afterSales(ctx context.Context) (Reply, bool, error) {
	a, st := tr.a, tr.st
	if a.Flows == nil || st.Flow != nil {
		return Reply{}, false, nil
	}
	if tr.conv == nil || tr.conv.CustomerRef == "" {
		return tr.anonymousFault(ctx)
	}
	if r, ok, err := tr.underWarranty(ctx); err != nil || ok {
		return r, ok, err
	}
	if r, ok, err := tr.askRemedy(ctx); err != nil || ok {
		return r, ok, err
	}
	if r, ok, err := tr.onAnswer(ctx); err != nil || ok {
		return r, ok, err
	}
	path, given := tr.afterSalesPath()
	if r, ok, err := tr.orderWindow(ctx, path); err != nil || ok {
		return r, ok, err // returnwindow.go: "DD… 还能退货吗？最晚哪天"
	}
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
	orders, ok, err := tr.namedOrders(ctx, input)
	if err != nil || !ok {
		return Reply{}, false, err // no list: the turn goes on as usual
	}
	if !orders.ByName && !orders.Named {
		// "那就退了吧 不想修" after "前天到的降噪耳机左耳一直滋滋响": the
		// product named a turn or two before is what goes back.
		if earlier, ok := tr.earlierProduct(); ok {
			in := input
			in.Text, in.Entities = "", []nlu.Entity{{Type: "product", Value: earlier}}
			if then, ok, _ := tr.namedOrders(ctx, in); ok && then.ByName && len(then.Meant) == 1 {
				orders = then
			}
		}
	}
	if !orders.ByName || len(orders.Meant) == 0 {
		return Reply{}, false, nil // no order named by what it is
	}
	if len(orders.Meant) == 1 {
		i := orders.Meant[0]
		id, items = orders.Order(i), orders.Items(i, tr.lang)
		if st := asText(orders.List[i]["status"]); path == pathModify && (st == "shipped" || st == "delivered") {
			// Sent already: another size or colour is an exchange, the
			// exchange flow's (exchange.go), not a change of the order.
			if ex, ok := tr.pathFlow(pathExchange); ok {
				path, name = pathExchange, ex
			}
		}
		// The order, as if its number were given: the flow takes it
		// whatever its state (an offer would show only returnable
		// ones), and says what applies to it.
		input = aboutOrder(input, id)
	}
	// Several: the flow offers only those (its offer reads the same words).
	input.Given = given
	label := path
	switch path {
	case pathWarranty:
		label = warrantyLabel // no intent of its own
	case pathExchange:
		label = "exchange_request"
	}
	st.Offered, st.OfferedTask = "", ""
	run, out, err := tr.startAs(ctx, name, label, input)
	if err != nil {
		return Reply{}, false, err
	}
	var before []string
	if id != "" && items != "" && run != nil && !out.Done && out.Handoff == nil && !slices.ContainsFunc(out.Messages, func(m string) bool { return strings.Contains(m, id) }) {
		// The flow asks on (a reason, photos) without saying which order
		// it took: say so first.
		if part := returnedPart(run, id); part != "" && part != items {
			// some of its items: those named, not the whole order
			before = append(before, tr.say("aftersales.order_items", "order", id, "items", part))
		} else {
			before = append(before, tr.say("aftersales.order", "order", id, "items", items))
		}
	}
	if tr.upset && run != nil && !out.Done && out.Handoff == nil {
		// The flow's question comes last; a person is on offer before it
		// (afterAnswer offers one only once no flow waits).
		before = append(before, tr.say("upset.offer"))
	}
	r := tr.flowReply(ctx, run, out, before)
	tr.noteTopic(path, run, out)
	if path == pathReturn && tr.a.KB != nil && out.Handoff == nil && (isQuestion(tr.text) || asksCanReturn.MatchString(tr.text)) && saysUsed(tr.text) {
		// "那件毛衣洗过一次了 还能退吗": whether a used item can go back
		// is the help center's condition, said before the return asks on.
		// Asked in the shop's words (as contact.go does): the customer's
		// ("音质一般般") would find whatever article they touch.
		saved := tr.question
		tr.question = tr.say("used.question")
		ans, err := tr.ask(ctx)
		tr.question = saved
		if err != nil {
			return Reply{}, false, err
		}
		if ans.Known {
			r = tr.before(tr.answered(ans), r)
		}
		return r, true, nil
	}
	if path == pathWarranty && out.Done && out.Handoff == nil && tr.a.KB != nil {
		// What the warranty covers is the help center's, with its
		// source; until when this order is covered, the shop's.
		if ans, err := tr.ask(ctx); err != nil {
			return Reply{}, false, err
		} else if ans.Known {
			r = tr.before(tr.answered(ans), r)
		}
	}
	return r, true, nil
}

// usedCue says the item was used, worn or washed ("穿了一次", "煮过一次饭",
// "洗过了", "穿出去过两回", "worn it twice", "i did wear them outside",
// "wore them once", "i've used it for a week"): whether it can go back is
// then a condition. In English the verb must be about this item (an
// object pronoun, a count, "been used"): "i'm used to a wider fit", "the
// ones i used to have", "i already use a different case" are a habit or
// another thing (REVIEW13A 3).
var usedCue = nlutext.MustPattern(`(?i)(穿|用|洗|戴|煮|烧|试用|使用)(了|过)(一|两|几|[0-9])?(次|回|下|天|周|个)|(穿|用|洗|戴|煮)过|(穿|戴)(出去|出门)|` +
	`\b(worn|washed)\b|` +
	`\b(wore|used|washed|tried)\s+(it|them|this|that|these|those|the (thing|item|pair|shoes|boots|case|one|ones))\b|` +
	`\b(wore|used)\s+(once|twice|a (few|couple)|several|a bit|a little|for (a|an|one|two|three|[0-9]+|several|a few|about|over)|outside|out|already|every ?day|daily)\b|` +
	`\b(been|is|are|was|were|barely|lightly|slightly)\s+(already\s+|only\s+)?used\b|` +
	`\b(did|have|had|already|i|we)\s+(wear|use|wash)\s+(it|them|this|that|these|those)\b`)

// unusedCue says it was not used ("这个没用过", "还没穿", "I haven't used it").
var unusedCue = nlutext.MustPattern(`(?i)(没|未|没有|不曾)(穿|用|洗|戴|煮|烧|试用|使用)|\b(haven'?t|hasn'?t|have not|has not|never|not)( been| yet| even)?( [a-z]+)? (worn|used|washed)\b|\b(unworn|unused|unwashed)\b|\b(never|not|didn'?t|did not)( [a-z]+)? (wore|wear|use|wash)\b`)

// saysUsed reports whether text says the item was used, not that it was not.
func saysUsed(text string) bool {
	return usedCue.MatchString(text) && !unusedCue.MatchString(text)
}

// asksCanReturn asks whether it can go back, in the A-not-A form too
// ("还能退不").
var asksCanReturn = nlutext.MustPattern(`(?i)退(吗|嘛|么|不|不了|得了|得了吗)\s*[？?]?\s*$|能不能退|可不可以退|\bcan i (still )?return\b`)

// before returns kb's messages followed by r's, with r's state and
// hand-off.
func (tr *turn) before(kb, r Reply) Reply {
	kb.addAll(r)
	kb.State, kb.Handoff = r.State, r.Handoff
	return kb
}

// noteTopic remembers what an after-sales answer that ended its flow was
// about, for a question asked right after it (onAnswer): the customer's
// price question (else price protection), or the warranty when the
// order's warranty was given.
func (tr *turn) noteTopic(path string, run *flow.Run, out flow.Output) {
	st := tr.st
	if run == nil || !out.Done || out.Handoff != nil {
		return
	}
	topic, on := "", pathPrice
	switch {
	case path == pathPrice && priceWish.MatchString(strings.ToLower(tr.text)):
		topic = tr.masked()
	case path == pathPrice:
		topic = tr.say("aftersales.price_topic")
	case path == pathWarranty:
		topic, on = tr.say("aftersales.warranty_topic"), pathWarranty
	case path == pathExchange:
		topic, on = tr.say("aftersales.exchange_topic"), pathExchange
	case run.Result != nil && run.Result.Data["warranty_"+tr.lang] != nil:
		w := fmt.Sprint(run.Result.Data["warranty_"+tr.lang])
		if w != "" && slices.ContainsFunc(out.Messages, func(m string) bool { return strings.Contains(m, w) }) {
			topic, on = tr.say("aftersales.warranty_topic"), pathWarranty
		}
	}
	if topic != "" {
		st.AfterSales, st.AfterSalesTurn, st.AfterSalesOn = bounded(topic), st.Turns, on
	}
}

// afterSalesPath returns the after-sales path the message asks for
// (pathReturn, pathPrice) and the return reason it gives, if any; "" when
// it asks for none, or the model is sure of another task with a flow of
// its own.
func (tr *turn) afterSalesPath() (string, map[string]string) {
	a, in := tr.a, tr.res.Intent
	low := strings.ToLower(tr.text)
	if dropItem.MatchString(low) && !notModify.MatchString(low) && !returnWish.MatchString(low) && !priceWish.MatchString(low) {
		// "开衫不想要了 羽绒服照常发就行": one item out, whatever task
		// (a cancellation, an exchange) the model hears in it.
		return pathDrop, nil
	}
	if in.Label == "cancel_order" && isQuestion(tr.text) && asksModify(tr.text) && !notModify.MatchString(low) {
		// "颜色拍错了 能直接改吗还是得取消重拍": whether it can be changed
		// comes first; the cancellation is the customer's next word.
		return pathModify, nil
	}
	if statesReturnAsksMoney(tr.text) {
		// "电饭煲我也想退 微信付的 钱几天能回来": the return said, the money
		// asked about beside it (answered when the return opens,
		// openingAsks), whatever the model makes of the question.
		return pathReturn, nil
	}
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
	case hypothetical.MatchString(low):
		return "", nil // "what if it's broken when it arrives": the help center's
	case tr.asksAbout():
		return "", nil // "会起球吗", "will the coat pill": asked about, not reported (asksabout.go)
	case reason == "quality" || reason == "wrong_item":
		return pathReturn, map[string]string{"reason": reason} // a fault
	case warrantyWish.MatchString(low):
		return pathWarranty, nil
	case asksModify(tr.text) && !notModify.MatchString(low) && !returnWish.MatchString(low):
		// "那条裙子S能改成M吗 应该还没发吧" reads as the order's status to
		// the model: what can be done about the change depends on it.
		return pathModify, nil
	case returnWish.MatchString(low) && !goesBackInto.MatchString(low) && !(sure && a.isKnowledge(in.Label) && howTo.MatchString(low)):
		// "where do I return the desk lamp" asks how returns work, "if I
		// send them back do I pay the postage?" what a return would
		// cost: the help center's.
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
	if low := strings.ToLower(tr.text); whereCue.MatchString(low) || trackCue.MatchString(low) {
		// "算了 先帮我看下充电器那单到哪了", "那它快递走到哪了" after a
		// price-protection answer ask where an order is, whatever the
		// model carries over from the last turn.
		return false
	}
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

// onAnswer answers from the help center a question asked right after an
// after-sales answer ("and where does the money go" after an order's
// price protection, "寄回去修的话邮费谁出" after its warranty), on that
// answer's topic (State.AfterSales), rather than as a new request: the
// question alone often reads as another one (a refund's status, a
// return's postage).
func (tr *turn) onAnswer(ctx context.Context) (Reply, bool, error) {
	a, st := tr.a, tr.st
	// The topic holds for the turn after the answer, and over one
	// help-center answer in between ("do I pay postage for that?" then
	// "how soon would the M get to me" after an exchange).
	if a.KB == nil || st.AfterSales == "" || !(st.AfterSalesTurn == st.Turns-1 || st.AfterSalesTurn == st.Turns-2 && st.Answered == st.Turns-1) {
		return Reply{}, false, nil
	}
	how := asksHow(tr.text) // "ok so how would i file a claim": how, on the same topic
	// "once you have them, when does the new pair go out": the new item
	// of the exchange just answered, however long the question (exchange.go).
	how = how || st.AfterSalesOn == pathExchange && wantedVariant.MatchString(tr.text) && isQuestion(tr.text)
	// "ok and when would that money show up?" after a price drop's
	// answer: where and when the difference comes, however long.
	priceAsk := st.Done == pathPrice && priceMoneyAsk(tr.text)
	how = how || priceAsk
	// A question pointing back or opening as a follow-up may say a little
	// more ("那双十一满300减50那种算降价不" after a price drop's answer), as
	// in ellipticAs (followup.go), where it is read with the topic joined
	// (right after the answer, not on an exchange, whose questions are
	// asked alone first: "do I pay shipping on that one?" is the
	// exchange's postage, not the shipping article's).
	leans := (refersBack(tr.text) || followUpCue(tr.text) != "") && isShortish(tr.text) &&
		st.AfterSalesTurn == st.Turns-1 && st.AfterSalesOn != pathExchange
	if !(isQuestion(tr.text) || asksFact(tr.text) || how) || tr.namesOrder() || !isShort(tr.text, tr.res.Entities) && !how && !leans {
		return Reply{}, false, nil
	}
	if k := tr.keywordIntent(); a.isTask(k) {
		if _, ok := a.Flows.ForIntent(k); ok {
			return Reply{}, false, nil // a task, named: "can you cancel it then?", "算了 我还是直接退货吧"
		}
	}
	if low := strings.ToLower(tr.text); returnWish.MatchString(low) && !isQuestion(tr.text) && !hypothetical.MatchString(low) {
		return Reply{}, false, nil // "那就退了吧 不想修": the return asked for, not a question on the warranty
	}
	if orders, ok, err := tr.namedOrders(ctx, tr.input()); err != nil {
		return Reply{}, false, err
	} else if ok && orders.ByName {
		return Reply{}, false, nil // about another order, named by what it is
	}
	label := pathPrice
	if st.Done != pathPrice {
		label = warrantyLabel
	}
	topic := st.AfterSales
	if priceAsk {
		// "差价退到哪 多久到", "will it come back as a coupon?": where the
		// difference goes and when, in the help center's words; the
		// question alone finds the article's opening rules.
		tr.label, tr.question, tr.settled = label, tr.say("aftersales.price_refund_ask"), true
		st.renote(label)
		if ans, err := tr.ask(ctx); err != nil {
			return Reply{}, false, err
		} else if ans.Known {
			st.AfterSales, st.AfterSalesTurn = topic, st.Turns
			return tr.answered(ans), true, nil
		}
	}
	if st.AfterSalesTurn != st.Turns-1 || st.AfterSalesOn == pathExchange {
		// Over a help-center answer in between, and on an exchange (whose
		// article answers most questions alone), the topic fills in only
		// what the question alone leaves open: "and if the S is sold
		// out?" is answered as asked, "how soon would the M get to me"
		// on the exchange.
		tr.label, tr.question = label, tr.text
		if ans, err := tr.ask(ctx); err != nil {
			return Reply{}, false, err
		} else if ans.Known {
			tr.settled = true
			st.renote(label)
			st.AfterSales, st.AfterSalesTurn = topic, st.Turns
			return tr.answered(ans), true, nil
		}
	}
	tr.label, tr.question, tr.settled = label, tr.text+" "+topic, true
	st.renote(label)
	joined, err := tr.lookUp(ctx, false)
	if err != nil {
		return Reply{}, false, err
	}
	r := joined
	if !joined.ans.Known {
		// Joined, the topic's words may drown the question's own ("it was
		// a flash sale price tho does that still count" after a price
		// drop's answer): it is read also as continuing the topic, its
		// own words picking the passage among the topic's documents.
		tr.question, tr.onTopic = tr.text, topic
		cont, err := tr.lookUp(ctx, true)
		tr.onTopic = ""
		if err != nil {
			return Reply{}, false, err
		}
		if cont.ans.Known {
			r = cont
		}
	}
	ans, err := tr.answerReading(ctx, r, nil)
	if err != nil || !ans.Known {
		return Reply{}, false, err
	}
	st.AfterSales, st.AfterSalesTurn = topic, st.Turns // a question after this one asks on
	return tr.answered(ans), true, nil
}

// priceMoneyAsk reports whether text asks where a price difference goes,
// in what form, or how long it takes ("差价退到哪 多久到", "钱是退到余额还是原路",
// "will it come back as a coupon? I'd prefer money", "when do I get the
// difference").
func priceMoneyAsk(text string) bool {
	low := strings.ToLower(text)
	if !(moneyWord.MatchString(low) || refundCue.MatchString(low) || priceMoney.MatchString(low)) {
		return false
	}
	return whereTo.MatchString(low) || howLong.MatchString(low) || payMethod.MatchString(low) || paidAs.MatchString(low)
}

var (
	// priceMoney is the difference itself, or the form it might come in.
	priceMoney = nlutext.MustPattern(`(?i)差价|\bdifference\b|\bcoupons?\b|优惠券|积分|\bpoints\b`)
	// paidAs asks in what form it comes back.
	paidAs = nlutext.MustPattern(`(?i)\b(as|in) (a |the form of )?(coupons?|points|store credit|cash|money)\b|\bcome back as\b|(以|用|给)(优惠券|积分|现金|余额)|(是|给)(优惠券|积分|现金)(吗|还是)`)
)

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
	if !remedyWords.MatchString(tr.text) || !(isQuestion(tr.text) || asksFact(tr.text)) || !isShort(tr.text, tr.res.Entities) || asksHow(tr.text) {
		return Reply{}, false, nil // "how long does a repair take": the help center's (onAnswer)
	}
	for _, e := range tr.res.Entities {
		if e.Type == "order_id" && e.Value != st.Entities["order_id"] {
			return Reply{}, false, nil // another order
		}
	}
	tr.label, tr.settled, st.Clarify = pathReturn, true, nil
	st.renote(pathReturn)
	known := tr.carry(ctx) // before the input, which then carries a list it made
	run, out, err := a.Flows.Start(ctx, name, tr.input(), known)
	if err != nil {
		return Reply{}, false, err
	}
	r := tr.flowReply(ctx, run, out, nil)
	tr.noteTopic(pathReturn, run, out)
	return r, true, nil
}

// anonymousFault answers a customer who is not signed in and says what is
// wrong with something bought ("my blender stopped working") from the
// help center, on the after-sales topic (the question alone often reads
// as something else), and says that signed in, the bot finds the order
// and what applies to it. A message with an order or tracking number
// goes to its intent's flow, which asks to sign in.
func (tr *turn) anonymousFault(ctx context.Context) (Reply, bool, error) {
	a := tr.a
	if a.KB == nil || tr.namesOrder() {
		return Reply{}, false, nil
	}
	path, given := tr.afterSalesPath()
	if r, ok, err := tr.anonymousCanI(ctx, path, given); err != nil || ok {
		return r, ok, err
	}
	if path != pathReturn || given["reason"] == "" {
		return Reply{}, false, nil
	}
	// "羊毛外套容易掉毛吗", "does the kettle water smell at first": a fault
	// asked about a product in general, not of an order; the answer a
	// knowledge manager published for it says more than the warranty.
	if r, ok, err := tr.published(ctx); err != nil || ok {
		return r, ok, err
	}
	topic := tr.say("aftersales.warranty_topic")
	if warrantyWish.MatchString(strings.ToLower(tr.text)) {
		// "is it still under warranty?": for how long the warranty of
		// such a product lasts, which the customer checks against when
		// they bought it, not only how to claim it.
		topic = tr.say("aftersales.warranty_period_topic")
	}
	tr.label, tr.question, tr.settled = warrantyLabel, tr.text+" "+topic, true
	tr.st.renote(warrantyLabel)
	ans, err := tr.ask(ctx)
	if err != nil || !ans.Known {
		return Reply{}, false, err
	}
	r := tr.answered(ans)
	r.add(tr.say("aftersales.sign_in"), nil)
	return r, true, nil
}

// anonymousCanI answers a customer who is not signed in and asks whether
// something bought can go back or get a price drop back ("那袜子买大了能退吗
// 还没拆的", "昨天买的充电宝今天就降了20 能退差价不", "can i send them back?"):
// the rule is the help center's (an exclusion, a window), asked with the
// customer's words, and signed in the bot finds the order and what applies
// to it; the sign-in wall alone answers nothing. A fault goes on to
// anonymousFault; a request that asks nothing ("我要退货") to the flow,
// which asks to sign in.
func (tr *turn) anonymousCanI(ctx context.Context, path string, given map[string]string) (Reply, bool, error) {
	low := strings.ToLower(tr.text)
	if !slices.ContainsFunc(tr.res.Entities, func(e nlu.Entity) bool { return e.Type == "product" }) {
		return Reply{}, false, nil // "退货要钱吗": about returns in general, as usual
	}
	switch {
	case path == pathPrice && priceWish.MatchString(low) && (isQuestion(tr.text) || asksCanReturn.MatchString(tr.text) || canAsk.MatchString(low)):
	case path == pathReturn && given["reason"] == "" && (asksCanReturn.MatchString(tr.text) || isQuestion(tr.text)) && !asksHow(tr.text):
	default:
		return Reply{}, false, nil
	}
	label := pathPrice
	if path == pathReturn {
		label = "return_policy"
	}
	if a := tr.a; a.isKnowledge(label) {
		tr.label, tr.settled = label, true
		tr.st.renote(label)
	}
	tr.question = tr.text
	ans, err := tr.ask(ctx)
	if err != nil || !ans.Known {
		return Reply{}, false, err
	}
	r := tr.answered(ans)
	if path == pathPrice {
		r.add(tr.say("aftersales.sign_in_price"), nil)
	} else {
		r.add(tr.say("aftersales.sign_in"), nil)
	}
	return r, true, nil
}

// canAsk asks whether something can be had ("能退差价不", "退不退", "can i
// get the difference").
var canAsk = nlutext.MustPattern(`(?i)(能|可以|可不可以|能不能)[^，。？！?!]{0,6}(不|吗|嘛|么)?\s*$|退不退|补不补|\b(can|could) (i|we|you)\b`)

// howAsk asks how something is done or how long it takes, anywhere in
// the message ("ok so how would i file a claim", "修好要几天").
var howAsk = nlutext.MustPattern(`(?i)\bhow (do|does|can|could|should|would|to|soon|quickly)\b|\b(` + howLongEN + `)\b|怎么|如何|怎样|` + howLongZH)

// asksHow reports whether text asks how something is done or how long it
// takes, rather than for it.
func asksHow(text string) bool {
	return howAsk.MatchString(text)
}

// underWarranty goes on with the order whose return was just turned down
// past both return windows while it is still under warranty (the
// warranty topic of State.AfterSales, noteTopic): a fault described ("那
// 要是质量问题呢 扣子松了", "what if it's a defect, the zip broke") or the
// warranty named ("what about warranty then"), or whether it is covered
// asked ("is that covered by anything?") is about that order, not a
// new return nor a goodbye, and gets the order's warranty from the
// warranty flow: until when it is covered and how to claim. A question of
// how or how long (asksHow) is left to onAnswer, a message naming another
// order to the usual paths.
func (tr *turn) underWarranty(ctx context.Context) (Reply, bool, error) {
	a, st := tr.a, tr.st
	order := st.Entities["order_id"]
	if order == "" || st.AfterSalesTurn != st.Turns-1 || st.AfterSalesOn != pathWarranty || asksHow(tr.text) && !asksCover(tr.text) {
		return Reply{}, false, nil
	}
	name, ok := tr.pathFlow(pathWarranty)
	if !ok {
		return Reply{}, false, nil
	}
	low := strings.ToLower(tr.text)
	returns, _ := a.Flows.ForIntent(pathReturn)
	reason := a.Flows.Option(returns, "reason", tr.text)
	// "so what can i do then": what is left for the order is its warranty
	asked := reason == "quality" || reason == "wrong_item" || warrantyWish.MatchString(low) || remedyWords.MatchString(low) || asksCover(tr.text) || coveredAsk.MatchString(low) || wayOut.MatchString(low)
	if !asked && !tr.sameOrderOn(ctx, order) {
		return Reply{}, false, nil
	}
	for _, e := range tr.res.Entities {
		if (e.Type == "order_id" || e.Type == "tracking_number") && e.Value != order {
			return Reply{}, false, nil // another order
		}
	}
	if k := tr.keywordIntent(); a.isTask(k) && k != pathReturn {
		if other, ok := a.Flows.ForIntent(k); ok && other != name {
			return Reply{}, false, nil // another task, named: "then cancel my other order"
		}
	}
	input := tr.input()
	if orders, ok, err := tr.namedOrders(ctx, input); err != nil {
		return Reply{}, false, err
	} else if ok && orders.ByName && !slices.ContainsFunc(orders.Meant, func(i int) bool { return orders.Order(i) == order }) {
		return Reply{}, false, nil // about another order, named by what it is
	}
	st.Offered, st.OfferedTask = "", ""
	// the order, as if its number were given: the fault's words ("a
	// button") are no order of their own
	run, out, err := tr.startAs(ctx, name, warrantyLabel, aboutOrder(input, order))
	if err != nil {
		return Reply{}, false, err
	}
	r := tr.flowReply(ctx, run, out, nil)
	tr.noteTopic(pathWarranty, run, out)
	return r, true, nil
}

// returnedPart is the items of order id that run returns when the
// customer named some of them (the return flow's items, as its last
// quote says them), or "".
func returnedPart(run *flow.Run, id string) string {
	if v := run.Slots["items"]; v == "" || v == flow.AllItems || run.Result == nil || asText(run.Result.Data["order_id"]) != id {
		return ""
	}
	return asText(run.Result.Data["items"])
}
