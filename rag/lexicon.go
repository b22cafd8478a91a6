package rag

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Lexicon is a bilingual (Chinese–English) word list for searching a
// question in the other language's articles: each entry has Chinese and
// English forms of one notion.
type Lexicon struct {
	entries []lexEntry
	sayings []saying
	// asked remembers askedIn's answers: a question is read against the
	// articles of each of its drafts.
	asked memo[string, []lexAsked]
}

// saying is one way customers write a notion (a short form, a colloquial
// phrase) and the words help centers use for it, in the same language.
type saying struct {
	forms []lexForm
	words string
	zh    bool // the words are Chinese
}

// lexForm is a form to find in a question: Chinese as a substring, other
// text as a run of whole stemmed words.
type lexForm struct {
	han   string
	words []string
}

func newLexForm(f string) lexForm {
	for _, r := range f {
		if unicode.Is(unicode.Han, r) {
			return lexForm{han: lexNorm(f)}
		}
	}
	return lexForm{words: lexWords(f)}
}

func (f lexForm) in(norm string, words []string) bool {
	if f.han != "" {
		return strings.Contains(norm, f.han)
	}
	return containsRun(words, f.words)
}

type lexEntry struct {
	zh []string   // normalised Chinese forms
	en [][]string // English forms, as stemmed words
	// as written, for the translation
	zhText, enText []string
	thing          bool // names a kind of goods (see thingKind)
}

// thingKind is the kind a lexicon line may carry in a third field: the
// notion names a kind of goods, a product or product category ("水壶
// kettle"), which a published answer about another thing does not
// answer (see namesOtherThing).
const thingKind = "thing"

// ParseLexicon reads a lexicon: one entry a line, Chinese forms separated
// by 、, a tab, English forms separated by ;, and optionally a tab and the
// kind thingKind. Blank lines and lines starting with # are skipped.
// Errors: a line without both sides, or with another kind.
func ParseLexicon(r io.Reader) (*Lexicon, error) {
	l := &Lexicon{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		zh, en, ok := strings.Cut(line, "\t")
		if !ok {
			return nil, fmt.Errorf("lexicon line %d: want Chinese forms, a tab, English forms", n)
		}
		var e lexEntry
		if forms, kind, ok := strings.Cut(en, "\t"); ok {
			if kind = strings.TrimSpace(kind); kind != thingKind {
				return nil, fmt.Errorf("lexicon line %d: kind %q, want %q or none", n, kind, thingKind)
			}
			en, e.thing = forms, true
		}
		for _, f := range strings.Split(zh, "、") {
			if f = strings.TrimSpace(f); f != "" {
				e.zh = append(e.zh, lexNorm(f))
				e.zhText = append(e.zhText, f)
			}
		}
		for _, f := range strings.Split(en, ";") {
			if f = strings.TrimSpace(f); f != "" {
				e.en = append(e.en, lexWords(f))
				e.enText = append(e.enText, f)
			}
		}
		if len(e.zh) == 0 || len(e.en) == 0 {
			return nil, fmt.Errorf("lexicon line %d: a side is empty", n)
		}
		l.entries = append(l.entries, e)
	}
	return l, sc.Err()
}

func lexNorm(s string) string { return strings.ToLower(norm.NFKC.String(s)) }

// lexWords are the stemmed words of English text, stop words kept (a
// form like "how long" must match as written).
func lexWords(s string) []string {
	var out []string
	forEachRun(s, func(run string, han bool) {
		if !han {
			out = append(out, Stem(run))
		}
	})
	return out
}

// Translate returns the other language's forms of every entry the
// question holds, space-separated ("" when it holds none): for a Chinese
// question (lang "zh") the English forms, otherwise the Chinese ones. A
// Chinese form matches as a substring, an English one as a run of whole
// (stemmed) words.
func (l *Lexicon) Translate(question, lang string) string {
	return l.translate(question, lang, false)
}

// translate is Translate; with first, only the first form of each entry.
func (l *Lexicon) translate(question, lang string, first bool) string {
	var out []string
	if lang == "zh" {
		q := lexNorm(question)
		for _, e := range l.entries {
			for _, f := range e.zh {
				if strings.Contains(q, f) {
					out = append(out, formsOf(e.enText, first)...)
					break
				}
			}
		}
		return strings.Join(out, " ")
	}
	words := lexWords(question)
	for _, e := range l.entries {
		for _, f := range e.en {
			if containsRun(words, f) {
				out = append(out, formsOf(e.zhText, first)...)
				break
			}
		}
	}
	return strings.Join(out, " ")
}

func containsRun(words, run []string) bool {
	if len(run) == 0 {
		return false
	}
	for i := 0; i+len(run) <= len(words); i++ {
		ok := true
		for j, w := range run {
			if words[i+j] != w {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// ParseSayings adds to l how customers write notions, in the same
// language as the words of the help center: one saying a line, the forms
// customers write separated by ;, a tab, the help center's words. Blank
// lines and lines starting with # are skipped. Errors: a line without
// both sides.
func (l *Lexicon) ParseSayings(r io.Reader) error {
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		forms, words, ok := strings.Cut(line, "\t")
		words = strings.TrimSpace(words)
		if !ok || words == "" {
			return fmt.Errorf("sayings line %d: want forms, a tab, the help center's words", n)
		}
		sy := saying{words: words, zh: newLexForm(words).han != ""}
		for _, f := range strings.Split(forms, ";") {
			if f = strings.TrimSpace(f); f != "" {
				sy.forms = append(sy.forms, newLexForm(f))
			}
		}
		if len(sy.forms) == 0 {
			return fmt.Errorf("sayings line %d: no form", n)
		}
		l.sayings = append(l.sayings, sy)
	}
	return sc.Err()
}

// Expand returns the help center's words in lang ("zh" or "en") for every
// saying text holds ("hk" → "hong kong", "stopped working" → "faulty
// broken", "hb" → "花呗" for a Chinese question, not an English one),
// space-separated; "" when it holds none.
func (l *Lexicon) Expand(text, lang string) string {
	if len(l.sayings) == 0 {
		return ""
	}
	norm, words := lexNorm(text), lexWords(text)
	var out []string
	for _, sy := range l.sayings {
		if sy.zh != (lang == "zh") {
			continue
		}
		for _, f := range sy.forms {
			if f.in(norm, words) {
				out = append(out, sy.words)
				break
			}
		}
	}
	return strings.Join(out, " ")
}

// Mixed returns, for a question written in lang ("zh" or "en") with some
// words of the other language ("hi 请问 return policy 是几天", "how much
// 运费 to 新疆"), the first form in lang of each such word the lexicon
// knows (all of them, 退货 退回 寄回 退掉 for "return", lifted an FAQ entry
// that says 退货 and 寄回 over the one on the return period),
// space-separated; "" when it
// holds none the lexicon knows, or when lang does not carry at least
// mixedShare of the question (a Latin word counting as two Chinese
// characters, as text.Detect counts them): a question mostly in the other
// language ("how long refund to bank card 支付宝", an English question
// continued in Chinese) is searched in its own words, and the other
// language's articles are searched by Translate.
func (l *Lexicon) Mixed(question, lang string) string {
	han, latin := 0, 0
	inWord := false
	for _, r := range question {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
			inWord = false
		case r < unicode.MaxASCII && unicode.IsLetter(r):
			if !inWord {
				latin++
			}
			inWord = true
		default:
			inWord = false
		}
	}
	if han == 0 || latin == 0 {
		return ""
	}
	zh := float64(han) / float64(han+2*latin)
	switch {
	case lang == "zh" && zh >= mixedShare:
		return l.translate(question, "en", true)
	case lang == "en" && 1-zh >= mixedShare:
		return l.translate(question, "zh", true)
	}
	return ""
}

// mixedShare is the least share of a question its language must carry for
// Mixed to add the forms of the other language's words.
const mixedShare = 0.4

//go:embed lexicon/shop.tsv
var shopLexicon []byte

//go:embed lexicon/sayings.tsv
var shopSayings []byte

// DefaultLexicon is the shop-domain lexicon shipped with Assist
// (rag/lexicon/shop.tsv, and the sayings of rag/lexicon/sayings.tsv),
// parsed once.
var DefaultLexicon = sync.OnceValue(func() *Lexicon {
	l, err := ParseLexicon(bytes.NewReader(shopLexicon))
	if err == nil {
		err = l.ParseSayings(bytes.NewReader(shopSayings))
	}
	if err != nil {
		panic("rag: embedded lexicon: " + err.Error())
	}
	return l
})

func formsOf(forms []string, first bool) []string {
	if first {
		return forms[:1]
	}
	return forms
}
