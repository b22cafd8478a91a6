package para

import (
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/nlu/intent"
)

// train is Train on the small features, failing the test on an error.
func train(t *testing.T, gs []Group, o Options) *Net {
	t.Helper()
	n, err := Train(gs, small, o)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

var small = func() intent.FeatureConfig {
	fc := intent.DefaultFeatures
	fc.Buckets = 1 << 12
	return fc
}()

// groups where "wrap" and "present" ask the same thing, and others that
// do not.
var groups = []Group{
	{Texts: []string{"can you gift wrap it", "wrap it as a present please", "is there present packaging"}, Weight: 1},
	{Texts: []string{"can i wrap the present", "do you do gift wrap", "present wrapping available?"}, Weight: 1},
	{Texts: []string{"when will my parcel arrive", "how long is delivery", "parcel delivery time"}, Weight: 1},
	{Texts: []string{"can i pay by card", "do you take visa card", "card payment options"}, Weight: 1},
	{Texts: []string{"is the coat warm", "how warm is this jacket", "coat for winter"}, Weight: 1},
	{Texts: []string{"the screen is broken", "cracked screen on arrival", "broken display"}, Weight: 1},
}

// Training pulls together words that ask one thing across groups: after
// training, "present" is closer to "wrap" than to "parcel", which the
// untrained (random) table does not know.
func TestTrainLearnsWordsThatAskOneThing(t *testing.T) {
	o := Options{Dim: 16, Epochs: 60, Batch: 6, Temp: 0.1, LR: 0.05, Seed: 3, Init: 1}
	n := train(t, groups, o)
	q, near, far := n.Encode("present"), n.Encode("wrap"), n.Encode("parcel")
	if Dot(q, near) <= Dot(q, far)+0.1 {
		t.Errorf("trained: present·wrap %.2f, present·parcel %.2f; want wrap clearly closer", Dot(q, near), Dot(q, far))
	}
	if again := train(t, groups, o); !slices.Equal(again.Emb, n.Emb) {
		t.Error("two trainings with one seed differ")
	}
	if v := n.Encode("？！"); Dot(v, v) != 0 {
		t.Errorf("a text without features encodes to %v, want zero", v)
	}
}

// A saved encoder loads back the same; a missing or damaged file is a
// clear error.
func TestSaveLoad(t *testing.T) {
	dir := t.TempDir()
	n := train(t, groups, Options{Dim: 8, Epochs: 2, Batch: 4, Temp: 0.1, LR: 0.05, Seed: 1, Init: 1})
	if err := n.Save(dir, len(groups)); err != nil {
		t.Fatal(err)
	}
	m, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Encode("gift wrap"), n.Encode("gift wrap")) {
		t.Error("loaded encoder differs")
	}
	if _, err := Load(t.TempDir()); assist.ErrorCode(err) != assist.ENOTFOUND {
		t.Errorf("missing model: %v, want ENOTFOUND", err)
	}
	path := filepath.Join(dir, File)
	b, _ := os.ReadFile(path)
	nan := slices.Clone(b) // the right size, one weight not a number
	binary.LittleEndian.PutUint32(nan[len(nan)-4:], math.Float32bits(float32(math.NaN())))
	inf := slices.Clone(b)
	binary.LittleEndian.PutUint32(inf[len(inf)-8:], math.Float32bits(float32(math.Inf(-1))))
	for _, bad := range [][]byte{b[:len(b)-4], []byte("not a model"), nan, inf} {
		os.WriteFile(path, bad, 0o644)
		var e *assist.Error
		if _, err := Load(dir); !errors.As(err, &e) || e.Code != assist.EINVALID {
			t.Errorf("damaged model: %v, want EINVALID", err)
		}
	}
}

// ModelID names the weights: the same model loaded twice has one ID (the
// vectors rag remembers serve both), another seed or a weight changed in
// the file another.
func TestModelID(t *testing.T) {
	dir := t.TempDir()
	o := Options{Dim: 8, Epochs: 2, Batch: 4, Temp: 0.1, LR: 0.05, Seed: 1, Init: 1}
	n := train(t, groups, o)
	if err := n.Save(dir, len(groups)); err != nil {
		t.Fatal(err)
	}
	a, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if a == b || a.ModelID() != b.ModelID() || a.ModelID() != n.ModelID() {
		t.Errorf("one model loaded twice and trained: IDs %q, %q, %q, want one", a.ModelID(), b.ModelID(), n.ModelID())
	}
	o.Seed = 2
	if other := train(t, groups, o); other.ModelID() == n.ModelID() {
		t.Errorf("another seed's net has the same ID %q", n.ModelID())
	}
	path := filepath.Join(dir, File)
	raw, _ := os.ReadFile(path)
	binary.LittleEndian.PutUint32(raw[len(raw)-4:], math.Float32bits(0.5))
	os.WriteFile(path, raw, 0o644)
	c, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c.ModelID() == a.ModelID() {
		t.Errorf("a weight changed: ID %q, want another", c.ModelID())
	}
}

// Settings Train cannot train with, or that would give a model Load
// refuses, are a clear error before any work (a batch of 0 used to loop
// for ever); so is a training that diverges.
func TestTrainRejectsBadSettings(t *testing.T) {
	ok := Options{Dim: 8, Epochs: 1, Batch: 4, Temp: 0.1, LR: 0.05, Seed: 1, Init: 1}
	for _, c := range []struct {
		name string
		set  func(*Options)
		want string
	}{
		{"batch 0", func(o *Options) { o.Batch = 0 }, "batch 0"},
		{"batch 1", func(o *Options) { o.Batch = 1 }, "batch 1"},
		{"dim 0", func(o *Options) { o.Dim = 0 }, "dim 0"},
		{"dim above Load's", func(o *Options) { o.Dim = MaxDim + 1 }, "dim 1025"},
		{"negative epochs", func(o *Options) { o.Epochs = -1 }, "epochs -1"},
		{"temperature 0", func(o *Options) { o.Temp = 0 }, "temperature 0"},
		{"learning rate NaN", func(o *Options) { o.LR = math.NaN() }, "learning rate NaN"},
		{"negative init", func(o *Options) { o.Init = -1 }, "initial scale -1"},
		{"diverging", func(o *Options) { o.LR = 1e38; o.Temp = 1e-38 }, "not a number"},
	} {
		o := ok
		c.set(&o)
		_, err := Train(groups, small, o)
		if assist.ErrorCode(err) != assist.EINVALID || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want EINVALID naming %q", c.name, err, c.want)
		}
	}
	gs := append(slices.Clone(groups), Group{Texts: []string{"a loose group", "of another weight"}, Weight: -0.3})
	if _, err := Train(gs, small, ok); assist.ErrorCode(err) != assist.EINVALID || !strings.Contains(err.Error(), "weight -0.3") {
		t.Errorf("negative group weight: %v, want EINVALID naming it", err)
	}
	if _, err := Train(groups, small, ok); err != nil {
		t.Errorf("good settings: %v", err)
	}
}

// A save that fails leaves nothing behind: no temporary file, and no
// model file make would take as trained.
func TestSaveFailsWhole(t *testing.T) {
	dir := t.TempDir()
	n := train(t, groups, Options{Dim: 8, Epochs: 1, Batch: 4, Temp: 0.1, LR: 0.05, Seed: 1, Init: 1})
	// The model's name is taken by a directory: the rename fails.
	if err := os.MkdirAll(filepath.Join(dir, File, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := n.Save(dir, len(groups)); err == nil {
		t.Fatal("saving over a directory: no error")
	}
	if _, err := Load(dir); err == nil {
		t.Error("a failed save left a model that loads")
	}
	es, _ := os.ReadDir(dir)
	if len(es) != 1 {
		t.Errorf("a failed save left %d entries in the model directory, want only the directory in the way", len(es))
	}
}

// Heads trained apart with the seeds that follow each other join into one
// encoder whose cosine is the mean of theirs, and which saves and loads
// as one; bad head counts are an EINVALID error.
func TestTrainHeads(t *testing.T) {
	o := Options{Dim: 8, Epochs: 5, Batch: 4, Temp: 0.1, LR: 0.05, Seed: 7, Init: 1}
	n, err := TrainHeads(groups, small, o, 2)
	if err != nil {
		t.Fatal(err)
	}
	if n.Dim != 16 || n.Heads != 2 {
		t.Fatalf("joined: dim %d heads %d, want 16 and 2", n.Dim, n.Heads)
	}
	a := train(t, groups, o)
	o2 := o
	o2.Seed++
	b := train(t, groups, o2)
	x, y := "can you gift wrap it", "when will my parcel arrive"
	want := (Dot(a.Encode(x), a.Encode(y)) + Dot(b.Encode(x), b.Encode(y))) / 2
	if got := Dot(n.Encode(x), n.Encode(y)); math.Abs(got-want) > 1e-6 {
		t.Errorf("joined cosine %.6f, want the heads' mean %.6f", got, want)
	}
	if v := n.Encode(x); math.Abs(Dot(v, v)-1) > 1e-6 {
		t.Errorf("joined vector length² %.6f, want 1", Dot(v, v))
	}
	one, err := TrainHeads(groups, small, o, 1)
	if err != nil || !slices.Equal(one.Emb, a.Emb) || one.Heads > 1 {
		t.Errorf("one head: %v, want Train's net", err)
	}
	dir := t.TempDir()
	if err := n.Save(dir, len(groups)); err != nil {
		t.Fatal(err)
	}
	m, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Heads != 2 || !slices.Equal(m.Encode(x), n.Encode(x)) {
		t.Errorf("loaded: heads %d, encodings equal %v; want 2 and the same", m.Heads, slices.Equal(m.Encode(x), n.Encode(x)))
	}
	// 1<<61 heads of 8 numbers overflow a multiplication to 0.
	for _, h := range []int{0, -1, MaxDim/o.Dim + 1, 1 << 61, math.MaxInt} {
		if _, err := TrainHeads(groups, small, o, h); assist.ErrorCode(err) != assist.EINVALID {
			t.Errorf("%d heads: %v, want EINVALID", h, err)
		}
	}
}
