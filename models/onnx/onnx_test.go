package onnx_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/models"
	"github.com/assistd/assist/models/onnx"
	"github.com/assistd/assist/models/onnxgraph"
	"github.com/assistd/assist/models/onnxgraph/onnxgraphtest"
)

// loadRuntime loads ONNX Runtime for a test. Without the library it skips
// the test, unless ASSIST_REQUIRE_ORT is set (as `make test` does after
// `make ort`): then it fails.
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

// The test model's sizes: x [batch, features] → probs [batch, classes];
// ids [batch, tokens] → mean [batch, dim] over an embedding of vocab rows.
const (
	features = 4
	classes  = 3
	vocab    = 50
	dim      = 8
)

// weights are the test model's parameters, kept to compute the same thing
// in Go.
type weights struct {
	W   []float32 // [features, classes]
	B   []float32 // [classes]
	Emb []float32 // [vocab, dim]
}

func newWeights(seed uint64) weights {
	r := rand.New(rand.NewPCG(seed, 7))
	fill := func(n int) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(r.NormFloat64())
		}
		return v
	}
	return weights{W: fill(features * classes), B: fill(classes), Emb: fill(vocab * dim)}
}

// classifierModel builds, with onnxgraph, a model with a dense path
// (x → MatMul → Add → Softmax → probs, ArgMax → label) and a bag-of-ids path
// (ids → Gather from the embedding → ReduceMean over tokens → mean).
func classifierModel(tb testing.TB, w weights) []byte {
	tb.Helper()
	g := onnxgraph.NewGraph("test_classifier")
	batch := onnxgraph.Dynamic("batch")
	x := g.Input("x", onnxgraph.Float32, batch, onnxgraph.Fixed(features))
	ids := g.Input("ids", onnxgraph.Int64, batch, onnxgraph.Dynamic("tokens"))

	logits := g.Add(g.MatMul(x, g.Float32s("W", w.W, features, classes)), g.Float32s("b", w.B, classes))
	g.Output(g.Rename(g.Softmax(logits, -1), "probs"), onnxgraph.Float32, batch, onnxgraph.Fixed(classes))
	g.Output(g.Rename(g.ArgMax(logits, 1, false), "label"), onnxgraph.Int64, batch)

	emb := g.Float32s("embedding", w.Emb, vocab, dim)
	g.Output(g.Rename(g.ReduceMean(g.Gather(emb, ids, 0), false, 1), "mean"), onnxgraph.Float32, batch, onnxgraph.Fixed(dim))

	data, err := (&onnxgraph.Model{Graph: g, ProducerName: "assist-test"}).Marshal()
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// The same computations in Go.

func goProbs(w weights, x []float32, batch int) ([]float32, []int64) {
	probs := make([]float32, batch*classes)
	labels := make([]int64, batch)
	for b := range batch {
		logits := make([]float64, classes)
		best := 0
		for c := range classes {
			s := float64(w.B[c])
			for f := range features {
				s += float64(x[b*features+f]) * float64(w.W[f*classes+c])
			}
			logits[c] = s
			if s > logits[best] {
				best = c
			}
		}
		var sum float64
		for c := range classes {
			sum += math.Exp(logits[c] - logits[best])
		}
		for c := range classes {
			probs[b*classes+c] = float32(math.Exp(logits[c]-logits[best]) / sum)
		}
		labels[b] = int64(best)
	}
	return probs, labels
}

func goMean(w weights, ids []int64, batch, tokens int) []float32 {
	mean := make([]float32, batch*dim)
	for b := range batch {
		for d := range dim {
			var s float64
			for k := range tokens {
				s += float64(w.Emb[int(ids[b*tokens+k])*dim+d])
			}
			mean[b*dim+d] = float32(s / float64(tokens))
		}
	}
	return mean
}

// testInputs returns random inputs of the given batch size.
func testInputs(r *rand.Rand, batch, tokens int) map[string]models.Tensor {
	x := make([]float32, batch*features)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	ids := make([]int64, batch*tokens)
	for i := range ids {
		ids[i] = r.Int64N(vocab)
	}
	return map[string]models.Tensor{
		"x":   models.Float32Tensor(x, int64(batch), features),
		"ids": models.Int64Tensor(ids, int64(batch), int64(tokens)),
	}
}

// checkOutputs compares a Run's outputs with the Go computation.
func checkOutputs(w weights, in, out map[string]models.Tensor) error {
	batch, tokens := int(in["ids"].Shape[0]), int(in["ids"].Shape[1])
	probs, labels := goProbs(w, in["x"].Float32, batch)
	mean := goMean(w, in["ids"].Int64, batch, tokens)
	if err := closeTo("probs", out["probs"], probs, batch, classes); err != nil {
		return err
	}
	if err := closeTo("mean", out["mean"], mean, batch, dim); err != nil {
		return err
	}
	got := out["label"]
	if got.Type != models.Int64 || len(got.Shape) != 1 || got.Shape[0] != int64(batch) {
		return fmt.Errorf("label: %s %v, want int64 [%d]", got.Type, got.Shape, batch)
	}
	for i, l := range labels {
		// A near tie may go either way in float32; the probabilities are checked above.
		if got.Int64[i] != l && math.Abs(float64(probs[i*classes+int(got.Int64[i])]-probs[i*classes+int(l)])) > 1e-5 {
			return fmt.Errorf("label[%d] = %d, want %d", i, got.Int64[i], l)
		}
	}
	return nil
}

func closeTo(name string, got models.Tensor, want []float32, rows, cols int) error {
	if got.Type != models.Float32 || len(got.Shape) != 2 || got.Shape[0] != int64(rows) || got.Shape[1] != int64(cols) {
		return fmt.Errorf("%s: %s %v, want float32 [%d %d]", name, got.Type, got.Shape, rows, cols)
	}
	if len(got.Float32) != len(want) {
		return fmt.Errorf("%s: %d values, want %d", name, len(got.Float32), len(want))
	}
	for i := range want {
		if d := math.Abs(float64(got.Float32[i] - want[i])); d > 1e-5 {
			return fmt.Errorf("%s[%d] = %g, want %g (diff %g)", name, i, got.Float32[i], want[i], d)
		}
	}
	return nil
}

func TestClassifierModelIsValidONNX(t *testing.T) {
	onnxgraphtest.Check(t, classifierModel(t, newWeights(1)))
}

func TestSessionMatchesGo(t *testing.T) {
	rt := loadRuntime(t)
	w := newWeights(1)
	s, err := rt.NewSession(classifierModel(t, w), onnx.SessionOptions{Name: "classifier", Inputs: []string{"ids", "x"}})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ batch, tokens int }{{0, 3}, {1, 1}, {1, 5}, {3, 7}, {32, 16}, {100, 2}} {
		t.Run(fmt.Sprintf("batch=%d,tokens=%d", tc.batch, tc.tokens), func(t *testing.T) {
			in := testInputs(r, tc.batch, tc.tokens)
			out, err := s.Run(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			if len(out) != 3 {
				t.Errorf("%d outputs, want 3", len(out))
			}
			if err := checkOutputs(w, in, out); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestSessionSpecs(t *testing.T) {
	rt := loadRuntime(t)
	s, err := rt.NewSession(classifierModel(t, newWeights(1)), onnx.SessionOptions{Outputs: []string{"mean", "probs"}})
	if err != nil {
		t.Fatal(err)
	}
	if s.Name() != "model" {
		t.Errorf("Name() = %q, want the default %q", s.Name(), "model")
	}
	got := fmt.Sprint(s.Inputs(), s.Outputs())
	want := "[{x float32 [-1 4]} {ids int64 [-1 -1]}] [{mean float32 [-1 8]} {probs float32 [-1 3]}]"
	if got != want {
		t.Errorf("specs = %s\nwant     %s", got, want)
	}
	out, err := s.Run(context.Background(), testInputs(rand.New(rand.NewPCG(3, 4)), 2, 3))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := out["label"]; ok || len(out) != 2 {
		t.Errorf("outputs %v, want only mean and probs", out)
	}
}

func TestOpenSession(t *testing.T) {
	rt := loadRuntime(t)
	w := newWeights(5)
	path := filepath.Join(t.TempDir(), "intent.onnx")
	if err := os.WriteFile(path, classifierModel(t, w), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := rt.OpenSession(path, onnx.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Name() != "intent" {
		t.Errorf("Name() = %q, want %q", s.Name(), "intent")
	}
	in := testInputs(rand.New(rand.NewPCG(5, 6)), 4, 3)
	out, err := s.Run(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkOutputs(w, in, out); err != nil {
		t.Fatal(err)
	}
	if _, err := rt.OpenSession(filepath.Join(t.TempDir(), "missing.onnx"), onnx.SessionOptions{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("OpenSession(missing) error = %v, want ErrNotExist", err)
	}
}

func TestNewSessionErrors(t *testing.T) {
	rt := loadRuntime(t)
	model := classifierModel(t, newWeights(1))
	tests := []struct {
		name  string
		model []byte
		opts  onnx.SessionOptions
		want  string
	}{
		{"empty model", nil, onnx.SessionOptions{}, "empty model"},
		{"not a model", []byte("definitely not protobuf"), onnx.SessionOptions{}, "reading the model"},
		{"unknown output", model, onnx.SessionOptions{Outputs: []string{"logits"}}, `no output "logits"; the model has [probs label mean]`},
		{"output twice", model, onnx.SessionOptions{Outputs: []string{"probs", "probs"}}, "asked for twice"},
		{"inputs differ", model, onnx.SessionOptions{Inputs: []string{"x"}}, "inputs [x] expected, the model has [x ids]"},
		{"negative threads", model, onnx.SessionOptions{IntraOpThreads: -1}, "negative IntraOpThreads"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Name = "bad"
			s, err := rt.NewSession(tt.model, tt.opts)
			if err == nil {
				s.Close()
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), "onnx session bad: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to start with %q and contain %q", err, "onnx session bad: ", tt.want)
			}
		})
	}
}

func TestRunBadInputs(t *testing.T) {
	rt := loadRuntime(t)
	s, err := rt.NewSession(classifierModel(t, newWeights(1)), onnx.SessionOptions{Name: "classifier"})
	if err != nil {
		t.Fatal(err)
	}
	good := testInputs(rand.New(rand.NewPCG(1, 1)), 2, 3)
	with := func(name string, t models.Tensor) map[string]models.Tensor {
		in := map[string]models.Tensor{"x": good["x"], "ids": good["ids"]}
		in[name] = t
		return in
	}
	tests := []struct {
		name   string
		inputs map[string]models.Tensor
		want   string
	}{
		{"nil map", nil, `missing input "x"`},
		{"missing input", map[string]models.Tensor{"x": good["x"]}, `missing input "ids"`},
		{"unknown input", with("y", good["x"]), `unknown input "y"`},
		{"wrong element type", with("ids", models.Float32Tensor(make([]float32, 6), 2, 3)), "element type float32, want int64"},
		{"wrong fixed dimension", with("x", models.Float32Tensor(make([]float32, 10), 2, 5)), "shape [2 x 5], want [? x 4]"},
		{"wrong rank", with("x", models.Float32Tensor(make([]float32, 8), 8)), "shape [8], want [? x 4]"},
		{"data does not fit shape", with("x", models.Float32Tensor(make([]float32, 7), 2, 4)), "holds 8 elements, data has 7"},
		{"zero tensor", with("x", models.Tensor{}), "unknown element type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Run(context.Background(), tt.inputs)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Run() error = %v, want it to contain %q", err, tt.want)
			}
			if code := assist.ErrorCode(err); code != assist.EINVALID {
				t.Errorf("code %q, want %q", code, assist.EINVALID)
			}
		})
	}
	// An id outside the embedding is caught by ONNX Runtime, not by a crash.
	bad := with("ids", models.Int64Tensor([]int64{0, 1, vocab, 0, 1, 2}, 2, 3))
	if _, err := s.Run(context.Background(), bad); err == nil {
		t.Error("Run with an out-of-range id: no error")
	}
	// The session still works.
	if _, err := s.Run(context.Background(), good); err != nil {
		t.Fatal(err)
	}
}

func TestSessionConcurrent(t *testing.T) {
	rt := loadRuntime(t)
	w := newWeights(2)
	s, err := rt.NewSession(classifierModel(t, w), onnx.SessionOptions{Name: "classifier"})
	if err != nil {
		t.Fatal(err)
	}
	const goroutines, runs = 16, 100
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := range goroutines {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(g), 99))
			for i := range runs {
				in := testInputs(r, 1+r.IntN(40), 1+r.IntN(12))
				out, err := s.Run(context.Background(), in)
				if err == nil {
					err = checkOutputs(w, in, out)
				}
				if err != nil {
					errs <- fmt.Errorf("goroutine %d, run %d: %w", g, i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestSessionCloseWaitsForRuns(t *testing.T) {
	rt := loadRuntime(t)
	w := newWeights(3)
	s, err := rt.NewSession(classifierModel(t, w), onnx.SessionOptions{Name: "classifier"})
	if err != nil {
		t.Fatal(err)
	}
	// Each run stops just before ONNX Runtime runs, until release.
	const inFlight = 4
	started, release := make(chan struct{}), make(chan struct{})
	onnx.SetTestHooks(s, func() {
		started <- struct{}{}
		<-release
	}, nil)

	results := make(chan error, inFlight)
	in := testInputs(rand.New(rand.NewPCG(3, 3)), 5, 4)
	for range inFlight {
		go func() {
			out, err := s.Run(context.Background(), in)
			if err == nil {
				err = checkOutputs(w, in, out)
			}
			results <- err
		}()
	}
	for range inFlight {
		<-started
	}
	closed := make(chan error)
	go func() { closed <- s.Close() }()
	select {
	case err := <-closed:
		t.Fatalf("Close returned (%v) while %d runs were in flight", err, inFlight)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	for range inFlight {
		if err := <-results; err != nil {
			t.Errorf("in-flight run: %v", err)
		}
	}
	if err := <-closed; err != nil {
		t.Fatal(err)
	}

	_, err = s.Run(context.Background(), in)
	if !errors.Is(err, models.ErrClosed) || assist.ErrorCode(err) != assist.EUNAVAILABLE {
		t.Errorf("Run after Close: %v (code %q), want ErrClosed with code %q", err, assist.ErrorCode(err), assist.EUNAVAILABLE)
	}
	if !strings.HasPrefix(err.Error(), "onnx session classifier: ") {
		t.Errorf("error %q does not name the session", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestRunCanceled(t *testing.T) {
	rt := loadRuntime(t)
	s, err := rt.NewSession(classifierModel(t, newWeights(4)), onnx.SessionOptions{Name: "classifier"})
	if err != nil {
		t.Fatal(err)
	}
	in := testInputs(rand.New(rand.NewPCG(4, 4)), 2, 2)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Run(ctx, in); !errors.Is(err, context.Canceled) {
		t.Errorf("Run with a canceled context: %v, want context.Canceled", err)
	}

	// Canceled after the checks, just before ONNX Runtime starts: Run waits
	// until ONNX Runtime has been told to stop, so it must stop.
	ctx, cancel = context.WithCancel(context.Background())
	terminated := make(chan struct{})
	onnx.SetTestHooks(s, func() {
		cancel()
		<-terminated
	}, func() { close(terminated) })
	if _, err := s.Run(ctx, in); !errors.Is(err, context.Canceled) {
		t.Errorf("Run canceled in flight: %v, want context.Canceled", err)
	}

	// A context that ends after the run changes nothing.
	onnx.SetTestHooks(s, nil, nil)
	ctx, cancel = context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	if _, err := s.Run(ctx, in); err != nil {
		t.Fatal(err)
	}
}

func TestRuntimesShareTheEnvironment(t *testing.T) {
	a := loadRuntime(t)
	b, err := onnx.Load(onnx.Config{IntraOpThreads: 2})
	if err != nil {
		t.Fatal(err)
	}
	if a.LibraryPath() != b.LibraryPath() || !strings.HasPrefix(a.Version(), "1.24") {
		t.Errorf("runtimes: %s %s and %s %s", a.LibraryPath(), a.Version(), b.LibraryPath(), b.Version())
	}
	w := newWeights(6)
	model := classifierModel(t, w)
	sa, err := a.NewSession(model, onnx.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sb, err := b.NewSession(model, onnx.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	in := testInputs(rand.New(rand.NewPCG(6, 6)), 3, 3)

	// Closing b closes its session but leaves a's working.
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := sb.Run(context.Background(), in); !errors.Is(err, models.ErrClosed) {
		t.Errorf("Run on a session of a closed runtime: %v, want ErrClosed", err)
	}
	if _, err := b.NewSession(model, onnx.SessionOptions{}); err == nil {
		t.Error("NewSession on a closed runtime: no error")
	}
	out, err := sa.Run(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkOutputs(w, in, out); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}

	// After the last runtime closes, a new one initialises it again.
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	c := loadRuntime(t)
	sc, err := c.NewSession(model, onnx.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sc.Run(context.Background(), in); err != nil {
		t.Fatal(err)
	}
}

func TestLoadConcurrent(t *testing.T) {
	loadRuntime(t) // skips without the library
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 5 {
				rt, err := onnx.Load(onnx.Config{})
				if err != nil {
					t.Error(err)
					return
				}
				if err := rt.Close(); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
}

func TestLoadMissingLibrary(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "libonnxruntime.so.1")
	_, err := onnx.Load(onnx.Config{LibraryPath: missing})
	if !errors.Is(err, onnx.ErrLibraryNotFound) {
		t.Fatalf("Load error = %v, want ErrLibraryNotFound", err)
	}
	for _, want := range []string{"make ort", missing} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}

	t.Setenv(onnx.LibraryEnv, missing)
	if _, err := onnx.Load(onnx.Config{}); !errors.Is(err, onnx.ErrLibraryNotFound) || !strings.Contains(err.Error(), "$"+onnx.LibraryEnv) {
		t.Errorf("Load with $%s missing: %v", onnx.LibraryEnv, err)
	}
}

func TestLoadNotALibrary(t *testing.T) {
	fake := filepath.Join(t.TempDir(), "libonnxruntime.so.1")
	if err := os.WriteFile(fake, []byte("not an ELF file"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := onnx.Load(onnx.Config{LibraryPath: fake}); err == nil || !strings.Contains(err.Error(), fake) {
		t.Fatalf("Load(not a library) error = %v, want one naming %s", err, fake)
	}
	// The failure leaves nothing behind: the real library still loads, and
	// then another file is refused.
	rt := loadRuntime(t)
	_, err := onnx.Load(onnx.Config{LibraryPath: fake})
	if err == nil || !strings.Contains(err.Error(), "already loaded") || !strings.Contains(err.Error(), rt.LibraryPath()) {
		t.Errorf("Load of another library while one is loaded: %v", err)
	}
}

func BenchmarkSessionRun(b *testing.B) {
	rt := loadRuntime(b)
	w := newWeights(1)
	s, err := rt.NewSession(classifierModel(b, w), onnx.SessionOptions{Name: "classifier"})
	if err != nil {
		b.Fatal(err)
	}
	for _, batch := range []int{1, 32} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			in := testInputs(rand.New(rand.NewPCG(1, 2)), batch, 16)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Run(ctx, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// Many goroutines on one session, as the NLU pipeline runs it.
	b.Run("batch=1/parallel", func(b *testing.B) {
		in := testInputs(rand.New(rand.NewPCG(1, 2)), 1, 16)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := s.Run(context.Background(), in); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
