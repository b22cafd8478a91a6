package dialog

import (
	"slices"

	"github.com/assistd/assist/nlu"
	nlutext "github.com/assistd/assist/nlu/text"
)

// Another size or colour of something bought. The exchange flow
// (flows/exchange.yaml) answers by the state of the order the customer
// means: changed in the order's details before it ships, exchanged once
// it arrives, until when and how once delivered. The model hears such a
// wish as exchange_request, or as modify_order, which covers any change
// to an order (a coupon added, an item dropped): either starts the flow
// when the message asks for another size or colour, or for an exchange of
// something it names (asksToExchange); any other goes to the help center
// and a person as before.

// modifyOrder is the intent of a change to an order, exchangeRequest
// that of an exchange (the exchange flow's).
const (
	modifyOrder     = "modify_order"
	exchangeRequest = "exchange_request"
)

// asksExchange says an exchange or a change ("swap", "exchange", "换",
// "a new one").
var asksExchange = nlutext.MustPattern(`(?i)\b(exchang\w*|swap\w*|switch\w*|chang\w*|trade|replace\w*|new one)\b|换|改`)

// asksVariant asks for another size or colour ("in a 43", "for an M",
// "in black", "bigger", "a different colour", "change the size",
// "换成44码", "大一码", "换个颜色"); a size merely named ("the care label
// says free size") is none.
var asksVariant = nlutext.MustPattern(`(?i)\b(bigger|smaller|larger|tighter|looser)\b|` +
	`\b(another|different|other|next|new|right|wrong) (size|colou?r)s?\b|\bsize (up|down)\b|\b(chang|switch|swap)\w* (the |its |my |their )?(size|colou?r)s?\b|` +
	`\b(to|for|in|into)\s+(an?\s+|the\s+)?(size\s+)?(` + numberSize + `|` + letterSizes + `|black|white|grey|gray|navy|blue|red|pink|green|beige|brown|cream|burgundy|oatmeal)\b|` +
	`尺码|码数|颜色|[大小]一?[号码]|[0-9]{2}\s*码|换成|改成`)

// notVariantSwap wants something other than another size or colour of
// the item bought: money or credit for it ("exchange the shoes for store
// credit", "swap it for a gift card", "换成购物金"), or one more on top
// ("add another one in black", "I want one more in grey", "再加一件黑色的").
var notVariantSwap = nlutext.MustPattern(`(?i)\b(for|into|to)\s+(a\s+|some\s+)?(store\s+credit|credit|refund|money|cash|gift\s*card|voucher|coupon|points)\b|` +
	`\b(add|adding|additional)\b|\bas well\b|\b(buy|order|get|want|need) (another|one more|a second)\b|换成(购物金|余额|积分|优惠券|礼品卡|现金|钱)|再(加|买|来|拍|多)|加(一|1)(件|双|个|条)|多买|多要`)

// wantedVariant is the size or colour asked for ("to a 43", "for an M",
// "换成44码") or the new item ("the new one"): what the customer wants,
// not a clue to which order they mean (a bare 43 would read as a price,
// "new" as the newest order).
var wantedVariant = nlutext.MustPattern(`(?i)\b(the |a )?new (one|ones|pair|size|colou?r)\b|新的|` +
	`\b(to|for|in|into)\s+(an?\s+|the\s+)?(size\s+)?(` + numberSize + `|` + letterSizes + `)\b|(换|改)成\s*[0-9]{2}\s*码?|[0-9]{2}\s*码`)

// flowFor is the flow that serves label for this message: the flow of
// the intent, or the exchange flow for an exchange or a change of order
// a signed-in customer asks for (asksToExchange). The exchange flow has
// no intent of its own: everywhere else (another task for the same order,
// an aside in a flow) an exchange is what it was, the help center's and a
// person's.
func (tr *turn) flowFor(label string) (string, bool) {
	if name, ok := tr.a.Flows.ForIntent(label); ok {
		return name, true
	}
	if label != exchangeRequest && label != modifyOrder || tr.conv == nil || tr.conv.CustomerRef == "" || !tr.asksToExchange() {
		// Not signed in, the help center says how exchanges work (and a
		// person is offered); a message that names no change at all ("do
		// you ship to australia? want to send my brother a hoodie") is no
		// exchange of an order, whatever the model hears, and one about
		// exchanges with nothing named ("is it free to swap?") is the help
		// center's.
		return "", false
	}
	if _, ok := tr.a.Flows.Flow(pathExchange); !ok {
		return "", false
	}
	return pathExchange, true
}

// asksToExchange reports whether the message asks for another size or
// colour, or for an exchange of something it names (a product, an order,
// "the new one").
func (tr *turn) asksToExchange() bool {
	if notVariantSwap.MatchString(tr.text) {
		return false // "for store credit", "add another one in black"
	}
	text := variantText(tr.text) // "so it arrives in 10 days" is no size
	if asksVariant.MatchString(text) {
		return true
	}
	if !asksExchange.MatchString(text) || text != tr.text {
		// Nothing changed, or a day changed ("能改到30号再发吗"): no
		// size or colour is asked for.
		return false
	}
	return wantedVariant.MatchString(text) || slices.ContainsFunc(tr.res.Entities, func(e nlu.Entity) bool {
		return e.Type == "product" || e.Type == "order_id" || e.Type == "tracking_number"
	})
}
