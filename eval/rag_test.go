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
	near("mrr", r.MRR, (1+1.0/3)/3)
	near("ndcg@5", r.NDCGAt5, (1+1/math.Log2(4))/3)
	near("no_answer precision", r.NoAnswer.Precision, 0.5) // abstained on q3 (wrong) and q4 (right)
	near("no_answer recall", r.NoAnswer.Recall, 0.5)       // q4 yes, q5 no
	near("p50", r.LatencyP50Ms, 3)
	near("p99", r.LatencyP99Ms, 100)
	if r.Answerable != 3 || r.Unanswerable != 2 || r.FalseAbstentions != 1 {
		t.Errorf("counts %+v", r.RAGScores)
	}
	if zh := r.PerLang["zh"]; zh.Questions != 2 || zh.RecallAt5 != 0 || zh.NoAnswer.Recall != 1 {
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

// TestScoreRAGAnswers scores what the customer reads: whether the reply
// quotes the key fact, answered and declined questions, per kind and on
// cross-lingual questions, and how well the confidence says which replies
// are right.
func TestScoreRAGAnswers(t *testing.T) {
	cases := []eval.RAGCase{
		{Question: "退货多久", Doc: ptr("zh-returns.md"), Lang: "zh", Fact: "7 天", Kind: "duration"},
		{Question: "return fee?", Doc: ptr("en-returns.md"), Lang: "en", Fact: "S$10", Kind: "amount"},
		{Question: "退款几天到账", Doc: ptr("en-refunds.md"), Lang: "zh", Fact: "5-10 business days", Kind: "duration", Cross: true},
		{Question: "do you sell cars", Doc: nil, Lang: "en", Kind: "unanswerable"},
	}
	results := []eval.RAGResult{
		{Docs: []string{"zh-returns.md"}, Answer: "签收之日起７天内可退。 [1]", Confidence: 0.9},              // width and spaces aside: right
		{Docs: []string{"en-returns.md"}, Answer: "Returns cost s$ 10. [1]", Confidence: 0.8},      // case and spaces aside: right
		{Docs: []string{"zh-refunds.md"}, Answer: "退款原路返回。 [1]", Confidence: 0.3, Abstained: true}, // declined
		{Docs: []string{"en-shipping.md"}, Answer: "We ship by SF. [1]", Confidence: 0.2, Abstained: true},
	}
	r := eval.ScoreRAG(cases, results)
	if r.Facts != 2 || r.FactMatch != 1 || r.Right != 2 {
		t.Errorf("facts %d, match %v, right %d; want 2, 1, 2", r.Facts, r.FactMatch, r.Right)
	}
	if math.Abs(r.Answered-2.0/3) > 1e-9 || r.UnanswerableAnswered != 0 || r.NoAnswer.Precision != 0.5 || r.NoAnswer.Recall != 1 {
		t.Errorf("answered %v, unanswerable answered %d, declining %+v", r.Answered, r.UnanswerableAnswered, r.NoAnswer)
	}
	// Bins: 0.2 (wrong), 0.3 (wrong), 0.8 (right), 0.9 (right):
	// ECE = (0.2 + 0.3 + 0.2 + 0.1) / 4.
	if math.Abs(r.CalibrationError-0.2) > 1e-9 || len(r.Reliability) != 10 {
		t.Errorf("calibration error %v, reliability %+v", r.CalibrationError, r.Reliability)
	}
	if d := r.PerKind["duration"]; d.Questions != 2 || d.Answerable != 2 || d.Answered != 0.5 {
		t.Errorf("duration = %+v", d)
	}
	if r.Cross == nil || r.Cross.Questions != 1 || r.Cross.RecallAt5 != 0 {
		t.Errorf("cross = %+v", r.Cross)
	}
}
