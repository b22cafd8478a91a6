package flow

import (
	"fmt"
	nlutext "github.com/assistd/assist/nlu/text"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// reading is what one customer message says to a flow in progress.
type reading struct {
	fill      map[string]string // slot → new value ("" for a skipped optional slot)
	clear     []string          // filled slots to empty and ask again
	changed   []string          // filled slots the message corrects (replaced or cleared)
	corrected bool              // the message corrects a filled slot
	answered  bool              // the awaited slot got a value (or was skipped)
	declined  bool              // the customer turned down what the awaited ask step offered
	yes, no   bool              // the answer to an awaited confirm
	confirm   string            // the single offered item the customer said yes to
	ownWords  bool              // the awaited choice took the message as its otherwise option
}

// apply writes r into run. Filling one of two partner slots (Slot.Or)
// empties the other.
func (r *reading) apply(f *Flow, run *Run) {
	if run.Slots == nil {
		run.Slots = map[string]string{}
	}
	for _, n := range r.clear {
		delete(run.Slots, n)
	}
	for _, n := range f.order {
		v, ok := r.fill[n]
		if !ok {
			continue
		}
		run.Slots[n] = v
		if p := f.partner(n); p != "" {
			if _, both := r.fill[p]; !both {
				delete(run.Slots, p)
			}
		}
	}
	run.confirmed = r.confirm
}

// read interprets in against run (run.Awaiting "" reads the message that
// starts the flow).
func read(f *Flow, run *Run, in Input, now time.Time) reading {
	r := reading{fill: map[string]string{}}
	text := fold(in.Text)
	awaited := f.Slots[run.Awaiting]
	isAwaited := func(n string) bool {
		return awaited != nil && (n == awaited.Name || n == awaited.Or)
	}
	filled := func(n string) bool { _, ok := run.Slots[n]; return ok }
	change := func(n, v string) {
		r.fill[n] = v
		r.changed = append(r.changed, n)
		r.corrected = true
	}
	question := isQuestion(text)
	cue := hasCue(text)

	// Entities: values for open slots, corrections of filled ones.
	for _, n := range f.order {
		s := f.Slots[n]
		if !slices.Contains(entityTypes, s.Type) {
			continue
		}
		v := entityValue(in, s.Type)
		if s.Type == "product" {
			v = products(in)
			if v == "" && isAwaited(n) && s.saysAll(text) {
				v = AllItems // "both", "都退"
			}
		}
		switch {
		case v == "":
		case s.Type == "product" && !isAwaited(n) && run.Awaiting != "" && run.Awaiting != "order_id" && !(filled(n) && !cue && run.Slots[n] != AllItems && addsItem.MatchString(text) && orderHolds(in, run.Slots["order_id"], v)):
			// a product named while something else than the order is
			// asked is another order's, or said in passing: only one more
			// of the same order, said with "too", is added (at the order's
			// question, "哪个都行 先退手机壳吧" names the item of the order
			// chosen)
		case s.Type == "product" && filled(n) && !cue && run.Slots[n] != AllItems && addsItem.MatchString(text):
			// "the phone case from that order too", "手机壳也退了吧":
			// the items named before and this one
			if w := joinProducts(run.Slots[n], v); w != run.Slots[n] {
				change(n, w)
			}
		case s.Type == "product" && filled(n) && !cue:
			// a product named again in passing ("the sweater is
			// itchy") changes no choice of items
		case filled(n) && run.Slots[n] != v:
			change(n, v)
		case filled(n):
		case isAwaited(n):
			r.fill[n] = v
			r.answered = true
		case s.early():
			if p := f.partner(n); p != "" && run.Slots[p] != "" {
				if _, also := r.fill[p]; !also {
					change(n, v) // a tracking number instead of the order id given before
					continue
				}
			}
			r.fill[n] = v
		}
	}
	// Choice slots named in the text.
	for _, n := range f.order {
		s := f.Slots[n]
		if s.Type != "choice" {
			continue
		}
		v, ok := s.choose(text)
		switch {
		case !ok:
		case filled(n) && run.Slots[n] != v && cue:
			change(n, v)
		case filled(n):
		case isAwaited(n) && s.Optional && !s.named(text) && !answersShortly(s, text):
			// "我铂金 不用我出运费吧" while asked for photos: a "不用" in
			// a question of its own is no answer to this one.
		case isAwaited(n):
			r.fill[n] = v
			r.answered = true
		case !question && s.early():
			r.fill[n] = v
		case !question && s.named(text):
			// A slot kept from stray answers ("有", "no") still takes one
			// given with its name ("照片没拍", "no photos yet"), in the
			// clause that names it: "ok. … not like the pics" says no
			// yes to photos.
			if w, ok := s.chooseNamed(text); ok {
				r.fill[n] = w
			}
		default:
			// A question may still say it in a clause of its own ("地毯还
			//能退吗 颜色跟家里不搭", "can I return it? the zip broke").
			st := stated(text)
			if w, ok := s.choose(st); ok && (s.early() || s.named(st)) {
				r.fill[n] = w
			}
		}
	}
	if r.corrected {
		return r
	}
	// Text slots given before they are asked ("改地址，改成上海市…",
	// "change the address to 88 Nanjing Road").
	for _, n := range f.order {
		s := f.Slots[n]
		if s.Type != "text" || isAwaited(n) {
			continue
		}
		v := s.givenIn(in.Text)
		if v == "" && s.Shape == ShapeAddress {
			// An address typed out before it is asked ("send it to my
			// office: 杭州市滨江区…"), or a new one instead of the one
			// about to be confirmed.
			v = addressIn(in.Text)
		}
		switch {
		case v == "" || !s.acceptsText(f, v, Input{}):
		case !filled(n):
			r.fill[n] = v
		case run.Slots[n] != v && (s.Shape == ShapeAddress || cue):
			change(n, v)
			return r
		}
	}
	// An ask step offering values: a pick, yes to a single offer, or no.
	if awaited != nil && !r.answered && run.Awaiting == awaited.Name {
		if vals := offerValues(f, run); len(vals) > 0 {
			v, ok := pick(text, vals)
			if !ok {
				// Words naming an item ("the black one", "鞋子那个"):
				// one offered item, else one of the whole list.
				v, ok = referTo(f, run, in, now)
			}
			switch {
			case ok:
				r.fill[awaited.Name] = v
				r.answered = true
				if len(vals) == 1 {
					r.confirm = v // yes to the one item offered
				}
			case declines(text):
				r.declined = true
			}
			if r.answered || r.declined {
				return r
			}
		}
	}
	// A correction cue naming a filled slot: empty it and ask again.
	if cue && !r.answered {
		for _, n := range slices.Backward(f.order) {
			if filled(n) && f.Slots[n].named(text) {
				r.clear = append(r.clear, n)
				r.changed = append(r.changed, n)
				r.corrected = true
				return r
			}
		}
	}
	switch {
	case run.Awaiting == AwaitConfirm:
		text = unslotted(f, text)
		r.no = isNo(text) && !(question && pausesToAsk(text))
		// "对 改成南京路2号": a yes with a correction is no yes to the
		// value it corrects.
		r.yes = !r.no && !question && isYes(text) && !cueCorrects(f, text)
		if st, ok := f.Step(run.Step); ok && !r.yes && !r.no && !question {
			r.yes = saysWord(text, foldAll(st.YesWords.ZH), foldAll(st.YesWords.EN))
		}
		return r
	case awaited == nil || r.answered:
		return r
	}
	switch {
	case awaited.Type == "text":
		t := strings.TrimSpace(in.Text)
		if awaited.Shape == ShapeAddress {
			t = trimToMarker(t) // "改成 上海市…": the address, not the words before it
		}
		if awaited.acceptsText(f, t, in) && len(r.fill) == 0 {
			r.fill[awaited.Name] = t
			r.answered = true
			return r
		}
	}
	if awaited.Optional && (skipsIn(text) && (awaited.named(text) || answersShortly(awaited, text)) || Bare(in.Text) && saysWord(text, proceedZH, proceedEN)) {
		// "没有", "skip", or "确认吧": go on without it.
		r.fill[awaited.Name] = ""
		r.answered = true
		return r
	}
	if awaited.Otherwise != "" && len(r.fill) == 0 && describes(text, f, in) {
		// The customer's own words for what no option names ("it just
		// isn't for me"): the option that stands for them.
		r.fill[awaited.Name] = awaited.Otherwise
		r.answered, r.ownWords = true, true
		return r
	}
	// "不对" alone while a slot is asked: the last value given before it
	// was wrong.
	if cue && len(r.fill) == 0 {
		cur := f.index[run.Step]
		for _, n := range slices.Backward(f.order) {
			if filled(n) && f.asked[n] < cur {
				r.clear = append(r.clear, n)
				r.changed = append(r.changed, n)
				r.corrected = true
				break
			}
		}
	}
	return r
}

// valueMarkers introduce a text slot's value after its name ("地址改成
// …", "address to …", "地址：…").
var valueMarkers = []string{"改成", "改为", "换成", "改到", "寄到", "送到", "是", "：", ":", " to ", " is "}

// addressLeads open an address typed at its question ("改成 上海市…",
// "change it to 88 Nanjing Road").
var addressLeads = []string{"改成", "改为", "换成", "改到", "寄到", "送到", "新地址是", "新地址：", "新地址:", "地址是", "地址改成", "地址改为",
	"change it to ", "change to ", "send it to ", "ship it to ", "deliver it to ", "the new address is ", "new address: ", "new address is "}

// trimToMarker is t without a lead that only introduces the value
// (addressLeads), when something is left after it.
func trimToMarker(t string) string {
	low := strings.ToLower(t)
	for _, w := range addressLeads {
		if strings.HasPrefix(low, w) {
			if rest := strings.TrimLeft(strings.TrimSpace(t[len(w):]), "：: ,，"); rest != "" {
				return rest
			}
		}
	}
	return t
}

// givenIn returns the value text gives text slot s after naming it and a
// value marker ("我要改收货地址，改成上海市浦东新区世纪大道100号" →
// "上海市浦东新区世纪大道100号"), or "".
func (s *Slot) givenIn(text string) string {
	low := strings.ToLower(text)
	for _, w := range s.aliases {
		i := strings.Index(low, w)
		if i < 0 {
			continue
		}
		rest := low[i+len(w):]
		best := -1
		for _, m := range valueMarkers {
			if j := strings.Index(rest, m); j >= 0 && (best < 0 || j < best) {
				best = j + len(m)
			}
		}
		if best < 0 {
			continue
		}
		start := len(text) - len(rest) + best
		v := strings.TrimFunc(text[start:], func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
		if v != "" {
			return v
		}
	}
	return ""
}

// describes reports whether text, answering a choice slot's question
// without naming an option, is an answer in the customer's own words: a
// few words at least, not a question, not yes or no, not another request
// the model is sure of.
func describes(text string, f *Flow, in Input) bool {
	t := trimPunct(text)
	if isASCII(t) && len(strings.Fields(t)) < 2 || !isASCII(t) && utf8.RuneCountInString(t) < 2 {
		return false
	}
	if isQuestion(text) || isNo(text) || isYes(text) {
		return false
	}
	l := in.Intent.Label
	return l == "" || l == "out_of_scope" || in.Intent.Confidence < requestConfidence || slices.Contains(f.Intents, l)
}

// requestConfidence is the intent confidence above which a message for a
// text slot counts as another request rather than the answer.
const requestConfidence = 0.8

// acceptsText reports whether t can be the value of text slot s.
func (s *Slot) acceptsText(f *Flow, t string, in Input) bool {
	n := utf8.RuneCountInString(t)
	if n < s.Min || n > s.Max {
		return false
	}
	text := fold(t)
	if isQuestion(text) || (n <= 8 && isNo(text)) {
		return false
	}
	l := in.Intent.Label
	if l != "" && l != "out_of_scope" && in.Intent.Confidence >= requestConfidence && !slices.Contains(f.Intents, l) {
		return false
	}
	return true
}

// products returns the codes of the products in, space-separated, each
// once.
func products(in Input) string {
	var out []string
	for _, e := range in.Entities {
		if e.Type == "product" && e.Value != "" && !slices.Contains(out, e.Value) {
			out = append(out, e.Value)
		}
	}
	return strings.Join(out, " ")
}

// addsItem says a product named is one more ("the case too", "手机壳也退").
var addsItem = nlutext.MustPattern(`\b(too|also|as well|plus)\b|也|还有|一起|一并|顺便`)

// orderHolds reports whether the customer's orders listed this turn
// (Input.Listed) show order id holding every product of skus.
func orderHolds(in Input, id, skus string) bool {
	if in.Listed == nil || id == "" {
		return false
	}
	orders, _ := in.Listed.Data["orders"].([]any)
	for _, o := range orders {
		if m, ok := o.(map[string]any); ok && fmt.Sprint(m["order_id"]) == id {
			have := strings.Fields(fmt.Sprint(m["skus"]))
			for _, p := range strings.Fields(skus) {
				if !slices.Contains(have, p) {
					return false
				}
			}
			return true
		}
	}
	return false
}

// joinProducts is the products of a and b (codes, space-separated), each
// once.
func joinProducts(a, b string) string {
	out := strings.Fields(a)
	for _, p := range strings.Fields(b) {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}

// saysAll reports whether text names every item (Slot.All): "both",
// "all of them", "都退".
func (s *Slot) saysAll(text string) bool {
	return slices.ContainsFunc(s.all, func(w string) bool { return containsWord(text, w) })
}

func entityValue(in Input, typ string) string {
	for _, e := range in.Entities {
		if e.Type == typ && e.Value != "" {
			return e.Value
		}
	}
	return ""
}

// choose returns the option text names: the one with the longest matching
// word not denied ("没质量问题" names no quality problem); none when two
// options tie.
func (s *Slot) choose(text string) (string, bool) {
	best, bestLen, tie := "", 0, false
	for _, o := range s.Options {
		l := 0
		for _, w := range o.words {
			if affirms(text, w) {
				l = max(l, len(w))
			}
		}
		switch {
		case l == 0:
		case l > bestLen:
			best, bestLen, tie = o.Value, l, false
		case l == bestLen && o.Value != best:
			tie = true
		}
	}
	return best, bestLen > 0 && !tie
}

// chooseNamed is the option named in the first clause of text that
// names the slot (choose, within that clause).
func (s *Slot) chooseNamed(text string) (string, bool) {
	for _, p := range clauseBreak.Split(text, -1) {
		if s.named(p) {
			if v, ok := s.choose(p); ok {
				return v, true
			}
		}
	}
	return "", false
}

// named reports whether text mentions the slot by one of its aliases.
func (s *Slot) named(text string) bool {
	for _, w := range s.aliases {
		if containsWord(text, w) {
			return true
		}
	}
	return false
}

// fold lower-cases text and narrows full-width forms ("，" → ",", "？" →
// "?", "ＤＤ" → "dd"), trimming spaces; English contractions typed
// without their apostrophe, or with a curly one, get a straight one
// ("doesnt", "won’t" → "doesn't", "won't").
func fold(s string) string {
	s = strings.TrimSpace(strings.ToLower(width.Fold.String(s)))
	s = strings.ReplaceAll(s, "’", "'")
	return apostrophe.ReplaceAllString(s, "$1$3'$2$4")
}

// apostrophe finds contractions written without their apostrophe.
var apostrophe = nlutext.MustPattern(`\b(?:(doesn|don|won|can|isn|didn|wasn|aren|haven|hasn|couldn|wouldn|shouldn)(t)|(that|it|what)(s))\b`)

// containsWord reports whether w occurs in text; an ASCII w must stand as
// whole words ("no" is not in "know").
func containsWord(text, w string) bool {
	return wordAt(text, w, func(int) bool { return true })
}

// wordAt reports whether w occurs in text (as containsWord) at a start
// offset that ok accepts.
func wordAt(text, w string, ok func(start int) bool) bool {
	if w == "" {
		return false
	}
	for i := 0; ; {
		j := strings.Index(text[i:], w)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(w)
		before, _ := utf8.DecodeLastRuneInString(text[:start])
		after, _ := utf8.DecodeRuneInString(text[end:])
		whole := !isASCII(w) || (start == 0 || !isWordRune(before)) && (end == len(text) || !isWordRune(after))
		if whole && ok(start) {
			return true
		}
		i = start + 1
	}
}

// negatedBefore matches the end of the words before an option's word when
// they deny it ("没质量问题", "没什么毛病", "不是尺码的问题", "it's not
// broken", "no defects"); "是不是质量问题" asks, it does not deny.
var negatedBefore = nlutext.MustPattern(`(?:没有?|无|不是|并非|并不是|不算|不存在)(?:什么|啥|任何|太大的?|多大的?)?$|\b(?:not|no|isn't|aren't|wasn't|nothing|never|without)\s+(?:a\s+|any\s+|really\s+)?$`)

// affirms reports whether text says w, somewhere not denied: a negated
// option word ("没质量问题 就是戴着不舒服") names no reason.
func affirms(text, w string) bool {
	return wordAt(text, w, func(start int) bool {
		before := text[:start]
		return !negatedBefore.MatchString(before) || strings.HasSuffix(before, "是不是")
	})
}

func isWordRune(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'')
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// trimPunct removes punctuation and spaces around text.
func trimPunct(text string) string {
	return strings.TrimFunc(text, func(r rune) bool {
		return unicode.IsPunct(r) || unicode.IsSpace(r) || unicode.IsSymbol(r)
	})
}

var (
	// yesZH and yesEN say yes, agree or ask the bot to go ahead: the one
	// list of yes words (confirmations, offers, the bot's own yes/no
	// questions outside a flow).
	yesZH = []string{"是", "对", "好", "确认", "确定", "可以", "嗯", "行", "要的", "要啊", "需要", "没问题", "没错", "当然", "麻烦了", "ok",
		"提交", "同意", "就这样", "就这个", "办吧", "弄吧", "改吧", "恩"}
	// ("great", "perfect" acknowledge an answer; they do not agree to a
	// question, so they are not here.)
	yesEN = []string{"yes", "yeah", "yea", "yep", "yup", "ya", "sure", "ok", "okay", "k", "alright", "all right",
		"confirm", "confirmed", "correct", "right", "exactly", "please", "go ahead", "go for it", "do it", "proceed",
		"submit", "that's right", "that's it", "that's the one", "sounds good", "absolutely", "definitely", "of course"}
	// proceedZH and proceedEN are the yes words that ask the bot to go on
	// ("确认吧", "submit"): to an optional question they skip it.
	proceedZH = []string{"确认", "提交", "确定", "就这样", "办吧"}
	proceedEN = []string{"confirm", "submit", "go ahead", "proceed"}
	// yesShortZH say yes only as a short answer ("要" to "需要吗？"), not
	// at the start of a longer message ("要等收到货才退是吧").
	yesShortZH = []string{"要"}
	// yesNotNo begin with a no word but say yes ("没问题", "不错").
	yesNotNo = []string{"没问题", "没错", "不错"}
	noZH     = []string{"不", "别", "否", "没", "算了"}
	noInZH   = []string{"不用", "不要", "算了", "不需要", "不行", "不是", "不对", "先不", "不了"}
	noEN     = []string{"no", "nope", "nah", "don't", "do not", "not now", "never mind", "nevermind", "not really", "wait", "stop"}
	skipZH   = []string{"没有", "跳过", "不用", "不需要", "无", "没", "不拍", "不传", "不上传"} // "不拍照了", "不传图"
	skipEN   = []string{"skip", "no", "none", "nope", "no photos", "not now", "don't have"}
	// "那按质量问题退吧", "就当作发错货吧", "treat it as a quality problem":
	// the reason given before is not the one to go by.
	cueZH = append([]string{"不对", "不是", "错了", "搞错", "弄错", "另一个", "另外一个", "那按", "就按", "改按", "按照", "当作", "当成", "算作", "算成", "改为"}, cueToZH...)
	// cueToZH are the cue words that go on to what it should be ("改成
	// 南京路2号"): what follows says whether a value is corrected (Corrects).
	cueToZH = []string{"换成", "改成", "应该是"}
	cueEN   = []string{"no,", "actually", "i meant", "i mean", "wrong", "the other", "not that", "instead", "mistake", "treat it as", "count it as", "put it down as", "change the reason"}
	whyZH   = []string{"怎么", "为什么", "什么", "多少", "哪", "几天", "如何", "能不能", "可不可以", "是否", "有没有", "吗", "行不行", "好不好", "是不是", "对不对", "要不要"}
	whyEN   = []string{"what", "how", "why", "when", "where", "who", "which", "can", "could", "do", "does", "did", "is", "are", "will", "would", "should"}
	endQZH  = []string{"吗", "呢", "么", "嘛", "是吧", "对吧"}
	shortYN = 8 // runes: a yes or no word anywhere in a message this short counts
)

// isQuestion reports whether text asks something.
func isQuestion(text string) bool {
	if strings.Contains(text, "?") {
		return true
	}
	t := trimPunct(text)
	for _, e := range endQZH {
		if strings.HasSuffix(t, e) {
			return true
		}
	}
	for _, w := range whyZH {
		if strings.HasPrefix(t, w) || (utf8.RuneCountInString(t) > 4 && strings.Contains(t, w) && w != "吗" && w != "哪") {
			return true
		}
	}
	if first, _, _ := strings.Cut(t, " "); slices.Contains(whyEN, first) {
		return true
	}
	// "wait does that cancel the cardigan too", "hmm hold on, will I get
	// the money back": a pause before the question opens it.
	if rest := afterPause(t); rest != "" {
		first, _, _ := strings.Cut(rest, " ")
		return slices.Contains(whyEN, first)
	}
	return false
}

// afterPause returns what follows a pause the text opens with (after any
// filler: "hmm wait, …"), or "".
func afterPause(t string) string {
	t = stripOpeners(t)
	for _, p := range pauses {
		if rest, ok := strings.CutPrefix(t, p); ok && rest != "" && !unicode.IsLetter([]rune(rest)[0]) {
			return strings.TrimLeftFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
		}
	}
	return ""
}

// isYes reports whether text says yes: it begins with a yes word, or is
// short and has one.
func isYes(text string) bool {
	return saysWord(text, yesZH, yesEN) || utf8.RuneCountInString(trimPunct(text)) <= 3 && saysWord(text, yesShortZH, nil)
}

// isNo reports whether text says no.
func isNo(text string) bool {
	t := trimPunct(text)
	for _, q := range aNotA {
		t = strings.ReplaceAll(t, q, " ") // "快点行不行" asks, it does not say 不行
	}
	for _, w := range yesNotNo {
		if strings.HasPrefix(t, w) {
			return false
		}
	}
	for _, w := range noZH {
		if strings.HasPrefix(t, w) {
			return true
		}
	}
	for _, w := range noInZH {
		if strings.Contains(t, w) {
			return true
		}
	}
	if saysWord(text, nil, noEN) {
		return true
	}
	if rest, ok := afterAck(t); ok {
		return isNo(rest) // "ok never mind, ill keep them": the ok takes in the answer, the rest says no
	}
	return false
}

// noProblem begin with a no word and agree.
var noProblem = []string{"no problem", "no worries", "no prob", "not a problem"}

// afterAck returns what follows the acknowledgements opening t ("ok
// never mind", "alright, no thanks": Ack, opening.go), when something
// does and it is not "no problem".
func afterAck(t string) (string, bool) {
	t = stripOpeners(strings.ToLower(t))
	rest := StripOpening(t, Ack|Filler)
	if rest == t || rest == "" {
		return "", false
	}
	for _, p := range noProblem {
		if strings.HasPrefix(rest, p) {
			return "", false
		}
	}
	return rest, true
}

func isSkip(text string) bool {
	return isNo(text) || saysWord(text, skipZH, skipEN)
}

// skipsIn reports whether text, or one of its clauses, is a skip ("就是
// 不喜欢 不拍照了 提交吧": the reason again, the photos turned down, a
// go-ahead).
func skipsIn(text string) bool {
	if isSkip(text) {
		return true
	}
	return slices.ContainsFunc(clauseBreak.Split(hanSpace.ReplaceAllString(text, "$1.$2"), -1), func(c string) bool {
		c = strings.TrimSpace(c)
		return c != "" && c != text && isSkip(c)
	})
}

func saysWord(text string, zh, en []string) bool {
	t := stripOpeners(trimPunct(text))
	short := utf8.RuneCountInString(t) <= shortYN || len(strings.Fields(t)) <= 3 && isASCII(t)
	for _, w := range zh {
		if strings.HasPrefix(t, w) || (short && strings.Contains(t, w)) {
			return true
		}
	}
	for _, w := range en {
		if strings.HasPrefix(t, w) && (len(t) == len(w) || !isWordRune(rune(t[len(w)]))) {
			return true
		}
		if short && containsWord(t, w) {
			return true
		}
	}
	return false
}

// aNotA are Chinese questions of the form "A 不 A" ("行不行", "要不要"):
// they hold a no word without saying no.
var aNotA = []string{"行不行", "好不好", "是不是", "要不要", "对不对", "可不可以", "能不能", "有没有", "可以不可以"}

// stripOpeners removes the fillers t begins with ("hmm actually no, keep
// it", "oh yes please", "呃 不用了": Filler, opening.go), unless nothing
// would be left.
func stripOpeners(t string) string {
	if rest := StripOpening(t, Filler); rest != "" {
		return rest
	}
	return t
}

// Corrects reports whether in, read against run, says something run holds
// is wrong: it gives a slot another value than the one it has ("对 改成南京
// 路2号" to the old address), or it carries a correction cue ("yes, but the
// other order", "不对"). A cue that changes a slot to the slot itself named
// with no new value ("就改成这个地址": the address on the table) restates,
// it corrects nothing. False when run's flow is gone.
func (e *Engine) Corrects(run *Run, in Input) bool {
	if run == nil {
		return false
	}
	f, ok := e.flows[run.Flow]
	if !ok {
		return false
	}
	for n, v := range read(f, run, in, e.now()).fill {
		if v != "" && v != run.Slots[n] {
			return true
		}
	}
	return cueCorrects(f, fold(in.Text))
}

// cueCorrects reports whether a clause of folded text carries a
// correction cue other than one pointing back at a slot (pointsToSlot).
func cueCorrects(f *Flow, text string) bool {
	for _, p := range clauseBreak.Split(hanSpace.ReplaceAllString(text, "$1.$2"), -1) {
		if p = strings.TrimSpace(p); p != "" && hasCue(p) && !pointsToSlot(f, p) {
			return true
		}
	}
	return false
}

// pointsToSlot reports whether clause p's only cue is one saying what a
// slot should be (cueToZH) followed by no more than a pointing word and
// the slot's name ("改成这个地址", "就换成这个号码").
func pointsToSlot(f *Flow, p string) bool {
	for _, w := range cueToZH {
		i := strings.Index(p, w)
		if i < 0 {
			continue
		}
		if hasCue(p[:i]) {
			return false
		}
		rest := p[i+len(w):]
		for _, s := range f.Slots {
			if !s.named(rest) {
				continue
			}
			for _, a := range s.aliases {
				rest = strings.ReplaceAll(rest, a, "")
			}
			// What is left points ("这个", "这", "那个"): no value.
			return utf8.RuneCountInString(strings.TrimSpace(rest)) <= maxPointer && !hasCue(rest)
		}
		return false
	}
	return false
}

// maxPointer is the longest word, in characters, pointing at a slot's
// value after a cue and the slot's name ("这个", "那个" + 地址).
const maxPointer = 2

func hasCue(text string) bool {
	for _, w := range cueZH {
		if strings.Contains(text, w) {
			return true
		}
	}
	for _, w := range cueEN {
		if strings.HasSuffix(w, ",") {
			if strings.HasPrefix(text, w) {
				return true
			}
			continue
		}
		if containsWord(text, w) {
			return true
		}
	}
	return false
}

// fillers are what a bare yes or no may come with ("好的呀", "yes please
// thanks"): these particles, and the thanks and fillers a message opens
// with (courtesies; opening.go).
var (
	fillerZH   = []string{"的", "了", "吧", "啊", "呀", "哦", "噢", "哈", "啦", "嘛", "呢", "么", "谢谢", "麻烦", "就", "那"}
	fillerEN   = []string{"then", "and", "just"}
	courtesies = openingWords(Thanks | Filler)
)

// answerPhrases are the yes, no and filler words Bare removes as
// substrings (Chinese ones, and English ones of several words), longest
// first so "不用" goes before "不".
var answerPhrases = func() []string {
	var out []string
	for _, l := range [][]string{yesZH, yesShortZH, yesNotNo, noZH, noInZH, fillerZH, yesEN, noEN, fillerEN, courtesies} {
		for _, w := range l {
			if !isASCII(w) || strings.Contains(w, " ") {
				out = append(out, w)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}()

// Bare reports whether text is only a yes or a no (with courtesy words):
// "确认", "嗯嗯好的", "yes please", but not "yes cancel it" or "确认退货的
// 运费多少". Such a message answers the question asked; it never starts
// another request.
func Bare(text string) bool {
	t := fold(text)
	if t == "" || isQuestion(t) {
		return false
	}
	if yes, no := Answer(text); !yes && !no {
		return false
	}
	for _, w := range answerPhrases {
		t = strings.ReplaceAll(t, w, " ")
	}
	for _, w := range strings.FieldsFunc(t, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }) {
		if !slices.Contains(yesEN, w) && !slices.Contains(noEN, w) && !slices.Contains(fillerEN, w) && !slices.Contains(courtesies, w) && !slices.Contains(yesZH, w) {
			return false
		}
	}
	return true
}

// Answer reads text as the answer to a yes/no question (the bot's own,
// outside a flow): yes, no, or neither (a question, or something else).
// The same words as a flow's confirm.
func Answer(text string) (yes, no bool) {
	t := fold(text)
	if isQuestion(t) {
		return false, false
	}
	if isNo(t) {
		return false, true
	}
	return isYes(t), false
}

// goOn is Run.confirmed for an answer that also says to go ahead: the
// confirm step the flow reaches next, with no question in between, is
// answered too.
const goOn = "\x00go on"

// proceeds reports whether the message's last clause says to go ahead
// ("照片先不传了，直接确认", "reason is they hurt, no photos. confirm"): it
// answers the question asked and the confirmation that follows it.
func proceeds(text string) bool {
	parts := strings.FieldsFunc(hanSpace.ReplaceAllString(text, "$1.$2"), func(r rune) bool {
		return strings.ContainsRune(",.;!，。；！、\n", r)
	})
	if len(parts) < 2 {
		return false // one clause is an answer, not an answer and a go-ahead
	}
	last := strings.TrimSpace(parts[len(parts)-1])
	return last != "" && !isQuestion(last) && !isNo(last) && saysWord(fold(last), proceedZH, proceedEN)
}

// pauses open a message that holds the question asked to ask something
// first ("wait will I get the money back?", "等下 它发货了没").
var pauses = []string{"wait", "hold on", "hang on", "等下", "等等", "等一下", "稍等"}

// pausesToAsk reports whether text opens with a pause and goes on: a
// question before the answer, not a "no".
func pausesToAsk(text string) bool {
	t := stripOpeners(trimPunct(text))
	for _, p := range pauses {
		if rest, ok := strings.CutPrefix(t, p); ok && strings.TrimFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }) != "" {
			return true
		}
	}
	return false
}

// clauseBreak separates the clauses of a folded message by punctuation;
// hanSpace, a space next to a Chinese word, breaks too (a space in English
// is no break).
var (
	clauseBreak = nlutext.MustPattern(`[,.!?;:、。]+`)
	hanSpace    = nlutext.MustPattern(`(\p{Han})\s+|\s+(\p{Han})`)
)

// suppose opens a supposition ("如果是质量问题", "if it breaks"): what
// follows is asked about, not said.
var suppose = nlutext.MustPattern(`如果|要是|假如|万一|\b(if|unless|in case)\b`)

// suspects proposes a cause as a question ("是不是坏了", "is it broken"):
// the customer says what they think is wrong.
var suspects = nlutext.MustPattern(`^(是不是|会不会|是否)|^(is|are) (it|they|this|that)\b`)

// stated returns the clauses of folded text that say something rather
// than ask it: not questions, except a suspected cause, and no
// suppositions. A question mark ends the clause it follows.
func stated(text string) string {
	var out []string
	for c := range strings.SplitSeq(questionEnds.ReplaceAllString(text, "?|"), "|") {
		asks := strings.Contains(c, "?")
		parts := clauseBreak.Split(hanSpace.ReplaceAllString(c, "$1.$2"), -1)
		last := len(parts) - 1
		for last > 0 && strings.TrimSpace(strings.Trim(parts[last], "?")) == "" {
			last--
		}
		for i, part := range parts {
			if part = strings.TrimSpace(part); part == "" || suppose.MatchString(part) {
				continue
			}
			// the mark asks only the clause it ends: "I opened them and
			// I dont like how they sound. can I return?" states the rest
			if (asks && i >= last || isQuestion(part)) && !suspects.MatchString(part) {
				continue
			}
			out = append(out, part)
		}
	}
	return strings.Join(out, " ")
}

// questionEnds are the question marks that end a clause.
var questionEnds = nlutext.MustPattern(`\?+`)

// unslotted returns the clauses of folded text that name no slot of f by
// an alias, when some do and some do not: at a confirmation, "不传照片 确认"
// and "no photos, go ahead" answer with "确认" and "go ahead", the rest
// speaks of the photos.
func unslotted(f *Flow, text string) string {
	var keep []string
	parts := clauseBreak.Split(hanSpace.ReplaceAllString(text, "$1.$2"), -1)
	for _, p := range parts {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		named := false
		for _, s := range f.Slots {
			named = named || s.named(p)
		}
		if !named {
			keep = append(keep, p)
		}
	}
	if len(keep) == 0 || len(keep) == len(parts) {
		return text
	}
	return strings.Join(keep, " ")
}

// answersShortly reports whether a clause of folded text is an option's
// word of choice slot s with little else ("没有呢", "暂时没有", "nope,
// didn't take any"): at most shortRest more characters (Chinese) or
// words (English).
func answersShortly(s *Slot, text string) bool {
	words := slices.Concat(skipZH, skipEN)
	for _, o := range s.Options {
		words = append(words, o.words...)
	}
	for _, c := range clauseBreak.Split(hanSpace.ReplaceAllString(text, "$1.$2"), -1) {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		for _, w := range words {
			if !containsWord(c, w) {
				continue
			}
			rest := strings.Replace(c, w, " ", 1)
			if isASCII(c) && len(strings.Fields(rest)) <= shortRest ||
				!isASCII(c) && utf8.RuneCountInString(strings.Join(strings.Fields(rest), "")) <= shortRest {
				return true
			}
		}
	}
	return false
}

// shortRest is how much besides an option's word a clause answering an
// optional slot may say.
const shortRest = 3
