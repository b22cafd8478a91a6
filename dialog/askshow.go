package dialog

import (
	"strings"

	nlutext "github.com/assistd/assist/nlu/text"
	"github.com/assistd/assist/rag"
)

// A customer may ask how things go at the shop in a task's words: "can I
// follow the courier on a live map?", "if I change the address after
// paying, will it arrive later?", "取消订单以后，用掉的积分会退回来吗？",
// "快递能不能别放快递柜，直接送上门？". The model reads the task (tracking,
// an address change, a cancellation) and the bot asks the customer to sign
// in; what they wanted was the shop's answer. A request to the bot ("can
// you cancel my order?", "能帮我改一下地址吗") or a question about where their
// own order stands ("has my parcel shipped?", "我的快递到了吗") wants the
// task. AsksHowThingsGo is that reading, by form in both languages: the gap
// recorder reads it (a question of this kind the bot took for a task, after
// which the customer asks for a person, is a knowledge gap).

// asksBot asks the bot to do something: "can you …", please, "I want …",
// 帮我, 麻烦, 请 (not 请问), 我要, 我想.
var asksBot = nlutext.MustPattern(`(?i)^\W*((hi|hello|hey)\W+)?(can|could|would|will) (you|u)\b|\b(please|pls|plz)\b|` +
	`^\W*i(('d| would) like| want| need)\b|帮我|帮忙|给我|麻烦|请[^问]|我要|我想`)

// asksStateEN asks where one's own order stands: "has my parcel shipped?",
// "is my refund through?".
var asksStateEN = nlutext.MustPattern(`(?i)^\W*(has|have|is|are|did|was|were)\s+(my|our)\b`)

// asksDonePerfectiveZH asks whether something has happened: "发货了吗",
// "我的快递到了吗".
var asksDonePerfectiveZH = nlutext.MustPattern(`了[吗么嘛没]`)

// supposing sets a condition or asks what would happen: "if", "what
// happens", 如果, 的话, 以后.
var supposing = nlutext.MustPattern(`(?i)\b(if|what happens|in case|suppose|supposing)\b|如果|要是|假如|万一|的话|以后|之后`)

// AsksHowThingsGo reports whether text asks how things go at the shop (a
// yes/no question, or a question that supposes), not for the bot to do
// something nor where the customer's own order stands (see above).
func AsksHowThingsGo(text string) bool {
	t := strings.TrimSpace(text)
	if !isQuestion(t) || asksBot.MatchString(t) || asksStateEN.MatchString(t) || asksDoneZH.MatchString(t) || asksDonePerfectiveZH.MatchString(t) {
		return false
	}
	return rag.QuestionKind(t) == rag.KindYesNo || supposing.MatchString(t)
}
