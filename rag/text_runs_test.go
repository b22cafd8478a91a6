package rag

import (
	"fmt"
	"math/rand/v2"
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
