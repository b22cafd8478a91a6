package dialog

import (
	"slices"
	"strings"
	"unicode"
)

// calmQuestion reports whether the message is a plain question with no
// sign of hostility: every sentence in it ends with a single question
// mark (no statement besides) and asks something, it has no
// exclamation mark, no repeated question marks ("？？", "?!"), no emoji,
// no words of dissatisfaction (tr.grievance) and nothing hostile
// (shouting, swearing, insults). The sentiment model reads anger into
// some neutral questions from their words alone ("你们能派师傅来装一下吗？
// 收费吗？", "想把产品放到你们平台上卖，要找谁谈合作？"); by the labelling
// rule anger needs signs of hostility, so such a question is answered,
// not handed off as anger. A negative one still counts for the trend.
func (tr *turn) calmQuestion() bool {
	t := strings.TrimSpace(tr.text)
	if !strings.HasSuffix(t, "?") && !strings.HasSuffix(t, "？") || strings.ContainsAny(t, ".。\n") {
		return false // a statement besides the question ("what a joke. can you…?")
	}
	if strings.ContainsAny(t, "!！") || strings.Contains(t, "??") || strings.Contains(t, "？？") ||
		strings.Contains(t, "?？") || strings.Contains(t, "？?") {
		return false
	}
	for _, r := range t {
		if r >= 0x1F000 || unicode.Is(unicode.So, r) {
			return false // 😡, 🤬, 💢
		}
	}
	// Each question asks something (a question word, "吗", an English
	// question opening); a rhetorical one does not ("说我进水？你们这样对待
	// 老客户？", "you call this service?").
	for _, q := range strings.FieldsFunc(t, func(r rune) bool { return r == '?' || r == '？' }) {
		if !slices.ContainsFunc(clauses(q), isQuestion) {
			return false
		}
	}
	return tr.grievance() == "" && tr.hostile() == ""
}
