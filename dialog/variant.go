package dialog

import (
	nlutext "github.com/assistd/assist/nlu/text"
)

// One reading of "another size or colour" for the after-sales path
// (modifyWish, fault.go) and the exchange flow (asksVariant and
// wantedVariant, exchange.go): the size tokens are written once here, and
// both read the message with its dates and durations taken out first
// (variantText): "能改到30号再发吗", "换到20号送", "so it arrives in 10 days"
// name a day, not a size.

// letterSizes are the letter sizes (XL to XXXL, XS and XXS, S, M, L),
// longest first: a regexp alternation takes the first that matches, and
// X{1,3} takes as many X as there are.
const letterSizes = `X{1,3}L|X{1,2}S|S|M|L`

// numberSize is a two-digit size (a shoe's 43, a waist's 32, a 42.5).
const numberSize = `[0-9]{2}(\.5)?`

// datesIn are days, dates and durations: "30号再发", "20号送", "12月3号",
// "10天后", "in 10 days", "on the 30th", "by the 20th", with the verb that
// changes to them ("改成12月28号", "换成25号之后发": 成 names no size there).
var datesIn = nlutext.MustPattern(`(?i)((改|换|推|延|挪)(成|到|迟到|后到)\s*)?([0-9]{1,2}\s*月\s*[0-9]{1,2}\s*[号日]?|[0-9]{1,2}\s*[号日]\s*(再|之后|以后|后|前|左右|那天|当天|才)?\s*(发|送|寄|到|收|派|出))|` +
	`[0-9]+\s*(天|周|个月|小时|个工作日)|` +
	`\b(in|within|after|for|about|around)\s+(a\s+few\s+|[0-9]+\s+)(days?|weeks?|months?|hours?)\b|` +
	`\b[0-9]+\s*(days?|weeks?|months?|hours?)\b|` +
	`\b(on|by|until|till|before|after|around)\s+(the\s+)?[0-9]{1,2}(st|nd|rd|th)?\b(\s+of\s+\w+)?|\b[0-9]{1,2}(st|nd|rd|th)\b`)

// variantText is text with its dates and durations blanked out (above).
func variantText(text string) string {
	return datesIn.ReplaceAllString(text, " ")
}
