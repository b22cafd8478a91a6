package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
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

// Cross-validation never tests a question on a model trained on its
// article's other questions; questions no article answers spread over
// the folds; the same article asked in another set may fall elsewhere.
func TestFoldKeepsAnArticleTogether(t *testing.T) {
	doc := func(s string) *string { return &s }
	a1 := foldKey("hc2=q.jsonl", eval.RAGCase{Question: "how long to return", Doc: doc("en-returns.md")}, 0)
	a2 := foldKey("hc2=q.jsonl", eval.RAGCase{Question: "return label price", Doc: doc("en-returns.md")}, 7)
	if a1%5 != a2%5 {
		t.Errorf("one article's questions in folds %d and %d", a1%5, a2%5)
	}
	folds := map[int]bool{}
	for n := range 5 {
		folds[foldKey("hc2=q.jsonl", eval.RAGCase{Question: "do you ship to mars"}, n)%5] = true
	}
	if len(folds) != 5 {
		t.Errorf("unanswerable questions in %d of 5 folds", len(folds))
	}
	var o outcomes
	o.add(true, false, true)
	o.add(true, true, false)
	o.add(false, true, false)
	o.add(false, false, false)
	if got, want := o.line("x"), "x: answerable answered 1/2 (right 1), declining precision 0.50 recall 0.50 (1/2 unanswerable)"; got != want {
		t.Errorf("line %q, want %q", got, want)
	}
}

// The answer confidence learns from gap replay files too: every question
// of a line, the first and its paraphrases, is one the help center does
// not answer, in the line's language; help-center question files read as
// before, and a file that is neither is an error naming it.
func TestReadAnswerCasesGapFile(t *testing.T) {
	dir := t.TempDir()
	gaps := filepath.Join(dir, "gaps.jsonl")
	write := func(t *testing.T, path, text string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(t, gaps, `{"lang": "en", "questions": ["do you sell gift vouchers for a spa day", "any spa vouchers?"], "answer": "No, we do not."}
{"lang": "zh", "questions": ["你们的水杯能进洗碗机吗", "杯子可以用洗碗机洗不"], "answer": "可以。"}
`)
	cases, err := readAnswerCases(gaps)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 4 {
		t.Fatalf("%d cases, want 4", len(cases))
	}
	for _, c := range cases {
		if c.Doc != nil {
			t.Errorf("%q answerable from %s, want no article", c.Question, *c.Doc)
		}
	}
	if cases[1].Question != "any spa vouchers?" || cases[2].Lang != "zh" {
		t.Errorf("cases %+v", cases)
	}
	qs := filepath.Join(dir, "q.jsonl")
	write(t, qs, `{"question": "how long to return a lamp", "doc": "en-returns.md", "lang": "en"}
`)
	if cases, err := readAnswerCases(qs); err != nil || len(cases) != 1 || cases[0].Doc == nil {
		t.Errorf("help-center questions: %+v, %v", cases, err)
	}
	bad := filepath.Join(dir, "bad.jsonl")
	write(t, bad, `{"text": "hello"}
`)
	if _, err := readAnswerCases(bad); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("neither kind: err %v, want one naming %s", err, bad)
	}
}

// --encoder writes the fitted model as the encoder model of --out and
// keeps the model already there (the shipped one when --out is new).
func TestWithEncoderModelKeepsTheBase(t *testing.T) {
	enc := *rag.DefaultAnswerability()
	enc.Threshold = 0.33
	out := filepath.Join(t.TempDir(), "m.json")
	m, err := withEncoderModel(out, &enc)
	if err != nil {
		t.Fatal(err)
	}
	if m.Threshold != rag.DefaultAnswerability().Threshold || m.Encoder == nil || m.Encoder.Threshold != 0.33 {
		t.Fatalf("new file: base threshold %v, encoder %+v; want the shipped base and the fitted encoder model", m.Threshold, m.Encoder)
	}
	base := *rag.DefaultAnswerability()
	base.Threshold = 0.27
	b, _ := json.Marshal(base)
	if err := os.WriteFile(out, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if m, err = withEncoderModel(out, &enc); err != nil {
		t.Fatal(err)
	}
	if m.Threshold != 0.27 || m.Encoder.Threshold != 0.33 {
		t.Errorf("existing file: thresholds %v / %v, want 0.27 / 0.33", m.Threshold, m.Encoder.Threshold)
	}
	nested := enc
	nested.Encoder = &enc
	if _, err := withEncoderModel(out, &nested); err == nil {
		t.Error("an encoder model holding one: no error")
	}
}
