package dialog

import (
	nlutext "github.com/assistd/assist/nlu/text"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/nlu"
)

// containsWord reports whether low (lower case) contains k: as a substring
// when k has Han characters, else as whole words ("human" is found in "a
// human please", "agent" is not found in "agents").
func containsWord(low, k string) bool {
	if hasHan(k) {
		return strings.Contains(low, k)
	}
	for i := 0; ; {
		j := strings.Index(low[i:], k)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(k)
		before, _ := utf8.DecodeLastRuneInString(low[:start])
		after, _ := utf8.DecodeRuneInString(low[end:])
		if (start == 0 || !isWordRune(before)) && (end == len(low) || !isWordRune(after)) {
			return true
		}
		i = start + 1
	}
}

// wordIn returns the first of phrases that low (lower case) contains as
// containsWord finds it, or "".
func wordIn(low string, phrases []string) string {
	for _, p := range phrases {
		if containsWord(low, p) {
			return p
		}
	}
	return ""
}

func isWordRune(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// squash lower-cases s and drops spaces and punctuation, for matching short
// fixed phrases ("算了！" → "算了", "Never mind." → "nevermind").
func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// cancelPhrases drop the flow in progress.
var cancelPhrases = []string{
	"算了", "不用了", "取消吧", "不办了", "不要了", "先不用了", "算了吧", "不弄了",
	"nevermind", "forgetit", "cancelthat", "stop", "cancel", "dontbother", "nothanks",
}

// isCancel reports whether text asks to drop the flow in progress: one of
// cancelPhrases, alone or with a few words around it ("算了，不弄了",
// "never mind, thanks").
func isCancel(text string) bool {
	s := squash(text)
	if s == "" || utf8.RuneCountInString(s) > 16 {
		return false
	}
	for _, p := range cancelPhrases {
		if s == p {
			return true
		}
		if strings.Contains(s, p) && (hasHan(p) || len(p) >= 8) {
			return true
		}
	}
	return false
}

// humanPhrases ask for a person in so many words; they escalate even when
// the intent model is unsure.
var humanPhrases = []string{"转人工", "人工", "真人", "找客服", "客服小姐姐", "找个人问", "找个人帮", "找人问问", "找个客服", "real person", "agent", "human", "representative", "live person",
	"talk to a person", "speak to a person", "speak with a person", "talk to someone", "speak to someone", "speak with someone",
	"need a person", "want a person", "get me a person", "can someone", "someone look", "a person to look", "talk to a real",
	"talk to somebody", "speak to somebody", "speak with somebody", "put me through", "transfer me to", "supervisor", "a manager", "your manager",
	"member of staff", "can a person", "get a person", "have a person", "a person sort", "活人", "我要找人", "找个人", "找人处理", "找人跟我",
	// a person in other words: escalate; the rest of a person asked for
	// in other words (工作人员, 负责人, someone senior, call me back) is
	// staffRequest, personAsked and callBack: only when asked for
	"escalate", "escalated", "pass me on to", "pass me to"}

// staffRequest asks for staff by a verb of asking ("叫个工作人员来", "让你们
// 负责人跟我说", "接通你们的客服专员"), not a mention of them ("之前工作人员跟
// 我说", "你们经理推荐的那款").
var staffRequest = nlutext.MustPattern(`(叫|让|找|请|要|接通|转给|转到|换)[^，。！？,.!?]{0,10}(工作人员|负责人|主管|专员|经理|领导)`)

// notAsking hide words that have a verb of asking in them but ask no
// one: "请问", "需要", "要求", "找不到".
var notAsking = strings.NewReplacer("请问", "  ", "需要", "  ", "要求", "  ", "重要", "  ")

// personAsked names a person of the shop; asked for only in a clause
// with personCue ("is there anyone on your team I could talk to"), not in
// one that tells what they did ("someone from your team called me").
var personAsked = nlutext.MustPattern(`(?i)\b(someone|somebody|anyone|anybody) (senior|in charge|higher up|(from|on|in) (your|the) (team|staff|support team|customer service|support))\b|` +
	`\b(someone|somebody|anyone) from (customer service|support)\b|\b(a|an actual) (staff member|employee)\b|\bmember of staff\b`)

var personCue = nlutext.MustPattern(`(?i)\b(can|could|would|please|want|need|like|get me|put me|let me|is there|are there|talk|speak|chat|pass me|transfer|connect)\b`)

// callBack asks the shop to call the customer back ("could your support
// team call me back").
var callBack = nlutext.MustPattern(`(?i)\b(can|could|would|please|want|need|like)\b.{0,50}\b(call me back|ring me back|phone me back|give me a (call|ring)|callback|call back)\b`)

// notAPerson are words with a person phrase in them that name something
// else: the AI, a labour charge, a courier's agent, the customer
// themself ("I'm a real person with real neck pain"), a product (扫地机器人,
// "robot vacuum"), a photo of it on a real person (真人试穿图, "photos on a
// real person"), a personal invoice or account (个人发票, 个人中心).
var notAPerson = nlutext.MustPattern(`(?i)人工智能|人工费|人工成本|人工安装费|(真人|模特)(试穿|上身|穿搭|实拍|图|照|展示|效果|视频|秀)|个人(发票|抬头|账户|账号|信息|中心|资料|用户|名义)|` +
	`\b(photos?|pictures?|pics?|images?|videos?|shots?) (of|on|with) (it on )?(an? )?(real|actual|live) (person|people|human|model)s?\b|\b(on|worn by|wearing it) (an? )?(real|actual) (person|people|human|model)s?\b|(扫地|扫拖|拖地|擦窗|洗地|割草|除草|泳池|早教|陪伴|玩具|编程|炒菜|送餐)机器人|\brobot(ic)? (vacuum|mop|mower|lawnmower|cleaner|hoover|toy|kit|arm|dog)s?\b|\b(vacuum|cleaning|toy|kitchen) robots?\b|\b(delivery|shipping|courier|customs|travel|estate|booking|cleaning) agents?\b|` +
	`\b(i'?m|i am|as) an? (real )?(person|human)\b|\bhuman (error|body|hair|nature|rights)\b`)

// selfReal is the customer saying they are real ("我是真人不是机器人哈哈"),
// not asking for someone who is.
var selfReal = nlutext.MustPattern(`(我|本人)(也|可)?是(个)?(真人|活人)`)

// namesOtherPerson reports whether text's words for a person all name
// something else (notAPerson: a labour charge, a courier's agent, the AI)
// and none asks for one: the intent model's human_agent for "安装要收人工费
// 吗" or "the delivery agent left it outside" is no request for a person.
func namesOtherPerson(text string) bool {
	return notAPerson.MatchString(text) && askedForHuman(text) == ""
}

// AskedForHuman returns the words of text that ask for a person ("转人工",
// "talk to a person"), or "": the rule customer_request escalates on, for
// others that must recognise such a request (agent assist leaves it out
// of what it searches for).
func AskedForHuman(text string) string { return askedForHuman(text) }

// askedForHuman returns the phrase of humanPhrases in text, or "".
func askedForHuman(text string) string {
	low := notAPerson.ReplaceAllString(strings.ToLower(text), " ")
	if hasHan(low) {
		low = selfReal.ReplaceAllString(low, " ")
	}
	if p := wordIn(low, humanPhrases); p != "" {
		return p
	}
	// a courier's call or a driver's ("can the delivery driver give me a
	// call") is not the shop's person
	for _, c := range clauses(low) {
		if otherLine.MatchString(c) {
			continue
		}
		if m := staffRequest.FindString(notAsking.Replace(c)); m != "" {
			return m
		}
		if m := callBack.FindStringSubmatch(c); m != nil {
			return m[2]
		}
		if m := personAsked.FindString(c); m != "" && personCue.MatchString(c) {
			return m
		}
	}
	if wordIn(low, indirectCues) != "" {
		if m := personIndirect.FindString(low); m != "" {
			return m
		}
		for _, c := range clauses(low) {
			if m := personTalked.FindString(c); m != "" && talkTo.MatchString(c) {
				return m
			}
		}
	}
	if hasHan(low) && wordIn(low, indirectCuesZH) != "" {
		return personIndirectZH.FindString(low)
	}
	return ""
}

// indirectCues and indirectCuesZH are words one of which every match of
// personIndirect (personIndirectZH) holds: a cheap test before the
// pattern, which most messages fail.
var (
	indirectCues = []string{"anyone", "anybody", "someone", "somebody", "no one", "nobody", "actual", "proper", "live", "living", "real-life",
		"else", "real", "bot", "bots", "program", "robot", "script", "chatbot", "algorithm", "machine", "autoreply", "auto-reply", "rather", "prefer"}
	indirectCuesZH = []string{"客服", "人工", "工作人员", "真人", "活人", "有没有", "机器人", "换个", "换一个", "叫个", "叫一个", "你们"}
)

// personIndirect asks for a person without naming the request: whether
// someone real is there ("is there anyone real I can talk to", "who else
// can I speak to?", "客服在不在", "有没有真人"), or turning the bot down for
// one ("I'm not doing this with a program", "不想跟机器人聊", "换个人来"). A
// bare "anyone there?" / "有人吗" stays a greeting: it asks whether the
// chat answers, which the bot does.
//
// A word for a person alone is no request: a real person in a product
// photo ("真人试穿图", "photos on an actual person"), a personal invoice
// (个人发票), another recipient ("收货人换个人", "I'd rather someone at my
// office signed"), a robot vacuum (扫地机器人, notAPerson), someone else
// using a gift card ("who else can use it"), the shop's courier picking up
// ("请你们的人上门取件"). So a person counts here as a word for staff
// (客服, 人工, 工作人员, 管事的; "anyone real" at the end of a clause, "there"
// or with a verb of talking to the customer: not "anyone real who reviews
// the product photos"), or with a verb of talking to
// them ("speak to", "deal with": talkTo; 跟我说, 打电话): personIndirect
// (personIndirectZH) is read on its own, personTalked only in a clause
// with talkTo.
var personIndirect = nlutext.MustPattern(`(?i)\b(any|some|no)(one|body) (real|human|alive)(\s*([.!?,;:]|$)|\s+(there|here|around|available|working|on (the )?(line|chat|other end))\b|[^.!?]{0,25}\b(talk|speak|chat|answer|reply|replies|respond|read|listen|help me|help us|deal with me|contact me|call me|get back to me)\w*\b)|` +
	`\b(is|are) there (an? |any )?(actual|real|live|living|proper) (human|person|people|humans|someone|somebody|staff)\b|` +
	`\b(get|give|put) me (through to |to )?(an? )?(actual|real|live|proper) (human|person|someone|somebody)\b|` +
	`\bwho else is there\s*([.!?]|$)|\bwho else (can|could|do|should|shall) (i|we) (talk|speak|chat|complain|contact|reach|ask|go to)\b|\b(real|actual) (staff|agents?|support staff)\b|` +
	`\b(not|never|won'?t|don'?t|can'?t|ain'?t|wouldn'?t|no more|rather not|sick of|tired of|done)\b[^.!?]{0,25}\b(talk|speak|chat|deal|explain|argu|repeat|typ|go(ing)? through|do(ing)? (this|it|that)|sort(ing)? (this|it|that))\w*\b[^.!?]{0,25}\b(with|to|by) (an? |the |this |some |your )?(program|bot|robot|script|chatbot|algorithm|machine|auto-?reply)s?\b`)

// personTalked names a person only with a verb of talking to or dealing
// with them (talkTo): "I'd rather deal with an actual person", "can I
// speak to real people", not "photos on an actual person" or "I'd rather
// someone at my office signed for it".
var personTalked = nlutext.MustPattern(`(?i)\b(an? )?(actual|proper|live|living|real-life|real) (human|person|people|humans|someone|somebody)\b|` +
	`\b(rather|prefer)\b[^.!?]{0,25}\b(person|human|someone|somebody|people)\b`)

// talkTo are verbs of talking to or dealing with someone: what makes a
// word for a person (personTalked) a request for one.
var talkTo = nlutext.MustPattern(`(?i)\b(talk|talking|speak|speaking|chat|chatting|deal|dealing|explain|reach|contact|connect|put me through|transfer|call me|ring me|phone me)\b`)

// personIndirectZH is personIndirect in Chinese, read only in text with
// Han characters: a word for staff (客服, 人工, 工作人员, 管事的) asked after,
// the bot turned down with a verb of talking (跟机器人聊), or 你们的人 with
// one (跟我说, 回个电话), not 你们的人上门取件 or 换个人收货.
var personIndirectZH = nlutext.MustPattern(`(客服|人工|工作人员)(们|都|到底)?(在不在|在吗|在么|在没|呢|人呢|去哪|哪去了|出来|死哪)|(真人|活人)(在不在|在吗|在么|在没|呢|去哪|哪去了|出来)|` +
	`有没有(人工客服|真人客服|客服|人工|工作人员|真人|活人|正常人)($|[\s啊呀吗么在能可来出跟和说聊回接理处帮])|有(客服|工作人员|活人)(吗|么|没有)|` +
	`(不想|不要|不愿意?|别|不用|懒得)[^，。！？,.!?]{0,3}(跟|和|同|对着)[^，。！？,.!?]{0,2}机器人|不(跟|和|同)机器人|(不想|不要|别|不用)[^，。！？,.!?]{0,2}(让|用)机器人(回|答|说|聊|处理|糊弄|应付)|` +
	`机器人(说不清|讲不清|解决不了|搞不定|没用)|` +
	`换(个|一个)(真人|客服|活人|人工)|换(个|一个)人(来|吧|跟|和|说|聊|处理)|叫(个|一个|你们的?)(客服|同事)(来|过来|出来)|叫(个|一个)人(来|过来|出来)|` +
	`(找|叫|要|让|请)(你们|你们家|你们店)的?(管事的|负责的|老板|领导)|` +
	`(找|叫|要|让|请)(你们|你们家|你们店)的?人[^，。！？,.!?]{0,3}(来|出来)?(跟我|和我|给我|同我)?(说|聊|谈|讲|解释|沟通|打电话|打个电话|回电话|回个电话|来电话|联系我|回复我|处理一下|出来)`)

// botQuestions ask whether the customer talks to a bot: answered, not
// read as a request for a person.
var botQuestions = []string{
	"are you a bot", "are you a robot", "are you human", "are you a human", "are you a real person", "are you real",
	"is this a bot", "is this a robot", "is this a real person", "am i talking to a bot", "am i talking to a robot",
	"am i talking to a real person", "am i chatting with a bot", "talking to a machine",
	"你是机器人吗", "你是真人吗", "是机器人吗", "是真人吗", "你是人吗", "是不是机器人", "是不是真人", "你是ai吗", "机器人还是真人", "真人还是机器人",
}

// asksIfBot reports whether text asks if the customer talks to a bot.
func asksIfBot(text string) bool {
	return wordIn(strings.ToLower(text), botQuestions) != ""
}

// factWords ask about something an order's answer said (when, how much,
// which courier): a short question with one, right after a task was
// answered, asks that task again ("so by friday then?", "那明天能到吗").
var factWords = []string{
	"when", "what date", "which day", "what day", "how much", "how long", "how many days", "tomorrow", "tmrw", "tmr", "today", "friday", "monday", "weekend", "arrive", "get here", "deliver",
	"courier", "carrier", "tracking", "which company", "again", "refund", "money", "eta", "still", "yet", "status",
	"什么时候", "哪天", "哪一天", "几号", "几点", "几天", "明天", "今天", "后天", "周末", "来得及", "多久", "多少", "快递", "单号", "到", "退", "钱", "发货", "状态",
}

// asksFact reports whether text asks about one of factWords.
func asksFact(text string) bool {
	return wordIn(strings.ToLower(text), factWords) != ""
}

// stripCourtesy returns text without the courtesies (greetings, thanks,
// acknowledgements, fillers: flow.StripOpening) and punctuation it opens
// with ("你好 问两个事 …", "thx. which courier"), or "" when nothing else
// is left (or too little to read).
func stripCourtesy(text string) string {
	t := flow.StripOpening(text, flow.Courtesy)
	if t == strings.TrimSpace(text) || utf8.RuneCountInString(t) < 3 {
		return ""
	}
	return t
}

// followUpCues mark an elliptical follow-up ("那退货呢？", "what about
// returns?", "and the blue one?").
var followUpCues = []string{"那", "呢", "还有", "那个", "what about", "how about", "and the", "and what about", "what of", "and for", "and"}

// followUpCue returns the cue text starts or ends with ("呢" at the end),
// or "".
func followUpCue(text string) string {
	low := strings.TrimSpace(strings.ToLower(text))
	low = strings.TrimRightFunc(low, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
	for _, c := range followUpCues {
		switch {
		case c == "呢":
			if strings.HasSuffix(low, c) {
				return c
			}
		case hasHan(c):
			if strings.HasPrefix(low, c) {
				return c
			}
		case strings.HasPrefix(low, c+" "):
			return c
		}
	}
	return ""
}

// stripFollowUp removes cue words, entities and punctuation from a
// follow-up, leaving what it adds ("and the blue one?" → "blue one").
func stripFollowUp(text string, ents []nlu.Entity) string {
	s := text
	for i := len(ents) - 1; i >= 0; i-- {
		e := ents[i]
		if e.Start >= 0 && e.End <= len(s) && e.Start < e.End {
			s = s[:e.Start] + " " + s[e.End:]
		}
	}
	s = strings.ToLower(s)
	s = strings.Map(func(r rune) rune {
		if unicode.IsPunct(r) {
			return ' '
		}
		return r
	}, s)
	var kept []string
	for _, w := range strings.Fields(s) {
		switch w {
		case "and", "what", "about", "how", "the", "of", "for":
			continue
		}
		w = strings.TrimPrefix(w, "那个")
		w = strings.TrimPrefix(w, "那")
		w = strings.TrimPrefix(w, "还有")
		w = strings.TrimSuffix(w, "呢")
		if w != "" {
			kept = append(kept, w)
		}
	}
	return strings.Join(kept, " ")
}

// isShort reports whether text, without its entities, is short enough to
// be an elliptical follow-up: at most 12 characters of Chinese or 6 words.
func isShort(text string, ents []nlu.Entity) bool {
	rest := stripFollowUp(text, ents)
	if hasHan(rest) {
		return utf8.RuneCountInString(strings.ReplaceAll(rest, " ", "")) <= 12
	}
	return len(strings.Fields(rest)) <= 6
}

// pickOption returns the option a reply to a clarifying question picks:
// by position ("第一个", "前者", "1", "the first"), by the intent the NLU
// is sure of, or by a keyword naming exactly one option.
func (a *Assistant) pickOption(opts []string, text string, in nlu.Intent) (string, bool) {
	if len(opts) < 2 {
		return "", false
	}
	// A long message is a new request, not an answer to the question:
	// only the model's sure intent picks from it.
	short := isShort(text, nil)
	s := squash(text)
	if short && utf8.RuneCountInString(s) <= 16 {
		first := s == "1" || strings.Contains(s, "第一") || strings.Contains(s, "前者") || strings.Contains(s, "前面") ||
			strings.Contains(s, "first") || strings.Contains(s, "former") || s == "1st"
		second := s == "2" || strings.Contains(s, "第二") || strings.Contains(s, "后者") || strings.Contains(s, "后面") ||
			strings.Contains(s, "second") || strings.Contains(s, "latter") || s == "2nd"
		switch {
		case first && !second:
			return opts[0], true
		case second && !first:
			return opts[1], true
		}
	}
	if !in.Ambiguous && in.Label != nlu.OutOfScope {
		for _, o := range opts {
			if o == in.Label {
				return o, true
			}
		}
	}
	if !short {
		return "", false
	}
	hits := a.optionHits(opts, text)
	if len(hits) == 1 {
		return hits[0], true
	}
	if len(hits) > 1 { // both named: the longest keyword decides
		if l := a.keywordIntent(text, opts, false); l != "" {
			return l, true
		}
	}
	return "", false
}

// questionWords mark a question without a question mark.
var questionWords = []string{"吗", "怎么", "为什么", "什么", "啥", "咋", "多少", "谁", "几天", "多久", "多长时间", "几点", "几号", "能不能", "可不可以", "是否", "是吧", "对吧", "是不是", "对不对", "行不行", "好不好", "有没有", "要不要", "会不会"}

// closingNotZH asks by a closing 不 after a word that can or may ("能退不",
// "可以退不", "退得了不", "能送到公司不", "算降价不", "会扣不"): the spoken
// form of …吗. Not the 不 of "算了不", "要不" or "还是不" (asksNotZH).
var closingNotZH = nlutext.MustPattern(`(能|可以|可不|会|算|是|有|行|好|够|得了|用)[^，。,.!！?？\s]{0,10}不[呢啊呀啦]?[~～]*$`)

// asksNotZH reports whether text asks in one of the spoken forms with 不
// or 没 instead of 吗: a closing 不 after what it asks (closingNotZH), or a
// word asked as itself, 不 and itself again ("还在不在", "退不退", "够不够",
// "到没到").
func asksNotZH(text string) bool {
	if t := []rune(strings.TrimRight(text, "呢啊呀啦~～")); closingNotZH.MatchString(text) && len(t) >= 2 {
		// not "算了不", "要不", "还是不"; "退得了不" asks
		if b := t[len(t)-2]; b != '要' && b != '是' && (b != '了' || len(t) >= 3 && t[len(t)-3] == '得') {
			return true
		}
	}
	r := []rune(text)
	for i := range r {
		if opensAsItself(r[i:]) {
			return true
		}
	}
	return false
}

// opensAsItself reports whether r opens with a word asked as itself: a
// Chinese character, 不 or 没, and the character again ("在不在", "退不退",
// "到没到"), the one reading of that form (asksNotZH, stillThereZH).
func opensAsItself(r []rune) bool {
	return len(r) >= 3 && (r[1] == '不' || r[1] == '没') && r[0] == r[2] && r[0] >= 0x4e00 && r[0] <= 0x9fff
}

// asksDoneZH asks whether something has happened, by a closing 没(有)
// after what happened ("牛仔裤的钱退回来没有", "到账没", "发了没呢"), or by a
// 了吧 after money that comes back ("钱退了吧", "款到了吧"; not the giving
// in of "那就退了吧").
var asksDoneZH = nlutext.MustPattern(`[了来到账过发收好完]没有?[呢啊呀]?[~～]*$|(钱|款)[^，。,.\s]{0,4}(退|到|回)[^，。,.\s]{0,4}了吧[~～]*$`)

// confirmsZH asks to be told yes with a closing 吧 after a word that
// judges or allows ("这总算质量问题吧", "这属于发错货吧", "能退吧", "应该还在保修吧"),
// not the 吧 of a suggestion or of giving in ("那就退了吧", "能退就退吧",
// "只能这样了吧", "行吧"). It is read one clause at a time by asksConfirm.
var confirmsZH = nlutext.MustPattern(`(算|是|属于|能|可以|应该|总该)([^了就]|[^了就][^就]{0,10}[^了就])吧[~～]*$`)

// yesOpensZH opens a clause that agrees or decides ("是的转吧", "好的 可以的吧",
// "可以安排吧"): what follows is no question, whatever judging word it holds.
var yesOpensZH = nlutext.MustPattern(`^(是的|是啊|好的|好啊|好|行|可以|嗯|对|那就|那|就)`)

// clausesZH splits a message where a Chinese clause ends.
var clausesZH = nlutext.MustPattern(`[，。！？,.!?;；\s]+`)

// asksConfirm reports whether text asks on rather than states: a
// question (isQuestion) or a clause that closes with a 吧 asking to be
// told yes (confirmsZH), unless the clause opens by agreeing. Only the
// discontent check reads it: every other decision (an offer taken, a
// queue left, a cancel clause) takes such a 吧 for what it mostly is, a
// yes or a decision ("是的转吧", "还是退了吧").
func asksConfirm(text string) bool {
	if isQuestion(text) {
		return true
	}
	for _, c := range clausesZH.Split(strings.TrimSpace(text), -1) {
		if c != "" && !yesOpensZH.MatchString(c) && confirmsZH.MatchString(c) {
			return true
		}
	}
	return false
}

// isQuestion reports whether text is phrased as a question: a question
// mark, a Chinese question word (哪 where it asks which or where:
// asksWhichZH), or an English question opening, also after an
// acknowledgement or filler ("so when exactly"). A closing 吧 is no
// question here (see asksConfirm).
func isQuestion(text string) bool {
	t := strings.TrimSpace(text)
	if strings.HasSuffix(t, "?") || strings.HasSuffix(t, "？") || asksDoneZH.MatchString(t) || asksNotZH(t) {
		return true
	}
	if asksWhichZH(t) {
		return true
	}
	if rest := openingCourtesy(t); rest != t && rest != "" && opensQuestion(strings.ToLower(rest)) {
		return true // "so when exactly", "ok so what day": the question after the acknowledgement
	}
	for _, w := range questionWords {
		if strings.Contains(t, w) {
			return true
		}
	}
	return opensQuestion(strings.ToLower(t))
}

// whichNotAsked are the uses of 哪 (哪里, 哪儿, 哪个, 哪天…) that ask
// nothing: 哪怕 ("even if"); any one at all, with 都/也 after it or
// 随便/不管/无论 before it ("哪个都行", "随便哪天都可以", "不管哪个颜色");
// the polite "not at all" ("哪里哪里", "哪儿的话"); and what the customer
// does not remember or cannot place of their own ("忘了哪天买的了",
// "不知道放哪了"), which tells, not asks.
var whichNotAsked = nlutext.MustPattern(`哪怕|(哪里|哪儿){2}|(哪里|哪儿|哪)的话|` +
	`(随便|不管|无论|不论|任何)[^，。,.!！?？\s]{0,3}哪[^，。,.!！?？\s]{0,6}|哪[^，。,.!！?？\s]{0,5}(都|也)|` +
	`(忘了|忘记|不记得|记不得|想不起来?)[^，。,.!！?？\s]{0,8}哪[^，。,.!！?？\s]{0,6}|` +
	`不知道[^，。,.!！?？\s]{0,6}(放|丢|搁|塞|扔|落)(在|到)?哪(里|儿)?(了|去了)`)

// asksWhichZH reports whether text asks which or where with 哪 in any of
// its forms ("SN码在哪看", "发票去哪儿下载", "哪个快递", "哪天能到"): a 哪
// left once the uses that ask nothing (whichNotAsked) are set aside.
func asksWhichZH(text string) bool {
	return strings.Contains(text, "哪") && strings.Contains(whichNotAsked.ReplaceAllString(text, ""), "哪")
}

// optionHits returns the options whose display name or a keyword occurs in
// text.
func (a *Assistant) optionHits(opts []string, text string) []string {
	var hits []string
	low := strings.ToLower(text)
	for _, o := range opts {
		info, _ := a.catalog().Intent(o)
		match := info.Name.ZH != "" && (strings.Contains(low, info.Name.ZH) || strings.Contains(low, strings.ToLower(info.Name.EN)))
		for _, k := range info.Keywords.All() {
			match = match || containsWord(low, k)
		}
		if match {
			hits = append(hits, o)
		}
	}
	return hits
}

// altSeparators join two options the customer has not chosen between:
// "退货还是换货", "退或者换", "return or exchange".
var altSeparators = []string{"还是", "或者", "或是", " or "}

// altVerbs name a task by one Chinese verb, as in "想退或者换"; they count
// only on one side of an alternative, never alone.
var altVerbs = [][2]string{{"退", "return_request"}, {"换", "exchange_request"}}

// alternatives finds a message that offers two options naming different
// intents the bot serves ("这个想退或者换", "I want to return or exchange
// this"): the customer has not decided, so the bot asks which, however
// sure the model is of one of them. "还是" followed by a negation is
// "still" ("退货了还是没收到退款"), not a choice. Intents served alike
// (siblings) are not asked about.
func (a *Assistant) alternatives(text string) (x, y string, ok bool) {
	low := strings.ToLower(text)
	for _, sep := range altSeparators {
		i := strings.Index(low, sep)
		if i < 0 {
			continue
		}
		left, right := low[:i], strings.TrimSpace(low[i+len(sep):])
		if sep == "还是" && (strings.HasPrefix(right, "没") || strings.HasPrefix(right, "不") || strings.HasPrefix(right, "未")) {
			continue
		}
		x, y = a.namedIntent(left), a.namedIntent(right)
		if x == "" || y == "" || x == y {
			continue
		}
		for _, g := range siblings {
			if slices.Contains(g, x) && slices.Contains(g, y) {
				return "", "", false
			}
		}
		return x, y, true
	}
	return "", "", false
}

// namedIntent is the task or help-center intent one side of an
// alternative names: by its keywords, else by a one-verb name.
func (a *Assistant) namedIntent(part string) string {
	if l := a.keywordIntent(part, nil, true); l != "" {
		return l
	}
	for _, vl := range altVerbs {
		if strings.Contains(part, vl[0]) && (a.isTask(vl[1]) || a.isKnowledge(vl[1])) {
			return vl[1]
		}
	}
	return ""
}
