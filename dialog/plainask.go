package dialog

import (
	nlutext "github.com/assistd/assist/nlu/text"
	"unicode"

	"github.com/assistd/assist/rag"
)

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
// my/me, 你们/您/贵店/我的; "I"/"我" only asking what the customer may or
// must do with the shop ("can i pay by card", "我能开发票吗"), not as a
// speaker wondering about the world ("i wonder who wins tonight",
// "我想知道明天天气怎么样").
var personal = nlutext.MustPattern(`(?i)\b(you|u|your|ur|yours|we|our|us|my|me|mine)\b|\b(can|could|may|do|should|will|would|shall|did)\s+i\b|\bi\s+(can|could|need|have to|must|get|pay|order|ordered|bought|return|paid|want to (buy|return|order|pay))\b|你们|您|贵店|贵司|商城|我的|我们|我(能|可以|该|需要|得|要|买|下单|付|退|换)`)

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
