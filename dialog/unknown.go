package dialog

import (
	"regexp"
	"strings"
)

// A question about the shop the help center has no answer to ("do you
// have a real shop in shanghai i can walk into", "你们在上海有实体店吗") is
// not a message the bot failed to read: asking the customer to rephrase
// it leads nowhere. The bot says it does not know (the help center's own
// decline) and offers a person; off-topic chat ("what's the weather like
// in paris") and requests for something else ("can you sing me a song")
// still get the rephrase prompt that says what the bot can do.

// asksShop reports whether the message asks the shop for information: a
// question addressed to the shop or its people (addressed, upset.go)
// that does not ask the bot to do something for the customer.
func asksShop(text string) bool {
	low := strings.ToLower(text)
	return isQuestion(text) && addressed.MatchString(low) && !asksToDo.MatchString(low)
}

// asksToDo opens a request for the bot to do something, not a question
// about the shop.
var asksToDo = regexp.MustCompile(`^\s*(can|could|would|will) (you|u) (please )?(\w+ )?(tell|sing|write|say|play|help|give|send|show|make)\b|帮我|给我|陪我|替我`)
