package dialog

import (
	"strings"

	nlutext "github.com/assistd/assist/nlu/text"
)

// A question about a task's rules names a product the customer ordered
// but asks what the shop requires or charges in general, not what is to
// be done with that order: "do they have to stay sealed", "how much is a
// return label normally", "can i return socks if i just dont like the
// colour", "耳机退货必须没拆封吗", "袜子不喜欢可以退吗".
// Its kind is read from word classes, both languages (the state of the
// customer's own item, "耳机拆封了 能退吗", "barely worn it", is no rule
// asked: the return flow reads it, its seal question and saysUsed in
// fault.go, and answers for that order):
//
//   - a requirement: have to, need to, must, required, allowed; 必须,
//     一定要, 要求, 规定, 需要…吗;
//   - what is usual: normally, usually, in general, standard; 一般, 通常;
//   - a mere change of mind as the condition: "if i just don't like",
//     不喜欢/不想要 before a "can I".
//
// Asked as a question, such a message is the help center's first
// (howItWorks): the flow for the order the product names would answer
// with that order's state ("hasn't been delivered yet") instead of the
// rule asked for.
var ruleAsk = nlutext.MustPattern(`(?i)\b(have to|has to|had to|need to|needs to|must|required|requirements?|allowed|normally|usually|typically|generally|in general|standard)\b|` +
	`\bif (i|you|we|u) (just |simply |only )?(don'?t|do not|didn'?t|no longer|end up not) (like|liking|want|need|love)\b|` +
	`必须|一定要|要求|规定|需要.{0,8}[吗么嘛]|一般|通常`)

// mindAskZH asks whether a change of mind is enough ("袜子不喜欢可以退吗");
// beside a perfective or 已经 it tells of the customer's own item
// ("降噪耳机已经拆开试过了 也没啥毛病 就是不喜欢 可以退不"), which the return
// flow answers for that order.
var (
	mindAskZH  = nlutext.MustPattern(`(不喜欢|不想要|不合适|不合脚|不合身|尺码不对|改主意).{0,6}(能|可以|可不可以|能不能)`)
	ownStateZH = nlutext.MustPattern(`了|过|已经`)
)

// notRuleAsk hold a rule word without asking a rule: "used to", "i need
// to return" (a wish), "do i have to pay to send it back" (what this
// customer's return costs: the shop's quote for it, postage.go), and the
// customer's own habits or guesses ("i usually wear an M", "i must have
// ordered the wrong size", "我一般穿M", "我平时通常买L"), which tell of
// their own item, not of the shop's rules.
var notRuleAsk = nlutext.MustPattern(`(?i)\bused to\b|\b(i|we) (just )?(need|have) to (return|send|cancel|change|get)\b|\b(i|we|u) (still )?(have|need|got) to (pay|cover)\b|` +
	`\b(i|we|u|i'?m|my [a-z]+)( [a-z]+)? (usually|normally|typically|generally|always)\b|\b(i|we|u|you|it|they|that|this|someone|he|she) (must|must've) (have|be|'ve)\b|\bmust'?ve\b|` +
	`(我|我们|俺|平时|平常)(平时|平常)?(一般|通常|都)`)

// returnCondition asks about a condition of a return (returnrule.go): a
// supposition whose clause names the item's state or the cost ("if i've
// opened the box", "if i change my mind", "如果拆封了"), or what the label
// or the postage costs ("how much is a return label", "运费要多少钱"). A
// supposition that is only the customer's fallback ("if not i'll just
// keep it", "if so", "if you can't") or a label merely named ("will there
// be a label in the box") asks no rule.
var returnCondition = nlutext.MustPattern(`(?i)\bif\b[^,.;:?!]{0,40}\b(opened|open|unopened|seal|sealed|tags?|worn|wore|used|washed|packaging|packed|box|change (my|your|our) mind|don'?t (like|want|need)|do not (like|want|need))\b|` +
	`\b(how much|cost|costs|fee|fees|charge|charged|pay|free)\b[^.;?!]{0,30}\b(label|return shipping|postage)\b|\b(label|return shipping|postage)\b[^.;?!]{0,20}\b(cost|costs|fee|free|charge|charged|how much)\b|` +
	`(` + supposeZH + `)[^，。,.？?！!]{0,12}(拆封|拆开|拆了|吊牌|包装|穿过|用过|洗过|不喜欢|不想要|不合适|不合脚|不合身|尺码不对|买大了|买小了)|(运费|邮费|退货费)[^，。,.？?！!]{0,6}(多少|谁|怎么算|要钱|免费|吗)`)

// asksRule reports whether text asks about a task's rules in general (see
// above), a condition of a return among them (returnCondition). It is the
// one trigger: the help center answers it when no order is named
// (howItWorks), it does not run another task on the order just answered
// (otherTaskSameOrder), and a return flow run on it says the rule before
// the order's line (withReturnRule, returnrule.go).
func asksRule(text string) bool {
	low := strings.ToLower(text)
	if !asksSomewhere(text) && !inverted.MatchString(low) {
		return false // "ok so if i return them do they have to stay sealed" asks without a mark
	}
	low = notRuleAsk.ReplaceAllString(low, " ")
	return ruleAsk.MatchString(low) || returnCondition.MatchString(low) || mindAskZH.MatchString(low) && !ownStateZH.MatchString(low)
}
