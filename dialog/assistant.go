package dialog

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/assistd/assist"
	"github.com/assistd/assist/catalog"
	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/nlu"
	"github.com/assistd/assist/nlu/text"
	"github.com/assistd/assist/rag"
	"github.com/assistd/assist/sentiment"
)

// Parser understands a customer message; *nlu.Pipeline implements it.
type Parser interface {
	// Parse returns the message's language, intent and entities. Errors:
	// EINVALID or ETOOLARGE for text it refuses, EUNAVAILABLE when no
	// model can answer.
	Parse(ctx context.Context, text string) (nlu.Result, error)
}

// Answerer answers questions from a knowledge base; *rag.Service
// implements it.
type Answerer interface {
	// Answer answers req from the knowledge base; below its confidence
	// threshold the answer says so (Known false) and offers a human.
	Answer(ctx context.Context, req rag.AnswerRequest, onDelta func(string) error) (rag.Answer, error)
}

// Reason codes for handoffs the Assistant decides.
const (
	ReasonCustomerRequest = catalog.ReasonCustomerRequest // the customer asked for a person
	ReasonComplaint       = catalog.ReasonComplaint       // the customer wants to complain
)

// maxQuestion bounds the remembered question, in bytes.
const maxQuestion = 500

// Assistant is the bot: it keeps the conversation's State, understands
// each message (NLU and sentiment), applies the escalation rules, runs
// task flows with their repairs (cancel, digressions, corrections,
// elliptical follow-ups), asks which intent was meant when the model is
// torn between two, answers greetings and help-center questions (with
// their sources), and asks the customer to rephrase when it does not
// understand. doc.go describes the policy in order.
type Assistant struct {
	NLU       Parser           // nil: every message is treated as a question
	Sentiment sentiment.Scorer // nil: no sentiment, so no anger or trend rules
	KB        Answerer         // nil: questions are handed to a person
	KBName    string           // the knowledge base to answer from; "" means "help"
	Flows     *flow.Engine     // nil: task intents are handed to a person
	Backend   flow.Backend     // for the member lookup (get_member); nil: no VIP check
	Rules     EscalationRules  // the zero value turns the threshold rules off; see DefaultRules
	Alpha     float32          // weight of the newest message in the sentiment trend; 0: sentiment.DefaultAlpha
	// Tasks are the intents that need the shop's systems (a task flow runs
	// those it has one for; the others go to a person rather than a
	// guess); nil means the catalogue's tasks.
	Tasks []string
	// Catalog names the intents and words the bot's replies; nil means
	// catalog.Default().
	Catalog *catalog.Catalog
}

// catalog returns the Assistant's catalogue.
func (a *Assistant) catalog() *catalog.Catalog {
	if a.Catalog != nil {
		return a.Catalog
	}
	return catalog.Default()
}

// say returns the wording of key in the turn's language, as the
// conversation's shop words it.
func (tr *turn) say(key string, args ...string) string {
	var tenant string
	if tr.conv != nil {
		tenant = tr.conv.TenantID
	}
	return tr.a.catalog().SayFor(tenant, tr.lang, key, args...)
}

var _ Policy = (*Assistant)(nil)

// turn is one Respond call in progress.
type turn struct {
	torn      bool // the model is torn between two intents the help center's last answer was not about (followup.go)
	a         *Assistant
	conv      *assist.Conversation
	st        *State
	text      string
	res       nlu.Result
	lang      string
	score     sentiment.Score
	scored    bool                  // score is this message's
	angered   bool                  // the previous message was scored angry (anger ≥ Rules.Anger)
	label     string                // the intent acted on (after clarification or ellipsis)
	settled   bool                  // label comes from a clarification or a follow-up, not the model
	question  string                // the text to ask the knowledge base
	fellBack  bool                  // the bot did not understand this turn
	askedTier bool                  // get_member was called this turn
	waiting   bool                  // the customer waits in the queue for a person
	part      bool                  // one of several questions of the message (multi.go)
	listed    *flow.Result          // the customer's orders, once listed this turn (orders.go)
	contacted bool                  // the contact question was tried this turn (contact.go)
	written   map[string]rag.Answer // answers written this message, by passage (reading.go)
	after     *Escalation           // a rule that hands off once the turn has its answer (upset.go)
	upset     bool                  // ... answering first
	acts      bool                  // ... a task the customer asked for, done first (asksToAct)
	offered   string                // the task flow the bot offered last turn, after a help-center answer about it
	keyword   keyworded             // the intent the message names by its keywords (keywordIntent)
	partOf    string                // the part before this one on the same help-center topic (multi.go)
	continues bool                  // tr.question continues st.Question, the help center is told so (followup.go)
	onTopic   string                // set: tr.question is asked on this topic, answered from its documents (returnrule.go)
	joins     bool                  // tr.question is the message joined to the question it continues (followup.go)
	aboutRead *aboutMemo            // asksAbout, read once (asksabout.go)
	pleasant  bool                  // the help center was asked without the pleasantries the message opens with (ask)
}

// Respond implements Policy. It works on a copy of t.State (nil: a new
// conversation) and always returns the new state in Reply.State. Errors:
// those of the NLU other than EUNAVAILABLE, of the knowledge base, and of
// the flow engine (a cancelled ctx); the caller then hands off.
func (a *Assistant) Respond(ctx context.Context, t Turn) (Reply, error) {
	st := t.State.Clone()
	st.Turns++
	tr := &turn{a: a, conv: t.Conversation, st: st}
	if t.Message != nil {
		tr.text = t.Message.Text
	}
	if a.NLU != nil {
		res, err := a.NLU.Parse(ctx, tr.text)
		switch {
		case assist.ErrorCode(err) == assist.EUNAVAILABLE && ctx.Err() == nil:
			// No model can answer (none trained, or it is down): treat the
			// message as a question rather than failing the turn.
			res = nlu.Result{}
		case err != nil:
			return Reply{}, fmt.Errorf("understanding the message: %w", err)
		}
		tr.res = placeAddress(res, tr.text)
	}
	tr.lang = tr.language(t)
	if a.Sentiment != nil {
		// A scorer that fails costs this turn its sentiment, not its answer.
		if s, err := a.Sentiment.Score(ctx, tr.text); err == nil {
			tr.score, tr.scored = s, true
			tr.angered = st.Sentiment.Messages > 0 && a.Rules.Anger > 0 && st.Sentiment.Anger >= a.Rules.Anger
			st.Sentiment.Add(s, a.Alpha)
		}
	}
	if in := tr.res.Intent; st.Flow == nil && (t.Conversation == nil || t.Conversation.Owner != assist.OwnerQueue) &&
		(slices.Contains(statusIntents, in.Label) || !a.isTask(in.Label) || in.Ambiguous) {
		// number.go: a pasted numeric tracking number, read only where a
		// number is acted on as a parcel (a bare number, a status or
		// tracking question), not in a flow or the queue (REVIEW12A 11).
		tr.digitsAsTracking(ctx)
	}
	if in := tr.res.Intent; !in.Ambiguous {
		st.note(in.Label, in.Confidence)
	}
	for _, e := range tr.res.Entities {
		if st.Entities == nil {
			st.Entities = map[string]string{}
		}
		st.Entities[e.Type] = e.Value
		if e.Type == "product" {
			st.ProductTurn = st.Turns
		}
	}
	tr.waiting = t.Conversation != nil && t.Conversation.Owner == assist.OwnerQueue
	if st.Escalation != nil && !tr.waiting {
		// A person handed the conversation back: start afresh, keeping
		// what the bot knows of the customer.
		st.Escalation, st.Flow, st.Clarify = nil, nil, nil
		st.Fallbacks, st.Sentiment.NegativeRun = 0, 0
	}
	var reply Reply
	var err error
	if tr.waiting {
		reply, err = tr.whileWaiting(ctx)
	} else {
		reply, err = tr.run(ctx)
	}
	if err != nil {
		return Reply{}, err
	}
	if tr.after != nil {
		reply = tr.afterAnswer(ctx, reply)
	} else if !tr.waiting {
		reply = tr.offerAfterTask(reply) // upset.go
	}
	if !tr.fellBack {
		st.Fallbacks = 0
	}
	reply.State = st
	return reply, nil
}

// language decides the turn's language once (text.ReplyLang: the
// language the customer is writing now, else the conversation's so far)
// and keeps it in State.Lang for the next turn.
func (tr *turn) language(t Turn) string {
	prev := tr.st.Lang
	if prev == "" && t.Conversation != nil {
		prev = t.Conversation.Lang
	}
	tr.st.Lang = string(text.ReplyLang(tr.text, text.Lang(prev)))
	return tr.st.Lang
}

// run applies the policy in the order doc.go gives.
func (tr *turn) run(ctx context.Context) (Reply, error) {
	cancels := tr.cancelsNamedOrder()
	if cancels && (tr.res.Intent.Label != "cancel_order" || tr.res.Intent.Confidence < SureConfidence) {
		// "台灯那单也别等了 直接取消吧 太慢了": the cancel said, whatever
		// complaint the model hears around it (urge.go), and however
		// unsure of it ("羽绒服那单一直不发货 气死我了 给我把它取消": not
		// read as asking whether it shipped).
		in := tr.res.Intent
		tr.res.Intent = nlu.Intent{Label: "cancel_order", Confidence: 1, Source: in.Source, Model: in.Model}
		tr.st.renote("cancel_order")
	}
	if in := tr.res.Intent; in.Label == "cancel_order" && !cancels && tr.st.Flow == nil && keepsOrder(strings.ToLower(tr.text)) {
		// "please don't cancel order DD…, i'll wait for it", "if the lamp
		// doesn't ship by friday just cancel it": no cancellation starts;
		// the order's state is what the customer waits on.
		tr.res.Intent = nlu.Intent{Label: statusIntents[0], Confidence: 1, Source: in.Source, Model: in.Model}
		tr.st.renote(statusIntents[0])
	}
	if r, ok, err := tr.severalUnless(ctx, cancels); err != nil || ok {
		return r, err
	}
	a, st, in := tr.a, tr.st, tr.res.Intent
	if asksIfBot(tr.text) {
		return Reply{Messages: []string{tr.say("bot_identity")}}, nil
	}
	if r, ok, err := tr.contact(ctx); err != nil || ok {
		return r, err
	}
	if l := in.Label; !isSmallTalk(l) && a.NLU != nil && !sure(in) && opensWithGreeting(tr.text) {
		// "hi there! hope you're having a good week :) do you ship to
		// australia?": the model places the request but is not sure of
		// the whole, nor is the help center, asked the pleasantries too
		// (pleasantry.go). A message the model is sure of costs no more
		// parses (REVIEW12A 7).
		if rest := tr.afterPleasantries(ctx); rest != "" {
			if res, err := a.NLU.Parse(ctx, rest); err == nil && res.Intent.Label != "" && !isSmallTalk(res.Intent.Label) && res.Intent.Label != nlu.OutOfScope {
				tr.text, tr.res, in = rest, res, res.Intent
				if !in.Ambiguous {
					st.renote(in.Label)
				}
			}
		}
	} else if isSmallTalk(l) && a.NLU != nil {
		// "你好 问两个事 键盘到了没", "thx. which courier", "ok 那质量问题呢":
		// small talk in front of the request; the request is what to
		// answer.
		rest := tr.afterPleasantries(ctx) // pleasantry.go: "hi! hope ur well :) do you take paypal?"
		if rest == "" {
			rest = stripCourtesy(tr.text)
		}
		if rest != "" && (l != "goodbye" || !saysFarewell(tr.text)) {
			if res, err := a.NLU.Parse(ctx, rest); err == nil && (res.Intent.Label != l && res.Intent.Label != "" && res.Intent.Label != nlu.OutOfScope || tr.continuesAnswer(rest) && !sure(res.Intent)) {
				tr.text, tr.res, in = rest, res, res.Intent
				if !in.Ambiguous {
					st.renote(in.Label)
				}
			}
		}
	}
	if in.Label == "membership" && a.NLU != nil {
		// "我耳机退款凭什么被拒？？？我铂金会员就这待遇？": the tier said is
		// who asks (tierclaim.go); what is asked is the rest's intent.
		if rest := withoutTierClaim(tr.text); rest != tr.text && utf8.RuneCountInString(strings.TrimSpace(rest)) >= 4 {
			res, err := a.NLU.Parse(ctx, rest)
			if l := res.Intent.Label; err == nil && !res.Intent.Ambiguous && l != in.Label && (a.isTask(l) || a.isKnowledge(l)) {
				tr.res.Intent, in = res.Intent, res.Intent
				st.renote(in.Label)
			}
		}
	}
	if r, ok := tr.messageRules(ctx); ok {
		return r, nil
	}
	if r, ok, err := tr.staffOnly(ctx); err != nil || ok {
		return r, err // staffonly.go: harm only staff can repair
	}
	tr.label, tr.question = in.Label, tr.text
	if l := partingLabel(tr.text); l != "" && (isSmallTalk(in.Label) || !sure(in)) {
		// A thanks or goodbye with a day in it ("谢谢 周末愉快", "talk
		// tomorrow") is one, however unsure the model is (statusagain.go).
		tr.label = l
	} else if in.Ambiguous {
		tr.label = nlu.OutOfScope
	}
	if reason := st.Offered; reason != "" {
		st.Offered = ""
		switch yes, no := flow.Answer(tr.text); {
		case yes && plainAnswer(tr.text) && !isQuestion(tr.text) && (in.Label != "goodbye" || flow.Bare(tr.text)):
			// "那退回来要多久" asks on, it does not accept; "行吧 到了再说",
			// "ok fine, bye" close the talk, they do not accept either
			// (a bare "好的" does, whatever the model hears in it).
			return tr.escalate(ctx, reason, map[string]string{"accepted": "offer"}, nil), nil
		case reason == ReasonNoAutomation && pressing.MatchString(tr.text) && !tr.newRequest():
			// "都过两天了还没退回来", "so what can I do": the bot said it cannot (staffonly.go).
			if r, ok, err := tr.answerPressed(ctx, reason); err != nil || ok {
				return r, err // pressed.go: a question of its own is answered first
			}
			return tr.escalate(ctx, reason, map[string]string{"accepted": "pressed"}, nil), nil
		case no && !tr.newRequest() && !noOfThing(tr.text):
			return Reply{Messages: []string{tr.say("offer_declined")}}, nil
		}
	}
	if name := st.OfferedTask; name != "" {
		st.OfferedTask, tr.offered = "", name
		if yes, _ := flow.Answer(tr.text); yes && a.Flows != nil {
			if f, ok := a.Flows.Flow(name); ok && len(f.Intents) > 0 {
				tr.label, tr.settled = f.Intents[0], true
				st.renote(tr.label)
				return tr.start(ctx, name, nil)
			}
		}
	}
	if l := askedLang(tr.text); l != "" {
		tr.lang, st.Lang = l, l // "can you answer in english pls"
	}
	if r, ok, err := tr.returnPostage(ctx); err != nil || ok {
		return r, err // postage.go: the postage of the return just submitted
	}
	if r, ok, err := tr.sameParcel(ctx); err != nil || ok {
		return r, err // aside.go: "袜子也在这个包裹里吧" right after its parcel
	}
	if r, ok, err := tr.refundSlow(ctx); err != nil || ok {
		return r, err // paidwith.go: "为啥这么慢" right after a refund's state
	}
	if r, ok, err := tr.leaveAtOrder(ctx); err != nil || ok {
		return r, err // "能让快递员放驿站吗": where the parcel on its way is left
	}
	if r, ok, err := tr.afterSales(ctx); err != nil || ok {
		return r, err // fault.go: a fault, a return or a price drop of an order named by what was bought
	}
	if r, ok := tr.doneAgain(); ok {
		return r, nil
	}
	if r, ok, err := tr.notSeen(ctx); err != nil || ok {
		return r, err
	}
	if r, ok, err := tr.taskCost(ctx); err != nil || ok {
		return r, err // taskcost.go: "do i have to pay the shipping for that" right after a task
	}
	if r, ok, err := tr.insistsOnOrder(ctx); err != nil || ok {
		return r, err // signin.go: "我就是王芳 手机尾号5603 你查下嘛", not signed in
	}
	if name := st.Done; name != "" && tr.doneRecent() && a.Flows != nil && tr.continuesDone(name) && !tr.namesAnotherOrder(ctx) {
		// "so by friday then?", "how much was it again": the task just
		// answered, asked again for the same order.
		st.Done = ""
		if f, ok := a.Flows.Flow(name); ok && len(f.Intents) > 0 {
			tr.label, tr.settled = f.Intents[0], true
			st.renote(tr.label)
			return tr.start(ctx, name, nil)
		}
	}
	if st.Flow == nil {
		if r, ok, err := tr.otherTaskSameOrder(ctx); err != nil || ok {
			return r, err
		}
	}
	if st.Flow != nil {
		if a.Flows != nil {
			if _, ok := a.Flows.Flow(st.Flow.Flow); ok {
				return tr.inFlow(ctx)
			}
		}
		st.Flow = nil // flows were turned off or the flow was removed
	}
	if r, ok, err := tr.byNumber(ctx); err != nil || ok {
		return r, err
	}
	if r, ok, err := tr.previousOrder(ctx); err != nil || ok {
		return r, err // previous.go: "上一单呢", "and the one before that?"
	}
	if r, ok, err := tr.topicGoesOn(ctx); err != nil || ok {
		return r, err
	}
	if r, ok, err := tr.whichOrder(ctx); err != nil || ok {
		return r, err
	}
	if r, ok, err := tr.aboutOrders(ctx); err != nil || ok {
		return r, err
	}
	if len(st.Clarify) == 0 {
		if r, ok, err := tr.published(ctx); err != nil || ok {
			return r, err
		}
	}
	picked := false
	if opts := st.Clarify; len(opts) > 0 {
		st.Clarify = nil
		if l, ok := a.pickOption(opts, tr.text, in); ok {
			tr.label, tr.question, picked, tr.settled = l, st.Question, true, true
			if tr.question == "" {
				tr.question = tr.text
			}
		}
	}
	if !picked {
		if x, y, ok := a.alternatives(tr.text); ok {
			st.Clarify = []string{x, y}
			st.Question = tr.masked()
			return tr.clarify(x, y), nil
		}
		label, question, ok := tr.followUp()
		if in.Ambiguous && len(in.Top) >= 2 {
			x, y := in.Top[0].Label, in.Top[1].Label
			clarify := x != y && (a.isTask(x) || a.isKnowledge(x)) && (a.isTask(y) || a.isKnowledge(y))
			if l, sure := a.settle(x, y, tr.text, tr.res.Entities); clarify && sure && !ok {
				label, question, ok = l, tr.text, true
			}
			if clarify && !ok && tr.asksAbout() {
				// "will the wool coat pill after a few wears?" torn
				// between a parcel and a product: a question about the
				// product, for the help center (asksabout.go).
				for _, l := range []string{x, y} {
					if a.isKnowledge(l) {
						label, question, ok = l, tr.text, true
						break
					}
				}
			}
			// A follow-up that settles the choice in context needs no
			// question, nor does one that names a new order or parcel for
			// the task in progress ("那DD202611050002呢").
			if clarify && !(ok && (label == x || label == y || len(tr.res.Entities) > 0 || followUpCue(tr.text) != "")) {
				// "改完多久能拿到" after how to change an invoice's title,
				// "n when do they expire" after the points: a short question
				// right after a help-center answer continues it when the
				// help center is confident of it so (followup.go); the
				// model's torn pair comes from the words alone.
				last := tr.answeredLabel()
				tr.torn = last != "" && x != last && y != last
				er, answered, err := tr.elliptic(ctx)
				tr.torn = false
				if err != nil || answered {
					return er, err
				}
				l, r, err := tr.beforeClarify(ctx, x, y)
				switch {
				case err != nil:
					return Reply{}, err
				case r != nil:
					return *r, nil
				case l != "":
					tr.label, tr.question, tr.settled = l, tr.text, true
					st.renote(l)
					return tr.dispatch(ctx)
				}
				st.Clarify = []string{x, y}
				st.Question = tr.masked()
				return tr.clarify(x, y), nil
			}
		}
		if ok {
			tr.label, tr.question, tr.settled = label, question, true
		}
	}
	if tr.settled {
		st.renote(tr.label)
	} else if r, ok, err := tr.elliptic(ctx); err != nil || ok {
		return r, err
	}
	return tr.dispatch(ctx)
}

// changeAddress is the intent of a change of delivery address; asksChange
// says a change ("改", "换个地址", "寄到公司", "wrong address", "send it to"),
// or where to leave the parcel ("放前台", "leave it at reception").
const changeAddress = "change_address"

var asksChange = text.MustPattern(`改|换|更|变|错|新地址|(寄|送|发|派)(到|去|往)|转寄|搬|放(在|到)|留(在|给)|代收|前台|门卫|驿站|快递柜|` +
	`\b(change|changing|changed|update|edit|wrong|new|moved|moving|correct|redirect|instead|leave|drop|reception|neighbou?r|locker)\b|\b(send|deliver|ship|post)\b[^.?!]{0,12}\bto\b`)

// placeAddress reads a change of address the model hears in a message
// that says where the customer's address is for a question about the fee,
// the time or free shipping ("不满的话呢 我收货地址在新疆", "my address is in
// tibet, is shipping free?") as unplaced, unless it also says a change, an
// order or an address to send to. Every other change_address stands: a
// change needs no change word ("delivered to my office", 另一个收货地址,
// 能送公司吗).
func placeAddress(res nlu.Result, text string) nlu.Result {
	if res.Intent.Label != changeAddress {
		return res
	}
	low := strings.ToLower(text)
	if saysWhere.MatchString(low) && asksShipping.MatchString(low) && !asksChange.MatchString(low) && !givesAddress(text, res.Entities) {
		res.Intent = nlu.Intent{Label: nlu.OutOfScope}
	}
	return res
}

// leaveAtOrder reads a request to leave a parcel somewhere on its way
// ("能让快递员放驿站吗 或者放前台也行", "到了放快递柜就行", "can the driver leave
// it in the parcel locker?") as a change of where that order is delivered,
// whatever status or tracking question the model (or a keyword such as
// 快递) hears in it: the change_address flow, for the order named by what
// was bought or the one just talked about, says what can be done (a
// parcel on its way: a person can ask the courier). A parcel already left
// somewhere ("快递把我东西直接扔门口了") asks nothing; ok is false then, and
// when the model is sure of another task.
func (tr *turn) leaveAtOrder(ctx context.Context) (Reply, bool, error) {
	a, st := tr.a, tr.st
	low := strings.ToLower(tr.text)
	if a.Flows == nil || st.Flow != nil || !leavePlace.MatchString(low) || !(isQuestion(tr.text) || leaveAsk.MatchString(low)) {
		return Reply{}, false, nil
	}
	if leaveGeneral.MatchString(low) || leaveGone.MatchString(low) {
		// "你们快递一般会放快递柜吗", "do you usually leave parcels at the
		// door": the policy, asked of the help center; "快递放门口被人拿走了":
		// a parcel lost, not one to redirect.
		return Reply{}, false, nil
	}
	in := tr.res.Intent
	if l := in.Label; sure(in) && l != changeAddress && !slices.Contains(asideIntents, l) && a.isTask(l) {
		return Reply{}, false, nil // "放门口被偷了 我要投诉"
	}
	name, ok := a.Flows.ForIntent(changeAddress)
	if !ok {
		return Reply{}, false, nil
	}
	input := tr.input()
	if tr.conv != nil && tr.conv.CustomerRef != "" && !tr.namesOrder() {
		orders, listed, err := tr.namedOrders(ctx, input)
		switch {
		case err != nil:
			return Reply{}, false, err
		case listed && orders.ByName && len(orders.Meant) == 1:
			input = aboutOrder(input, orders.Order(orders.Meant[0]))
		case st.Entities["order_id"] != "":
			input = aboutOrder(input, st.Entities["order_id"]) // the order just talked about
		case listed:
			// None named: the one parcel on its way, if there is one.
			var onWay []string
			for i, o := range orders.List {
				if asText(o["status"]) == "shipped" {
					onWay = append(onWay, orders.Order(i))
				}
			}
			if len(onWay) == 1 {
				input = aboutOrder(input, onWay[0])
			}
		}
	}
	run, out, err := tr.startAs(ctx, name, changeAddress, input)
	if err != nil {
		return Reply{}, false, err
	}
	r, err := tr.takeOffer(ctx, tr.flowReply(ctx, run, out, nil), urgent)
	return r, err == nil, err
}

var (
	// leavePlace is a place to leave a parcel at.
	leavePlace = text.MustPattern(`放(在|到|进)?[^，。？！?!\s]{0,5}(驿站|前台|门卫|快递柜|丰巢|门口|物业|收发室|传达室|保安|邻居)|代收|` +
		`\b(leave|drop|put)\b[^.?!]{0,30}\b(at|in|with|by|outside|behind)\b[^.?!]{0,20}\b(reception|front desk|locker|door|porch|neighbou?rs?|concierge|security|mailroom|guard|lobby)\b`)
	// leaveGeneral asks what couriers usually do, not for this parcel
	// ("一般会放快递柜吗", "你们会放门口吗", "do you usually leave…", "if i'm
	// out will the courier leave it with a neighbour").
	leaveGeneral = text.MustPattern(`一般|通常|平时|平常|默认|会不会|你们.{0,6}会|快递.{0,4}会(放|把|给|送)|如果.{0,8}(不在|没人)|(^|[\s，,。？?！!])(你们|快递)?会(送|放|寄|派)(到|在)?|\b(usually|normally|generally|typically|in general|policy|do you|does (the|your) (courier|driver|delivery)|will (the|your) (courier|driver|delivery)|would (the|your) (courier|driver)|what happens|if (i'?m|i am|nobody|no one|no-one)|when (i'?m|i am|nobody|no one))\b`)
	// leaveGone reports a parcel already left and lost ("被人拿走了",
	// "放门口不见了", "it was stolen from the porch").
	leaveGone = text.MustPattern(`被|拿走|偷|不见|丢了|丢失|没了|找不到|\b(stolen|gone|missing|taken|disappeared|lost|went missing|never got|can'?t find)\b`)
	// leaveAsk asks for it ("让快递员放…", "放快递柜就行", "please leave it").
	leaveAsk = text.MustPattern(`让|请|帮|能|可以|就行|就好|行不|吧|\b(can|could|please|would|pls|plz|ask)\b`)
)

// saysWhere states where the customer or the address is ("地址在新疆",
// "我人在海南", "my address is in tibet", "i live in lhasa").
var saysWhere = text.MustPattern(`(地址|我|人|家)(都|就|是)?在|住在|\b(is|am|are|live|living|based|located|i'm|im)\s+(in|at)\b`)

// asksShipping asks about the fee, the time or the free-shipping
// threshold ("运费多少", "几天能到", "不满99呢", "how long", "if i don't reach it").
var asksShipping = text.MustPattern(`运费|邮费|快递费|包邮|免邮|不满|满\s*[0-9多]|不够|多少钱|几天|多久|多长时间|时效|什么时候到|能到|\b(shipping (fee|cost)|postage|fee|fees|cost|costs|how much|how long|how many days|when will|free|reach|spend|threshold|minimum|arrive)\b`)

// givesAddress reports whether text names an order or parcel, or holds
// an address to send to ("上海市静安区南京西路1266号18楼", "100 North Main
// Street"), read as the flow reads one: a change of address given without
// a word of changing.
func givesAddress(text string, ents []nlu.Entity) bool {
	if slices.ContainsFunc(ents, func(e nlu.Entity) bool { return e.Type == "order_id" || e.Type == "tracking_number" }) {
		return true
	}
	return flow.Address(text) != ""
}

// dispatch acts on tr.label outside a flow.
func (tr *turn) dispatch(ctx context.Context) (Reply, error) {
	a := tr.a
	if isSmallTalk(tr.label) {
		tr.notGoodbye() // a "goodbye" that asks or reports a fault is read as a question
	}
	label := tr.label
	// A question about a product or the policy the model hears as a task
	// ("毛衣能不能机洗 会不会变形" as a return) is the help center's, whose
	// confidence answers or declines (asksabout.go).
	task := a.isTask(label) && !(a.KB != nil && (tr.asksAbout() || tr.asksCourierPolicy()))
	if task {
		if r, ok, err := tr.courierChoice(ctx); err != nil || ok {
			return r, err // clarify.go: "改成顺丰", "switch to SF"
		}
	}
	switch {
	case task:
		if a.Flows != nil {
			if name, ok := tr.flowFor(label); ok { // exchange.go
				if r, ok, err := tr.howItWorks(ctx, name); err != nil || ok {
					return r, err
				}
				if r, ok, err := tr.unsureTaskAnswer(ctx, name); err != nil || ok {
					return r, err
				}
				return tr.start(ctx, name, nil)
			}
		}
		// No flow runs it: the help center may still say how ("can I
		// exchange for a bigger size?"), and the bot, which cannot do it,
		// then offers a person; otherwise it says so and offers one.
		offer := tr.offerPerson(label)
		if a.KB != nil {
			ans, err := tr.ask(ctx)
			if err != nil {
				return Reply{}, err
			}
			if ans.Known {
				r := tr.answered(ans)
				if !tr.waiting {
					r.add(offer.Messages[0], offer.Attachments[0])
				}
				return r, nil
			}
		}
		return offer, nil
	case isSmallTalk(label):
		return Reply{Messages: []string{tr.say(label)}}, nil
	case a.KB == nil:
		if label == nlu.OutOfScope {
			return tr.fallback(ctx, []string{tr.say("rephrase")}), nil
		}
		return tr.escalate(ctx, ReasonNoAutomation, nil, nil), nil
	}
	topic := tr.st.Question
	r, err := tr.lookUp(ctx, false)
	if err != nil {
		return Reply{}, err
	}
	if !r.ans.Known {
		// "btw another site has it for 550" after price protection: what
		// the help center cannot place alone may continue the last answer
		// (followup.go).
		if alt, ok, err := tr.readOnTopic(ctx, topic); err != nil {
			return Reply{}, err
		} else if ok {
			r = alt
		}
	}
	ans, err := tr.settle(ctx, r)
	if err != nil {
		return Reply{}, fmt.Errorf("answering from the knowledge base: %w", err)
	}
	switch {
	case ans.Known:
		return tr.answered(ans), nil
	case label == nlu.OutOfScope && !tr.plainQuestion(ans) && !tr.asksAbout():
		return tr.fallback(ctx, []string{tr.say("rephrase")}), nil
	}
	if ans.OfferHuman {
		tr.st.Offered = ReasonNoAutomation // "…connect you with a person from our support team?"
	}
	return tr.fallback(ctx, []string{ans.Text}), nil
}

// howItWorks answers from the help center a question about how a task
// works asked with no order in mind ("How long does a refund take?",
// "退款多久到账？"), then offers to run the task's flow for a specific
// order; ok is false when the question names an order or the help
// center has no answer (the flow then starts).
func (tr *turn) howItWorks(ctx context.Context, name string) (Reply, bool, error) {
	// Right after such an answer, a question about the task naming no
	// order ("要等你们收到货才退是吧") asks on about how it works; so does
	// one about its rules ("do they have to stay sealed", ruleask.go).
	asks := asksHowItWorks(tr.text) || asksWhatIf(tr.text) || asksRule(tr.text) || tr.offered == name && isQuestion(tr.text)
	if tr.a.KB == nil || !asks || tr.namesOrder() {
		return Reply{}, false, nil
	}
	ans, err := tr.ask(ctx)
	if err != nil || !ans.Known {
		return Reply{}, false, err
	}
	return tr.answerThenOffer(ans, name), true, nil
}

// answerThenOffer is the help center's answer about task flow name,
// then the offer to run it for a specific order.
func (tr *turn) answerThenOffer(ans rag.Answer, name string) Reply {
	r := tr.answered(ans)
	tr.st.OfferedTask = name
	r.add(tr.say("offer_check_order"), tr.yesNo())
	return r
}

// namesOrder reports whether the message points at an order: an order or
// tracking number, or words such as "my order", "这个订单".
func (tr *turn) namesOrder() bool {
	for _, e := range tr.res.Entities {
		if e.Type == "order_id" || e.Type == "tracking_number" {
			return true
		}
	}
	low := strings.ToLower(tr.text)
	for _, w := range orderWords {
		if strings.Contains(low, w) {
			return true
		}
	}
	return false
}

// ask asks the knowledge base tr.question. A help-center question is
// remembered for elliptical follow-ups.
func (tr *turn) ask(ctx context.Context) (rag.Answer, error) {
	r, err := tr.lookUp(ctx, false)
	return tr.answerReading(ctx, r, err) // reading.go
}

// lookUp reads tr.question, alone or as continuing the question or part
// before it (thread.go), without answering it yet (reading.go); reread
// marks another reading of a question this turn already asked, whose
// decline records no knowledge gap.
func (tr *turn) lookUp(ctx context.Context, reread bool) (reading, error) {
	r, err := tr.lookUpOnce(ctx, reread)
	if err == nil && !reread && !r.ans.Known && !tr.pleasant && tr.question == tr.text && tr.a.NLU != nil && opensWithGreeting(tr.text) {
		// "hey hey, happy friday! can i get a fapiao for my order?": the
		// model is sure of the request, but the help center, asked the
		// pleasantries too, is not; asked again without them, once a turn
		// and only on such a decline (pleasantry.go).
		tr.pleasant = true
		if rest := tr.afterPleasantries(ctx); rest != "" && tr.placesSurely(ctx, rest) {
			saved := tr.question
			tr.question = rest
			if r2, err2 := tr.lookUpOnce(ctx, true); err2 == nil && r2.ans.Known {
				return r2, nil
			}
			tr.question = saved
		}
	}
	return r, err
}

// placesSurely reports whether the model is sure what text asks, a
// request and no small talk: what is left after the pleasantries is the
// request only then ("你好！衣服洗了一次就掉色了。怎么办？" leaves "怎么办？"
// when the fault is taken for a pleasantry: not the request).
func (tr *turn) placesSurely(ctx context.Context, text string) bool {
	res, err := tr.a.NLU.Parse(ctx, text)
	return err == nil && !isSmallTalk(res.Intent.Label) && sure(res.Intent)
}

// lookUpOnce is lookUp without the second reading.
func (tr *turn) lookUpOnce(ctx context.Context, reread bool) (reading, error) {
	filter, conv := tr.kbScope()
	var topic string
	continues := tr.continues
	if q := tr.st.Question; q != "" && q != tr.masked() && !strings.HasPrefix(tr.question, q) {
		topic = q // what an elliptic question ("and for gold members?") continues
	}
	if tr.onTopic != "" {
		topic, continues = tr.onTopic, true
	}
	r, err := tr.read(ctx, rag.AnswerRequest{
		Filter:         filter,
		Question:       tr.question,
		Lang:           tr.lang,
		Topic:          topic,
		Continues:      continues && topic != "",
		Follows:        topic != "" && tr.follows(),
		ConversationID: conv,
		Reread:         reread,
	})
	if err != nil {
		return reading{}, fmt.Errorf("answering from the knowledge base: %w", err)
	}
	joined := false
	if tr.partOf != "" && tr.question == tr.text {
		if r, joined, err = tr.afterPart(ctx, r); err != nil { // thread.go
			return reading{}, fmt.Errorf("answering from the knowledge base: %w", err)
		}
	} else if topic != "" && tr.question == tr.text && tr.st.Answered == tr.st.Turns-1 && !tr.continues {
		if r, joined, err = tr.inThread(ctx, r, topic); err != nil { // thread.go
			return reading{}, fmt.Errorf("answering from the knowledge base: %w", err)
		}
	}
	if tr.joins && borrowsSureness(r) {
		r = unsure(r) // thread.go
	}
	if tr.question == tr.text && !joined && (tr.a.isKnowledge(tr.label) || r.ans.Known) {
		tr.st.Question = tr.masked()
	}
	if r.ans.Known {
		tr.st.Answered = tr.st.Turns
	}
	return r, nil
}

// kbScope is the knowledge base the turn answers from (the tenant's
// Assistant.KBName, "help" when unset) and the conversation asking.
func (tr *turn) kbScope() (rag.Filter, string) {
	kb := tr.a.KBName
	if kb == "" {
		kb = "help"
	}
	if tr.conv == nil {
		return rag.Filter{KB: kb}, ""
	}
	return rag.Filter{TenantID: tr.conv.TenantID, KB: kb}, tr.conv.ID
}

// masked is the message with PII replaced, bounded, for the state.
func (tr *turn) masked() string {
	s := tr.res.Masked
	if s == "" {
		s = tr.text
	}
	return bounded(s)
}

// bounded is s cut to maxQuestion bytes, for the state.
func bounded(s string) string {
	if len(s) > maxQuestion {
		s = s[:maxQuestion]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return s
}

// followUp returns the intent an elliptical follow-up ("那退货呢？",
// "那DD202611050002呢", "and the blue one?") continues, and the question to
// ask for it: the topic it names, else the last task or question with the
// new entities. It applies only to short messages the model did not place
// (out of scope or ambiguous) that carry an entity or a follow-up cue.
func (tr *turn) followUp() (label, question string, ok bool) {
	a, st, in := tr.a, tr.st, tr.res.Intent
	if in.Label == "" || !(in.Label == nlu.OutOfScope || in.Ambiguous) || !isShort(tr.text, tr.res.Entities) {
		return "", "", false
	}
	cue := followUpCue(tr.text)
	if cue == "" && len(tr.res.Entities) == 0 {
		return "", "", false
	}
	last := st.lastTopic(a)
	if cue != "" {
		if topic := a.keywordIntent(stripFollowUp(tr.text, tr.res.Entities), nil, last == "" || a.isTask(last)); topic != "" {
			return topic, tr.text, true
		}
	}
	if last == "" {
		return "", "", false
	}
	question = tr.text
	if a.isKnowledge(last) && st.Question != "" {
		var add []string
		for _, e := range tr.res.Entities {
			add = append(add, e.Text)
		}
		question = st.Question + " " + strings.Join(add, " ")
		if len(add) == 0 {
			// "and the fee?" after "how long delivery to xinjiang": the
			// fee of the delivery there, not how long it takes again
			// (continuation leaves out what the last question asked for
			// when the message asks for another kind of figure).
			question = continuation(st.Question, tr.text)
		}
	}
	return last, question, true
}

// input is the message as the flow engine sees it.
func (tr *turn) input() flow.Input {
	in := flow.Input{
		Text:     tr.text,
		Lang:     tr.lang,
		Intent:   tr.res.Intent,
		Entities: tr.res.Entities,
		Turn:     tr.st.Turns,
		Listed:   tr.listed,
	}
	if tr.settled && tr.label != in.Intent.Label {
		in.Intent = nlu.Intent{Label: tr.label, Confidence: 1, Source: "dialog"}
	}
	if c := tr.conv; c != nil {
		in.TenantID, in.ConversationID, in.CustomerRef = c.TenantID, c.ID, c.CustomerRef
	}
	return in
}

// start begins flow name with the entities known so far, after the
// messages before.
func (tr *turn) start(ctx context.Context, name string, before []string) (Reply, error) {
	// The entities first: reading them may list the customer's orders,
	// which the flow's input then carries (Input.Listed) instead of
	// listing them again.
	if name == pathExchange {
		// exchange.go: the size wanted ("to a 43") and the new item ("the
		// new one") name no order; the rest of the message may.
		saved := tr.text
		tr.text = wantedVariant.ReplaceAllString(tr.text, " ")
		defer func() { tr.text = saved }()
	}
	known := tr.earlierOrder(ctx, name, tr.carry(ctx))
	run, out, err := tr.a.Flows.Start(ctx, name, tr.input(), known)
	if err != nil {
		return Reply{}, fmt.Errorf("starting flow %s: %w", name, err)
	}
	return tr.takeOffer(ctx, tr.flowReply(ctx, run, tr.sayWhich(run, out), before), urgent) // staffonly.go
}

// continuesDone reports whether the message is a short follow-up on the
// task flow name just answered: a short question or follow-up cue the
// model does not take for another task or for a help-center question.
func (tr *turn) continuesDone(name string) bool {
	a, in := tr.a, tr.res.Intent
	if askedLang(tr.text) != "" && tr.keywordIntent() == "" && !tr.namesOrder() {
		return true // the same answer, in the language asked for
	}
	short := isShort(tr.text, tr.res.Entities) || recalls.MatchString(tr.text) && isShortish(tr.text)
	if !short || !asksFact(tr.text) || !isQuestion(tr.text) && followUpCue(tr.text) == "" && !recalls.MatchString(tr.text) {
		return false
	}
	if named := a.keywordIntent(stripFollowUp(tr.text, tr.res.Entities), nil, true); named != "" {
		// "那退货呢？": another topic, named.
		if other, ok := a.Flows.ForIntent(named); !ok || other != name {
			return false
		}
	}
	placed := !in.Ambiguous && in.Label != "" && in.Label != nlu.OutOfScope
	if placed && a.isTask(in.Label) && (sure(in) || tr.namesOrder() || a.isTask(tr.keywordIntent()) || a.isKnowledge(tr.answeredLabel())) {
		// Another task only when the model is sure of it, the message
		// names an order or a task, or a help-center answer came just
		// before the task's ("改好大概几号能发出来" after Double 11 and a
		// size change): "so when exactly" right after a refund's state is
		// that refund's day, whatever parcel question the model guesses
		// at from "when" alone.
		other, ok := a.Flows.ForIntent(in.Label)
		return !ok || other == name || tr.standsAgain(name, in.Label)
	}
	// Another topic only when the model is sure of it: a weak
	// help-center label ("how much and when") does not count.
	return !sure(in)
}

// recalls asks again for something the bot already said ("单号多少来着",
// "你刚才说的几号到", "what was the tracking number again?").
var recalls = text.MustPattern(`(?i)来着|刚才|刚刚说|你说的|之前说|\bagain\b|\byou (just )?said\b|\bwhat was\b`)

// recallWindow is how many turns back a task's answer is still what a
// question recalling it asks again (a hand-off and a wait may come
// between: "单号多少来着 我自己去顺丰查").
const recallWindow = 4

// doneRecent reports whether the task last finished (State.Done) is the
// one the message may continue: the turn before, or a few turns back when
// the message recalls what was said.
func (tr *turn) doneRecent() bool {
	st := tr.st
	return st.DoneTurn == st.Turns-1 || st.DoneTurn >= st.Turns-recallWindow && recalls.MatchString(tr.text)
}

// severalUnless is several, skipped when one request is said for the whole
// message (skip): its parts would each be read alone.
func (tr *turn) severalUnless(ctx context.Context, skip bool) (Reply, bool, error) {
	if skip {
		return Reply{}, false, nil
	}
	return tr.several(ctx)
}

// flowReply stores the run and turns a flow step's output into the reply.
func (tr *turn) flowReply(ctx context.Context, run *flow.Run, out flow.Output, before []string) Reply {
	tr.st.Flow = run
	if out.Done || out.Handoff != nil || run == nil {
		tr.st.Flow = nil
	}
	if out.Done && out.Handoff == nil && run != nil {
		tr.st.Done, tr.st.DoneTurn = run.Flow, tr.st.Turns
		if n := len(out.Messages); n > 0 {
			tr.st.DoneSay = out.Messages[n-1]
		}
		tr.st.DoneResult = doneResult(run)
		tr.noteTopic(run.Flow, run, out) // fault.go: the after-sales answer's topic
		// Remember the order just shown, even one found from the
		// customer's words or its parcel, for the next turn's follow-up.
		tr.rememberShown(run)
	}
	var r Reply
	for _, m := range before {
		r.add(m, nil)
	}
	for i, m := range out.Messages {
		var att *assist.Attachments
		if i < len(out.Attachments) {
			att = out.Attachments[i]
		}
		r.add(m, att)
	}
	if out.Done && out.Handoff == nil && tr.urgesOrder(run) {
		// "太慢了吧 帮我催一下": the order's state, and the hurry asked
		// for is a person's to chase (urge.go).
		r.addAll(tr.offerPerson("urge_shipping"))
	}
	if out.Done && out.Handoff == nil && tr.asksDeliveryHour(run) {
		r.add(tr.hourReply(run), nil) // deliveryhour.go: "明天几点到", the day is all we know; the courier's call, when the parcel says
	}
	if run != nil && tr.st.Flow == run {
		// postage.go: "too late to return it?", "do I pay for return
		// shipping?", "by when?" asked with what the return was told;
		// a failed quote only loses the answer (the flow's next call
		// reports a cancelled ctx)
		if lines, err := tr.openingAsks(ctx, run); err == nil {
			r = withAsks(r, lines)
		}
	}
	if out.Handoff == nil && run != nil {
		// a rule asked with the return: the rule, then the order's line
		// or the flow's question ("想退 需要寄回原包装吗")
		r = tr.withReturnRule(ctx, run, r) // returnrule.go
	}
	if h := out.Handoff; h != nil {
		reason := h.Reason
		if reason == "" {
			reason = ReasonNoAutomation
		}
		return tr.escalateFlow(ctx, reason, h.Evidence, r.Messages)
	}
	return r
}

// offerPerson says the bot cannot do label's task here and asks whether
// the customer wants a person (State.Offered), with yes/no quick replies.
func (tr *turn) offerPerson(label string) Reply {
	if tr.waiting {
		return tr.stillWaiting()
	}
	tr.st.Offered = ReasonNoAutomation
	c := tr.a.catalog()
	var r Reply
	r.add(tr.say("offer_person", "name", c.Name(label, tr.lang)), tr.yesNo())
	return r
}

// yesNo are quick replies for a yes/no question.
func (tr *turn) yesNo() *assist.Attachments {
	yes, no := tr.say("choice.yes"), tr.say("choice.no")
	return &assist.Attachments{Choices: []assist.Choice{{Label: yes, Value: yes}, {Label: no, Value: no}}}
}

// reprompt is the question run waits for, with its quick replies.
func (tr *turn) reprompt(run *flow.Run) (string, *assist.Attachments) {
	return tr.a.Flows.Reprompt(run, tr.lang), tr.a.Flows.Choices(run, tr.lang)
}

// inFlow handles a message while a flow waits for the customer: cancel,
// an answer, another task, small talk or a help-center question
// (answered, then the flow's question again), else the flow re-asks.
func (tr *turn) inFlow(ctx context.Context) (Reply, error) {
	a, st, run := tr.a, tr.st, tr.st.Flow
	if a.Flows.OffersPerson(run) && pressing.MatchString(tr.text) && !tr.otherTaskOtherOrder(ctx, run) {
		return tr.takeOffer(ctx, Reply{}, pressing) // "那怎么办" to "shall I get a colleague?" (staffonly.go)
	}
	if tr.cancelsAnyway(run) {
		// "算了 直接取消吧" to "cancel it?": giving in to the cancellation
		// (flowturn.go), not the "算了" of a no.
		in := tr.input()
		in.Text = "yes"
		return tr.cont(ctx, in)
	}
	if run.Awaiting == flow.AwaitConfirm && tr.cancelsOnePart(run) {
		// "取消吧 开衫留着就行" to "cancel it?": one item kept or
		// dropped is no yes to cancelling the whole order (flowturn.go);
		// the confirmation is asked again.
		var r Reply
		r.add(tr.reprompt(run))
		return r, nil
	}
	if yes, ok := tr.restatesYes(run); ok {
		// "就是跑鞋那单 对 改成这个地址": the yes is the answer; the task's
		// words around it restate what is confirmed, they change nothing.
		in := tr.input()
		in.Text = yes
		return tr.cont(ctx, in)
	}
	if tr.confirmsCancelAsksRefund(run) {
		// "对 确认取消。我是微信付的 钱几天能回来": the go-ahead in the
		// task's own words; the cancellation's answer says where the
		// money goes and how long it takes (flowturn.go).
		in := tr.input()
		in.Text = "yes"
		return tr.cont(ctx, in)
	}
	if r, ok, err := tr.holdsToAsk(ctx, run); err != nil || ok {
		return r, err // besides.go: "no wait, will i get the full refund if i cancel now?"
	}
	if r, ok, err := tr.cancelThen(ctx, run); err != nil || ok {
		return r, err // flowturn.go: "nvm keep the home address. when do the shoes ship", "那算了 耳机左边没声了"
	}
	if r, ok, err := tr.otherOrderMeant(ctx, run); err != nil || ok {
		return r, err // flowturn.go: "no, the other one, the firm pillow"
	}
	if r, ok, err := tr.midFlow(ctx, run); err != nil || ok {
		return r, err // flowturn.go: a cancel and a question, another task named, the refund to come
	}
	if r, ok, err := tr.returnPostage(ctx); err != nil || ok {
		return r, err // postage.go: "do I pay the label?" for this return
	}
	if r, ok, err := tr.passesOffer(ctx, run); err != nil || ok {
		return r, err // flowturn.go: "行吧。。对了 袜子能退不" to an offered person
	}
	if r, ok, err := tr.yesThenAsks(ctx, run); err != nil || ok {
		return r, err // flowturn.go: "行 下次下单一单能用几张券"
	}
	if !a.Flows.Accepts(run, tr.input()) {
		if lines, err := tr.openingAsks(ctx, run); err != nil || len(lines) > 0 {
			// returnwindow.go: "is it too late for it?" while the return
			// waits: answered, the flow's question asked again
			var r Reply
			for _, l := range lines {
				r.add(l, nil)
			}
			r.add(tr.reprompt(run))
			return r, err
		}
	}
	if r, ok, err := tr.otherOrderAtOffer(ctx, run); err != nil || ok {
		return r, err // offerturn.go: another order asked about, the offer passed over
	}
	in := tr.input()
	label, sure := tr.res.Intent.Label, !tr.res.Intent.Ambiguous && tr.res.Intent.Label != nlu.OutOfScope && tr.res.Intent.Label != ""
	if sure && a.isKnowledge(label) && (asksSomewhere(tr.text) || inverted.MatchString(tr.text)) && a.KB != nil {
		// A help-center question, even one naming a slot's value
		// ("无理由退货的运费谁出？"), is a digression: answer it, then ask
		// the flow's question again.
		return tr.digress(ctx, run, true)
	}
	if r, ok, err := tr.besidesOwnWords(ctx, run); err != nil || ok {
		return r, err // besides.go: "btw where do I find …" where a reason "other" would take it
	}
	accepts := a.Flows.Accepts(run, in)
	if isCancel(tr.text) && !(accepts && (a.takesNo(run) || a.Flows.Gives(run, in))) {
		// "算了" answering a confirmation is the flow's "no", "不用了"
		// skips an optional question, and "没拆封 照片不用了" gives values;
		// anywhere else (free text, an offered order included) a cancel
		// phrase drops the flow.
		st.Flow = nil
		return Reply{Messages: []string{tr.say("cancelled")}}, nil
	}
	if accepts {
		return tr.cont(ctx, in)
	}
	if yes, no := flow.Answer(tr.text); (yes || no) && (!(sure && a.isTask(label)) || flow.Bare(tr.text)) && isShort(tr.text, tr.res.Entities) && len(strings.Fields(tr.text)) <= 4 {
		// "yes confirm", "对的 改吧", "确认" (whatever task the model
		// reads in it): an answer, never another request.
		return tr.cont(ctx, in)
	}
	if r, ok, err := tr.asideStatus(ctx, run); err != nil || ok {
		return r, err
	}
	if sure && a.isTask(label) && run.Awaiting == flow.AwaitConfirm && !tr.namesTask() && !tr.namesOrderBesides(ctx, run) {
		// "快点行不行" to "cancel it?": the model's guess at another task
		// does not drop a confirmation; its question is asked again. One
		// other order the words name ("that unpaid order for the bedding,
		// just cancel it") is the other task's.
		return tr.cont(ctx, in)
	}
	if sure {
		if name, ok := tr.flowFor(label); ok && name != run.Flow {
			st.Flow = nil
			tr.keepOrder(run) // othertask.go: the same order, unless the words name another
			return tr.start(ctx, name, []string{tr.dropped(run.Flow)})
		} else if !ok && a.isTask(label) {
			// A task no flow runs: the help center may answer it, else the
			// bot says so and offers a person, dropping the flow.
			if a.KB != nil {
				ans, err := tr.ask(ctx)
				if err != nil {
					return Reply{}, err
				}
				if ans.Known {
					r := tr.answered(ans)
					r.add(tr.reprompt(run))
					return r, nil
				}
			}
			st.Flow = nil
			return tr.offerPerson(label), nil
		}
		switch label {
		case "greeting", "thanks":
			r := Reply{Messages: []string{tr.say(label)}}
			r.add(tr.reprompt(run))
			return r, nil
		case "goodbye":
			if saysFarewell(tr.text) {
				st.Flow = nil
				return Reply{Messages: []string{tr.say(label)}}, nil
			}
			sure = false // "hmm what can I do then": not a goodbye
		}
	}
	knowledge := sure && a.isKnowledge(label)
	if a.KB != nil && (knowledge || !sure) {
		return tr.digress(ctx, run, knowledge)
	}
	return tr.cont(ctx, in)
}

// digress answers a question asked while run waits, from the knowledge
// base, and asks the flow's question again. When the base does not know,
// a knowledge question counts as a fallback; any other message goes to
// the flow.
func (tr *turn) digress(ctx context.Context, run *flow.Run, knowledge bool) (Reply, error) {
	ans, err := tr.ask(ctx)
	if err != nil {
		return Reply{}, err
	}
	if !ans.Known && !knowledge {
		return tr.cont(ctx, tr.input())
	}
	r := tr.answered(ans)
	r.add(tr.reprompt(run))
	if !ans.Known {
		return tr.fallback(ctx, r.Messages), nil
	}
	return r, nil
}

// takesNo reports whether run waits for a question a "no" answers: a
// confirmation, or an optional question that is not free text.
func (a *Assistant) takesNo(run *flow.Run) bool {
	if run.Awaiting == flow.AwaitConfirm {
		return true
	}
	f, ok := a.Flows.Flow(run.Flow)
	if !ok {
		return false
	}
	s := f.Slots[run.Awaiting]
	return s != nil && s.Optional && s.Type != "text"
}

// cont gives the message to the flow in progress.
func (tr *turn) cont(ctx context.Context, in flow.Input) (Reply, error) {
	run := tr.st.Flow
	out, err := tr.a.Flows.Continue(ctx, run, in)
	if err != nil {
		return Reply{}, fmt.Errorf("continuing flow %s: %w", run.Flow, err)
	}
	return tr.takeOffer(ctx, tr.flowReply(ctx, run, out, nil), urgent) // staffonly.go
}

// withSources appends the titles of the answer's sources, so the customer
// sees where it comes from, and returns them as the message's sources.
func (tr *turn) withSources(ans rag.Answer) (string, *assist.Attachments) {
	if !ans.Known || len(ans.Sources) == 0 {
		return ans.Text, nil
	}
	var b strings.Builder
	att := &assist.Attachments{}
	b.WriteString(ans.Text)
	b.WriteString("\n\n")
	b.WriteString(tr.say("sources"))
	for i, s := range ans.Sources {
		if i > 0 {
			b.WriteString("; ")
		}
		title := s.Title
		if title == "" {
			title = s.Doc
		}
		fmt.Fprintf(&b, "[%d] %s", s.N, title)
		att.Sources = append(att.Sources, assist.Source{N: s.N, Title: title, Doc: s.Doc})
	}
	return b.String(), att
}

// answered is the reply of a known answer, with its sources.
func (tr *turn) answered(ans rag.Answer) Reply {
	text, att := tr.withSources(ans)
	var r Reply
	r.add(text, att)
	r.add(tr.applyStepRule(ans.Text), nil) // "那我买600块的能减多少"
	if ans.Known {
		r.Knowledge = &KnowledgeAnswer{Confidence: ans.Confidence}
		if len(ans.Sources) > 0 {
			r.Knowledge.Doc = ans.Sources[0].Doc
		}
	}
	return r
}

// clarify asks which of two intents the customer meant, with both as
// quick replies.
func (tr *turn) clarify(x, y string) Reply {
	c := tr.a.catalog()
	nx, ny := c.Name(x, tr.lang), c.Name(y, tr.lang)
	return Reply{
		Messages:    []string{tr.say("clarify", "first", nx, "second", ny)},
		Attachments: []*assist.Attachments{{Choices: []assist.Choice{{Label: nx, Value: nx}, {Label: ny, Value: ny}}}},
	}
}

// dropped says the flow in progress is dropped for a new request.
func (tr *turn) dropped(flowName string) string {
	if _, ok := tr.a.catalog().Intent(flowName); ok {
		return tr.say("dropped_named", "name", tr.a.catalog().Name(flowName, tr.lang))
	}
	return tr.say("dropped")
}
