package rag

import (
	"math"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	nlutext "github.com/assistd/assist/nlu/text"
)

// Vector is a text's paraphrase features with their weights: English word
// stems with their verb forms joined, Chinese character bigrams, and the
// same for the text's translation through the shop lexicon
// (DefaultLexicon), so that a question meets its paraphrases in either
// language. The gap report clusters questions with them, and a question
// is matched to the FAQ entries published from it (published.go).
type Vector map[string]float64

// translationWeight is the weight of a feature that comes from the
// lexicon's translation, against one of the text's own words.
const translationWeight = 0.5

// ParaphraseFeatures returns the features of a text (before IDF
// weighting).
func ParaphraseFeatures(text string) Vector {
	v := Vector{}
	addParaphraseTerms(v, text, 1, 0)
	lang := "en"
	if nlutext.Detect(text) == nlutext.ZH {
		lang = "zh"
	}
	if tr := DefaultLexicon().Translate(text, lang); tr != "" {
		addParaphraseTerms(v, tr, translationWeight, 0)
	}
	return v
}

// addParaphraseTerms adds the words (stemmed, stop words left out) and the
// Chinese bigrams of text with weight w, and with weight han·w each Chinese
// character that is not a function word (0: none); masked placeholders
// ([PHONE]) are left out.
func addParaphraseTerms(v Vector, text string, w, han float64) {
	text = strings.ToLower(norm.NFKC.String(text))
	var word, run []rune
	flushWord := func() {
		if len(word) > 0 {
			s := fold(Stem(string(word)))
			if len(s) > 1 && !paraStopWords[s] {
				v[s] += w
			}
			word = word[:0]
		}
	}
	flushHan := func() {
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
		run = run[:0]
	}
	inPlaceholder := false
	for _, r := range text {
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
	for _, r := range "的了吗呢吧啊呀么我你他她它们是在有和与或就都也还这那个一不没要会能可以请问下好怎样么什哪里" {
		m[r] = true
	}
	return m
}()
