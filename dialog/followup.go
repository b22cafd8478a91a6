package dialog

import (
	"context"
	"strings"
	"unicode"
)

// Short questions right after a help-center answer ("how long does it
// take", "weekends?", "ok 那质量问题呢", "and who pays for sending it
// back") often continue it. When the model is unsure of such a message
// the bot asks the help center the question it just answered together
// with the new words, then the message alone, and gives the first answer
// it is confident of; otherwise the turn goes on as usual.

// answeredWindow is how many turns after a help-center answer a short
// question may continue it.
const answeredWindow = 2

// elliptic answers a short question continuing the help center's last
// answer (see above); ok is false when the message is not one or the
// help center is not confident of the continued question.
func (tr *turn) elliptic(ctx context.Context) (Reply, bool, error) {
	st, in := tr.st, tr.res.Intent
	if tr.a.KB == nil || st.Question == "" || st.Answered == 0 || st.Answered < st.Turns-answeredWindow || st.Answered == st.Turns {
		return Reply{}, false, nil
	}
	rest := openingCourtesy(tr.text)
	cue := followUpCue(rest) != ""
	if !isShort(rest, tr.res.Entities) || !(cue || isQuestion(rest) || asksHowItWorks(rest)) {
		return Reply{}, false, nil
	}
	if sure(in) || tr.namesPurchase() {
		return Reply{}, false, nil
	}
	// The last question with the message's words first: the knowledge
	// base's confidence in a bare short question is no guide (it finds
	// "how long does it take" in the refund article as surely as in the
	// delivery one). Then the message as it is, with the last question
	// as its topic (the knowledge base decides whether it continues it).
	prev, q := st.Question, tr.question
	combined := prev + " " + stripFollowUp(openingCourtesy(tr.masked()), nil)
	defer func() { tr.question = q }()
	for _, question := range []string{combined, tr.text} {
		tr.question = question
		ans, err := tr.ask(ctx)
		if err != nil {
			return Reply{}, false, err
		}
		if ans.Known && ans.Confidence >= ans.Threshold+KBMargin {
			// The next follow-up continues the same first question, as
			// after any follow-up; a message answered as it is is a
			// question of its own.
			if question == combined {
				st.Question = prev
			}
			st.Answered = st.Turns
			return tr.answered(ans), true, nil
		}
	}
	st.Question = prev
	return Reply{}, false, nil
}

// openingCourtesy returns text without the acknowledgements it opens
// with ("ok 那质量问题呢" → "那质量问题呢", "so which is better" →
// "which is better").
func openingCourtesy(text string) string {
	t := strings.TrimSpace(text)
	for changed := true; changed; {
		changed = false
		low := strings.ToLower(t)
		for _, w := range acks {
			if !strings.HasPrefix(low, w) {
				continue
			}
			rest := t[len(w):]
			if r := []rune(rest); len(r) > 0 && !hasHan(w) && (unicode.IsLetter(r[0]) || unicode.IsDigit(r[0])) {
				continue // "okay" is not "ok" + "ay", "so" not in "sofa"
			}
			t = strings.TrimLeftFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
			changed = true
			break
		}
	}
	return t
}

// acks open a follow-up without adding to it.
var acks = []string{"ok", "okay", "so", "right", "alright", "and so", "好的", "好", "嗯嗯", "嗯", "哦", "噢", "行", "明白了"}
