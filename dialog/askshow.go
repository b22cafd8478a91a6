package dialog

import (
	"strings"

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

// AsksHowThingsGo reports whether text asks how things go at the shop (a
// yes/no question, or a question that supposes): not a request to the bot
// (requestsBot), a task asked for about the customer's own thing
// (asksOwnTask: "can I return these shoes?", "可以改地址吗？"), a question
// about their own order (aboutOwnOrder: "will my order arrive tomorrow?",
// "我的快递今天能到吗？"), nor one that names an order by its number
// (NamesOrder; st may be nil).
func AsksHowThingsGo(text string, st *State) bool {
	t := strings.TrimSpace(text)
	if q := strings.TrimSpace(asksOpening.ReplaceAllString(t, "")); q != "" {
		t = q // "I was wondering, does …?": what follows is the question
	}
	if !isQuestion(t) || requestsBot(t) || asksOwnTask(t) || aboutOwnOrder(t) || NamesOrder(t, st) {
		return false
	}
	return rag.QuestionKind(t) == rag.KindYesNo || supposing.MatchString(t)
}
