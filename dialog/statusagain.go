package dialog

import (
	nlutext "github.com/assistd/assist/nlu/text"
	"slices"
	"strings"
	"unicode/utf8"
)

// A customer who was just told about an order often goes on with another
// one in a few words the intent model reads as some other task ("oh wrong
// number lol. my keyboard order then", "哦打错了 那键盘那单呢"): the
// message names no task of its own, only an order, and continues the
// status question of the turn before.

// thenCue ends a message that continues the last request with what it
// names ("my keyboard order then", "the blue one then?").
var thenCue = nlutext.MustPattern(`\bthen\W*$`)

// statusBefore returns the status intent (statusIntents) the turn before
// this one was about, or "".
func (tr *turn) statusBefore() string {
	st := tr.st
	for i := len(st.Intents) - 1; i >= 0; i-- {
		n := st.Intents[i]
		if n.Turn >= st.Turns {
			continue
		}
		if n.Turn == st.Turns-1 && slices.Contains(statusIntents, n.Label) {
			return n.Label
		}
		return ""
	}
	return ""
}

// dayCue names a day a parcel may come ("so tuesday-ish?", "by the
// weekend?", "周五之前?", "礼拜天行不"): right after an order's status, a
// short message naming one asks when that order comes, whatever it adds.
var dayCue = nlutext.MustPattern(`\b(mon|tues?|wednes|thurs?|fri|satur|sun)days?\b|\b(weekend|tomorrow|tmrw)\b|` +
	`(周|星期|礼拜)[一二三四五六日天末几]|\b(what|which) day\b|明天|后天|大后天|月底|这周|下周`)

// dayAsk asks about the day it names ("by friday", "tuesday-ish", "what
// day", "星期几", "周五前", "周五ok不"), besides a question mark or 吗/呢
// (asksSomewhere).
var dayAsk = nlutext.MustPattern(`\b(by|before|until|till|latest)\b|ish\b|\b(what|which) day\b|` +
	`(周|星期|礼拜)几|前|不\W*$|能到|到得了`)

// partingDay names a day in a goodbye ("nice weekend!", "talk tomorrow",
// "see you monday", "周末愉快", "明天再说吧", "下周见"): no question of when
// an order comes, though a day is named.
var partingDay = nlutext.MustPattern(`\b(have|enjoy|nice|good|great|happy|lovely) (a |the |your )?(nice |good |great |lovely )?` +
	`(weekend|day|evening|night|one|week|(mon|tues|wednes|thurs|fri|satur|sun)day)\b|\b(see|talk to|speak to|catch) (you|ya|u)\b|` +
	`\b(talk|speak|chat) (tomorrow|later|soon|on)\b|愉快|再说(吧|了|啦|哈|\W|$)|(明天|后天|周.|星期.|礼拜.|下周|回头)见`)

// thanksWord thanks in so many words.
var thanksWord = nlutext.MustPattern(`\b(thanks?|thx|ty|cheers)\b|谢|感谢`)

// partingLabel returns the small-talk intent a goodbye with a day in it
// ("great thanks, nice weekend!", "行 明天再说吧") is: "thanks" when it
// thanks, else "goodbye"; "" when text is no such goodbye or asks
// something.
func partingLabel(text string) string {
	low := strings.ToLower(text)
	switch {
	case !partingDay.MatchString(low) || asksSomewhere(text):
		return ""
	case thanksWord.MatchString(low):
		return "thanks"
	}
	return "goodbye"
}

// asksDay reports whether text, naming a day (dayCue), asks about it:
// "so tuesday-ish?", "周五前ok不", not "great thanks, nice weekend!" or
// "好的 谢谢 周末愉快", which get the small-talk answer.
func asksDay(text string) bool {
	low := strings.ToLower(strings.TrimSpace(text))
	if !dayCue.MatchString(low) || partingDay.MatchString(low) {
		return false
	}
	return asksSomewhere(text) || dayAsk.MatchString(low)
}

// fewWords reports whether text is a few words, as a day asked of an
// order is ("so tuesday-ish?", "what day would that be", "周五前ok不"): at
// most 5 words, or 8 Chinese characters.
func fewWords(text string) bool {
	if hasHan(text) {
		return utf8.RuneCountInString(strings.Join(strings.Fields(text), "")) <= 8
	}
	return len(strings.Fields(text)) <= 5
}

// continuesStatus returns the status intent a follow-up right after an
// order's status continues when the message, read by the model as label,
// names no task in words (none of label's keywords); else "".
func (tr *turn) continuesStatus(label string) string {
	low := strings.ToLower(strings.TrimSpace(tr.text))
	day := asksDay(low) && fewWords(low)
	if !isFollowUp(tr.text) && !thenCue.MatchString(low) && !day {
		return ""
	}
	prev := tr.statusBefore()
	if prev == "" || tr.a.keywordIntent(low, []string{label}, true) != "" || label == "cancel_order" && cancelGiveIn.MatchString(low) {
		// "ok and the lamp order, just cancel it too": the cancel said.
		return ""
	}
	return prev
}
