package eval

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/nlu"
	"github.com/assistd/assist/nlu/intent"
	"github.com/assistd/assist/nlu/text"
)

// Prediction is one evaluated message: the gold and predicted labels, the
// language from the data (may be empty) and how long the prediction took.
type Prediction struct {
	Gold    string
	Pred    string
	Lang    string
	Latency time.Duration
	Text    string // the message, shown as an example of a confusion
}

// PRF is the precision, recall and F1 of one label, with its support (the
// gold examples of the label).
type PRF struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"`
}

// Confusion counts one kind of mistake: gold labelled, predicted as pred.
type Confusion struct {
	Gold     string   `json:"gold"`
	Pred     string   `json:"pred"`
	Count    int      `json:"count"`
	Examples []string `json:"examples,omitempty"` // up to MaxExamples messages, in data order
}

// MaxExamples is how many example messages a confusion keeps.
const MaxExamples = 3

// Latency holds percentiles in microseconds.
type Latency struct {
	P50 float64 `json:"p50"`
	P99 float64 `json:"p99"`
}

// IntentReport is the intent suite's report. InScopeAccuracy and
// OOSRecall are set when the gold labels include out_of_scope; PerLang when
// the predictions carry languages; Latency when they carry latencies.
type IntentReport struct {
	Model           string                   `json:"model,omitempty"`
	N               int                      `json:"n"`
	Accuracy        float64                  `json:"accuracy"`
	MacroF1         float64                  `json:"macro_f1"`
	PerIntent       map[string]PRF           `json:"per_intent"`
	Confusions      []Confusion              `json:"confusions"`
	InScopeAccuracy *float64                 `json:"in_scope_accuracy,omitempty"`
	OOSRecall       *float64                 `json:"oos_recall,omitempty"`
	PerLang         map[string]*IntentReport `json:"per_lang,omitempty"`
	Latency         *Latency                 `json:"latency_us,omitempty"`
	// FoldAccuracy is each fold's accuracy, from CrossValidate.
	FoldAccuracy []float64 `json:"fold_accuracy,omitempty"`
	// Latencies are every prediction's, in µs (for the histogram).
	Latencies []float64 `json:"-"`
}

// Intents computes the report of predictions. Macro-F1 averages the F1 of
// every label that is a gold or a predicted label. Confusions list every
// (gold, pred) mistake, most frequent first, then by labels.
func Intents(preds []Prediction) *IntentReport {
	r := scores(preds)
	langs := map[string][]Prediction{}
	for _, p := range preds {
		if p.Lang != "" {
			langs[p.Lang] = append(langs[p.Lang], p)
		}
	}
	if len(langs) > 0 {
		r.PerLang = map[string]*IntentReport{}
		for l, ps := range langs {
			r.PerLang[l] = scores(ps)
		}
	}
	return r
}

func scores(preds []Prediction) *IntentReport {
	r := &IntentReport{N: len(preds), PerIntent: map[string]PRF{}, Confusions: []Confusion{}}
	if len(preds) == 0 {
		return r
	}
	tp, gold, pred := map[string]int{}, map[string]int{}, map[string]int{}
	conf := map[[2]string]int{}
	examples := map[[2]string][]string{}
	right, inN, inRight, oosN, oosRight := 0, 0, 0, 0, 0
	var lat []float64
	for _, p := range preds {
		gold[p.Gold]++
		pred[p.Pred]++
		if p.Gold == p.Pred {
			tp[p.Gold]++
			right++
		} else {
			k := [2]string{p.Gold, p.Pred}
			conf[k]++
			if p.Text != "" && len(examples[k]) < MaxExamples {
				examples[k] = append(examples[k], p.Text)
			}
		}
		if p.Gold == nlu.OutOfScope {
			oosN++
			if p.Pred == nlu.OutOfScope {
				oosRight++
			}
		} else {
			inN++
			if p.Pred == p.Gold {
				inRight++
			}
		}
		if p.Latency > 0 {
			lat = append(lat, float64(p.Latency)/float64(time.Microsecond))
		}
	}
	r.Accuracy = float64(right) / float64(len(preds))
	labels := map[string]bool{}
	for l := range gold {
		labels[l] = true
	}
	for l := range pred {
		labels[l] = true
	}
	var f1sum float64
	for l := range labels {
		s := PRF{Support: gold[l], Precision: ratio(tp[l], pred[l]), Recall: ratio(tp[l], gold[l])}
		if s.Precision+s.Recall > 0 {
			s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
		}
		r.PerIntent[l] = s
		f1sum += s.F1
	}
	r.MacroF1 = f1sum / float64(len(labels))
	for k, n := range conf {
		r.Confusions = append(r.Confusions, Confusion{Gold: k[0], Pred: k[1], Count: n, Examples: examples[k]})
	}
	sort.Slice(r.Confusions, func(i, j int) bool {
		a, b := r.Confusions[i], r.Confusions[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Gold != b.Gold {
			return a.Gold < b.Gold
		}
		return a.Pred < b.Pred
	})
	if oosN > 0 {
		in, oos := ratio(inRight, inN), ratio(oosRight, oosN)
		r.InScopeAccuracy, r.OOSRecall = &in, &oos
	}
	if len(lat) > 0 {
		sort.Float64s(lat)
		r.Latency = &Latency{P50: percentile(lat, 0.50), P99: percentile(lat, 0.99)}
		r.Latencies = lat
	}
	return r
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// percentile returns the nearest-rank percentile q of sorted values.
func percentile(sorted []float64, q float64) float64 {
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// RunIntents classifies every example, one message per call so that each
// latency is one utterance's, and returns the report. The texts are
// normalised as the NLU pipeline does.
//
// Errors: EINVALID with no examples; the model's errors.
func RunIntents(ctx context.Context, m nlu.IntentModel, examples []intent.Example) (*IntentReport, error) {
	if len(examples) == 0 {
		return nil, assist.Errorf(assist.EINVALID, "eval intent: no examples")
	}
	preds := make([]Prediction, len(examples))
	version := ""
	for i, e := range examples {
		start := time.Now()
		got, err := m.Classify(ctx, []string{text.Normalize(e.Text)})
		took := time.Since(start)
		if err != nil {
			return nil, fmt.Errorf("eval intent, example %d: %w", i+1, err)
		}
		version = got[0].Model
		preds[i] = Prediction{Text: e.Text, Gold: e.Intent, Pred: got[0].Label, Lang: e.Lang, Latency: max(took, time.Nanosecond)}
	}
	r := Intents(preds)
	r.Model = version
	return r, nil
}
