package onnx

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/assistd/assist"
	"github.com/assistd/assist/models"
)

var _ models.Runner = (*Session)(nil)

// SessionOptions configures a Session. The zero value runs every input and
// output of the model.
type SessionOptions struct {
	// Name identifies the session in errors and logs. Empty: the model
	// file's base name, or "model".
	Name string
	// Inputs, when set, are the input names the caller expects the model to
	// have: creating the session fails unless they are exactly the model's
	// inputs, in any order. Run always takes every input of the model.
	Inputs []string
	// Outputs are the outputs Run returns. Empty: all of the model's.
	Outputs []string
	// IntraOpThreads overrides Config.IntraOpThreads for this session.
	IntraOpThreads int
}

// Session is one loaded model. It implements models.Runner and is safe for
// concurrent use.
type Session struct {
	name    string
	rt      *Runtime
	inputs  []models.TensorSpec
	outputs []models.TensorSpec

	// mu is held shared by each Run and exclusively by Close, so Close waits
	// for the runs in flight; ort is nil once closed.
	mu  sync.RWMutex
	ort *ort.DynamicAdvancedSession

	// Test hooks: called by Run just before ONNX Runtime runs, and by the
	// cancellation of a Run's context after it told ONNX Runtime to stop.
	testHookRun       func()
	testHookTerminate func()
}

// OpenSession loads the model in the ONNX file at path.
func (r *Runtime) OpenSession(path string, opts SessionOptions) (*Session, error) {
	if opts.Name == "" {
		opts.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("onnx session %s: %w", opts.Name, err)
	}
	return r.NewSession(data, opts)
}

// NewSession loads a model from the bytes of an ONNX file. It fails if the
// model cannot be parsed, if SessionOptions name inputs or outputs the
// model does not have, or if an input or a requested output is not a
// float32 or int64 tensor.
func (r *Runtime) NewSession(model []byte, opts SessionOptions) (*Session, error) {
	name := opts.Name
	if name == "" {
		name = "model"
	}
	wrap := func(err error) error { return fmt.Errorf("onnx session %s: %w", name, err) }
	if opts.IntraOpThreads < 0 {
		return nil, wrap(fmt.Errorf("negative IntraOpThreads %d", opts.IntraOpThreads))
	}
	if len(model) == 0 {
		return nil, wrap(errors.New("empty model"))
	}

	// Hold the runtime's lock throughout, so Close cannot release the
	// environment under a session being made.
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, wrap(errors.New("runtime closed"))
	}

	inInfo, outInfo, err := ort.GetInputOutputInfoWithONNXData(model)
	if err != nil {
		return nil, wrap(fmt.Errorf("reading the model: %w", err))
	}
	inputs, err := specs("input", inInfo, nil)
	if err != nil {
		return nil, wrap(err)
	}
	if opts.Inputs != nil && !sameNames(opts.Inputs, inputs) {
		return nil, wrap(fmt.Errorf("inputs %v expected, the model has %v", opts.Inputs, names(inputs)))
	}
	outputs, err := specs("output", outInfo, opts.Outputs)
	if err != nil {
		return nil, wrap(err)
	}

	so, err := ort.NewSessionOptions()
	if err != nil {
		return nil, wrap(err)
	}
	defer so.Destroy()
	threads := opts.IntraOpThreads
	if threads == 0 {
		threads = r.threads
	}
	if err := configure(so, threads); err != nil {
		return nil, wrap(err)
	}
	sess, err := ort.NewDynamicAdvancedSessionWithONNXData(model, names(inputs), names(outputs), so)
	if err != nil {
		return nil, wrap(err)
	}

	s := &Session{name: name, rt: r, inputs: inputs, outputs: outputs, ort: sess}
	r.sessions[s] = struct{}{}
	r.log.Info("onnx session opened", "session", name, "inputs", names(inputs), "outputs", names(outputs), "intra_op_threads", threads)
	return s, nil
}

func configure(so *ort.SessionOptions, threads int) error {
	if err := so.SetIntraOpNumThreads(threads); err != nil {
		return fmt.Errorf("setting intra-op threads: %w", err)
	}
	if err := so.SetInterOpNumThreads(1); err != nil {
		return fmt.Errorf("setting inter-op threads: %w", err)
	}
	// Spinning threads would steal the cores concurrent runs need.
	if err := so.AddSessionConfigEntry("session.intra_op.allow_spinning", "0"); err != nil {
		return fmt.Errorf("disabling spinning: %w", err)
	}
	return nil
}

// specs converts the model's inputs or outputs, keeping the wanted ones (all
// if wanted is empty) in the order asked for.
func specs(kind string, info []ort.InputOutputInfo, wanted []string) ([]models.TensorSpec, error) {
	byName := make(map[string]ort.InputOutputInfo, len(info))
	for _, i := range info {
		byName[i.Name] = i
	}
	if len(wanted) == 0 {
		for _, i := range info {
			wanted = append(wanted, i.Name)
		}
	}
	out := make([]models.TensorSpec, 0, len(wanted))
	for _, n := range wanted {
		i, ok := byName[n]
		if !ok {
			have := make([]string, 0, len(info))
			for _, i := range info {
				have = append(have, i.Name)
			}
			return nil, fmt.Errorf("no %s %q; the model has %v", kind, n, have)
		}
		if slices.ContainsFunc(out, func(s models.TensorSpec) bool { return s.Name == n }) {
			return nil, fmt.Errorf("%s %q asked for twice", kind, n)
		}
		t := dtype(i)
		if t == models.Invalid {
			return nil, fmt.Errorf("%s %q is %s; only float32 and int64 tensors are supported", kind, n, i.String())
		}
		out = append(out, models.TensorSpec{Name: n, Type: t, Shape: []int64(i.Dimensions.Clone())})
	}
	return out, nil
}

func dtype(i ort.InputOutputInfo) models.DType {
	if i.OrtValueType != ort.ONNXTypeTensor {
		return models.Invalid
	}
	switch i.DataType {
	case ort.TensorElementDataTypeFloat:
		return models.Float32
	case ort.TensorElementDataTypeInt64:
		return models.Int64
	}
	return models.Invalid
}

func names(specs []models.TensorSpec) []string {
	n := make([]string, len(specs))
	for i, s := range specs {
		n[i] = s.Name
	}
	return n
}

func sameNames(want []string, have []models.TensorSpec) bool {
	a, b := slices.Clone(want), names(have)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// Name returns the session's name.
func (s *Session) Name() string { return s.name }

// Inputs describes the inputs Run takes; -1 marks a dynamic dimension.
func (s *Session) Inputs() []models.TensorSpec { return cloneSpecs(s.inputs) }

// Outputs describes the outputs Run returns.
func (s *Session) Outputs() []models.TensorSpec { return cloneSpecs(s.outputs) }

func cloneSpecs(in []models.TensorSpec) []models.TensorSpec {
	out := make([]models.TensorSpec, len(in))
	for i, s := range in {
		out[i] = models.TensorSpec{Name: s.Name, Type: s.Type, Shape: slices.Clone(s.Shape)}
	}
	return out
}

// Run runs the model; see models.Runner for the contract. Inputs must be
// float32 or int64 tensors matching the model's inputs (any size on dynamic
// dimensions such as the batch); ONNX Runtime reads their data in place.
// When ctx ends during the run, ONNX Runtime is told to stop and Run returns
// an error wrapping ctx.Err().
func (s *Session) Run(ctx context.Context, inputs map[string]models.Tensor) (map[string]models.Tensor, error) {
	if err := ctx.Err(); err != nil {
		return nil, s.wrap(err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.ort == nil {
		return nil, s.wrap(&assist.Error{Code: assist.EUNAVAILABLE, Message: "model unavailable", Err: models.ErrClosed})
	}

	if err := s.checkInputs(inputs); err != nil {
		return nil, s.wrap(err)
	}
	in := make([]ort.Value, len(s.inputs))
	defer destroyAll(in)
	for i, spec := range s.inputs {
		v, err := newValue(inputs[spec.Name])
		if err != nil {
			return nil, s.wrap(fmt.Errorf("input %s: %w", spec.Name, err))
		}
		in[i] = v
	}
	out := make([]ort.Value, len(s.outputs)) // nil: ONNX Runtime allocates each
	defer destroyAll(out)

	var opts *ort.RunOptions
	if ctx.Done() != nil {
		var err error
		if opts, err = ort.NewRunOptions(); err != nil {
			return nil, s.wrap(err)
		}
		terminated := make(chan struct{})
		stop := context.AfterFunc(ctx, func() {
			defer close(terminated)
			opts.Terminate()
			if s.testHookTerminate != nil {
				s.testHookTerminate()
			}
		})
		defer func() {
			if !stop() {
				<-terminated // Terminate is running: let it finish before Destroy
			}
			opts.Destroy()
		}()
	}

	if s.testHookRun != nil {
		s.testHookRun()
	}
	if err := s.ort.RunWithOptions(in, out, opts); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, s.wrap(ctxErr)
		}
		return nil, s.wrap(err)
	}

	result := make(map[string]models.Tensor, len(out))
	for i, v := range out {
		t, err := tensorOf(v)
		if err != nil {
			return nil, s.wrap(fmt.Errorf("output %s: %w", s.outputs[i].Name, err))
		}
		result[s.outputs[i].Name] = t
	}
	return result, nil
}

// checkInputs returns an EINVALID error unless inputs has exactly the
// model's inputs, each valid and fitting its spec.
func (s *Session) checkInputs(inputs map[string]models.Tensor) error {
	for _, spec := range s.inputs {
		t, ok := inputs[spec.Name]
		if !ok {
			return assist.Errorf(assist.EINVALID, "missing input %q", spec.Name)
		}
		if err := t.Validate(); err != nil {
			return fmt.Errorf("input %s: %w", spec.Name, err)
		}
		if err := spec.Accepts(t); err != nil {
			return err
		}
	}
	if len(inputs) != len(s.inputs) {
		for n := range inputs {
			if !slices.ContainsFunc(s.inputs, func(spec models.TensorSpec) bool { return spec.Name == n }) {
				return assist.Errorf(assist.EINVALID, "unknown input %q; the model takes %v", n, names(s.inputs))
			}
		}
	}
	return nil
}

// newValue wraps t's data, without copying, in an ONNX Runtime tensor.
func newValue(t models.Tensor) (ort.Value, error) {
	shape := ort.Shape(slices.Clone(t.Shape))
	switch t.Type {
	case models.Float32:
		return ort.NewTensor(shape, t.Float32)
	case models.Int64:
		return ort.NewTensor(shape, t.Int64)
	}
	return nil, fmt.Errorf("unsupported element type %s", t.Type)
}

// tensorOf converts an output allocated by ONNX Runtime. onnxruntime_go
// has already copied its data into Go memory, which stays valid after the
// value is destroyed.
func tensorOf(v ort.Value) (models.Tensor, error) {
	switch v := v.(type) {
	case *ort.Tensor[float32]:
		return models.Float32Tensor(v.GetData(), v.GetShape()...), nil
	case *ort.Tensor[int64]:
		return models.Int64Tensor(v.GetData(), v.GetShape()...), nil
	case nil:
		return models.Tensor{}, errors.New("not produced")
	}
	return models.Tensor{}, fmt.Errorf("unsupported value %T", v)
}

func destroyAll(values []ort.Value) {
	for _, v := range values {
		if v != nil {
			v.Destroy()
		}
	}
}

func (s *Session) wrap(err error) error { return fmt.Errorf("onnx session %s: %w", s.name, err) }

// Close waits for the runs in flight, then frees the model. Later Runs fail
// with an error wrapping models.ErrClosed. Closing twice is a no-op.
func (s *Session) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ort == nil {
		return nil
	}
	err := s.ort.Destroy()
	s.ort = nil
	s.rt.mu.Lock()
	delete(s.rt.sessions, s)
	s.rt.mu.Unlock()
	s.rt.log.Info("onnx session closed", "session", s.name)
	if err != nil {
		return s.wrap(err)
	}
	return nil
}
