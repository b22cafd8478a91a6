package main

import (
	"testing"

	"github.com/assistd/assist/eval"
	"github.com/assistd/assist/rag"
)

// Training the answer confidence: a reply quoting another document's FAQ
// entry cannot be judged when the question names only its article (the
// FAQ often repeats it); with a key fact, or from an article, it can.
func TestUnjudgedReplies(t *testing.T) {
	article := "en-returns.md"
	faq := rag.Hit{Chunk: rag.Chunk{DocKey: rag.DocKey{Doc: "en-faq-return-window"}, Question: "How long do I have to return an item?", Answer: "7 days"}}
	other := rag.Hit{Chunk: rag.Chunk{DocKey: rag.DocKey{Doc: "en-shipping.md"}}}
	same := rag.Hit{Chunk: rag.Chunk{DocKey: rag.DocKey{Doc: article}}}
	for _, tc := range []struct {
		name string
		cs   eval.RAGCase
		best rag.Hit
		want bool
	}{
		{"FAQ reply, article named, no fact", eval.RAGCase{Question: "return window?", Doc: &article}, faq, true},
		{"FAQ reply, key fact to check", eval.RAGCase{Question: "return window?", Doc: &article, Fact: "7 days"}, faq, false},
		{"another article", eval.RAGCase{Question: "return window?", Doc: &article}, other, false},
		{"the article itself", eval.RAGCase{Question: "return window?", Doc: &article}, same, false},
		{"no article answers", eval.RAGCase{Question: "do you sell bikes"}, faq, false},
	} {
		if got := unjudged(tc.cs, tc.best); got != tc.want {
			t.Errorf("%s: unjudged = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// The cross-validation's ranking measure: a confidence that puts every
// answerable question above every other scores 1, the reverse 0, one that
// cannot tell them apart (all equal) one half.
func TestROCArea(t *testing.T) {
	pos := []bool{true, false, true, false}
	for _, tc := range []struct {
		name  string
		score []float64
		want  float64
	}{
		{"separates", []float64{0.9, 0.1, 0.8, 0.2}, 1},
		{"reversed", []float64{0.1, 0.9, 0.2, 0.8}, 0},
		{"all tied", []float64{0.5, 0.5, 0.5, 0.5}, 0.5},
		{"one pair swapped", []float64{0.9, 0.1, 0.3, 0.4}, 0.75},
	} {
		if got := rocArea(tc.score, pos); got != tc.want {
			t.Errorf("%s: rocArea = %v, want %v", tc.name, got, tc.want)
		}
	}
	if got := rocArea([]float64{0.2, 0.3}, []bool{true, true}); got != 0.5 {
		t.Errorf("one class only: rocArea = %v, want 0.5", got)
	}
}
