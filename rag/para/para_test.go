package para

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/nlu/intent"
)

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
	n := Train(groups, small, o)
	q, near, far := n.Encode("present"), n.Encode("wrap"), n.Encode("parcel")
	if Dot(q, near) <= Dot(q, far)+0.1 {
		t.Errorf("trained: present·wrap %.2f, present·parcel %.2f; want wrap clearly closer", Dot(q, near), Dot(q, far))
	}
	if again := Train(groups, small, o); !slices.Equal(again.Emb, n.Emb) {
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
	n := Train(groups, small, Options{Dim: 8, Epochs: 2, Batch: 4, Temp: 0.1, LR: 0.05, Seed: 1, Init: 1})
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
	for _, bad := range [][]byte{b[:len(b)-4], []byte("not a model")} {
		os.WriteFile(path, bad, 0o644)
		var e *assist.Error
		if _, err := Load(dir); !errors.As(err, &e) || e.Code != assist.EINVALID {
			t.Errorf("damaged model: %v, want EINVALID", err)
		}
	}
}
