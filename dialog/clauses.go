package dialog

import "strings"

// clauseEnds end a clause of a message: the one list every reader of a
// message's clauses splits at.
const clauseEnds = ",.;!?，。；！？、\n"

// clauses splits text at clauseEnds, each clause trimmed, empty ones left
// out ("i dont want to wait 24h, let me talk to someone pls": two).
func clauses(text string) []string {
	parts := strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(clauseEnds, r) })
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// phrases are text's clauses with those in Chinese split further at
// spaces, which Chinese customers type between clauses ("算了 先不退了 发货了吗");
// English words stay together.
func phrases(text string) []string {
	var out []string
	for _, c := range clauses(text) {
		if hasHan(c) {
			out = append(out, strings.Fields(c)...)
			continue
		}
		out = append(out, c)
	}
	return out
}

// asksSomewhere reports whether the message asks a question anywhere in
// it, not only at its end: a question mark, the particle "吗", a phrase
// ending in the particle "呢" ("那质量问题呢"; "呢子大衣" is cloth) or a
// phrase asking one ("wait do i pay the postage? im a gold member",
// "whatever. is the lamp in the same order").
func asksSomewhere(text string) bool {
	if isQuestion(text) || strings.ContainsAny(text, "?？吗") {
		return true
	}
	for _, p := range phrases(text) {
		if isQuestion(p) || strings.HasSuffix(p, "呢") {
			return true
		}
	}
	return false
}
