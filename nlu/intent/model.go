package intent

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/models/onnxgraph"
	"github.com/assistd/assist/nlu"
)

// The files of a model directory.
const (
	ONNXFile = "model.onnx"
	MetaFile = "model.json"
)

// FormatVersion is the version of the model directory format Save writes
// and Open reads.
const FormatVersion = 1

// The names of the ONNX model's inputs and output. ids and weights are
// padded [batch, features] matrices: the hashed feature ids of each message
// and the pooling weight of each (0 for padding); probs is [batch, classes].
const (
	InputIDs     = "ids"
	InputWeights = "weights"
	OutputProbs  = "probs"
)

// Meta is model.json: everything about a model except its weights.
type Meta struct {
	Format    int           `json:"format"`
	Version   string        `json:"version"` // "intent-" and 12 hex digits of the weights' and settings' hash
	Created   time.Time     `json:"created"`
	Labels    []string      `json:"labels"` // class index → label
	Features  FeatureConfig `json:"features"`
	Pool      Pooling       `json:"pool"`
	Dim       int           `json:"dim"`
	Hidden    int           `json:"hidden"`
	Members   int           `json:"members,omitempty"` // networks averaged; 0 means 1
	Threshold float32       `json:"threshold"`         // top-1 probability below it → out_of_scope
	Margin    float32       `json:"margin"`            // top-1 minus top-2 below it → ambiguous
	DataHash  string        `json:"data_hash"`         // SHA-256 of the training examples (DataHash)
	Training  string        `json:"training"`          // the options trained with
	Epochs    int           `json:"epochs"`            // the epoch whose weights were kept
	// Metrics are scores on the validation data, e.g. accuracy,
	// in_scope_accuracy, oos_recall, macro_f1, train_examples.
	Metrics map[string]float64 `json:"metrics,omitempty"`
}

// Validate checks what serving relies on.
func (m *Meta) Validate() error {
	switch {
	case m.Format != FormatVersion:
		return assist.Errorf(assist.EINVALID, "model.json: format %d, this build reads %d", m.Format, FormatVersion)
	case len(m.Labels) < 2:
		return assist.Errorf(assist.EINVALID, "model.json: %d labels", len(m.Labels))
	case m.Pool != PoolMean && m.Pool != PoolSqrt:
		return assist.Errorf(assist.EINVALID, "model.json: pooling %q", m.Pool)
	case m.Version == "":
		return assist.Errorf(assist.EINVALID, "model.json: no version")
	case m.Members < 0 || m.Members > MaxMembers:
		return assist.Errorf(assist.EINVALID, "model.json: members %d out of range [0, %d]", m.Members, MaxMembers)
	case m.Threshold < 0 || m.Threshold > 1 || m.Margin < 0 || m.Margin > 1:
		return assist.Errorf(assist.EINVALID, "model.json: threshold %v or margin %v out of [0, 1]", m.Threshold, m.Margin)
	}
	seen := map[string]bool{}
	for _, l := range m.Labels {
		if l == "" || seen[l] {
			return assist.Errorf(assist.EINVALID, "model.json: empty or repeated label %q", l)
		}
		seen[l] = true
	}
	return m.Features.Validate()
}

// Export builds the ONNX model of the ensemble. One member gives
//
//	ids [batch, n] int64, weights [batch, n] float32
//	→ Gather(Emb, ids) · weights, summed over n      (the embedding bag)
//	→ [Tanh(· W1 + B1)]                              (with a hidden layer)
//	→ Softmax(· W + B) = probs [batch, classes]
//
// Several members (which share their shape) run side by side in the same
// graph, one Run: their embedding rows are stored next to each other, so
// one Gather fetches all members' rows [batch, n, members·dim]; the layers
// after the bag are block-diagonal; the logits are reshaped to [batch,
// members, classes], softmaxed and averaged over the members.
func Export(e *Ensemble, doc string, metadata map[string]string) *onnxgraph.Model {
	g := onnxgraph.NewGraph("intent")
	batch, feats := onnxgraph.Dynamic("batch"), onnxgraph.Dynamic("features")
	ids := g.Input(InputIDs, onnxgraph.Int64, batch, feats)
	weights := g.Input(InputWeights, onnxgraph.Float32, batch, feats)
	n0, k := e.Members[0], len(e.Members)
	d, h, in, c := n0.Dim, n0.Hidden, n0.in(), n0.Classes
	emb, w1, b1, w, b := n0.Emb, n0.W1, n0.B1, n0.W, n0.B
	if k > 1 {
		emb = make([]float32, n0.Buckets*k*d)
		for m, n := range e.Members {
			for row := range n.Buckets {
				copy(emb[(row*k+m)*d:(row*k+m+1)*d], n.Emb[row*d:(row+1)*d])
			}
		}
		if h > 0 {
			w1, b1 = blockDiag(e.Members, d, h, func(n *Net) ([]float32, []float32) { return n.W1, n.B1 })
		}
		w, b = blockDiag(e.Members, in, c, func(n *Net) ([]float32, []float32) { return n.W, n.B })
	}
	x := g.ReduceSum(g.Mul(g.Gather(g.Float32s("embedding", emb, int64(n0.Buckets), int64(k*d)), ids, 0), g.Unsqueeze(weights, 2)), false, 1)
	if h > 0 {
		x = g.Tanh(g.Add(g.MatMul(x, g.Float32s("hidden_w", w1, int64(k*d), int64(k*h))), g.Float32s("hidden_b", b1, int64(k*h))))
	}
	logits := g.Add(g.MatMul(x, g.Float32s("out_w", w, int64(k*in), int64(k*c))), g.Float32s("out_b", b, int64(k*c)))
	var probs string
	if k == 1 {
		probs = g.Softmax(logits, -1)
	} else {
		probs = g.ReduceMean(g.Softmax(g.Reshape(logits, -1, int64(k), int64(c)), -1), false, 1)
	}
	classes := int64(c)
	g.Output(g.Rename(probs, OutputProbs), onnxgraph.Float32, batch, onnxgraph.Fixed(classes))
	g.SetDoc(doc)
	return &onnxgraph.Model{Graph: g, ProducerName: "assist", Domain: "dev.assist", Doc: doc, Metadata: metadata}
}

// blockDiag lays the members' [rows, cols] matrices (and biases) of one
// layer along the diagonal of a [members·rows, members·cols] matrix, zero
// elsewhere, so one MatMul applies every member's layer to its own slice.
func blockDiag(members []*Net, rows, cols int, layer func(*Net) (w, b []float32)) (w, b []float32) {
	k := len(members)
	w = make([]float32, k*rows*k*cols)
	b = make([]float32, 0, k*cols)
	for m, n := range members {
		mw, mb := layer(n)
		for r := range rows {
			copy(w[(m*rows+r)*k*cols+m*cols:], mw[r*cols:(r+1)*cols])
		}
		b = append(b, mb...)
	}
	return w, b
}

// Save writes the trained model into dir (created if needed): model.onnx
// and model.json, each replaced atomically, model.onnx first. metrics go
// into model.json. It returns the Meta written.
func Save(dir string, t *Trained, metrics map[string]float64) (Meta, error) {
	return SaveAs(dir, "intent", t, metrics)
}

// SaveAs is Save for a classifier of another kind trained with this
// package (e.g. "sentiment"): kind prefixes the version ("sentiment-…")
// and names the model in the ONNX file's doc string and in errors.
func SaveAs(dir, kind string, t *Trained, metrics map[string]float64) (Meta, error) {
	meta := t.Meta()
	meta.Created = time.Now().UTC().Truncate(time.Second)
	meta.Metrics = metrics
	// The version hashes the weights and every setting, so the same
	// training gives the same version and any change gives another.
	model := Export(t.Net, "assist "+kind+" classifier", nil)
	data, err := model.Marshal()
	if err != nil {
		return Meta{}, fmt.Errorf("exporting the %s model: %w", kind, err)
	}
	h := sha256.New()
	h.Write(data)
	settings, _ := json.Marshal(struct {
		L    []string
		F    FeatureConfig
		P    Pooling
		T, M float32
	}{meta.Labels, meta.Features, meta.Pool, meta.Threshold, meta.Margin})
	h.Write(settings)
	meta.Version = kind + "-" + hex.EncodeToString(h.Sum(nil))[:12]
	model.ModelVersion = 1
	model.Metadata = map[string]string{"version": meta.Version, "labels": fmt.Sprint(len(meta.Labels))}

	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Meta{}, fmt.Errorf("saving the %s model: %w", kind, err)
	}
	if err := model.WriteFile(filepath.Join(dir, ONNXFile)); err != nil {
		return Meta{}, err
	}
	js, err := json.MarshalIndent(meta, "", "  ")
	if err != nil {
		return Meta{}, err
	}
	if err := writeAtomic(filepath.Join(dir, MetaFile), append(js, '\n')); err != nil {
		return Meta{}, err
	}
	return meta, nil
}

func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// ReadMeta reads and validates dir/model.json.
//
// Errors: ENOTFOUND when the directory or model.json is missing; EINVALID
// when model.json is malformed or inconsistent.
func ReadMeta(dir string) (Meta, error) {
	data, err := os.ReadFile(filepath.Join(dir, MetaFile))
	if errors.Is(err, os.ErrNotExist) {
		return Meta{}, &assist.Error{Code: assist.ENOTFOUND, Message: fmt.Sprintf("no intent model in %s (run `make models` or `assist train intent`)", dir), Err: err}
	}
	if err != nil {
		return Meta{}, fmt.Errorf("reading the intent model: %w", err)
	}
	var m Meta
	if err := json.Unmarshal(data, &m); err != nil {
		return Meta{}, &assist.Error{Code: assist.EINVALID, Message: fmt.Sprintf("%s: malformed model.json", dir), Err: err}
	}
	if err := m.Validate(); err != nil {
		return Meta{}, fmt.Errorf("%s: %w", dir, err)
	}
	return m, nil
}

// Decide turns one message's class probabilities into an nlu.Intent with
// the model's threshold and margin: the label is out_of_scope when the top
// probability is below the threshold (or the top class is out_of_scope);
// the result is ambiguous when an in-scope answer's top two are closer
// than the margin. Top lists the best k labels (at least two).
func (m *Meta) Decide(p []float32, k int) nlu.Intent {
	k = max(2, min(k, len(p)))
	idx := make([]int, len(p))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case p[a] > p[b]:
			return -1
		case p[a] < p[b]:
			return 1
		}
		return 0
	})
	in := nlu.Intent{Confidence: p[idx[0]], Source: "onnx", Model: m.Version, Top: make([]nlu.Scored, k)}
	for i := range k {
		in.Top[i] = nlu.Scored{Label: m.Labels[idx[i]], Score: p[idx[i]]}
	}
	in.Label = m.Labels[idx[0]]
	if in.Confidence < m.Threshold {
		in.Label = nlu.OutOfScope
	}
	in.Ambiguous = in.Label != nlu.OutOfScope && p[idx[0]]-p[idx[1]] < m.Margin
	return in
}
