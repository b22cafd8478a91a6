package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assistd/assist/models/onnxgraph"
	"github.com/assistd/assist/rag"
	"github.com/assistd/assist/rag/embed"
)

// writeEmbeddingModel writes a tiny sentence-embedding model folder: a
// BERT-shaped graph whose token states are word embeddings, a WordPiece
// vocabulary, and a mean-pooling config, as sentence-transformers lays it
// out.
func writeEmbeddingModel(t *testing.T) string {
	t.Helper()
	vocab := []string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "return", "postage", "shipping", "free", "invoice", "member", "pays", "who", "发", "票"}
	const dim = 4
	table := make([]float32, 0, len(vocab)*dim)
	for i := range vocab {
		for j := 0; j < dim; j++ {
			table = append(table, float32((i*7+j*3)%11)/11+0.05)
		}
	}
	dir := t.TempDir()
	g := onnxgraph.NewGraph("tiny_encoder")
	batch, seq := onnxgraph.Dynamic("batch"), onnxgraph.Dynamic("sequence")
	ids := g.Input(embed.InputIDs, onnxgraph.Int64, batch, seq)
	mask := g.Input(embed.AttentionMask, onnxgraph.Int64, batch, seq)
	h := g.Gather(g.Float32s("word_embeddings", table, int64(len(vocab)), dim), ids, 0)
	h = g.Mul(h, g.Unsqueeze(g.Cast(mask, onnxgraph.Float32), -1))
	g.Output(g.Rename(h, "last_hidden_state"), onnxgraph.Float32, batch, seq, onnxgraph.Fixed(dim))
	if err := (&onnxgraph.Model{Graph: g, ProducerName: "assist-test"}).WriteFile(filepath.Join(dir, "model.onnx")); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"vocab.txt":             strings.Join(vocab, "\n") + "\n",
		"1_Pooling/config.json": `{"word_embedding_dimension": 4, "pooling_mode_cls_token": false, "pooling_mode_mean_tokens": true}`,
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// The onnx embedder: a sentence-embedding model in a folder feeds the
// dense leg of ingestion and search through ONNX Runtime.
func TestONNXEmbedderFeedsDenseLeg(t *testing.T) {
	requireORT(t)
	model := writeEmbeddingModel(t)
	kb := writeKB(t)
	data := t.TempDir()
	set := []string{"--set", "store.path=" + filepath.Join(data, "assist.db"), "--set", "log.level=error",
		"--set", "rag.embedder=onnx", "--set", "rag.onnx_dir=" + model}
	if out, errs, code := runCLI(t, append(set, "ingest", "--kb", "help", "--tenant", "shop", kb)...); code != 0 {
		t.Fatalf("ingest: %d %q %q", code, out, errs)
	}

	cfg := DefaultConfig()
	cfg.Store.Path = filepath.Join(data, "assist.db")
	cfg.RAG.Embedder, cfg.RAG.ONNXDir = "onnx", model
	k, err := openKnowledge(context.Background(), cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	if k.Service.Embedder == nil || k.Service.Embedder.Dim() != 4 {
		t.Fatalf("embedder %v, want the 4-dimensional ONNX model", k.Service.Embedder)
	}
	tenantID, err := tenantID(context.Background(), cfg, "shop", false)
	if err != nil {
		t.Fatal(err)
	}
	hits, err := k.Service.Search(context.Background(), rag.SearchRequest{Filter: rag.Filter{TenantID: tenantID, KB: "help"}, Question: "who pays return postage"})
	if err != nil {
		t.Fatal(err)
	}
	dense := 0
	for _, h := range hits {
		if h.DenseRank > 0 {
			dense++
		}
	}
	if len(hits) == 0 || dense == 0 {
		t.Fatalf("%d hits, %d from the dense leg; want the ONNX embeddings searched", len(hits), dense)
	}
}

func TestONNXEmbedderNeedsFolder(t *testing.T) {
	_, errs, code := runCLI(t, "--set", "rag.embedder=onnx", "ask", "--kb", "help", "x")
	if code == 0 || !strings.Contains(errs, "rag.onnx_dir") {
		t.Fatalf("rag.embedder=onnx without a folder: code %d, %q; want an error naming rag.onnx_dir", code, errs)
	}
}
