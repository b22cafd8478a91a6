package embed_test

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/models"
	"github.com/assistd/assist/rag/embed"
)

const testDim = 6

// table returns a deterministic embedding table for testVocab.
func table(seed uint64) [][]float32 {
	r := rand.New(rand.NewPCG(seed, 11))
	t := make([][]float32, len(testVocab))
	for i := range t {
		t[i] = make([]float32, testDim)
		for j := range t[i] {
			t[i][j] = float32(r.NormFloat64())
		}
	}
	return t
}

// fakeModel is a Go BERT stand-in: the state of each token is its row of
// emb. It checks it gets exactly the inputs it declares.
type fakeModel struct {
	t      *testing.T
	emb    [][]float32
	inputs []string
	outDim int64 // declared last dimension (-1: dynamic)
	shape  func(b, w int64) []int64
	runs   int
}

func (f *fakeModel) Inputs() []models.TensorSpec {
	var s []models.TensorSpec
	for _, n := range f.inputs {
		s = append(s, models.TensorSpec{Name: n, Type: models.Int64, Shape: []int64{-1, -1}})
	}
	return s
}

func (f *fakeModel) Outputs() []models.TensorSpec {
	return []models.TensorSpec{{Name: "last_hidden_state", Type: models.Float32, Shape: []int64{-1, -1, f.outDim}}}
}

func (f *fakeModel) Run(ctx context.Context, in map[string]models.Tensor) (map[string]models.Tensor, error) {
	f.runs++
	if len(in) != len(f.inputs) {
		f.t.Errorf("model got %d inputs, declares %v", len(in), f.inputs)
	}
	for _, n := range f.inputs {
		if err := in[n].Validate(); err != nil {
			f.t.Errorf("input %s: %v", n, err)
		}
	}
	ids := in[embed.InputIDs]
	b, w := ids.Shape[0], ids.Shape[1]
	if m, ok := in[embed.AttentionMask]; ok && !slices.Equal(m.Shape, ids.Shape) {
		f.t.Errorf("mask shape %v, ids %v", m.Shape, ids.Shape)
	}
	out := make([]float32, 0, b*w*testDim)
	for _, id := range ids.Int64 {
		out = append(out, f.emb[id]...)
	}
	shape := []int64{b, w, testDim}
	if f.shape != nil {
		shape = f.shape(b, w)
	}
	return map[string]models.Tensor{"last_hidden_state": models.Float32Tensor(out, shape...)}, nil
}

// refMean is the Go reference: the normalised mean of the rows of ids.
func refMean(emb [][]float32, ids []int64) []float32 {
	acc := make([]float64, testDim)
	for _, id := range ids {
		for j, x := range emb[id] {
			acc[j] += float64(x)
		}
	}
	return unitOf(acc)
}

func unitOf(acc []float64) []float32 {
	var n float64
	for _, x := range acc {
		n += x * x
	}
	out := make([]float32, len(acc))
	for i, x := range acc {
		out[i] = float32(x / math.Sqrt(n))
	}
	return out
}

func near(t *testing.T, what string, got, want []float32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d floats, want %d", what, len(got), len(want))
	}
	for i := range got {
		if math.Abs(float64(got[i]-want[i])) > 1e-5 {
			t.Fatalf("%s: %v, want %v", what, got, want)
		}
	}
}

func TestEmbedderPadsAndPools(t *testing.T) {
	tok := tokenizer(t, embed.TokenizerConfig{Lowercase: true})
	emb := table(1)
	texts := []string{"the refund", "hello world, where is the order?", "退货", ""}
	for _, tc := range []struct {
		name   string
		inputs []string
		dim    int64
	}{
		{"all three inputs", []string{embed.InputIDs, embed.AttentionMask, embed.TokenTypeIDs}, testDim},
		{"ids only, dynamic width", []string{embed.InputIDs}, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := &fakeModel{t: t, emb: emb, inputs: tc.inputs, outDim: tc.dim}
			e, err := embed.New(tok, m, embed.Config{BatchSize: 3})
			if err != nil {
				t.Fatal(err)
			}
			if e.Dim() != testDim {
				t.Fatalf("Dim = %d", e.Dim())
			}
			m.runs = 0
			vs, err := e.Embed(context.Background(), texts)
			if err != nil {
				t.Fatal(err)
			}
			if m.runs != 2 {
				t.Errorf("%d runs for 4 texts in batches of 3", m.runs)
			}
			for i, text := range texts {
				near(t, text, vs[i], refMean(emb, tok.Encode(text)))
			}
		})
	}
	m := &fakeModel{t: t, emb: emb, inputs: []string{embed.InputIDs}, outDim: testDim}
	e, err := embed.New(tok, m, embed.Config{Pooling: embed.PoolCLS})
	if err != nil {
		t.Fatal(err)
	}
	vs, err := e.Embed(context.Background(), []string{"hello"})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "cls", vs[0], refMean(emb, []int64{2}))
}

func TestEmbedderRefuses(t *testing.T) {
	tok := tokenizer(t, embed.TokenizerConfig{})
	emb := table(2)
	tests := []struct {
		name string
		m    *fakeModel
		cfg  embed.Config
	}{
		{"unknown input", &fakeModel{inputs: []string{embed.InputIDs, "pixel_values"}, outDim: testDim}, embed.Config{}},
		{"no input_ids", &fakeModel{inputs: []string{embed.AttentionMask}, outDim: testDim}, embed.Config{}},
		{"unknown pooling", &fakeModel{inputs: []string{embed.InputIDs}, outDim: testDim}, embed.Config{Pooling: "max"}},
		{"unknown output", &fakeModel{inputs: []string{embed.InputIDs}, outDim: testDim}, embed.Config{Output: "pooler_output"}},
	}
	for _, tt := range tests {
		tt.m.t, tt.m.emb = t, emb
		if _, err := embed.New(tok, tt.m, tt.cfg); assist.ErrorCode(err) != assist.EINVALID {
			t.Errorf("%s: %v, want EINVALID", tt.name, err)
		}
	}
	// A model that answers with the wrong shape.
	m := &fakeModel{t: t, emb: emb, inputs: []string{embed.InputIDs}, outDim: testDim,
		shape: func(b, w int64) []int64 { return []int64{b * w, testDim} }}
	e, err := embed.New(tok, m, embed.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Embed(context.Background(), []string{"hello"}); assist.ErrorCode(err) != assist.EINVALID {
		t.Errorf("wrong output shape: %v, want EINVALID", err)
	}
}
