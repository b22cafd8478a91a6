package eval

import (
	"context"
	"fmt"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/sentiment"
)

// AngerThreshold is the anger above which the sentiment suite counts a
// message as predicted angry.
const AngerThreshold = 0.5

// SentimentReport is the sentiment suite's report. The classes are the
// three of sentiment.Label: gold angry counts as negative, as Score does.
// Anger scores the anger flag (Anger ≥ AngerThreshold against gold angry)
// and is set when the data has angry examples.
type SentimentReport struct {
	Model      string                      `json:"model,omitempty"`
	N          int                         `json:"n"`
	Accuracy   float64                     `json:"accuracy"`
	MacroF1    float64                     `json:"macro_f1"`
	PerClass   map[string]PRF              `json:"per_class"`
	Confusions []Confusion                 `json:"confusions"`
	Anger      *PRF                        `json:"anger,omitempty"`
	PerLang    map[string]*SentimentReport `json:"per_lang,omitempty"`
	Latency    *Latency                    `json:"latency_us,omitempty"`
	Latencies  []float64                   `json:"-"` // every message's, in µs
}

// SentimentPrediction is one scored message: its gold class (one of
// sentiment.Classes), language and score, and how long scoring took.
type SentimentPrediction struct {
	Gold    string
	Lang    string
	Score   sentiment.Score
	Latency time.Duration
	Text    string
}

// Sentiments computes the report of predictions (see SentimentReport),
// overall and per language.
func Sentiments(preds []SentimentPrediction) *SentimentReport {
	r := sentimentScores(preds)
	langs := map[string][]SentimentPrediction{}
	for _, p := range preds {
		if p.Lang != "" {
			langs[p.Lang] = append(langs[p.Lang], p)
		}
	}
	if len(langs) > 0 {
		r.PerLang = map[string]*SentimentReport{}
		for l, ps := range langs {
			r.PerLang[l] = sentimentScores(ps)
		}
	}
	return r
}

func sentimentScores(preds []SentimentPrediction) *SentimentReport {
	ps := make([]Prediction, len(preds))
	var angry, flagged, both int
	for i, p := range preds {
		gold := p.Gold
		if gold == sentiment.ClassAngry {
			gold = sentiment.ClassNegative
			angry++
		}
		pred := p.Score.Anger >= AngerThreshold
		if pred {
			flagged++
			if p.Gold == sentiment.ClassAngry {
				both++
			}
		}
		ps[i] = Prediction{Text: p.Text, Gold: gold, Pred: string(p.Score.Label), Latency: p.Latency}
	}
	ir := scores(ps)
	r := &SentimentReport{N: ir.N, Accuracy: ir.Accuracy, MacroF1: ir.MacroF1, PerClass: ir.PerIntent, Confusions: ir.Confusions, Latency: ir.Latency, Latencies: ir.Latencies}
	if angry > 0 {
		a := PRF{Precision: ratio(both, flagged), Recall: ratio(both, angry), Support: angry}
		if a.Precision+a.Recall > 0 {
			a.F1 = 2 * a.Precision * a.Recall / (a.Precision + a.Recall)
		}
		r.Anger = &a
	}
	return r
}

// RunSentiment scores every example, one message per call so that each
// latency is one message's, and returns the report.
//
// Errors: EINVALID with no examples; the scorer's errors.
func RunSentiment(ctx context.Context, s sentiment.Scorer, examples []sentiment.Example) (*SentimentReport, error) {
	if len(examples) == 0 {
		return nil, assist.Errorf(assist.EINVALID, "eval sentiment: no examples")
	}
	preds := make([]SentimentPrediction, len(examples))
	version := ""
	for i, e := range examples {
		start := time.Now()
		sc, err := s.Score(ctx, e.Text)
		took := time.Since(start)
		if err != nil {
			return nil, fmt.Errorf("eval sentiment, example %d: %w", i+1, err)
		}
		version = sc.Model
		preds[i] = SentimentPrediction{Text: e.Text, Gold: e.Label, Lang: e.Lang, Score: sc, Latency: max(took, time.Nanosecond)}
	}
	r := Sentiments(preds)
	r.Model = version
	return r, nil
}
