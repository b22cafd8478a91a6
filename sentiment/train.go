package sentiment

import (
	"github.com/assistd/assist"
	"github.com/assistd/assist/nlu/intent"
)

// Kind names sentiment models: their versions read "sentiment-…".
const Kind = "sentiment"

// Train trains a sentiment model with the intent trainer on the prepared
// (see Prepare) texts of train, stopping early on valid (a held-out share
// of train when valid is empty). Every class of Classes must be present in
// train.
//
// Errors: EINVALID for a label that is not a class, a class without
// examples, or options the trainer refuses.
func Train(train, valid []Example, opt intent.Options) (*intent.Trained, error) {
	seen := map[string]bool{}
	for _, e := range train {
		seen[e.Label] = true
	}
	for _, c := range Classes {
		if !seen[c] {
			return nil, assist.Errorf(assist.EINVALID, "train sentiment: no %s examples", c)
		}
	}
	for _, set := range [][]Example{train, valid} {
		for _, e := range set {
			if !isClass(e.Label) {
				return nil, assist.Errorf(assist.EINVALID, "train sentiment: label %.40q is not a class", e.Label)
			}
		}
	}
	return intent.Train(Prepared(train), Prepared(valid), opt)
}

// Prepared returns the examples as the intent trainer takes them: text
// through Prepare, the class as the intent.
func Prepared(ex []Example) []intent.Example {
	if len(ex) == 0 {
		return nil
	}
	out := make([]intent.Example, len(ex))
	for i, e := range ex {
		out[i] = intent.Example{Text: Prepare(e.Text), Intent: e.Label, Lang: e.Lang}
	}
	return out
}

// Save writes the trained model into dir (model.onnx and model.json, as
// intent.Save does) with a "sentiment-" version.
func Save(dir string, t *intent.Trained, metrics map[string]float64) (intent.Meta, error) {
	return intent.SaveAs(dir, Kind, t, metrics)
}

// FromProbs turns the class probabilities of one message (in labels'
// order) into a Score: Anger is P(angry), Polarity P(positive) −
// P(negative) − P(angry), and Label the most probable of neutral,
// positive and negative-or-angry (neutral on a tie). Classes missing from
// labels count as probability 0.
func FromProbs(labels []string, p []float32) Score {
	var neg, neu, pos, angry float32
	for i, l := range labels {
		if i >= len(p) {
			break
		}
		switch l {
		case ClassNegative:
			neg = p[i]
		case ClassNeutral:
			neu = p[i]
		case ClassPositive:
			pos = p[i]
		case ClassAngry:
			angry = p[i]
		}
	}
	s := Score{Label: Neutral, Polarity: clamp(pos-neg-angry, -1, 1), Anger: clamp(angry, 0, 1)}
	best := neu
	if neg+angry > best {
		s.Label, best = Negative, neg+angry
	}
	if pos > best {
		s.Label = Positive
	}
	return s
}
