package rag

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// TestForEachRunPieces checks forEachRun, which passes pieces of the
// text, against the run-by-run copy it replaced.
func TestForEachRunPieces(t *testing.T) {
	copied := func(text string) (runs []string) {
		if !utf8.ValidString(text) {
			text = strings.ToValidUTF8(text, " ")
		}
		text = norm.NFKC.String(text)
		var b strings.Builder
		kind := 0
		flush := func() {
			if b.Len() > 0 {
				runs = append(runs, fmt.Sprint(kind == 1, b.String()))
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
				b.WriteRune(r)
			default:
				flush()
			}
		}
		flush()
		return runs
	}
	texts := []string{"", "a", "A", "'", "don't", "Don't'", "'s", "Customer's REFUNDS", "退款多久到账？How long",
		"ＡＢＣ１２３ｄｅｆ", "Ǆemal ǅ İstanbul ΣΑΣ", "ſK Kelvin", "invalid \xff\xfe bytes", "七天无理由退货的运费谁出？",
		"iPhone14Pro 买了", "x'Y'z", "Ünïcödé Straße", "a\u0301b", "第1次", "\ufffd", "Ⅻ ⅻ ①"}
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("aZ'9 退货Ａ？.İſ\u0301ΣςⅫ\xff")
	for range 2000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteRune(alphabet[r.IntN(len(alphabet))])
		}
		texts = append(texts, b.String())
	}
	for _, text := range texts {
		var got []string
		forEachRun(text, func(run string, han bool) { got = append(got, fmt.Sprint(han, run)) })
		if want := copied(text); !slices.Equal(got, want) {
			t.Errorf("forEachRun(%q) = %q, want %q", text, got, want)
		}
	}
}

// TestNegatedAsOneExpression checks negated (Chinese words, then the
// English expression, remembered) against the one expression it was.
func TestNegatedAsOneExpression(t *testing.T) {
	negation := regexp.MustCompile(`(?i)\b(not|no\s|never|cannot|without|except|excluding|excluded)\b|n't\b|不|没有|无法|除外|除了`)
	texts := []string{"", "does not cover", "Not", "NO returns", "no", "No\tway", "nothing", "knot", "don't", "DON'T", "cannot",
		"EXCEPT for", "excepted", "不在保修范围内", "没有", "没", "无法退货", "除外", "除了", "not不", "isn't it", "n't", "notable",
		"without", "withouts", "never-ending", "ſ", "excluding VAT", "excluded"}
	r := rand.New(rand.NewPCG(3, 4))
	words := []string{"not", "no ", "No\n", "never", "don't", "t", "n", "'", "除", "了", "外", "不", "没", "有", "x", " ", "-", "EXCEPT", "ſ"}
	for range 3000 {
		var b strings.Builder
		for range r.IntN(6) {
			b.WriteString(words[r.IntN(len(words))])
		}
		texts = append(texts, b.String())
	}
	for range 2 { // the second time from the memo
		for _, text := range texts {
			if got, want := negated(text), negation.MatchString(text); got != want {
				t.Errorf("negated(%q) = %v, want %v", text, got, want)
			}
		}
	}
}

// TestLabelInOneString checks label and indexText, each built in one
// string, against the concatenations they replaced.
func TestLabelInOneString(t *testing.T) {
	naive := func(c Chunk) string {
		s := c.Title
		for _, h := range c.HeadingPath {
			if h != c.Title {
				s += "\n" + h
			}
		}
		if c.Question != "" {
			s += "\n" + c.Question
		}
		return s
	}
	for _, c := range []Chunk{{}, {Title: "T"}, {Title: "T", HeadingPath: []string{"T"}}, {Title: "T", HeadingPath: []string{"T", "", "H2"}},
		{Title: "T", HeadingPath: []string{"T", "H"}, Question: "Q?", Text: "body"}, {Text: "only text"}, {Question: "Q"}, {HeadingPath: []string{"", "a"}}} {
		if got, want := label(c), naive(c); got != want {
			t.Errorf("label(%+v) = %q, want %q", c, got, want)
		}
		if got, want := indexText(c), naive(c)+"\n"+c.Text; got != want {
			t.Errorf("indexText(%+v) = %q, want %q", c, got, want)
		}
	}
}

// TestIndexTextTermsByLine checks that Bigrams reads a chunk's index text
// as its label's terms then its text's (indexTextTerms).
func TestIndexTextTermsByLine(t *testing.T) {
	a := Bigrams{}
	for _, c := range []Chunk{{Title: "退货政策", HeadingPath: []string{"退货政策", "运费 Who pays"}, Text: "七天无理由退货的运费由顾客承担。Returns are free"},
		{Title: "FAQ", Question: "能开专票吗？", Text: "可以。"}, {Title: "A\u0301", Text: "\u0301b ＡＢＣ"}, {}, {Text: "x"}, {Title: "Customer's", Text: "s's refunds"}} {
		ts := indexTextTerms(a, c)
		if got, want := append(slices.Clone(ts[0]), ts[1]...), a.Terms(indexText(c)); !slices.Equal(got, want) {
			t.Errorf("indexTextTerms(%+v) = %q, want %q", c, got, want)
		}
	}
}
