package dialog

import (
	"context"
	"slices"
	"strings"

	"github.com/assistd/assist/nlu"
)

// Right after a help-center answer ("a company invoice needs the tax ID;
// it is issued within 24 hours of delivery"), a short question pointing
// back at it ("when do I get it", "那它多久能开好") asks on about the
// answer's topic, though its words alone read as a parcel question to
// the intent model. When the topic belongs to another part of the shop
// than orders and parcels (the catalogue's skill), and the message names
// no order, parcel or product and does not ask where something is, the
// help center is asked the topic's question with the message.

// topicGoesOn answers such a question from the help center; ok is false
// when the message is not one or the help center does not know.
func (tr *turn) topicGoesOn(ctx context.Context) (Reply, bool, error) {
	a, st, in := tr.a, tr.st, tr.res.Intent
	if a.KB == nil || st.Answered != st.Turns-1 || st.Question == "" || !slices.Contains(statusIntents, in.Label) {
		return Reply{}, false, nil
	}
	low := strings.ToLower(tr.text)
	if !itWords.MatchString(low) || whereCue.MatchString(low) || trackCue.MatchString(low) || tr.namesOrder() || !isShort(tr.text, tr.res.Entities) {
		return Reply{}, false, nil
	}
	if slices.ContainsFunc(tr.res.Entities, func(e nlu.Entity) bool { return e.Type == "product" }) {
		return Reply{}, false, nil
	}
	topic := tr.answeredLabel() // the answer's topic, not this message's reading
	if !a.isKnowledge(topic) {
		return Reply{}, false, nil
	}
	c := a.catalog()
	was, _ := c.Intent(topic)
	now, _ := c.Intent(in.Label)
	if was.Skill == "" || was.Skill == now.Skill {
		return Reply{}, false, nil // shipping times, then "when do I get it": the parcel
	}
	tr.label, tr.settled, tr.question = topic, true, continuation(st.Question, tr.masked())
	ans, err := tr.ask(ctx)
	if err != nil || !ans.Known {
		tr.label, tr.settled, tr.question = in.Label, false, tr.text
		return Reply{}, false, err
	}
	st.renote(topic)
	return tr.answered(ans), true, nil
}
