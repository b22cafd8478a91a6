package gap

import (
	"math"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	nlutext "github.com/assistd/assist/nlu/text"
	"github.com/assistd/assist/rag"
)

// Vector is a question's features with their weights: English word
// stems, Chinese character bigrams, and the same for the question's
// translation through the shop lexicon (rag.DefaultLexicon), so a
// question clusters with its paraphrases in either language.
type Vector map[string]float64

// translationWeight is the weight of a feature that comes from the
// lexicon's translation, against one of the question's own words.
const translationWeight = 0.5

// Features returns the features of a text (before IDF weighting).
func Features(text string) Vector {
	v := Vector{}
	addTerms(v, text, 1)
	lang := "en"
	if nlutext.Detect(text) == nlutext.ZH {
		lang = "zh"
	}
	if tr := rag.DefaultLexicon().Translate(text, lang); tr != "" {
		addTerms(v, tr, translationWeight)
	}
	return v
}

// addTerms adds the words (stemmed, stop words left out) and the Chinese
// bigrams of text with weight w; masked placeholders ([PHONE]) are left
// out.
func addTerms(v Vector, text string, w float64) {
	text = strings.ToLower(norm.NFKC.String(text))
	var word, han []rune
	flushWord := func() {
		if len(word) > 0 {
			s := fold(rag.Stem(string(word)))
			if len(s) > 1 && !stopWords[s] {
				v[s] += w
			}
			word = word[:0]
		}
	}
	flushHan := func() {
		for i := 0; i+1 < len(han); i++ {
			if stopChars[han[i]] && stopChars[han[i+1]] {
				continue
			}
			v[string(han[i:i+2])] += w
		}
		if len(han) == 1 && !stopChars[han[0]] {
			v[string(han)] += w
		}
		han = han[:0]
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
			han = append(han, r)
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

// fold also joins verb forms ("wrapping", "wrapped" → "wrap"), which
// rag.Stem keeps apart for search but paraphrases mix freely.
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
// questions.
type Corpus struct {
	df map[string]int
	n  int
}

// NewCorpus counts the documents each feature appears in.
func NewCorpus(vs []Vector) *Corpus {
	c := &Corpus{df: map[string]int{}, n: len(vs)}
	for _, v := range vs {
		for f := range v {
			c.df[f]++
		}
	}
	return c
}

// Weigh returns v with TF-IDF weights, normalised to unit length.
func (c *Corpus) Weigh(v Vector) Vector {
	out := Vector{}
	var norm2 float64
	for f, tf := range v {
		w := tf * math.Log(1+float64(c.n+1)/float64(c.df[f]+1))
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

var stopWords = set("the", "a", "an", "and", "or", "to", "of", "in", "on", "for", "is", "are", "be", "it", "my", "me", "you", "your",
	"do", "doe", "does", "did", "can", "could", "would", "will", "we", "i", "im", "this", "that", "there", "what", "how", "when",
	"where", "which", "who", "why", "with", "at", "by", "from", "as", "if", "have", "ha", "any", "some", "so", "just", "get", "got",
	"please", "pls", "hi", "hello", "hey", "thank", "thanks", "there", "about", "was", "am", "not", "no", "yes", "our", "us", "its",
	"also", "still", "then", "than", "should", "may", "might", "want", "need", "know", "like", "one", "all", "ok", "okay")

var stopChars = func() map[rune]bool {
	m := map[rune]bool{}
	for _, r := range "的了吗呢吧啊呀么我你他她它们是在有和与或就都也还这那个一不没要会能可以请问下好怎样么什哪里" {
		m[r] = true
	}
	return m
}()

func set(ws ...string) map[string]bool {
	m := map[string]bool{}
	for _, w := range ws {
		m[w] = true
	}
	return m
}
