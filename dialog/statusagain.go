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
	day := dayCue.MatchString(low) && fewWords(low)
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
