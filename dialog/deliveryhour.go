package dialog

import (
	"slices"
	"strings"

	"github.com/assistd/assist/dialog/flow"
	nlutext "github.com/assistd/assist/nlu/text"
)

// A customer told when a parcel is expected often asks what no order
// record holds: the time of day it comes ("明天几点到 我白天上班不在家",
// "what time will it come"), or whether the courier calls first ("快递小哥
// 会打电话吗", "will the driver ring me"). Neither the order nor the help
// center says, so the answer with the day says so honestly rather than
// giving the day as if it answered the hour (extract13).

// asksHour asks for the time of day of a delivery, or for the courier's
// call before it.
var asksHour = nlutext.MustPattern(`(?i)几点|上午还是下午|早上还是下午|白天还是晚上|什么时间段|哪个时间段|几点钟|(会|要|先)(给我)?打(个)?电话|电话通知|(会|先)联系我|` +
	`\bwhat time\b|\b(morning|afternoon|evening) or (the )?(morning|afternoon|evening)\b|\btime (slot|window) (it|will)\b|` +
	`\b(will|does|would) (the |my )?(courier|driver|delivery (guy|man|person)|postman)\b[^.?!]{0,20}\b(call|ring|phone|text|contact)\b|\b(call|ring|phone|text) me (first|before)\b`)

// asksDeliveryHour reports whether the message asks the hour of, or a
// call before, the delivery of the parcel run has just told is on its way.
func (tr *turn) asksDeliveryHour(run *flow.Run) bool {
	if run == nil || !tr.a.flowOfAny(run.Flow, []string{"order_status", trackIntent}) {
		return false
	}
	if !asksHour.MatchString(strings.ToLower(tr.text)) || run.Result == nil || run.Result.Status != flow.StatusOK {
		return false
	}
	status, _ := run.Result.Data["status"].(string)
	eta, _ := run.Result.Data["eta"].(string)
	return eta != "" && !slices.Contains([]string{"delivered", "cancelled", "returned", "pending_payment", "paid"}, status)
}

// asksCall asks whether the courier calls before the delivery, and
// saysCall is a parcel event saying the courier will ("Out for delivery
// in Beijing; the courier will call you", "快递员正在派送，请保持电话畅通").
var (
	asksCall = nlutext.MustPattern(`(?i)打(个)?电话|电话通知|(会|先)联系我|\b(call|ring|phone|text|contact)\b`)
	saysCall = nlutext.MustPattern(`(?i)\bwill (call|phone|ring|contact) you\b|保持电话畅通|(会|将)(电话)?联系您|电话联系`)
)

// hourReply is what the bot says to a question on the
// hour or the call (asksDeliveryHour): when the customer asks whether the
// courier calls and the parcel's latest event says the courier will, that
// event answers it (delivery.call, its words quoted); otherwise the day is
// all we know (delivery.hour).
func (tr *turn) hourReply(run *flow.Run) string {
	if asksCall.MatchString(tr.text) {
		ev, _ := run.Result.Data["last_event_"+tr.lang].(string)
		if ev != "" && saysCall.MatchString(ev) {
			return tr.say("delivery.call", "event", ev)
		}
	}
	return tr.say("delivery.hour")
}
