package sentiment_test

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/models"
	"github.com/assistd/assist/models/onnx"
	"github.com/assistd/assist/nlu/intent"
	"github.com/assistd/assist/sentiment"
)

// tinyOptions train a small model fast on testdata/tiny.jsonl.
var tinyOptions = intent.Options{
	Features: intent.FeatureConfig{Buckets: 4096, Unigrams: true, Bigrams: true, HanTrigrams: true, CharMin: 3, CharMax: 5},
	Dim:      16, Epochs: 40, Patience: 40, LR: 0.2, Seed: 7,
}

// trainTiny trains on the fixture and saves the model into a new
// directory, which it returns.
func trainTiny(tb testing.TB) string {
	tb.Helper()
	ex, err := sentiment.LoadFile(filepath.Join("testdata", "tiny.jsonl"), sentiment.FormatAssist)
	if err != nil {
		tb.Fatal(err)
	}
	tr, err := sentiment.Train(ex, ex, tinyOptions)
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	meta, err := sentiment.Save(dir, tr, map[string]float64{"accuracy": 1})
	if err != nil {
		tb.Fatal(err)
	}
	if !strings.HasPrefix(meta.Version, "sentiment-") {
		tb.Fatalf("version %q, want a sentiment- prefix", meta.Version)
	}
	return dir
}

// fixedRunner is a models.Runner answering the same probabilities for
// every message, in the order of the model's labels.
type fixedRunner struct {
	probs  []float32
	closed atomic.Bool
}

func (r *fixedRunner) Run(_ context.Context, in map[string]models.Tensor) (map[string]models.Tensor, error) {
	if r.closed.Load() {
		return nil, assist.Errorf(assist.EUNAVAILABLE, "closed")
	}
	batch := in[intent.InputIDs].Shape[0]
	out := make([]float32, 0, int(batch)*len(r.probs))
	for range batch {
		out = append(out, r.probs...)
	}
	return map[string]models.Tensor{intent.OutputProbs: models.Float32Tensor(out, batch, int64(len(r.probs)))}, nil
}

func (r *fixedRunner) Close() error { r.closed.Store(true); return nil }

func near(a, b float32) bool { return math.Abs(float64(a-b)) < 1e-5 }

func TestClassifierMergesClasses(t *testing.T) {
	dir := trainTiny(t)
	// Labels are sorted: angry, negative, neutral, positive.
	for _, tc := range []struct {
		name            string
		probs           []float32
		label           sentiment.Label
		polarity, anger float32
	}{
		{"neutral", []float32{0.05, 0.15, 0.7, 0.1}, sentiment.Neutral, -0.1, 0.05},
		{"angry counts as negative", []float32{0.3, 0.25, 0.4, 0.05}, sentiment.Negative, -0.5, 0.3},
		{"positive", []float32{0, 0.1, 0.3, 0.6}, sentiment.Positive, 0.5, 0},
		{"tie goes to neutral", []float32{0.2, 0.2, 0.4, 0.2}, sentiment.Neutral, -0.2, 0.2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &fixedRunner{probs: tc.probs}
			c := sentiment.NewClassifier(func(string) (models.Runner, error) { return r, nil })
			defer c.Close()
			meta, err := c.Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			s, err := c.Score(context.Background(), "where is my package")
			if err != nil {
				t.Fatal(err)
			}
			if s.Label != tc.label || !near(s.Polarity, tc.polarity) || !near(s.Anger, tc.anger) || s.Model != meta.Version {
				t.Errorf("score %+v, want %s polarity %v anger %v model %s", s, tc.label, tc.polarity, tc.anger, meta.Version)
			}
		})
	}
}

func TestClassifierErrors(t *testing.T) {
	ctx := context.Background()
	c := sentiment.NewClassifier(func(string) (models.Runner, error) { return &fixedRunner{probs: []float32{0, 0, 1, 0}}, nil })
	defer c.Close()
	if _, err := c.Score(ctx, "hello"); assist.ErrorCode(err) != assist.EUNAVAILABLE {
		t.Errorf("no model: %v, want EUNAVAILABLE", err)
	}
	if _, err := c.Reload(); assist.ErrorCode(err) != assist.ENOTFOUND {
		t.Errorf("reload with no model: %v, want ENOTFOUND", err)
	}
	if _, err := c.Load(t.TempDir()); assist.ErrorCode(err) != assist.ENOTFOUND {
		t.Errorf("empty dir: %v, want ENOTFOUND", err)
	}
	// An intent model is not a sentiment model.
	other, err := intent.Train([]intent.Example{{Text: "hi", Intent: "greeting"}, {Text: "bye", Intent: "goodbye"}}, nil, tinyOptions)
	if err != nil {
		t.Fatal(err)
	}
	otherDir := t.TempDir()
	if _, err := intent.Save(otherDir, other, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Load(otherDir); assist.ErrorCode(err) != assist.EINVALID {
		t.Errorf("intent model: %v, want EINVALID", err)
	}
	if _, err := c.Load(trainTiny(t)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, text, code string
	}{
		{"empty", "", assist.EINVALID},
		{"blank", " \n\t", assist.EINVALID},
		{"not utf-8", "bad \xff\xfe", assist.EINVALID},
		{"too long", strings.Repeat("好", sentiment.MaxTextRunes+1), assist.ETOOLARGE},
	} {
		if _, err := c.Score(ctx, tc.text); assist.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
	if _, err := c.Score(ctx, strings.Repeat("好", sentiment.MaxTextRunes)); err != nil {
		t.Errorf("text at the limit: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Score(ctx, "hello"); assist.ErrorCode(err) != assist.EUNAVAILABLE {
		t.Errorf("after Close: %v, want EUNAVAILABLE", err)
	}
}

func TestTrainNeedsEveryClass(t *testing.T) {
	ex := []sentiment.Example{{Text: "ok", Label: "neutral"}, {Text: "bad", Label: "negative"}, {Text: "great", Label: "positive"}}
	if _, err := sentiment.Train(ex, nil, tinyOptions); assist.ErrorCode(err) != assist.EINVALID || !strings.Contains(err.Error(), "angry") {
		t.Errorf("no angry examples: %v", err)
	}
	ex = append(ex, sentiment.Example{Text: "grr", Label: "angry"}, sentiment.Example{Text: "meh", Label: "bored"})
	if _, err := sentiment.Train(ex, nil, tinyOptions); assist.ErrorCode(err) != assist.EINVALID {
		t.Errorf("unknown label: %v", err)
	}
}

// loadRuntime loads ONNX Runtime, skipping without the library unless
// ASSIST_REQUIRE_ORT is set.
func loadRuntime(tb testing.TB) *onnx.Runtime {
	tb.Helper()
	rt, err := onnx.Load(onnx.Config{})
	if errors.Is(err, onnx.ErrLibraryNotFound) && os.Getenv("ASSIST_REQUIRE_ORT") == "" {
		tb.Skipf("skipping: %v", err)
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := rt.Close(); err != nil {
			tb.Error(err)
		}
	})
	return rt
}

func ortOpener(rt *onnx.Runtime) intent.Opener {
	return func(path string) (models.Runner, error) {
		return rt.OpenSession(path, onnx.SessionOptions{Name: "sentiment", Inputs: []string{intent.InputIDs, intent.InputWeights}, Outputs: []string{intent.OutputProbs}})
	}
}

// TestONNXScores trains the tiny model, serves it through ONNX Runtime and
// checks the scores of messages like the training ones, and a reload.
func TestONNXScores(t *testing.T) {
	rt := loadRuntime(t)
	dir := trainTiny(t)
	c := sentiment.NewClassifier(ortOpener(rt))
	defer c.Close()
	meta, err := c.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, tc := range []struct {
		text  string
		label sentiment.Label
		angry bool
	}{
		{"where is my package?", sentiment.Neutral, false},
		{"我的订单什么时候发货", sentiment.Neutral, false},
		{"so disappointed", sentiment.Negative, false},
		{"好失望", sentiment.Negative, false},
		{"thank you, love it", sentiment.Positive, false},
		{"谢谢，好评", sentiment.Positive, false},
		{"WHAT THE HELL, SCAM!!!", sentiment.Negative, true},
		{"太离谱了！我要投诉！！", sentiment.Negative, true},
	} {
		s, err := c.Score(ctx, tc.text)
		if err != nil {
			t.Fatal(err)
		}
		if s.Label != tc.label || (s.Anger >= 0.5) != tc.angry || s.Model != meta.Version {
			t.Errorf("%q: %+v, want %s, angry %v", tc.text, s, tc.label, tc.angry)
		}
		switch tc.label {
		case sentiment.Positive:
			if s.Polarity <= 0 {
				t.Errorf("%q: polarity %v, want > 0", tc.text, s.Polarity)
			}
		case sentiment.Negative:
			if s.Polarity >= 0 {
				t.Errorf("%q: polarity %v, want < 0", tc.text, s.Polarity)
			}
		}
	}
	again, err := c.Reload()
	if err != nil || again.Version != meta.Version {
		t.Errorf("reload: %v, %v", again.Version, err)
	}
}

func BenchmarkScore(b *testing.B) {
	rt := loadRuntime(b)
	dir := trainTiny(b)
	c := sentiment.NewClassifier(ortOpener(rt))
	defer c.Close()
	if _, err := c.Load(dir); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	texts := []string{"where is my package, order DD202611030001?", "太离谱了！等了五天还没发货，我要投诉！！", "thanks so much 👍", "退款到账了吗"}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := c.Score(ctx, texts[i%len(texts)]); err != nil {
			b.Fatal(err)
		}
	}
}
