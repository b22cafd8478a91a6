package intent

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/assistd/assist"
	"github.com/assistd/assist/models"
	"github.com/assistd/assist/nlu"
	"github.com/assistd/assist/nlu/text"
)

// Opener opens a models.Runner on an ONNX file. cmd/assist supplies one
// backed by ONNX Runtime (models/onnx); tests may supply their own. When
// the Runner is also an io.Closer it is closed when its model is replaced
// or the Classifier closed.
type Opener func(onnxPath string) (models.Runner, error)

// Model is one loaded intent model: its Meta and a Runner on its ONNX file.
// It is safe for concurrent use.
type Model struct {
	meta   Meta
	runner models.Runner
}

// Open loads the model in dir: model.json, then model.onnx through open.
//
// Errors: ENOTFOUND when dir has no model; EINVALID when model.json is bad;
// whatever open returns otherwise.
func Open(dir string, open Opener) (*Model, error) {
	meta, err := ReadMeta(dir)
	if err != nil {
		return nil, err
	}
	r, err := open(filepath.Join(dir, ONNXFile))
	if err != nil {
		return nil, fmt.Errorf("opening intent model %s: %w", meta.Version, err)
	}
	return NewModel(meta, r)
}

// NewModel serves meta's model through r, after checking that r answers
// with one probability per label.
func NewModel(meta Meta, r models.Runner) (*Model, error) {
	if err := meta.Validate(); err != nil {
		return nil, err
	}
	m := &Model{meta: meta, runner: r}
	// A one-message smoke run catches a model.onnx that does not go with
	// model.json before the model takes traffic.
	if _, err := m.Probs(context.Background(), []string{""}); err != nil {
		m.Close()
		return nil, fmt.Errorf("checking intent model %s: %w", meta.Version, err)
	}
	return m, nil
}

// Meta returns the model's description.
func (m *Model) Meta() Meta { return m.meta }

// Close closes the Runner if it is an io.Closer.
func (m *Model) Close() error {
	if c, ok := m.runner.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// batchSize bounds the messages of one Run, keeping the gathered
// embeddings of a Run small.
const batchSize = 64

// Probs returns the class probabilities (in Meta.Labels order) of each of
// the normalised texts, running the model once per batchSize texts.
//
// Errors: EINVALID when the Runner's output does not fit the labels;
// the Runner's errors otherwise.
func (m *Model) Probs(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, 0, len(texts))
	feats := make([][]int32, 0, min(len(texts), batchSize))
	for start := 0; start < len(texts); start += batchSize {
		chunk := texts[start:min(start+batchSize, len(texts))]
		feats = feats[:0]
		width := 1
		for _, t := range chunk {
			f := m.meta.Features.Featurize(nil, t)
			feats = append(feats, f)
			width = max(width, len(f))
		}
		ids := make([]int64, len(chunk)*width)
		weights := make([]float32, len(chunk)*width)
		for i, f := range feats {
			w := m.meta.Pool.weight(len(f))
			for j, id := range f {
				ids[i*width+j] = int64(id)
				weights[i*width+j] = w
			}
		}
		res, err := m.runner.Run(ctx, map[string]models.Tensor{
			InputIDs:     models.Int64Tensor(ids, int64(len(chunk)), int64(width)),
			InputWeights: models.Float32Tensor(weights, int64(len(chunk)), int64(width)),
		})
		if err != nil {
			return nil, err
		}
		probs, ok := res[OutputProbs]
		classes := len(m.meta.Labels)
		if !ok || probs.Type != models.Float32 || len(probs.Float32) != len(chunk)*classes {
			return nil, assist.Errorf(assist.EINVALID, "intent model %s: output %q does not hold %d×%d probabilities", m.meta.Version, OutputProbs, len(chunk), classes)
		}
		for i := range chunk {
			out = append(out, probs.Float32[i*classes:(i+1)*classes:(i+1)*classes])
		}
	}
	return out, nil
}

// TopK is how many labels an Intent's Top lists.
const TopK = 3

// Classify returns the intent of each normalised text (see text.Normalize).
func (m *Model) Classify(ctx context.Context, texts []string) ([]nlu.Intent, error) {
	probs, err := m.Probs(ctx, texts)
	if err != nil {
		return nil, err
	}
	out := make([]nlu.Intent, len(probs))
	for i, p := range probs {
		out[i] = m.meta.Decide(p, TopK)
	}
	return out, nil
}

// Classifier serves the current intent model and replaces it without
// dropping requests: Load opens the new model, makes it current with an
// atomic pointer swap, and closes the old one once the requests already
// running on it are done. Every result names the model version that
// produced it. A Classifier is safe for concurrent use.
type Classifier struct {
	// Threshold and Margin, when positive, replace those of every model
	// loaded (nlu.threshold, nlu.margin). Set them before the first Load.
	Threshold, Margin float32

	open   Opener
	cur    atomic.Pointer[loaded]
	loadMu sync.Mutex // one Load at a time
}

// loaded is a model with the lock that keeps it open while requests use it.
type loaded struct {
	model  *Model
	dir    string
	mu     sync.RWMutex // held shared by requests, exclusively to retire
	closed bool
}

var _ nlu.IntentModel = (*Classifier)(nil)

// NewClassifier returns a Classifier with no model; Load gives it one.
func NewClassifier(open Opener) *Classifier { return &Classifier{open: open} }

// Load opens the model in dir and makes it current, retiring the previous
// one. On error the current model stays.
func (c *Classifier) Load(dir string) (Meta, error) {
	c.loadMu.Lock()
	defer c.loadMu.Unlock()
	m, err := Open(dir, c.open)
	if err != nil {
		return Meta{}, err
	}
	if c.Threshold > 0 {
		m.meta.Threshold = c.Threshold
	}
	if c.Margin > 0 {
		m.meta.Margin = c.Margin
	}
	c.swap(&loaded{model: m, dir: dir})
	return m.meta, nil
}

// Reload loads the current model's directory again, to pick up a newly
// trained model written there.
//
// Errors: ENOTFOUND when no model was ever loaded; Load's errors.
func (c *Classifier) Reload() (Meta, error) {
	l := c.cur.Load()
	if l == nil {
		return Meta{}, assist.Errorf(assist.ENOTFOUND, "no intent model loaded")
	}
	return c.Load(l.dir)
}

// Use serves m, retiring the previous model.
func (c *Classifier) Use(m *Model) {
	c.loadMu.Lock()
	defer c.loadMu.Unlock()
	c.swap(&loaded{model: m})
}

func (c *Classifier) swap(next *loaded) {
	if old := c.cur.Swap(next); old != nil {
		old.retire()
	}
}

// retire waits for the requests on l and closes its model.
func (l *loaded) retire() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	l.model.Close()
}

// acquire returns the current model, held open until release.
func (c *Classifier) acquire() (*loaded, error) {
	for {
		l := c.cur.Load()
		if l == nil {
			return nil, assist.Errorf(assist.EUNAVAILABLE, "no intent model loaded (run `make models`)")
		}
		l.mu.RLock()
		if !l.closed {
			return l, nil
		}
		l.mu.RUnlock() // swapped out meanwhile: take the new one
	}
}

// Meta returns the current model's description, and false with no model.
func (c *Classifier) Meta() (Meta, bool) {
	l := c.cur.Load()
	if l == nil {
		return Meta{}, false
	}
	return l.model.meta, true
}

// Classify returns the intents of normalised texts, all from one model
// version, in one Run per batch.
//
// Errors: EUNAVAILABLE when no model is loaded; the model's errors.
func (c *Classifier) Classify(ctx context.Context, texts []string) ([]nlu.Intent, error) {
	l, err := c.acquire()
	if err != nil {
		return nil, err
	}
	defer l.mu.RUnlock()
	return l.model.Classify(ctx, texts)
}

// Probs returns the class probabilities of normalised texts (in the
// returned Meta's Labels order), all from one model version, in one Run
// per batch: for classifiers of other kinds trained with this package
// (sentiment) that need every class's probability, not a decision.
//
// Errors: EUNAVAILABLE when no model is loaded; the model's errors.
func (c *Classifier) Probs(ctx context.Context, texts []string) ([][]float32, Meta, error) {
	l, err := c.acquire()
	if err != nil {
		return nil, Meta{}, err
	}
	defer l.mu.RUnlock()
	p, err := l.model.Probs(ctx, texts)
	return p, l.model.meta, err
}

// Close closes the current model; later calls fail with EUNAVAILABLE.
func (c *Classifier) Close() error {
	c.loadMu.Lock()
	defer c.loadMu.Unlock()
	if old := c.cur.Swap(nil); old != nil {
		old.mu.Lock()
		defer old.mu.Unlock()
		old.closed = true
		return old.model.Close()
	}
	return nil
}

// ClassifyText normalises raw text and classifies it: a convenience for
// callers outside the nlu pipeline (eval, CLI).
func (c *Classifier) ClassifyText(ctx context.Context, raw []string) ([]nlu.Intent, error) {
	norm := make([]string, len(raw))
	for i, r := range raw {
		norm[i] = text.Normalize(r)
	}
	return c.Classify(ctx, norm)
}
