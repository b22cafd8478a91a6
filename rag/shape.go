package rag

import (
	"strings"
	"unicode"
	"unicode/utf8"

	nlutext "github.com/assistd/assist/nlu/text"
)

// What a question asks for, beyond a figure. A question asking for a
// duration, an amount or a count is answered by a piece holding one
// (hasFigure); a yes-or-no question by a piece that gives a verdict (a
// rule saying not, only, never: "These items cannot be returned without a
// reason: … socks …" for "can i return socks if i just changed my mind",
// not the fee row naming "changed your mind"); a how-to question by a
// piece that says what to do ("submit … in Account settings → VAT
// invoice details", not the row listing the invoice types). Such a piece
// gains what a piece with the figure asked gains (half the best word's
// weight), when it is about what the question names: it holds a question
// word the article's title does not (every piece of a Returns Policy
// holds "return"), and a table row only when its first cell, which names
// the row, holds a question word (the live-plants row saying "not
// returnable" does not answer whether a washed towel is).
// Development numbers (hc2 dev / dev2 / demo dev2 key fact, with the
// light words below): 105 / 102 / 50 -> 105 / 104 / 51; s7-s9 development
// conversations' failed turns 89 -> 84, none newly failed; our own 22
// phrasings 7 -> 11. At the full best weight: the same; without the
// row's first cell, one more right on dev and one wrong on dev2 (the
// live-plants row for a towel).

// verdictWords find a piece that says whether something may be done or is
// so.
var verdictWords = nlutext.MustPattern(`(?i)\b(not|no|never|cannot|only|except|excluding|excluded)\b|n't\b|不|没有|无法|除外|仅|只能|只限|均可|可以`)

// instructionWords find a piece that tells the customer what to do: a
// path through the app ("Account settings → VAT invoice details",
// 「账户设置」→「增票资质」), or a verb saying what to tap, fill in or send.
var instructionWords = nlutext.MustPattern(`(?i)→|「|\b(tap|click|choose|select|open|go to|enter|submit|upload|fill in|contact|call|send|apply|request)\b|点击|选择|进入|提交|填写|上传|联系|拨打|申请|勾选`)

// existence finds a yes-or-no question asking whether there is a thing
// ("is there a limit per order", 有没有运费险): it is answered by what
// states the thing (up to 20%), not by a rule saying not.
var existence = nlutext.MustPattern(`(?i)\b(is|are|was|were) there\b|有没有|是否有`)

// shapeKind is the kind of question whose answer's shape shaped reads:
// kind, or KindOther for a question asking whether there is a thing.
func shapeKind(kind Kind, question string) Kind {
	if kind == KindYesNo && existence.MatchString(question) {
		return KindOther
	}
	return kind
}

// shapeShare is what a piece of the shape asked gains, as a share of the
// best question word's weight (as a piece with the figure asked gains).
const shapeShare = 0.5

// shaped reports whether text gives what a question of kind asks for
// that is not a figure: a verdict for a yes-or-no question, an
// instruction for a how-to question; false for other kinds.
func shaped(kind Kind, text string) bool {
	if kind != KindYesNo && kind != KindHowTo {
		return false
	}
	return shapes.do(figureKey{kind, text}, len(text), func() bool { return matchShape(kind, text) })
}

// shapes remembers shaped's answers, as figures does hasFigure's.
var shapes = memo[figureKey, bool]{size: articleMemoSize}

func matchShape(kind Kind, text string) bool {
	if kind == KindYesNo {
		return verdictWords.MatchString(text)
	}
	return instructionWords.MatchString(text)
}

// subjectIn reports whether terms (the question terms a piece holds) hold
// one the article's title (its terms, title) does not, of more than one
// character when Chinese: a word naming what the question is about, not
// the subject every piece of the article shares.
func subjectIn(terms, title map[string]bool) bool {
	for t := range terms {
		if title[t] {
			continue
		}
		if r, n := utf8.DecodeRuneInString(t); n < len(t) || !unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// lightWords are English words of customers' questions that name nothing
// asked about: verbs that go with any noun ("how do points work") and
// chat ("lol", "ok", "pls", "still"). Extraction weighs them lightShare:
// a piece holding one is not about the question for it. hc2 dev / dev2 /
// demo dev2 key fact 105 / 102 / 50 -> 105 / 103 / 51; with take, make
// and need too (dev2 tuned), 2 fewer on dev2 ("how long does dispatch
// take": "Dispatch can take up to 5 days"); with get, the same there but
// a development conversation lost "what do i get on member day if im
// gold" ("Silver members get 2% off, Gold 5%").
var lightWords = map[string]bool{}

// lightShare is the weight of a light word against another of its rarity.
const lightShare = 0.25

func init() {
	for _, w := range strings.Fields(`work works working want wants know tell let say said thing things stuff lol ok okay pls plz thx thanks hi hey hello like just really actually still yeah yes u ur`) {
		lightWords[w], lightWords[Stem(w)] = true, true
	}
}

// A rate is written in other words than customers ask it with: "how
// many points do I get per yuan" is answered by "1 point for every ¥1",
// 每花一块钱 by "每实付 ¥1". A piece holding the yuan sign holds the
// question's word for the yuan (yuanWords), and one holding a rate in
// money ("every ¥1", "per $1", 每实付 ¥1) the question's word for
// "each" (eachWords), when the question names money too: "every month"
// is no rate asked.
var (
	yuanWords = map[string]bool{"yuan": true, "rmb": true, "cny": true, "kuai": true, "元": true, "块": true, "块钱": true, "人民币": true}
	eachWords = map[string]bool{"per": true, "each": true, "every": true, "每": true}
	moneyRate = nlutext.MustPattern(`(?i)\b(per|each|every)\s*[¥￥$]|每\p{Han}{0,2}\s*[¥￥$]`)
)

// rateWords holds (see matcher.terms) the question's words for the yuan
// and for "each" that text writes otherwise.
func (m *matcher) rateWords(text string, hold func(string)) {
	yuan := hasYuan(text)
	if !yuan && strings.IndexByte(text, '$') < 0 {
		return
	}
	money := false
	for t := range m.qt {
		if yuanWords[t] || t == "dollar" {
			money = true
			if yuan && yuanWords[t] {
				hold(t)
			}
		}
	}
	if !money || !moneyRate.MatchString(text) {
		return
	}
	for t := range m.qt {
		if eachWords[t] {
			hold(t)
		}
	}
}

// hasYuan reports whether text holds ¥ or ￥: strings.ContainsAny(text,
// "¥￥"), which decodes every rune of text (a set of non-ASCII runes) and
// was a tenth of reading an article's pieces, by two byte searches. The
// encoding of either sign starts with a byte that only ever starts a rune,
// so its bytes are in text only where the sign is.
func hasYuan(text string) bool {
	return strings.Contains(text, "¥") || strings.Contains(text, "￥")
}
