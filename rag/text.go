package rag

import (
	"slices"
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

// QueryAnalyzer is an Analyzer that analyses questions differently from
// the text it indexes (a question's terms must still be terms the indexed
// text can contain). The Service uses QueryTerms for questions when its
// Analyzer has it.
type QueryAnalyzer interface {
	Analyzer
	// QueryTerms returns the terms to search a question by, in order of
	// importance (the Service keeps the first Config.MaxTerms distinct
	// ones). It never fails.
	QueryTerms(question string) []string
}

// Bigrams is the default Analyzer: text is normalised (NFKC, lower case);
// runs of Han characters become overlapping character bigrams and, when
// indexed, also single characters; other letters and digits form words,
// lightly stemmed (plural -s, -es, -ies). Common English function words and
// Chinese question words (怎么, 如何, 吗, 呢...) are dropped. Measured
// against gse segmentation on cmrc2018 (see the README's performance
// section) bigrams retrieve better, need no dictionary and no memory, so
// they are the default.
//
// Questions (QueryTerms) are searched by their bigrams; a short question,
// with at most ShortQuestion Han characters (24 by default), also by its characters, so
// that "发票怎么开" finds 开 in 开具 and "积分怎么用" finds 用 in 使用. On the
// demo eval set unigrams for short questions raised Chinese recall@1 from
// 0.67 to 0.73; for long questions they add little and cost time.
type Bigrams struct {
	// ShortQuestion is the most Han characters a question may have to be
	// searched by its single characters too: 0 means 24, < 0 never.
	ShortQuestion int
}

var _ QueryAnalyzer = Bigrams{}

// defaultShortQuestion is Bigrams.ShortQuestion's default.
const defaultShortQuestion = 24

// Terms implements Analyzer: the bigrams and single characters of Han text,
// the words of other text.
func (Bigrams) Terms(text string) []string {
	if len(text) > memoMaxText {
		return bigramTerms(text, true)
	}
	if t, ok := indexTerms.get(text); ok {
		// A copy: callers may change what they get.
		return append(make([]string, 0, len(t)), t...)
	}
	t := bigramTerms(text, true)
	indexTerms.put(text, append([]string(nil), t...))
	return t
}

// indexTextTerms are the terms of indexText(c), read (readTerms): with
// Bigrams those of its label, then those of its text, without the string
// joining them (the terms of a text are those of its lines one after the
// other: a run of Han characters or a word ends at a line's end).
func indexTextTerms(a Analyzer, c Chunk) [2][]string {
	if _, ok := a.(Bigrams); ok {
		return [2][]string{readTerms(a, label(c)), readTerms(a, c.Text)}
	}
	return [2][]string{readTerms(a, indexText(c))}
}

// readTerms is a.Terms(text) for a caller that only reads the terms:
// Bigrams hands out the slice it remembers instead of a copy. The
// sections a search returns are analysed several times per question
// (confidence, reranking, extraction), and those copies were a tenth of
// a help-center turn's allocations.
func readTerms(a Analyzer, text string) []string {
	if _, ok := a.(Bigrams); ok && len(text) <= memoMaxText {
		if t, ok := indexTerms.get(text); ok {
			return t
		}
	}
	return a.Terms(text)
}

// indexTerms remembers Bigrams.Terms of the texts it analysed: the
// sections a search returns are analysed for every question (reranking,
// extraction, confidence features).
var indexTerms memo[string, []string]

// QueryTerms implements QueryAnalyzer: the bigrams (and a lone character
// between question words) of the question, then, for a short question,
// its other characters.
func (b Bigrams) QueryTerms(question string) []string {
	if len(question) > memoMaxText {
		return b.queryTerms(question)
	}
	k := queryKey{b.ShortQuestion, question}
	if t, ok := queryTermsMemo.get(k); ok {
		return slices.Clone(t)
	}
	t := b.queryTerms(question)
	queryTermsMemo.put(k, t)
	return slices.Clone(t) // the caller's to change
}

// queryTermsMemo remembers QueryTerms' answers: a turn searches and reads a
// question's words (and its search text) several times (each draft's
// search, extraction, the features).
var queryTermsMemo = memo[queryKey, []string]{size: 256}

type queryKey struct {
	short int
	text  string
}

// queryTerms is QueryTerms, not remembered.
func (b Bigrams) queryTerms(question string) []string {
	out := bigramTerms(question, false)
	short := b.ShortQuestion
	if short == 0 {
		short = defaultShortQuestion
	}
	han := 0
	for _, r := range question {
		if unicode.Is(unicode.Han, r) {
			han++
		}
	}
	if han == 0 || han > short {
		return out
	}
	have := make(map[string]bool, len(out))
	for _, t := range out {
		have[t] = true
	}
	for _, t := range bigramTerms(question, true) {
		if r, n := utf8.DecodeRuneInString(t); n == len(t) && unicode.Is(unicode.Han, r) && !have[t] {
			have[t] = true
			out = append(out, t)
		}
	}
	return out
}

// bigramTerms analyses text; unigrams adds every Han character of a run
// of two or more after its bigrams.
func bigramTerms(text string, unigrams bool) []string {
	out := make([]string, 0, len(text)/3)
	forEachRun(text, func(run string, han bool) {
		if han {
			// Question words and particles are in questions, not in
			// answers: cut the run at them.
			for _, part := range strings.Fields(hanStops.Replace(run)) {
				out = appendBigrams(out, part, unigrams)
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
// character on its own) and, with unigrams, its characters.
func appendBigrams(out []string, run string, unigrams bool) []string {
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
	if unigrams {
		for k, r := range run {
			out = append(out, run[k:k+utf8.RuneLen(r)])
		}
	}
	return out
}

// forEachRun normalises text and calls fn for each maximal run of Han
// characters (han true) and each word of other letters and digits. Runs are
// lower case. A run is a piece of the normalised text itself when lower-
// casing leaves it as it is (a Han run always, most words): a string
// built for each run was a fifth of a help-center turn's allocations.
func forEachRun(text string, fn func(run string, han bool)) {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, " ")
	}
	text = norm.NFKC.String(text)
	var b []byte   // the lower-cased run, when it is not a piece of text
	start := -1    // where the run starts in text
	lower := false // the run is b, not text[start:i]
	kind := 0      // 0 none, 1 han, 2 word
	flush := func(i int) {
		switch {
		case lower:
			fn(string(b), kind == 1)
		case start >= 0 && i > start:
			fn(text[start:i], kind == 1)
		}
		b, start, lower, kind = b[:0], -1, false, 0
	}
	for i, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			if kind != 1 {
				flush(i)
				kind, start = 1, i
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if kind != 2 {
				flush(i)
				kind, start = 2, i
			}
			if l := unicode.ToLower(r); l != r {
				if !lower {
					lower = true
					b = append(b[:0], text[start:i]...)
				}
				b = utf8.AppendRune(b, l)
				continue
			}
			if lower {
				b = utf8.AppendRune(b, r)
			}
		case r == '\'' && kind == 2:
			// don't, customer's: keep the word together; Stem drops 's.
			if lower {
				b = append(b, '\'')
			}
		default:
			flush(i)
		}
	}
	flush(len(text))
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
		over under up down out off again very just also too s t how why when where please else`) {
		// Words are looked up stemmed: "does" is read as "doe", and was
		// searched ("how long does the repair take" matched "How long
		// does a refund … take?" by three words, the warranty entry by two).
		stopword[w], stopword[Stem(w)] = true, true
	}
}

// hanStops cuts Chinese question words, pronouns and particles out of a
// Han run.
var hanStops = strings.NewReplacer(
	"为什么", " ", "什么", " ", "怎么", " ", "怎样", " ", "如何", " ", "哪些", " ", "哪里", " ", "哪个", " ",
	"多少", " ", "是否", " ", "请问", " ", "一下", " ", "能不能", " ", "可不可以", " ", "有没有", " ", "是不是", " ",
	"你们", " ", "我们", " ", "吗", " ", "呢", " ", "吧", " ", "啊", " ", "的", " ",
)

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
