package dialog

import (
	"context"
	"fmt"
	"strings"

	nlutext "github.com/assistd/assist/nlu/text"
	"github.com/assistd/assist/rag"
)

// contactCues ask how to reach the shop other than this chat: its phone
// number, e-mail address or opening hours ("whats your phone number and
// when are you open", "I'll just email you. whats the address",
// "客服电话多少", "你们几点下班"). They are questions for the help center,
// not requests for a person, even when they name one ("人工客服几点上班").
var contactCues = nlutext.MustPattern(`(?i)` +
	`\byour\s+(phone|telephone|number|hotline|e-?mail|mail|contact|opening|business|office|working)\b|` +
	`\b(e-?mail|mail|call|phone|ring|contact|reach)\s+(you|u|ur|your team|your support|customer service|support)\b|` +
	`\b(opening|business|office|working|service|support|chat)\s+hours\b|` +
	`\b(when|what time|are|r)\s+(are|r|do|does)?\s*(you|u|ur|customer service|support|the chat)\s+(guys\s+)?(open|close|closed|available)\b|` +
	`\b(customer service|support|helpline)\s+(phone|number|e-?mail|hours)\b|` +
	`\bwhat'?s?\s+(is\s+)?the\s+(e-?mail|phone number|number to call|hotline)\b|` +
	`\b(is there|are there|do you have|do u have|have you got|got)\s+(a|an|any)\s+(((tele)?phone|contact|support)\s+(number|line|no)|hotline|helpline|e-?mail)\b|` +
	`\b(number|hotline|line)\s+(i|we)\s+(can|could)\s+(call|ring|dial)\b|` +
	`\b(can|could)\s+(i|we)\s+(just\s+)?(call|ring|phone)\s+(you|u|someone|somebody|instead)\b|` +
	`(客服|你们|你们的|人工|售后|商城)的?(电话|热线|邮箱|邮件|联系方式|工作时间|服务时间|上班时间|营业时间|在线时间)|` +
	`几点(上班|下班|开门|关门|营业|开始|结束|有人)|` + peopleHoursRE + `|` +
	`(营业|服务|上班|工作|在线)时间是|` +
	`怎么联系(你们|客服|商家|人工)|联系方式|客服电话|邮箱是多少|电话是多少|` +
	// the shop's mail asked for ("发邮件行不 邮箱给我", "邮件地址给一下"),
	// not an account's e-mail being changed or verified
	`(邮箱|邮件地址|邮箱地址)(号码)?[^，。！？,.!?]{0,2}(给我|发我|告诉我|给一下|发一下|说一下|多少)|(发|写)(个|封)?邮件[^，。！？,.!?]{0,3}(行|可以|能|吗)|` +
	// the number of a line ("你们铂金专属热线多少", "what's the platinum
	// hotline"), or the shop's line nobody answers ("你们电话打不通",
	// "called twice, nobody picks up"): how to reach the shop, not a
	// request for a person. A courier's phone or a phone case is not the
	// shop's line.
	`(热线|电话|客服号码)(号码)?[^，。！？,.!?]{0,3}(多少|是啥|是什么|几号)|专属(客服)?(热线|电话)|` +
	`(电话|热线)[^，。！？,.!?]{0,4}(没人接|打不通|不通|占线|一直忙)|` +
	`\b(the|your|ur|a|any|customer service|support)\s+(\w+\s+)?(hotline|helpline|phone line)\b|\b(can'?t|cannot|couldn'?t) get through\b|` +
	`\b(call(ed|ing)?|phon(e|ed|ing)|rang|ring(ing)?)\b[^.!?]{0,40}\b(no ?one|nobody)\b[^.!?]{0,12}\b(pick|answer)|` +
	`(能|可以|能不能|可不可以)(直接)?(给你们|给客服|跟你们)?打(个)?(电话|客服电话)|有(没有)?(客服|人工|售后)?(电话|热线)(吗|可以|能)|` +
	// whether anyone answers the telephone at a time the customer names
	// ("今天周日 打电话有人接吗", "现在晚上十点多了打电话有人接吗", "is anyone
	// answering the phone on sundays"): the hours, not a request for a
	// person. "人工客服有人在吗" names no phone and no time: it asks for a
	// person.
	`(` + phoneTimeZH + `)[^。！？!?]{0,12}(电话|热线)[^，。！？,.!?]{0,4}有人(接|在|回|值班)|` +
	`(电话|热线)[^，。！？,.!?]{0,4}有人(接|在|回|值班)[^。！？!?]{0,6}(` + phoneTimeZH + `)|` +
	`\b(any|some)(one|body)\b[^.?!]{0,12}\b(answer(ing)?|pick(ing)? up|on)\b[^.?!]{0,12}\b(phones?|line|hotline)\b`)

// phoneTimeZH names a time of day or a day in Chinese, for whether the
// telephone is answered then.
const phoneTimeZH = `今天|今晚|现在|这会|这个点|晚上|早上|上午|下午|中午|半夜|凌晨|明天|周[一二三四五六日天末]|星期|礼拜|几点|[0-9一二三四五六七八九十]+点|节假日|假期|过年|国庆`

// peopleHoursRE asks when the people behind the chat work ("what hours
// do your actual humans work", "when are real agents online", "which days
// is human support around", "真人客服什么时候在"): a question about the
// service, however it names a person.
const peopleHoursRE = `\b(what|which) (hours|times?|days)\b[^.?!]{0,40}\b(work|working|open|available|online|on duty|around|in)\b|` +
	`\b(when|what time)\b[^.?!]{0,30}\b(humans?|people|agents?|staff|persons?|reps?)\b[^.?!]{0,15}\b(work|working|available|online|around|on|in|start)\b|` +
	`(人工|真人|客服)[^，。！？,.!?]{0,4}(什么时候|几点|哪天|哪几天)(在|有人|上班|在线|能找到)`

// peopleHours is peopleHoursRE.
var peopleHours = nlutext.MustPattern(`(?i)` + peopleHoursRE)

// asksContact reports whether text asks how to reach the shop (see
// contactCues).
func asksContact(text string) bool {
	low := strings.ToLower(text)
	return contactCues.MatchString(low) && !otherLine.MatchString(low)
}

// otherLine names someone else's phone, a courier's ("快递员电话一直没人接"),
// or a phone as goods ("a phone case"): not the shop's line.
var otherLine = nlutext.MustPattern(`快递员|快递小哥|配送员|送货|师傅|骑手|\b(courier|driver|delivery (guy|man|person))\b|\bphone\s+(case|holder|stand|charger|mount|cover)`)

// contact answers a question about how to reach the shop from the help
// center: the knowledge base is asked the catalogue's contact question
// ("contact.question", in the shop's words) in place of the customer's,
// whose words ("whats the address", "邮箱是多少") would find delivery
// addresses or account e-mails; the facts (numbers, addresses, hours) are
// the help center's. The contact question with the customer's is the one
// a short follow-up ("weekends?") continues (State.Question, State.Answered;
// followup.go). ok is false when
// the message is not about contact or the help center does not know, and
// when the customer wants a person (see handOffFirst).
func (tr *turn) contact(ctx context.Context) (Reply, bool, error) {
	if tr.a.KB == nil || tr.contacted || !asksContact(tr.text) || tr.handOffFirst() {
		return Reply{}, false, nil
	}
	tr.contacted = true
	saved := tr.question
	tr.question = tr.say("contact.question")
	ans, err := tr.ask(ctx)
	tr.question = saved
	if err != nil {
		return Reply{}, false, err
	}
	if !ans.Known {
		return Reply{}, false, nil
	}
	// The customer's own words may name a line of their own that another
	// article tells about ("你们铂金专属热线多少", "the number for my
	// platinum hotline": the members' line, shown in the member centre):
	// that answer follows the contact one.
	// They are read first and answered only when that answer is given.
	tr.question = tr.text
	own, err := tr.lookUp(ctx, true) // the customer was answered: no gap
	tr.question = saved
	if err != nil {
		return Reply{}, false, err
	}
	tr.st.Question, tr.st.Answered = bounded(tr.say("contact.question")+" "+tr.masked()), tr.st.Turns
	r := tr.answered(ans)
	if own.ans.Known && firstDoc(own.ans) != firstDoc(ans) {
		ownAns, err := tr.settle(ctx, own)
		if err != nil {
			return Reply{}, false, fmt.Errorf("answering from the knowledge base: %w", err)
		}
		text, att := tr.withSources(ownAns)
		r.add(text, att)
	}
	return r, true, nil
}

// firstDoc is the document an answer quotes first, "" for none.
func firstDoc(ans rag.Answer) string {
	if len(ans.Sources) == 0 {
		return ""
	}
	return ans.Sources[0].Doc
}

// handOffFirst reports whether a message about reaching the shop is a
// request the hand-off rules answer (rules.go). Anger alone is not one:
// an upset customer whose call went unanswered is told the other ways in
// ("你们客服几点下班 电话打了没人接"). The customer asks for a
// person ("nobody picks up, get me a manager"; naming the service,
// "人工客服几点上班", asks its hours) or surely complains
// ("你们客服电话打不通 我要投诉") in words the complaint's keywords name.
func (tr *turn) handOffFirst() bool {
	if p := askedForHuman(tr.text); p != "" && !declinesPerson(tr.text) && !strings.Contains(tr.text, p+"客服") && !peopleHours.MatchString(strings.ToLower(tr.text)) {
		return true
	}
	// The model reads an unanswered line as a complaint ("called you guys
	// twice and nobody picked up"); a complaint is made in so many words.
	if in := tr.res.Intent; sure(in) && in.Label == "complaint" && tr.namesComplaint() { // queue.go
		return true
	}
	return false
}
