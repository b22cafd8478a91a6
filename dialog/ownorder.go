package dialog

import (
	"strings"

	nlutext "github.com/assistd/assist/nlu/text"
)

// One reading each, used wherever the bot or the gap recorder needs it:
// a message about the customer's own order (aboutOwnOrder), a request to
// the bot (requestsBot) and a task asked for about the customer's own
// thing ("can I return these shoes?", asksOwnTask). AsksHowThingsGo
// (askshow.go) and the published answers' gate (published.go) both read
// them, so a question the gap report keeps out is one a published answer
// does not pre-empt, and the other way round.

// ownOrder names the customer's own order, parcel or refund: where or
// when one of theirs is ("where is my present", "when will my stuff
// come"), "my order", "我的快递", "我买的…", "我那个…到哪了".
var ownOrder = nlutext.MustPattern(`(?i)\b(where|when)\b[^.?!;,]{0,30}\b(my|our|mine)\b|\b(my|our) (orders?|parcels?|packages?|refunds?|returns?|deliver(y|ies)|purchases?|stuff)\b|` +
	`我(的|们的)?(订单|包裹|快递|退款|货)|我(买|订|下单|拍)的|我那[个件双台]`)

// asksStateEN asks where an order stands: "has my parcel shipped?", "is
// my refund through?", "did you ship it yet?", "is the parcel shipped
// yet?".
var asksStateEN = nlutext.MustPattern(`(?i)^\W*(has|have|is|are|did|was|were)\s+(my|our)\b|` +
	`^\W*(did|have|has)\s+(you|u|they)\s+(already\s+)?(ship|send|sent|dispatch|receiv|got|get|refund|process)|\byet\W*$`)

// asksDonePerfectiveZH asks whether something has happened: "发货了吗",
// "我的快递到了吗".
var asksDonePerfectiveZH = nlutext.MustPattern(`了[吗么嘛没]`)

// supposing sets a condition or asks what would happen: "if", "what
// happens", "… when my order is out for delivery", 如果, 的话, 以后.
var supposing = nlutext.MustPattern(`(?i)\b(if|what happens|in case|suppose|supposing)\b|\w\s+when\s+(my|our|the|it|its|it's|i|i'm|they|you|we)\b|` +
	`如果|要是|假如|万一|的话|以后|之后`)

// sentences splits a message where a sentence ends.
var sentences = nlutext.MustPattern(`[.?!;。？！；]+`)

// customerActs opens a question of what the customer may do ("can I
// collect my order from your warehouse?", "我可以自己去取吗"): about the
// shop, unless it asks for a task (asksOwnTask).
var customerActs = nlutext.MustPattern(`(?i)^\W*(so\s+|ok\s+|and\s+)?(can|could|may)\s+(i|we)\b|^我(们)?(还)?(可以|能|能不能|可不可以)`)

// aboutOwnOrder reports whether a sentence of text asks about the
// customer's own order, parcel or refund, or whether something has
// happened to an order ("Will my order arrive tomorrow?", "我的快递今天能到吗？",
// "Where is my parcel? If it doesn't come today…", "退款到账没有",
// "Is the parcel shipped yet?"). A sentence that supposes is about how
// things go ("If I change the address, will my order arrive later?"), and
// so is one of what the customer may do ("Can I collect my order from
// your warehouse myself?").
func aboutOwnOrder(text string) bool {
	for _, s := range sentences.Split(text, -1) {
		if s = strings.TrimSpace(s); s == "" || supposing.MatchString(s) || customerActs.MatchString(s) {
			continue
		}
		if ownOrder.MatchString(s) || asksStateEN.MatchString(s) || asksDoneZH.MatchString(s) || asksDonePerfectiveZH.MatchString(s) {
			return true
		}
	}
	return false
}

// asksOpening opens a question by saying one has one ("I want to know:",
// "我想问一下，", "请问"): what follows is the question.
var asksOpening = nlutext.MustPattern(`(?i)^[\s\p{P}]*(i\s+(want|wanted|would like|'d like|need)\s+to\s+(know|ask)|i\s+was\s+wondering|i\s+wonder|just\s+wondering|quick\s+question)\b[\s\p{P}]*|` +
	`^[\s\p{P}]*(我)?(想|要)(问一下|问问|问下|问|知道|了解一下|了解|咨询一下|咨询|请教一下|请教)[\s\p{P}]*|^[\s\p{P}]*请问[\s\p{P}]*`)

// asksBot asks the bot to do something: "can you …", please, "I want …",
// 帮我, 麻烦, 请 (not 请问), 我要, 我想. "Will you refund the shipping fee if
// I return it?" asks what the shop does.
var asksBot = nlutext.MustPattern(`(?i)^\W*((hi|hello|hey)\W+)?(can|could|would) (you|u)\b|\b(please|pls|plz)\b|` +
	`^\W*i(('d| would) like| want| need)\b|帮我|帮忙|给我|麻烦|请[^问教]|我要|我想`)

// requestsBot reports whether text asks the bot to do something, once an
// opening that only says a question follows is set aside ("I want to
// know: if I cancel, do I get my points back?" and "我想问一下，取消订单以后积分会退回来吗？"
// ask the shop).
func requestsBot(text string) bool {
	return asksBot.MatchString(asksOpening.ReplaceAllString(strings.TrimSpace(text), ""))
}

// ownTaskEN asks to do a task with the customer's own thing: "can I
// return these shoes?", "could I still cancel it?", "may I exchange my
// jacket for a larger size?".
var ownTaskEN = nlutext.MustPattern(`(?i)^\W*(so\s+|ok\s+|and\s+)?(can|could|may)\s+(i|we)\s+(still\s+|now\s+|just\s+|please\s+)?` +
	`(return|cancel|exchange|change|refund|swap|send\s+back|track|modify|update|get\s+a\s+refund\s+for)\s+` +
	`(my|our|these|this|that|those|it|them|the\s+(order|parcel|package|delivery|address|one|ones|item|items))\b`)

// ownTaskZH asks to do a task in a short yes/no question with no other
// matter: "可以改地址吗？", "能不能退款", "这双鞋能退吗", "我还能取消吗".
var ownTaskZH = nlutext.MustPattern(`^(我|这|那)?[^，,。？?！!]{0,5}?(还)?(可以|能|能不能|可不可以|能否)(帮我)?(退货|退款|退|换货|` + changeAddressZH + `|换|取消|改|修改|催)[^，,。？?！!]{0,4}[吗么嘛]?[？?。!！~～]*$`)

// asksOwnTask reports whether text asks for a task about the customer's
// own thing in a yes/no question's words (ownTaskEN, ownTaskZH) without
// supposing anything: the task, not the shop's rule.
func asksOwnTask(text string) bool {
	t := strings.TrimSpace(text)
	return !supposing.MatchString(t) && (ownTaskEN.MatchString(t) || ownTaskZH.MatchString(t))
}

// NamesOrder reports whether text names an order by its number or a
// tracking number the bot read this turn (st.Entities holds the last ones
// read; they name this message's order only when the text holds them).
func NamesOrder(text string, st *State) bool {
	if st == nil {
		return false
	}
	key := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r == ' ' || r == '-' || r == '_' {
				return -1
			}
			return r
		}, strings.ToUpper(s))
	}
	t := key(text)
	for _, typ := range []string{"order_id", "tracking_number"} {
		if v := key(st.Entities[typ]); v != "" && strings.Contains(t, v) {
			return true
		}
	}
	return false
}
