package eval_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/eval"
)

func ptr(s string) *string { return &s }

func TestScoreRAG(t *testing.T) {
	cases := []eval.RAGCase{
		{Question: "q1", Doc: ptr("a"), Lang: "en"},
		{Question: "q2", Doc: ptr("b"), Lang: "en"},
		{Question: "q3", Doc: ptr("c"), Lang: "zh"},
		{Question: "q4", Doc: nil, Lang: "zh"},
		{Question: "q5", Doc: nil, Lang: "en"},
	}
	results := []eval.RAGResult{
		{Docs: []string{"a", "x"}, Latency: 1 * time.Millisecond},
		{Docs: []string{"x", "x", "y", "b"}, Latency: 2 * time.Millisecond}, // b is 3rd distinct
		{Docs: []string{"x"}, Abstained: true, Latency: 3 * time.Millisecond},
		{Docs: []string{"x"}, Abstained: true, Latency: 4 * time.Millisecond},
		{Docs: nil, Abstained: false, Latency: 100 * time.Millisecond},
	}
	r := eval.ScoreRAG(cases, results)
	near := func(name string, got, want float64) {
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	near("recall@1", r.RecallAt1, 1.0/3)
	near("recall@5", r.RecallAt5, 2.0/3)
	near("recall@10", r.RecallAt10, 2.0/3)
	near("mrr", r.MRR, (1+1.0/3)/3)
	near("ndcg@10", r.NDCGAt10, (1+1/math.Log2(4))/3)
	near("no_answer precision", r.NoAnswer.Precision, 0.5) // abstained on q3 (wrong) and q4 (right)
	near("no_answer recall", r.NoAnswer.Recall, 0.5)       // q4 yes, q5 no
	near("p50", r.LatencyP50Ms, 3)
	near("p99", r.LatencyP99Ms, 100)
	if r.Answerable != 3 || r.Unanswerable != 2 || r.FalseAbstentions != 1 {
		t.Errorf("counts %+v", r.RAGScores)
	}
	if zh := r.PerLang["zh"]; zh.Questions != 2 || zh.RecallAt10 != 0 || zh.NoAnswer.Recall != 1 {
		t.Errorf("zh = %+v", zh)
	}
	if en := r.PerLang["en"]; en.Questions != 3 || en.RecallAt1 != 0.5 {
		t.Errorf("en = %+v", en)
	}
}

func TestReadRAGCases(t *testing.T) {
	got, err := eval.ReadRAGCases(strings.NewReader(`{"question":"退货？","doc":"zh-returns.md","lang":"zh"}

{"question":"CEO?","doc":null}
`))
	if err != nil || len(got) != 2 || *got[0].Doc != "zh-returns.md" || got[1].Doc != nil || got[0].Lang != "zh" {
		t.Fatalf("got %+v, %v", got, err)
	}
	for _, bad := range []string{`{"question":"x"}`, `{"question":"","doc":"a"}`, `not json`, ``} {
		if _, err := eval.ReadRAGCases(strings.NewReader(bad)); assist.ErrorCode(err) != assist.EINVALID {
			t.Errorf("%q: err = %v", bad, err)
		}
	}
}
