package dialog

import (
	"context"
	"slices"
	"strings"

	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/nlu"
	nlutext "github.com/assistd/assist/nlu/text"
)

// What a message says besides the answer a flow waits for (issue 11,
// patterns 3 and 4). The flow takes what fills a slot; the rest is read
// as if no flow were waiting:
//
//   - a question where the flow would take the customer's own words (a
//     return's reason "other": "btw where do I find the number for my
//     dedicated line", "oh and when is member day again") is answered,
//     and the flow's question asked again (besidesOwnWords);
//   - a statement that bears on the flow's rules ("i did wear them
//     outside twice tho", "已经穿出去过两回了") gets the help center's
//     condition for it, and the flow's question again (usedAside);
//   - a withdrawal with more after it ("nvm keep the home address,
//     sorry. when do the shoes ship anyway", "那算了。。之前买的训练鞋
//     鞋底开胶了") is the flow's own no (or the flow dropped), and the
//     rest is answered as the turn (cancelThen, flowturn.go).

// discourseOpeners lead into a question without being part of it ("oh
// and", "btw", "by the way", "also", "wait", "对了", "顺便问下").
var discourseOpeners = nlutext.MustPattern(`(?i)^\s*((oh|ah|ok|okay|so|also|and|plus|btw|by the way|wait|hmm+|um+|uh+|actually|anyway|quick question|one more thing|another thing|oh yeah|oh and)\b[\s,.:;!-]*)+|^\s*(对了|顺便问下|顺便问一下|顺便问问|另外|还有|哦|噢|嗯+)[，,。.\s]*`)

// asksOnTheWay reports whether the message asks a question of its own,
// after any words that only lead into it ("btw where do I find …", "oh
// and when is member day again", "has the dress been sent out yet").
func asksOnTheWay(text string) bool {
	if asksSomewhere(text) {
		return true
	}
	for _, p := range phrases(text) {
		low := strings.TrimSpace(discourseOpeners.ReplaceAllString(strings.ToLower(p), ""))
		if low == "" {
			continue
		}
		if opensQuestion(low) || hasAsks.MatchString(low) || embeddedAsk.MatchString(low) {
			return true
		}
	}
	return false
}

// hasAsks opens a question with "has/have" ("has it shipped yet", "have
// you sent it out").
var hasAsks = nlutext.MustPattern(`^(has|have|hasn'?t|haven'?t)\s+(it|they|the|my|this|that|you|u|anyone|someone)\b`)

// besidesOwnWords answers a message that asks something of its own while
// run waits for a choice it would take the customer's own words for (the
// return's reason "other"): the question is answered as if no flow were
// waiting and the flow's question asked again, rather than the question
// becoming the reason. A statement of the item's use is the return's
// condition (usedAside). ok is false for any other message.
func (tr *turn) besidesOwnWords(ctx context.Context, run *flow.Run) (Reply, bool, error) {
	a := tr.a
	if a.KB == nil || tr.part {
		return Reply{}, false, nil
	}
	if r, ok, err := tr.usedAside(ctx, run); err != nil || ok {
		return r, ok, err
	}
	if !a.Flows.OwnWords(run, tr.input()) {
		return Reply{}, false, nil
	}
	asks := asksOnTheWay(tr.text)
	if !asks && saysFarewell(tr.text) {
		// "cool thx, have a nice sunday": a goodbye, not the reason
		tr.st.Flow = nil
		return Reply{Messages: []string{tr.say("goodbye")}}, true, nil
	}
	if !asks {
		return Reply{}, false, nil
	}
	r, err := tr.digress(ctx, run, true)
	return r, err == nil, err
}

// usedAside answers a statement that the item to return was worn, used,
// washed or opened, said while the return waits and naming no fault ("i
// did wear them outside twice tho", "不过我已经穿出去过两回了", "手机壳也想退
// 包装拆了但没用过"): whether such an item can go back is the help
// center's condition, asked in the shop's words (fault.go asks the same
// when a return opens with it). What the message gives the flow (the
// seal opened) goes to it, and its reply follows; else the flow's
// question is asked again. One reply serves both readings.
func (tr *turn) usedAside(ctx context.Context, run *flow.Run) (Reply, bool, error) {
	a := tr.a
	if !a.flowOfAny(run.Flow, []string{pathReturn}) || run.Awaiting == flow.AwaitConfirm {
		return Reply{}, false, nil
	}
	key := ""
	switch {
	case saysUsed(tr.text):
		key = "used.question"
	case saysOpened.MatchString(strings.ToLower(tr.text)) && !notOpened.MatchString(strings.ToLower(tr.text)):
		key = "opened.question"
	default:
		return Reply{}, false, nil
	}
	if r := a.Flows.Option(run.Flow, "reason", tr.text); r == "quality" || r == "wrong_item" {
		return Reply{}, false, nil // a fault: the condition of a no-reason return does not apply
	}
	saved, topic := tr.question, tr.onTopic
	tr.question, tr.onTopic = tr.say(key), ""
	ans, err := tr.ask(ctx)
	tr.question, tr.onTopic = saved, topic
	if err != nil || !ans.Known {
		return Reply{}, false, err
	}
	kb := tr.answered(ans)
	in := tr.input()
	if a.Flows.Gives(run, in) && !a.Flows.OwnWords(run, in) {
		r, err := tr.cont(ctx, in)
		if err != nil {
			return Reply{}, false, err
		}
		return tr.before(kb, r), true, nil
	}
	kb.add(tr.reprompt(run))
	return kb, true, nil
}

// notOpened says the seal or box was not opened ("没拆", "still sealed").
var notOpened = nlutext.MustPattern(`(?i)(没|未|没有|还没|不曾)(拆|打开|开封)|\b(unopened|not opened|never opened|haven'?t opened|didn'?t open|still sealed)\b`)

// saysOpened says the item's box or seal was opened ("包装拆了", "已经拆开
// 了", "i already opened the box", "broke the seal").
var saysOpened = nlutext.MustPattern(`(?i)(拆了|拆开|已拆|拆封了|开封了|打开了)|\b(opened|unsealed|broke the seal|broken the seal|took (it|them) out of the box)\b`)

// withdrawLead opens a clause by taking back what was asked ("nvm keep
// the home address", "never mind that", "forget it, …", "scratch that").
var withdrawLead = nlutext.MustPattern(`(?i)^\s*(nvm|never ?mind|forget (it|that|about it)|scratch that|cancel that|actually no|no wait|算了|不用了|不改了|不退了|不换了)\b`)

// keepsAsIs keeps what the flow would change ("keep the home address",
// "leave it as it is", "还是寄原来的地址吧", "地址不改了").
var keepsAsIs = nlutext.MustPattern(`(?i)\bkeep (it|them|the|my)( [a-z]+)? (old|original|home|same|current|usual|existing)\b|\bkeep (the|my) (old|original|home|same|current|usual|existing)\b|\b(leave|keep) it (as it is|as is|the way it is)\b|\bas it was\b|原来的|原地址|原先的|不改了|不用改|不换了|不用换|不退了|不用退|照旧|就这样吧`)

// courtesyOnly is a clause that only apologises or thanks ("sorry",
// "thx", "不好意思").
var courtesyOnly = nlutext.MustPattern(`(?i)^\s*(sorry|soz|my bad|thanks|thank you|thx|ty|ok|okay|抱歉|不好意思|sorry啊|谢谢|好的|好吧)[\s!.~]*$`)

// withdraws reports whether clause p takes back the task in progress: a
// cancel phrase, or one leading the clause with no question in it ("nvm
// keep the home address").
func withdraws(p string) bool {
	return isCancel(p) || withdrawLead.MatchString(p) && !isQuestion(p)
}

// restWanted reports whether rest, what a withdrawal is followed by, is
// something to answer as the turn: a question, a follow-up, a task or a
// help-center topic in words or for certain by the model, or a fault
// stated ("之前买的训练鞋鞋底开胶了", "the sole is coming off already").
func (tr *turn) restWanted(rest string, res nlu.Result) bool {
	a := tr.a
	if isQuestion(rest) || asksOnTheWay(rest) || followUpCue(rest) != "" || a.keywordIntent(rest, nil, true) != "" {
		return true
	}
	if a.Flows != nil {
		if returns, ok := a.Flows.ForIntent(pathReturn); ok {
			if r := a.Flows.Option(returns, "reason", rest); r == "quality" || r == "wrong_item" {
				return true
			}
		}
	}
	in := res.Intent
	return sure(in) && (a.isTask(in.Label) || a.isKnowledge(in.Label))
}

// withdrawnNo is the flow's own answer to a withdrawal at its
// confirmation ("OK, I haven't changed anything; order … keeps its
// original address"), the flow ended; nil when run waits for something
// else or its no does not end it.
func (tr *turn) withdrawnNo(ctx context.Context, run *flow.Run) []string {
	a := tr.a
	if run.Awaiting != flow.AwaitConfirm {
		return nil
	}
	in := tr.input()
	in.Text, in.Entities = tr.say("choice.no"), nil
	probe := *run
	probe.Slots = map[string]string{}
	for k, v := range run.Slots {
		probe.Slots[k] = v
	}
	if !a.Flows.Accepts(&probe, in) {
		return nil
	}
	out, err := a.Flows.Continue(ctx, &probe, in)
	if err != nil || !out.Done || out.Handoff != nil {
		return nil
	}
	return slices.Clone(out.Messages)
}

// sameTaskAgain reports whether rest, after a withdrawal, asks for run's
// own task again and states no fault ("算了 是另一个 枕头那个"): with
// another order named, the same task for it (otherOrderMeant), not a new
// need.
func (tr *turn) sameTaskAgain(run *flow.Run, rest string, res nlu.Result) bool {
	a := tr.a
	if returns, ok := a.Flows.ForIntent(pathReturn); ok && run.Flow != returns {
		if r := a.Flows.Option(returns, "reason", rest); r == "quality" || r == "wrong_item" {
			return false
		}
	}
	for _, l := range []string{res.Intent.Label, a.keywordIntent(rest, nil, true)} {
		if l == "" || l == res.Intent.Label && !sure(res.Intent) {
			continue
		}
		if name, ok := a.Flows.ForIntent(l); ok && name == run.Flow {
			return true
		}
	}
	return false
}
