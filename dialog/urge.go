package dialog

import (
	"slices"
	"strings"

	"github.com/assistd/assist/dialog/flow"
	nlutext "github.com/assistd/assist/nlu/text"
)

// A customer who asks the bot to hurry an order along ("太慢了吧 帮我催一下",
// "能不能催催快递", "can you hurry it up") is told the order's state, as for
// any question about it; the bot cannot chase a warehouse or a courier
// itself, so it says so and offers a person who can, rather than giving
// the state alone as if nothing had been asked.

// urgeAct asks for the order to be hurried along, in so many words.
var urgeAct = nlutext.MustPattern(`(?i)催一下|催催|催下|帮我催|给我催|帮忙催|催一催|催件|催单|催促|催快递|催仓库|加急|加快|` +
	`\bhurry (it|them|this|that|things) up\b|\b(can|could) you (please )?(hurry|chase|expedite|speed)\b|\bchase (it|them|this|the courier|the warehouse)\b|\bexpedite\b|\bspeed (it|this|things) up\b|\bpush (it|them) through\b`)

// notUrged turns the urge down ("别催了", "不用催").
var notUrged = nlutext.MustPattern(`(?i)(别|不用|不要|不必)催|\bno (need|rush)\b|\bdon'?t (hurry|rush)\b`)

// urgesOrder reports whether the message asks to hurry along the order
// run has just told the state of: paid and waiting to ship, or on its way.
func (tr *turn) urgesOrder(run *flow.Run) bool {
	if run == nil || tr.waiting || !tr.a.flowOfAny(run.Flow, []string{"order_status", trackIntent}) {
		return false
	}
	low := strings.ToLower(tr.text)
	if !urgeAct.MatchString(low) || notUrged.MatchString(low) || run.Result == nil || run.Result.Status != flow.StatusOK {
		return false
	}
	status, _ := run.Result.Data["status"].(string)
	eta, _ := run.Result.Data["eta"].(string) // a parcel still on its way (track_shipment)
	return slices.Contains([]string{"paid", "shipped"}, status) || eta != "" && !slices.Contains([]string{"delivered", "cancelled", "returned", "pending_payment"}, status)
}

// cancelsNamedOrder reports whether the message tells the bot to cancel an
// order it names, in so many words ("ok and the lamp order, just cancel it
// too, 太慢了", "台灯那单也别等了 直接取消吧", "the jacket order is taking
// forever, just cancel it"), while the model reads the complaint around
// it (a slow order's status or an urge): the customer's stated intent is
// the cancellation. Keeping the order, or a part of it, is no such
// message.
func (tr *turn) cancelsNamedOrder() bool {
	in := tr.res.Intent
	if tr.part || tr.st.Flow != nil || tr.waiting || sure(in) && in.Label != "cancel_order" && !slices.Contains(statusIntents, in.Label) {
		return false
	}
	low := strings.ToLower(tr.text)
	if !cancelGiveIn.MatchString(low) || keepsOrder(low) || keepsPart.MatchString(low) || dropItem.MatchString(low) || queueCancel.MatchString(low) || cancelAsked(tr.text) {
		return false
	}
	// "跑鞋三天了还不发货 气死了 给我取消": the order named by what was
	// bought (namesPurchase), as much as by its number.
	return tr.namesPurchase() || orderWord.MatchString(low)
}

// cancelAsked reports whether the cancel is asked, not told: the message
// ends in a question mark, or the phrase that says to cancel asks
// ("能给我取消吗"). An exclamation around it ("你们怎么回事啊 … 气死了 给我
// 取消") asks nothing of the order (REVIEW14 3).
func cancelAsked(text string) bool {
	t := strings.TrimSpace(text)
	if strings.HasSuffix(t, "?") || strings.HasSuffix(t, "？") {
		return true
	}
	found := false
	for _, p := range phrases(text) {
		if cancelGiveIn.MatchString(strings.ToLower(p)) {
			found = true
			if isQuestion(p) {
				return true
			}
		}
	}
	return !found && isQuestion(text)
}
