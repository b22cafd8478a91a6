package rag

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Analyzer turns text into keyword terms for the keyword leg. The same
// analyzer must index the chunks and analyse the questions.
type Analyzer interface {
	// Terms returns the terms of text in order, with repeats (BM25 counts
	// them). It never fails: text it cannot read yields fewer terms.
	Terms(text string) []string
}

// Bigrams is the default Analyzer: text is normalised (NFKC, lower case);
// runs of Han characters become overlapping character bigrams (a lone
// character is kept as a unigram); other letters and digits form words,
// lightly stemmed (plural -s, -es, -ies). Common English function words are
// dropped. Measured against gse segmentation on cmrc2018 (see the README's
// performance section) bigrams retrieve better, need no dictionary and
// no memory, so they are the default.
type Bigrams struct{}

var _ Analyzer = Bigrams{}

// Terms implements Analyzer.
func (Bigrams) Terms(text string) []string {
	out := make([]string, 0, len(text)/3)
	forEachRun(text, func(run string, han bool) {
		if han {
			// Question words and particles are in questions, not in
			// answers: cut the run at them.
			for _, part := range strings.Fields(hanStops.Replace(run)) {
				out = appendBigrams(out, part)
			}
			return
		}
		if w := Stem(run); w != "" && !stopword[w] {
			out = append(out, w)
		}
	})
	return out
}

// appendBigrams appends the overlapping bigrams of the Han run (a single
// character on its own).
func appendBigrams(out []string, run string) []string {
	if utf8.RuneCountInString(run) == 1 {
		return append(out, run)
	}
	i := 0
	_, w0 := utf8.DecodeRuneInString(run)
	for j := w0; j < len(run); {
		_, w := utf8.DecodeRuneInString(run[j:])
		out = append(out, run[i:j+w])
		i, j = j, j+w
	}
	return out
}

// forEachRun normalises text and calls fn for each maximal run of Han
// characters (han true) and each word of other letters and digits. Runs are
// lower case.
func forEachRun(text string, fn func(run string, han bool)) {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, " ")
	}
	text = norm.NFKC.String(text)
	var b strings.Builder
	kind := 0 // 0 none, 1 han, 2 word
	flush := func() {
		if b.Len() > 0 {
			fn(b.String(), kind == 1)
			b.Reset()
		}
		kind = 0
	}
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			if kind != 1 {
				flush()
				kind = 1
			}
			b.WriteRune(r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if kind != 2 {
				flush()
				kind = 2
			}
			b.WriteRune(unicode.ToLower(r))
		case r == '\'' && kind == 2:
			// don't, customer's: keep the word together; Stem drops 's.
			b.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
}

// Stem lower-cases an English word and strips a possessive and a plural
// ending: "Refunds" → "refund", "policies" → "policy", "boxes" → "box".
// Words that are not plain ASCII letters are returned lower-cased.
func Stem(w string) string {
	w = strings.ToLower(strings.TrimRight(w, "'"))
	w = strings.TrimSuffix(w, "'s")
	w = strings.ReplaceAll(w, "'", "")
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return w
		}
	}
	n := len(w)
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n > 4 && (strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "sses") || strings.HasSuffix(w, "xes")):
		return w[:n-2]
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:n-1]
	}
	return w
}

// stopword lists English function words that carry no topic.
var stopword = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an the and or but if of to in on at by for from with as is are was were be been
		being am do does did doing have has had having i me my we our you your he she it its they them their this that these
		those what which who whom there here than then so not no can could would should will shall may might must into about
		over under up down out off again very just also too s t how why when where please`) {
		stopword[w] = true
	}
}

// hanStops cuts Chinese question words, pronouns and particles out of a
// Han run.
var hanStops = strings.NewReplacer(
	"为什么", " ", "什么", " ", "怎么", " ", "怎样", " ", "如何", " ", "哪些", " ", "哪里", " ", "哪个", " ",
	"多少", " ", "是否", " ", "请问", " ", "一下", " ", "能不能", " ", "可不可以", " ", "有没有", " ", "是不是", " ",
	"你们", " ", "我们", " ", "吗", " ", "呢", " ", "吧", " ", "啊", " ", "的", " ",
)

// Lang guesses the language of text: "zh" when Han characters make up at
// least a fifth of its letters, "en" when it has Latin letters and no Han,
// "mixed" otherwise; "" for text without letters.
func Lang(text string) string {
	var han, latin int
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.IsLetter(r):
			latin++
		}
	}
	switch {
	case han == 0 && latin == 0:
		return ""
	case han == 0:
		return "en"
	case han*5 >= han+latin:
		return "zh"
	default:
		return "mixed"
	}
}

// Unique returns terms without repeats, in first-seen order.
func Unique(terms []string) []string {
	seen := make(map[string]bool, len(terms))
	out := make([]string, 0, len(terms))
	for _, t := range terms {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}
