package dialog

import (
	"context"
	nlutext "github.com/assistd/assist/nlu/text"
	"slices"
	"strings"
)

// coverAsk asks how long the warranty lasts, not how long a repair takes
// ("how long is the warranty on it then", "how long is it covered for",
// "保修期是多长时间", "质保几年"): the order's own warranty answers it.
var coverAsk = nlutext.MustPattern(`(?i)\bhow long\b[^?.!]{0,25}\b(warrant(y|ies)|guarantee|covered|cover)\b|` +
	`\b(warranty|guarantee)\b[^?.!]{0,15}\bhow long\b|\bcovered for how long\b|` +
	`(保修|质保|保固)期?[^？?。！!]{0,4}(多久|多长|几年|几个月|多少天|到什么时候|到哪天)`)

// coveredAsk asks whether something is covered at all ("is that
// covered by anything?", "is it covered or not", "any cover for that?").
var coveredAsk = nlutext.MustPattern(`(?i)\b(is|are|was|would) (that|it|this|they|those|these) (still )?covered\b|\bcovered by (anything|something|the warranty|warranty)\b|\bany (cover|coverage) for\b`)

// asksCover reports whether text asks how long the warranty lasts.
func asksCover(text string) bool {
	return coverAsk.MatchString(text)
}

// sameOrderOn reports whether a follow-up asks the same of another item
// of order: it points back at the order in so many words ("and the
// iphone cable from that same order?", "同一单的马克杯呢"), or names by
// what was bought ("and the mugs?") something in order and nothing in the
// customer's other orders.
func (tr *turn) sameOrderOn(ctx context.Context, order string) bool {
	if followUpCue(tr.text) == "" && !strings.ContainsAny(tr.text, "?？") {
		return false
	}
	if backToOrder.MatchString(tr.text) {
		return true
	}
	orders, ok, _ := tr.namedOrders(ctx, tr.input())
	if !ok || !orders.ByName || len(orders.Meant) == 0 {
		return false
	}
	return !slices.ContainsFunc(orders.Meant, func(i int) bool { return orders.Order(i) != order })
}

// backToOrder points back at the order just talked about ("from that same
// order", "in the same order", "同一单的", "这单里的").
var backToOrder = nlutext.MustPattern(`(?i)\b(same|that|this)\s+(order|parcel|package)\b|同一(个)?(订单|单)|(这|那)(个)?(订单|单)里`)
