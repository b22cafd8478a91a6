package dialog

import (
	"slices"
	"strings"

	"github.com/assistd/assist/nlu"
	nlutext "github.com/assistd/assist/nlu/text"
)

// A customer asking ABOUT a product or the shop's policy ("will the wool
// coat pill after a few wears?", "修身牛仔裤洗了会掉色吗", "降噪耳机防水吗",
// "充电宝能带上飞机吗", "does the charger work with a laptop") wants an
// answer: the help center's, or an honest "I don't know, shall I get a
// person" when it has none. A customer stating a problem with something
// they have ("my coat is already pilling", "大衣起球了", "耳机是不是坏了")
// wants the task. The form of the message tells them apart, by word
// classes in both languages, clause by clause:
//
//   - it asks: a question mark, a question particle or A-not-A, English
//     question order (asksSomewhere);
//   - its mood: the problem words (the return flow's fault vocabulary, one
//     place) stand in a clause that supposes ("会", "能", "可以", "容易",
//     "如果"; "will", "can", "would", "if", "tend to", a present "does it")
//     or asks of the product in general ("掉毛吗"): what would happen, not
//     what did. Without one ("起球了", "已经", "won't charge", "stopped
//     working") the clause states a problem, and the message is a report;
//   - what it asks for: a remedy or a task (退, 换, 修, 保修; return,
//     replace, fix, warranty, a price difference) is a request whatever its
//     form ("能退吗", "can you fix it"), as is anything about an order's
//     delivery, a refund or an address (an order's state is a task of its own).
//
// asksAbout is the one reading; afterSalesPath (fault.go) and dispatch
// read it: such a message starts no after-sales path and no task flow, it
// is asked of the help center, whose confidence check answers or declines.

// supposesWords suppose or ask what could happen (modals, suppositions,
// what is usual). Negated modals ("won't", "can't", 不能, 不会) state what
// does not happen now, and are taken out first (notSupposing).
var supposesWords = nlutext.MustPattern(`(?i)会|能|可以|可不可以|容易|可能|要是|如果|假如|万一|怕|经得起|一般|久了|以后|` +
	`\b(will|would|could|can|might|may|if|tends?|prone|likely|usually|normally|supposed|easily|over time|what happens)\b|^(does|do)\b|\b(does|do) (it|they|these|those|the|this|that)\b`)

// notSupposing are words that hold a modal's letters without supposing:
// a negated modal states what happens now ("won't charge", 开不了机,
// 不能用了), "会员" is a member, "功能" a function.
var notSupposing = nlutext.MustPattern(`(?i)\b(won'?t|can'?t|cannot|couldn'?t|wouldn'?t|will not|can not|could not|does ?n'?t|do ?n'?t|does not|do not|did)\b|不能|不会|没法|会员|功能|性能|能量|开会|机会|只能`)

// genericAskZH asks of a product in general with a closing particle and
// no perfective ("羊毛大衣掉毛吗", "降噪耳机防水么"), not of something that
// happened ("耳机坏了吗").
var genericAskZH = nlutext.MustPattern(`^[^了过]*[吗么嘛]\s*[？?]?$`)

// requestWords ask for a remedy or a task, or about an order's delivery,
// a refund or an address: a request, whatever the message's form.
var requestWords = nlutext.MustPattern(`(?i)退|换|维修|修好|修理|修一下|能修|修吗|赔|补发|保修|质保|售后|处理|订单|快递|物流|发货|到货|送到|寄到|什么时候到|几天到|能到|取消|地址|` +
	`\b(return\w*|refund\w*|replace\w*|exchange\w*|swap|repair\w*|fix|warrant\w*|guarantee|compensat\w*|order|orders|ordered|parcel|package|ship\w*|deliver\w*|arriv\w*|track\w*|cancel\w*|address|money|(go|goes|going|come|comes|came|went|send|sent|take|taken)( it| them| this)? back)\b`)

// irrealis reports whether clause c supposes or asks in general (above).
func irrealis(c string) bool {
	low := strings.ToLower(c)
	low = notSupposing.ReplaceAllString(low, " ")
	return supposesWords.MatchString(low) || hasHan(c) && genericAskZH.MatchString(c)
}

// statedBefore reports whether clause c states a fault before its first
// supposing word: the fault word and a perfective or past marker ahead of
// the modal ("毛衣洗了一次就缩水了会不会是质量问题", "穿了两次就起球了这样能算质量
// 问题吗", "the jumper is pilling already and i can barely wear it"). Chinese
// customers often write the report and the question without a stop between
// them; the modal asks about what has happened, not whether it will. A
// modal ahead of the fault word ("洗了会掉色吗", "will it pill") governs it.
func (tr *turn) statedBefore(c string) bool {
	low := strings.ToLower(c)
	loc := supposesWords.FindStringIndex(notSupposing.ReplaceAllStringFunc(low, blankOut))
	if loc == nil || loc[0] == 0 {
		return false
	}
	before := strings.ReplaceAll(low[:loc[0]], "going to", " ")
	return pastMarker.MatchString(before) && tr.faultIn(before)
}

// blankOut keeps a match's length (the byte offsets after it stay those
// of the text) and its meaning out.
func blankOut(s string) string { return strings.Repeat(" ", len(s)) }

// pastMarker marks what has happened: a perfective or experiential 了/过,
// 已经, "already", a progressive or a past form of the fault.
var pastMarker = nlutext.MustPattern(`(?i)了|过|已经|\b(already|now|ago|since)\b|\b(has|have|had|keeps?|kept|started)\b|\b(is|are) \w+ing\b|\b\w+(ed|ank|unk)\b`)

// asksAbout reports whether the message asks about a product or the
// shop's policy rather than stating a problem or asking for a task (see
// above).
func (tr *turn) asksAbout() bool {
	// Read once per message: the after-sales path, the dispatch and the
	// order lookup all ask; keyed by the text in case a caller reads a
	// changed one.
	if tr.aboutRead != nil && tr.aboutRead.text == tr.text {
		return tr.aboutRead.is
	}
	is := tr.readAsksAbout()
	tr.aboutRead = &aboutMemo{text: tr.text, is: is}
	return is
}

// aboutMemo is the turn's asksAbout, for the text it was read on.
type aboutMemo struct {
	text string
	is   bool
}

func (tr *turn) readAsksAbout() bool {
	if !asksSomewhere(tr.text) || tr.namesOrder() {
		return false
	}
	for _, e := range tr.res.Entities {
		if e.Type == "order_id" || e.Type == "tracking_number" {
			return false
		}
	}
	low := strings.ToLower(tr.text)
	if requestWords.MatchString(low) || returnWish.MatchString(low) || remedyWords.MatchString(low) || priceWish.MatchString(low) || warrantyWish.MatchString(low) || statusCue.MatchString(low) || whereCue.MatchString(low) || boughtCue.MatchString(low) {
		return false // a task, an order's state or what the customer bought
	}
	product := slices.ContainsFunc(tr.res.Entities, func(e nlu.Entity) bool { return e.Type == "product" })
	fault, supposed := false, false
	for _, c := range phrases(tr.text) {
		s := irrealis(c) && !tr.statedBefore(c)
		if tr.faultIn(c) {
			if !s {
				return false // "大衣起球了", "my coat is already pilling": a problem stated
			}
			fault = true
		}
		supposed = supposed || s
	}
	if fault {
		return true // a fault supposed: "会起球吗", "will it crack in the cold"
	}
	// A product asked about in a supposing or general question
	// ("充电宝能带上飞机吗", "will the charger work with my laptop"), unless
	// the words ask for something done with it: a task the catalogue's
	// keywords name, a change ("能寄我公司吗", "can they go there too"), or
	// something to have ("could I get an M instead").
	if !product || !supposed {
		return false
	}
	return !tr.a.isTask(tr.keywordIntent()) && !asksChange.MatchString(low) && !wantsThing.MatchString(low)
}

// wantsThing asks to be given or sent something, or to go somewhere
// ("could I get an M instead", "can they go there too", "给我换个").
var wantsThing = nlutext.MustPattern(`(?i)\b(could|can|may) (i|we|u|you) (get|have|swap|switch|trade|send|bring)\b|\btrade\w*|\b(smaller|bigger|larger|another) (one|size|colou?r)\b|\binstead\b|\b(go|come|get|be sent) (there|here|to)\b|给我|我想要|我要|寄|送`)

// faultIn reports whether clause c names a fault or a wrong item in the
// return flow's words.
func (tr *turn) faultIn(c string) bool {
	if tr.a.Flows == nil {
		return false
	}
	returns, ok := tr.a.Flows.ForIntent(pathReturn)
	if !ok {
		return false
	}
	reason := tr.a.Flows.Option(returns, "reason", c)
	return reason == "quality" || reason == "wrong_item"
}
