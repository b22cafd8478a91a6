package embed

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/assistd/assist"
	"github.com/assistd/assist/models"
	"github.com/assistd/assist/rag"
)

// Input names a BERT-style model may declare.
const (
	InputIDs      = "input_ids"
	AttentionMask = "attention_mask"
	TokenTypeIDs  = "token_type_ids"
)

// Model is a loaded model: a runner that tells its inputs and outputs.
// *onnx.Session implements it.
type Model interface {
	models.Runner
	Inputs() []models.TensorSpec
	Outputs() []models.TensorSpec
}

// Opener loads the ONNX model file at path.
type Opener func(path string) (Model, error)

// Pooling turns token states into one sentence vector.
type Pooling string

// The poolings supported.
const (
	PoolMean Pooling = "mean" // mean of the token states under the attention mask
	PoolCLS  Pooling = "cls"  // the state of the [CLS] token
)

// Config configures an Embedder.
type Config struct {
	Pooling Pooling // "": PoolMean
	// Output is the model output to pool: [batch, tokens, dim] token
	// states, or [batch, dim] already pooled. "": the first output of rank
	// 3, else of rank 2.
	Output string
	// BatchSize is how many texts one Run takes. 0: 16.
	BatchSize int
}

// Embedder embeds texts with a sentence-embedding model. It implements
// rag.Embedder and is safe for concurrent use.
type Embedder struct {
	tok     *Tokenizer
	model   Model
	pooling Pooling
	output  string
	pooled  bool // the output is [batch, dim]
	mask    bool // the model takes attention_mask
	types   bool // the model takes token_type_ids
	batch   int
	dim     int
}

var _ rag.Embedder = (*Embedder)(nil)

// New returns an embedder running model on tok's ids. The model must take
// input_ids and may take attention_mask and token_type_ids, all int64
// [batch, tokens]. When the output's last dimension is dynamic, New runs
// the model once to learn it. Errors: EINVALID for a model of another
// shape or a bad config.
func New(tok *Tokenizer, model Model, cfg Config) (*Embedder, error) {
	e := &Embedder{tok: tok, model: model, pooling: cfg.Pooling, batch: cfg.BatchSize}
	if e.pooling == "" {
		e.pooling = PoolMean
	}
	if e.pooling != PoolMean && e.pooling != PoolCLS {
		return nil, assist.Errorf(assist.EINVALID, "embedding model: pooling %q, want mean or cls", cfg.Pooling)
	}
	if e.batch == 0 {
		e.batch = 16
	}
	if e.batch < 0 {
		return nil, assist.Errorf(assist.EINVALID, "embedding model: negative batch size")
	}
	hasIDs := false
	for _, in := range model.Inputs() {
		if in.Type != models.Int64 || (in.Shape != nil && len(in.Shape) != 2) {
			return nil, assist.Errorf(assist.EINVALID, "embedding model input %s: want int64 [batch, tokens]", in.Name)
		}
		switch in.Name {
		case InputIDs:
			hasIDs = true
		case AttentionMask:
			e.mask = true
		case TokenTypeIDs:
			e.types = true
		default:
			return nil, assist.Errorf(assist.EINVALID, "embedding model input %s: want only %s, %s and %s", in.Name, InputIDs, AttentionMask, TokenTypeIDs)
		}
	}
	if !hasIDs {
		return nil, assist.Errorf(assist.EINVALID, "embedding model has no %s input", InputIDs)
	}
	var out *models.TensorSpec
	outs := model.Outputs()
	for _, rank := range []int{3, 2} {
		for i := range outs {
			o := &outs[i]
			if out == nil && (o.Name == cfg.Output || (cfg.Output == "" && len(o.Shape) == rank)) {
				out = o
			}
		}
	}
	if out == nil {
		return nil, assist.Errorf(assist.EINVALID, "embedding model has no output %q of token states", cfg.Output)
	}
	if out.Type != models.Float32 || (out.Shape != nil && len(out.Shape) != 2 && len(out.Shape) != 3) {
		return nil, assist.Errorf(assist.EINVALID, "embedding model output %s: want float32 [batch, tokens, dim] or [batch, dim]", out.Name)
	}
	e.output, e.pooled = out.Name, len(out.Shape) == 2
	if n := len(out.Shape); n > 0 && out.Shape[n-1] > 0 {
		e.dim = int(out.Shape[n-1])
	} else {
		vs, err := e.run(context.Background(), []string{"dim"})
		if err != nil {
			return nil, fmt.Errorf("embedding model: learning its dimension: %w", err)
		}
		e.dim = len(vs[0])
	}
	if e.dim == 0 {
		return nil, assist.Errorf(assist.EINVALID, "embedding model output %s has no width", out.Name)
	}
	return e, nil
}

// Dim implements rag.Embedder.
func (e *Embedder) Dim() int { return e.dim }

// Close closes the model if it can be closed.
func (e *Embedder) Close() error {
	if c, ok := e.model.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// Embed implements rag.Embedder: one unit vector per text, in order.
// Texts longer than the tokenizer's MaxLength are cut. Errors: those of
// the model's Run (EUNAVAILABLE after Close, the context's error), and
// EINVALID when the model's output has the wrong shape.
func (e *Embedder) Embed(ctx context.Context, texts []string) ([]models.Embedding, error) {
	out := make([]models.Embedding, 0, len(texts))
	for batch := range slices.Chunk(texts, e.batch) {
		vs, err := e.run(ctx, batch)
		if err != nil {
			return nil, err
		}
		out = append(out, vs...)
	}
	return out, nil
}

// Inputs returns the model inputs for texts: ids padded with [PAD] to the
// longest, the attention mask and zero token types.
func (e *Embedder) inputs(texts []string) (map[string]models.Tensor, [][]int64) {
	enc := make([][]int64, len(texts))
	width := 0
	for i, t := range texts {
		enc[i] = e.tok.Encode(t)
		width = max(width, len(enc[i]))
	}
	n := len(texts) * width
	ids := make([]int64, n)
	mask := make([]int64, n)
	for i, row := range enc {
		base := i * width
		for j := range width {
			if j < len(row) {
				ids[base+j], mask[base+j] = row[j], 1
			} else {
				ids[base+j] = e.tok.pad
			}
		}
	}
	b, w := int64(len(texts)), int64(width)
	in := map[string]models.Tensor{InputIDs: models.Int64Tensor(ids, b, w)}
	if e.mask {
		in[AttentionMask] = models.Int64Tensor(mask, b, w)
	}
	if e.types {
		in[TokenTypeIDs] = models.Int64Tensor(make([]int64, n), b, w)
	}
	return in, enc
}

func (e *Embedder) run(ctx context.Context, texts []string) ([]models.Embedding, error) {
	in, enc := e.inputs(texts)
	res, err := e.model.Run(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("embedding model: %w", err)
	}
	out, ok := res[e.output]
	if !ok {
		return nil, assist.Errorf(assist.EINVALID, "embedding model returned no %s", e.output)
	}
	if err := out.Validate(); err != nil || out.Type != models.Float32 {
		return nil, assist.Errorf(assist.EINVALID, "embedding model output %s is not a float32 tensor", e.output)
	}
	b := len(texts)
	width := int64(len(in[InputIDs].Int64) / b)
	vs := make([]models.Embedding, b)
	switch {
	case e.pooled && len(out.Shape) == 2 && out.Shape[0] == int64(b) && (e.dim == 0 || out.Shape[1] == int64(e.dim)):
		d := int(out.Shape[1])
		for i := range b {
			vs[i] = normalized(out.Float32[i*d : (i+1)*d])
		}
	case !e.pooled && len(out.Shape) == 3 && out.Shape[0] == int64(b) && out.Shape[1] == width && (e.dim == 0 || out.Shape[2] == int64(e.dim)):
		d := int(out.Shape[2])
		for i := range b {
			row := out.Float32[i*int(width)*d : (i+1)*int(width)*d]
			v := make(models.Embedding, d)
			if e.pooling == PoolCLS {
				copy(v, row[:d])
			} else {
				// Mean over the real tokens (those the mask covers).
				acc := make([]float64, d)
				n := len(enc[i])
				for j := range n {
					for k, x := range row[j*d : (j+1)*d] {
						acc[k] += float64(x)
					}
				}
				for k := range v {
					v[k] = float32(acc[k] / float64(n))
				}
			}
			vs[i] = normalized(v)
		}
	default:
		return nil, assist.Errorf(assist.EINVALID, "embedding model output %s has shape %v for %d texts of %d tokens", e.output, out.Shape, b, width)
	}
	return vs, nil
}

// normalized returns a unit-length copy of v (a zero or non-finite vector
// becomes zero).
func normalized(v []float32) models.Embedding {
	out := slices.Clone(v)
	for _, x := range out {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			clear(out)
			return out
		}
	}
	rag.Normalize(out)
	return out
}
