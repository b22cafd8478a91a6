package dialog

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/assistd/assist/catalog"
	"github.com/assistd/assist/nlu"
	nlutext "github.com/assistd/assist/nlu/text"
)

// Some problems only a member of staff can fix: the bot has no action for
// them and no help-center article makes them go away. A customer charged
// twice, one whose account was taken over, one whose parcel came without
// an item, has already lost money, goods or control of the account; an
// offer they must accept first only keeps them waiting. The staff-only
// rule therefore hands such a message off at once as no_automation,
// after the help center's answer when it has one, and says what the bot
// cannot do and who will. A taken-over account is the exception: its
// first step (freeze it in the app) is the customer's own, so the freeze
// steps are given and a person offered; at once only when the customer is
// locked out (lockedOut: the step is beyond them) or asks for what only
// staff can do ("帮我把这两单核实一下退款").
//
// It is the rule for harm already done. A request the bot cannot carry
// out (an address change on a parcel already on its way, an exchange, a
// change to a paid order) is answered with what the bot can and cannot do
// and an offer of a person (offerPerson, the flows' offers); a customer
// who then presses on with what to do now, or who says it is urgent, is
// handed off (pressing, below). A question about such a problem in
// general ("what if I get charged twice?", "万一重复付款了会退吗", "how do
// I freeze my account") is a help-center question, not a report.

// staffNeeds are the kinds of harm only staff can repair, each with the
// words that report it, in both languages. The first kind that matches
// names the hand-off's evidence ("need") and its wording
// ("staff.<kind>").
var staffNeeds = []struct {
	kind  string
	waits bool // the shop's own process repairs it in time: answered and offered until that time has passed
	re    *nlutext.Pattern
	// gift: the cues left when the customer says the item was a gift
	// (gifted), which explains an order they did not place; nil: re.
	gift *nlutext.Pattern
}{
	// A double payment is refunded by the shop's own reconciliation first
	// (the help center says when): it waits, unless that time has passed.
	{"double", true, nlutext.MustPattern(`(?i)\bcharged\b[^.?!]{0,20}\b(twice|two times|double|2x)\b|\bdouble[- ]?(charg|billed|paid|payment)\w*|` +
		`\b(two|2|duplicate|double) (payments|charges|deductions|transactions)\b|\bpaid (twice|two times)\b|` +
		`(扣|付|支付|扣款|扣费|收)了?我?(两|2|二)次|(两|2)笔(扣款|钱|付款)|重复(扣款|扣费|扣钱|支付|付款|收费)`), nil},
	{"billing", false, nlutext.MustPattern(`(?i)\bcharged\b[^.?!]{0,20}\b(again|extra|more than|too much|the wrong)\b|` +
		`\bover-?charg\w*|\b(refund|refunded|got back|returned)\b[^.?!]{0,40}\b(short|less than|not the full|wrong amount|only (half|part))\b|` +
		`\bcharged me\b[^.?!]{0,40}\bbut\b[^.?!]{0,40}\b(price|was|said|showed|listed|cost)\b|` +
		`多扣|扣多了|扣错|多收|收多了|少退|退少了|(退款|退的)金额不对|退(款|的钱)?(比|少).{0,12}少`), nil},
	{"security", false, nlutext.MustPattern(`(?i)` + takeoverCues + `|` + notMineCues), nlutext.MustPattern(`(?i)` + takeoverCues)},
	{"missing", false, nlutext.MustPattern(`(?i)\b(wasn'?t|was not|weren'?t|were not|isn'?t|is not|not)\s+(in|inside)\s+(the|my)\s+(box|parcel|package|bag|delivery|order)\b|` +
		`\bmissing\s+(from|in)\s+(the|my)\s+(box|parcel|package|order|delivery)\b|\b(box|parcel|package)\s+(came|arrived|was)\s+(empty|without)\b|` +
		`\b(item|piece|part|one)s?\s+(is|are|was|were)\s+missing\b|` +
		`漏发|少发|少寄|缺件|少了一件|少一件|空包裹|空盒|(包裹|箱子|盒子)里(只有|没有)|(只有|只收到|只到了)[^。？！?!]{1,16}没(有|收到|看到|见)`), nil},
}

// takeoverCues report someone else in the account (hacked, 被盗, a
// stranger's login, a password someone changed); notMineCues an order or
// payment the customer did not make, which a gift explains.
const takeoverCues = `\b(they|someone|somebody|he|she|hackers?|scammers?)\s+(have\s+|has\s+)?(changed|reset)\s+(my|the)\s+(password|phone number|email|e-mail|mobile number|login details)\b|` +
	`\bhack(ed|er)\b|\bcompromised\b|\b(someone|somebody|a stranger|stranger)\b[^.?!]{0,30}\b(logged|log|got|signed|sign)\s*(in|into|on)\b|` +
	`\b(login|log-?in|sign-?in)\s+(alert|attempt|notification)s?\b|\b(unknown|unrecogni[sz]ed|strange|unfamiliar)\s+(device|phone|login|location|computer)s?\b|` +
	`\b(lock|freeze)\s+(my|the)\s+account\b|\bpassword\s+(has been|was|got)\s+changed\b|\baccount\b[^.?!]{0,20}\b(stolen|taken over|hijacked)\b|` +
	// "someone stole my account and changed the password", "they hijacked
	// my account", "somebody took over my account"
	`\b(stole|steal|stealing|hijack(ed)?|took over|taken over|taking over)\s+(my|the|our)\s+(account|acct|login|profile)\b|` +
	`\b(they|someone|somebody|he|she|hackers?|scammers?)\b[^.?!]{0,40}\b(changed|reset)\s+(my|the)\s+(password|phone number|email|e-mail|mobile number|login details)\b|` +
	`被盗|盗号|被黑|陌生(设备|手机|电脑|登录|地点)|异地登录|(密码|手机号|邮箱)[^，。？！,.?!]{0,4}被(人)?(改|换)|` +
	// "有人盗了我的号", "号让人偷了", "有人把我密码改了"
	`盗(了|走)?(我的?)?(号|账号|账户|帐号)|(号|账号|账户|帐号)[^，。？！,.?!]{0,4}(让|被)人?(偷|盗|黑)|(有人|别人|被人|黑客)[^，。？！,.?!]{0,6}(改了?|换了?)(我的?)?(登录)?(密码|手机号|绑定手机)|` +
	`(账号|账户|帐号|帐户)[^，。？！,.?!]{0,8}被(别)?(人)?(登|改|用|盗|黑)|被(别)?人(登录|登了|改了|盗|黑)|冻结(我的)?(账号|账户|帐号)`

// lockedOut says the customer has lost the way into the account: they
// cannot sign in, or its password, phone number or e-mail was changed
// ("they changed my password", "i can't even log in", "手机号也不是我的了",
// "登不上去了", "密码被改了"). Said with a takeover (takeoverCues), the help
// center's first step (freeze it in the app) is beyond them: only staff
// can check who they are and give the account back. Alone ("can't log in,
// no sms code") it is no takeover.
var lockedOut = nlutext.MustPattern(`(?i)\b(can'?t|cannot|can not|cant|unable to|couldn'?t|not able to|no longer)\s+(even\s+)?((log|sign)\s*(in|on|into)\b|get\s+(into\b|in\s*($|[.,!?;]|(to\s+)?(my|the|it)\b|any\s?more\b|again\b|now\b))|(access|open|use|get back into)\s+(my|the|it)\b)|\blocked (me )?out\b|` +
	`\b(password|login)\s+(doesn'?t|does not|won'?t|will not|no longer|isn'?t|is not)\s+(work|working|accepted)\b|` +
	`\b(password|passcode|phone number|email|e-mail|mobile number|login details)\b[^.?!]{0,20}\b(has been|was|were|got|been|is)\s+(changed|reset)\b|` +
	`\b(changed|reset)\s+(my|the)\s+(password|phone number|email|e-mail|mobile number|login)\b|` +
	`(登|登录|登陆)不(上|进|了)|(进|登)不去|(无法|没法|不能)(登录|登陆|登上|登进)|(密码|手机号|手机|邮箱|绑定的?手机号?)[^，。？！,.?!]{0,6}(被(人)?(改|换|修改)|改了|换了|不是我的|不是我|不对了|错误|不管用)|` +
	`(有人|别人|被人|他们?|黑客|对方)[^，。？！,.?!]{0,6}(改|换)了?(我的?)?(登录)?(密码|手机号|绑定手机)`)

// moneyTaken says the customer's money is already gone, not only an
// order placed: a card, balance or wallet used or charged ("bought two
// phones with my saved card", "drained my balance", "钱都扣了", "盗刷了我
// 绑定的卡"), a charge or payment reported, or the money asked back ("i
// want my money back", "把钱退给我"). Freezing the account does not bring
// it back and only staff can: said with a takeover, it is handed off at
// once. An order placed in the account ("placed an order i didnt make",
// "有人用我账号下单") or points spent leave the freeze steps to the
// customer first.
var moneyTaken = nlutext.MustPattern(`(?i)\b(with|on|from|using|used|charged|drained|emptied|spent|took|stole|maxed out)\s+(all\s+(of\s+)?)?my\s+(saved\s+|stored\s+|linked\s+|bank\s+|credit\s+|debit\s+)?(cards?|balance|wallet|money|funds|savings|store credit|gift card balance|paypal)\b|` +
	`\b(my|the)\s+(saved\s+|stored\s+|linked\s+|bank\s+|credit\s+|debit\s+)?(card|balance|wallet)\b[^.?!]{0,20}\b(was|got|has been|been|is)\s+(charged|used|debited|drained|emptied)\b|` +
	`\b(charged|debited|billed)\b|\b(charges?|payments?|transactions?|deductions?|withdrawals?)\b|\bmoney\b[^.?!]{0,20}\b(gone|taken|missing|spent|deducted|withdrawn|stolen)\b|` +
	`\b(my|the|our)\s+money\s+back\b|\brefund\s+(me|my money)\b|\bpaid\s+(for\s+)?(it\s+|them\s+)?(with|from|using)\s+my\b|` +
	`扣了|扣款|扣钱|扣费|钱[^，。？！,.?!]{0,4}(被|都|全|已经)(扣|花|转|刷|划|盗)|钱[^，。？！,.?!]{0,3}(扣|花|转|刷|划|盗)(了|走|光)|钱(都|全)?没了|(扣|划|转|刷)走|被(扣|划|刷)|盗刷|刷了?我的?卡|(用|拿|刷)了?我[^，。？！,.?!]{0,4}(卡|余额|钱包|零钱)|` +
	`(绑定|绑)的?(银行)?卡|余额[^，。？！,.?!]{0,6}(被|没|花|扣|用|少)|(把|将)?钱[^，。？！,.?!]{0,3}退(给我|回来|回给我|我)|退钱`)

const notMineCues = `\b(orders?|purchases?|payments?|charges?)\b[^.?!]{0,40}\b(not mine|aren'?t mine|isn'?t mine|wasn'?t me|weren'?t me)\b|` +
	`\bi\s+(never|didn'?t|did not|never did)\s+(make|made|place|placed|order|ordered|buy|bought|authori[sz]e)\b|` +
	`不是我(本人)?(下|买|付|订)的|我(都)?(没|没有|从没|从来没)(下过|买过|订过|下单)`

// inGeneral opens a question about a problem in general rather than
// a report of one ("what if I get charged twice?", "万一重复付款了").
var inGeneral = nlutext.MustPattern(`(?i)\b(what if|what happens|if i|if my|if someone|if somebody|in case|suppose|hypothetically|how do i|how can i|how to)\b|` + supposeZH + `|假设|会不会|怎么(冻结|防止|避免)|如何|的话`)

// elapsed says the shop's usual remedy has had its time ("3 days ago and
// no refund has started yet", "still nothing", "都三天了还没退").
var elapsed = nlutext.MustPattern(`(?i)\b(\d+|two|three|four|five|six|several|a few|a couple of)\s+(days?|weeks?|business days|working days)\b|` +
	`\b(still|yet|since)\b|\bno (refund|money)\b[^.?!]{0,20}\b(yet|so far|back)\b|` +
	`还没|还是没|仍然|依然|一直没|(\d+|一|两|三|四|五|几|好几)\s*(天|周|个星期|个工作日)(了|前|过去)|都.{0,4}(天|周|星期)了`)

// hedged reports a problem the customer is not sure of ("I think",
// "好像", "是不是号被盗了"). Unsure of it, and asking neither what to do
// nor for it to be dealt with (asksAction), the customer is told what
// they can do themselves (the freeze steps) and offered a person: a
// yes, or pressing on, hands off.
var hedged = nlutext.MustPattern(`(?i)\b(i think|i guess|maybe|seems?|seem to|might have|not sure|could it be|is it possible)\b|好像|似乎|貌似|可能|应该是|是不是|会不会|怕是`)

// asksAction asks what to do now (wayOutWords) or for the problem to be
// dealt with ("快帮我处理", "please sort it out", "帮我把这两单核实一下退款").
var asksAction = nlutext.MustPattern(`(?i)` + wayOutWords + `|` + dealtWithWords)

// dealtWithWords ask for the problem to be dealt with by the shop ("快帮我
// 处理", "please sort it out", "帮我把这两单核实一下退款"), not what to do now.
const dealtWithWords = `\b(please|pls|plz|can you|could you)\b[^.?!]{0,20}\b(sort|fix|deal with|look into|check|cancel|refund|handle)\b|` +
	`帮我[^，。？！,.?!]{0,12}(处理|核实|查|退|取消|解决|弄)|(快|赶紧|马上)(帮我)?(处理|解决)|给我(处理|解决)`

var dealtWith = nlutext.MustPattern(`(?i)` + dealtWithWords)

// gifted says the item came from someone else ("朋友送的 不是我买的", "it
// was a gift from my sister, I didn't buy it"): an order the customer did
// not place, but no stranger's (notMineCues). It never explains a
// takeover (hacked, 被盗), and a bare 送的 ("送的地址") or "a gift card" is
// no gift.
var gifted = nlutext.MustPattern(`(?i)\b(was|is|it'?s|its|were|got (it|them) as|received (it|them) as) an? (gift|present)\b|\b(gift|present) from\b|` +
	`\b(gave (it|them) to me|bought (it|them) for me|was given)\b|` +
	`(朋友|别人|家人|亲戚|同事|同学|老公|老婆|对象|男友|女友|男朋友|女朋友|闺蜜|爸|妈|爸妈|父母|儿子|女儿|孩子|姐|哥|弟|妹|他|她|人家)(们)?送(给)?(我)?的|送(给)?我的|` +
	`赠送|礼物|替我买|帮我买的|代买`)

// staffNeed returns the kind of harm only staff can repair that text
// reports (staffNeeds), whether a person is offered rather than brought
// in at once (the shop's own remedy may still come, or the customer is
// unsure of the problem: a hedge before the first cue or in its clause,
// not in a later question about its cause), and the words that showed it; kind "" when
// none, or when the message asks about it in general.
func staffNeed(text string) (kind string, waits bool, cue string) {
	if inGeneral.MatchString(text) {
		return "", false, ""
	}
	for _, n := range staffNeeds {
		re := n.re
		if n.gift != nil && gifted.MatchString(text) {
			re = n.gift
		}
		if at := re.FindStringIndex(text); at != nil {
			unsure := hedged.MatchString(text[:clauseEndAt(text, at[1])]) && !asksAction.MatchString(text)
			waits := n.waits && !elapsed.MatchString(text) || unsure
			if n.kind == "security" {
				// The help center's freeze steps are the customer's to take
				// first: the bot gives them and stays, offering a person,
				// unless the customer is locked out (the steps are beyond
				// them), asks for what only staff can do, or their money is
				// already gone (moneyTaken).
				waits = !lockedOut.MatchString(text) && !dealtWith.MatchString(text) && !moneyTaken.MatchString(text)
			}
			return n.kind, waits, strings.ToLower(strings.TrimSpace(text[at[0]:at[1]]))
		}
	}
	return "", false, ""
}

// clauseEndAt returns where the clause holding text[j-1] ends: at the
// next sentence end (. ? ! ; and their full-width forms, the Chinese
// comma), or in Chinese a space that parts clauses.
func clauseEndAt(text string, j int) int {
	for k, r := range text[j:] {
		if clauseEnd(text, j+k, r) {
			return j + k
		}
	}
	return len(text)
}

// clauseEnd says rune r at text[k] ends a clause.
func clauseEnd(text string, k int, r rune) bool {
	switch r {
	case '.', '?', '!', ';', '\n', '。', '？', '！', '；', '，':
		return true
	case ' ', '\t', '\u3000':
		before, _ := utf8.DecodeLastRuneInString(text[:k])
		after, _ := utf8.DecodeRuneInString(text[k+utf8.RuneLen(r):])
		return unicode.Is(unicode.Han, before) || unicode.Is(unicode.Han, after)
	}
	return false
}

// staffQuestions are the help-center questions, in the shop's words
// (catalogue keys), of the harms whose first steps are the customer's
// own: asked when the customer's words find no answer.
var staffQuestions = map[string]string{"security": "staff.security_question", "double": "staff.double_question"}

// staffOnly is the staff-only rule: a message reporting harm only staff
// can repair (staffNeed) is answered from the help center when it knows
// how, and told what the bot cannot do; it is handed off as
// no_automation at once, or, while the shop's own remedy may still come
// (waits), offered a person (State.Offered: a yes hands off).
func (tr *turn) staffOnly(ctx context.Context) (Reply, bool, error) {
	if tr.waiting {
		// A customer already waiting for a person is answered as usual.
		return Reply{}, false, nil
	}
	kind, waits, cue := staffNeed(tr.text)
	if kind == "" || tr.after != nil && waits {
		// Anger or a VIP's grievance settles the turn (upset.go), unless
		// the harm needs staff at once: "someone stole my account and
		// changed the password, i cant log in anymore!!" is handed off
		// as no_automation, angry or not (REVIEW14 4).
		return Reply{}, false, nil
	}
	upset := tr.after
	tr.after = nil
	var r Reply
	if tr.a.KB != nil && kind != "missing" { // the help center has no steps for an item not sent

		tr.question = tr.text
		ans, err := tr.ask(ctx)
		if err != nil {
			return Reply{}, false, err
		}
		if q, ok := staffQuestions[kind]; ok && !ans.Known {
			// "somebody logged in from beijing last night. what now": the
			// customer's words may not reach the article the harm has, the
			// shop's words for it do (the freeze steps).
			tr.question = tr.say(q)
			if ans, err = tr.ask(ctx); err != nil {
				return Reply{}, false, err
			}
			tr.question = tr.text
		}
		if ans.Known {
			r = tr.answered(ans)
		}
	}
	cannot := tr.say("staff." + kind)
	if kind == "security" {
		cannot = tr.securityCannot()
	}
	if waits {
		tr.st.Offered = ReasonNoAutomation
		r.add(catalog.Join(tr.lang, cannot, tr.say("staff.offer")), tr.yesNo())
		return r, true, nil
	}
	say := catalog.Join(tr.lang, cannot, tr.say("staff.now"), tr.say("escalation.next"))
	evidence := map[string]string{"need": kind, "phrase": cue}
	if upset != nil {
		evidence["upset"] = upset.Reason
	}
	h := tr.handoff(ctx, ReasonNoAutomation, evidence, append(r.Messages, say))
	h.Attachments, h.Knowledge = r.Attachments, r.Knowledge
	return h, true, nil
}

// ordersSaid says the customer spoke of orders, purchases or payments in
// the account ("somebody placed orders with my saved card", "多了两个订单",
// "盗刷了我的卡"), not only of the account itself.
var ordersSaid = nlutext.MustPattern(`(?i)\b(orders?|ordered|purchases?|purchased|bought|buying|placed|charged|charges?|payments?|cards?)\b|订单|下单|下了|[一两二三四五六几多]单|单子|买|盗刷|扣|卡`)

// securityCannot says what the bot cannot do about a taken-over account
// (staff.security): the orders someone else placed only when the customer
// spoke of them (ordersSaid, notMineCues, moneyTaken), and, while the
// customer can still get in (not lockedOut), the help center's own advice
// first: change the password, tell no one a code (REVIEW14 12).
func (tr *turn) securityCannot() string {
	key := "staff.security"
	if ordersSaid.MatchString(tr.text) || moneyTaken.MatchString(tr.text) {
		key = "staff.security_orders"
	}
	if lockedOut.MatchString(tr.text) {
		return tr.say(key)
	}
	return catalog.Join(tr.lang, tr.say("staff.security_password"), tr.say(key))
}

// pressing says the customer, told what the bot cannot do, still needs
// it done: asking what to do now ("so what can I do", "那怎么办"), or
// saying the usual remedy has not come ("still nothing", "都过两天了还没退回来",
// "I don't want to wait"). Right after the bot offered a person for
// something it cannot do, that takes the offer.
var pressing = nlutext.MustPattern(`(?i)` + wayOutWords + `|` +
	`\bstill (not|nothing|no|hasn'?t|haven'?t|isn'?t|hasnt|havent)\b|\b(hasn'?t|haven'?t|hasnt|havent|not|nothing)\b[^.?!]{0,30}\byet\b|` +
	`\b(don'?t|do not|dont) want to wait\b|\bcan'?t wait\b|` +
	`还没|一直没|都.{0,4}(天|周|星期)了|等不了|不想等`)

// wayOutWords ask what can be done now ("so what can i do then", "what
// are my options", "am i just stuck with it", "那怎么办"); wayOut matches them alone.
const wayOutWords = `\bwhat (can|do|should|shall|could) (i|we) do\b|\bwhat now\b|\bwhat are my options\b|\bwhat do i do\b|` +
	`\bany other (way|option)s?\b|\b(am i|i'?m|im) (just )?stuck with\b|怎么办|咋办|怎么弄|有什么办法`

var wayOut = nlutext.MustPattern(`(?i)` + wayOutWords)

// urgent says it cannot wait for an offer to be accepted: the parcel
// arrives today, the customer needs it now.
var urgent = nlutext.MustPattern(`(?i)\b(today|tonight|asap|urgent\w*|right away|right now|immediately|out for delivery|as soon as possible)\b|今天|今晚|马上|立刻|赶紧|急|尽快|派送中`)

// takeOffer accepts for the customer a flow's offer of a person (the
// step's yes hands off: flow.Engine.OffersPerson) when the message that
// led to it said it is urgent, or the message answering it presses on
// (pressing); r is the reply so far, returned unchanged otherwise.
func (tr *turn) takeOffer(ctx context.Context, r Reply, say *nlutext.Pattern) (Reply, error) {
	run := tr.st.Flow
	if r.Handoff != nil || run == nil || tr.a.Flows == nil || !tr.a.Flows.OffersPerson(run) || !say.MatchString(tr.text) {
		return r, nil
	}
	in := tr.input()
	in.Text, in.Intent, in.Entities = tr.say("choice.yes"), nlu.Intent{}, nil
	out, err := tr.a.Flows.Continue(ctx, run, in)
	if err != nil {
		return Reply{}, fmt.Errorf("continuing flow %s: %w", run.Flow, err)
	}
	// The run has moved on: what the flow says now is the reply, after r's
	// messages when the offer is made in this turn.
	next := tr.flowReply(ctx, run, out, nil)
	if say == pressing {
		return next, nil // the offer was made last turn
	}
	msgs := append(slices.Clip(r.Messages), next.Messages...)
	next.Messages, next.Attachments = msgs, r.Attachments
	return next, nil
}
