package dialog

import (
	"regexp"
	"unicode"

	"github.com/assistd/assist/rag"
)

// stillWaiting is the reply to a waiting customer where the bot would
// otherwise offer a person: they already wait for one, so they are told
// where they stand instead (queue.go).
func (tr *turn) stillWaiting() Reply {
	return Reply{QueueStatus: true}
}

// plainQuestion reports whether a message the model could not place is
// nonetheless a plain question of some length put to the shop about
// itself or the customer's own dealings ("do u have a physical store in
// shanghai?", "你们在杭州有实体店吗") that the help center could not
// answer: the customer is told the bot does not know (the help center's
// words, which offer a person) rather than asked to rephrase what was
// clear. Short or wordless messages ("??", "what") and questions about
// the world ("who will win the match tonight?") are still asked to
// rephrase.
func (tr *turn) plainQuestion(ans rag.Answer) bool {
	return ans.Text != "" && isQuestion(tr.text) && substantial(tr.text) && personal.MatchString(tr.text)
}

// personal names the shop or the customer as a party: you/your/we/our,
// I/my/me, 你们/您/贵店/我.
var personal = regexp.MustCompile(`(?i)\b(you|u|your|ur|yours|we|our|us|i|i'?m|i'?d|i'?ll|my|me)\b|你们|您|贵店|贵司|商城|我`)

// substantial reports whether text says enough to be understood as it
// stands: four words, or six Chinese characters.
func substantial(text string) bool {
	words, han := 0, 0
	in := false
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
			in = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if !in {
				words++
			}
			in = true
		default:
			in = false
		}
	}
	return words >= 4 || han >= 6
}
