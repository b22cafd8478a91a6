package dialog

import (
	"context"
	"fmt"
	"github.com/assistd/assist/dialog/flow"
	nlutext "github.com/assistd/assist/nlu/text"
	"strings"
)

// The postage of the customer's own return. While a return is being set
// up or right after it was submitted, "do I pay the 12 yuan label?", "i'm
// not paying postage for a broken cooker right?" or "退货运费谁出" ask what
// this return costs, not the policy in general: the answer depends on the
// reason and the member's tier, which the help center's general answer
// leaves to the customer to work out (and a gold member read "Who pays:
// You" from its table). The shop's quote for the return (quote_return,
// its fee) says it: the bot tells the customer whether this return is
// free of postage or what label fee comes off the refund, and, in the
// flow, asks its question again. Without a quote for the return's reason
// yet, the quote of a no-reason return decides only when it is free (a
// return for a fault is never charged more than one without a reason);
// otherwise, and with no return in the conversation, the turn goes on as
// usual (the help center's answer).

// postageAsk names the postage of sending something back, and postagePay
// asks who pays it.
var (
	postageAsk = nlutext.MustPattern(`(?i)\bpostage\b|\breturn (shipping|label|postage|fee)\b|\b(ship|shipping|send|sending|mail|mailing|post|posting)( it| them| this| that)? back\b|` +
		`\b(pay|pays|paying|paid|cost|costs)\b[^.?!]{0,20}\blabel\b|\blabel (fee|cost|costs)\b|` +
		// in Chinese a 运费 is a return's only beside 退 or 寄回 ("退货运费谁出",
		// "寄回去运费要我出吗"; not "再买个红色的 运费多少")
		`(退|寄回)[^，。！？,.!?\s]{0,8}(运费|邮费|快递费)|(运费|邮费|快递费)[^，。！？,.!?\s]{0,6}(退|寄回)|寄回.{0,6}(钱|费)|退货标签`)
	// refundAsk asks how much of the price comes back ("will i get the
	// full refund?", "能全额退款吗"): while a return waits, the shop's
	// quote for it answers, as it answers its postage.
	refundAsk = nlutext.MustPattern(`(?i)\bfull refund\b|\b(the )?full (amount|price)\b|\bhow much (will|do|would|can) i get back\b|\bget (it )?all (of )?(my|the) money back\b|全额退|退全款|全款|能退多少|退多少钱|退回多少`)
	// notPostage is shipping insurance (运费险), not the postage paid.
	notPostage = nlutext.MustPattern(`运费险`)
	postagePay = nlutext.MustPattern(`(?i)\b(pay|pays|paying|paid|free|cost|costs|charge|charged|charges|fee|fees|covers?|covered|who)\b|谁|付|出[吗么嘛的吧呀啊]|不出|[我你们要用]出([吗么嘛的吧呀啊呢还？?，,。!！\s]|运费|邮费|快递费|$)|要我|要钱|收费|免费|承担|多少`)
)

// doneWindow is how many turns after a return was submitted a question
// about its postage is still about it.
const doneWindow = 3

// returnPostage answers a question about the postage of the return in
// progress or just submitted (see above); ok is false when the message
// is not one or the shop's quote does not settle it.
func (tr *turn) returnPostage(ctx context.Context) (Reply, bool, error) {
	a, st := tr.a, tr.st
	if a.Flows == nil || tr.conv == nil || tr.conv.CustomerRef == "" || notPostage.MatchString(tr.text) {
		return Reply{}, false, nil
	}
	returns, ok := a.Flows.ForIntent(pathReturn)
	if !ok {
		return Reply{}, false, nil
	}
	asksRefund := st.Flow != nil && st.Flow.Flow == returns && refundAsk.MatchString(tr.text)
	if !asksRefund && !postagePay.MatchString(tr.text) {
		return Reply{}, false, nil
	}
	// While a return waits, its 运费 or "shipping" is the return's ("这个
	// 运费该不会要我出吧", "快递费谁出"), as in the message that opens one
	// (openPostage); elsewhere it must say a return's postage.
	if !asksRefund && !postageAsk.MatchString(tr.text) && !(st.Flow != nil && st.Flow.Flow == returns && openPostage.MatchString(tr.text)) {
		return Reply{}, false, nil
	}
	var order, fee, refund string
	var known bool
	switch run := st.Flow; {
	case run != nil && run.Flow == returns:
		order = run.Slots["order_id"]
		if res := run.Result; res != nil && run.Slots["reason"] != "" && asText(res.Data["reason"]) == run.Slots["reason"] && asText(res.Data["refund_amount"]) != "" {
			fee, refund, known = asText(res.Data["fee"]), asText(res.Data["refund_amount"]), true
		}
	case run == nil && st.Done == returns && st.DoneTurn >= st.Turns-doneWindow && st.DoneResult["return_id"] != "":
		// create_return's contract (demoshop/doc.go) has no fee: a shop
		// that says none has said nothing about the postage, and the
		// no-reason quote below decides only when even that is free.
		var said bool
		order = st.DoneResult["order_id"]
		fee, said = st.DoneResult["fee"]
		if refund = st.DoneResult["refund_amount"]; said && refund != "" {
			known = true
		}
	default:
		return Reply{}, false, nil
	}
	for _, e := range tr.res.Entities {
		if e.Type == "order_id" && e.Value != order {
			return Reply{}, false, nil // another order
		}
	}
	if order == "" {
		return Reply{}, false, nil
	}
	if !known {
		res, err := tr.quoteNoReason(ctx, order)
		if err != nil {
			return Reply{}, false, err
		}
		if res.Status != flow.StatusOK || asText(res.Data["fee"]) != "" || asText(res.Data["refund_amount"]) == "" {
			return Reply{}, false, nil // the help center says when it is charged
		}
		refund = asText(res.Data["refund_amount"])
	}
	var r Reply
	if fee == "" {
		r.add(tr.say("postage.free", "order", order, "refund", refund), nil)
	} else {
		r.add(tr.say("postage.fee", "order", order, "fee", fee, "refund", refund), nil)
	}
	tr.label, tr.settled = pathReturn, true
	if run := st.Flow; run != nil {
		r.add(tr.reprompt(run))
	} else {
		st.DoneTurn = st.Turns // still the topic of the next turn
	}
	return r, true, nil
}

// quoteNoReason asks the shop what a return of order without a reason
// (changed mind) would give.
func (tr *turn) quoteNoReason(ctx context.Context, order string) (flow.Result, error) {
	return tr.quote(ctx, order, "changed_mind")
}

// quote asks the shop what a return of order for reason would give; an
// empty result when the shop cannot say.
func (tr *turn) quote(ctx context.Context, order, reason string) (flow.Result, error) {
	a, conv := tr.a, tr.conv
	if a.Backend == nil {
		return flow.Result{}, nil
	}
	params := map[string]string{"order_id": order, "reason": reason}
	if run := tr.st.Flow; run != nil && run.Slots["order_id"] == order {
		// the items of the return in progress, not the whole order
		if v := run.Slots["items"]; v != "" && v != flow.AllItems {
			params["items"] = v
		}
	}
	res, err := a.Backend.Call(ctx, flow.Request{
		Action:         "quote_return",
		TenantID:       conv.TenantID,
		ConversationID: conv.ID,
		CustomerRef:    conv.CustomerRef,
		Lang:           tr.lang,
		Params:         params,
		IdempotencyKey: fmt.Sprintf("%s/quote_return/%s/%d", conv.ID, reason, tr.st.Turns),
	})
	if err != nil {
		if ctx.Err() != nil {
			return flow.Result{}, err
		}
		return flow.Result{}, nil // no quote: the help center answers
	}
	return res, nil
}

// maxDoneValue bounds the values State.DoneResult keeps, in bytes.
const maxDoneValue = 64

// doneKeys are the values of a finished flow's last result that
// State.DoneResult keeps: what the postage of a return just submitted
// is told from (returnPostage).
var doneKeys = []string{"order_id", "return_id", "fee", "refund_amount"}

// doneResult is the doneKeys text values of run's last action result, for
// State.DoneResult; nil when there are none. A fee is kept even empty
// (none charged), as the shop said it; one the result lacks is absent.
func doneResult(run *flow.Run) map[string]string {
	if run.Result == nil || run.Result.Data["return_id"] == nil {
		return nil
	}
	var m map[string]string
	for _, k := range doneKeys {
		v, ok := run.Result.Data[k]
		if !ok {
			continue
		}
		s, ok := v.(string)
		if !ok || s == "" && k != "fee" || len(s) > maxDoneValue {
			continue
		}
		if m == nil {
			m = map[string]string{}
		}
		m[k] = s
	}
	return m
}

// The questions of the message that starts a return. "那件毛衣有点小 想退
// 运费要我出吗", "颜色不搭 还能退吗 最晚哪天", "i want to send the boots back,
// do i pay postage? and by when?": the return starts, and what the
// customer asked besides is answered from the shop's quote for the order
// before the flow's question, not dropped. In a message about a return a
// 运费 or "shipping" is the return's (openPostage); its deadline is asked
// with 最晚/截止/期限/还有几天/哪天之前/by when (askedBy); a bare 哪天 asks
// only where it closes the clause ("还能退吗 哪天"), not a day of the past
// ("忘了哪天买的了").
var (
	openPostage = nlutext.MustPattern(`(?i)\b(postage|shipping|label)\b|运费|邮费|快递费`)
	askedBy     = nlutext.MustPattern(`(?i)\b(by when|until when|deadline|last day|how long do i have|how many days do i have|how long have i got|time limit)\b|` +
		`最晚|截止|期限|还有几天|还剩几天|哪天(之前|前|为止)|哪天([吗呢啊呀?？~～]|\s*$)|几号(之前|前|为止)|到什么时候|到哪天|多少天内|几天内`)
)

// refundWhereAsk returns the phrase of text that asks where the money of
// a refund goes or how long it takes ("钱退到哪", "退款几天到账", "微信付的
// 钱几天能回来", "where does the refund go"), "" when none does.
func refundWhereAsk(text string) string {
	for _, p := range phrases(text) {
		low := strings.ToLower(p)
		if (refundCue.MatchString(low) || moneyWord.MatchString(low)) && (whereTo.MatchString(low) || howLong.MatchString(low)) && !postagePay.MatchString(low) {
			return p
		}
	}
	return ""
}

// moneyWord is the money itself ("钱退到哪", "where does the money go"):
// with a return at hand, the refund's.
var moneyWord = nlutext.MustPattern(`(?i)\bmoney\b|钱`)

// openingAsks answers the questions of the message that started run, a
// return of one order (above), or of a message it was given on the way:
// whether it is still in time (returnwindow.go), its postage when the
// shop's quote settles it (as returnPostage), and the last day to ask
// for it. It returns the
// messages to say before the flow's question, none when nothing is asked
// or the order is not known yet.
func (tr *turn) openingAsks(ctx context.Context, run *flow.Run) ([]string, error) {
	a := tr.a
	if run == nil || a.Flows == nil {
		return nil, nil
	}
	if returns, ok := a.Flows.ForIntent(pathReturn); !ok || run.Flow != returns {
		return nil, nil
	}
	order := run.Slots["order_id"]
	postage := openPostage.MatchString(tr.text) && postagePay.MatchString(tr.text) && !notPostage.MatchString(tr.text)
	by := askedBy.MatchString(tr.text)
	inTime := windowAsk.MatchString(tr.text)
	money := refundWhereAsk(tr.text)
	if order == "" || !postage && !by && !inTime && money == "" || tr.conv == nil || tr.conv.CustomerRef == "" {
		return nil, nil
	}
	var msgs []string
	if money != "" && a.KB != nil {
		// "想了想还是直接退掉吧 钱退到哪": where the refund to come goes and
		// how long it takes, in the help center's words (as midFlow
		// answers it once the return waits); a way of paying named
		// finds its own line.
		q := tr.say("aftersales.refund_where_ask")
		if payMethod.MatchString(strings.ToLower(money)) {
			q = money + " " + tr.say("aftersales.refund_topic")
		}
		p := *tr
		p.question = q
		ans, err := p.ask(ctx)
		if err != nil {
			return nil, err
		}
		if ans.Known {
			msgs = append(msgs, p.answered(ans).Messages...)
		}
	}
	if inTime {
		// returnwindow.go: "too late to return it?", "还来得及吗"
		line, err := tr.windowLine(ctx, order)
		if err != nil {
			return nil, err
		}
		if line != "" {
			msgs, by = append(msgs, line), false // the window's line says its last day
		}
	}
	if !postage && !by {
		return msgs, nil
	}
	reason := run.Slots["reason"]
	known := reason != ""
	if !known {
		reason = "changed_mind"
	}
	res, err := tr.quote(ctx, order, reason)
	if err != nil || res.Status != flow.StatusOK {
		return msgs, err
	}
	fee, refund := asText(res.Data["fee"]), asText(res.Data["refund_amount"])
	switch {
	case !postage || refund == "":
	case fee == "":
		msgs = append(msgs, tr.say("postage.free", "order", order, "refund", refund))
	case known:
		msgs = append(msgs, tr.say("postage.fee", "order", order, "fee", fee, "refund", refund))
	}
	if date, days := asText(res.Data["return_by"]), asText(res.Data["return_days"]); by && date != "" {
		if reason == "quality" || reason == "wrong_item" {
			days = asText(res.Data["quality_return_days"])
		}
		msgs = append(msgs, tr.say("return.by", "order", order, "days", days, "date", date))
	}
	return msgs, nil
}
