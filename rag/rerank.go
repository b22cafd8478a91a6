package rag

import (
	nlutext "github.com/assistd/assist/nlu/text"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Reranking: the index is asked for rerankPool candidates, which are
// ordered by their keyword score relative to the best candidate's plus
// labelWeight times the share of the question's words their label holds
// (see rerank). Measured on the hc2 development questions (keyword leg,
// with the count and date kinds of QuestionKind): recall@1 0.732 ->
// 0.754, key facts in the answer 83 -> 86 of 135; demo English recall@1
// 0.552 -> 0.567, demo Chinese 0.731 -> 0.716 (one FAQ entry overtook
// its article). A bonus for FAQ entries whose
// question asks the same kind of thing (0.1-0.3: demo Chinese recall@5
// 0.955 -> 0.925), or for passages holding the kind of figure asked for
// (0.1-0.4), and weighting the label's words by their rarity among the
// candidates lost more than they won: not kept.
const (
	rerankPool  = 20
	labelWeight = 0.5
)

// label is what a chunk is called: its document's title, its headings and,
// for an FAQ entry, its question.
func label(c Chunk) string {
	return labelText(c, false)
}

// labelText is label(c), with text label(c) + "\n" + c.Text (indexText),
// made in one allocation (none for a label that is the title alone):
// every search labels its pool of hits (rerank) and reads their index
// texts.
func labelText(c Chunk, text bool) string {
	n := len(c.Title)
	if text {
		n += 1 + len(c.Text)
	}
	for _, h := range c.HeadingPath {
		if h != c.Title {
			n += 1 + len(h)
		}
	}
	if c.Question != "" {
		n += 1 + len(c.Question)
	}
	if n == len(c.Title) {
		return c.Title
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(c.Title)
	for _, h := range c.HeadingPath {
		if h != c.Title {
			b.WriteString("\n")
			b.WriteString(h)
		}
	}
	if c.Question != "" {
		b.WriteString("\n")
		b.WriteString(c.Question)
	}
	if text {
		b.WriteString("\n")
		b.WriteString(c.Text)
	}
	return b.String()
}

// askTerms are question words that ask how long, how much, when or
// whether ("多久", "几天", "可以", the "much" of "how much", the "take" of
// "how long does it take"): FAQ questions
// hold them as customers' questions do, so in a label they say nothing
// about which section answers.
var askTerms = map[string]bool{"多久": true, "几天": true, "几号": true, "几点": true, "可以": true, "能否": true, "可否": true,
	"long": true, "much": true, "many": true, "soon": true, "often": true, "take": true}

// rerank orders hits (best first) by their keyword score relative to the
// best one's (the fused score when no hit has a keyword score) plus
// labelWeight times the share of the question's content terms (without
// question words, a single Han character counting a quarter) that their
// label holds: the title, headings and FAQ question name what a section
// is about, so a question naming them is about that section. A how-to
// question (kind) also adds howToWeight to sections saying how to.
func rerank(hits []Hit, terms []string, kind Kind, a Analyzer) []Hit {
	if len(hits) < 2 {
		return hits
	}
	weight := map[string]float64{}
	total := 0.0
	for _, t := range contentTerms(terms) {
		if _, ok := weight[t]; ok || askTerms[t] {
			continue
		}
		w := 1.0
		if r, n := utf8.DecodeRuneInString(t); n == len(t) && unicode.Is(unicode.Han, r) {
			w = 0.25
		}
		weight[t] = w
		total += w
	}
	han := false // the question is searched by Chinese bigrams
	for t, w := range weight {
		if r, _ := utf8.DecodeRuneInString(t); w == 1 && unicode.Is(unicode.Han, r) {
			han = true
		}
	}
	maxKW, maxScore := 0.0, 0.0
	for _, h := range hits {
		maxKW = math.Max(maxKW, h.KeywordScore)
		maxScore = math.Max(maxScore, h.Score)
	}
	score := make([]float64, len(hits))
	var seen []string
	for i, h := range hits {
		switch {
		case maxKW > 0:
			score[i] = h.KeywordScore / maxKW
		case maxScore > 0:
			score[i] = h.Score / maxScore
		}
		if kind == KindHowTo && howToLabel(h.Chunk) {
			score[i] += howToWeight
		}
		if total == 0 {
			continue
		}
		seen = seen[:0] // the question's terms the label holds: a few
		lw := 0.0
		for _, t := range readTerms(a, label(h.Chunk)) {
			if w, ok := weight[t]; ok && !slices.Contains(seen, t) {
				seen = append(seen, t)
				lw += w
			}
		}
		score[i] += labelWeight * lw / total
		if han && h.Chunk.Question != "" && !askedAbout(h.Chunk.Question, weight, a) {
			score[i] -= offQuestionPenalty
		}
	}
	score = articleSupport(hits, score)
	idx := make([]int, len(hits))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(x, y int) bool { return score[idx[x]] > score[idx[y]] })
	return capSections(hits, idx)
}

// articleWeight is the share of the best other section's score an article
// section gains: a customer's question is about an article, and the
// section that answers it is seldom the only one of its article that
// matches (the return window is in the returns article's table, its words
// in that article's other sections too), while a stray match in an
// unrelated article is alone. It orders articles among themselves: FAQ
// entries gain nothing (an FAQ file is a collection of unrelated
// questions) and a section never passes an FAQ entry it was behind (an
// FAQ entry is a whole answer on its own; letting sections pass them
// quoted the contact article's table for "when is your live chat open?").
// Development numbers (keyword leg, with capSections): hc2 recall@1 0.768
// -> 0.782, recall@5 0.972 -> 0.972, key fact 0.634 -> 0.649; demo
// recall@1 0.642 -> 0.657, recall@5 0.881 -> 0.903. Letting sections pass
// FAQ entries: hc2 recall@1 0.796, demo 0.701, but two of our stories
// failed; giving FAQ entries articleWeight times half their own score
// instead: hc2 0.782, demo 0.672 with recall@5 0.881. Weights 0.25-0.4 give
// the same within a question or two; the sum of all other sections
// (0.05-0.2) lost recall@5.
const articleWeight = 0.3

// articleSupport returns score with each article section's score raised by
// articleWeight times the best score of another section of its article
// among hits, short of any FAQ entry that scored above it.
func articleSupport(hits []Hit, score []float64) []float64 {
	out := slices.Clone(score)
	for i, h := range hits {
		if h.Chunk.Question != "" {
			continue
		}
		other := 0.0
		for j, g := range hits {
			if j != i && g.Chunk.Question == "" && g.Chunk.Doc == h.Chunk.Doc {
				other = math.Max(other, score[j])
			}
		}
		out[i] += articleWeight * other
		for j, g := range hits {
			if g.Chunk.Question != "" && score[j] > score[i] && out[i] >= score[j] {
				out[i] = math.Nextafter(score[j], math.Inf(-1))
			}
		}
	}
	return out
}

// sectionsPerArticle is how many sections of one article may come before
// every other document's best hit: the others still reach the first hits
// (the reply reads at most a few sections of its article; a top five of
// one article's sections hides the alternatives). Development numbers, with
// articleSupport: demo recall@5 0.858 without a cap -> 0.873 at 3 -> 0.881
// at 2, hc2 0.972 -> 0.986 at 2.
const sectionsPerArticle = 2

// capSections is hits in the order of idx, the sections of an article
// beyond its first sectionsPerArticle moved after the other hits, keeping
// their order. It copies the hits once: a Hit is some 300 bytes, and
// lists of them were the largest allocations of a search.
func capSections(hits []Hit, idx []int) []Hit {
	out := make([]Hit, 0, len(idx))
	docs := make([]string, 0, len(idx)) // the documents seen, once per section
	rest := idx[:0]                     // the moved, in order: idx is read ahead of them
	for _, j := range idx {
		d := hits[j].Chunk.Doc
		n := 0
		for _, s := range docs {
			if s == d {
				n++
			}
		}
		docs = append(docs, d)
		if n >= sectionsPerArticle {
			rest = append(rest, j)
			continue
		}
		out = append(out, hits[j])
	}
	for _, j := range rest {
		out = append(out, hits[j])
	}
	return out
}

// howToWeight is the bonus of a section or FAQ entry saying how to do
// something, for a question asking how (怎么开发票 → the section 如何申请,
// not the FAQ entry on correcting a title). Development numbers: hc2 and
// demo unchanged at 0.1 and 0.2; at 0.3 demo Chinese recall@1 0.716 ->
// 0.701.
const howToWeight = 0.2

// howToHeading matches a heading or FAQ question that says how to do
// something ("How to ask for an invoice", "如何申请").
var howToHeading = nlutext.MustPattern(`(?i)^\s*(how (to|do|can)\b|如何|怎么|怎样)`)

// howToLabel reports whether the chunk's own heading, or its FAQ
// question, says how to do something.
func howToLabel(c Chunk) bool {
	if c.Question != "" {
		return howToHeading.MatchString(c.Question)
	}
	if n := len(c.HeadingPath); n > 1 {
		return howToHeading.MatchString(c.HeadingPath[n-1])
	}
	return false
}

// offQuestionPenalty is taken, for a Chinese question, from an FAQ entry
// whose question holds none of its words (character bigrams; a single
// character is not a word): its short answer was found by bigrams that
// span words ("陶瓷花瓶" → "陶瓷花盆") or mention the topic in passing, and
// its shortness lifts its BM25 over the article section that answers.
// Development numbers (hc2): key fact 0.622 -> 0.634, recall@1 0.754 ->
// 0.768; demo Chinese recall@5 0.940 -> 0.970. At 0.6 demo Chinese
// recall@1 fell 0.716 -> 0.701; for English questions (whole words) it
// ranked the FAQ entry on service hours below the contact article's table.
const offQuestionPenalty = 0.4

// askedAbout reports whether the FAQ question holds a word (not a single
// Chinese character) of the customer's question, weighted in weight.
func askedAbout(question string, weight map[string]float64, a Analyzer) bool {
	for _, t := range readTerms(a, question) {
		if w, ok := weight[t]; ok && w == 1 {
			return true
		}
	}
	return false
}
