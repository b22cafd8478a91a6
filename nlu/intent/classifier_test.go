package intent

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/models"
	"github.com/assistd/assist/nlu"
	"github.com/assistd/assist/nlu/text"
)

// trainToy trains and saves a toy model into a temp dir.
func trainToy(t *testing.T, seed uint64) (string, *Trained) {
	t.Helper()
	opt := toyOptions
	opt.Seed = seed
	tr, err := Train(toyData(1, 40), toyData(2, 10), opt)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "model")
	if _, err := Save(dir, tr, map[string]float64{"accuracy": 1}); err != nil {
		t.Fatal(err)
	}
	return dir, tr
}

// netOpener opens every model file as a netRunner over net.
func netOpener(net *Ensemble, opened *[]*netRunner) Opener {
	return func(string) (models.Runner, error) {
		r := &netRunner{net: net}
		if opened != nil {
			*opened = append(*opened, r)
		}
		return r, nil
	}
}

func TestSaveAndReadMeta(t *testing.T) {
	dir, tr := trainToy(t, 1)
	m, err := ReadMeta(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Format != FormatVersion || m.DataHash != tr.DataHash || len(m.Labels) != 4 || m.Metrics["accuracy"] != 1 || m.Dim != 16 {
		t.Errorf("meta %+v", m)
	}
	// The same training gives the same version; another seed another.
	dir2, _ := trainToy(t, 1)
	dir3, _ := trainToy(t, 2)
	m2, _ := ReadMeta(dir2)
	m3, _ := ReadMeta(dir3)
	if m2.Version != m.Version || m3.Version == m.Version {
		t.Errorf("versions %s %s %s", m.Version, m2.Version, m3.Version)
	}
	if _, err := ReadMeta(t.TempDir()); assist.ErrorCode(err) != assist.ENOTFOUND {
		t.Errorf("empty dir: %v", err)
	}
}

func TestClassifier(t *testing.T) {
	dir, tr := trainToy(t, 1)
	var opened []*netRunner
	c := NewClassifier(netOpener(tr.Net, &opened))
	if _, err := c.Classify(context.Background(), []string{"hi"}); assist.ErrorCode(err) != assist.EUNAVAILABLE {
		t.Fatalf("no model: %v", err)
	}
	meta, err := c.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	msgs := []string{"where is my parcel", "退款什么时候到账", "你好", "讲个笑话吧"}
	want := []string{"track_shipment", "refund_status", "greeting", "out_of_scope"}
	// Many messages in one call: one Run per batch of 64.
	var texts []string
	for range 40 {
		texts = append(texts, msgs...)
	}
	before := opened[0].runs.Load()
	got, err := c.ClassifyText(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	if runs := opened[0].runs.Load() - before; runs != 3 { // 160 texts
		t.Errorf("%d runs for 160 texts, want 3", runs)
	}
	for i, in := range got {
		if in.Label != want[i%4] || in.Model != meta.Version || in.Source != "onnx" || len(in.Top) != TopK {
			t.Errorf("%q: %+v", texts[i], in)
		}
		// The Runner path equals the trainer's forward pass.
		p := tr.Net.Probs(tr.Features.Featurize(nil, text.Normalize(texts[i])), tr.Pool)
		if d := p[argmax(p)] - in.Confidence; d > 1e-5 || d < -1e-5 {
			t.Errorf("%q: confidence %v, trainer %v", texts[i], in.Confidence, p[argmax(p)])
		}
	}
}

func TestClassifierHotSwap(t *testing.T) {
	dir1, tr1 := trainToy(t, 1)
	dir2, _ := trainToy(t, 2)
	var opened []*netRunner
	c := NewClassifier(netOpener(tr1.Net, &opened))
	m1, err := c.Load(dir1)
	if err != nil {
		t.Fatal(err)
	}
	// Requests run all through the swap; none may fail, each names a
	// version, and the old model is closed only after its requests.
	var wg sync.WaitGroup
	errs := make(chan error, 1000)
	stop := make(chan struct{})
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				got, err := c.Classify(context.Background(), []string{"where is my parcel"})
				if err != nil {
					errs <- err
					return
				}
				if got[0].Model == "" {
					errs <- errors.New("no model version in the result")
					return
				}
			}
		})
	}
	m2, err := c.Load(dir2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Reload(); err != nil {
		t.Fatal(err)
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if m1.Version == m2.Version {
		t.Fatal("the two models have the same version")
	}
	if cur, _ := c.Meta(); cur.Version != m2.Version {
		t.Errorf("current %s, want %s", cur.Version, m2.Version)
	}
	if !opened[0].closed.Load() || !opened[1].closed.Load() || opened[2].closed.Load() {
		t.Errorf("closed: %v %v %v, want the first two only", opened[0].closed.Load(), opened[1].closed.Load(), opened[2].closed.Load())
	}
	got, err := c.Classify(context.Background(), []string{"hi"})
	if err != nil || got[0].Model != m2.Version {
		t.Errorf("after swap: %+v, %v", got, err)
	}

	// A failed load keeps the current model.
	if _, err := c.Load(t.TempDir()); assist.ErrorCode(err) != assist.ENOTFOUND {
		t.Errorf("loading an empty dir: %v", err)
	}
	if cur, _ := c.Meta(); cur.Version != m2.Version {
		t.Errorf("a failed load replaced the model")
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Classify(context.Background(), []string{"hi"}); assist.ErrorCode(err) != assist.EUNAVAILABLE {
		t.Errorf("after Close: %v", err)
	}
}

func TestOpenRejectsMismatchedModel(t *testing.T) {
	dir, tr := trainToy(t, 1)
	small := *tr.Net.Members[0]
	small.Classes = 3 // a model.onnx with fewer classes than model.json labels
	small.W = small.W[:small.Dim*3]
	small.B = small.B[:3]
	_, err := Open(dir, netOpener(&Ensemble{Members: []*Net{&small}}, nil))
	if assist.ErrorCode(err) != assist.EINVALID {
		t.Errorf("error %v, want EINVALID", err)
	}
	failing := func(string) (models.Runner, error) { return nil, fmt.Errorf("no runtime") }
	if _, err := Open(dir, failing); err == nil {
		t.Error("an opener error was ignored")
	}
}

var _ nlu.IntentModel = (*Classifier)(nil)
