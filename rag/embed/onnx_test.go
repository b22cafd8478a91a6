package embed_test

// This file runs the embedder on ONNX Runtime. It is an external test
// package, so the domain package itself never imports models/onnx.

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/models/onnx"
	"github.com/assistd/assist/models/onnxgraph"
	"github.com/assistd/assist/rag/embed"
)

func loadRuntime(t *testing.T) *onnx.Runtime {
	t.Helper()
	rt, err := onnx.Load(onnx.Config{})
	if errors.Is(err, onnx.ErrLibraryNotFound) && os.Getenv("ASSIST_REQUIRE_ORT") == "" {
		t.Skipf("skipping: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close() })
	return rt
}

func flat(t [][]float32) []float32 {
	var out []float32
	for _, r := range t {
		out = append(out, r...)
	}
	return out
}

// bertModel writes a tiny BERT-shaped model: token states are
// word embedding[input_ids] + type embedding[token_type_ids], zeroed where
// attention_mask is 0.
func bertModel(t *testing.T, path string, words, types [][]float32) {
	t.Helper()
	g := onnxgraph.NewGraph("tiny_bert")
	batch, seq := onnxgraph.Dynamic("batch"), onnxgraph.Dynamic("sequence")
	ids := g.Input(embed.InputIDs, onnxgraph.Int64, batch, seq)
	mask := g.Input(embed.AttentionMask, onnxgraph.Int64, batch, seq)
	tt := g.Input(embed.TokenTypeIDs, onnxgraph.Int64, batch, seq)
	h := g.Add(g.Gather(g.Float32s("word_embeddings", flat(words), int64(len(words)), testDim), ids, 0),
		g.Gather(g.Float32s("type_embeddings", flat(types), int64(len(types)), testDim), tt, 0))
	h = g.Mul(h, g.Unsqueeze(g.Cast(mask, onnxgraph.Float32), -1))
	g.Output(g.Rename(h, "last_hidden_state"), onnxgraph.Float32, batch, seq, onnxgraph.Fixed(testDim))
	if err := (&onnxgraph.Model{Graph: g, ProducerName: "assist-test"}).WriteFile(path); err != nil {
		t.Fatal(err)
	}
}

// clsModel writes a model with only input_ids whose states are each
// token's embedding plus the mean embedding of the sequence, so the [CLS]
// state depends on the whole text.
func clsModel(t *testing.T, path string, words [][]float32) {
	t.Helper()
	g := onnxgraph.NewGraph("tiny_cls")
	batch, seq := onnxgraph.Dynamic("batch"), onnxgraph.Dynamic("sequence")
	ids := g.Input(embed.InputIDs, onnxgraph.Int64, batch, seq)
	e := g.Gather(g.Float32s("word_embeddings", flat(words), int64(len(words)), testDim), ids, 0)
	h := g.Add(e, g.ReduceMean(e, true, 1))
	g.Output(g.Rename(h, "token_embeddings"), onnxgraph.Float32, batch, seq, onnxgraph.Fixed(testDim))
	if err := (&onnxgraph.Model{Graph: g, ProducerName: "assist-test"}).WriteFile(path); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func opener(rt *onnx.Runtime) embed.Opener {
	return func(path string) (embed.Model, error) { return rt.OpenSession(path, onnx.SessionOptions{}) }
}

func TestONNXMeanPooling(t *testing.T) {
	rt := loadRuntime(t)
	dir := t.TempDir()
	words, types := table(3), table(4)[:2]
	bertModel(t, filepath.Join(dir, "model.onnx"), words, types)
	writeFile(t, filepath.Join(dir, "vocab.txt"), strings.Join(testVocab, "\n")+"\n")
	writeFile(t, filepath.Join(dir, "1_Pooling", "config.json"), `{"word_embedding_dimension": 6, "pooling_mode_cls_token": false, "pooling_mode_mean_tokens": true}`)
	writeFile(t, filepath.Join(dir, "tokenizer_config.json"), `{"do_lower_case": true, "model_max_length": 1000000000000000019884624838656}`)
	writeFile(t, filepath.Join(dir, "sentence_bert_config.json"), `{"max_seq_length": 8}`)

	e, err := embed.Load(dir, opener(rt))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if e.Dim() != testDim {
		t.Fatalf("Dim = %d", e.Dim())
	}
	tok := tokenizer(t, embed.TokenizerConfig{Lowercase: true, MaxLength: 8})
	texts := []string{"Hello World", "THE refunds!", "退货退款", "hello world, the order the order the order"}
	vs, err := e.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range texts {
		ids := tok.Encode(text)
		if len(ids) > 8 {
			t.Fatalf("max_seq_length not applied: %d ids", len(ids))
		}
		// The Go reference: mean of word + type-0 rows over the real tokens.
		acc := make([]float64, testDim)
		for _, id := range ids {
			for j := range acc {
				acc[j] += float64(words[id][j]) + float64(types[0][j])
			}
		}
		near(t, text, vs[i], unitOf(acc))
	}
	// The same text alone and in a padded batch embeds the same.
	alone, err := e.Embed(context.Background(), texts[:1])
	if err != nil {
		t.Fatal(err)
	}
	near(t, "alone", alone[0], vs[0])
}

func TestONNXCLSPooling(t *testing.T) {
	rt := loadRuntime(t)
	dir := t.TempDir()
	words := table(5)
	if err := os.MkdirAll(filepath.Join(dir, "onnx"), 0o755); err != nil {
		t.Fatal(err)
	}
	clsModel(t, filepath.Join(dir, "onnx", "model.onnx"), words)
	writeFile(t, filepath.Join(dir, "vocab.txt"), strings.Join(testVocab, "\n"))
	writeFile(t, filepath.Join(dir, "assist.json"), `{"pooling": "cls", "lowercase": false, "batch_size": 1}`)

	e, err := embed.Load(dir, opener(rt))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	tok := tokenizer(t, embed.TokenizerConfig{})
	texts := []string{"Café hello", "the refund", "Hello"}
	vs, err := e.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range texts {
		ids := tok.Encode(text)
		acc := make([]float64, testDim)
		for j := range acc {
			var mean float64
			for _, id := range ids {
				mean += float64(words[id][j])
			}
			acc[j] = float64(words[2][j]) + mean/float64(len(ids))
		}
		near(t, text, vs[i], unitOf(acc))
	}
}

func TestLoadErrors(t *testing.T) {
	never := func(string) (embed.Model, error) { t.Fatal("opened a model"); return nil, nil }
	tests := []struct {
		name  string
		files map[string]string
	}{
		{"no vocab", map[string]string{"model.onnx": "x"}},
		{"no model", map[string]string{"vocab.txt": strings.Join(testVocab, "\n")}},
		{"bad assist.json", map[string]string{"assist.json": "{", "vocab.txt": strings.Join(testVocab, "\n"), "model.onnx": "x"}},
		{"max pooling", map[string]string{"1_Pooling/config.json": `{"pooling_mode_max_tokens": true}`, "vocab.txt": strings.Join(testVocab, "\n"), "model.onnx": "x"}},
		{"vocab without [CLS]", map[string]string{"vocab.txt": "[PAD]\n[UNK]\n[SEP]\n", "model.onnx": "x"}},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		for name, content := range tt.files {
			writeFile(t, filepath.Join(dir, name), content)
		}
		if _, err := embed.Load(dir, never); assist.ErrorCode(err) != assist.EINVALID {
			t.Errorf("%s: %v, want EINVALID", tt.name, err)
		}
	}
	if _, err := embed.Load(filepath.Join(t.TempDir(), "missing"), never); assist.ErrorCode(err) != assist.EINVALID {
		t.Errorf("missing folder: %v", err)
	}
}
