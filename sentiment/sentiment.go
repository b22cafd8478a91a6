package sentiment

import (
	"context"
	"math"
)

// Label is a message's sentiment class.
type Label string

const (
	Negative Label = "negative"
	Neutral  Label = "neutral"
	Positive Label = "positive"
)

// Score is the sentiment of one customer message.
type Score struct {
	Label    Label   `json:"label"`
	Polarity float32 `json:"polarity"` // P(positive) − P(negative) − P(angry), in [−1, 1]
	Anger    float32 `json:"anger"`    // probability that the message is angry, in [0, 1]
	Model    string  `json:"model,omitempty"`
}

// Scorer scores customer messages.
type Scorer interface {
	// Score returns the sentiment of text. Errors: EINVALID or ETOOLARGE for
	// text it refuses, EUNAVAILABLE when no model is loaded or it fails.
	Score(ctx context.Context, text string) (Score, error)
}

// DefaultAlpha is the weight of the newest message in a Trend.
const DefaultAlpha = 0.5

// Trend is a conversation's sentiment over its customer messages: an
// exponentially weighted moving average of the polarity, the last score,
// and how many messages in a row were negative.
type Trend struct {
	EWMA        float32 `json:"ewma"`         // weighted polarity, newest weighted Alpha
	Last        float32 `json:"last"`         // polarity of the newest message
	Anger       float32 `json:"anger"`        // anger of the newest message
	MaxAnger    float32 `json:"max_anger"`    // highest anger seen
	NegativeRun int     `json:"negative_run"` // consecutive negative messages, newest included
	Messages    int     `json:"messages"`     // messages scored
}

// Add folds s into the trend with weight alpha for the new message (0 or
// out of range means DefaultAlpha). The first message sets the average.
func (t *Trend) Add(s Score, alpha float32) {
	if !(alpha > 0 && alpha <= 1) {
		alpha = DefaultAlpha
	}
	p := clamp(s.Polarity, -1, 1)
	if t.Messages == 0 {
		t.EWMA = p
	} else {
		t.EWMA = alpha*p + (1-alpha)*t.EWMA
	}
	t.Last = p
	t.Anger = clamp(s.Anger, 0, 1)
	t.MaxAnger = max(t.MaxAnger, t.Anger)
	if s.Label == Negative {
		t.NegativeRun++
	} else {
		t.NegativeRun = 0
	}
	t.Messages++
}

func clamp(v, lo, hi float32) float32 {
	if math.IsNaN(float64(v)) {
		return 0
	}
	return min(max(v, lo), hi)
}
