package dialog

import (
	"context"
	"fmt"

	"github.com/assistd/assist/rag"
)

// PublishedMatcher is a knowledge base that can tell whether a question
// asks one of the answers published from the gap report; *rag.Service
// implements it.
type PublishedMatcher interface {
	// MatchPublished answers req from the published FAQ entry it asks
	// closely; ok is false when there is none.
	MatchPublished(ctx context.Context, req rag.AnswerRequest) (rag.Answer, bool, error)
}

// published answers the message from the answer a knowledge manager
// published for it (the gap report's loop: what the bot could not answer
// before, in the customers' own words), before the bot asks "X or Y?",
// starts a task it is unsure of, or asks to rephrase: the customer asked
// this before and a person wrote the answer. A message naming an order,
// and a task the model is sure of asked about the customer's own order or
// parcel ("where's my desk lamp" and an entry about the lamp; aboutOwnOrder),
// asked for about their own thing ("can I return these jeans?", "可以改地址吗？";
// asksOwnTask, ownorder.go) or asked for in the task's own keywords ("我想退货", "cancel the lamp order": the
// task, not an entry about return postage), are about the order, not a
// general question; any other message is checked even
// when the model is sure of a task ("guest checkout?", "update my email",
// "快递员能等我验货再签吗": the words of a task, asked about the shop).
func (tr *turn) published(ctx context.Context) (Reply, bool, error) {
	m, ok := tr.a.KB.(PublishedMatcher)
	if in := tr.res.Intent; !ok || tr.namesOrder() || sure(in) && tr.a.isTask(in.Label) && (aboutOwnOrder(tr.text) || asksOwnTask(tr.text) || tr.keywordIntent() == in.Label && !isQuestion(tr.text)) {
		return Reply{}, false, nil
	}
	filter, conv := tr.kbScope()
	ans, ok, err := m.MatchPublished(ctx, rag.AnswerRequest{Filter: filter,
		Question: tr.text, Lang: tr.lang, ConversationID: conv})
	if err != nil {
		return Reply{}, false, fmt.Errorf("matching published answers: %w", err)
	}
	if !ok {
		return Reply{}, false, nil
	}
	tr.st.Question = tr.masked()
	tr.st.Answered = tr.st.Turns
	return tr.answered(ans), true, nil
}
