package dialog

import (
	"strings"

	nlutext "github.com/assistd/assist/nlu/text"
)

// A task no flow runs (a payment problem, the balance, the account's
// security) is offered to a person: "I can't sort out a payment problem
// for you here myself. Shall I connect you?". Asked whether the shop's
// rules allow something the customer does ("能支付宝付一半微信付一半吗",
// "货到付款总行吧", "do you take paypal", "can my mom pay for it instead"),
// the customer wants no task done: the help center's article answers (or
// says it does not know, offering a person), and no person is offered for
// a problem nobody has. A change to an order (an exchange, a modified
// order) is the shop's to make: still offered.

// canAskEN asks whether something may be done: a modal with its subject
// ("can I", "could my mom", "do you take", "is it possible").
var canAskEN = nlutext.MustPattern(`(?i)\b(can|could|may|will|would)\s+(i|we|u|you|my \w+|someone|somebody|a friend|they|it)\b|` +
	`\bis it (possible|ok|okay|allowed|fine)\b|\b(do|does) (you|u|the shop|your shop|y'?all) (take|accept|support|allow|offer|do|have)\b|\bany way to\b`)

// canAskZH asks the same in Chinese: A-not-A of a modal, a modal with a
// closing particle, or "X总行吧" (surely X works?).
var canAskZH = nlutext.MustPattern(`能不能|可不可以|可以不|支不支持|行不行|能否|是否可以|(能|可以|支持|接受|允许|用)[^，。！？,.!?]{0,12}(吗|么|嘛)|总(行|可以|能|该|算)[^，。！？,.!?]{0,3}吧`)

// asksIfCan reports whether the message asks whether the rules allow
// something (canAskEN, canAskZH) about a task no
// flow runs and that changes no order (label), giving no order number.
func (tr *turn) asksIfCan(label string) bool {
	if label == exchangeRequest || label == modifyOrder {
		return false
	}
	for _, e := range tr.res.Entities {
		if e.Type == "order_id" || e.Type == "tracking_number" {
			return false // that order's payment: the task
		}
	}
	low := strings.ToLower(tr.text)
	if hasHan(tr.text) && canAskZH.MatchString(low) {
		return true
	}
	return canAskEN.MatchString(low) // the modal before its subject asks ("btw can my mum pay")
}
