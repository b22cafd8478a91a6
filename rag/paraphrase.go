package rag

import (
	"math"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Vector is a text's paraphrase features with their weights: the notions
// it names (notions.go: "present" and "gift", "小孩" and "children", one
// feature each), and the English word stems (verb forms joined) and
// Chinese character bigrams of the rest, so that a question meets its
// paraphrases in other words and in either language. The gap report
// clusters questions with them, and a question is matched to the FAQ
// entries published from it (published.go).
type Vector map[string]float64

// ParaphraseFeatures returns the features of a text (before IDF
// weighting).
func ParaphraseFeatures(text string) Vector {
	v := Vector{}
	addParaphraseTerms(v, text, 1, 0)
	return v
}

// addParaphraseTerms adds the features of text with weight w: the notions
// it names (see notions), then the words (stemmed, stop words left out)
// and the Chinese bigrams of the rest, and with weight han·w each Chinese
// character of the rest that is not a function word (0: none); masked
// placeholders ([PHONE]) are left out.
func addParaphraseTerms(v Vector, text string, w, han float64) {
	var words []string // the words of the text in order, "" between sentences
	var runs []string  // its runs of Chinese characters
	var word, run []rune
	flushWord := func() {
		if len(word) > 0 {
			words = append(words, string(word))
			word = word[:0]
		}
	}
	flushHan := func() {
		if len(run) > 0 {
			runs = append(runs, string(run))
			run = run[:0]
		}
	}
	inPlaceholder := false
	for _, r := range strings.ToLower(norm.NFKC.String(text)) {
		switch {
		case r == '[':
			inPlaceholder = true
			flushWord()
			flushHan()
		case r == ']':
			inPlaceholder = false
		case inPlaceholder:
		case unicode.Is(unicode.Han, r):
			flushWord()
			run = append(run, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			flushHan()
			word = append(word, r)
		default:
			flushWord()
			flushHan()
		}
	}
	flushWord()
	flushHan()
	nt := notions()
	for i, stems := 0, foldAll(words); i < len(stems); {
		n, ids := nt.wordsAt(stems, i)
		if n == 0 {
			if s := stems[i]; len(s) > 1 && !paraStopWords[s] {
				v[s] += w
			}
			i++
			continue
		}
		addNotions(v, nt, ids, w)
		i += n
	}
	for _, r := range runs {
		rs := []rune(r)
		start := 0
		for i := 0; i < len(rs); {
			n, ids := nt.charsAt(rs, i)
			if n == 0 {
				i++
				continue
			}
			addHan(v, rs[start:i], w, han)
			addNotions(v, nt, ids, w)
			i += n
			start = i
		}
		addHan(v, rs[start:], w, han)
	}
}

// addNotions adds the notions one form names, as one word of weight w:
// a form of several notions ("多少钱": how much, price) weighs each w/n.
// A notion named twice is counted once.
func addNotions(v Vector, nt *notionIndex, ids []int, w float64) {
	for _, id := range ids {
		f := nt.feature[id]
		v[f] = max(v[f], w/float64(len(ids)))
	}
}

// isNotion reports whether feature f is a notion.
func isNotion(f string) bool { return strings.HasPrefix(f, "~") }

// addHan adds the bigrams of a run of Chinese characters with weight w,
// and its characters with weight han·w (see addParaphraseTerms).
func addHan(v Vector, run []rune, w, han float64) {
	for i := 0; i+1 < len(run); i++ {
		// With characters (han > 0), a bigram with a function
		// character ("灯是", "的护") spans two words: left out.
		if paraStopChars[run[i]] && paraStopChars[run[i+1]] || han > 0 && (paraStopChars[run[i]] || paraStopChars[run[i+1]]) {
			continue
		}
		v[string(run[i:i+2])] += w
	}
	if len(run) == 1 && !paraStopChars[run[0]] {
		v[string(run)] += w
	} else if han > 0 {
		for _, r := range run {
			if !paraStopChars[r] {
				v[string(r)] += han * w
			}
		}
	}
}

// foldAll stems and folds words (see fold).
func foldAll(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = fold(Stem(w))
	}
	return out
}

// fold also joins verb forms ("wrapping", "wrapped" → "wrap"), which Stem
// keeps apart for search but paraphrases mix freely.
func fold(w string) string {
	n := len(w)
	switch {
	case n > 5 && strings.HasSuffix(w, "ing"):
		w = w[:n-3]
	case n > 4 && strings.HasSuffix(w, "ed"):
		w = w[:n-2]
	default:
		return w
	}
	if n := len(w); n > 2 && w[n-1] == w[n-2] && w[n-1] != 's' && w[n-1] != 'l' {
		w = w[:n-1] // wrapp → wrap
	}
	return w
}

// Corpus weighs features by inverse document frequency over a set of
// texts.
type Corpus struct {
	df map[string]int
	n  int
}

// NewCorpus counts the texts each feature appears in.
func NewCorpus(vs []Vector) *Corpus {
	c := &Corpus{df: map[string]int{}, n: len(vs)}
	for _, v := range vs {
		for f := range v {
			c.df[f]++
		}
	}
	return c
}

// IDF is the inverse document frequency of feature f.
func (c *Corpus) IDF(f string) float64 {
	return math.Log(1 + float64(c.n+1)/float64(c.df[f]+1))
}

// Weigh returns v with TF-IDF weights, normalised to unit length.
func (c *Corpus) Weigh(v Vector) Vector {
	out := Vector{}
	var norm2 float64
	for f, tf := range v {
		w := tf * c.IDF(f)
		out[f] = w
		norm2 += w * w
	}
	if norm2 > 0 {
		n := math.Sqrt(norm2)
		for f := range out {
			out[f] /= n
		}
	}
	return out
}

// Cosine is the cosine of two weighted vectors.
func Cosine(a, b Vector) float64 {
	if len(a) > len(b) {
		a, b = b, a
	}
	var dot, na, nb float64
	for f, w := range a {
		dot += w * b[f]
		na += w * w
	}
	for _, w := range b {
		nb += w * w
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

// AnswersAgree is the cosine of two answers' TF-IDF weighted paraphrase
// features from which they say the same thing. Answers to one question
// share its words, in either language through the notions ("Are you
// hiring?" answered in English and "你们公司招客服吗？" in Chinese: 0.22);
// answers to two questions about one product share little more than its
// name (the FitPulse watch's engraving and its water resistance: 0.12;
// measured on the gap replay files data/eval/gaps/dev*.jsonl).
const AnswersAgree = 0.15

// SameAnswer reports whether two answers, weighed by one Corpus, say the
// same thing (see AnswersAgree).
func SameAnswer(a, b Vector) bool { return Cosine(a, b) >= AnswersAgree }

var paraStopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`the a an and or to of in on for is are be it my me you your
		do doe does did can could would will we i im this that there what how when
		where which who why with at by from as if have ha any some so just get got
		please pls hi hello hey thank thanks about was am not no yes our us its
		also still then than should may might want need know like one all ok okay`) {
		m[w] = true
	}
	return m
}()

var paraStopChars = func() map[rune]bool {
	m := map[rune]bool{}
	for _, r := range "的了吗呢吧啊呀么我你他她它们是在有和与或就都也还这那个一不没要想会能可以请问下好怎样么什哪里" {
		m[r] = true
	}
	return m
}()
