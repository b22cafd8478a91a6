package rag

import (
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/assistd/assist/nlu/text"
)

// unitKind says what a piece of an article is.
type unitKind int

const (
	unitSentence unitKind = iota
	unitItem              // a list item, whole
	unitRow               // a table row, shown with its column headers
	unitFAQ               // an FAQ entry's answer, whole
)

// unit is the smallest piece of an article an answer quotes.
type unit struct {
	kind   unitKind
	text   string // what the answer shows
	match  string // what it is matched by, when not text: a table row's cells without the headers every row shares
	key    string // a table row's first cell, which names the row: its terms count twice
	seq    int    // position in the chunk
	block  int    // the table or list a row or item belongs to (1, 2, …), 0 for a sentence or FAQ answer
	header string // a table row's header row, which names what the rows list
	para   int    // the paragraph (line) a sentence belongs to (1, 2, …), 0 for other pieces
	// label names what a list item is (see labelList): the sentence
	// announcing its list ("The warranty does not cover:"), or the
	// section's heading for a list without one; "" for other pieces.
	label string
	// lead is the seq of the sentence announcing a list item's list, -1
	// when it has none.
	lead int
}

// tableSep separates table cells in ingested text (ingest writes a
// Markdown or HTML table row as its cells joined by " · ").
const tableSep = " · "

// aboutArticle matches a sentence that says what the article is about
// ("This article explains …", "本文说明…"): it names every topic of the
// article and answers none.
var aboutArticle = text.MustPattern(`(?i)^(this (article|page|guide|section) (explains|covers|lists|describes|sets out|tells you|shows|applies to)|本文(说明|介绍|列出|讲解|解释|描述|适用于))`)

// pointerWords send the reader to another article ("请参阅英文文章《…》",
// "see the Chinese article …").
var pointerWords = text.MustPattern(`(?i)请参阅|请参考|详见|参见|\bsee (the |our )?(\w+ )?(article|page|section)\b|\bsee [^,.]*(说明|政策|指南)|\brefer to\b`)

// pointer reports whether a sentence only sends the reader to another
// article: it holds a pointer and no figure of its own. It names what the
// other article is about and answers none of it ("香薰机的保修期限请参阅英文
// 文章《Warranty & Repairs》" for a question on a blinking light).
func pointer(sentence string) bool {
	// The substrings every pointer holds spare most sentences the regular
	// expression (it was half of BenchmarkExtract's time).
	if !strings.Contains(sentence, "参") && !strings.Contains(sentence, "详见") && !strings.Contains(sentence, "ee ") && !strings.Contains(sentence, "efer") {
		return false
	}
	return !strings.ContainsAny(sentence, "0123456789") && pointerWords.MatchString(sentence)
}

var listMark = text.MustPattern(`^\s*([-*•·▪]|\d{1,2}[.、)）]|[（(]\d{1,2}[)）]|[a-z][.)])\s*`)

// units splits a chunk into the pieces an answer may quote: its FAQ
// answer; or its table rows (each with the table's header), list items
// and sentences, in order. The pieces are remembered (chunkUnits): callers
// read them and must not change them.
func units(c Chunk) []unit {
	k := unitsKey{answer: c.Answer, text: c.Text}
	if len(c.HeadingPath) > 1 {
		k.heading = c.HeadingPath[len(c.HeadingPath)-1]
	}
	return remember(&chunkUnits, k, len(c.Text)+len(c.Answer), func() []unit { return splitUnits(c) })
}

// unitsKey is what a chunk's pieces depend on: its FAQ answer, its text
// and the heading labelLists reads.
type unitsKey struct{ answer, text, heading string }

// chunkUnits remembers the pieces of the sections read: the same sections
// are split for every question (to extract, to quote an overview, to
// compare two sections), a twentieth of a help-center turn.
var chunkUnits = memo[unitsKey, []unit]{size: articleMemoSize}

// splitUnits is units without the memo.
func splitUnits(c Chunk) []unit {
	if strings.TrimSpace(c.Answer) != "" {
		return []unit{{kind: unitFAQ, text: strings.TrimSpace(c.Answer)}}
	}
	lines := strings.Split(c.Text, "\n")
	var out []unit
	blocks := 0
	add := func(u unit) {
		if u.text = strings.TrimSpace(u.text); u.text != "" {
			u.seq = len(out)
			out = append(out, u)
		}
	}
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		switch {
		case line == "":
		case strings.Contains(line, tableSep):
			j := i
			for j < len(lines) && strings.Contains(lines[j], tableSep) {
				j++
			}
			rows := lines[i:j]
			header := cellsOf(rows[0])
			if len(rows) == 1 {
				add(unit{kind: unitSentence, text: line})
			}
			blocks++
			for _, r := range rows[1:] {
				cells := cellsOf(r)
				add(unit{kind: unitRow, text: rowText(header, cells), match: strings.Join(cells, "\n"), key: cells[0], block: blocks, header: rows[0]})
			}
			i = j - 1
		case listMark.MatchString(line) && !strings.HasSuffix(line, "：") && !strings.HasSuffix(line, ":"):
			if len(out) == 0 || out[len(out)-1].kind != unitItem {
				blocks++
			}
			add(unit{kind: unitItem, text: listMark.ReplaceAllString(line, ""), block: blocks})
		default:
			for _, s := range Sentences(line) {
				add(unit{kind: unitSentence, text: s, para: i + 1})
			}
		}
	}
	labelLists(out, c.HeadingPath)
	return out
}

// labelLists sets each list item's label: what names the list, as a
// table's header row names its rows. That is the sentence right before the
// list when it announces it ("The warranty does not cover:", "保修包括："),
// else, for the first list of a section with no sentence before it, the
// section's heading ("What the warranty covers"). The items themselves
// seldom repeat the words that say what they are.
func labelLists(us []unit, headings []string) {
	heading := ""
	if len(headings) > 1 {
		heading = headings[len(headings)-1]
	}
	for i := range us {
		us[i].lead = -1
		if us[i].kind != unitItem {
			continue
		}
		if i > 0 && us[i-1].kind == unitItem && us[i-1].block == us[i].block {
			us[i].label, us[i].lead = us[i-1].label, us[i-1].lead
			continue
		}
		switch {
		case i > 0 && us[i-1].kind == unitSentence && leadIn(us[i-1].text):
			us[i].label, us[i].lead = us[i-1].text, i-1
		case i == 0:
			us[i].label = heading
		}
	}
}

// cellsOf splits an ingested table row into its cells, trimmed; an empty
// first or last cell stays (a comparison table's header often leaves the
// corner empty: "|  | Gift card | Store credit |" is ingested as
// "·  Gift card  ·  Store credit").
func cellsOf(row string) []string {
	cells := strings.Split(" "+strings.TrimSpace(row)+" ", tableSep)
	for k := range cells {
		cells[k] = strings.TrimSpace(cells[k])
	}
	return cells
}

// rowText writes a table row with its headers: "header: cell; header:
// cell" (with Chinese punctuation when the table is Chinese). A first
// cell under an empty header names the row and leads: "Validity — Gift
// card: 3 years; Store credit: 1 year from issue".
func rowText(header, cells []string) string {
	colon, semi := ": ", "; "
	if text.Detect(strings.Join(header, "")+strings.Join(cells, "")) == text.ZH {
		colon, semi = "：", "；"
	}
	var b strings.Builder
	for k, cell := range cells {
		cell = strings.TrimSpace(cell)
		if cell == "" {
			continue
		}
		if k == 0 && len(header) > 1 && strings.TrimSpace(header[0]) == "" {
			b.WriteString(cell)
			b.WriteString(" — ")
			continue
		}
		if b.Len() > 0 && !strings.HasSuffix(b.String(), " — ") {
			b.WriteString(semi)
		}
		if k < len(header) && strings.TrimSpace(header[k]) != "" {
			b.WriteString(strings.TrimSpace(header[k]))
			b.WriteString(colon)
		}
		b.WriteString(cell)
	}
	return b.String()
}

// Extraction limits.
const (
	maxUnits     = 3   // pieces quoted at most
	keepShare    = 0.5 // a piece is quoted with the best if it scores at least this share of it
	maxQuoteRune = 600 // quoted text at most (runes), the best piece always whole
)

// labelShare is how much a question word weighs in a list item's label
// (unit.label) against the same word in the item: the label names every
// item of its list alike, the item's own words say which one answers
// ("is a cracked frame from a car rack protected": the car-rack item of
// the list the guarantee does not protect, over the frame-cracks item of
// the list it does).
const labelShare = 0.5

// rankPrior is how much a piece of each of the best hits weighs against
// the same piece of the best hit; its length is how many hits the
// extraction reads. Reading the second and third hits too (0.6, 0.5) found
// 2 more key facts of 118 on the hc2 development questions but put the
// wrong article first for 2 more demo questions: not kept.
var rankPrior = []float64{1}

// candidate is a piece of one of the hits.
type candidate struct {
	unit
	hit   int
	terms map[string]bool // question terms in the piece
	key   map[string]bool // question terms in a table row's first cell
	tier  bool            // a table row whose range holds an amount the question names
	score float64
	// labelScore is the part of score that the item's label (unit.label)
	// gives it.
	labelScore float64
}

// extract is the extractive answer to a question, searched by search (the
// question, and its topic when it continues one), from the best hits: the
// pieces (sentences, list items, table rows with headers, or an FAQ
// answer) that best match the question, from one chunk, in the article's
// order. A piece scores the sum of the weights of the question's terms it
// holds (a table row: in its cells, twice in its first), a term weighing
// log(1 + pieces/pieces holding it) (a single Chinese character a quarter
// of that); when the question asks for a duration (or a date or time), an
// amount or a count, a piece with such a figure gains half the best
// weight; a piece of a later hit
// counts its rankPrior share of its score. The best piece is kept, then
// those of its chunk scoring at least keepShare of it, at most maxUnits;
// when the best is a table row, other rows only if their first cell holds
// a question term (they are about something else otherwise). It returns
// the text, the index of the hit it quotes, and whether the text holds the
// kind of figure the question asks for.
func extract(hits []Hit, question, search, topic string, a Analyzer) (reply string, hit int, figure bool) {
	q := newExtractQuestion(question, search, topic, a)
	h, second := chooseSections(hits, q)
	reply, hit, figure = extractChosen(hits, h, q)
	if second >= 0 && second != hit && q.kind != KindList && !overlap(hits[hit].Chunk, hits[second].Chunk) {
		reply, figure = q.withSecond(hits[hit], hits[second], reply, figure)
	}
	return reply, hit, figure
}

// extractChosen is extract quoting hits[h] first.
func extractChosen(hits []Hit, h int, q *extractQuestion) (reply string, hit int, figure bool) {
	if h == 0 {
		return extractOrdered(hits, q)
	}
	// The chosen section leads; the others keep their order.
	order := make([]Hit, 0, len(hits))
	order = append(order, hits[h])
	order = append(order, hits[:h]...)
	order = append(order, hits[h+1:]...)
	reply, k, figure := extractOrdered(order, q)
	switch {
	case k == 0:
		k = h
	case k <= h:
		k--
	}
	return reply, k, figure
}

// closeShare is how close the best piece of another section of the
// article must score to the chosen section's best (chooseSections) for
// both to be quoted, in the article's order: when two sections answer
// about as well, the customer reads both rather than the one that won by
// a word ("is my desk lamp still under warranty after 14 months": the
// repairs-after-warranty list and the warranty-periods row). A question
// asking for a duration, an amount or a count gets the second only when
// the first lacks that figure and the second holds it.
// Key fact, without -> with (hc2 development tuning half A / other half
// B / the fresh dev2 set / demo dev2): 0.701 / 0.739 / 0.667 / 0.524 ->
// 0.701 / 0.783 / 0.681 / 0.536; our own 48 checks 37 -> 38; median reply
// on dev2 about 100 characters either way. Tried with an earlier build
// (its numbers not comparable): 0.5 and no figure rule gave longer
// replies (p90 +60 characters) for one or two more facts.
const closeShare = 0.6

// overlap reports whether two sections share a piece: windows of one
// long section, which the first quote already reads.
func overlap(a, b Chunk) bool {
	have := map[string]bool{}
	for _, u := range units(a) {
		have[u.text] = true
	}
	for _, u := range units(b) {
		if have[u.text] {
			return true
		}
	}
	return false
}

// withSecond is reply (quoted from the section of hit first) with the
// pieces of the section of hit second that answer, in the article's
// order, as far as maxQuoteRune allows.
func (q *extractQuestion) withSecond(first, second Hit, reply string, figure bool) (string, bool) {
	r2, _, f2, ok, _ := extractFrom([]Hit{second}, q)
	if !ok || r2 == "" || strings.Contains(reply, r2) || utf8.RuneCountInString(reply)+utf8.RuneCountInString(r2) > maxQuoteRune {
		return reply, figure
	}
	if q.wantsFigure() && (figure || !f2) {
		return reply, figure
	}
	for _, line := range strings.Split(r2, "\n") {
		if strings.Contains(reply, line) {
			return reply, figure // windows of one long section
		}
	}
	if second.Chunk.Ord < first.Chunk.Ord {
		return r2 + "\n" + reply, figure || f2
	}
	return reply + "\n" + r2, figure || f2
}

// extractOrdered is extract quoting hits[0], or another section of its
// article when hits[0] holds no word of the question, not the figure or
// not the list it asks for.
func extractOrdered(hits []Hit, q *extractQuestion) (reply string, hit int, figure bool) {
	if q.kind == KindOverview {
		if r, h := overview(hits); r != "" {
			return r, h, true
		}
	}
	reply, hit, figure, matched, listed := extractFrom(hits, q)
	if q.kind == KindList && !listed {
		// A list question the best hit has no list for: the list or table
		// of another section of the same article, when one names it.
		for h := 1; h < min(len(hits), fallbackHits); h++ {
			if hits[h].Chunk.Doc != hits[0].Chunk.Doc {
				continue
			}
			if r, _, f, _, ok := extractFrom(hits[h:h+1], q); ok {
				return r, h, f
			}
		}
	}
	if matched && !figure && q.kind.wantsFigure() {
		// The best hit does not hold the kind of figure asked for: another
		// section of the same article that does, and matches, answers.
		for h := 1; h < min(len(hits), fallbackHits); h++ {
			if hits[h].Chunk.Doc != hits[0].Chunk.Doc {
				continue
			}
			if r, _, f, ok, _ := extractFrom(hits[h:h+1], q); ok && f {
				return r, h, f
			}
		}
	}
	if matched {
		return reply, hit, figure
	}
	// Nothing in the best hit holds a word of the question (an article's
	// introduction, found by what it says the article covers): the next
	// section of the same article that does answers.
	for h := 1; h < min(len(hits), fallbackHits); h++ {
		if hits[h].Chunk.Doc != hits[0].Chunk.Doc {
			continue
		}
		if r, _, f, ok, _ := extractFrom(hits[h:h+1], q); ok {
			return r, h, f
		}
	}
	return reply, hit, figure
}

// overviewSentences is how many sentences answer a question asking what
// an article says in short.
const overviewSentences = 2

// overview is the answer to a question asking what an article says in
// short: the first sentences (not those saying what the article covers)
// of the earliest section of the best hit's article among the first
// fallbackHits hits, and the index of that hit; "" when it has none.
func overview(hits []Hit) (string, int) {
	if len(hits) == 0 {
		return "", 0
	}
	lead := 0
	for h := 1; h < min(len(hits), fallbackHits); h++ {
		if hits[h].Chunk.Doc == hits[0].Chunk.Doc && hits[h].Chunk.Ord < hits[lead].Chunk.Ord {
			lead = h
		}
	}
	var out []string
	for _, u := range units(hits[lead].Chunk) {
		if len(out) == overviewSentences {
			break
		}
		if u.kind == unitFAQ || (u.kind == unitSentence && !aboutArticle.MatchString(u.text)) {
			out = append(out, u.text)
		}
	}
	if len(out) == 0 {
		return "", 0
	}
	sep := " "
	if endsHan(out[0]) {
		sep = ""
	}
	return strings.Join(out, sep), lead
}

// fallbackHits bounds the hits extract reads when the best one holds no
// word of the question.
const fallbackHits = 5

// extractFrom is extract without the fallback; matched reports whether the
// reply holds a word of the question, listed whether it is the list or
// table a list question asks for.
func extractFrom(hits []Hit, q *extractQuestion) (reply string, hit int, figure, matched, listed bool) {
	kind, m, a := q.kind, q.m, q.m.a
	qt := m.qt
	n := 0 // the pieces (remembered: units), so cands grows once
	for h := range min(len(hits), len(rankPrior)) {
		n += len(units(hits[h].Chunk))
	}
	cands := make([]candidate, 0, n)
	df := map[string]int{}
	for h := range min(len(hits), len(rankPrior)) {
		for _, u := range units(hits[h].Chunk) {
			text := u.match
			if text == "" {
				text = u.text
			}
			terms := m.terms(text)
			for t := range terms {
				df[t]++
			}
			var key map[string]bool // nil without a key: only read
			if kt := readTerms(a, u.key); len(kt) > 0 {
				key = make(map[string]bool, len(kt))
				for _, t := range kt {
					key[t] = qt[t]
				}
			}
			cands = append(cands, candidate{unit: u, hit: h, terms: terms, key: key})
		}
	}
	if len(cands) == 0 {
		if len(hits) == 0 {
			return "", 0, false, false, false
		}
		return strings.TrimSpace(hits[0].Chunk.Text), 0, false, false, false
	}
	title := m.terms(hits[0].Chunk.Title)
	maxW := 0.0
	for i := range cands {
		for t := range cands[i].terms {
			w := q.weight(t, math.Log(1+float64(len(cands))/float64(df[t])))
			if r, size := utf8.DecodeRuneInString(t); size == len(t) && unicode.Is(unicode.Han, r) {
				w /= 4
			}
			if cands[i].key[t] {
				w *= 2
			}
			cands[i].score += w
			maxW = math.Max(maxW, w)
		}
	}
	for i := range cands {
		c := &cands[i]
		switch {
		case c.kind == unitItem && c.label != "" && (q.neg || !negated(c.label)):
			// What names the list names each item of it.
			for t := range m.terms(c.label) {
				if c.terms[t] {
					continue
				}
				w := q.weight(t, math.Log(1+float64(len(cands))/float64(max(df[t], 1))))
				if r, size := utf8.DecodeRuneInString(t); size == len(t) && unicode.Is(unicode.Han, r) {
					w /= 4
				}
				c.score += labelShare * w
				c.labelScore += labelShare * w
			}
		case c.kind == unitSentence && leadIn(c.text) && !q.neg && negated(c.text):
			// "The warranty does not cover:" does not answer what the
			// warranty covers.
			c.score = 0
		}
	}
	tiers := tierRows(cands, q.amounts)
	tiers = q.rateTiers(cands, tiers)
	for i := range cands {
		c := &cands[i]
		if tiers[[2]int{c.hit, c.seq}] {
			c.score += maxW // the row whose range holds the amount the question names
			c.tier = true
		}
		if kind.wantsFigure() && c.score > 0 && q.figure(c.text) {
			c.score += maxW / 2
		}
		if c.score > 0 && (c.kind != unitRow || anyTrue(c.key)) && subjectIn(c.terms, title) && shaped(q.shape, c.text) {
			c.score += shapeShare * maxW // see shaped
		}
		if (c.score > 0 || q.bare) && q.unit.in(c.text) {
			c.score += q.unitWeight(maxW)
		}
		c.score *= rankPrior[c.hit]
		if c.score > 0 && (c.kind == unitSentence && aboutArticle.MatchString(c.text) || c.kind != unitFAQ && pointer(c.text)) {
			c.score = 0 // says what the article covers, not what it says
		}
	}
	order := make([]int, len(cands))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool { return cands[order[x]].score > cands[order[y]].score })
	best := cands[order[0]]
	keep := []candidate{best}
	size := utf8.RuneCountInString(best.text)
	if kind == KindList {
		// The block (table or list) whose rows or items, each with its
		// table's header, hold the most of the question's words is the
		// list asked for.
		sum := map[[2]int]float64{}
		for _, c := range cands {
			if c.block == 0 {
				continue
			}
			k := [2]int{c.hit, c.block}
			sum[k] += c.score
			for _, t := range Unique(readTerms(a, c.header)) {
				if qt[t] && !c.terms[t] {
					sum[k] += maxW // the header names what every row is
				}
			}
		}
		top, topSum := [2]int{}, 0.0
		for k, v := range sum {
			if v > topSum || (v == topSum && (k[0] < top[0] || k[0] == top[0] && k[1] < top[1])) {
				top, topSum = k, v
			}
		}
		if topSum > 0 {
			listed = true
			for _, c := range cands {
				if c.hit == top[0] && c.block == top[1] {
					best = c
					break
				}
			}
		}
	}
	// A list whose label names what the question asks, more than its
	// best item's own words do, is quoted whole ("what does the warranty
	// cover": the list under "What the warranty covers").
	wholeList := kind != KindList && best.kind == unitItem && best.labelScore > 0 && 2*best.labelScore >= best.score
	if (kind == KindList || wholeList) && best.block > 0 && best.score >= 0 {
		// The question asks for the list: the whole table or list the
		// best row or item is in, as far as the quote may run.
		keep = keep[:0]
		size = 0
		named := namedRows(cands, best)
		for _, c := range cands {
			if c.hit == best.hit && c.block == best.block && (named == nil || named[c.seq]) {
				if n := utf8.RuneCountInString(c.text); size+n <= maxQuoteRune || len(keep) == 0 {
					size += n
					keep = append(keep, c)
				}
			}
		}
		order = order[:1]
	}
	// Companions are chosen by their own words: a label names its whole
	// list alike, and the label's share would let items holding nothing
	// asked come along (or keep out one that does).
	bestOwn := best.score - best.labelScore
	for _, i := range order[1:] {
		c := cands[i]
		if len(keep) == maxUnits || c.score <= 0 {
			break
		}
		if own := c.score - c.labelScore; own <= 0 || own < keepShare*bestOwn {
			continue
		}
		n := utf8.RuneCountInString(c.text)
		if c.hit != best.hit || size+n > maxQuoteRune {
			continue
		}
		if c.kind == unitRow && best.kind == unitRow && (!anyTrue(c.key) || best.tier && !c.tier) {
			continue // another row, about something else than the question names
		}
		size += n
		keep = append(keep, c)
	}
	if q.wantsFigure() && best.score > 0 && !q.answered(keep) {
		keep, size = withFigure(cands, order, best, keep, size, q.kind)
	}
	if q.stated() && best.score > 0 && !heldIn(KindAmount, keep) {
		// The amounts the customer states are their case ("my cart is
		// 110 and I use a 20 yuan coupon, is shipping still free"): the
		// rule alone ("the threshold uses the amount after coupons")
		// leaves the sum to them; the piece with the amount the rule
		// compares with (the threshold row, ¥99 and the fee) answers it.
		keep, size = withFigure(cands, order, best, keep, size, KindAmount)
	}
	if kind != KindList && best.score > 0 && best.kind != unitRow && !q.answered(keep) {
		keep = readUnit(cands, best, keep, size)
	}
	keep = withFollowing(cands, keep)
	keep = withLeadIns(cands, keep)
	sort.Slice(keep, func(x, y int) bool { return keep[x].seq < keep[y].seq })
	var b strings.Builder
	prev := unitSentence
	for _, u := range keep {
		if b.Len() > 0 {
			switch {
			case u.kind != unitSentence || prev != unitSentence:
				b.WriteString("\n")
			default:
				b.WriteString(between(b.String()))
			}
		}
		prev = u.kind
		b.WriteString(u.text)
		figure = figure || q.figure(u.text)
	}
	return b.String(), best.hit, figure, best.score > 0 || listed, listed
}

// withFollowing adds to a kept sentence that announces what follows it
// ("The warranty does not cover:", "须提供以下资料：") the list or table
// right after it, whole and in order: alone it answers nothing, and a list
// cut short says less than the article. Announcements are taken in the
// order they were kept (the best first); one whose list no longer fits in
// the quote is left out, unless it is the best piece.
func withFollowing(cands []candidate, keep []candidate) []candidate {
	have := map[[2]int]bool{}
	size := 0
	for _, k := range keep {
		have[[2]int{k.hit, k.seq}] = true
		size += utf8.RuneCountInString(k.text)
	}
	drop := map[[2]int]bool{}
	for i, k := range slices.Clone(keep) {
		if k.kind != unitSentence || !leadIn(k.text) {
			continue
		}
		var list []candidate
		n, block := 0, 0
		for _, c := range cands {
			if c.hit != k.hit || c.seq <= k.seq {
				continue
			}
			if block == 0 {
				if c.seq != k.seq+1 || c.block == 0 {
					break // what follows is no list or table
				}
				block = c.block
			}
			if c.block != block {
				break
			}
			if !have[[2]int{c.hit, c.seq}] {
				list = append(list, c)
				n += utf8.RuneCountInString(c.text)
			}
		}
		switch {
		case block == 0:
		case size+n <= maxQuoteRune:
			size += n
			keep = append(keep, list...)
			for _, c := range list {
				have[[2]int{c.hit, c.seq}] = true
			}
		case i > 0:
			drop[[2]int{k.hit, k.seq}] = true
		}
	}
	if len(drop) > 0 {
		keep = slices.DeleteFunc(keep, func(c candidate) bool { return drop[[2]int{c.hit, c.seq}] })
	}
	return keep
}

// withLeadIns adds to keep the sentence announcing the list of each kept
// list item ("The warranty does not cover:" before "water damage"): the
// item alone does not say whether it is covered or not.
func withLeadIns(cands []candidate, keep []candidate) []candidate {
	have := map[[2]int]bool{}
	for _, k := range keep {
		have[[2]int{k.hit, k.seq}] = true
	}
	for _, k := range slices.Clone(keep) {
		if k.kind != unitItem || k.lead < 0 || have[[2]int{k.hit, k.lead}] {
			continue
		}
		for _, c := range cands {
			if c.hit == k.hit && c.seq == k.lead {
				keep = append(keep, c)
				have[[2]int{c.hit, c.seq}] = true
				break
			}
		}
	}
	return keep
}

// namedRows are the rows (by seq) of best's table whose first cell, the
// name of the row, the question names: more than half of its words
// (single Chinese characters aside) are the question's ("which payment
// methods in the singapore store", 杭州哪些区). They answer it, not the
// whole table. A row merely holding a question word is not named by it
// ("WeChat Pay" for "other ways to pay"). Nil when no row or every row is
// named.
func namedRows(cands []candidate, best candidate) map[int]bool {
	named := map[int]bool{}
	rows := 0
	for _, c := range cands {
		if c.hit != best.hit || c.block != best.block {
			continue
		}
		rows++
		words, asked := 0, 0
		for t, q := range c.key {
			if r, n := utf8.DecodeRuneInString(t); n == len(t) && unicode.Is(unicode.Han, r) {
				continue // a single character names nothing (州 in 杭州 and 广州)
			}
			words++
			if q {
				asked++
			}
		}
		if c.kind == unitRow && 2*asked > words {
			named[c.seq] = true
		}
	}
	if len(named) == 0 || len(named) == rows {
		return nil
	}
	return named
}

func anyTrue(m map[string]bool) bool {
	for _, v := range m {
		if v {
			return true
		}
	}
	return false
}

// What a customer reads as one: a section short enough is read whole (its
// heading names one thing, and the sentences around the best one hold its
// conditions and figures: "Dispatch can take up to 5 days" after "During
// 618 … order volumes are very high"), and, in a longer one, the
// paragraph of each sentence quoted. hc2 development key fact 0.706 ->
// 0.721 (half A 0.687 -> 0.701, half B 0.725 -> 0.739), our own 48
// checks 35 -> 37, median reply 82 -> 116 characters; a section of 200
// characters the same, quoting a table's rows whole did not add one.
const (
	wholeSection   = 300 // runes of a section (without pointers) quoted whole
	wholeParagraph = 250 // runes of a paragraph quoted whole
)

// readUnit is keep (the pieces chosen, of size runes, best among them)
// widened to what a customer reads as one: the whole of best's section
// when it is at most wholeSection runes without the pieces that quote
// nothing (quotesNothing), else the other sentences of each kept
// sentence's paragraph when it is at most wholeParagraph runes, as far as
// maxQuoteRune allows.
func readUnit(cands []candidate, best candidate, keep []candidate, size int) []candidate {
	section := 0
	para := map[int]int{} // runes by paragraph of best's section
	for _, c := range cands {
		if c.hit != best.hit || quotesNothing(c.unit) {
			continue
		}
		if c.kind == unitItem && entry.MatchString(c.text) {
			section = wholeSection + 1 // a list of entries, each about its own thing
		}
		n := utf8.RuneCountInString(c.text)
		section += n
		if c.para > 0 {
			para[c.para] += n
		}
	}
	if section <= wholeSection {
		keep = keep[:0]
		for _, c := range cands {
			if c.hit == best.hit && !quotesNothing(c.unit) {
				keep = append(keep, c)
			}
		}
		return keep
	}
	have := map[int]bool{}
	widen := map[int]bool{}
	for _, c := range keep {
		if c.hit == best.hit {
			have[c.seq] = true
			if c.para > 0 && para[c.para] <= wholeParagraph {
				widen[c.para] = true
			}
		}
	}
	for _, c := range cands {
		if c.hit != best.hit || !widen[c.para] || have[c.seq] || quotesNothing(c.unit) {
			continue
		}
		if n := utf8.RuneCountInString(c.text); size+n <= maxQuoteRune {
			size += n
			keep = append(keep, c)
		}
	}
	return keep
}

// entry matches a list item that opens with its own label ("赠品：整单退货时…",
// "Opened items: …"): the items of such a list are answers to different
// questions, not one text.
var entry = text.MustPattern(`^[^：:。.!?！？]{1,20}[^\d\s][：:]\s*\S`)

// answered reports whether the pieces kept hold the kind of figure the
// question asks for (a duration, an amount, a count): they answer it, and
// the pieces around them would add other figures.
func (q *extractQuestion) answered(keep []candidate) bool {
	if !q.wantsFigure() {
		return false
	}
	for _, c := range keep {
		if q.figure(c.text) {
			return true
		}
	}
	return false
}

// stated reports whether the question, asking no figure, states amounts
// of money: the customer's case, which the answer compares with the
// article's figures.
func (q *extractQuestion) stated() bool {
	return !q.wantsFigure() && q.kind != KindList && q.kind != KindOverview && len(q.amounts) > 0
}

// heldIn reports whether one of the pieces holds the kind of figure.
func heldIn(kind Kind, keep []candidate) bool {
	for _, c := range keep {
		if hasFigure(kind, c.text) {
			return true
		}
	}
	return false
}

// wantsFigure reports whether the question asks for a duration, an amount
// or a count.
func (q *extractQuestion) wantsFigure() bool { return q.kind.wantsFigure() }

// quotesNothing reports whether a piece says what the article covers or
// sends the reader to another article.
func quotesNothing(u unit) bool {
	return u.kind == unitSentence && aboutArticle.MatchString(u.text) || u.kind != unitFAQ && pointer(u.text)
}

// withFigure is keep with the best piece of best's section that holds the
// kind of figure the question asks for and a word of it, when keep holds
// none: "how much is the deposit" is answered by "The deposit is 30% of
// the item price", not only by the sentence that shares more words.
func withFigure(cands []candidate, order []int, best candidate, keep []candidate, size int, kind Kind) ([]candidate, int) {
	for _, i := range order {
		c := cands[i]
		if c.score <= 0 {
			break
		}
		if c.hit != best.hit || c.seq == best.seq || quotesNothing(c.unit) || !hasFigure(kind, c.text) {
			continue
		}
		n := utf8.RuneCountInString(c.text)
		if size+n > maxQuoteRune {
			return keep, size
		}
		return append(keep, c), size + n
	}
	return keep, size
}
