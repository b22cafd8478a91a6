package dialog

import (
	"context"
	nlutext "github.com/assistd/assist/nlu/text"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/assistd/assist/sentiment"
)

// An angry message is not always a reason to stop answering: "I got
// charged twice for the same order wtf" asks something the bot can answer
// at once, and a customer sent to the queue without the answer waits
// longer for it. The anger rule therefore tries to answer first:
//
//   - A message with Rules.Anger ≤ anger < Rules.AngerAtOnce, the first
//     angry one in a row, that is not a complaint or a request for a
//     person, runs as usual, even when it reacts to the last answer ("还要
//     三天？？", "so is that call a scam or not??"): what the bot can still
//     answer is answered, and anger that persists hands off. When the bot answered it (no fallback, no
//     clarifying question), the reply says sorry first and, unless a flow
//     still waits for an answer, offers a person (State.Offered: a yes
//     hands off as anger). The conversation stays with the bot; the next
//     message, if angry again, hands off at once.
//   - A message angrier than Rules.AngerAtOnce, anger that persists (the
//     previous message was already angry, or the previous angry message
//     was answered first: a worried or disappointed message before it is
//     no anger yet), and an angry message the bot could not answer
//     hand off as anger at once — after the answer when the bot had a
//     complete one ("answer and queue").
//
// With Rules.AngerAtOnce zero every angry message hands off at once,
// still after a complete answer.

// angerRule applies the anger rule to a message with Score.Anger ≥
// Rules.Anger: a complaint or a request for a person hands off at once
// (ok true, with the reply); anything else runs as usual and is settled
// by afterAnger, answering first (tr.upset) or handing off after the
// answer.
func (tr *turn) angerRule(ctx context.Context) (Reply, bool) {
	a, st, in := tr.a, tr.st, tr.res.Intent
	if l := in.Label; !in.Ambiguous && l == "complaint" && !noOneDeals.MatchString(tr.text) && tr.complaintAsksWhere() {
		// rules.go: "where the hell is my speaker": the order's state
		// first, then the hand-off (answer and queue).
		tr.after = &Escalation{Reason: ReasonAnger, Evidence: tr.angerEvidence()}
		return Reply{}, false
	}
	if l := in.Label; !in.Ambiguous && (l == "complaint" || l == "human_agent") || noOneDeals.MatchString(tr.text) {
		var before []string
		if l == "complaint" {
			before = tr.complaintAsked(ctx) // rules.go: "我要投诉 多久给处理"
		}
		return tr.escalate(ctx, ReasonAnger, tr.angerEvidence(), before), true
	}
	tr.after = &Escalation{Reason: ReasonAnger, Evidence: tr.angerEvidence()}
	// Still upset while answering the question of the task it was
	// answered first with ("给我取消" → "确认取消吗？" → "对 取消 快点"): the
	// task is done first, as the first upset message's was (REVIEW14 3).
	answering := st.UpsetOffer != "" && tr.answersFlow()
	tr.upset = a.Rules.AngerAtOnce > 0 && tr.score.Anger < a.Rules.AngerAtOnce && tr.hostile() == "" &&
		(answering || !(st.Upset > 0 && st.Upset == st.Turns-1) && !tr.angered)
	return Reply{}, false
}

func (tr *turn) angerEvidence() map[string]string {
	ev := map[string]string{"anger": num(tr.score.Anger), "threshold": num(tr.a.Rules.Anger)}
	if h := tr.hostile(); h != "" {
		ev["hostile"] = h
	}
	return ev
}

// profanity is strong swearing; said in a negative message it is anger,
// whatever the model scored ("this fucking app keeps logging me out").
var profanity = nlutext.MustPattern(`(?i)\b(fuck\w*|shit\w*|bullshit|bastards?|assholes?|motherfucker\w*)\b|他妈|妈的|tmd|操你|傻逼|傻b|狗屎|王八蛋`)

// insults call the shop or its people names without swearing ("you lot
// are a joke", "what a scam", "useless", "垃圾商城", "骗子"): said in a
// negative message they are anger, whatever the model scored.
var insults = nlutext.MustPattern(`(?i)\b(useless|incompetent|pathetic|clowns|idiots|morons|a joke|what a joke|joke of an? (company|shop|store|business|website|service)|scam\w*|rip-?off|thie(f|ves)|theft|robbery|disgrace\w*|shameful)\b|` +
	`\bworst (service|customer service|shop|store)\b|\b(one|1)[- ]star\b|\breport(ing)? you\b|` +
	`垃圾|骗子|黑店|坑人|废物|无能|什么破|破服务|差评|投诉你们|告你们|(真|太|一点|根本|完全)(是)?没用|一点用(都|也)没有|毫无用处`)

// addressed names the shop or its people ("you lot", "your app", "你们").
var addressed = nlutext.MustPattern(`(?i)\b(you|your|you're|youre|ur|u|y'all|this (shop|store|company|app|site|website|place)|of an? (company|shop|store|business|website))\b|你们|你|商城|客服|这家`)

// insulting reports whether one clause of text calls the shop or its
// people names: an insult (insults) said to them (addressed), not about
// someone else ("网上很多黑店", "is that email a scam?").
func insulting(text string) bool {
	for _, c := range clauses(text) {
		if insults.MatchString(c) && addressed.MatchString(c) {
			return true
		}
	}
	return false
}

// hostile returns "shouting" for a message written in capitals that is
// not a happy one ("WHY HAS NOBODY REFUNDED MY ORDER", not "THANK YOU SO
// MUCH"), "profanity" for swearing and "insult" for calling names
// (insults) in a negative message, else "".
// Either is anger at once.
func (tr *turn) hostile() string {
	upper, letters := 0, 0
	for _, r := range tr.text {
		if r < utf8.RuneSelf && unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	switch {
	case letters >= 12 && len(strings.Fields(tr.text)) >= 3 && upper*10 >= letters*9 && tr.score.Polarity < 0.5:
		return "shouting"
	case tr.score.Label == sentiment.Negative && profanity.MatchString(tr.text):
		return "profanity"
	case tr.score.Label == sentiment.Negative && insulting(tr.text):
		return "insult"
	case tr.score.Label == sentiment.Negative && threatens(tr.text) != "":
		return "threat"
	case tr.score.Label == sentiment.Negative && demandsNow(tr.text):
		return "demand"
	}
	return ""
}

// noOneDeals asks, angrily, whether anyone at the shop will deal with it
// at all ("你们到底管不管", "有没有人管", "does anyone there even care", "is
// anybody going to do something about this"): said in anger it asks for a
// person, like human_agent.
var noOneDeals = nlutext.MustPattern(`(?i)\b(does|do|will|is|are|isn'?t) (any|some|no)(one|body)( (there|here|at (your|this) (company|shop|store)))? (even )?(care|going to (do|fix|sort|help|deal)|gonna (do|fix|sort|help|deal)|responsible|in charge)\b|` +
	`\bno(one|body| one) (cares|is responsible|takes responsibility|ever (answers|replies|helps))\b|` +
	`管不管|有没有人管|没(有)?人管|没人负责|谁来负责|谁负责|有人管吗|到底管吗`)

// demandNow insists on a fix at once ("I want this sorted now", "fix it
// today", "今天必须给我解决", "马上给我处理"); in a negative message that also
// voices the grievance (grievanceWords: "this is ridiculous, I want this
// sorted now", "太离谱了 今天必须给我解决") it is an ultimatum: anger, whatever
// the model scored.
var demandNow = nlutext.MustPattern(`(?i)\b(sort|sorted|fix|fixed|resolve|resolved|deal with|dealt with|refund|refunded|handle|handled|done)\b[^.!?]{0,25}\b(now|right now|right away|today|immediately|asap|at once|this minute|this instant)\b|` +
	`(马上|立刻|立即|赶紧|赶快|现在就|今天(之内|内)?(必须|一定|就)?)(给我|帮我)?(处理|解决|弄好|搞定|弄|退钱|退款|办|解释|答复)`)

// demandsNow reports whether text insists on a fix at once (demandNow)
// while voicing a grievance (grievanceWords, or indignationWords: hostile
// reads it only in a negative message).
func demandsNow(text string) bool {
	return demandNow.MatchString(text) && (grievanceWords.MatchString(text) || indignationWords.MatchString(text))
}

// goingPublic names where an unhappy customer takes a complaint outside
// the shop: social media and review sites, a consumer body or regulator,
// the bank (a chargeback), a court ("putting this all over Twitter",
// "disputing it with my bank", "发微博曝光", "去12315").
var goingPublic = nlutext.MustPattern(`(?i)\b(twitter|tweet\w*|facebook|instagram|tiktok|reddit|social media|trustpilot|yelp|google reviews?|bad reviews?|negative reviews?|` +
	`chargeback|dispute|disputing|consumer (protection|rights|council|affairs)|trading standards|better business bureau|bbb|ombudsman|regulator|` +
	`sue|suing|lawyers?|solicitors?|legal action|small claims|the police)\b|` +
	`12315|消协|消费者协会|工商局|市场监管|黑猫|曝光|微博|小红书|抖音|朋友圈|发到网上|发网上|起诉|律师|报警`)

// threatOpener says the customer will do it ("I'm", "I'll", "or I",
// "我就", "不然"), not asks about it ("can I leave a review?").
var threatOpener = nlutext.MustPattern(`(?i)\b(i'?m|i am|i'?ll|i will|i'?m going to|i'?m gonna|gonna|or i|otherwise i|then i|i shall|we'?ll|we will)\b|` +
	`我就|我要|我会|我去|那我|不然|否则|就去|我直接|我只能|我得`)

// publicAct is going public with a verb next to the outlet: "writing a
// long Trustpilot review", "going to the ombudsman", "发微博", "去消协", "sue
// you", or by word of mouth ("I'll warn everyone I know", "让身边的人都知
// 道"); an outlet only named ("I'm really annoyed the Facebook ad said",
// "我在小红书看到的", "Hi, I'm Sue", "I'm a lawyer") is not.
var publicAct = nlutext.MustPattern(`(?i)\b(post|writ|leav|report|complain|put|tweet|shar|tell|tak|rais|fil|contact|call|ring|phon)\w*\b[^.!?,;]{0,30}\b(twitter|facebook|instagram|tiktok|reddit|social media|trustpilot|yelp|google reviews?|bad reviews?|negative reviews?|` +
	`consumer (protection|rights|council|affairs)|trading standards|better business bureau|bbb|ombudsman|regulator|lawyers?|solicitors?|the police)\b|` +
	`\bgo(ing|ne)? (straight )?to (the |my |a )?(twitter|facebook|instagram|tiktok|reddit|social media|trustpilot|yelp|consumer (protection|rights|council|affairs)|trading standards|better business bureau|bbb|ombudsman|regulator|lawyers?|solicitors?|the police|small claims|court)\b|` +
	`\b(chargeback|dispute|disputing|legal action|small claims)\b|\bsu(e|ing) (you|your)\b|` +
	`(发|上|去|到|找|向|打|告到)[^，。！？,.!?]{0,2}(微博|小红书|抖音|朋友圈|消协|消费者协会|工商局|市场监管|黑猫|12315|网上)|12315|起诉|报警|曝光|律师函|` +
	// word of mouth: telling everyone they know, every review section
	// ("I'll make sure all my friends hear about this", "让身边的人都知道")
	`\b(make sure|let|tell|warn|telling|warning)\b[^.!?;]{0,20}\b(everyone|everybody|all my (friends|family|followers|colleagues|contacts)|my (followers|group chats?|whole (office|team|family|street))|every (review|forum|group|parent|friend|person)\w*)\b|` +
	`(让|告诉|跟|提醒)[^，。！？,.!?]{0,4}(所有人|身边的人|身边所有人|每个人|亲戚朋友|朋友们|全公司|群里)`)

// threatens returns the outlet a message threatens to take a complaint
// to, in a clause where the customer says they will (publicAct with a
// threatOpener), or "". Said in a
// negative message it is a sign of hostility, like an ultimatum: the
// labelling rule's "refund me today or I call the police".
func threatens(text string) string {
	for _, c := range clauses(text) {
		if m := publicAct.FindString(c); m != "" && threatOpener.MatchString(c) {
			if w := goingPublic.FindString(m); w != "" {
				return strings.ToLower(w)
			}
			return strings.ToLower(m)
		}
	}
	return ""
}

// leaving says the customer will stop shopping here, the shop named:
// "this is the last time I order from you", "I'm thinking of closing my
// account", "以后再也不在你们家买了", "我想把账号注销了"; not an item given up
// ("不想再用了", "I won't be using it again").
var leaving = nlutext.MustPattern(`(?i)\b(is|be|'s) (the|my) last time i('ll)? (ever )?(order|buy|shop)\w* (from|with|at|here)\b|` +
	`\bnever (order|buy|shop)\w* (from (you|here|this (shop|store|site))|with you|here)\b|` +
	`\b(won'?t|will not|not going to|never going to) (be )?((order|buy|shop|coming back)\w*( anything)? (from (you|here|this (shop|store|site))|with you|here( again)?)|coming back)\b|` +
	`\b(clos|delet|cancel)(e|ing|ling)? my (account|membership)\b|\btak(e|ing) my (business|money|custom) elsewhere\b|` +
	`(再也不|以后(都|再)?不|不(想|会)再|永远不)[^，。！？,.!?]{0,4}(你们家|你们店|你们这|你家)|注销(我的)?(账号|账户|帐号|会员)|(账号|账户|帐号)[^，。！？]{0,4}注销|去别家买|换别家买`)

// leaves is the threat to leave rule: a negative message that says the
// customer will stop shopping here is answered, then handed off the same
// turn as negative_trend, without waiting for a run of negative
// messages: the customer has said where the trend goes.
func (tr *turn) leaves() bool {
	if !tr.scored || tr.a.Rules.NegativeTurns <= 0 || tr.score.Label != sentiment.Negative {
		return false
	}
	w := leaving.FindString(tr.text)
	if w == "" {
		return false
	}
	tr.after = &Escalation{Reason: ReasonNegativeTrend, Evidence: map[string]string{"leaving": strings.ToLower(w)}}
	return true
}

// afterAnswer settles a turn a rule hands off once the bot ran it
// (tr.after: anger, a VIP's grievance): r is what the bot would say. An
// answer to a task or a help-center question stays with the bot when
// answering first (tr.upset), with an apology and (once no flow waits)
// an offer of a person; otherwise it is said before the hand-off. No
// answer hands off alone.
func (tr *turn) afterAnswer(ctx context.Context, r Reply) Reply {
	a, st := tr.a, tr.st
	if r.Handoff != nil || r.QueueStatus || r.Leave {
		return r
	}
	concrete := a.isTask(tr.label) || a.isKnowledge(tr.label)
	answered := concrete && len(r.Messages) > 0 && !tr.fellBack && len(st.Clarify) == 0
	if tr.upset && answered {
		st.Upset = st.Turns
		var out Reply
		sorry := "upset.sorry"
		if tr.acts {
			sorry = "upset.sorry_act" // the task asked for, being done
		}
		out.add(tr.say(sorry), nil)
		out.addAll(r)
		if st.Flow == nil {
			if st.Offered == "" {
				out.add(tr.say("upset.offer"), tr.yesNo())
			}
			st.Offered, st.OfferedTask = tr.after.Reason, "" // a yes hands off for what the rule saw
			st.UpsetOffer = ""
		} else {
			st.UpsetOffer = tr.after.Reason // offered once the task is done (offerAfterTask)
		}
		return out
	}
	var before []string
	run := st.Flow
	st.UpsetOffer = ""
	if answered {
		before = r.Messages
	}
	st.Clarify, st.Offered, st.OfferedTask = nil, "", ""
	tr.fellBack = false
	out := tr.escalate(ctx, tr.after.Reason, tr.after.Evidence, before)
	if answered {
		// Answer and queue: the answer keeps its cards and quick replies,
		// and a flow's question ("which order?") can still be answered
		// while the customer waits.
		out.Attachments = r.Attachments
		st.Flow = run
	}
	return out
}

// offerAfterTask offers a person once the task an upset customer was
// answered first with is done ("给我取消" → "确认取消吗？" → "对 取消" → "已取消"
// and the offer; REVIEW14 3): State.UpsetOffer, kept while the flow
// waits, and dropped when the task ends without an answer (a hand-off,
// the customer leaving, a fallback).
func (tr *turn) offerAfterTask(r Reply) Reply {
	st := tr.st
	reason := st.UpsetOffer
	if reason == "" || st.Flow != nil {
		return r
	}
	st.UpsetOffer = ""
	if r.Handoff != nil || r.QueueStatus || r.Leave || tr.fellBack || len(r.Messages) == 0 || st.Offered != "" || st.Escalation != nil {
		return r
	}
	r.add(tr.say("upset.offer"), tr.yesNo())
	st.Offered, st.OfferedTask = reason, ""
	return r
}

// closings end or accept where the conversation stands.
var closings = map[string]bool{"goodbye": true, "thanks": true}

// voicesDiscontent reports whether the message itself voices the
// discontent the negative_trend rule hands off for: not a closing or
// thanks the model is sure of, not an answer to the flow's question, not
// a question without words of dissatisfaction, and, with
// Rules.NegativeLast set, a polarity at or below it.
func (tr *turn) voicesDiscontent() bool {
	if in := tr.res.Intent; !in.Ambiguous && closings[in.Label] {
		return false
	}
	if run := tr.st.Flow; run != nil && tr.a.Flows != nil && tr.a.Flows.Accepts(run, tr.input()) {
		return false // "no photos right now sorry": an answer to the flow's question
	}
	if asksConfirm(tr.text) && tr.grievance() == "" {
		return false // "那我直接拒收行不行", "这总算质量问题吧": asking on, not complaining
	}
	// A negative message that says so in words voices it, however mild
	// the model's polarity ("this is the last time I order from you.
	// so frustrating").
	return tr.a.Rules.NegativeLast == 0 || tr.score.Polarity <= tr.a.Rules.NegativeLast ||
		tr.score.Label == sentiment.Negative && tr.grievance() != ""
}

// grievanceWords voice dissatisfaction with the shop or its service,
// whatever the model scored: vipGrievance reads them without a sentiment.
var grievanceWords = nlutext.MustPattern(`(?i)\b(disappoint\w*|unhappy|not happy|dissatisfied|not satisfied|unacceptable|not great|poor service|bad service|terrible|awful|frustrat\w*|expected (better|more) (from|of) you|let down|not impressed|not good enough|not okay|not ok|poor quality|shoddy|fed up|sick of|not acceptable|isn'?t acceptable|(is this|this is) how you treat)\b|` +
	// the customer's due set against what they got ("this is what I
	// get", "is this the thanks I get", "you treat loyal customers like this")
	`\b(a disgrace|unimpressed|this is what (i|we) get|(the|is this the|this is the) thanks (i|we) get|treat(ing|ed)? (me|us|your customers|customers|loyal customers|people) like (this|that|dirt|rubbish))\b|` +
	`不[太很大怎么]*满意|不满|失望|体验差|体验很差|太差|很差|糟糕|差劲|寒心|(这么|这样)对待|` +
	`太过分|过分了|很过分|真过分|就这(待遇|服务|态度)|这种(待遇|服务态度)|(就|竟然|居然)?(这样|这么)对(我|老客户|顾客|会员)|欺负人`)

// indignationWords are grievances only in a negative message: "this is
// ridiculous", "离谱", "five years a member" voice indignation when the
// customer is unhappy, praise or plain fact otherwise ("the sweater is
// unbelievable, so soft!", "便宜得离谱", "I've been five years a member,
// is there a birthday coupon?"). The model reads 离谱 as negative even in
// praise ("质量好得离谱"), so 离谱 as a degree (得离谱) is left out.
var indignationWords = nlutext.MustPattern(`(?i)\b(ridiculous|outrageous|absurd|unbelievable|beyond a joke|\w+ years (a |as a )?(member|customer)|after all (these|those) years)\b|` +
	// 离谱 said of the matter ("太离谱了", "真离谱"), not a degree
	// ("好得离谱", "便宜得离谱": as good or cheap as can be)
	`(^|[^得])离谱|什么玩意|搞什么(啊|呢|鬼|名堂)`)

// grievance returns the words of the message that voice dissatisfaction:
// grievanceWords, or indignationWords in a message scored negative; "".
func (tr *turn) grievance() string {
	if w := grievanceWords.FindString(tr.text); w != "" {
		return w
	}
	if tr.scored && tr.score.Label == sentiment.Negative {
		return indignationWords.FindString(tr.text)
	}
	return ""
}

// vipGrievance is the vip_complaint rule for a member of Rules.VIPTiers
// voicing dissatisfaction (tr.grievance) in a message the model does
// not call a complaint ("My sweater arrived with a hole. Pretty
// disappointed.", "作为铂金会员这个体验我不太满意"): the turn is answered and
// handed off in the same turn, as for anger at once.
func (tr *turn) vipGrievance(ctx context.Context) bool {
	w := tr.grievance()
	if w == "" {
		return false
	}
	tier := tr.tier(ctx)
	if tier == "" || !slices.Contains(tr.a.Rules.VIPTiers, tier) {
		return false
	}
	tr.after = &Escalation{Reason: ReasonVIPComplaint, Evidence: map[string]string{"tier": tier, "grievance": strings.ToLower(w)}}
	return true
}
