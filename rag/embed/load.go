package embed

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/assistd/assist"
)

// Files of a model folder.
const (
	ModelFile      = "model.onnx"
	VocabFile      = "vocab.txt"
	AssistConfig   = "assist.json"
	PoolingConfig  = "1_Pooling/config.json"
	sbertConfig    = "sentence_bert_config.json"
	tokenizerConfg = "tokenizer_config.json"
	maxConfigBytes = 1 << 20
)

// FolderConfig is the content of assist.json. Unset fields fall back to
// the sentence-transformers files, then to the defaults.
type FolderConfig struct {
	Pooling      Pooling `json:"pooling"`
	Lowercase    *bool   `json:"lowercase"`
	StripAccents *bool   `json:"strip_accents"`
	MaxLength    int     `json:"max_length"`
	Output       string  `json:"output"`
	BatchSize    int     `json:"batch_size"`
}

// Load reads the model folder dir (model.onnx or onnx/model.onnx,
// vocab.txt, and the configs named in the package comment), opens the
// model with open and returns its Embedder. Errors: EINVALID naming the
// missing or malformed file, or the error of open.
func Load(dir string, open Opener) (*Embedder, error) {
	if open == nil {
		return nil, assist.Errorf(assist.EINVALID, "embedding model: no opener")
	}
	fc, err := folderConfig(dir)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(filepath.Join(dir, VocabFile))
	if err != nil {
		return nil, assist.Wrap(assist.EINVALID, err, "embedding model folder "+dir+" has no readable "+VocabFile)
	}
	vocab, err := ReadVocab(f)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("embedding model %s: %w", dir, err)
	}
	tok, err := NewTokenizer(vocab, TokenizerConfig{Lowercase: *fc.Lowercase, StripAccents: fc.StripAccents, MaxLength: fc.MaxLength})
	if err != nil {
		return nil, fmt.Errorf("embedding model %s: %w", dir, err)
	}
	path := filepath.Join(dir, ModelFile)
	if !isFile(path) {
		alt := filepath.Join(dir, "onnx", ModelFile)
		if !isFile(alt) {
			return nil, assist.Errorf(assist.EINVALID, "embedding model folder %s has no %s (nor onnx/%s)", dir, ModelFile, ModelFile)
		}
		path = alt
	}
	model, err := open(path)
	if err != nil {
		return nil, fmt.Errorf("embedding model %s: %w", path, err)
	}
	e, err := New(tok, model, Config{Pooling: fc.Pooling, Output: fc.Output, BatchSize: fc.BatchSize})
	if err != nil {
		if c, ok := model.(interface{ Close() error }); ok {
			c.Close()
		}
		return nil, fmt.Errorf("embedding model %s: %w", path, err)
	}
	return e, nil
}

// folderConfig merges assist.json, the sentence-transformers configs and
// the defaults.
func folderConfig(dir string) (FolderConfig, error) {
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return FolderConfig{}, assist.Errorf(assist.EINVALID, "embedding model folder %s does not exist", dir)
	}
	var fc FolderConfig
	if _, err := readJSON(dir, AssistConfig, &fc); err != nil {
		return fc, err
	}
	if fc.Pooling == "" {
		var pc struct {
			CLS      bool `json:"pooling_mode_cls_token"`
			Mean     bool `json:"pooling_mode_mean_tokens"`
			Max      bool `json:"pooling_mode_max_tokens"`
			MeanSqrt bool `json:"pooling_mode_mean_sqrt_len_tokens"`
		}
		ok, err := readJSON(dir, PoolingConfig, &pc)
		switch {
		case err != nil:
			return fc, err
		case !ok:
		case pc.Max || pc.MeanSqrt || (pc.CLS && pc.Mean):
			return fc, assist.Errorf(assist.EINVALID, "embedding model %s: %s asks for a pooling other than mean or cls alone", dir, PoolingConfig)
		case pc.CLS:
			fc.Pooling = PoolCLS
		case pc.Mean:
			fc.Pooling = PoolMean
		}
	}
	var sb struct {
		MaxSeqLength int   `json:"max_seq_length"`
		Lowercase    *bool `json:"do_lower_case"`
	}
	if _, err := readJSON(dir, sbertConfig, &sb); err != nil {
		return fc, err
	}
	var tc struct {
		Lowercase    *bool `json:"do_lower_case"`
		StripAccents *bool `json:"strip_accents"`
		MaxLength    int   `json:"model_max_length"`
	}
	if _, err := readJSON(dir, tokenizerConfg, &tc); err != nil {
		// model_max_length is often a huge float: ignore a bad type there.
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			return fc, err
		}
	}
	if fc.Lowercase == nil {
		fc.Lowercase = tc.Lowercase
	}
	if fc.Lowercase == nil {
		fc.Lowercase = sb.Lowercase
	}
	if fc.Lowercase == nil {
		fc.Lowercase = new(true)
	}
	if fc.StripAccents == nil {
		fc.StripAccents = tc.StripAccents
	}
	if fc.MaxLength == 0 {
		fc.MaxLength = sb.MaxSeqLength
	}
	if fc.MaxLength == 0 && tc.MaxLength > 0 && tc.MaxLength <= 8192 {
		fc.MaxLength = tc.MaxLength
	}
	return fc, nil
}

// readJSON decodes dir/name into v; it reports false when the file does
// not exist.
func readJSON(dir, name string, v any) (bool, error) {
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, assist.Wrap(assist.EINVALID, err, "embedding model: reading "+name)
	case len(data) > maxConfigBytes:
		return false, assist.Errorf(assist.EINVALID, "embedding model: %s is over %d bytes", name, maxConfigBytes)
	}
	if err := json.Unmarshal(data, v); err != nil {
		var te *json.UnmarshalTypeError
		return errors.As(err, &te), assist.Wrap(assist.EINVALID, err, "embedding model: "+name+" is not valid JSON")
	}
	return true, nil
}

func isFile(p string) bool {
	info, err := os.Stat(p)
	return err == nil && !info.IsDir()
}
