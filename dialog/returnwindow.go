package dialog

import (
	"context"
	"slices"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/nlu"
	nlutext "github.com/assistd/assist/nlu/text"
)

// Whether the customer's own return is still in time. "too late to return
// it?", "can i still send them back", "还来得及退吗" ask about this order's
// window, not the policy in general; a return flow asking for the reason
// next leaves the customer without the answer they asked for (and with a
// reason to give for a return that may not be allowed). The shop's quote
// of a no-reason return (quote_return) says it: allowed until its
// return_by, or, turned down as window_expired, closed on return_by while
// a quality return may still be open until the quality quote's return_by.
// The answer comes before the flow's question, both when the message
// starts the return and while the return waits for an answer, with the
// other questions of such a message (openingAsks, postage.go).

// windowAsk asks whether a return is still possible ("too late to return
// it?", "can I still return them", "还能退吗", "来得及吗").
var windowAsk = nlutext.MustPattern(`(?i)\btoo late\b|\bstill\b[^.?!]{0,30}\b(return|send|exchange|refund)|\b(return|send)\w*\b[^.?!]{0,30}\bstill\b|\bin time\b|\b(return|returns|\d+[- ]?days?) (window|period|deadline)\b|\bexpired?\b[^.?!]{0,20}\breturn|\breturn\b[^.?!]{0,20}\bexpired?\b|` +
	`还能退|还可以退|还能不能退|能不能退|还能申请退|来得及|过期|过了.{0,4}天|过了.{0,4}(退货|退换|无理由)?期|(退货|退换|无理由)(期|期限)[^，。？！,.?!]{0,2}(过|到|结束)了|还在.{0,10}(期|内)|退货.{0,4}截止|最晚.{0,6}退`)

// windowLine says whether order can still be returned, from the shop's
// quotes; "" when they do not say (another refusal, no backend).
func (tr *turn) windowLine(ctx context.Context, order string) (string, error) {
	res, err := tr.quoteNoReason(ctx, order)
	if err != nil {
		return "", err
	}
	days := asText(res.Data["return_days"])
	by := asText(res.Data["return_by"])
	switch {
	case res.Status == flow.StatusOK && by != "":
		return tr.say("window.open", "order", order, "by", by, "days", days), nil
	case asText(res.Data["why"]) != "window_expired" || by == "":
		return "", nil
	}
	q, err := tr.quote(ctx, order, "quality")
	if err != nil {
		return "", err
	}
	if qby := asText(q.Data["return_by"]); q.Status == flow.StatusOK && qby != "" {
		return tr.say("window.quality", "order", order, "by", by, "days", days, "quality_by", qby), nil
	}
	return tr.say("window.closed", "order", order, "by", by, "days", days), nil
}

// withAsks puts lines before the last message of r, the flow's question.
func withAsks(r Reply, lines []string) Reply {
	if len(lines) == 0 || len(r.Messages) == 0 {
		return r
	}
	n := len(r.Messages) - 1
	out := r
	out.Messages = append(append(append([]string{}, r.Messages[:n]...), lines...), r.Messages[n])
	if len(r.Attachments) > n {
		att := append([]*assist.Attachments{}, r.Attachments[:n]...)
		for range lines {
			att = append(att, nil)
		}
		out.Attachments = append(att, r.Attachments[n:]...)
	}
	return out
}

// returnWindow names the window of returns by itself ("the 7 day window",
// "return period", 退货期, 无理由): the return is what is asked about.
var returnWindow = nlutext.MustPattern(`(?i)\b(return|returns|\d+[- ]?days?) (window|period|deadline)\b|退货期|退换期|退货期限|无理由`)

// returnPolicy is the help center's intent for the rules of returns.
const returnPolicy = "return_policy"

// orderWindow answers, from the order, whether an order named by its
// number can still go back or until when ("DD202610290020 还能退货吗？最晚哪天",
// "can I still return the rug from DD202610290020? until when?"), which
// the model reads as the return policy, a help-center question: the
// article says the rule, not whether this order is still in it (the
// cut-tags article answered "不能无理由退货" for an order returnable that
// day). The return flow starts with the order and its window line
// (openingAsks: returnable or not, the last day and the rule's days) comes
// before the flow's question; the return is what is asked about when the
// message asks for one (afterSalesPath), names the window (returnWindow:
// "is the 7 day window over for DD…?") or the model reads the return
// policy ("DD… 这个订单还在七天无理由期限内吗"). A task the model is sure of with a flow of
// its own takes the number as usual (an order's state is no such task:
// "has the return window for DD… closed already?"), so does a message
// that asks nothing of the window.
func (tr *turn) orderWindow(ctx context.Context, path string) (Reply, bool, error) {
	a, in := tr.a, tr.res.Intent
	if path != pathReturn && in.Label != returnPolicy && !returnWindow.MatchString(tr.text) || !(windowAsk.MatchString(tr.text) || askedBy.MatchString(tr.text)) {
		return Reply{}, false, nil
	}
	name, ok := tr.pathFlow(pathReturn)
	if !ok {
		return Reply{}, false, nil
	}
	if _, ok := a.Flows.ForIntent(in.Label); ok && !in.Ambiguous && !slices.Contains(statusIntents, in.Label) {
		return Reply{}, false, nil // the intent's flow takes the number
	}
	if !slices.ContainsFunc(tr.res.Entities, func(e nlu.Entity) bool { return e.Type == "order_id" }) {
		return Reply{}, false, nil
	}
	tr.st.Offered, tr.st.OfferedTask = "", ""
	run, out, err := tr.startAs(ctx, name, pathReturn, tr.input())
	if err != nil {
		return Reply{}, false, err
	}
	r := tr.flowReply(ctx, run, out, nil)
	tr.noteTopic(pathReturn, run, out)
	return r, true, nil
}
