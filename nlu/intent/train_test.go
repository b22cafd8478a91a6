package intent

import (
	"slices"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/nlu"
	"github.com/assistd/assist/nlu/text"
)

// toyOptions train the toy data in well under a second.
var toyOptions = Options{Features: FeatureConfig{Buckets: 1 << 12, Unigrams: true, Bigrams: true, HanTrigrams: true, CharMin: 3, CharMax: 4}, Dim: 16, Epochs: 20, Seed: 7}

func TestTrainLearnsBothLanguages(t *testing.T) {
	train, valid, test := toyData(1, 60), toyData(2, 8), toyData(3, 15)
	tr, err := Train(train, valid, toyOptions)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tr.Labels, []string{"greeting", "out_of_scope", "refund_status", "track_shipment"}) {
		t.Fatalf("labels %v", tr.Labels)
	}
	right := map[string]int{}
	total := map[string]int{}
	for _, e := range test {
		p := tr.Net.Probs(tr.Features.Featurize(nil, text.Normalize(e.Text)), tr.Pool)
		total[e.Lang]++
		if tr.Labels[argmax(p)] == e.Intent {
			right[e.Lang]++
		}
	}
	for _, lang := range []string{"en", "zh"} {
		if acc := float64(right[lang]) / float64(total[lang]); acc < 0.9 {
			t.Errorf("%s: held-out accuracy %.2f (%d/%d), want ≥ 0.9", lang, acc, right[lang], total[lang])
		}
	}
	if tr.Epochs < 1 || tr.DataHash != DataHash(train) {
		t.Errorf("epochs %d, hash %s", tr.Epochs, tr.DataHash)
	}
}

func TestTrainDeterministic(t *testing.T) {
	data := toyData(1, 30)
	a, err := Train(data, nil, toyOptions)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Train(data, nil, toyOptions)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Net.Members[0].Emb, b.Net.Members[0].Emb) || !slices.Equal(a.Net.Members[0].W, b.Net.Members[0].W) || a.Threshold != b.Threshold {
		t.Error("the same seed gave different models")
	}
	opt := toyOptions
	opt.Seed++
	c, err := Train(data, nil, opt)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(a.Net.Members[0].Emb, c.Net.Members[0].Emb) {
		t.Error("another seed gave the same model")
	}
}

func TestTrainEnsemble(t *testing.T) {
	train, valid := toyData(1, 40), toyData(2, 8)
	single, err := Train(train, valid, toyOptions)
	if err != nil {
		t.Fatal(err)
	}
	opt := toyOptions
	opt.Members, opt.Dropout = 3, 0.2
	a, err := Train(train, valid, opt)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Train(train, valid, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Net.Members) != 3 || a.Meta().Members != 3 {
		t.Fatalf("%d members, meta %d, want 3", len(a.Net.Members), a.Meta().Members)
	}
	for m := range a.Net.Members {
		if !slices.Equal(a.Net.Members[m].Emb, b.Net.Members[m].Emb) {
			t.Errorf("member %d: the same seed gave different weights", m)
		}
		if m > 0 && slices.Equal(a.Net.Members[m].Emb, a.Net.Members[0].Emb) {
			t.Errorf("member %d has the weights of member 0", m)
		}
	}
	if one := toyOptions; single.Meta().Members != 1 || one.Members != 0 {
		t.Errorf("single model: meta members %d", single.Meta().Members)
	}
	// The ensemble's probabilities are the mean of its members'.
	for _, e := range valid[:5] {
		ids := a.Features.Featurize(nil, text.Normalize(e.Text))
		got := a.Net.Probs(ids, a.Pool)
		want := make([]float64, len(got))
		for _, n := range a.Net.Members {
			for c, p := range n.Probs(ids, a.Pool) {
				want[c] += float64(p) / 3
			}
		}
		var sum float64
		for c := range got {
			sum += float64(got[c])
			if d := float64(got[c]) - want[c]; d > 1e-6 || d < -1e-6 {
				t.Errorf("%q class %d: %v, mean of members %v", e.Text, c, got[c], want[c])
			}
		}
		if sum < 0.999 || sum > 1.001 {
			t.Errorf("%q: probabilities sum to %v", e.Text, sum)
		}
	}
}

func TestTrainRefit(t *testing.T) {
	opt := toyOptions
	opt.Refit = true
	valid := toyData(2, 10)
	tr, err := Train(toyData(1, 40), valid, opt)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Net == tr.Selected || slices.Equal(tr.Net.Members[0].Emb, tr.Selected.Members[0].Emb) {
		t.Fatal("refit kept the early-stopped network")
	}
	texts := make([]string, len(valid))
	for i, e := range valid {
		texts[i] = e.Text
	}
	for _, heldOut := range []bool{false, true} {
		right := 0
		for i, in := range tr.Classify(texts, heldOut) {
			if in.Label == valid[i].Intent {
				right++
			}
		}
		if acc := float64(right) / float64(len(valid)); acc < 0.9 {
			t.Errorf("held out %v: accuracy %.2f", heldOut, acc)
		}
	}
}

func TestTrainHiddenLayer(t *testing.T) {
	opt := toyOptions
	opt.Hidden, opt.LR, opt.Pool, opt.Dropout, opt.Smooth = 16, 0.2, PoolSqrt, 0.1, 0.05
	tr, err := Train(toyData(1, 40), toyData(2, 10), opt)
	if err != nil {
		t.Fatal(err)
	}
	s := tr.Net.Members[0].newScratch()
	va := toyData(3, 10)
	var enc []encoded
	for _, e := range va {
		enc = append(enc, encoded{ids: tr.Features.Featurize(nil, text.Normalize(e.Text)), label: slices.Index(tr.Labels, e.Intent)})
	}
	if acc, _ := evaluate(tr.Net.Members[0], enc, tr.Pool, s); acc < 0.9 {
		t.Errorf("accuracy %.2f with a hidden layer", acc)
	}
}

func TestTrainErrors(t *testing.T) {
	one := []Example{{Text: "a", Intent: "x"}, {Text: "b", Intent: "x"}}
	tests := []struct {
		name         string
		train, valid []Example
		opt          Options
	}{
		{"no data", nil, nil, toyOptions},
		{"one label", one, nil, toyOptions},
		{"unknown validation label", toyData(1, 5), []Example{{Text: "x", Intent: "nope"}}, toyOptions},
		{"bad pooling", toyData(1, 5), nil, Options{Pool: "max"}},
		{"too big", toyData(1, 5), nil, Options{Dim: 1024, Features: FeatureConfig{Buckets: 1 << 20, Unigrams: true}}},
		{"bad learning rate", toyData(1, 5), nil, Options{LR: -1}},
		{"bad dropout", toyData(1, 5), nil, Options{Dropout: 1}},
		{"too many members", toyData(1, 5), nil, Options{Members: MaxMembers + 1}},
		{"members too big together", toyData(1, 5), nil, Options{Dim: 64, Members: 2, Features: FeatureConfig{Buckets: 1 << 17, Unigrams: true}}},
	}
	for _, tt := range tests {
		if _, err := Train(tt.train, tt.valid, tt.opt); assist.ErrorCode(err) != assist.EINVALID {
			t.Errorf("%s: error %v, want EINVALID", tt.name, err)
		}
	}
}

func TestSplit(t *testing.T) {
	data := toyData(1, 20)
	tr, held := Split(data, 0.1, 3)
	if len(tr)+len(held) != len(data) {
		t.Fatalf("%d + %d != %d", len(tr), len(held), len(data))
	}
	count := map[string]int{}
	for _, e := range held {
		count[e.Intent]++
	}
	for _, l := range labelSet(data) {
		if count[l] != 2 {
			t.Errorf("%s: %d held out, want 2 (10%% of 20)", l, count[l])
		}
	}
	tr2, held2 := Split(data, 0.1, 3)
	if !slices.Equal(held, held2) || !slices.Equal(tr, tr2) {
		t.Error("Split is not deterministic")
	}
}

func TestCalibrate(t *testing.T) {
	// Labels: 0 a, 1 b, 2 out_of_scope.
	t.Run("with out-of-scope data", func(t *testing.T) {
		probs := [][]float32{
			{0.9, 0.05, 0.05}, // a, confident
			{0.1, 0.8, 0.1},   // b, confident
			{0.5, 0.3, 0.2},   // oos, looks like a at 0.5
			{0.45, 0.4, 0.15}, // oos, looks like a at 0.45
		}
		gold := []int{0, 1, 2, 2}
		th, _ := Calibrate(probs, gold, 2, 1)
		// Any threshold in (0.5, 0.8] gets both in-scope right and both oos;
		// the smallest such grid point wins.
		if th <= 0.5 || th > 0.52 {
			t.Errorf("threshold %.2f, want just above 0.5", th)
		}
	})
	t.Run("without out-of-scope data", func(t *testing.T) {
		var probs [][]float32
		var gold []int
		for i := range 100 {
			c := float32(0.5) + float32(i)/200 // 0.5 … 0.995
			probs = append(probs, []float32{c, 1 - c})
			gold = append(gold, 0)
		}
		th, _ := Calibrate(probs, gold, -1, 0.7)
		if th != 0.5 {
			t.Errorf("threshold %.3f, want 0.5 (the 1st percentile of right answers)", th)
		}
	})
	t.Run("margin", func(t *testing.T) {
		probs := [][]float32{
			{0.51, 0.49}, {0.49, 0.51}, {0.52, 0.48}, {0.47, 0.53}, // near ties: half wrong
			{0.9, 0.1}, {0.1, 0.9}, {0.95, 0.05}, {0.2, 0.8},
		}
		gold := []int{0, 0, 1, 0, 0, 1, 0, 1}
		_, m := Calibrate(probs, gold, -1, 0.7)
		if m < 0.04 || m > 0.3 {
			t.Errorf("margin %.2f, want it to cover the near ties (gaps ≤ 0.06)", m)
		}
	})
	t.Run("empty", func(t *testing.T) {
		if th, m := Calibrate(nil, nil, -1, 0.7); th != 0 || m != 0 {
			t.Errorf("%v %v", th, m)
		}
	})
}

func TestDecide(t *testing.T) {
	m := Meta{Version: "v1", Labels: []string{"a", "b", nlu.OutOfScope}, Threshold: 0.5, Margin: 0.1}
	tests := []struct {
		p         []float32
		label     string
		ambiguous bool
	}{
		{[]float32{0.8, 0.15, 0.05}, "a", false},
		{[]float32{0.45, 0.4, 0.15}, nlu.OutOfScope, false},
		{[]float32{0.52, 0.46, 0.02}, "a", true},
		{[]float32{0.1, 0.2, 0.7}, nlu.OutOfScope, false},
	}
	for _, tt := range tests {
		got := m.Decide(tt.p, 3)
		if got.Label != tt.label || got.Ambiguous != tt.ambiguous || got.Model != "v1" || got.Source != "onnx" || len(got.Top) != 3 {
			t.Errorf("Decide(%v) = %+v", tt.p, got)
		}
		if got.Top[0].Score < got.Top[1].Score {
			t.Errorf("Top not sorted: %+v", got.Top)
		}
	}
}
