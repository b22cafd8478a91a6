package rag

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Specifics are the things a customer may ask a shop whether it offers
// (places, payment methods, couriers, services…), each of a kind
// (rag/specifics.tsv). The answer confidence compares those a question
// names with those the quoted article names.
type Specifics struct {
	items []specific
	// seen remembers named's answers: every draft of a question (with
	// its topic and alone, each language's search) reads its specifics.
	seen memo[string, []specific]
}

type specific struct {
	kind string
	zh   []string   // normalised Chinese forms
	en   [][]string // English forms, as stemmed words
}

// ParseSpecifics reads specifics: one a line, the kind, a tab, Chinese
// forms separated by 、, a tab, English forms separated by ;. Blank lines
// and lines starting with # are skipped. Errors: a line without a kind
// or without any form.
func ParseSpecifics(r io.Reader) (*Specifics, error) {
	sp := &Specifics{}
	err := tabLines(r, func(n int, parts []string) error {
		if len(parts) != 3 || strings.TrimSpace(parts[0]) == "" {
			return fmt.Errorf("specifics line %d: want a kind, a tab, Chinese forms, a tab, English forms", n)
		}
		it := specific{kind: strings.TrimSpace(parts[0])}
		for _, f := range strings.Split(parts[1], "、") {
			it.add(f) // a Latin form on the Chinese side (DHL, 3C) too
		}
		for _, f := range strings.Split(parts[2], ";") {
			it.add(f)
		}
		if len(it.zh) == 0 && len(it.en) == 0 {
			return fmt.Errorf("specifics line %d: no form", n)
		}
		sp.items = append(sp.items, it)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sp, nil
}

// tabLines calls fn with the number and the tab-separated fields of each
// line of r that is neither blank nor a comment (starting with #),
// stopping at its first error.
func tabLines(r io.Reader, fn func(n int, parts []string) error) error {
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := fn(n, strings.Split(line, "\t")); err != nil {
			return err
		}
	}
	return sc.Err()
}

// add adds form f to the ways it is named: a form with a Chinese
// character normalised, found as a substring; any other as whole words
// ("ups" is not in "groups").
func (it *specific) add(f string) {
	f = strings.TrimSpace(f)
	if strings.IndexFunc(f, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0 {
		it.zh = append(it.zh, lexNorm(f))
	} else if w := lexWords(f); len(w) > 0 {
		it.en = append(it.en, w)
	}
}

// embedded parses data, a file shipped with Assist, once; the result is
// what the returned func gives. A file that does not parse is a bug.
func embedded[T any](name string, data []byte, parse func(io.Reader) (T, error)) func() T {
	return sync.OnceValue(func() T {
		v, err := parse(bytes.NewReader(data))
		if err != nil {
			panic(fmt.Sprintf("rag: embedded %s: %v", name, err))
		}
		return v
	})
}

// textForms is a text prepared for matching forms: normalised, and as
// stemmed words.
type textForms struct {
	norm  string
	words []string
	has   map[string]bool // the words, to skip forms whose first word is absent
}

func specificText(text string) textForms {
	t := textForms{norm: lexNorm(text), words: lexWords(text)}
	t.has = make(map[string]bool, len(t.words))
	for _, w := range t.words {
		t.has[w] = true
	}
	return t
}

// in reports whether t names it: a Chinese form as a substring, an
// English one as a run of whole words.
func (it specific) in(t textForms) bool { return len(it.forms(t, false)) > 0 }

// forms are the forms of it that t holds (see in): all of them, or only
// the first found.
func (it specific) forms(t textForms, all bool) []form {
	var out []form
	for _, f := range it.zh {
		if strings.Contains(t.norm, f) {
			if out = append(out, form{zh: f}); !all {
				return out
			}
		}
	}
	for _, f := range it.en {
		if t.has[f[0]] && containsRun(t.words, f) {
			if out = append(out, form{en: f}); !all {
				return out
			}
		}
	}
	return out
}

// named are the specifics question names (remembered: callers do not
// change them).
func (sp *Specifics) named(question string) []specific {
	return remember(&sp.seen, question, len(question), func() []specific {
		q := specificText(question)
		var out []specific
		for _, it := range sp.items {
			if it.in(q) {
				out = append(out, it)
			}
		}
		return out
	})
}

// absentFrom reports whether text misses the question's specifics of
// some kind: names none of those of that kind. A question naming two
// couriers ("it came by YTO, can I choose SF?") is answered by a passage
// naming one; one naming a day and a place ("sundays in singapore") is
// not by a passage naming only the place.
func absentFrom(named []specific, text string) bool {
	return len(absentKinds(named, text)) > 0
}

// absentKinds are the kinds of which text names none of the specifics
// named (see absentFrom), in the order named.
func absentKinds(named []specific, text string) []string {
	t := specificText(text)
	return absentKindsBy(named, func(it specific) bool { return it.in(t) })
}

// absentKindsBy is absentKinds of a text that names it when names(it).
func absentKindsBy(named []specific, names func(specific) bool) []string {
	found := map[string]bool{}
	for _, it := range named {
		if names(it) {
			found[it.kind] = true
		}
	}
	var out []string
	for _, it := range named {
		if !found[it.kind] {
			found[it.kind] = true // once
			out = append(out, it.kind)
		}
	}
	return out
}

// joinedForms are pieces of text read as their text joined by line
// breaks (specificText of the whole), each piece prepared once
// (pieceText): a line break ends a word and is in no form, so a form is
// in the whole text when it is in one of its pieces (a run of English
// words may run on into the next piece, as in the whole text).
type joinedForms struct {
	parts []textForms
	words []string // the parts' words, one after the other
}

func joinForms(pieces []string) joinedForms {
	j := joinedForms{parts: make([]textForms, len(pieces))}
	n := 0
	for i, p := range pieces {
		j.parts[i] = pieceText(p)
		n += len(j.parts[i].words)
	}
	j.words = make([]string, 0, n)
	for _, t := range j.parts {
		j.words = append(j.words, t.words...)
	}
	return j
}

// inJoined is it.in(specificText(the pieces of j joined by line breaks)).
func (it specific) inJoined(j joinedForms) bool {
	for _, f := range it.zh {
		for _, t := range j.parts {
			if strings.Contains(t.norm, f) {
				return true
			}
		}
	}
	for _, f := range it.en {
		for _, t := range j.parts {
			if t.has[f[0]] {
				if containsRun(j.words, f) {
					return true
				}
				break
			}
		}
	}
	return false
}

// pieceForms remembers specificText of the pieces of the articles read
// (a chunk's label, its text): every draft reads its article's and its
// hits' (readArticle). Its results are shared: callers do not change them.
var pieceForms = memo[string, textForms]{size: articleMemoSize}

func pieceText(p string) textForms {
	return pieceForms.do(p, len(p), func() textForms { return specificText(p) })
}

//go:embed specifics.tsv
var specificsTSV []byte

// DefaultSpecifics are the specifics shipped with Assist
// (rag/specifics.tsv), parsed once.
var DefaultSpecifics = embedded("specifics.tsv", specificsTSV, ParseSpecifics)

// articlePieces are the texts of the quoted chunk's document (for an FAQ
// entry, its FAQ: "remote areas" answers for Xinjiang when another entry
// names it), as indexed, each chunk's as two pieces, its label and its
// text (indexText(c) is label(c) + "\n" + c.Text): its chunks cs when the
// Index listed them (see listArticle), else the hits of the same
// document. The readers read the pieces one by one, as if joined by line
// breaks (articleForms, joinedForms): each draft joined its article's
// texts three times over, a third of a draft's allocations.
func articlePieces(best Chunk, hits []Hit, cs []Chunk) []string {
	var out []string
	for _, c := range cs {
		out = append(out, label(c), c.Text)
	}
	if len(out) > 0 {
		return out
	}
	for _, h := range hits {
		if h.Chunk.Doc == best.Doc {
			out = append(out, label(h.Chunk), h.Chunk.Text)
		}
	}
	return out
}

// readArticle sets the features that read the quoted chunk's article
// against the question: uncovered and focus_uncovered (what the question
// asks that the article does not hold; see FeatureNames), and
// specific_absent, 1 when the article and the other hits miss one of the
// specifics the question names. It returns the kinds of those missed
// (Draft.Absent).
func (s *Service) readArticle(question string, hits []Hit, cs []Chunk, passage string, x Features) []string {
	art := articlePieces(hits[0].Chunk, hits, cs)
	q := questionTokens(question)
	pieces, _ := uncovered(q) // nothing is covered yet: every piece counts
	markCovered(q, newArticleForms(art), s.lexicon())
	all, last := uncovered(q)
	x[uncoveredFeature] = float64(all) / float64(all+1)
	x[focusUncoveredFeature] = float64(last) / float64(last+1)
	if pieces > 0 {
		x[uncoveredShareFeature] = float64(all) / float64(pieces)
	}
	if asked := DefaultMeasures().asked(question); len(asked) > 0 && missingMeasure(asked, passage) {
		x[measureAbsentFeature] = 1
	}
	named := DefaultSpecifics().named(question)
	if len(named) == 0 {
		return nil
	}
	// The article, then the hits.
	texts := slices.Grow(art, 2*len(hits))
	for _, h := range hits {
		texts = append(texts, label(h.Chunk), h.Chunk.Text)
	}
	j := joinForms(texts)
	absent := absentKindsBy(named, func(it specific) bool { return it.inJoined(j) })
	if len(absent) > 0 {
		x[specificAbsentFeature] = 1
	}
	return absent
}

// The coverage reader: does the quoted article say anything about what
// the question asks? A question's content (its words and Chinese
// characters, less question words and particles) is covered where the
// article holds it: an English word (or one sharing its first five
// letters: "defect", "defective"), a Chinese character where a bigram of
// the question holding it is in the article, and any form of a lexicon
// entry or saying whose other forms, in either language, the article
// holds ("refund" asked, 退款 written). What is left uncovered, counted as
// English words and runs of two or more Chinese characters, is what the
// article does not speak of: "送给朋友" in "优惠券可以送给朋友用吗" asked
// of the coupon article.

// qtok is one token of a question: an English word or a Chinese
// character.
type qtok struct {
	text    string
	han     bool
	stop    bool
	covered bool
	clause  int // the clause it is in, counted from 0
}

// readerStops are English words that carry no content a passage must
// hold, beyond stop words: question words, the asking itself.
var readerStops = map[string]bool{}

// readerHanStops are the Chinese characters that carry no content a
// passage must hold: particles, pronouns, question words, modal verbs.
var readerHanStops = map[rune]bool{}

// readerHanStopWords are words of several Chinese characters that carry
// no content a passage must hold: connectives, adverbs, "thing", "help
// me".
var readerHanStopWords = strings.Fields(`东西 已经 原来 一直 怎么办 不小心 顺便 当初 以后 之前 之间 时候 这个 那个 一个 现在 还是
	或者 因为 所以 如果 但是 可是 然后 需要 应该 是不是 其实 自己 大概 有点 一点 麻烦 帮忙 帮我 谢谢 请问 你好 您好 知道 告诉 为什么 什么样`)

func init() {
	for _, w := range strings.Fields(`long much many often soon get got want need know tell like any anything something
		way possible able ok okay hi hello thank thanks still already yet now u ur im i'm ive i've id pls plz hey guy one ever even only
		make let go going use using there's it's don't dont doesn't doesnt isn't isnt can't cant won't wont hasn't hasnt
		whats what's does myself yourself stuff thing lot really actually just`) {
		readerStops[Stem(w)] = true
	}
	for _, r := range `的了吗呢吧啊呀哦嘛么我你他她它们是在有要会能可以把给和与或就都也还很太这那个什怎样哪多少几请问一下想用得着过被让到对再先又才最买卖` {
		readerHanStops[r] = true
	}
}

// questionTokens splits question into tokens and clauses: a clause ends
// at punctuation, and between Chinese characters at a space ("家里有猫
// 绿萝对猫有毒吗").
func questionTokens(question string) []qtok {
	if len(question) > memoMaxText {
		return readQuestionTokens(question)
	}
	// markCovered marks the copy.
	return slices.Clone(remember(&questionTokensMemo, question, len(question), func() []qtok { return readQuestionTokens(question) }))
}

// questionTokensMemo remembers questionTokens' answers: a question is
// read against the article of each of its drafts.
var questionTokensMemo memo[string, []qtok]

// readQuestionTokens is questionTokens, not remembered.
func readQuestionTokens(question string) []qtok {
	var out []qtok
	clause := 0
	text := norm.NFKC.String(question)
	var word strings.Builder
	flush := func() {
		if word.Len() > 0 {
			w := Stem(word.String())
			// A number or a quantity (550, 30k, 100ml, 5th) is not what an
			// article must hold.
			num := w == "" || (w[0] >= '0' && w[0] <= '9')
			out = append(out, qtok{text: w, stop: num || (stopword[w] && w != "where") || readerStops[w], clause: clause})
			word.Reset()
		}
	}
	lastHan := false
	pendingSpace := false
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			flush()
			if pendingSpace && lastHan {
				clause++
			}
			out = append(out, qtok{text: string(r), han: true, stop: readerHanStops[r], clause: clause})
			lastHan, pendingSpace = true, false
		case unicode.IsLetter(r) || unicode.IsDigit(r) || (r == '\'' && word.Len() > 0):
			if pendingSpace && lastHan {
				// "家里有猫 wifi" is not a new clause; only Han on both sides is.
				pendingSpace = false
			}
			word.WriteRune(unicode.ToLower(r))
			lastHan = false
		case unicode.IsSpace(r):
			flush()
			pendingSpace = true
		default:
			flush()
			if strings.ContainsRune(clauseEnds, r) && len(out) > 0 && out[len(out)-1].clause == clause {
				clause++
			}
			lastHan, pendingSpace = false, false
		}
	}
	flush()
	// Stop words of several Chinese characters.
	for _, sw := range readerHanStopWords {
		for i := range out {
			if n, ok := hanRun(out, i, sw); ok {
				for j := i; j < i+n; j++ {
					out[j].stop = true
				}
			}
		}
	}
	// Asking where (a place, a page, a whereabouts) is content too: the
	// passage must say where.
	for _, w := range []string{"在哪", "哪里", "哪儿"} {
		for i := range out {
			if n, ok := hanRun(out, i, w); ok {
				for j := i; j < i+n; j++ {
					out[j].stop = false
				}
			}
		}
	}
	return out
}

// hanRun reports whether the tokens toks[i:] begin with the characters of
// the Chinese word w, one Han token a character, and how many tokens
// that is: the one matcher of a word of several characters over tokens
// (stop words here, the modal of a yes/no question in asked.go).
func hanRun(toks []qtok, i int, w string) (int, bool) {
	n := 0
	for _, r := range w {
		if i+n >= len(toks) || !toks[i+n].han || toks[i+n].text != string(r) {
			return 0, false
		}
		n++
	}
	return n, true
}

// clauseEnds are the punctuation marks that end a clause.
const clauseEnds = ",.;:!?，。；：！？、…"

// articleForms is an article prepared for the coverage reader: the
// pieces of its text (articlePieces), normalised as questions are
// (searched, not analysed: reading every word of the article into a set
// cost more than the search), each remembered (pieceText). A line break
// joined them; it is no word byte and in no form searched, so the
// article holds what one of its pieces holds.
type articleForms struct {
	norms []string
}

func newArticleForms(pieces []string) articleForms {
	a := articleForms{norms: make([]string, len(pieces))}
	for i, p := range pieces {
		a.norms[i] = pieceText(p).norm
	}
	return a
}

// hasWord reports whether the article holds the stemmed English word w:
// a word starting with its first five letters when it has five or more
// ("defect", "defective"), else w itself, alone or with a plural s.
func (a articleForms) hasWord(w string) bool {
	for _, n := range a.norms {
		if hasWord(n, w) {
			return true
		}
	}
	return false
}

// hasWord is articleForms.hasWord of one normalised text.
func hasWord(norm, w string) bool {
	exact := len(w) < 5
	if !exact {
		w = w[:5]
	}
	for i := 0; ; {
		j := strings.Index(norm[i:], w)
		if j < 0 {
			return false
		}
		j += i
		i = j + len(w)
		if j > 0 && isWordByte(norm[j-1]) {
			continue
		}
		if !exact {
			return true
		}
		rest := norm[i:]
		rest = strings.TrimPrefix(strings.TrimPrefix(rest, "e"), "s")
		if rest == "" || !isWordByte(rest[0]) {
			return true
		}
	}
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// hasHan reports whether the article holds the Chinese text f.
func (a articleForms) hasHan(f string) bool {
	for _, n := range a.norms {
		if strings.Contains(n, f) {
			return true
		}
	}
	return false
}

// lexAsked is a lexicon entry or saying a question holds, and the forms
// of it the question holds (forms).
type lexAsked struct {
	entry *lexEntry // the entry; nil for a saying
	words lexForm   // the saying's help-center words
	forms []lexForm
}

// askedIn are the lexicon's entries and sayings the question of tokens q
// holds (see markCovered), remembered: they do not depend on the article.
func (lex *Lexicon) askedIn(q []qtok) []lexAsked {
	var b strings.Builder
	var qw []string
	for _, t := range q {
		if t.han {
			b.WriteString(t.text)
		} else {
			qw = append(qw, t.text)
			b.WriteByte(' ')
		}
	}
	qn := b.String()
	key := qn + "\x00" + strings.Join(qw, "\x00")
	return remember(&lex.asked, key, len(key), func() []lexAsked { return lex.readAsked(qn, qw) })
}

// readAsked is askedIn, not remembered, of the question's Han text qn and
// words qw.
func (lex *Lexicon) readAsked(qn string, qw []string) []lexAsked {
	var out []lexAsked
	for i := range lex.entries {
		e := &lex.entries[i]
		var asked []lexForm
		for _, z := range e.zh {
			if strings.Contains(qn, z) {
				asked = append(asked, lexForm{han: z})
			}
		}
		for _, w := range e.en {
			if containsRun(qw, w) {
				asked = append(asked, lexForm{words: w})
			}
		}
		if len(asked) > 0 {
			out = append(out, lexAsked{entry: e, forms: asked})
		}
	}
	for _, sy := range lex.sayings {
		var asked []lexForm
		for _, f := range sy.forms {
			if f.in(qn, qw) {
				asked = append(asked, f)
			}
		}
		if len(asked) > 0 {
			out = append(out, lexAsked{words: newLexForm(sy.words), forms: asked})
		}
	}
	return out
}

// markCovered marks the tokens of q the article a holds (see above).
func markCovered(q []qtok, a articleForms, lex *Lexicon) {
	for i := range q {
		t := &q[i]
		if !t.han {
			t.covered = a.hasWord(t.text)
			continue
		}
		if i+1 < len(q) && q[i+1].han && q[i+1].clause == t.clause && a.hasHan(t.text+q[i+1].text) {
			t.covered, q[i+1].covered = true, true
		}
	}
	if lex == nil {
		return
	}
	mark := func(f lexForm) {
		if f.han != "" {
			// every place the form is in the question
			rs := []rune(f.han)
			for i := 0; i+len(rs) <= len(q); i++ {
				ok := true
				for j, r := range rs {
					if !q[i+j].han || q[i+j].text != string(r) {
						ok = false
						break
					}
				}
				if ok {
					for j := range rs {
						q[i+j].covered = true
					}
				}
			}
			return
		}
		for i := 0; i+len(f.words) <= len(q); i++ {
			ok := true
			for j, w := range f.words {
				if q[i+j].han || q[i+j].text != w {
					ok = false
					break
				}
			}
			if ok {
				for j := range f.words {
					q[i+j].covered = true
				}
			}
		}
	}
	inArticle := func(f lexForm) bool {
		if f.han != "" {
			return a.hasHan(f.han)
		}
		for _, w := range f.words {
			if !a.hasWord(w) {
				return false
			}
		}
		return len(f.words) > 0
	}
	for _, ak := range lex.askedIn(q) {
		held := false
		if ak.entry != nil {
			for _, z := range ak.entry.zh {
				held = held || a.hasHan(z)
			}
			for _, w := range ak.entry.en {
				held = held || inArticle(lexForm{words: w})
			}
		} else {
			held = inArticle(ak.words)
		}
		if held {
			for _, f := range ak.forms {
				mark(f)
			}
		}
	}
}

// uncovered counts the content the article does not hold, in the whole
// question and in its last clause that has content (where the question
// is asked, after the scene is set): English words and runs of two or
// more Chinese characters, stop tokens ending a run.
func uncovered(q []qtok) (all, last int) {
	lastClause := -1
	for _, t := range q {
		if !t.stop {
			lastClause = t.clause
		}
	}
	count := func(clause int) {
		all++
		if clause == lastClause {
			last++
		}
	}
	run, runClause := 0, 0
	for _, t := range q {
		if run > 0 && (!t.han || t.stop || t.covered || t.clause != runClause) {
			if run >= 2 {
				count(runClause)
			}
			run = 0
		}
		switch {
		case t.stop || t.covered:
		case t.han:
			if run == 0 {
				runClause = t.clause
			}
			run++
		default:
			count(t.clause)
		}
	}
	if run >= 2 {
		count(runClause)
	}
	return all, last
}

// quoteUncovered is what of question the quoted text does not hold (see
// uncovered), read as the coverage reader reads an article.
func quoteUncovered(question, quote string, lex *Lexicon) (all, last int) {
	q := questionTokens(question)
	markCovered(q, newArticleForms([]string{quote}), lex)
	return uncovered(q)
}

// NamesSpecific reports whether text names one of the things a customer
// may ask the shop whether it offers (DefaultSpecifics: a place, a payment
// method, a courier, a service…): "cash on delivery", "apple pay",
// "installments", 分期.
func NamesSpecific(text string) bool {
	t := specificText(text)
	for _, it := range DefaultSpecifics().items {
		if it.in(t) {
			return true
		}
	}
	return false
}
