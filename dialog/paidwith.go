package dialog

import (
	"context"
	"slices"
	"strings"

	nlutext "github.com/assistd/assist/nlu/text"
)

// Right after the bot told where an order's refund stands (its refund, or
// a cancellation that starts one), customers ask how long it takes for the
// way they paid ("退款多久到 我用的微信", "when's the 499 back on my
// alipay"), or where it goes ("是退银行卡还是支付宝"): the order's record says when the shop sends the money, the
// help center how long each payment method takes to show it. The help
// center is asked with the message, on refunds; when it has no answer,
// the turn goes on as usual.

// refundTasks are the tasks whose answer says when an order's money
// comes back: its refund, and those that start a refund of their own
// (refundingIntents: a return, a cancellation).
var refundTasks = append([]string{refundIntent}, refundingIntents...)

// payMethod names a way of paying.
var payMethod = nlutext.MustPattern(`(?i)\b(alipay|wechat( pay)?|weixin|bank ?card|debit card|credit card|visa|mastercard|paypal|huabei|store credit|gift card)\b|支付宝|微信|银行卡|信用卡|储蓄卡|花呗|余额|礼品卡`)

// paidCue says how the customer paid, a detail added to the refund just
// told ("paid with my credit card if that matters", "我用的花呗付的").
var paidCue = nlutext.MustPattern(`(?i)\b(paid|pay|payed|used|using|via|through|on my)\b|用的|付的|付款的|支付的`)

// namesOtherTask reports whether the message names a task other than a
// refund in so many words ("i paid by card, can i return the lamp").
func (tr *turn) namesOtherTask() bool {
	k := tr.keywordIntent()
	return k != "" && k != refundIntent && tr.a.isTask(k)
}

// whereTo asks where the money goes ("是退银行卡还是支付宝", "退到哪",
// "will it go back to my card or alipay?").
var whereTo = nlutext.MustPattern(`(?i)\b(where|which)\b|\bgo(es|ing)? back to\b|\bor\b|还是|退到|退回到|到哪|退哪|回哪|哪里|哪儿|哪个`)

// howLong asks how long something takes or when it comes.
var howLong = nlutext.MustPattern(`(?i)\b(` + howLongEN + `|when|by when)\b|\bwhen'?s\b|` + howLongZH + `|什么时候|啥时候|何时|几号`)

// howLongEN and howLongZH ask how long something takes: the words of
// howLong and of howAsk (fault.go).
const (
	howLongEN = `how long|how many days|how (fast|quick|quickly|soon)`
	howLongZH = `多久|几天|多长时间|多少天`
)

// paidWith answers such a question from the help center; ok is false when
// the message is not one or the help center does not know.
func (tr *turn) paidWith(ctx context.Context) (Reply, bool, error) {
	st, a := tr.st, tr.a
	if a.KB == nil || a.Flows == nil || st.Done == "" || st.DoneTurn != st.Turns-1 {
		return Reply{}, false, nil
	}
	low := strings.ToLower(tr.text)
	long, where := howLong.MatchString(low), whereTo.MatchString(low)
	said := !long && !where && paidCue.MatchString(low) && isShortish(tr.text) && !tr.namesOtherTask()
	if !payMethod.MatchString(low) || !long && !where && !said {
		return Reply{}, false, nil
	}
	for _, e := range tr.res.Entities {
		if e.Type == "order_id" || e.Type == "tracking_number" {
			return Reply{}, false, nil // another order
		}
	}
	if !a.flowOfAny(st.Done, refundTasks) {
		return Reply{}, false, nil
	}
	// The question it asks in the help center's words ("when's the 499
	// back on my alipay" names no refund; "钱多久退回来 我刷的信用卡" alone
	// finds how a return's refund runs), else the message as it is.
	method := payMethod.FindString(tr.text)
	asks := []string{tr.say("paidwith.ask", "method", method), tr.text}
	switch {
	case said:
		asks = asks[:1] // "paid with my credit card if that matters": it asks only in context
	case !long:
		// "退银行卡还是支付宝": where it goes, not when; the message alone
		// finds how long each method takes.
		asks = []string{tr.say("paidwith.where"), tr.text}
	}
	return tr.settleAsked(ctx, refundIntent, asks...) // the refund is still the topic
}

// slowCue asks why something takes so long ("为啥这么慢", "咋还没退完",
// "why is it taking so long").
var slowCue = nlutext.MustPattern(`(?i)(为啥|为什么|怎么|咋|凭什么)[^，。？！?!]{0,4}(这么|那么|还|都)[^，。？！?!]{0,3}(慢|久|没)|` +
	`\bwhy\b[^.?!]{0,30}\b(so long|so slow|taking|still|not yet|haven'?t|hasn'?t)\b|\b(taking|takes) (so|this|that) long\b`)

// returnCue says the goods went back ("仓库不是早就收到了吗", "都寄回去好几天了",
// "you got the parcel ages ago"): the refund of a return, which starts
// once the warehouse has checked it.
var returnCue = nlutext.MustPattern(`(?i)仓库|寄回|退回去|收到(了)?(货|东西|包裹)?|\b(warehouse|sent (it|them) back|got (it|the parcel|the package|them)|received)\b`)

// refundSlow answers "why so slow" right after the bot told where an
// order's refund stands ("为啥这么慢 仓库不是早就收到了吗"): the refund just
// told is what takes long, so an apology and how a refund runs, from the
// help center asked in its own words (a return's refund starts once the
// warehouse has checked it; each way of paying takes its days), rather
// than the words' own topic (仓库, 收到: a parcel to track). ok is false
// for any other message.
func (tr *turn) refundSlow(ctx context.Context) (Reply, bool, error) {
	st, a := tr.st, tr.a
	if a.KB == nil || a.Flows == nil || st.Done == "" || st.DoneTurn != st.Turns-1 || !slowCue.MatchString(strings.ToLower(tr.text)) {
		return Reply{}, false, nil
	}
	if !a.flowOfAny(st.Done, []string{refundIntent}) {
		return Reply{}, false, nil
	}
	if k := tr.keywordIntent(); k != "" && k != refundIntent && a.isTask(k) && !slices.Contains(statusIntents, k) {
		return Reply{}, false, nil // "why so slow, can I just cancel": another task named
	}
	for _, e := range tr.res.Entities {
		if e.Type == "order_id" || e.Type == "tracking_number" {
			return Reply{}, false, nil // another order
		}
	}
	asks := []string{tr.say("aftersales.refund_where_ask")}
	if returnCue.MatchString(strings.ToLower(tr.text)) {
		asks = append([]string{tr.say("refund.after_return_ask")}, asks...)
	}
	saved := tr.question
	defer func() { tr.question = saved }()
	for _, q := range asks {
		tr.question = q
		ans, err := tr.ask(ctx)
		if err != nil {
			return Reply{}, false, err
		}
		if !ans.Known {
			continue
		}
		tr.label, tr.settled = refundIntent, true
		st.renote(refundIntent)
		st.DoneTurn = st.Turns // the refund is still the topic
		r := Reply{Messages: []string{tr.say("refund.slow_sorry")}}
		r.addAll(tr.answered(ans))
		return r, true, nil
	}
	return Reply{}, false, nil
}
