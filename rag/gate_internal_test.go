package rag

import "testing"

// countingEncoder counts what it encodes.
type countingEncoder struct {
	notionEncoder
	n *int
}

func (e countingEncoder) Encode(text string) []float32 {
	*e.n++
	return e.notionEncoder.Encode(text)
}

// The gate's encoder features are read only for a draft whose gate
// decision they can change: near the gate's threshold, not far above it.
func TestReadGateAsked(t *testing.T) {
	var n int
	s := &Service{Paraphrases: countingEncoder{notionEncoder{{"rent"}}, &n}}
	w := make([]float64, len(FeatureNames))
	w[askedFarFeature] = -4
	for _, c := range []struct {
		bias float64
		read bool
	}{{0, true}, {10, false}, {-10, false}} {
		n = 0
		g := &Gate{Weights: w, Bias: c.bias, Threshold: 0.3}
		x := make(Features, len(FeatureNames))
		x[askedMissingFeature] = 0.5
		d := &Draft{Features: x, Kind: KindYesNo, gateQuestion: "can i rent the floor lamp for a weekend", gatePassage: "Floor lamps ship within 48 hours of payment."}
		s.readGateAsked(d, g)
		if got := n > 0; got != c.read {
			t.Errorf("bias %v: encoder read %v, want %v", c.bias, got, c.read)
		}
		if c.read && (x[askedFarFeature] != 1 || x[unaskedFeature] != 1) {
			t.Errorf("bias %v: asked_far %v unasked %v, want 1 and 1 (rent is nowhere in the passage)", c.bias, x[askedFarFeature], x[unaskedFeature])
		}
		if !c.read && (x[askedFarFeature] != 0 || x[unaskedFeature] != 0) {
			t.Errorf("bias %v: features set without reading", c.bias)
		}
	}
}
