package eval

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/sentiment"
)

func TestSentimentsHandComputed(t *testing.T) {
	us := time.Microsecond
	neg := sentiment.Score{Label: sentiment.Negative, Polarity: -0.6, Anger: 0.1}
	ang := sentiment.Score{Label: sentiment.Negative, Polarity: -0.9, Anger: 0.8}
	neu := sentiment.Score{Label: sentiment.Neutral}
	pos := sentiment.Score{Label: sentiment.Positive, Polarity: 0.7}
	// gold → pred (anger flag):
	//   angry neg(flag), angry neg(no flag), negative neg(flag), negative neu,
	//   neutral neu, neutral neg, positive pos, positive neu
	preds := []SentimentPrediction{
		{"angry", "en", ang, 10 * us, ""}, {"angry", "zh", neg, 20 * us, ""}, {"negative", "en", ang, 30 * us, ""}, {"negative", "zh", neu, 40 * us, ""},
		{"neutral", "en", neu, 50 * us, ""}, {"neutral", "zh", neg, 60 * us, ""}, {"positive", "en", pos, 70 * us, ""}, {"positive", "zh", neu, 1000 * us, ""},
	}
	r := Sentiments(preds)
	if r.N != 8 || !near(r.Accuracy, 5.0/8) {
		t.Errorf("n %d accuracy %v, want 8 and 5/8", r.N, r.Accuracy)
	}
	// negative (angry merged): gold 4, predicted 4 (3 of them right) → P 3/4 R 3/4.
	// neutral: gold 2, predicted 3, right 1 → P 1/3 R 1/2 F1 2/5.
	// positive: gold 2, predicted 1, right 1 → P 1, R 1/2, F1 2/3.
	if got := r.PerClass["negative"]; !near(got.Precision, 0.75) || !near(got.Recall, 0.75) || got.Support != 4 {
		t.Errorf("negative %+v", got)
	}
	if got := r.PerClass["neutral"]; !near(got.Precision, 1.0/3) || !near(got.Recall, 0.5) || !near(got.F1, 0.4) {
		t.Errorf("neutral %+v", got)
	}
	if _, ok := r.PerClass["angry"]; ok {
		t.Error("angry is a class of its own in the report")
	}
	if want := (0.75 + 0.4 + 2.0/3) / 3; !near(r.MacroF1, want) {
		t.Errorf("macro-F1 %v, want %v", r.MacroF1, want)
	}
	// Anger: flagged 2 (one gold angry), gold angry 2 → P 1/2, R 1/2.
	if r.Anger == nil || !near(r.Anger.Precision, 0.5) || !near(r.Anger.Recall, 0.5) || r.Anger.Support != 2 {
		t.Errorf("anger %+v", r.Anger)
	}
	if r.Latency == nil || r.Latency.P50 != 40 || r.Latency.P99 != 1000 {
		t.Errorf("latency %+v", r.Latency)
	}
	en, zh := r.PerLang["en"], r.PerLang["zh"]
	if en == nil || zh == nil || en.N != 4 || !near(en.Accuracy, 1) || !near(zh.Accuracy, 0.25) || en.PerLang != nil {
		t.Fatalf("per lang %+v %+v", en, zh)
	}
	if r3 := Sentiments([]SentimentPrediction{{Gold: "neutral", Score: neu}}); r3.Anger != nil || r3.PerLang != nil {
		t.Errorf("no angry gold or languages: %+v", r3)
	}
}

// scorerFunc is a hand-written sentiment.Scorer.
type scorerFunc func(string) (sentiment.Score, error)

func (f scorerFunc) Score(_ context.Context, text string) (sentiment.Score, error) { return f(text) }

func TestRunSentiment(t *testing.T) {
	s := scorerFunc(func(text string) (sentiment.Score, error) {
		if strings.Contains(text, "bad") {
			return sentiment.Score{Label: sentiment.Negative, Model: "m1"}, nil
		}
		return sentiment.Score{Label: sentiment.Neutral, Model: "m1"}, nil
	})
	r, err := RunSentiment(context.Background(), s, []sentiment.Example{{Text: "bad", Label: "negative", Lang: "en"}, {Text: "ok", Label: "neutral", Lang: "en"}, {Text: "great", Label: "positive", Lang: "en"}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Model != "m1" || r.N != 3 || !near(r.Accuracy, 2.0/3) || r.Latency == nil {
		t.Errorf("report %+v", r)
	}
	if _, err := RunSentiment(context.Background(), s, nil); assist.ErrorCode(err) != assist.EINVALID {
		t.Errorf("no examples: %v", err)
	}
	failing := scorerFunc(func(string) (sentiment.Score, error) {
		return sentiment.Score{}, assist.Errorf(assist.EUNAVAILABLE, "no model")
	})
	if _, err := RunSentiment(context.Background(), failing, []sentiment.Example{{Text: "x", Label: "neutral"}}); assist.ErrorCode(err) != assist.EUNAVAILABLE {
		t.Errorf("scorer error: %v", err)
	}
}
