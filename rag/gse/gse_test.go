package gse_test

import (
	"slices"
	"testing"

	"github.com/assistd/assist/rag/gse"
)

func TestTerms(t *testing.T) {
	a, err := gse.New()
	if err != nil {
		t.Fatal(err)
	}
	got := a.Terms("退货运费怎么算？Refunds for iPhone")
	for _, want := range []string{"退货", "运费", "refund", "iphone"} {
		if !slices.Contains(got, want) {
			t.Errorf("Terms = %q, missing %q", got, want)
		}
	}
	if slices.Contains(got, "？") || slices.Contains(got, "") {
		t.Errorf("punctuation or empty terms: %q", got)
	}
}
