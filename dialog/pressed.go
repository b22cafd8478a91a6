package dialog

import (
	"context"
	"strings"
	"unicode/utf8"
)

// "So what can I do" right after the bot offered a person for something
// it cannot do takes the offer (pressing, staffonly.go). A message that
// asks what to do about something new, in words of its own ("我这会儿根本
// 进不去app怎么弄", "my phone number changed too, what do I do"), is a
// question first: the help center answers it when it is sure, and the
// offer stands for the next message; otherwise the offer is taken.

// asksOwn reports whether the message says more than the pressing words
// in it: more than a few words, or characters of Chinese, remain.
func asksOwn(text string) bool {
	rest := strings.TrimSpace(pressing.ReplaceAllString(strings.ToLower(text), " "))
	rest = stripFollowUp(openingCourtesy(rest), nil)
	if hasHan(rest) {
		return utf8.RuneCountInString(strings.ReplaceAll(rest, " ", "")) > 6
	}
	return len(strings.Fields(rest)) > 4
}

// answerPressed answers a pressing message that asks a question of its
// own (see above) when the help center is sure of the answer, keeping the
// offer of a person (reason) open; ok is false otherwise.
func (tr *turn) answerPressed(ctx context.Context, reason string) (Reply, bool, error) {
	if tr.a.KB == nil || !asksOwn(tr.text) {
		return Reply{}, false, nil
	}
	ans, err := tr.ask(ctx)
	if err != nil || !ans.Known || ans.Confidence < ans.Threshold+KBMargin {
		return Reply{}, false, err
	}
	r := tr.answered(ans)
	tr.st.Offered = reason
	return r, true, nil
}
