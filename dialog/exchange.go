package dialog

import (
	nlutext "github.com/assistd/assist/nlu/text"
)

// Another size or colour of something bought. The exchange flow
// (flows/exchange.yaml) answers by the state of the order the customer
// means: changed in the order's details before it ships, exchanged once
// it arrives, until when and how once delivered. The model hears such a
// wish as exchange_request, the flow's intent, or as modify_order, which
// covers any change to an order (a coupon added, an item dropped): a
// change of order that asks for another size or colour (asksVariant) is
// the exchange flow's too; any other goes to the help center and a person
// as before.

// modifyOrder is the intent of a change to an order, exchangeRequest
// that of an exchange (the exchange flow's).
const (
	modifyOrder     = "modify_order"
	exchangeRequest = "exchange_request"
)

// asksExchange says an exchange or a change ("swap", "exchange", "换",
// "a new one").
var asksExchange = nlutext.MustPattern(`(?i)\b(exchang\w*|swap\w*|switch\w*|chang\w*|trade|replace\w*|new one)\b|换|改`)

// asksVariant names a size or colour ("in a 43", "an M instead", "in
// black", "bigger", "换成44码", "大一码", "换个颜色").
var asksVariant = nlutext.MustPattern(`(?i)\b(sizes?|colou?rs?|bigger|smaller|larger|tighter|looser|shorter|longer)\b|` +
	`\b(to|for|in|into)\s+(an?\s+|the\s+)?(size\s+)?([0-9]{2}(\.5)?|xxs|xs|s|m|l|xl|xxl|xxxl|black|white|grey|gray|navy|blue|red|pink|green|beige|brown|cream|burgundy|oatmeal)\b|` +
	`尺码|码数|颜色|[大小]一?[号码]|[0-9]{2}\s*码|换成|改成`)

// wantedVariant is the size or colour asked for ("to a 43", "for an M",
// "换成44码") or the new item ("the new one"): what the customer wants,
// not a clue to which order they mean (a bare 43 would read as a price,
// "new" as the newest order).
var wantedVariant = nlutext.MustPattern(`(?i)\b(the |a )?new (one|ones|pair|size|colou?r)\b|新的|` +
	`\b(to|for|in|into)\s+(an?\s+|the\s+)?(size\s+)?([0-9]{2}(\.5)?|xxs|xs|s|m|l|xl|xxl|xxxl)\b|(换|改)成\s*[0-9]{2}\s*码?|[0-9]{2}\s*码`)

// flowFor is the flow that serves label for this message: the flow of
// the intent, or the exchange flow for a change of order asking for
// another size or colour.
func (tr *turn) flowFor(label string) (string, bool) {
	name, ok := tr.a.Flows.ForIntent(label)
	if !ok && label == modifyOrder && asksVariant.MatchString(tr.text) {
		name, ok = tr.a.Flows.ForIntent(exchangeRequest)
	}
	if ok && name == pathExchange && (tr.conv == nil || tr.conv.CustomerRef == "" || !asksVariant.MatchString(tr.text) && !asksExchange.MatchString(tr.text)) {
		// Not signed in, the help center says how exchanges work (and a
		// person is offered); a message that names no change at all ("do
		// you ship to australia? want to send my brother a hoodie") is no
		// exchange of an order, whatever the model hears.
		return "", false
	}
	return name, ok
}
