package flow

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	nlutext "github.com/assistd/assist/nlu/text"
)

// A reference is how a customer names one of the items of an offer's
// list without its value: "where's my lamp", "那双鞋", "the one I ordered
// last week", "还没到的那个", "the 259 order", "the black one". refer
// reads a message against the list's items by what the backend says of
// each (list_orders in the action contract):
//
//   - skus: the item's product codes, matched against the message's
//     product entities (the NLU's catalogue knows names and aliases in
//     both languages);
//   - items_en / items_zh: the items as shown, whose words (English) and
//     head nouns (Chinese: the last one or two characters of a name, so
//     "鞋" finds "AirFlex 跑鞋") and options ("black, L") the message may
//     use;
//   - status: matched against status words ("hasn't arrived", "还没发货",
//     "the cancelled one");
//   - created_at / delivered_at (YYYY-MM-DD): against the message's date
//     entities (a day either way) and week words (last week, 上周);
//   - total: against a number in the message (the whole units);
//   - created_at, for "the one I just ordered" / "刚下的单" (the newest).
//
// What the item is called names it (words, then product entities); the
// state, day, price and newest clues narrow what it names, unless none
// would be left. Without a name, every clue the message gives must hold.

// clues is what a message says about the item it means.
type clues struct {
	skus     []string // product entities
	words    []string // English words and Chinese text, for names and options
	statuses []string // statuses any of which fits
	days     []dayRange
	amounts  []string // whole numbers
	latest   bool     // "the one I just ordered", "刚下的单": the newest
}

// dayRange is a span of days an item's date may fall in; day, when set,
// is the one day the message named (the span is a day either way of it).
type dayRange struct{ from, to, day time.Time }

// any reports whether the message gives any clue that names an item; a
// clue of words alone counts only when some item has the word.
func (c clues) specific() bool {
	return len(c.skus) > 0 || len(c.statuses) > 0 || len(c.days) > 0 || len(c.amounts) > 0 || c.latest
}

var (
	amountRun = nlutext.MustPattern(`(?:^|[^0-9a-z])([1-9][0-9]{1,5})(?:\.[0-9]{1,2})?(?:[^0-9]|$)`)
	// statusWords map phrases to the statuses they fit; the first phrase
	// found wins, so negations come before what they negate.
	statusWords = []struct {
		words    []string
		statuses []string
	}{
		{[]string{"hasn't shipped", "has not shipped", "not shipped", "hasnt shipped", "not sent", "hasn't been sent", "还没发货", "没发货", "未发货", "还没发", "没发出"}, []string{"paid", "pending_payment"}},
		{[]string{"hasn't arrived", "has not arrived", "not arrived", "hasnt arrived", "hasn't come", "not here yet", "still coming", "on the way", "on its way", "in transit", "还没到", "没到", "还没收到", "没收到", "未收到", "在路上", "还在路上", "没送到"}, []string{"shipped", "paid"}},
		{[]string{"cancelled", "canceled", "取消的", "已取消", "取消了的"}, []string{"cancelled"}},
		{[]string{"returned", "退掉的", "退了的", "已退货"}, []string{"returned"}},
		{[]string{"arrived", "delivered", "came", "received", "got it", "已经到", "到了的", "收到的", "收到了", "签收", "已送达", "送到了"}, []string{"delivered"}},
		{[]string{"shipped", "dispatched", "已发货", "发货了的", "发出的"}, []string{"shipped"}},
		{[]string{"unpaid", "not paid", "没付款", "未付款", "待付款"}, []string{"pending_payment"}},
	}
	// weekWords name calendar weeks (Monday to Sunday) or months, by how
	// many weeks or months back.
	weekWords = []struct {
		words  []string
		weeks  int
		months int
	}{
		{[]string{"last week", "上周", "上星期", "上个星期", "上个礼拜", "上礼拜"}, 1, 0},
		{[]string{"this week", "这周", "本周", "这星期", "这个星期"}, 0, 0},
		{[]string{"last month", "上个月", "上月"}, 0, 1},
	}
	// placedCue says when an order was placed or bought, not when it
	// comes.
	placedCue = nlutext.MustPattern(`\b(ordered|bought|placed|purchased)\b|下的|下单|买的|拍的|订的|购买`)
	// bareWeekday is a weekday said alone, without "last", "next", 上 or
	// 这.
	bareWeekday = regexp.MustCompile(`^(on )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)$|^(周|星期|礼拜)[一二三四五六日天]$`)
	// dayOfOrderCue says a day is one in the order's past: it came or was
	// sent then, or the order is "from" it.
	dayOfOrderCue = nlutext.MustPattern(`\b(from|arrived|delivered|came|shipped|sent|received)\b|到的|收到|签收|发的|发货的|那单|的单|的订单|那个订单`)
	// latestWords name the newest order.
	latestWords = []string{"刚下的", "刚买的", "刚下单", "刚拍的", "最新的订单", "最新那单", "最近下的", "最近买的",
		"just ordered", "just bought", "just placed", "latest order", "most recent order", "newest order", "my last order"}
	// noise are words too common to name an item.
	noise = map[string]bool{
		"the": true, "a": true, "an": true, "my": true, "one": true, "order": true, "orders": true, "of": true, "and": true,
		"for": true, "with": true, "pack": true, "set": true, "mini": true, "pair": true, "x1": true, "x2": true,
		"i": true, "it": true, "is": true, "where": true, "what": true, "to": true, "in": true, "on": true, "that": true,
		"this": true, "me": true, "please": true, "pls": true, "was": true, "s": true, "m": true, "l": true, "xl": true,
		"want": true, "return": true, "cancel": true, "status": true, "track": true, "change": true, "address": true,
		"refund": true, "item": true, "thing": true, "package": true, "parcel": true, "new": true,
		// everyday words that end a brand name ("how fast" is no GaNFast
		// charger, "next step" no CloudStep trainers)
		"fast": true, "soft": true, "step": true,
	}
)

// readClues reads what text (and its entities) say about an item.
func readClues(in Input, now time.Time) clues {
	var c clues
	text := fold(in.Text)
	for _, e := range in.Entities {
		switch e.Type {
		case "product":
			c.skus = append(c.skus, e.Value)
		case "date":
			// A day to come ("明天能到吗") says when, not which; so does
			// today, unless the order was placed then ("is it coming
			// today", "the one i ordered today"). A weekday alone is this
			// week's (on a Sunday one gone by), but people as often mean
			// the next ("周二能到吗", "need it by tuesday", "我周三不在家"):
			// it says which only with words of what happened to the
			// order that day ("ordered friday", "the order from
			// thursday", "周四到的那个").
			if bareWeekday.MatchString(strings.TrimSpace(fold(e.Text))) && !placedCue.MatchString(text) && !dayOfOrderCue.MatchString(text) {
				continue
			}
			today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
			if d, err := time.Parse(time.DateOnly, e.Value); err == nil && d.Before(today) || err == nil && d.Equal(today) && placedCue.MatchString(text) {
				c.days = append(c.days, dayRange{d.AddDate(0, 0, -1), d.AddDate(0, 0, 1), d})
			}
		}
	}
	c.latest = slices.ContainsFunc(latestWords, func(w string) bool { return containsWord(text, w) })
	for _, sw := range statusWords {
		if slices.ContainsFunc(sw.words, func(w string) bool { return containsWord(text, w) }) {
			c.statuses = sw.statuses
			break
		}
	}
	if len(c.days) == 0 {
		day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
		monday := day.AddDate(0, 0, -(int(day.Weekday())+6)%7)
		for _, ww := range weekWords {
			if !slices.ContainsFunc(ww.words, func(w string) bool { return containsWord(text, w) }) {
				continue
			}
			if ww.months > 0 {
				first := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -ww.months, 0)
				c.days = append(c.days, dayRange{from: first, to: first.AddDate(0, 1, -1)})
			} else {
				from := monday.AddDate(0, 0, -7*ww.weeks)
				c.days = append(c.days, dayRange{from: from, to: from.AddDate(0, 0, 6)})
			}
			break
		}
	}
	masked := text
	if addr := addressIn(text); addr != "" {
		// A new address typed out ("改寄到 成都市…100 号 3 栋") names no
		// item: its house numbers are no price, its streets no product.
		masked = strings.Replace(masked, addr, " ", 1)
	}
	for _, e := range in.Entities {
		if e.Type == "order_id" || e.Type == "tracking_number" || e.Type == "phone" || e.Type == "date" {
			masked = strings.ReplaceAll(masked, fold(e.Text), " ")
		}
	}
	for _, m := range amountRun.FindAllStringSubmatch(masked, -1) {
		c.amounts = append(c.amounts, m[1])
	}
	for _, w := range scriptFields(masked) {
		// A bare number ("only had them 2 days") names nothing: a price
		// is an amount clue, and "×2" or "set of 2" are in many names.
		if !noise[w] && strings.ContainsFunc(w, func(r rune) bool { return !unicode.IsDigit(r) }) {
			c.words = append(c.words, stem(w))
		}
	}
	return c
}

// scriptFields splits text into words: runs of letters, digits and
// hyphens, cut where Latin script meets another ("我的speaker到哪了" →
// "我的", "speaker", "到哪了").
func scriptFields(text string) []string {
	var out []string
	start, ascii := -1, false
	for i, r := range text {
		in := unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-'
		a := r < utf8.RuneSelf
		if start >= 0 && (!in || a != ascii) {
			out = append(out, text[start:i])
			start = -1
		}
		if in && start < 0 {
			start, ascii = i, a
		}
	}
	if start >= 0 {
		out = append(out, text[start:])
	}
	return out
}

// stem drops an English plural "s" ("shoes" → "shoe", "lamps" → "lamp").
func stem(w string) string {
	if len(w) > 3 && isASCII(w) && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
		return w[:len(w)-1]
	}
	return w
}

// itemWords returns the words that name item: English words of its
// display text, the head nouns of its English names (the last word of a
// name: "lamp" of "Glow Desk Lamp (white)") and the head nouns of its
// Chinese names.
func itemWords(item map[string]any) (en, heads map[string]bool, zh []string) {
	key := [2]string{asText(item["items_en"]), asText(item["items_zh"])}
	itemWordsMemo.Lock()
	w, ok := itemWordsMemo.m[key]
	itemWordsMemo.Unlock()
	if !ok {
		w.en, w.heads, w.zh = itemWordsOf(key[0], key[1])
		itemWordsMemo.Lock()
		if itemWordsMemo.m == nil || len(itemWordsMemo.m) >= itemWordsMemoSize {
			itemWordsMemo.m = map[[2]string]itemWordsResult{} // start afresh: no invalidation needed
		}
		itemWordsMemo.m[key] = w
		itemWordsMemo.Unlock()
	}
	return w.en, w.heads, w.zh
}

// itemWordsMemo remembers itemWords by the item's names, of which its
// words are a pure function: every reading of a message names the
// customer's orders against the same few lists (a tenth of an order
// turn's allocation). Callers only read the maps and the slice.
var itemWordsMemo struct {
	sync.Mutex
	m map[[2]string]itemWordsResult
}

// itemWordsMemoSize is the most items itemWordsMemo keeps.
const itemWordsMemoSize = 1024

type itemWordsResult struct {
	en, heads map[string]bool
	zh        []string
}

// itemWordsOf is itemWords of the names itemsEN and itemsZH, without the
// memo.
func itemWordsOf(itemsEN, itemsZH string) (en, heads map[string]bool, zh []string) {
	en, heads = map[string]bool{}, map[string]bool{}
	text := strings.ToLower(itemsEN)
	split := func(s string) []string {
		return strings.FieldsFunc(s, func(r rune) bool { return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-') })
	}
	for _, w := range split(text) {
		if !noise[w] && isASCII(w) {
			en[stem(w)] = true
		}
	}
	for _, name := range strings.Split(text, ";") {
		name, _, _ = strings.Cut(name, "(")
		name, _, _ = strings.Cut(name, "×")
		ws := split(name)
		for i := len(ws) - 1; i >= 0; i-- {
			if w := ws[i]; !noise[w] && isASCII(w) && !strings.ContainsFunc(w, unicode.IsDigit) {
				heads[stem(w)] = true
				break
			}
		}
	}
	for _, name := range strings.FieldsFunc(itemsZH, func(r rune) bool { return r == '；' || r == ';' || r == '(' || r == '（' }) {
		// The name's runs of Chinese characters: those of two or more
		// ("USB-C 转 Lightning 数据线": 数据线; "迷你电饭煲2升": 迷你电饭煲),
		// else the first.
		var runs [][]rune
		var han []rune
		for _, r := range name + " " {
			if unicode.Is(unicode.Han, r) {
				han = append(han, r)
				continue
			}
			if len(han) > 0 {
				runs = append(runs, han)
				han = nil
			}
		}
		long := slices.DeleteFunc(slices.Clone(runs), func(h []rune) bool { return len(h) < 2 })
		if len(long) == 0 && len(runs) > 0 {
			long = runs[:1]
		}
		for _, han := range long {
			for k := 1; k <= 2 && k <= len(han); k++ {
				zh = append(zh, string(han[len(han)-k:]))
			}
			if len(han) > 2 {
				zh = append(zh, string(han))
			}
		}
	}
	return en, heads, zh
}

// name reports how well the message's names fit item: words is how well
// a word clue matched (0: none; the longest Chinese name part, or the
// number of English words), and strong whether what matched says what
// the item is: a product entity of the item's ("earbuds" names another
// model than the customer's SoundPods ANC Earbuds, whose name has the
// word), the head noun of its English name ("lamp", not "white" or
// "desk"), or two characters of its Chinese one ("耳机", not "机"), or one
// with the noun suffix 子 ("鞋子" names the 训练鞋).
func (c clues) name(item map[string]any) (words int, strong bool) {
	if len(c.skus) > 0 {
		have := strings.Fields(asText(item["skus"]))
		strong = slices.ContainsFunc(c.skus, func(s string) bool { return slices.Contains(have, s) })
	}
	en, heads, zh := itemWords(item)
	for _, w := range c.words {
		if isASCII(w) {
			if en[w] || len(w) >= 4 && hasSuffixWord(en, w) || typoOf(w, en) {
				words++
			}
			if heads[w] || len(w) >= 4 && hasSuffixWord(heads, w) || typoOf(w, heads) {
				strong = true
			}
			continue
		}
		for _, h := range zh {
			n := utf8.RuneCountInString(h)
			if !strings.Contains(w, h) {
				continue
			}
			words = max(words, n)
			strong = strong || n >= 2 || counted(w, h) || strings.Contains(w, h+"子")
		}
	}
	return words, strong
}

// minTypo is the shortest word read as a misspelt name ("curtians",
// "keybaord", "speakr"): shorter words are too close to other words.
const minTypo = 5

// typoOf reports whether w, a word the item's words do not have, is one
// of them misspelt: two neighbouring letters swapped, or one letter
// missing or doubled (edit distance 1 without a substitution, so
// "charged" is not a misspelt "charger" nor "shipped" "slipper").
func typoOf(w string, words map[string]bool) bool {
	if len(w) < minTypo || words[w] {
		return false
	}
	for iw := range words {
		if len(iw) >= minTypo && isASCII(iw) && slipOf(w, iw) {
			return true
		}
	}
	return false
}

// slipOf reports whether a is b with two neighbouring letters swapped,
// or one letter left out or added.
func slipOf(a, b string) bool {
	switch len(a) - len(b) {
	case 0:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	case 1:
		a, b = b, a
		fallthrough
	case -1:
		// a is b with one letter left out.
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		return a[i:] == b[i+1:]
	}
	return false
}

// classifiers after 那/这/哪 count the thing a character a few
// characters on names ("那双鞋", "这件衣服", "那双灰色的运动鞋"), unlike the
// same character inside a word ("手机号").
const (
	demonstratives = "那这哪"
	classifiers    = "双件台副条只把顶套块张个瓶盏部"
	classifierSpan = 6 // characters from the classifier to the thing
)

// counted reports whether the one character h follows a demonstrative
// and a classifier in w, at most classifierSpan characters before it.
func counted(w, h string) bool {
	rs, hr := []rune(w), []rune(h)[0]
	for i, r := range rs {
		if r != hr {
			continue
		}
		for j := i - 1; j >= 1 && j >= i-classifierSpan; j-- {
			if strings.ContainsRune(classifiers, rs[j]) && strings.ContainsRune(demonstratives, rs[j-1]) {
				return true
			}
		}
	}
	return false
}

// hasSuffixWord reports whether a word of en is a compound ending with w
// ("watch" in "smartwatch", "bud" in "earbud"): what comes before w is a
// word's worth (minCompound letters), so "over" is no "cover" ("handed it
// over") and "ink" no "sink".
func hasSuffixWord(en map[string]bool, w string) bool {
	for iw := range en {
		if len(iw) >= len(w)+minCompound && strings.HasSuffix(iw, w) {
			return true
		}
	}
	return false
}

// minCompound is the shortest first part of a compound name whose last
// part a customer may say alone.
const minCompound = 3

// fits reports whether item fits the message's status, day and amount
// clues.
func (c clues) fits(item map[string]any) bool {
	if len(c.statuses) > 0 && !slices.Contains(c.statuses, asText(item["status"])) {
		return false
	}
	if len(c.days) > 0 {
		in := func(key string) bool {
			d, err := time.Parse(time.DateOnly, asText(item[key]))
			return err == nil && slices.ContainsFunc(c.days, func(r dayRange) bool { return !d.Before(r.from) && !d.After(r.to) })
		}
		if !in("created_at") && !in("delivered_at") {
			return false
		}
	}
	if len(c.amounts) > 0 {
		total, _, _ := strings.Cut(asText(item["total"]), ".")
		if !slices.Contains(c.amounts, total) {
			return false
		}
	}
	return true
}

// onDay keeps, of meant, the items whose date is the very day the
// message named, when some but not all of them are ("what i ordered
// yesterday" is not the order of the day before, which a day either way
// lets in).
func (c clues) onDay(meant []int, items []map[string]any) []int {
	var exact []int
	for _, i := range meant {
		for _, key := range []string{"created_at", "delivered_at"} {
			d, err := time.Parse(time.DateOnly, asText(items[i][key]))
			if err == nil && slices.ContainsFunc(c.days, func(r dayRange) bool { return !r.day.IsZero() && d.Equal(r.day) }) {
				exact = append(exact, i)
				break
			}
		}
	}
	if len(exact) == 0 {
		return meant
	}
	return exact
}

// refer returns the indexes of the items in (a list's items) that the
// message means, and whether it named any at all. What the item is
// called names it first: the items sharing the most words with the
// message, else those of a product entity; a product entity no item has
// names none. The status, day and amount clues then narrow those, unless
// none would be left ("did my soundpods get delivered?" asks about the
// earbuds whatever their state; "the 59 yuan slippers" are the slippers
// of a bigger order). Without a name, those clues must all hold.
func refer(in Input, items []map[string]any, now time.Time) (meant []int, named bool) {
	if rest, not, ok := negated(in); ok {
		// "不是手表 另一个", "not the watch, the other one": the item
		// named after the negation is the one not meant; what the rest
		// says picks among the others, or all of them are (one left is
		// the one).
		out, _, byName := referBy(not, items, now)
		if byName && len(out) > 0 && len(out) < len(items) {
			var others []int
			var kept []map[string]any
			for i, it := range items {
				if !slices.Contains(out, i) {
					others, kept = append(others, i), append(kept, it)
				}
			}
			if m, _, _ := referBy(rest, kept, now); len(m) > 0 {
				meant = nil
				for _, j := range m {
					meant = append(meant, others[j])
				}
				return meant, true
			}
			return others, true
		}
	}
	meant, named, _ = referBy(in, items, now)
	return meant, named
}

// notItem finds a negated reference: "不是" (not "是不是", a question) or
// "not the/my/that" followed by what names the item.
var notItem = nlutext.MustPattern(`(?i)不是(那个|这个|那件|那双|那单)?([^，。,.!?！？\s]{1,10})|\bnot (?:the|my|that|this) ([a-z]+(?: [a-z]+)?)`)

// negated splits in into the reference the customer negates and the
// rest; ok is false when it negates none.
func negated(in Input) (rest, not Input, ok bool) {
	if !strings.Contains(in.Text, "不是") && !strings.Contains(strings.ToLower(in.Text), "not ") {
		return in, in, false // most messages: no regexp run
	}
	loc := notItem.FindStringSubmatchIndex(in.Text)
	if loc == nil || loc[0] > 0 && strings.HasSuffix(in.Text[:loc[0]], "是") {
		return in, in, false
	}
	start, end := loc[4], loc[5]
	if start < 0 {
		start, end = loc[6], loc[7]
	}
	not, rest = in, in
	not.Text = in.Text[start:end]
	rest.Text = in.Text[:loc[0]] + " " + in.Text[loc[1]:]
	not.Entities, rest.Entities = nil, nil
	for _, e := range in.Entities {
		if strings.Contains(not.Text, e.Text) {
			not.Entities = append(not.Entities, e)
		} else {
			rest.Entities = append(rest.Entities, e)
		}
	}
	return rest, not, true
}

// referBy is refer, and whether the items meant were named by what they
// are (rather than by state, day or price alone).
func referBy(in Input, items []map[string]any, now time.Time) (meant []int, named, byName bool) {
	c := readClues(in, now)
	var worded, skued []int
	best := 0
	strong := map[int]bool{}
	for i, it := range items {
		w, s := c.name(it)
		switch {
		case w > best:
			best, worded = w, []int{i}
		case w > 0 && w == best:
			worded = append(worded, i)
		}
		strong[i] = s
		if s && w == 0 {
			skued = append(skued, i) // a product entity alone
		}
	}
	names := worded
	if len(names) == 0 {
		names = skued
	}
	if len(names) > 0 {
		var narrow []int
		for _, i := range names {
			if c.fits(items[i]) {
				narrow = append(narrow, i)
			}
		}
		if len(narrow) == 0 {
			narrow = names
		}
		meant = c.newest(c.onDay(narrow, items), items)
		return meant, true, !slices.ContainsFunc(meant, func(i int) bool { return !strong[i] })
	}
	if len(c.skus) > 0 {
		return nil, true, false // a product none of the items is
	}
	if !c.specific() {
		return nil, false, false
	}
	for i, it := range items {
		if c.fits(it) {
			meant = append(meant, i)
		}
	}
	if len(meant) == 0 && len(c.statuses) > 0 && (len(c.days) > 0 || len(c.amounts) > 0 || c.latest) {
		// "the order i placed yesterday, has it shipped?": the state is
		// asked about; the day or price says which.
		c.statuses = nil
		for i, it := range items {
			if c.fits(it) {
				meant = append(meant, i)
			}
		}
	}
	// The newest is as good as a name: there is one; so is the price
	// paid ("the 799 thing"), which all of them cost.
	return c.newest(c.onDay(meant, items), items), true, (c.latest || len(c.amounts) > 0) && len(meant) > 0
}

// newest keeps, when the message asks for the newest, the one of meant
// created last (the first of a list newest first, on a tie).
func (c clues) newest(meant []int, items []map[string]any) []int {
	if !c.latest || len(meant) < 2 {
		return meant
	}
	best := meant[0]
	for _, i := range meant[1:] {
		if asText(items[i]["created_at"]) > asText(items[best]["created_at"]) {
			best = i
		}
	}
	return []int{best}
}

// resolve reads the message in for the item the ask step st would offer:
// one item meant is the slot's value (ok); several narrow the offer to
// them; an item named that the list does not have sets Run.NoMatch, so
// the offer says so first, and is never replaced by another item.
func (e *Engine) resolve(st *Step, run *Run, in Input, lang string) (value, desc string, ok bool) {
	run.Narrow, run.NoMatch = nil, false
	all := st.Offer.all(run.Result)
	if len(all) == 0 {
		return "", "", false
	}
	// A value given for a text slot (the new address) names no item.
	if f, ok := e.flows[run.Flow]; ok {
		for n, v := range run.Slots {
			if sl := f.Slots[n]; sl != nil && sl.Type == "text" && v != "" {
				in.Text = strings.Replace(in.Text, v, " ", 1)
			}
		}
	}
	meant, named := refer(in, all, e.now())
	meant = served(st.Offer, all, meant)
	switch {
	case len(meant) == 1:
		it := all[meant[0]]
		desc := asText(it["items_"+lang])
		if desc == "" {
			desc = asText(it["items"])
		}
		return asText(it[st.Offer.Value]), desc, true
	case len(meant) > 1:
		for _, i := range meant {
			run.Narrow = append(run.Narrow, asText(all[i][st.Offer.Value]))
		}
	case named:
		run.NoMatch = true
	}
	return "", "", false
}

func (e *Engine) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// referTo returns the value of the item an answer to an offer names: the
// one offered item it fits, else the one item of the whole list.
func referTo(f *Flow, run *Run, in Input, now time.Time) (string, bool) {
	st, ok := f.Step(run.Step)
	if !ok || st.Offer == nil {
		return "", false
	}
	for _, items := range [][]map[string]any{offered(st, run), st.Offer.all(run.Result)} {
		if meant, _ := refer(in, items, now); len(meant) == 1 {
			return asText(items[meant[0]][st.Offer.Value]), true
		}
	}
	return "", false
}

// served keeps, of several items meant, those the offer serves (its
// Where: a refund is looked up for a cancelled or returned order, not an
// unpaid one): "之前那个枕头的退款" names a pillow in an unpaid order and
// in a cancelled one, and only the cancelled one has a refund. When none
// or one is meant, or none of them is served, meant is kept as it is (the
// flow then says what applies to the one named).
func served(o *Offer, all []map[string]any, meant []int) []int {
	if len(meant) < 2 || len(o.Where) == 0 {
		return meant
	}
	var out []int
	for _, i := range meant {
		if matches(all[i], o.Where) {
			out = append(out, i)
		}
	}
	if len(out) == 0 {
		return meant
	}
	return out
}
