package rag

import (
	nlutext "github.com/assistd/assist/nlu/text"
	"strings"
)

// Kind is what a question asks for, as far as its wording tells.
type Kind string

// The kinds of question answers are shaped for.
const (
	KindDuration Kind = "duration" // how long, 多久: wants a time span or a deadline
	KindAmount   Kind = "amount"   // how much, 多少钱: wants a price, fee or percentage
	KindCount    Kind = "count"    // how many, 几个: wants a number
	KindList     Kind = "list"     // which … do you accept, 有哪些: wants the whole list or table
	KindOverview Kind = "overview" // … in short, 简单说: wants what the article says first
	KindYesNo    Kind = "yesno"    // can I, 能不能: wants yes or no, with its condition
	KindHowTo    Kind = "howto"    // how do I, 怎么: wants the steps
	KindOther    Kind = "other"
)

// wantsFigure reports whether a question of kind k wants a figure: a
// duration, an amount or a count. A reply without one does not answer it.
func (k Kind) wantsFigure() bool {
	return k == KindDuration || k == KindAmount || k == KindCount
}

// kindCues are the question wordings of each kind, tried in order: the
// first that matches decides. They are written for customers' questions in
// both languages ("how many days", "几天内", "要多久", "运费多少",
// "收不收费", "can I", "能不能", "可以…吗").
var kindCues = []struct {
	kind Kind
	re   *nlutext.Pattern
}{
	{KindDuration, nlutext.MustPattern(`(?i)\bhow (long|soon|quickly|many (days|hours|weeks|months|years|business days|working days))\b|` +
		`\bwhen (will|would|do|does|can|should|is|are)\b|\bwithin how\b|\bdeadline\b|\bby when\b|` +
		`多久|多长时间|多少天|几天|几号|几点|几分钟|几周|几个星期|几年|多少分钟|哪天|哪一天|几个工作日|几个小时|几小时|几个月|什么时候|何时|多快|时效|期限|有效期`)},
	// A number of pieces asked as a minimum or maximum ("the minimum
	// number per design", "最少订多少件") is a count, not an amount; a
	// percentage asked as "what % off" is an amount. hc2 dev2 key fact
	// .754 -> .761, dev, demo dev2, our own 48 unchanged.
	{KindCount, nlutext.MustPattern(`(?i)\b(minimum|maximum|min|max|smallest|largest)\s+(number|quantity|qty|order quantity)\b|最少(要)?(订|买|下单)?(几|多少)(个|件|张|套|份)|起订量`)},
	{KindAmount, nlutext.MustPattern(`(?i)\bhow much\b|\b(what|which|how many)\s*(%|percent)|%\s*off\b|\bcost(s)?\b|\bfees?\b|\bprice\b|\bcharged?\b|\bpay for\b|\bminimum\b|` +
		`\bhow many points\b|\bpercent(age)?\b|\bdiscount\b|` +
		`多少钱|多少元|费用|收费|运费|价格|价钱|花多少|扣多少|多少积分|门槛|折扣|几折|手续费|退多少|赔多少|费多少|税率|利率|利息|收钱|要钱`)},
	{KindOverview, nlutext.MustPattern(`(?i)\bin (short|brief|a nutshell)\b|\bbriefly\b|\bsummary\b|\bsummari[sz]e\b|\boverview\b|\btl;?dr\b|简单说|简单介绍|简要|概括|大概说`)},
	{KindList, nlutext.MustPattern(`(?i)\bwhat else\b|\b(what|which) (\w+ )?(methods|options|ways|types|kinds|levels|carriers|couriers|countries|cards|items)\b|\blist of\b|` +
		`有哪些|哪些|哪几种|哪几个|有几种|有什么(方式|办法|渠道)`)},
	{KindCount, nlutext.MustPattern(`(?i)\bhow many\b|\bmaximum number\b|\bup to how\b|` +
		`几个|几位|几次|几张|几件|几单|多少个|多少次|多少张|多少件|多少位|最多几`)},
	{KindYesNo, nlutext.MustPattern(`(?i)^\s*(can|could|may|do|does|did|is|are|will|would|should|am|have|has|must)\b|` +
		// the question after a sentence that sets the scene: "the jeans are sold out, can I …"
		`[,.;:!?]\s*(can|could|may|do|does|is|are|will|would|should)\s+(i|you|we|they|it|my|your|the|this|these)\b|` +
		`能不能|可不可以|能否|可否|是否|会不会|要不要|需不需要|用不用|有没有|支不支持|收不收|行不行|可以.{0,12}吗|能.{0,12}吗|会.{0,12}吗|要.{0,12}吗|是.{0,12}吗|有.{0,12}吗`)},
	{KindHowTo, nlutext.MustPattern(`(?i)\bhow (do|can|should) (i|we|you)\b|\bhow to\b|怎么|如何|怎样|咋`)},
}

// QuestionKind tells what question asks for.
func QuestionKind(question string) Kind {
	return kinds.do(question, len(question), func() Kind { return questionKind(question) })
}

// kinds remembers the kinds of the last few questions: the search, the
// extraction and the confidence of each draft ask for the kind of the same
// question, five times or more a turn, and the regular expressions are
// costly (a tenth of a millisecond a turn). Customers' questions seldom
// come again, so only a few are kept.
var kinds = memo[string, Kind]{size: 8}

// questionKind is QuestionKind without the memo.
func questionKind(question string) Kind {
	q := strings.TrimSpace(question)
	for _, c := range kindCues {
		if c.re.MatchString(q) {
			return c.kind
		}
	}
	return KindOther
}

// hanNumerals are the Chinese characters that write a number ("三次",
// "两百元"), and timesWords the English words that count times without
// one: the figure readers below and the extraction's count of a unit
// (extract_section.go) read both from here.
const (
	hanNumerals = "一二两三四五六七八九十百千"
	timesWords  = `\b(once|twice)\b`
)

// Figures that answer each kind: a duration (a number with a unit of time,
// or a time-limit word), an amount (currency, a percentage, "free").
var (
	durationFigure = nlutext.MustPattern(`(?i)\d+(\.\d+)?\s*(-|–|~|到|至)?\s*\d*\s*(个)?\s*(工作日|自然日|天|日|小时|分钟|周|星期|个月|月|年|business days?|working days?|calendar days?|days?|hours?|minutes?|weeks?|months?|years?|h\b)|` +
		`[一二两三四五六七八九十百]+\s*(个)?\s*(工作日|天|小时|周|个月|年)|当天|次日|隔日|same day|next day|immediately|instantly|立即|即时|实时|` +
		// dates and times of day answer "when"
		`\d{1,2}:\d{2}|\d{1,2}\s*(月|日|号|点)|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+\d|\d{1,2}\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|` +
		`\b(mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?|weekdays|weekends?|daily|every day)\b|每天|工作日|周末|节假日`)
	countFigure  = nlutext.MustPattern(`(?i)\d|[` + hanNumerals + `]|` + timesWords)
	amountFigure = nlutext.MustPattern(`(?i)[¥$€£￥]\s*\d|\d+(\.\d+)?\s*(元|块|%|％|percent|yuan|rmb|usd|dollars?|积分|points?)|` +
		`\bfree\b|免费|免收|包邮|不收|no charge|[` + hanNumerals + `]+\s*(元|折)|\d+(\.\d+)?\s*折`)
)

// hasFigure reports whether text carries the kind of figure kind asks
// for; true for kinds that want none.
func hasFigure(kind Kind, text string) bool {
	switch kind {
	case KindDuration, KindAmount, KindCount:
	default:
		return true
	}
	return figures.do(figureKey{kind, text}, len(text), func() bool { return matchFigure(kind, text) })
}

// figureKey is what hasFigure remembers a result by.
type figureKey struct {
	kind Kind
	text string
}

// figures remembers hasFigure's answers: the regular expressions are
// costly and the same sections are checked for every question.
var figures = memo[figureKey, bool]{size: articleMemoSize}

// matchFigure is hasFigure without the memo.
func matchFigure(kind Kind, text string) bool {
	switch kind {
	case KindDuration:
		return durationFigure.MatchString(text)
	case KindAmount:
		return amountFigure.MatchString(text)
	case KindCount:
		return countFigure.MatchString(text)
	}
	return true
}

// searchWords is a question with the words the lexicon adds to it: the help center's words for the short
// forms and colloquial phrases customers write (Lexicon.Expand), and, when
// the customer mixes languages, the forms in lang of the words written in
// the other one (Lexicon.Mixed).
func searchWords(lex *Lexicon, text, lang string) string {
	var b strings.Builder
	b.WriteString(text)
	if e := lex.Expand(text, lang); e != "" {
		b.WriteString("\n")
		b.WriteString(e)
	}
	if m := lex.Mixed(b.String(), lang); m != "" {
		b.WriteString("\n")
		b.WriteString(m)
	}
	return b.String()
}
