package rag

import (
	nlutext "github.com/assistd/assist/nlu/text"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// extractQuestion is a question as extraction reads it, analysed once: what it
// asks for, the unit it counts in and its terms (of search: the question,
// and the topic it continues).
type extractQuestion struct {
	kind Kind
	unit askedUnit
	m    *matcher
	// listed are the terms naming what a list question asks to be listed.
	listed   map[string]bool
	listedZH string    // the character after 哪些 in a Chinese list question
	amounts  []float64 // the amounts the question names (30k yuan, S$550)
	neg      bool      // the question asks what is not ("what isn't covered", 哪些不能退)
	// topic are the terms only the topic the question continues holds
	// (see topicShare).
	topic map[string]bool
	// shape is the kind whose answer's shape a piece gains for holding
	// (see shaped).
	shape Kind
	// bare is set when the question continues a topic and has no term of
	// its own besides the words that ask ("how many times can I do
	// that"): the piece of the topic's article holding the unit it
	// counts in ("once per order") answers, though it holds no word of
	// the topic's question.
	bare bool
}

// topicShare is how much a word of the topic a follow-up continues weighs
// in extraction against the same word in the question: the topic names
// what the customer is still asking about ("do you ship to hong kong" before
// "how long does it take": the Hong Kong row of the delivery times), the
// question what about it; at full weight the topic's words pick the
// passage the topic's own answer quoted, at half its everyday words
// ("get", "bought") outweighed the question's one ("how many times can I
// do that" after a price-protection claim quoted the worked example, not
// "once per order").
const topicShare = 0.25

// weight is the weight of term t of the question: w (lightShare of it
// for a light word), or its topicShare when only the topic holds t.
func (q *extractQuestion) weight(t string, w float64) float64 {
	if lightWords[t] || q.shape == KindYesNo && figureTerm(t) { // see lightWords, figureTerm
		w *= lightShare
	}
	if q.topic[t] {
		return topicShare * w
	}
	return w
}

// figureTerm reports whether t is a number ("299", "30"). In a yes-or-no
// question the customer's figures state their case ("can I stack my 30
// off 299 coupon on top of that"): the rule answers it, not the example
// that happens to hold the same figures ("for example ¥30 off ¥299"). They
// weigh as light words there.
func figureTerm(t string) bool {
	r, _ := utf8.DecodeRuneInString(t)
	return r >= '0' && r <= '9'
}

// unitWeight is what a piece holding a number of the unit the question
// counts in gains: the best weight of a question word, maxW; for a bare
// question, whose every word is its topic's and weighs topicShare, the
// full weight of the best (maxW / topicShare): the unit is all it asks
// ("how many times can I do that": "once per order", not the worked
// example naming the topic's coat).
func (q *extractQuestion) unitWeight(maxW float64) float64 {
	if q.bare {
		return maxW / topicShare
	}
	return maxW
}

func newExtractQuestion(question, search, topic string, a Analyzer) *extractQuestion {
	m := newMatcher(a, withoutAsking(search))
	var only map[string]bool
	if strings.TrimSpace(topic) != "" {
		own := m.qt
		m = newMatcher(a, withoutAsking(search)+"\n"+withoutAsking(topic))
		only = map[string]bool{}
		for t := range m.qt {
			if !own[t] {
				only[t] = true
			}
		}
	}
	q := &extractQuestion{kind: QuestionKind(question), unit: askedUnitOf(question), m: m, amounts: amounts(question), neg: questionNegated(withoutAsking(question)), topic: only}
	q.shape = shapeKind(q.kind, question)
	q.bare = only != nil && len(only) == len(m.qt)
	if q.kind == KindList {
		q.listed = listedTerms(a, question)
		if m := listedZH.FindStringSubmatch(question); m != nil {
			q.listedZH = m[1]
		}
	}
	return q
}

// negationHan and negationEn find a word that says "not" ("does not
// cover", 不在保修范围内, "except", 除外). The Chinese words match wherever
// they are (no word boundary): a text holding one is negated without a
// regular expression, and the English words' (negationEn) is tried,
// remembered (negatedEn), only on a text holding none.
var negationHan = []string{"不", "没有", "无法", "除外", "除了"}

var negationEn = nlutext.MustPattern(`(?i)\b(not|no\s|never|cannot|without|except|excluding|excluded)\b|n't\b`)

// negatedEn remembers negationEn's answers for the pieces of the articles
// (a question's hits quote them for every question); negatedAsked, with
// a few entries, for the customers' questions, which never enter the
// articles' memo.
var (
	negatedEn    = memo[string, bool]{size: articleMemoSize}
	negatedAsked memo[string, bool]
)

// negated reports whether text says what is not: a list announced by a
// negated sentence ("The warranty does not cover:") names what a question
// asks only when the question says "not" too (a question saying "not"
// for another reason, "if I end up not needing it", is read with every
// list).
func negated(text string) bool { return negatedIn(&negatedEn, text) }

// questionNegated is negated for a customer's question (remembered in
// negatedAsked).
func questionNegated(question string) bool { return negatedIn(&negatedAsked, question) }

func negatedIn(c *memo[string, bool], text string) bool {
	for _, w := range negationHan {
		if strings.Contains(text, w) {
			return true
		}
	}
	return c.do(text, len(text), func() bool { return negationEn.MatchString(text) })
}

// listedZH finds the character after a Chinese list question's 哪些 (哪些区
// → 区): what it lists.
var listedZH = nlutext.MustPattern(`(?:哪些|哪几种|哪几个|哪几|有什么)(\p{Han})`)

// names counts the names of what a list question lists in a section's
// heading (its text and terms) or a table's header row (its text and
// terms).
func (q *extractQuestion) names(heading string, headingTerms map[string]bool, header string, headerTerms map[string]bool) int {
	n := 0
	for t := range q.listed {
		if headingTerms[t] || headerTerms[t] {
			n++
		}
	}
	if q.listedZH != "" && (strings.Contains(heading, q.listedZH) || strings.Contains(header, q.listedZH)) {
		n++
	}
	return n
}

// listedTerms are the terms of what a list question asks to be listed,
// the words its list cue holds ("payment" and "method" in "which payment
// methods"): a table or list whose heading or column headers name them is
// the list asked for, even where the article's title names them too.
func listedTerms(a Analyzer, question string) map[string]bool {
	for _, c := range kindCues {
		if c.kind != KindList {
			continue
		}
		out := map[string]bool{}
		for _, t := range QuestionTerms(a, c.re.FindString(question)) {
			out[t] = true
		}
		return out
	}
	return nil
}

// askingWords are the words that ask for a kind of thing rather than name
// what the question is about: the word after "how" asking for a figure
// ("long" in "how long"), and the Chinese modal words a question wraps
// its subject in (可以, 能不能, 有没有 …).
var askingWords = nlutext.MustPattern(`(?i)\bhow many times\b|\bhow (long|much|many|soon|quickly|fast|often|far)\b|可以|能不能|可不可以|会不会|要不要|需不需要|有没有|是不是|能否|可否|是否`)

// withoutAsking is text without the words that ask (askingWords): a piece
// holding them ("as long as", 可以) answers nothing more for it, and a
// Chinese modal word left in place makes bigrams with the words around it
// (可以当日达: 以当).
func withoutAsking(text string) string {
	return withoutAskingMemo.do(text, len(text), func() string { return askingWords.ReplaceAllString(text, " ") })
}

// withoutAskingMemo remembers withoutAsking's answers: a question and
// its search text are read without asking words by every draft of it
// (with its topic and alone, in each language's search, then answered).
var withoutAskingMemo memo[string, string]

// figure reports whether text holds the kind of figure the question asks
// for (hasFigure, which remembers its answers).
func (q *extractQuestion) figure(text string) bool { return hasFigure(q.kind, text) }

// matcher finds a question's terms in the pieces of an article.
type matcher struct {
	a     Analyzer
	qt    map[string]bool
	words []string                   // the question's Latin words of at least stemLen letters
	held  map[string]map[string]bool // terms' answers so far: the same pieces are read more than once
}

// stemLen is the shortest Latin word a piece's word is matched with by
// their common start: "defect" finds "defective", "deliver" "delivery"
// (the analyzer's light stemming does not).
const stemLen = 5

func newMatcher(a Analyzer, search string) *matcher {
	terms := QuestionTerms(a, search)
	m := &matcher{a: a, qt: make(map[string]bool, len(terms)), held: map[string]map[string]bool{}}
	for _, t := range terms {
		if !m.qt[t] {
			m.qt[t] = true
			if len(t) >= stemLen && latinWord(t) {
				m.words = append(m.words, t)
			}
		}
	}
	return m
}

func latinWord(t string) bool {
	for _, r := range t {
		if r > unicode.MaxASCII || !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// mayHold reports whether text may hold one of the question's words of
// more than one character that the article's title does not hold
// (compared as lower-case text, before analysis): a cheap test that spares
// analysing a section that holds none.
func (m *matcher) mayHold(text string, title map[string]bool) bool {
	low := strings.ToLower(text)
	for t := range m.qt {
		if !title[t] && utf8.RuneCountInString(t) > 1 && (strings.Contains(low, t) || yuanWords[t] && hasYuan(text)) {
			return true
		}
	}
	return false
}

// terms are the question's terms text holds. A Latin word of text holds
// the question's word it starts with or that starts with it, when the
// shorter of the two has at least stemLen letters. A single Chinese
// character counts only where no held bigram holds it: 发票 holds 发 and
// 票 already, and counting them again lets a piece repeating a common
// word outweigh one holding a rarer word.
// The map returned is shared: callers do not change it. It is nil when
// text holds none (most pieces of an article: a map for each was the
// most allocated object of a help-center turn).
func (m *matcher) terms(text string) map[string]bool {
	if out, ok := m.held[text]; ok {
		return out
	}
	var out map[string]bool
	hold := func(t string) {
		if out == nil {
			out = map[string]bool{}
		}
		out[t] = true
	}
	var singles []string
	for _, t := range readTerms(m.a, text) {
		switch {
		case m.qt[t]:
			if r, n := utf8.DecodeRuneInString(t); n == len(t) && unicode.Is(unicode.Han, r) {
				singles = append(singles, t)
				continue
			}
			hold(t)
		case len(t) >= stemLen && latinWord(t):
			for _, w := range m.words {
				if strings.HasPrefix(t, w) || strings.HasPrefix(w, t) {
					hold(w)
				}
			}
		}
	}
	m.rateWords(text, hold)
	for _, c := range singles {
		covered := false
		for t := range out {
			if len(t) > len(c) && strings.Contains(t, c) {
				covered = true
				break
			}
		}
		if !covered {
			hold(c)
		}
	}
	m.held[text] = out
	return out
}

// askedUnit is what a question counting or timing something counts in:
// the measure word after 几 or 多少 ("几位" → 位, "多少个小时" → 小时), or
// the words after "how many" ("how many gift cards" → gift, card).
type askedUnit struct {
	zh []string // the measure word's first character, and both when it has two
	en []string // stems
}

// onceTwice finds the English words that count times without a number
// (timesWords).
var onceTwice = nlutext.MustPattern(`(?i)` + timesWords)

var (
	askedZH = nlutext.MustPattern(`(?:几|多少)个?(\p{Han}{1,2})`)
	askedEN = nlutext.MustPattern(`(?i)\bhow many ((?:[a-z]+\s+){0,2}[a-z]+)`)
)

func askedUnitOf(question string) askedUnit {
	var u askedUnit
	if m := askedZH.FindStringSubmatch(question); m != nil {
		r := []rune(m[1])
		u.zh = append(u.zh, string(r[:1]))
		if len(r) == 2 {
			u.zh = append(u.zh, string(r))
		}
	}
	if m := askedEN.FindStringSubmatch(question); m != nil {
		for _, w := range strings.Fields(strings.ToLower(m[1])) {
			if w = Stem(w); len(w) >= 3 && !stopword[w] && !lightWords[w] { // "how many do i get" counts nothing named
				u.en = append(u.en, w)
			}
		}
	}
	return u
}

// in reports whether text holds a number followed by the unit: by the
// measure word (个 and spaces between), or, within the next three words,
// by a word starting with one of the unit's words ("up to 5 gift cards",
// "20 active alerts").
func (u askedUnit) in(text string) bool {
	for _, w := range u.zh {
		for i := 0; ; {
			j := strings.Index(text[i:], w)
			if j < 0 {
				break
			}
			before := strings.TrimRight(strings.TrimSuffix(strings.TrimRight(text[:i+j], " "), "个"), " ")
			if r, _ := utf8.DecodeLastRuneInString(before); unicode.IsDigit(r) || strings.ContainsRune(hanNumerals, r) {
				return true
			}
			i += j + len(w)
		}
	}
	if len(u.en) == 0 {
		return false
	}
	times := slices.Contains(u.en, "time")
	if times && onceTwice.MatchString(text) {
		return true // "how many times": once, twice
	}
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
	})
	for i, w := range words {
		if !strings.ContainsAny(w, "0123456789") {
			continue
		}
		span := 4
		if times {
			span = 2 // "3 times", not "22:00 Beijing time"
		}
		for _, next := range words[i+1 : min(len(words), i+span)] {
			for _, want := range u.en {
				if strings.HasPrefix(next, want) {
					return true
				}
			}
		}
	}
	return false
}

// Choosing the section. The best hit is usually the section that
// answers, but when another section of its article (one of the first
// fallbackHits hits, or a section the search did not return, see
// Service.withArticle) holds a piece that answers clearly better, that one
// is quoted. The pieces of all those sections are scored together, as
// extractFrom scores them, except that a table row's first cell does not
// count twice (across sections it let any row naming a question word,
// "gold", beat the sentence that answers) and a single Chinese character
// weighs nothing (a 能 in 不能 moved "积分多少能抵一块钱" from the rule to
// the expiry date). A piece also gains the weights of the question's
// words its section's headings hold and, when it holds a question word
// itself, those its table's column headers hold ("hours" in "Channel ·
// Hours"): they name what the piece is about (a row naming nothing asked
// but the title's 积分 in its header won a question about points). Question words the article's title holds
// weigh titleShare (they name the article, not a section). Another
// section is chosen when its best piece scores more than switchMargin
// times the best hit's. Development numbers (hc2 key fact, with the
// matcher, the measure word and the confidence on the hits as ranked):
// 0.634 -> 0.664, answered unchanged; at margin 1.3 one answer moved to a
// wrong section (0.657); without the headings the gain was half; with
// single characters at a quarter 0.657; with the sections the search did
// not return 0.679.
// A question asking for a duration, an amount or a count is answered by a
// piece holding one: headings and column headers count only for such a
// piece ("what does express to hong kong cost" named the express row of
// the delivery times table, under "Hong Kong"), and when no piece of the
// best hit holds the figure, the section whose piece with it scores at
// least the best hit's best answers (hc2 development, tuned on half the
// articles: key fact 0.677 -> 0.677 on that half, 0.696 -> 0.706 on the
// other; 28 -> 32 of 48 questions of our own on the same articles).
const (
	switchMargin = 1.4
	titleShare   = 0.25
)

// chooseSection returns the index of the hit extract quotes first: 0 or
// another section of hits[0]'s article among the first fallbackHits, or
// after them one that holds a question word its title does not, whether
// the search ranked it lower or did not find it (Service.withArticle).
// (Only those it did not find, before: with 10 hits, as eval rag asks,
// the table answering "warranty on a glass vase?" ranked 7th and was not
// read, with 5 it was.)
// An overview question keeps hits[0] (it has its own rule), as does an
// FAQ entry. A list question's list is the one whose section heading or
// column headers name what it lists (q.listed), each such word weighing
// as much as the question's rarest: "which payment methods can i use in
// the singapore store" is answered from the table under "Accepted payment
// methods", not from the bullet list on currencies that names Singapore
// stores (before, list questions kept hits[0]; with both, 48 questions of
// our own 32 -> 34 right, hc2 development unchanged).
func chooseSection(hits []Hit, q *extractQuestion) int {
	h, _ := chooseSections(hits, q)
	return h
}

// chooseSections is chooseSection, and also the index of the section of
// the same article whose best piece scores closest to the chosen one's,
// when it scores at least closeShare of it and holds a question word of
// more than one character that the title does not (-1 otherwise).
func chooseSections(hits []Hit, q *extractQuestion) (int, int) {
	kind, m := q.kind, q.m
	if kind == KindOverview || len(hits) < 2 || hits[0].Chunk.Answer != "" {
		return 0, -1
	}
	title := m.terms(hits[0].Chunk.Title)
	var secs []int
	for h := 0; h < len(hits); h++ {
		c := hits[h].Chunk
		if c.Doc != hits[0].Chunk.Doc || c.Answer != "" {
			continue
		}
		if h < fallbackHits || m.mayHold(c.Text, title) || headed(m, c) || q.bare && q.unit.in(c.Text) || q.rated(c.Text) {
			secs = append(secs, h)
		}
	}
	if len(secs) < 2 {
		return 0, -1
	}
	type piece struct {
		sec    int
		text   string
		terms  map[string]bool
		header map[string]bool // question terms a table row's column headers hold
		names  int             // names of what a list question lists in its heading or headers
		label  map[string]bool // question terms a list item's lead-in holds and the item does not
		about  bool            // not a table row, or a row whose first cell holds a question term
		tier   bool            // a table row whose range holds an amount the question names (tierRows)
	}
	n := 0 // the pieces (remembered: units), so ps grows once
	for _, h := range secs {
		n += len(units(hits[h].Chunk))
	}
	ps := make([]piece, 0, n)
	df := map[string]int{}
	heads := make([]map[string]bool, len(secs))
	for i, h := range secs {
		c := hits[h].Chunk
		heads[i] = map[string]bool{}
		for k := 1; k < len(c.HeadingPath); k++ { // [0] is the title
			for t := range m.terms(c.HeadingPath[k]) {
				heads[i][t] = true
			}
		}
		var heading string
		if len(c.HeadingPath) > 1 {
			heading = strings.Join(c.HeadingPath[1:], " ")
		}
		for _, u := range units(c) {
			text := u.match
			if text == "" {
				text = u.text
			}
			terms := m.terms(text)
			if len(terms) > 0 && (u.kind == unitSentence && (aboutArticle.MatchString(u.text) || leadIn(u.text)) || u.kind != unitFAQ && pointer(u.text)) {
				terms = nil // says what the article covers or what follows, not what it says
			}
			for t := range terms {
				df[t]++
			}
			var header map[string]bool
			if u.kind == unitRow {
				header = m.terms(u.header)
			}
			var label map[string]bool
			if u.kind == unitItem && u.label != "" && u.label != heading && (q.neg || !negated(u.label)) {
				label = map[string]bool{}
				for t := range m.terms(u.label) {
					if !terms[t] && !heads[i][t] {
						label[t] = true
					}
				}
			}
			// A row is about what its first cell names: it states a
			// verdict on the question's subject only when that cell holds a
			// question word.
			about := u.kind != unitRow || (q.shape == KindYesNo || q.shape == KindHowTo) && len(m.terms(u.key)) > 0
			ps = append(ps, piece{sec: i, text: u.text, terms: terms, header: header, label: label, names: q.names(heading, heads[i], u.header, header), about: about})
		}
	}
	if len(q.amounts) > 0 {
		// The row whose range holds the amount the question names
		// ("about 25k yuan": 20,000 - 49,999) answers across sections as
		// within one (extractFrom): it gains the best word's weight
		// there too. hc2 dev2 key fact .761 -> .769 (the hotel's 25k
		// order quoted the application steps, not the tier table); dev,
		// demo dev2, our own 48 unchanged.
		cs := make([]candidate, 0, len(ps))
		for i, h := range secs {
			for _, u := range units(hits[h].Chunk) {
				cs = append(cs, candidate{unit: u, hit: i})
			}
		}
		tiers := tierRows(cs, q.amounts)
		tiers = q.rateTiers(cs, tiers)
		for k, c := range cs {
			ps[k].tier = tiers[[2]int{c.hit, c.seq}]
		}
	}
	rawWeight := func(t string) float64 {
		if r, n := utf8.DecodeRuneInString(t); n == len(t) && unicode.Is(unicode.Han, r) {
			return 0
		}
		return q.weight(t, math.Log(1+float64(len(ps))/float64(max(df[t], 1))))
	}
	weight := func(t string) float64 {
		if title[t] {
			return titleShare * rawWeight(t)
		}
		return rawWeight(t)
	}
	score := make([]float64, len(ps))
	maxW := 0.0
	for i, p := range ps {
		for t := range p.terms {
			w := weight(t)
			score[i] += w
			maxW = math.Max(maxW, w)
		}
		// The lead-in announcing a list ("Refunds always go back to the
		// account you paid with:") names each item of it, at labelShare
		// as extraction weighs it: "back to my card or to alipay?" is
		// the list of methods, not the coupons' "goes back to your
		// account" in another section.
		for t := range p.label {
			score[i] += labelShare * weight(t)
		}
	}
	// A heading or column header naming what a list question lists
	// weighs as much as the rarest word can.
	listName := math.Log(1 + float64(len(ps)))
	best := make([]float64, len(secs))
	bestFig := make([]float64, len(secs))
	bestTier := make([]float64, len(secs)) // the best piece holding the question's amount (tier row or rate)
	own := make([]bool, len(secs))         // a piece holds a question word of more than one character the title does not
	for _, p := range ps {
		for t := range p.terms {
			if !title[t] && rawWeight(t) > 0 {
				own[p.sec] = true
			}
		}
	}
	figKind := kind.wantsFigure()
	full := make([]int, len(secs)) // pieces whose heading or header names all of what a list question lists
	if want := len(q.listed); want > 0 {
		if q.listedZH != "" {
			want++
		}
		for _, p := range ps {
			if p.names >= want {
				full[p.sec]++
			}
		}
	}
	for i, p := range ps {
		if p.tier {
			score[i] += maxW
		}
		// Whether the piece holds the figure matters when it holds a
		// question word or its section's heading or table's header does.
		fig := figKind && (score[i] > 0 || len(heads[p.sec]) > 0) && q.figure(p.text)
		if score[i] > 0 && fig && figKind {
			score[i] += maxW / 2
		}
		if score[i] > 0 && p.about && subjectIn(p.terms, title) && shaped(q.shape, p.text) {
			score[i] += shapeShare * maxW
		}
		if (score[i] > 0 || q.bare) && q.unit.in(p.text) {
			score[i] += q.unitWeight(maxW)
		}
		own := score[i] > 0
		// What the section or the table is about names what a piece
		// answers, when the piece holds the kind of figure asked.
		named := !figKind || fig
		for t := range heads[p.sec] {
			if named && !p.terms[t] && !q.listed[t] {
				score[i] += weight(t)
			}
		}
		for t := range p.header {
			if named && own && !p.terms[t] && !heads[p.sec][t] && !q.listed[t] {
				score[i] += rawWeight(t)
			}
		}
		score[i] += float64(p.names) * listName
		best[p.sec] = math.Max(best[p.sec], score[i])
		if own && fig {
			bestFig[p.sec] = math.Max(bestFig[p.sec], score[i])
		}
		if p.tier {
			bestTier[p.sec] = math.Max(bestTier[p.sec], score[i])
		}
	}
	pick := 0
	for i := 1; i < len(secs); i++ {
		if best[i] > switchMargin*best[pick] && best[i] > switchMargin*best[0] {
			pick = i
		}
	}
	if kind == KindList && full[0] == 0 {
		// A list question: the section whose heading or table header names
		// the whole of what it lists ("Accepted payment methods" for
		// "which payment methods can I use") is the list asked for, over
		// one naming part of it ("If a payment fails").
		for i := 1; i < len(secs); i++ {
			if full[i] > 0 && (full[pick] == 0 || best[i] > best[pick]) {
				pick = i
			}
		}
	}
	if pick == 0 && bestTier[0] == 0 {
		// The best hit holds no row or rate the question's amount falls
		// in: the section whose piece that does scores at least as well
		// answers ("my double 11 cart is ¥620, how much comes off": ¥50
		// off every ¥300, not the member-day offers).
		for i := 1; i < len(secs); i++ {
			if bestTier[i] > 0 && bestTier[i] >= best[0] && (pick == 0 || bestTier[i] > bestTier[pick]) {
				pick = i
			}
		}
	}
	if pick == 0 && bestFig[0] == 0 {
		// The best hit holds no piece with the figure asked for: the
		// section whose piece with it scores at least as well answers.
		for i := 1; i < len(secs); i++ {
			if bestFig[i] > 0 && bestFig[i] >= best[0] && (pick == 0 || bestFig[i] > bestFig[pick]) {
				pick = i
			}
		}
	}
	second := -1
	for i := range secs {
		if i != pick && own[i] && best[i] > 0 && best[i] >= closeShare*best[pick] && (second < 0 || best[i] > best[second]) {
			second = i
		}
	}
	if second < 0 {
		return secs[pick], -1
	}
	return secs[pick], secs[second]
}

// headed reports whether a section's own heading (not the article's
// title) holds a question word of more than one character: it names what
// the section is about, even in the title's words ("Accepted payment
// methods" in "Payment Methods and Payment Problems").
func headed(m *matcher, c Chunk) bool {
	if len(c.HeadingPath) < 2 {
		return false
	}
	for t := range m.terms(c.HeadingPath[len(c.HeadingPath)-1]) {
		if utf8.RuneCountInString(t) > 1 {
			return true
		}
	}
	return false
}

// leadIn reports whether a sentence announces what follows it ("退款一律原路
// 退回到您付款时使用的账户：", "You can pay with:"): alone it answers
// nothing.
func leadIn(sentence string) bool {
	return strings.HasSuffix(sentence, ":") || strings.HasSuffix(sentence, "：")
}
