package intent_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/assistd/assist/models"
	"github.com/assistd/assist/models/onnx"
	"github.com/assistd/assist/models/onnxgraph/onnxgraphtest"
	"github.com/assistd/assist/nlu"
	"github.com/assistd/assist/nlu/entity"
	"github.com/assistd/assist/nlu/intent"
	"github.com/assistd/assist/nlu/text"
)

// loadRuntime loads ONNX Runtime, skipping the test without the library
// unless ASSIST_REQUIRE_ORT is set.
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

func opener(rt *onnx.Runtime) intent.Opener {
	return func(path string) (models.Runner, error) {
		return rt.OpenSession(path, onnx.SessionOptions{Name: "intent", Inputs: []string{intent.InputIDs, intent.InputWeights}, Outputs: []string{intent.OutputProbs}})
	}
}

var parityTexts = []string{
	"", "where is my parcel", "Where's my REFUND??", "我的快递到哪了", "退款什么时候到账呀", "hello 你好",
	"tell me a joke", "今天天气怎么样", "order 12345 still not shipped, please check the tracking", "😀",
}

// TestONNXMatchesTrainer checks that ONNX Runtime, running the exported
// model, gives the trainer's own probabilities, with and without a hidden
// layer, for both poolings and for ensembles.
func TestONNXMatchesTrainer(t *testing.T) {
	rt := loadRuntime(t)
	train := []intent.Example{}
	for _, p := range [][2]string{
		{"where is my parcel", "track_shipment"}, {"track my package", "track_shipment"}, {"我的快递到哪了", "track_shipment"}, {"物流到哪里了", "track_shipment"},
		{"where is my refund", "refund_status"}, {"refund not received", "refund_status"}, {"退款什么时候到账", "refund_status"}, {"钱还没退回来", "refund_status"},
		{"hello", "greeting"}, {"hi there", "greeting"}, {"你好", "greeting"}, {"在吗", "greeting"},
		{"tell me a joke", "out_of_scope"}, {"what's the weather", "out_of_scope"}, {"今天天气怎么样", "out_of_scope"}, {"讲个笑话", "out_of_scope"},
	} {
		train = append(train, intent.Example{Text: p[0], Intent: p[1]})
	}
	for _, tc := range []struct {
		name string
		opt  intent.Options
	}{
		{"fasttext mean", intent.Options{Features: intent.FeatureConfig{Buckets: 4096, Unigrams: true, Bigrams: true, HanTrigrams: true, CharMin: 3, CharMax: 5}, Dim: 16, Epochs: 5, Seed: 1}},
		{"hidden sqrt", intent.Options{Features: intent.FeatureConfig{Buckets: 4096, Unigrams: true, Bigrams: true}, Dim: 16, Hidden: 8, Pool: intent.PoolSqrt, Epochs: 5, LR: 0.1, Seed: 2}},
		{"ensemble of 3", intent.Options{Features: intent.FeatureConfig{Buckets: 2048, Unigrams: true, Bigrams: true, HanTrigrams: true, CharMin: 3, CharMax: 5}, Dim: 16, Members: 3, Dropout: 0.2, Epochs: 5, Seed: 3}},
		{"hidden ensemble of 2", intent.Options{Features: intent.FeatureConfig{Buckets: 2048, Unigrams: true, Bigrams: true}, Dim: 12, Hidden: 8, Members: 2, Pool: intent.PoolMean, Epochs: 5, LR: 0.1, Seed: 4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr, err := intent.Train(train, train, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(t.TempDir(), "m")
			meta, err := intent.Save(dir, tr, nil)
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(filepath.Join(dir, intent.ONNXFile))
			if err != nil {
				t.Fatal(err)
			}
			onnxgraphtest.Check(t, data)
			m, err := intent.Open(dir, opener(rt))
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			norm := make([]string, len(parityTexts))
			for i, s := range parityTexts {
				norm[i] = text.Normalize(s)
			}
			got, err := m.Probs(context.Background(), norm)
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range norm {
				want := tr.Net.Probs(tr.Features.Featurize(nil, s), tr.Pool)
				for c := range want {
					if d := math.Abs(float64(got[i][c] - want[c])); d > 1e-5 {
						t.Errorf("%q class %s: onnx %v, trainer %v", s, meta.Labels[c], got[i][c], want[c])
					}
				}
			}
		})
	}
}

// TestClassifierHotSwapONNX swaps a model served by ONNX Runtime.
func TestClassifierHotSwapONNX(t *testing.T) {
	rt := loadRuntime(t)
	train := []intent.Example{{Text: "hello", Intent: "greeting"}, {Text: "你好", Intent: "greeting"}, {Text: "where is my parcel", Intent: "track_shipment"}, {Text: "快递到哪了", Intent: "track_shipment"}}
	dirs := make([]string, 2)
	for i := range dirs {
		tr, err := intent.Train(train, train, intent.Options{Features: intent.FeatureConfig{Buckets: 1024, Unigrams: true}, Dim: 8, Epochs: 10, Seed: uint64(i)})
		if err != nil {
			t.Fatal(err)
		}
		dirs[i] = filepath.Join(t.TempDir(), "m")
		if _, err := intent.Save(dirs[i], tr, nil); err != nil {
			t.Fatal(err)
		}
	}
	c := intent.NewClassifier(opener(rt))
	defer c.Close()
	m1, err := c.Load(dirs[0])
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.ClassifyText(context.Background(), []string{"Where is my PARCEL?", "你好"})
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Label != "track_shipment" || got[1].Label != "greeting" || got[0].Model != m1.Version {
		t.Errorf("got %+v", got)
	}
	m2, err := c.Load(dirs[1])
	if err != nil {
		t.Fatal(err)
	}
	got, err = c.ClassifyText(context.Background(), []string{"hello"})
	if err != nil || got[0].Model != m2.Version {
		t.Errorf("after swap: %+v %v", got, err)
	}
}

// benchModel trains a model of the default model's shape (`assist train
// intent` defaults: DefaultFeatures in 43,690 buckets, dim 56, 3 members,
// 29 labels) on synthetic data: speed depends on the sizes, not on what
// the model learned.
func benchModel(b *testing.B) (*intent.Classifier, []string) {
	rt := loadRuntime(b)
	var train []intent.Example
	words := []string{"order", "parcel", "refund", "coupon", "invoice", "address", "password", "cancel", "return", "exchange", "stock", "member"}
	zh := []string{"订单", "快递", "退款", "优惠券", "发票", "地址", "密码", "取消", "退货", "换货", "库存", "会员"}
	for l := range 29 {
		for i := range 20 {
			train = append(train,
				intent.Example{Text: fmt.Sprintf("%s %s please help %d", words[l%12], words[(l+i)%12], i), Intent: fmt.Sprintf("intent_%02d", l)},
				intent.Example{Text: fmt.Sprintf("我的%s%s怎么办%d", zh[l%12], zh[(l*7+i)%12], i), Intent: fmt.Sprintf("intent_%02d", l)})
		}
	}
	feats := intent.DefaultFeatures
	feats.Buckets = 43690
	tr, err := intent.Train(train, nil, intent.Options{Features: feats, Dim: 56, Members: 3, Epochs: 2, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join(b.TempDir(), "m")
	if _, err := intent.Save(dir, tr, nil); err != nil {
		b.Fatal(err)
	}
	c := intent.NewClassifier(opener(rt))
	b.Cleanup(func() { c.Close() })
	if _, err := c.Load(dir); err != nil {
		b.Fatal(err)
	}
	msgs := []string{
		"Hi, where is my parcel? I ordered 3 days ago (order 2024051812345) and tracking shows nothing",
		"我的快递怎么还没到啊，订单号2024051812345，都三天了，帮我查一下物流",
		"can i use two coupons on one order?",
		"退款什么时候到账，我的手机号13800138000",
	}
	return c, msgs
}

// BenchmarkParse is one message through the NLU as served: normalise,
// detect the language, featurize, classify with ONNX Runtime (one thread),
// extract entities. Reports p50 and p99 latency.
func BenchmarkParse(b *testing.B) {
	c, msgs := benchModel(b)
	ents, err := entity.New(entity.Config{})
	if err != nil {
		b.Fatal(err)
	}
	p := &nlu.Pipeline{Model: c, Entities: ents}
	ctx := context.Background()
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if _, err := p.Parse(ctx, msgs[i%len(msgs)]); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkClassifyBatched classifies batches of 64 messages from
// GOMAXPROCS goroutines and reports messages per second.
func BenchmarkClassifyBatched(b *testing.B) {
	c, msgs := benchModel(b)
	batch := make([]string, 64)
	for i := range batch {
		batch[i] = text.Normalize(msgs[i%len(msgs)])
	}
	ctx := context.Background()
	b.ResetTimer()
	start := time.Now()
	var n atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.Classify(ctx, batch); err != nil {
				b.Error(err)
				return
			}
			n.Add(int64(len(batch)))
		}
	})
	b.ReportMetric(float64(n.Load())/time.Since(start).Seconds(), "msgs/s")
}
