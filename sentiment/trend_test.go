package sentiment

import (
	"math"
	"testing"
)

func TestTrend(t *testing.T) {
	neg := Score{Label: Negative, Polarity: -0.8, Anger: 0.6}
	neu := Score{Label: Neutral, Polarity: 0.1, Anger: 0.1}
	pos := Score{Label: Positive, Polarity: 0.9}
	var tr Trend
	steps := []struct {
		s        Score
		alpha    float32
		ewma     float32
		negRun   int
		maxAnger float32
	}{
		{neu, 0.5, 0.1, 0, 0.1},    // the first message sets the average
		{neg, 0.5, -0.35, 1, 0.6},  // 0.5·-0.8 + 0.5·0.1
		{neg, 0.5, -0.575, 2, 0.6}, // 0.5·-0.8 + 0.5·-0.35
		{pos, 0.5, 0.1625, 0, 0.6}, // a positive message ends the run
		{neg, 0, -0.31875, 1, 0.6}, // alpha 0 means DefaultAlpha
		{neu, 1, 0.1, 0, 0.6},      // alpha 1: only the newest counts
		{Score{Label: Negative, Polarity: -3, Anger: 2}, 0.25, -0.175, 1, 1}, // clamped to [-1, 1], [0, 1]
	}
	for i, st := range steps {
		tr.Add(st.s, st.alpha)
		if math.Abs(float64(tr.EWMA-st.ewma)) > 1e-6 || tr.NegativeRun != st.negRun || tr.MaxAnger != st.maxAnger || tr.Messages != i+1 {
			t.Fatalf("step %d: %+v, want ewma %v, negative run %d, max anger %v", i+1, tr, st.ewma, st.negRun, st.maxAnger)
		}
	}
	if tr.Last != -1 || tr.Anger != 1 {
		t.Errorf("last %v anger %v, want -1 and 1", tr.Last, tr.Anger)
	}
	var nan Trend
	nan.Add(Score{Polarity: float32(math.NaN()), Anger: float32(math.NaN())}, 0.5)
	if nan.EWMA != 0 || nan.Anger != 0 {
		t.Errorf("NaN score gives %+v, want zeros", nan)
	}
}

func TestFromProbs(t *testing.T) {
	labels := []string{"positive", "neutral", "angry", "negative"} // any order
	for _, tc := range []struct {
		p     []float32
		label Label
	}{
		{[]float32{0.1, 0.5, 0.2, 0.2}, Neutral},  // negative+angry 0.4 < 0.5
		{[]float32{0.1, 0.4, 0.3, 0.2}, Negative}, // 0.5 > 0.4
		{[]float32{0.5, 0.3, 0.1, 0.1}, Positive},
		{[]float32{0.4, 0.2, 0.2, 0.2}, Negative}, // positive 0.4 ties negative 0.4: the first to beat neutral stays
	} {
		s := FromProbs(labels, tc.p)
		if s.Label != tc.label {
			t.Errorf("%v: %s, want %s", tc.p, s.Label, tc.label)
		}
		if w := tc.p[0] - tc.p[2] - tc.p[3]; math.Abs(float64(s.Polarity-w)) > 1e-6 || s.Anger != tc.p[2] {
			t.Errorf("%v: polarity %v anger %v", tc.p, s.Polarity, s.Anger)
		}
	}
	if s := FromProbs([]string{"neutral", "other"}, []float32{0.3, 0.7}); s.Label != Neutral || s.Polarity != 0 || s.Anger != 0 {
		t.Errorf("missing classes: %+v", s)
	}
}
