package models

import (
	"context"
	"errors"

	"github.com/assistd/assist"
)

// Runner runs a model. Implementations are safe for concurrent use.
type Runner interface {
	// Run runs the model on inputs, keyed by input name, and returns its
	// outputs keyed by output name. Every input the model was set up with
	// must be present, and no other. Run neither modifies nor retains the
	// inputs' data; the returned tensors belong to the caller.
	//
	// Errors: code EINVALID when an input is missing, unknown, of the wrong
	// element type or shape, or inconsistent with its data; code
	// EUNAVAILABLE wrapping ErrClosed after the runner was closed; an error
	// wrapping ctx.Err() when ctx ends first; anything else is an internal
	// failure of the runtime (EINTERNAL).
	Run(ctx context.Context, inputs map[string]Tensor) (map[string]Tensor, error)
}

// ErrClosed is wrapped by the errors of a Runner used after it was closed.
var ErrClosed = errors.New("model closed")

// TensorSpec describes one input or output of a model.
type TensorSpec struct {
	Name string
	Type DType
	// Shape has one entry per dimension; -1 marks a dynamic dimension such
	// as the batch size. A nil Shape means the rank is not known.
	Shape []int64
}

// Accepts returns nil if t fits the spec: the same element type, the same
// rank and the same size on every fixed dimension. Otherwise it returns an
// error with code EINVALID. It does not check t's data; see Tensor.Validate.
func (s TensorSpec) Accepts(t Tensor) error {
	if t.Type != s.Type {
		return assist.Errorf(assist.EINVALID, "tensor %s: element type %s, want %s", s.Name, t.Type, s.Type)
	}
	if s.Shape == nil {
		return nil
	}
	fits := len(t.Shape) == len(s.Shape)
	for i := 0; fits && i < len(s.Shape); i++ {
		fits = s.Shape[i] < 0 || t.Shape[i] == s.Shape[i]
	}
	if !fits {
		return assist.Errorf(assist.EINVALID, "tensor %s: shape %s, want %s", s.Name, formatShape(t.Shape), formatShape(s.Shape))
	}
	return nil
}
