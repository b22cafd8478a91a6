package para

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/assistd/assist"
	"github.com/assistd/assist/nlu/intent"
)

// File is the model file's name in a model directory.
const File = "paraphrase.bin"

// header is the model file's first line: how texts are featurized and the
// vectors' length; the embedding table follows as little-endian float32.
type header struct {
	Features intent.FeatureConfig `json:"features"`
	Dim      int                  `json:"dim"`
	Groups   int                  `json:"groups"`          // groups trained on
	Heads    int                  `json:"heads,omitempty"` // nets joined (Net.Heads); 0: one
}

// Save writes the net into dir/File, creating dir. The file appears whole
// or not at all (a temporary file renamed): an interrupted or failed save
// leaves the model there before, never a truncated one newer than its
// data, which make would take as up to date.
func (n *Net) Save(dir string, groups int) (err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, File+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	w := bufio.NewWriter(f)
	if err := json.NewEncoder(w).Encode(header{n.Features, n.Dim, groups, n.Heads}); err != nil {
		return err
	}
	if err := binary.Write(w, binary.LittleEndian, n.Emb); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(f.Name(), filepath.Join(dir, File))
}

// Load reads the net Save wrote into dir. Errors: ENOTFOUND when there is
// no model, EINVALID when the file is not one (or holds a weight that is
// not a number).
func Load(dir string) (*Net, error) {
	path := filepath.Join(dir, File)
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, assist.Errorf(assist.ENOTFOUND, "no paraphrase model in %s (run `make models`)", dir)
	}
	if err != nil {
		return nil, err
	}
	i := bytes.IndexByte(b, '\n')
	var h header
	if i < 0 || json.Unmarshal(b[:i], &h) != nil {
		return nil, assist.Errorf(assist.EINVALID, "%s: not a paraphrase model (no header)", path)
	}
	if err := h.Features.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if h.Dim < 1 || h.Dim > MaxDim || len(b)-i-1 != 4*h.Features.Buckets*h.Dim {
		return nil, assist.Errorf(assist.EINVALID, "%s: %d bytes of weights, want %d buckets × %d floats", path, len(b)-i-1, h.Features.Buckets, h.Dim)
	}
	if h.Heads < 0 || h.Heads > 1 && h.Dim%h.Heads != 0 {
		return nil, assist.Errorf(assist.EINVALID, "%s: %d heads do not divide %d numbers", path, h.Heads, h.Dim)
	}
	n := &Net{Features: h.Features, Dim: h.Dim, Heads: h.Heads, Emb: make([]float32, h.Features.Buckets*h.Dim)}
	if err := binary.Read(bytes.NewReader(b[i+1:]), binary.LittleEndian, n.Emb); err != nil {
		return nil, err
	}
	if i := notNumber(n.Emb); i >= 0 {
		return nil, assist.Errorf(assist.EINVALID, "%s: weight %d is not a number (a damaged file or a diverged training: run `make models`)", path, i)
	}
	n.idOnce.Do(func() { n.id = n.hashID(b[i+1:]) })
	return n, nil
}
