package rag

import (
	"slices"
	"testing"
)

// termsSection is a help-center section as a search returns it again and
// again: its terms are remembered after the first analysis.
const termsSection = "七天无理由退货：商品签收后 7 天内，保持商品完好、配件齐全，可申请无理由退货。" +
	"退货运费由买家承担；商品质量问题的退货运费由我们承担，退款时一并退回。" +
	"Seven-day no-reason returns: within 7 days of delivery, unused and complete, the buyer pays the return shipping."

// readTerms gives the terms Terms gives, and a caller changing what Terms
// handed it does not change what readTerms hands out later.
func TestReadTermsIsTerms(t *testing.T) {
	a := Bigrams{}
	want := a.Terms(termsSection)
	got := readTerms(a, termsSection)
	if !slices.Equal(got, want) {
		t.Fatalf("readTerms %q, Terms %q", got, want)
	}
	mine := a.Terms(termsSection)
	mine[0] = "changed"
	if again := readTerms(a, termsSection); again[0] != want[0] {
		t.Fatalf("the remembered terms changed with a copy handed out: %q", again[0])
	}
}

// BenchmarkSectionTerms: a remembered section's terms read by the
// confidence, reranking and extraction steps of a help-center turn, as a
// copy (Terms) and shared (readTerms).
func BenchmarkSectionTerms(b *testing.B) {
	a := Bigrams{}
	a.Terms(termsSection)
	b.Run("copy", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			a.Terms(termsSection)
		}
	})
	b.Run("shared", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			readTerms(a, termsSection)
		}
	})
}
