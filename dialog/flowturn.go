package dialog

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/nlu"
	nlutext "github.com/assistd/assist/nlu/text"
)

// doneAgain answers a bare confirmation ("嗯嗯确认", "yes submit") that
// comes right after a flow which asks for one finished: what was done is
// said again, rather than a request to rephrase.
func (tr *turn) doneAgain() (Reply, bool) {
	st, a := tr.st, tr.a
	if st.Done == "" || st.DoneSay == "" || st.DoneTurn != st.Turns-1 || a.Flows == nil || !flow.Bare(tr.text) {
		return Reply{}, false
	}
	if yes, _ := flow.Answer(tr.text); !yes {
		return Reply{}, false
	}
	f, ok := a.Flows.Flow(st.Done)
	if !ok || !f.Confirms() {
		return Reply{}, false
	}
	st.DoneTurn = st.Turns // still the topic of the next turn
	return Reply{Messages: []string{tr.say("flow.done_again", "done", st.DoneSay)}}, true
}

// answersFlow reports whether the message answers the flow in progress
// (a value, yes or no, a skip): the intent model's reading of it as a
// request for a person or a goodbye then does not count ("skip" is not
// "agent"); only the words do.
func (tr *turn) answersFlow() bool {
	st, a := tr.st, tr.a
	return st.Flow != nil && a.Flows != nil && a.Flows.Accepts(st.Flow, tr.input())
}

// farewells end a conversation in so many words; a goodbye the model
// reads in a message without one ("hmm what can I do then") does not drop
// the flow in progress.
var farewells = []string{"再见", "拜拜", "回见", "下次再", "没事了", "没别的了", "就这些", "bye", "goodbye", "see you", "see ya", "that's all", "that is all", "nothing else", "take care", "have a good", "have a nice"}

// saysFarewell reports whether text says goodbye in so many words.
func saysFarewell(text string) bool {
	return wordIn(strings.ToLower(text), farewells) != ""
}

// maxPlainWords and maxPlainRunes bound a yes that accepts an offer of a
// person with words of its own ("yes please connect me to someone",
// "好的 麻烦帮我转一下").
const (
	maxPlainWords = 6
	maxPlainRunes = 12
)

// notGoodbye reports whether a message the model reads as a goodbye is
// not one: no farewell in so many words, and it asks something or says
// what is wrong with an item ("那如果算质量问题呢 袖子开线了"). It is then
// answered as a question, not with a goodbye (tr.label becomes out of
// scope).
func (tr *turn) notGoodbye() bool {
	a := tr.a
	if tr.label != "goodbye" || saysFarewell(tr.text) {
		return false
	}
	asks := asksSomewhere(tr.text)
	if !asks && a.Flows != nil {
		if returns, ok := a.Flows.ForIntent(pathReturn); ok {
			r := a.Flows.Option(returns, "reason", tr.text)
			asks = r == "quality" || r == "wrong_item"
		}
	}
	if asks {
		tr.label = nlu.OutOfScope
	}
	return asks
}

// plainAnswer reports whether a yes is plainly the answer to the bot's
// question: only yes words, or a short message. "oh. yes i ordered pink
// lol my bad" says yes to something else; it does not queue the customer.
func plainAnswer(text string) bool {
	if flow.Bare(text) {
		return true
	}
	if hasHan(text) {
		return utf8.RuneCountInString(squash(text)) <= maxPlainRunes
	}
	return len(strings.Fields(text)) <= maxPlainWords
}

// namesTask reports whether the message asks for a task in words: an
// order or parcel it names, order words, or a task's keywords.
func (tr *turn) namesTask() bool {
	return tr.namesOrder() || tr.keywordIntent() != ""
}

// While a flow waits for the customer, the customer often leaves its
// question for another: drops the task and asks something else in the
// same breath ("never mind, and the invoice?"), names another task
// instead ("can I swap it instead of returning it"), or asks how the
// task's own outcome works ("where does the money go") before answering.
// midFlow handles those before the flow reads the message, which would
// otherwise take the words as a free-text answer (a return reason of
// "other") or as a cancel phrase alone; ok is false for any other
// message.
//
// A cancel and a question ("算了先不退了 发票呢") is cancelThen's, asked
// before (inFlow).
func (tr *turn) midFlow(ctx context.Context, run *flow.Run) (Reply, bool, error) {
	if r, ok, err := tr.otherOrderAside(ctx, run); err != nil || ok {
		return r, ok, err
	}
	if in := tr.res.Intent; insteadCue.MatchString(tr.text) && !in.Ambiguous && in.Label != "" {
		// "can I just get a new one instead of a refund?": another task
		// with a flow of its own, or an exchange, put in place of this
		// one; the refund named is the one given up
		if name, ok := tr.flowFor(in.Label); ok && name != run.Flow || !ok && in.Label == exchangeRequest {
			if r, ok, err := tr.switchTask(ctx, run); err != nil || ok {
				return r, ok, err
			}
		}
	}
	if tr.asksRefundToCome(run) {
		// how refunds work, on that topic: the question alone ("where
		// would the money go") reads as anything
		topic := "aftersales.refund_topic"
		if tr.a.flowOfAny(run.Flow, []string{"cancel_order"}) {
			topic = "aftersales.cancel_refund_topic"
		}
		low := strings.ToLower(tr.text)
		if !payMethod.MatchString(low) && (whereTo.MatchString(low) || howLong.MatchString(low)) {
			// "钱退到哪 要几天", "退了钱是退到哪里", "when would the money be
			// back": where the refund to come goes and how long it takes,
			// asked in the help center's words (the customer's find a
			// payment method's line, or nothing); a method named finds
			// its own line below.
			tr.question = tr.say("aftersales.refund_where_ask")
			ans, err := tr.ask(ctx)
			if err != nil {
				return Reply{}, false, err
			}
			if ans.Known {
				r := tr.answered(ans)
				r.add(tr.reprompt(run))
				return r, true, nil
			}
		}
		tr.question = tr.text + " " + tr.say(topic)
		r, err := tr.digress(ctx, run, true)
		return r, err == nil, err
	}
	return tr.switchTask(ctx, run)
}

// otherOrderAside answers a question about another order's refund,
// parcel or status, named by what was bought ("and why was my earbuds
// refund rejected??", "耳机那单退款到哪了"), asked while run waits about
// its own order: that order's answer, on the side, then run's question
// again (aside.go answers the same about run's own order).
func (tr *turn) otherOrderAside(ctx context.Context, run *flow.Run) (Reply, bool, error) {
	a := tr.a
	own := a.Flows.EntitySlots(run)["order_id"]
	if own == "" || tr.conv == nil || tr.conv.CustomerRef == "" {
		return Reply{}, false, nil
	}
	in, low := tr.res.Intent, strings.ToLower(tr.text)
	label := tr.keywordIntent()
	// "地毯还能退吗 拆开看了下…", "那件大衣现在退还来得及吗": whether another
	// order can still go back is its return window (returnwindow.go).
	window := windowAsk.MatchString(low) && returnsWord.MatchString(low) && !refundCue.MatchString(low) && isQuestion(tr.text)
	if !slices.Contains(asideIntents, label) && !window {
		switch {
		case !in.Ambiguous && slices.Contains(asideIntents, in.Label):
			label = in.Label
		case label == "" && !sure(in) && statusCue.MatchString(low) && (asksSomewhere(tr.text) || embeddedAsk.MatchString(low)):
			// "另外我卫衣那单发了没 快第单号多少", "hm and my keyboard
			// thing, is that still arriving tmrw", "btw the red speaker,
			// any idea when it shows up": the model, thrown by a typo or
			// the way it is put, places it nowhere; the words ask the
			// other order's status or parcel.
			label = "order_status"
			if trackCue.MatchString(low) || whereCue.MatchString(low) {
				label = trackIntent
			}
		case label == "" && !sure(in) && refundCue.MatchString(low) && asksSomewhere(tr.text):
			label = refundIntent // "之前取消的那个枕头 钱退了吧"
		default:
			return Reply{}, false, nil
		}
	}
	if !asksSomewhere(tr.text) && !statusCue.MatchString(low) {
		return Reply{}, false, nil
	}
	orders, ok, err := tr.namedOrders(ctx, tr.input())
	if err != nil || !ok || !orders.ByName {
		return Reply{}, false, nil
	}
	// The one order the words fit besides run's own ("之前取消的那个枕头"
	// while the order waiting holds pillows too).
	other := ""
	for _, i := range orders.Meant {
		switch id := orders.Order(i); {
		case id == own:
		case other != "":
			return Reply{}, false, nil
		default:
			other = id
		}
	}
	if other == "" || len(orders.Meant) > 1 && label != refundIntent {
		return Reply{}, false, nil
	}
	if window {
		line, err := tr.windowLine(ctx, other)
		if err != nil || line == "" {
			return Reply{}, false, err
		}
		r := Reply{Messages: []string{line}}
		r.add(tr.reprompt(run))
		return r, true, nil
	}
	return tr.onTheSide(ctx, run, label, other)
}

// returnsWord names sending something back (退, 退货, return), for
// windowAsk's "来得及" and "too late" to be about a return.
var returnsWord = nlutext.MustPattern(`(?i)退|\b(return|returns|returning|send (it|them) back)\b`)

// namesOrderBesides reports whether the message names, by what was
// bought, its state, day or price, exactly one of the customer's orders
// and not run's own ("also that unpaid order for the bedding, just cancel
// it", "and the earbuds one").
func (tr *turn) namesOrderBesides(ctx context.Context, run *flow.Run) bool {
	return tr.orderBesides(ctx, run) != ""
}

// orderBesides is the one order other than run's own that the message
// names (namesOrderBesides): of the orders the words fit, run's own left
// out ("no, the other pillow" when two orders hold a pillow); "" when
// there is not exactly one.
func (tr *turn) orderBesides(ctx context.Context, run *flow.Run) string {
	if tr.conv == nil || tr.conv.CustomerRef == "" {
		return ""
	}
	own := tr.a.Flows.EntitySlots(run)["order_id"]
	orders, ok, _ := tr.namedOrders(ctx, tr.input())
	if !ok || !orders.Named {
		return ""
	}
	other := ""
	for _, i := range orders.Meant {
		switch id := orders.Order(i); {
		case id == own:
		case other != "":
			return "" // two others
		default:
			other = id
		}
	}
	return other
}

// otherTaskOtherOrder reports whether the message asks, for certain, for
// another task than run's for another order it names ("the duvet order i
// haven't paid yet, just cancel it" to an offer to contact the courier).
func (tr *turn) otherTaskOtherOrder(ctx context.Context, run *flow.Run) bool {
	a, in := tr.a, tr.res.Intent
	if in.Ambiguous || !a.isTask(in.Label) {
		return false
	}
	if name, ok := a.Flows.ForIntent(in.Label); !ok || name == run.Flow {
		return false
	}
	return tr.namesOrderBesides(ctx, run)
}

// otherOrderMeant restarts run for another order when the customer says
// it is the wrong one and names the one meant: at its confirmation ("no,
// the other one, the firm pillow from a couple weeks ago", "不是这个 是上周
// 那个枕头") or at one of its questions ("actually no, its the other
// order. the sweater" to the reason asked, "不对不对 是另一个订单 床垫那个"
// to the new address asked), by what was bought, its state, day or price,
// one of the customer's orders other than run's. The same task runs for
// that order (which may be turned down: already cancelled, not delivered
// yet), and says which order it took. Said wrong without naming another
// ("no wrong order", "不是这个订单"), the task asks which order, offering
// only the customer's others. ok is false for any other message: a
// return reason in the customer's own words stays the reason.
func (tr *turn) otherOrderMeant(ctx context.Context, run *flow.Run) (Reply, bool, error) {
	a := tr.a
	in := tr.input()
	low := strings.ToLower(tr.text)
	atConfirm := run.Awaiting == flow.AwaitConfirm
	if atConfirm {
		if _, no := flow.Answer(tr.text); !no && !a.Flows.Corrects(run, in) {
			return Reply{}, false, nil
		}
	} else if !wrongOrderCue.MatchString(low) && !(correctsCue.MatchString(low) && otherOne.MatchString(low)) && !(correctsCue.MatchString(low) && leadsWithCorrection(low)) {
		// At a question, only words saying the order is the wrong one
		// ("the other order", "不是这单", "actually no, …"): "the sweater
		// is too small" is a reason, whatever order it could name.
		return Reply{}, false, nil
	}
	if l := tr.res.Intent.Label; sure(tr.res.Intent) && a.isTask(l) && !wrongOrderCue.MatchString(low) {
		if name, ok := a.Flows.ForIntent(l); ok && name != run.Flow {
			return Reply{}, false, nil // another task: switchTask or the flow's no
		}
	}
	f, ok := a.Flows.Flow(run.Flow)
	if !ok || len(f.Intents) == 0 {
		return Reply{}, false, nil
	}
	own := a.Flows.EntitySlots(run)["order_id"]
	if own == "" {
		return Reply{}, false, nil
	}
	other, items, alsoOwn := tr.otherNamed(ctx, run)
	if other != "" && alsoOwn && !atConfirm && !otherOne.MatchString(low) {
		other = "" // "actually the boots are too small": its own order too
	}
	rest := in
	rest.Text = withoutCorrection(tr.text)
	rest.Entities = nil
	if other != "" {
		tr.st.Flow = nil
		run2, out, err := tr.startAs(ctx, run.Flow, f.Intents[0], aboutOrder(rest, other))
		if err != nil {
			return Reply{}, false, err
		}
		if atConfirm {
			return tr.flowReply(ctx, run2, tr.sayWhich(run2, out), nil), true, nil
		}
		// "OK, the other order then: DD… (Merino Crew Sweater …).": the
		// order taken, said before its question
		note := tr.say("flow.other_order", "value", other, "items", items)
		if items == "" {
			note = tr.say("flow.other_order_id", "value", other)
		}
		return tr.flowReply(ctx, run2, out, []string{note}), true, nil
	}
	if atConfirm || !wrongOrderCue.MatchString(low) || tr.namesOrderWords(ctx) {
		return Reply{}, ctx.Err() != nil, ctx.Err()
	}
	// "no wrong order": which one, among the customer's others.
	orders, ok, err := tr.namedOrders(ctx, in)
	if err != nil || !ok || orders.Result == nil {
		return Reply{}, false, err
	}
	tr.st.Flow = nil
	listed := tr.listed
	tr.listed = withoutOrder(orders.Result, own)
	run2, out, err := tr.startAs(ctx, run.Flow, f.Intents[0], rest)
	tr.listed = listed
	if err != nil {
		return Reply{}, false, err
	}
	return tr.flowReply(ctx, run2, out, nil), true, nil
}

// otherNamed is the one order other than run's own that the message names
// (orderBesides), its items as shown in the customer's language, and
// whether the words fit run's own order too.
func (tr *turn) otherNamed(ctx context.Context, run *flow.Run) (other, items string, alsoOwn bool) {
	if tr.conv == nil || tr.conv.CustomerRef == "" {
		return "", "", false
	}
	own := tr.a.Flows.EntitySlots(run)["order_id"]
	orders, ok, _ := tr.namedOrders(ctx, tr.input())
	if !ok || !orders.Named {
		return "", "", false
	}
	for _, i := range orders.Meant {
		switch id := orders.Order(i); {
		case id == own:
			alsoOwn = true
		case other != "":
			return "", "", false // two others
		default:
			other, items = id, orders.Items(i, tr.lang)
		}
	}
	return other, items, alsoOwn
}

// namesOrderWords reports whether the message names any of the
// customer's orders by what was bought, its state, day or price.
func (tr *turn) namesOrderWords(ctx context.Context) bool {
	if tr.conv == nil || tr.conv.CustomerRef == "" {
		return false
	}
	orders, ok, _ := tr.namedOrders(ctx, tr.input())
	return ok && orders.Named && len(orders.Meant) > 0
}

// withoutOrder is res, the customer's orders, without order id: the ones
// to offer when the customer says id is the wrong one.
func withoutOrder(res *flow.Result, id string) *flow.Result {
	out := *res
	out.Data = maps.Clone(res.Data)
	var kept []any
	if list := reflect.ValueOf(res.Data["orders"]); list.Kind() == reflect.Slice {
		for i := 0; i < list.Len(); i++ {
			it := list.Index(i).Interface()
			if m, ok := it.(map[string]any); ok && fmt.Sprint(m["order_id"]) == id {
				continue
			}
			kept = append(kept, it)
		}
	}
	out.Data["orders"] = kept
	return &out
}

// withoutCorrection is text without its phrases that say the order was
// the wrong one ("actually no, its the other order. the sweater" → "the
// sweater"), for the task restarted for the order meant: "the other
// order" is no return reason "other".
func withoutCorrection(text string) string {
	var kept []string
	for _, p := range phrases(text) {
		l := strings.ToLower(p)
		if wrongOrderCue.MatchString(l) || otherOne.MatchString(l) || correctsCue.MatchString(l) && len(strings.Fields(l)) <= 3 {
			continue
		}
		if yes, no := flow.Answer(p); (yes || no) && flow.Bare(p) {
			continue
		}
		kept = append(kept, p)
	}
	return strings.Join(kept, " ")
}

// leadsWithCorrection reports whether the message opens by taking back
// what was said ("actually no, …", "不对不对 …", "sorry i meant …").
func leadsWithCorrection(low string) bool {
	ps := phrases(low)
	return len(ps) > 1 && correctsCue.MatchString(ps[0]) && !returnReasonWords.MatchString(ps[0])
}

var (
	// wrongOrderCue says the order the task holds is the wrong one ("the
	// other order", "wrong order", "不是这个订单", "另一个订单", "选错订单了").
	wrongOrderCue = nlutext.MustPattern(`(?i)\b(wrong|other|another|different) (order|purchase)\b|\bnot (that|this|the right|the correct) (order|one)\b|\bthe other one\b|\b(meant|mean) (the|my) (other|\w+ order)\b|` +
		`(另一|另外一?|别的|其他|其它)(个|笔)?(订单|单)|不是(这|那)(个|笔)?(订单|单)|不是(这|那)个|(错|不对)的?(订单|单)|(订单|单子?)(不对|错了|搞错|弄错)|(搞|弄|说|选|点)错(了)?(订单|单)`)
	// correctsCue takes back what was said ("actually", "i meant", "不对",
	// "搞错了").
	correctsCue = nlutext.MustPattern(`(?i)\b(actually|i meant|i mean|sorry|oops|my bad|no wait|wait no|not that|scratch that)\b|^no\b|不对|不是|搞错|弄错|说错|错了|哦不|啊不`)
	// returnReasonWords are what is wrong with an item, which a "不对"
	// ("尺码不对", "颜色不对") says rather than a correction.
	returnReasonWords = nlutext.MustPattern(`(?i)尺码|尺寸|码数|颜色|款式|型号|大小|质量|size|colou?r|model`)
)

// embeddedAsk asks in the middle of a message ("ok. and where's my
// speaker, the red one", "any idea when it shows up", "i wonder if it
// left yet").
var embeddedAsk = nlutext.MustPattern(`\b(where'?s|wheres|where (is|are|r)|when'?s|when (is|will|does|do|did))\b|` +
	`\b(any idea|no idea|wonder(ing)?|do you know|d'?you know|tell me|not sure)\b[^.?!]{0,12}\b(when|where|if|whether|how long)\b`)

// negation marks a clause that turns something down ("先不退了",
// "don't bother with it").
var negation = nlutext.MustPattern(`(?i)不|别|\b(don'?t|do not|no|not|never|nah|forget)\b`)

// afterCancel returns what a message that opens by dropping the task in
// progress says next ("算了先不退了 发票呢" → "发票呢", "never mind, how
// long is shipping" → "how long is shipping", "nvm keep the home address,
// sorry. when do the shoes ship anyway" → "when do the shoes ship
// anyway"), or "" when it does not open with a withdrawal or says nothing
// after it but more of the same (a keep, a no, a sorry). Whether the rest
// is something to answer is restWanted's (besides.go).
//
// A clause that gives run a value is no more of the same ("nvm, it's 1288
// not 1266": a correction, REVIEW13A 1): it stays in the rest, which
// cancelThen then leaves to the flow.
func (tr *turn) afterCancel(run *flow.Run) string {
	cs := phrases(tr.text)
	if len(cs) < 2 || !withdraws(cs[0]) {
		return ""
	}
	in := tr.input()
	gives := func(c string) bool {
		in.Text, in.Entities = c, nil
		return run != nil && givesValue(tr.a, run, in)
	}
	i := 1
	for i < len(cs) && !isQuestion(cs[i]) && (isCancel(cs[i]) || negation.MatchString(cs[i]) || keepsAsIs.MatchString(cs[i]) || courtesyOnly.MatchString(cs[i])) && !gives(cs[i]) {
		i++ // "算了 先不退了 …", "nvm keep the home address, sorry. …": more of the same
	}
	return strings.Join(cs[i:], " ")
}

// givesValue reports whether in gives run a value of its own (an
// address, a number, a named option), not only the customer's own words
// a free-text choice would take for anything ("还没付钱 直接帮我取消" is
// no return reason).
func givesValue(a *Assistant, run *flow.Run, in flow.Input) bool {
	return a.Flows.Gives(run, in) && !a.Flows.OwnWords(run, in)
}

// changesHeld asks to change what the flow holds ("can you fix that",
// "change it to 1288", "能改一下吗"): the flow's own slot, not a new
// question for the help center.
var changesHeld = nlutext.MustPattern(`(?i)\b(fix|change|correct|update|amend|edit|redo)\s+(that|it|this|the (number|address|house number|street|name|phone))\b|改一下|改过来|改一改|改正|更正|帮我改|重新改`)

// passesOffer drops run, a flow offering a person, for a message that
// takes in what the bot said and turns to a question of its own ("行吧。。
// 对了一起买的袜子要是不合适能退不", "ok. also, can i return the socks?"):
// the "行吧" gives in to what cannot be done; it is no yes to the person.
// The rest of the message is read and answered as the turn; ok is false
// for any other message.
func (tr *turn) passesOffer(ctx context.Context, run *flow.Run) (Reply, bool, error) {
	a := tr.a
	if run == nil || !a.Flows.OffersPerson(run) || tr.part {
		return Reply{}, false, nil
	}
	lead, rest, ok := strings.Cut(strings.TrimSpace(yesSep.ReplaceAllString(tr.text, " ")), " ")
	if !ok {
		return Reply{}, false, nil
	}
	rest = strings.TrimSpace(rest)
	turned := connective.MatchString(rest)
	rest = strings.TrimSpace(connective.ReplaceAllString(rest, ""))
	if yes, no := flow.Answer(lead); !yes || no || !flow.Bare(lead) || !turned || utf8.RuneCountInString(rest) < 4 || !asksSomewhere(rest) {
		return Reply{}, false, nil
	}
	if pressing.MatchString(rest) || askedForHuman(rest) != "" {
		return Reply{}, false, nil // "行 那怎么办", "ok and a person please": the offer taken
	}
	res := nlu.Result{}
	if a.NLU != nil {
		var err error
		if res, err = a.NLU.Parse(ctx, rest); err != nil && ctx.Err() != nil {
			return Reply{}, false, err
		}
	}
	if !resigned(lead, tr.text) && !slices.ContainsFunc(res.Entities, func(e nlu.Entity) bool {
		return e.Type == "product" || e.Type == "order_id" || e.Type == "tracking_number"
	}) {
		// "yes. and how long will that take?", "好的。对了 那大概多久能联系
		// 我？": a plain yes, and a question about what was offered; the
		// offer stands and is asked again (REVIEW12A 6). A plain yes
		// passes it over only for something else, named ("行 还有那双跑
		// 鞋发货了没", "ok. also, can i return the socks?").
		return Reply{}, false, nil
	}
	tr.st.Flow = nil
	tr.text, tr.res = rest, res
	if in := res.Intent; !in.Ambiguous && in.Label != "" {
		tr.st.renote(in.Label)
	}
	r, err := tr.run(ctx)
	return r, err == nil, err
}

// resignedLead gives in to what cannot be done rather than saying yes:
// "行吧", "好吧", "那好吧", "算了", "fine", "oh well", "ok then".
var resignedLead = nlutext.MustPattern(`(?i)^(那|也)?(行|好)吧+$|^算了|^罢了|^(fine|whatever|meh)$`)

// resignedThen gives in, in English, over its first words: "ok then",
// "alright then", "oh well", "fair enough".
var resignedThen = nlutext.MustPattern(`(?i)^\s*(ok(ay)?|alright|all right|oh)\W*\s*(then|well|i guess|fair enough)\b|^\s*(oh well|fair enough|ah well)\b`)

// resigned reports whether a message that opens with lead gives in to
// what the bot said rather than saying yes to its offer.
func resigned(lead, text string) bool {
	return resignedLead.MatchString(lead) || resignedThen.MatchString(text)
}

// cancelThen drops run for a message that cancels it and asks or says
// something else ("算了先不退了 发票呢", "nvm keep the home address. when
// do the shoes ship anyway", "那算了。。之前买的训练鞋鞋底开胶了"): at a
// confirmation the withdrawal is the flow's own no (what stays as it
// was), else the flow is dropped; the rest of the message is read and
// answered as the turn, as if no flow were waiting, about the same order
// unless it names another.
func (tr *turn) cancelThen(ctx context.Context, run *flow.Run) (Reply, bool, error) {
	rest := tr.afterCancel(run)
	if rest == "" {
		return Reply{}, false, nil
	}
	a, st := tr.a, tr.st
	if in := tr.input(); changesHeld.MatchString(rest) || func() bool { in.Text, in.Entities = rest, nil; return givesValue(a, run, in) }() {
		// "nvm, it's 1288 not 1266. can you fix that": a correction of
		// what the flow holds, the flow's to read (REVIEW13A 1)
		return Reply{}, false, nil
	}
	res := nlu.Result{}
	if a.NLU != nil {
		var err error
		if res, err = a.NLU.Parse(ctx, rest); err != nil && ctx.Err() != nil {
			return Reply{}, false, err
		}
	}
	if !tr.restWanted(rest, res) || tr.sameTaskAgain(run, rest, res) && tr.orderBesides(ctx, run) != "" {
		return Reply{}, false, nil // the same task for another order: otherOrderMeant's
	}
	lead := tr.withdrawnNo(ctx, run)
	if len(lead) == 0 {
		lead = []string{tr.dropped(run.Flow)}
	}
	st.Flow = nil
	tr.keepOrder(run) // othertask.go: "when do they ship" is the same order's
	tr.text, tr.res = rest, res
	if in := res.Intent; !in.Ambiguous && in.Label != "" {
		st.renote(in.Label)
	}
	r, err := tr.run(ctx)
	if err != nil {
		return Reply{}, false, err
	}
	r.Messages = append(lead, r.Messages...)
	if len(r.Attachments) > 0 {
		r.Attachments = append(make([]*assist.Attachments, len(lead)), r.Attachments...)
	}
	return r, true, nil
}

// switchTask leaves run for another task the customer names in words and
// the model reads too ("actually can I swap it for a bigger one instead",
// "不退了 换个颜色吧"), before run's question could take the words as its
// free-text answer: the other task's flow starts, or, with no flow of its
// own, the help center says how it works and a person is offered.
func (tr *turn) switchTask(ctx context.Context, run *flow.Run) (Reply, bool, error) {
	a, in := tr.a, tr.res.Intent
	stated := statesReturnAsksMoney(tr.text)
	if stated {
		// "想了想还是直接退掉吧 钱退到哪" in an exchange: the return said,
		// the money asked about beside it (fault.go).
		in = nlu.Intent{Label: pathReturn, Confidence: 1}
	}
	if in.Ambiguous || !a.isTask(in.Label) || slices.Contains(asideIntents, in.Label) {
		return Reply{}, false, nil // a question about the order itself is answered on the side (aside.go)
	}
	if !stated && tr.keywordIntent() != in.Label && !insteadCue.MatchString(tr.text) {
		return Reply{}, false, nil // neither named in words nor put instead of the task in progress
	}
	name, hasFlow := a.Flows.ForIntent(in.Label)
	if hasFlow && name == run.Flow || run.Awaiting == flow.AwaitConfirm && flow.Bare(tr.text) {
		return Reply{}, false, nil
	}
	if !hasFlow && asksSomewhere(tr.text) && !insteadCue.MatchString(tr.text) {
		// "wait before that, do I have to pay the 12 yuan label?": a
		// question about a task the bot cannot run anyway asks on the
		// way; it is answered and the flow's question asked again
		// (inFlow), the flow kept.
		return Reply{}, false, nil
	}
	before := tr.dropped(run.Flow)
	tr.st.Flow = nil
	tr.keepOrder(run) // the same order, unless the words name another
	// the task's name with the words: "swap it for an L" alone reads as
	// anything in the help center
	tr.label, tr.question = in.Label, tr.text+" "+a.catalog().Name(in.Label, tr.lang)
	if hasFlow {
		r, err := tr.start(ctx, name, []string{before})
		return r, err == nil, err
	}
	r, err := tr.dispatch(ctx)
	if err != nil {
		return Reply{}, false, err
	}
	r.Messages = append([]string{before}, r.Messages...)
	if len(r.Attachments) > 0 {
		r.Attachments = append([]*assist.Attachments{nil}, r.Attachments...)
	}
	return r, true, nil
}

// insteadCue puts something in place of the task in progress ("不退了
// 换一件大的", "a smaller one rather than a refund").
var insteadCue = nlutext.MustPattern(`(?i)\b(instead|rather than|rather have|no longer|not anymore)\b|不[想要用]?[退取改查]了|改成|换成`)

// refundingIntents are the tasks whose flows end in a refund that takes
// its own course: while one is under way, the refund asked about is the
// one it will start ("how fast does the money go back to alipay" before
// a cancellation is confirmed: the order has no refund record yet to say
// how long).
var refundingIntents = []string{"return_request", "cancel_order"}

// asksRefundToCome reports whether the message asks about the refund the
// flow in progress will start ("退了钱是退到哪里", "when would I get the
// money back?"): there is none yet, so how refunds work is the help
// center's answer, not the order's empty refund record.
func (tr *turn) asksRefundToCome(run *flow.Run) bool {
	a, in := tr.a, tr.res.Intent
	if a.KB == nil {
		return false
	}
	if !a.flowOfAny(run.Flow, refundingIntents) {
		return false
	}
	if a.flowOfAny(run.Flow, []string{"cancel_order"}) {
		// "will I get the money back?" is the order's own answer (a
		// refund starts with the cancellation, aside.go); how long it
		// takes, or to a way of paying, is the help center's
		low := strings.ToLower(tr.text)
		if !howLong.MatchString(low) && !payMethod.MatchString(low) {
			return false
		}
	}
	return !in.Ambiguous && in.Label == refundIntent || tr.keywordIntent() == refundIntent
}

// confirmsCancelAsksRefund reports whether a message at a cancellation's
// confirmation says to cancel in so many words, in a phrase of its own
// ("对 确认取消。我是微信付的 钱几天能回来", "嗯 确认取消 钱退到哪里", "yes cancel
// it. when do i get the money back?"), and asks about the refund to come:
// the go-ahead is the customer's, and the cancellation's own answer
// tells where the money goes and how long it takes. A yes alone with the
// question ("好 取消后钱多久到", "确认 顺便问下会员日是几号") is no go-ahead:
// the question is answered and the confirmation asked again (midFlow,
// yesThenAsks). Nothing kept, dropped or another order named.
func (tr *turn) confirmsCancelAsksRefund(run *flow.Run) bool {
	if run == nil || run.Awaiting != flow.AwaitConfirm || !tr.a.flowOfAny(run.Flow, []string{"cancel_order"}) {
		return false
	}
	low := strings.ToLower(tr.text)
	if !tr.asksRefundToCome(run) && !(refundCue.MatchString(low) && (howLong.MatchString(low) || whereTo.MatchString(low))) {
		return false
	}
	if cancelKeep.MatchString(low) || otherOne.MatchString(low) || tr.cancelsOnePart(run) || tr.a.Flows.Corrects(run, tr.input()) {
		return false
	}
	return slices.ContainsFunc(phrases(low), func(p string) bool {
		return !isQuestion(p) && cancelSaid.MatchString(strings.TrimSpace(p))
	})
}

// cancelSaid is a phrase that says to cancel and nothing else: a yes word
// or none, then the cancel ("确认取消", "对 取消吧", "yes cancel it", "go
// ahead and cancel").
var cancelSaid = nlutext.MustPattern(`(?i)^(?:(?:对|是的?|嗯+|好的?|行|可以|ok|okay|yes|yeah|yep|sure|ya)[的啊吧呀,， ]*)?(?:那就|就|帮我|给我|直接)?(?:确认|确定)?取消(?:掉|了)?(?:吧|呗|啊)?$|^(?:(?:yes|yeah|yep|ok|okay|sure|ya)[, ]+)?(?:please |just |go ahead and )?(?:cancel(?: it| the order| that)?|confirm(?: the)? cancell?ation)(?: please| pls)?$`)

// restatesYes returns the clause of the message that says yes on its own
// at the confirmation of run, ok when the message also names the flow's
// own task again ("就是跑鞋那单 对 改成这个地址" to "change the address
// of DD… to …?", "yes, cancel that order"): the customer confirms in the
// task's words; it is no new request that would start the task afresh
// and lose what it was told. A clause saying no ("不对 不是这个地址"),
// a correction or a new value (flow.Engine.Corrects) keeps it from being
// a yes.
func (tr *turn) restatesYes(run *flow.Run) (yes string, ok bool) {
	a := tr.a
	if run == nil || run.Awaiting != flow.AwaitConfirm || isQuestion(tr.text) || a.Flows.Corrects(run, tr.input()) || tr.cancelsOnePart(run) {
		// "对 改成南京路2号", "yes, but the other order, cancel it": a new
		// value or a correction is never a yes to the old one.
		return "", false
	}
	for _, c := range strings.FieldsFunc(tr.text, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }) {
		y, n := flow.Answer(c)
		if n {
			return "", false
		}
		if y && flow.Bare(c) && yes == "" {
			yes = c
		}
	}
	if yes == "" {
		return "", false
	}
	own := func(label string) bool {
		name, ok := a.Flows.ForIntent(label)
		return ok && name == run.Flow
	}
	in := tr.res.Intent
	return yes, in.Label != "" && !in.Ambiguous && own(in.Label) || own(tr.keywordIntent())
}

// yesThenAsks answers a confirmation of run with a yes that opens the
// message and a question after it ("行 下次下单一单能用几张券", "确认 顺便问下
// 会员日是几号", "yes do it. and how long is delivery to xinjiang"): the
// yes goes to the flow, and once the task is done the rest is answered
// as if sent alone, in the same reply; ok is false for any other message
// (a yes that restates the task, a question about the task itself before
// it is confirmed: restatesYes, midFlow).
func (tr *turn) yesThenAsks(ctx context.Context, run *flow.Run) (Reply, bool, error) {
	a := tr.a
	if run == nil || run.Awaiting != flow.AwaitConfirm || a.NLU == nil || tr.part || a.Flows.OffersPerson(run) {
		// A person on offer: "k. and the charger order, same courier?"
		// asks on; it is no go-ahead for the person.
		return Reply{}, false, nil
	}
	lead, rest, ok := strings.Cut(strings.TrimSpace(yesSep.ReplaceAllString(tr.text, " ")), " ")
	if !ok {
		return Reply{}, false, nil
	}
	rest = strings.TrimSpace(connective.ReplaceAllString(strings.TrimSpace(rest), ""))
	if yes, no := flow.Answer(lead); !yes || no || !flow.Bare(lead) || utf8.RuneCountInString(rest) < 4 {
		return Reply{}, false, nil
	}
	res, err := a.NLU.Parse(ctx, rest)
	if err != nil {
		return Reply{}, false, nil
	}
	if !asksSomewhere(rest) && !(sure(res.Intent) && a.isKnowledge(res.Intent.Label)) {
		// "下次下单一单能用几张券" asks with no question word the
		// repair list knows; the model places it in the help center.
		return Reply{}, false, nil
	}
	if l := res.Intent.Label; !res.Intent.Ambiguous && l != "" {
		if name, ok := a.Flows.ForIntent(l); ok && name == run.Flow {
			return Reply{}, false, nil // "好 取消后钱多久到": the task's own question
		}
	}
	if slices.ContainsFunc(res.Entities, func(e nlu.Entity) bool { return e.Type == "order_id" || e.Type == "tracking_number" }) || tr.namesOrderBesides(ctx, run) {
		return Reply{}, false, nil // another order asked about: not this task's yes
	}
	in := tr.input()
	in.Text = lead
	if !a.Flows.Accepts(run, in) {
		return Reply{}, false, nil
	}
	if a.flowOfAny(run.Flow, []string{"cancel_order"}) {
		// A cancellation cannot be undone: the question after the yes
		// ("确认 顺便问下会员日是几号", "ok, before that - will i lose the
		// coupon?") is answered alone and the confirmation asked again,
		// never taken as the go-ahead.
		p := *tr
		p.text, p.res, p.part = rest, res, true
		p.label, p.settled, p.question, p.fellBack = res.Intent.Label, false, rest, false
		r, err := p.digress(ctx, run, true)
		tr.after = p.after
		return r, err == nil, err
	}
	r, err := tr.cont(ctx, in)
	if err != nil || tr.st.Flow != nil || r.Handoff != nil {
		return r, err == nil, err
	}
	p := *tr
	p.text, p.res, p.part = rest, placeAddress(res, rest), true
	p.label, p.settled, p.question, p.fellBack = "", false, "", false
	pr, err := p.run(ctx)
	if err != nil {
		return Reply{}, false, err
	}
	tr.after = p.after
	for i, m := range pr.Messages {
		if slices.Contains(r.Messages, m) {
			continue
		}
		var att *assist.Attachments
		if i < len(pr.Attachments) {
			att = pr.Attachments[i]
		}
		r.add(m, att)
	}
	r.Handoff, r.Leave, r.QueueStatus = pr.Handoff, pr.Leave, pr.QueueStatus
	return r, true, nil
}

// yesSep is a comma or stop after which the question of yesThenAsks may
// start ("确认，顺便问下", "ok. and").
var yesSep = nlutext.MustPattern(`[,，.。!！;；]+`)

// cancelsAnyway reports whether the message answers a cancellation's
// confirmation by telling the bot to cancel in so many words, after a
// word of giving in ("算了 直接取消吧", "唉 算了 还是取消掉吧 不要了", "算了算了
// 取消吧"): a yes, though its 算了 alone would be a no; "算了 先不取消了"
// keeps the order.
func (tr *turn) cancelsAnyway(run *flow.Run) bool {
	if run == nil || run.Awaiting != flow.AwaitConfirm || !tr.a.flowOfAny(run.Flow, []string{"cancel_order"}) || isQuestion(tr.text) {
		return false
	}
	low := strings.ToLower(tr.text)
	if !cancelGiveIn.MatchString(low) || cancelKeep.MatchString(low) || otherOne.MatchString(low) || tr.a.Flows.Corrects(run, tr.input()) {
		return false // "对 不过是另一个订单 取消吧": another order, not this yes
	}
	return !tr.cancelsOnePart(run)
}

// cancelsOnePart reports whether a message at a cancellation's
// confirmation names an item to keep or to drop ("just cancel the stand,
// keep the lamp", "取消吧 开衫留着就行"): one item out, not
// the whole order, so never a yes to cancelling it; the confirmation is
// asked again.
func (tr *turn) cancelsOnePart(run *flow.Run) bool {
	if run == nil || !tr.a.flowOfAny(run.Flow, []string{"cancel_order"}) {
		return false
	}
	low := strings.ToLower(tr.text)
	if asksSomewhere(tr.text) || !cancelWord.MatchString(low) {
		return false // "no, keep it", "还是留着吧": a no; a question goes on
	}
	return keepsPart.MatchString(low) || dropItem.MatchString(low) || cancelsPart(low)
}

// cancelWord says to cancel.
var cancelWord = nlutext.MustPattern(`(?i)取消|\bcancel`)

// cancelsPart reports whether an English give-in names what to cancel
// other than the order itself ("just cancel the stand"); "just cancel
// it", "just cancel the order", "please cancel everything" do not.
func cancelsPart(low string) bool {
	for _, m := range cancelObject.FindAllStringSubmatch(low, -1) {
		o := strings.TrimSpace(m[1])
		if o != "" && !wholeOrder.MatchString(o) && !orderWord.MatchString(o) {
			return true
		}
	}
	return false
}

var (
	// cancelObject is what follows an English give-in.
	cancelObject = nlutext.MustPattern(`(?i)\b(?:just|go ahead and|please) cancel\b([^,.;!?，。；！？]*)`)
	// orderWord names an order ("the duvet cover order", "跑鞋那单").
	orderWord = nlutext.MustPattern(`(?i)\border\b|单`)
	// wholeOrder is the order as a whole after it.
	wholeOrder = nlutext.MustPattern(`(?i)^(it|this|that|them|all|everything|the whole|the entire|(the|my|this|that) ((damn|damned|stupid|bloody|fucking) )?(order|whole|entire|lot|thing|one)|(the|my|this|that)$|now|then|please|pls|already|anyway|for me)\b`)
	// keepsPart keeps some of the order ("开衫留着", "只要", "keep the lamp").
	keepsPart = nlutext.MustPattern(`(?i)留着|留下|保留|只要|只取消|只退|其他的?(照常|正常|要|发)|别的(照常|正常|要|发)|剩下|\b(keep|keeping|only|except|but not|rest|remaining)\b`)
)

// otherOne points away from the order confirmed ("另一个订单", "the other one").
var otherOne = nlutext.MustPattern(`(?i)另一|别的|其他|不是这|不是那|\b(other|another|different)\b`)

var (
	// cancelGiveIn tells to cancel: after giving in ("直接取消吧", "取消掉吧",
	// "就取消了吧") or as an order ("给我取消", "帮我取消", "马上取消", "取消它",
	// "cancel it now", "just cancel the damn thing"; REVIEW14 3).
	cancelGiveIn = nlutext.MustPattern(`(?i)(直接|还是|就|那就|干脆|帮我)?取消(吧|掉|了吧|好了)|` +
		`(给我|帮我|马上|立刻|立即|赶紧|赶快|现在就|快点?|直接)(给我|帮我)?(把(它|这单|那单|这个订单|那个订单|订单)(给我)?)?取消|取消(它|这单|那单)|` +
		`\b(just|go ahead and|please|pls|plz) cancel\b|` +
		`(^|[.,;!?]\s*|\b(so|then|now|ok|okay|fine)\s+)cancel (it|this|that|them|(the|my|this|that) ((damn|damned|stupid|bloody|whole|entire|fucking) )?(thing|order|lot|one))\b|` +
		`\bcancel (it|this|that|them|(the|my|this|that) ((damn|damned|stupid|bloody|whole|entire|fucking) )?(thing|order|lot|one))\s+(now|right now|immediately|asap|at once|today|already)\b`)
	// cancelKeep keeps the order ("先不取消了", "别取消", "不要给我取消").
	cancelKeep = nlutext.MustPattern(`(?i)不取消|别取消|不要取消|不用取消|不必取消|(别|不要|不用)(给我|帮我)(把[^，。？！?!]{0,6})?取消|先不|不想取消|\b(don'?t|do not|not|no need to|never ?mind) cancel|\bnever ?mind (about )?cancel`)
	// keepWish wants to keep the order ("but i want to keep it", "i'd
	// rather keep it", "但是我还想留着").
	keepWish = nlutext.MustPattern(`(?i)\b(want|wanna|like|going|gonna|rather|prefer) (to )?keep (it|them|the|my|this|that)\b|\bi'?m keeping (it|them)\b|\bkeep (it|them) (for now|after all)\b|(想|要|打算)(先)?留着|还想要|还是要(这|那)`)
	// keepWait stays waiting ("我再等等", "i'll wait", "i'll hold for the
	// agent").
	keepWait = nlutext.MustPattern(`(?i)再等等|再等一下|再等一会|(我|那)(还是)?等(着|吧|人工|客服|一下)|继续等|\bi'?ll (just )?(wait|hold)\b|\b(i can|happy to|i'?ll keep|keep) (wait|hold)|\bstill waiting for (the|an?) (agent|person|human)`)
)

// keepsOrder reports whether a message that says "cancel" keeps the order
// after all: it says not to cancel ("不用取消订单了", "no need to cancel"),
// wants the order kept ("my husband says just cancel it but i want to keep
// it"), stays waiting ("我再等等", "i'll wait"), or tells the bot to cancel
// only should something happen ("if the lamp doesn't ship by friday just
// cancel it", "台灯那单如果周五还不发货 就直接取消吧"). No cancellation starts
// on such a message, whatever the model reads.
func keepsOrder(low string) bool {
	if cancelKeep.MatchString(low) || keepWish.MatchString(low) || keepWait.MatchString(low) {
		return true
	}
	return cancelGiveIn.MatchString(low) && hypothetical.MatchString(low) && !politeIf.MatchString(low)
}

// politeIf is a supposition of politeness ("if possible just cancel it",
// "如果可以的话直接取消吧"), not a condition on the order.
var politeIf = nlutext.MustPattern(`(?i)\bif (it'?s |at all )?possible\b|\bif you (can|could)\b|如果(可以|能|可能|方便)|要是(可以|能)`)
