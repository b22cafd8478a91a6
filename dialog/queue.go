package dialog

import (
	"context"
	nlutext "github.com/assistd/assist/nlu/text"
	"slices"
	"strings"
	"unicode"

	"github.com/assistd/assist"
	"github.com/assistd/assist/nlu"
)

// whileWaiting serves a customer waiting in the queue for a person: one
// who no longer wants a person leaves the queue; one asking about the
// wait is told where they stand; one asking how else to reach the shop
// (phone, e-mail, hours) is answered from the help center; one asking
// for a person again is told where they stand; anything else the bot answers as usual, without
// handing off again.
func (tr *turn) whileWaiting(ctx context.Context) (Reply, error) {
	if leavesQueue(tr.text) && !waitsForPerson(strings.ToLower(tr.text)) && (!isQuestion(tr.text) || turnsDownWait(strings.ToLower(tr.text))) {
		// A question with a "算了" or a "我自己去查" by it ("单号多少来着
		// 我自己去查", "电话多少 实在不行我打过去算了") asks first: it is
		// answered below and the customer keeps their place.
		return tr.leaveQueue(ctx)
	}
	if asksAboutWait(tr.text) {
		return Reply{QueueStatus: true}, nil
	}
	if r, ok, err := tr.contact(ctx); err != nil || ok {
		return r, err
	}
	if askedForHuman(tr.text) != "" || tr.res.Intent.Label == "human_agent" && !tr.res.Intent.Ambiguous {
		return Reply{QueueStatus: true}, nil
	}
	if tr.forPerson() {
		return tr.fallback(ctx, nil), nil
	}
	return tr.run(ctx)
}

// leaveQueue takes a waiting customer out of the queue. A request the
// message makes as well ("不等了 把台灯那单取消掉", "no need for a human, how
// long do refunds take") is served as the turn after saying so, unless
// serving it needs a person after all (they then keep their place).
func (tr *turn) leaveQueue(ctx context.Context) (Reply, error) {
	tr.st.Flow, tr.st.Clarify = nil, nil
	task := tr.taskOnOrder()
	if !tr.newRequest() && task == "" || asksPersonStill(strings.ToLower(tr.text)) {
		// "nvm, cancel the agent request": what it cancels is the person.
		r := Reply{Leave: true}
		r.add(tr.say("queue.left"), nil)
		// "nah dont need a person anymore, i'll phone instead. what's
		// your number?": leaving, and asking how else to reach the shop.
		c, ok, err := tr.contact(ctx)
		if err != nil {
			return Reply{}, err
		}
		if ok {
			r.addAll(c)
		}
		return r, nil
	}
	// Out of the queue, as a person handing back would leave them
	// (Respond): the flow this turn starts must outlive the next turn.
	tr.waiting = false
	tr.st.Escalation, tr.st.Fallbacks, tr.st.Sentiment.NegativeRun = nil, 0, 0
	if task != "" && !tr.newRequest() {
		// The words ask for the task the model was not sure of.
		tr.res.Intent = nlu.Intent{Label: task, Confidence: 1, Source: tr.res.Intent.Source, Model: tr.res.Intent.Model}
	}
	r, err := tr.run(ctx)
	if err != nil || r.Handoff != nil || r.QueueStatus {
		return r, err
	}
	r.Messages = append([]string{tr.say("queue.left_for")}, r.Messages...)
	if len(r.Attachments) > 0 {
		r.Attachments = append([]*assist.Attachments{nil}, r.Attachments...)
	}
	r.Leave = true
	return r, nil
}

// taskOnOrder returns the task a message asks for on an order it names,
// in the task's words ("算了不等了 取消吧 DD202611050002", "不排了 把台灯那单
// 直接取消", "nvm, just cancel order DD…"): that is what a waiting
// customer's "cancel" is about, even when the model, thrown by the give-in
// around it, is not sure; a "cancel" naming no order is the wait's. ""
// when it asks for none.
func (tr *turn) taskOnOrder() string {
	if !tr.namesOrder() {
		return ""
	}
	if keepsOrder(strings.ToLower(tr.text)) {
		return "" // "算了 不用取消订单DD…了 我再等等"
	}
	k := tr.keywordIntent()
	if k == "" && cancelWord.MatchString(queueCancel.ReplaceAllString(strings.ToLower(tr.text), "")) {
		k = "cancel_order"
	}
	if _, ok := tr.a.Flows.ForIntent(k); k == "" || !ok || !tr.a.isTask(k) {
		return ""
	}
	return k
}

// queueCancel cancels the wait itself ("取消排队", "cancel the request").
var queueCancel = nlutext.MustPattern(`(?i)取消(排队|人工|转接|等待)|\bcancel (the|my) (request|wait|queue)\b`)

// forPerson reports whether a waiting customer's message is for the
// person on the way: it asks nothing ("the box was already torn open
// when it came, tell them that"), answers no flow's question (a return
// goes on while they wait), names no order or parcel, is more than
// an "ok", and the model is not sure what it is. The help center would
// answer it with whatever article its words touch.
func (tr *turn) forPerson() bool {
	if tr.st.Flow != nil || sure(tr.res.Intent) || len(tr.res.Entities) > 0 || openingCourtesy(tr.text) == "" {
		return false
	}
	return !asksSomewhere(tr.text) && followUpCue(tr.text) == ""
}

// leavePhrases, from a customer waiting for a person, say they no longer
// want one ("不用了，我自己看看", "never mind, found it"); waitLeavePhrases
// say so of the wait or the person in so many words ("不等了", "leave the
// queue").
var (
	leavePhrases = []string{
		"不用了", "不需要了", "算了", "我自己看", "自己看看", "找到了",
		"never mind", "nevermind", "nvm", "forget it", "no need", "don't need", "dont need", "not needed",
		"found what i needed", "found it", "figured it out", "i'll manage", "sorted it", "no longer need",
	}
	waitLeavePhrases = []string{
		"不等了", "不用人工", "不要人工", "不需要人工", "取消排队", "不排了", "不用转",
		"forget the agent", "cancel the request", "stop waiting", "leave the queue",
	}
)

// declineWords turn down what follows them ("不用等人工了", "don't want to
// wait any more"); waitWords name the wait or the person.
var (
	declineWords = []string{"不用", "不需要", "不要", "不想", "不必", "无需", "no need", "don't need", "dont need", "do not need", "don't want", "dont want", "do not want", "no longer"}
	waitWords    = []string{"等", "人工", "客服", "真人", "排队", "转", "wait", "agent", "person", "human", "someone", "anyone", "queue", "staff", "rep", "escalate", "escalating"}
	// urgeWords urge the person on: "别让我等了，快转人工" is impatience, not leaving.
	urgeWords = []string{"快", "赶紧", "马上", "立刻", "hurry", "asap", "right now", "now!"}
)

// selfHelp says the customer will sort it out themselves ("I'll figure it
// out myself", "我自己去订单里改").
var selfHelp = nlutext.MustPattern(`(?i)\b(i'?ll|i will|i can|let me|gonna)\b[^.!?]{0,30}\b(myself|on my own|figure it out)\b|我?自己(来|弄|看|去|处理|搞|解决|想办法|查|试|改)`)

// leavesQueue reports whether a waiting customer says they no longer
// want a person: in so many words (leavePhrases), by turning down the
// wait or the person ("哦那不用等人工了", "don't need an agent anymore"), or
// by going to sort it out themselves ("nvm i'll figure it out myself") —
// but not while urging the person on.
func leavesQueue(text string) bool {
	low := strings.ToLower(text)
	if wordIn(low, waitLeavePhrases) != "" {
		return true
	}
	if (askedForHuman(low) != "" || connectMe.MatchString(low)) && !declinesPerson(low) && !withdrawsPerson(low) {
		return false // "你们自己看着办 转人工", "forget it, just get me a human": still wants the person
	}
	if wordIn(low, leavePhrases) != "" {
		return true
	}
	return declines(low) || !urges(low) && selfHelp.MatchString(low)
}

// withdrawWord calls off what the clause names ("cancel the agent
// request", "取消人工").
var withdrawWord = nlutext.MustPattern(`(?i)\b(cancel\w*|withdraw\w*|call off|drop)\b|取消|撤销|撤回`)

// withdrawsPerson reports whether every clause of low that names a person
// calls the person off (withdrawWord): "nvm, cancel the agent request".
func withdrawsPerson(low string) bool {
	named := false
	for _, c := range clauses(low) {
		if askedForHuman(c) == "" {
			continue
		}
		if !withdrawWord.MatchString(c) {
			return false
		}
		named = true
	}
	return named
}

// connectMe asks to be put through ("nvm, connect me to a person anyway").
var connectMe = nlutext.MustPattern(`(?i)\b(connect|transfer|put) me (to|with|through)\b`)

// turnsDownWait reports whether low turns down the wait or the person in
// so many words (waitLeavePhrases, declines), not only "算了" or "I'll
// look myself".
func turnsDownWait(low string) bool {
	return wordIn(low, waitLeavePhrases) != "" || declines(low)
}

// urges reports whether low urges the person on (urgeWords).
func urges(low string) bool {
	return wordIn(low, urgeWords) != ""
}

// asksPersonStill reports whether a phrase of low asks for a person
// without turning one down: "no need for a human, how long do refunds
// take" asks the refund question, not for a person.
func asksPersonStill(low string) bool {
	for _, c := range phrases(low) {
		if !declines(c) && askedForHuman(c) != "" {
			return true
		}
	}
	return false
}

// declines reports whether low turns down the wait or the person: a
// declineWord followed, in the same clause and within a few words, by a
// waitWord ("no need for a human", "不用等人工了"), unless the message
// urges the person on ("不想等了，赶紧转人工").
func declines(low string) bool {
	if urges(low) {
		return false
	}
	for _, d := range declineWords {
		for i := 0; ; {
			j := strings.Index(low[i:], d)
			if j < 0 {
				break
			}
			after := clause(low[i+j+len(d):])
			if strings.Contains(after, "机器") || containsWord(after, "bot") || containsWord(after, "robot") {
				return false // "不要机器人，要人工": the bot is turned down, not the person
			}
			for _, w := range waitWords {
				if containsWord(after, w) {
					return true
				}
			}
			i += j + len(d)
		}
	}
	return false
}

// clause returns the start of s up to the first punctuation mark, at
// most 3 characters of Chinese or 4 words: what a declineWord governs
// ("不用等", "no need for a human"; not "不要听你解释 人工").
func clause(s string) string {
	if k := strings.IndexFunc(s, func(r rune) bool { return unicode.IsPunct(r) && r != '\'' }); k >= 0 {
		s = s[:k]
	}
	if hasHan(s) {
		if r := []rune(strings.TrimSpace(s)); len(r) > 3 {
			s = string(r[:3])
		}
		return s
	}
	if f := strings.Fields(s); len(f) > 4 {
		s = strings.Join(f[:4], " ")
	}
	return s
}

// waitPhrases, from a customer waiting for a person, ask how long or
// whether anyone is there ("hello?? still waiting", "有人吗", "and what
// number am I").
var waitPhrases = []string{
	"有人吗", "在吗", "人呢", "还要等", "要等多久", "等多久", "还要多久", "多久才", "第几", "排到", "轮到", "排队", "怎么还没人", "还没人", "前面还有", "几个人",
	"still waiting", "how long do i", "how long will i", "how long is the wait", "how long until", "how long till", "how long before",
	"wait time", "waiting time", "anyone there", "anybody there", "anyone here", "hello?", "what position", "my position", "which position",
	"what number", "which number", "number am i", "my number", "my turn", "my place", "place in line", "in the queue", "in line",
	"how much longer", "where is the agent", "when will someone", "ahead of me", "how many people", "how many ppl",
}

// asksAboutWait reports whether a waiting customer asks about the wait.
func asksAboutWait(text string) bool {
	return wordIn(strings.ToLower(text), waitPhrases) != ""
}

// retracted takes back a request for a person ("刚才本来想转人工的，算了",
// "I was going to ask for an agent but").
var retracted = nlutext.MustPattern(`(本来|原本|刚才|本)想[^，。！？,.!?]{0,6}(转人工|人工|客服|真人)|\b(was going to|wanted to|meant to|thought about)\s+(ask|talk|speak|get|asking|talking)[^.!?]{0,20}\b(human|agent|person|someone)`)

// declinesPerson reports whether text says the customer does not want a
// person, though it names one: the customer_request rule does not fire
// ("No need for a human, I just want to know…", "刚才本来想转人工的，算了不用了").
func declinesPerson(text string) bool {
	low := strings.ToLower(text)
	if !declines(low) && !retracted.MatchString(low) {
		return false
	}
	// "i dont want to wait 24h, let me talk to someone pls": a clause
	// asking for a person without turning one down is the request.
	for _, c := range clauses(low) {
		if (askedForHuman(c) != "" || connectMe.MatchString(c)) && !declines(c) && !retracted.MatchString(c) {
			return false
		}
	}
	return true
}

// queuedComplaint is the reply to a rule that would hand off a customer
// already waiting for a person: the messages before, where they stand,
// and, for a complaint the bot has no answer to yet ("上次的事到现在都没人
// 给我个说法 我要投诉"), what the help center says of how complaints are
// handled (who gets back to them, and when).
func (tr *turn) queuedComplaint(ctx context.Context, reason string, before []string) Reply {
	r := Reply{Messages: before, QueueStatus: true}
	complains := reason == ReasonComplaint || reason == ReasonVIPComplaint || tr.namesComplaint() // "我要投诉你们的快递员 态度太差了", angry
	if len(before) > 0 || tr.a.KB == nil || !complains {
		return r
	}
	// Asked in the shop's words (as contact.go does): the customer's
	// ("how my last return was handled") would find the return's article.
	saved := tr.question
	tr.question = tr.say("complaint.question")
	ans, err := tr.ask(ctx)
	tr.question = saved
	if err != nil || !ans.Known {
		return r // the queue status alone; the person reads the complaint
	}
	a := tr.answered(ans)
	a.QueueStatus = true
	return a
}

// namesComplaint reports whether the message names a complaint in words
// (the complaint intent's keywords in the catalogue).
func (tr *turn) namesComplaint() bool {
	in, _ := tr.a.catalog().Intent("complaint")
	low := strings.ToLower(tr.text)
	return slices.ContainsFunc(in.Keywords.All(), func(k string) bool { return containsWord(low, k) })
}

// stillWaiting is the reply to a waiting customer where the bot would
// otherwise offer a person: they already wait for one, so they are told
// where they stand instead.
func (tr *turn) stillWaiting() Reply {
	return Reply{QueueStatus: true}
}

// waitsForPerson reports whether a waiting customer says they will go on
// waiting for the person ("算了 不用取消订单了 我再等等", "nvm i'll wait,
// don't cancel it", "i'll hold for the agent"): they keep their place,
// whatever "算了"/"nvm" opens the message. Waiting for something else
// ("forget the agent, i'll just wait for the lamp") is no such message.
func waitsForPerson(low string) bool {
	if !keepWait.MatchString(low) || turnsDownWait(low) {
		return false
	}
	return !waitFor.MatchString(low) || waitForPerson.MatchString(low)
}

var (
	// waitFor names what is waited for ("wait for the refund").
	waitFor = nlutext.MustPattern(`(?i)\b(wait|waiting|hold) for\b`)
	// waitForPerson waits for the person ("i'll hold for the agent").
	waitForPerson = nlutext.MustPattern(`(?i)\b(wait|waiting|hold) for (the |an? |a real |your )?(agent|person|human|someone|somebody|staff|rep|them|you)`)
)
