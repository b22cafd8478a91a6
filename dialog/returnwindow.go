package dialog

import (
	"context"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog/flow"
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
var windowAsk = nlutext.MustPattern(`(?i)\btoo late\b|\bstill\b[^.?!]{0,30}\b(return|send|exchange|refund)|\b(return|send)\w*\b[^.?!]{0,30}\bstill\b|\bin time\b|\b(return|returns) (window|period|deadline)\b|\bexpired?\b[^.?!]{0,20}\breturn|\breturn\b[^.?!]{0,20}\bexpired?\b|` +
	`还能退|还可以退|还能不能退|能不能退|还能申请退|来得及|过期|过了.{0,4}天|还在.{0,6}(期|内)|退货.{0,4}截止|最晚.{0,6}退`)

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
