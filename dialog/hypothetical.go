package dialog

import (
	nlutext "github.com/assistd/assist/nlu/text"
	"strings"
)

// Customers ask what would happen ("窗帘到了如果颜色不喜欢 能换别的颜色吗",
// "if the boots don't fit once they arrive can I swap them", "要是明天还
// 没到怎么办"): words about an order's state or a task sit in the
// condition, and the question is how the shop's policy works, which the
// help center answers, not the order's status nor the task run now.

// modalAsk asks in Chinese what is possible or what happens then (English
// asks in question order, questionorder.go); the condition is fault.go's
// hypothetical.
var modalAsk = nlutext.MustPattern(`(?i)能不能|可不可以|行不行|能否|能.{0,8}[吗嘛么]|可以.{0,8}[吗嘛么]|怎么办|咋办|会不会|\bwhat happens\b`)

// asksWhatIf reports whether text asks what would happen under a
// condition (see above).
func asksWhatIf(text string) bool {
	low := strings.ToLower(text)
	return hypothetical.MatchString(low) && (modalAsk.MatchString(low) || inverted.MatchString(low) || isQuestion(text))
}
