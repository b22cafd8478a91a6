package dialog

import (
	"context"
	"strings"

	nlutext "github.com/assistd/assist/nlu/text"
	"github.com/assistd/assist/rag"
)

// Right after the bot told what a task on an order comes to ("…you can
// exchange it for another size until 2026-11-10: in My orders…"), a short
// question about what it costs that points back at it ("do i have to pay
// the shipping for that", "is that free?", "who pays for sending it
// back", "这个要运费吗") asks about that task, not about shipping in
// general: the help center is asked with the task's name in front of the
// message (as notseen.go does). When it has no answer, the turn goes on as
// usual. A return's own postage is postage.go's (the shop's quote).

// costCue asks what something costs or who pays.
var costCue = nlutext.MustPattern(`(?i)\b(pay|pays|paying|cost|costs|charge|charged|charges|fee|fees|free|postage|shipping|how much|who covers)\b|运费|邮费|快递费|多少钱|收费|免费|谁出|要钱|花钱`)

// pastAsk asks what something was, not what it will cost ("how much was
// it", "what did it cost").
var pastAsk = nlutext.MustPattern(`(?i)\b(was|were|did)\b|了吗?$`)

// tierNamed names a member tier ("I'm gold", "金卡会员").
var tierNamed = nlutext.MustPattern(`(?i)\b(gold|platinum|silver|vip)\b|金卡|铂金|白金|银卡|会员`)

// taskCost answers such a question (see above); ok is false when the
// message is not one or the help center does not know.
func (tr *turn) taskCost(ctx context.Context) (Reply, bool, error) {
	st, a := tr.st, tr.a
	if a.KB == nil || a.Flows == nil || st.Flow != nil || st.Done == "" || st.DoneTurn != st.Turns-1 {
		return Reply{}, false, nil
	}
	low := strings.ToLower(tr.text)
	if !costCue.MatchString(low) || !refersBack(tr.text) || !isShortish(tr.text) || tr.namesOrder() {
		return Reply{}, false, nil
	}
	if recalls.MatchString(low) || pastAsk.MatchString(low) || tierNamed.MatchString(low) {
		// "how much was it again": what the task said, asked again
		// (continuesDone); "do I pay postage for that? I'm gold": who
		// asks decides, read where the tier is (tierclaim.go).
		return Reply{}, false, nil
	}
	// The task named in words other than the cost's ("pay" names a
	// payment problem).
	if name, ok := a.Flows.ForIntent(a.keywordIntent(costCue.ReplaceAllString(low, " "), nil, true)); ok && name != st.Done {
		return Reply{}, false, nil // "how much to return it instead": a task of its own
	}
	if in := tr.res.Intent; sure(in) && a.isTask(in.Label) {
		if name, ok := a.Flows.ForIntent(in.Label); ok && name != st.Done {
			return Reply{}, false, nil
		}
	}
	label := st.Done
	if f, ok := a.Flows.Flow(st.Done); ok && len(f.Intents) > 0 {
		label = f.Intents[0]
	}
	if label == pathReturn {
		return Reply{}, false, nil // postage.go quotes a return's own
	}
	// The message with the task's name, then the cost question in the
	// help center's words: the first the help center is sure of.
	name := a.catalog().Name(label, tr.lang)
	saved := tr.question
	defer func() { tr.question = saved }()
	var ans rag.Answer
	for _, q := range []string{tr.say("taskcost.ask", "name", name), name + ": " + tr.text} {
		tr.question = q
		var err error
		if ans, err = tr.ask(ctx); err != nil {
			return Reply{}, false, err
		}
		if ans.Known {
			break
		}
	}
	if !ans.Known {
		return Reply{}, false, nil
	}
	tr.label, tr.settled = label, true
	st.renote(label)
	st.DoneTurn = st.Turns // the task is still the topic
	return tr.answered(ans), true, nil
}
