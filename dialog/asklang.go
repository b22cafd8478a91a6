package dialog

import (
	nlutext "github.com/assistd/assist/nlu/text"
	"strings"
)

// A customer may ask for the answer in the other language ("can you
// answer in english pls, my wife wants to read it", "能用中文说吗"): the
// bot answers in that language from then on, and right after a task's
// answer gives that answer again in it (continuesDone).

var (
	asksEnglish = nlutext.MustPattern(`\b(in|into) english\b|\benglish (please|pls|plz)\b|用(英文|英语)|(英文|英语)(回|说|写|回复|回答)`)
	asksChinese = nlutext.MustPattern(`\b(in|into) (chinese|mandarin)\b|\bchinese (please|pls|plz)\b|用中文|说中文|中文(回|说|写|回复|回答)`)
)

// askedLang returns the language the message asks the bot to answer in,
// "en" or "zh", or "".
func askedLang(text string) string {
	low := strings.ToLower(text)
	switch en, zh := asksEnglish.MatchString(low), asksChinese.MatchString(low); {
	case en && !zh:
		return "en"
	case zh && !en:
		return "zh"
	}
	return ""
}
