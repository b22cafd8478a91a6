package sentiment

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/assistd/assist"
	"github.com/assistd/assist/nlu/intent"
)

// Classifier serves the current sentiment model as a Scorer and replaces
// it without dropping requests (the intent Classifier's hot swap: Load
// makes the new model current atomically and closes the old one once the
// requests on it are done). It is safe for concurrent use.
type Classifier struct {
	clf *intent.Classifier
	mu  sync.Mutex // guards dir
	dir string
}

var _ Scorer = (*Classifier)(nil)

// NewClassifier returns a Classifier with no model, opening models'
// ONNX files with open; Load gives it one.
func NewClassifier(open intent.Opener) *Classifier {
	return &Classifier{clf: intent.NewClassifier(open)}
}

// Load opens the model in dir and makes it current, retiring the previous
// one. On error the current model stays.
//
// Errors: ENOTFOUND when dir has no model; EINVALID when model.json is bad
// or its labels are not the sentiment classes; the opener's errors.
func (c *Classifier) Load(dir string) (intent.Meta, error) {
	if _, err := os.Stat(filepath.Join(dir, intent.MetaFile)); errors.Is(err, os.ErrNotExist) {
		return intent.Meta{}, &assist.Error{Code: assist.ENOTFOUND, Message: fmt.Sprintf("no sentiment model in %s (run `make models` or `assist train sentiment`)", dir), Err: err}
	}
	meta, err := intent.ReadMeta(dir)
	if err != nil {
		return intent.Meta{}, err
	}
	if err := checkLabels(meta.Labels); err != nil {
		return intent.Meta{}, fmt.Errorf("%s: %w", dir, err)
	}
	meta, err = c.clf.Load(dir)
	if err != nil {
		return intent.Meta{}, err
	}
	c.mu.Lock()
	c.dir = dir
	c.mu.Unlock()
	return meta, nil
}

func checkLabels(labels []string) error {
	sorted := slices.Sorted(slices.Values(labels))
	if !slices.Equal(sorted, Classes) {
		return assist.Errorf(assist.EINVALID, "model labels %v are not the sentiment classes %v", labels, Classes)
	}
	return nil
}

// Reload loads the current model's directory again, to pick up a newly
// trained model written there.
//
// Errors: ENOTFOUND when no model was ever loaded; Load's errors.
func (c *Classifier) Reload() (intent.Meta, error) {
	c.mu.Lock()
	dir := c.dir
	c.mu.Unlock()
	if dir == "" {
		return intent.Meta{}, assist.Errorf(assist.ENOTFOUND, "no sentiment model loaded")
	}
	return c.Load(dir)
}

// Meta returns the current model's description, and false with no model.
func (c *Classifier) Meta() (intent.Meta, bool) { return c.clf.Meta() }

// Close closes the current model; later calls fail with EUNAVAILABLE.
func (c *Classifier) Close() error { return c.clf.Close() }

// Score returns the sentiment of a raw customer message (see FromProbs).
//
// Errors: EINVALID for text that is blank or not UTF-8, ETOOLARGE for
// text longer than MaxTextRunes characters (refused rather than cut, so a
// score always reads the whole message); EUNAVAILABLE when no model is
// loaded; the model's errors.
func (c *Classifier) Score(ctx context.Context, text string) (Score, error) {
	if err := CheckText(text); err != nil {
		return Score{}, err
	}
	probs, meta, err := c.clf.Probs(ctx, []string{Prepare(text)})
	if err != nil {
		if assist.ErrorCode(err) == assist.EUNAVAILABLE {
			return Score{}, &assist.Error{Code: assist.EUNAVAILABLE, Message: "sentiment model unavailable (run `make models`)", Err: err}
		}
		return Score{}, err
	}
	s := FromProbs(meta.Labels, probs[0])
	s.Model = meta.Version
	return s, nil
}
