package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/api"
	"github.com/assistd/assist/ingest"
	"github.com/assistd/assist/models/onnx"
	"github.com/assistd/assist/models/openai"
	"github.com/assistd/assist/rag"
	"github.com/assistd/assist/rag/embed"
	"github.com/assistd/assist/rag/gse"
	"github.com/assistd/assist/rag/para"
	"github.com/assistd/assist/store/sqlite"
	"github.com/assistd/assist/vector/qdrant"
	vsqlite "github.com/assistd/assist/vector/sqlite"
)

// knowledge is an open knowledge base: the index and the rag service on it.
type knowledge struct {
	Index   rag.Index
	Service *rag.Service
	close   func() error
}

func (k *knowledge) Close() error {
	if k == nil || k.close == nil {
		return nil
	}
	return k.close()
}

// openKnowledge opens the configured index (kb.backend) and builds the rag
// service on it with the configured embedder (rag.embedder) and generator
// (gen, nil for extractive answers).
func openKnowledge(ctx context.Context, cfg Config, gen rag.Generator, logger *slog.Logger) (*knowledge, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	emb, closeEmb, err := newEmbedder(cfg, logger)
	if err != nil {
		return nil, err
	}
	dim := 0
	if emb != nil {
		dim = emb.Dim()
	}
	k := &knowledge{}
	switch cfg.KB.Backend {
	case "sqlite":
		path := kbPath(cfg)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			closeEmb()
			return nil, fmt.Errorf("kb folder: %w", err)
		}
		ix, err := vsqlite.Open(ctx, path, vsqlite.WithDim(dim), vsqlite.WithLogger(logger))
		if err != nil {
			closeEmb()
			return nil, err
		}
		k.Index, k.close = ix, ix.Close
	case "qdrant":
		ix, err := qdrant.Open(ctx, qdrant.Config{URL: cfg.Qdrant.URL, APIKey: cfg.Qdrant.APIKey,
			Collection: cfg.Qdrant.Collection, Dim: dim, Logger: logger})
		if err != nil {
			closeEmb()
			return nil, err
		}
		if err := ix.EnsureCollection(ctx); err != nil {
			ix.Close()
			closeEmb()
			return nil, err
		}
		k.Index, k.close = ix, ix.Close
	default:
		closeEmb()
		return nil, fmt.Errorf("kb.backend %q is unknown", cfg.KB.Backend)
	}
	closeIndex, ix := k.close, k.Index
	k.close = func() error {
		rag.ForgetIndex(ix) // what rag caches for it would keep it (and the question encoder) reachable
		return errors.Join(closeIndex(), closeEmb())
	}
	var an rag.Analyzer = rag.Bigrams{}
	if cfg.RAG.Analyzer == "gse" {
		if an, err = gse.New(); err != nil {
			k.Close()
			return nil, err
		}
	}
	var paraphrases rag.QuestionEncoder
	if dir := cfg.RAG.ParaphraseModel; dir != "" {
		n, err := para.Load(dir)
		if err != nil {
			k.Close()
			return nil, fmt.Errorf("rag.paraphrase_model: %w (unset it, or run `make models`)", err)
		}
		paraphrases = n
	}
	k.Service = &rag.Service{
		Paraphrases: paraphrases,
		Index:       k.Index,
		Analyzer:    an,
		Embedder:    emb,
		Generator:   gen,
		// Knowledge gaps are recorded by the service's gap recorder
		// (Main.GapRecorder: masked, only what a conversation's turn left
		// unanswered); the command-line tools record none.
		Logger: logger,
		Config: rag.Config{
			KeywordWeight:  cfg.RAG.KeywordWeight,
			DenseWeight:    cfg.RAG.DenseWeight,
			Limit:          cfg.RAG.TopK,
			Threshold:      cfg.RAG.Threshold,
			ContextChunks:  cfg.RAG.ContextChunks,
			SearchCacheTTL: searchCacheTTL(cfg.RAG.SearchCacheTTL),
		},
	}
	return k, nil
}

// searchCacheTTL is rag.search_cache_ttl as rag.Config takes it: 0
// (remember no search) is negative there.
func searchCacheTTL(d time.Duration) time.Duration {
	if d == 0 {
		return -1
	}
	return d
}

// kbPath is the embedded index's file: kb.path, or kb.db next to the
// database (store.path).
func kbPath(cfg Config) string {
	if cfg.KB.Path != "" {
		return cfg.KB.Path
	}
	return filepath.Join(filepath.Dir(cfg.Store.Path), "kb.db")
}

// newEmbedder returns the configured dense embedder (nil for none) and
// what releases it.
func newEmbedder(cfg Config, logger *slog.Logger) (rag.Embedder, func() error, error) {
	noop := func() error { return nil }
	switch cfg.RAG.Embedder {
	case "none", "":
		return nil, noop, nil
	case "hash":
		return rag.HashEmbedder{Dims: cfg.RAG.HashDim}, noop, nil
	case "openai":
		c, err := newLLMClient(cfg)
		if err != nil {
			return nil, nil, err
		}
		return openaiEmbedder{Client: c, dim: cfg.RAG.EmbedDim}, noop, nil
	case "onnx":
		return newONNXEmbedder(cfg, logger)
	default:
		return nil, nil, fmt.Errorf("rag.embedder %q is unknown", cfg.RAG.Embedder)
	}
}

// newONNXEmbedder loads the sentence-embedding model in rag.onnx_dir
// through ONNX Runtime. The runtime's environment is reference-counted, so
// this load shares it with the service's.
func newONNXEmbedder(cfg Config, logger *slog.Logger) (rag.Embedder, func() error, error) {
	rt, err := onnx.Load(onnx.Config{LibraryPath: cfg.ONNX.Library, IntraOpThreads: cfg.ONNX.Threads, Logger: logger})
	if err != nil {
		return nil, nil, fmt.Errorf("rag.embedder onnx: %w", err)
	}
	emb, err := embed.Load(cfg.RAG.ONNXDir, func(path string) (embed.Model, error) {
		return rt.OpenSession(path, onnx.SessionOptions{Name: "embedder"})
	})
	if err != nil {
		rt.Close()
		return nil, nil, fmt.Errorf("rag.embedder onnx: %w", err)
	}
	return emb, func() error { return errors.Join(emb.Close(), rt.Close()) }, nil
}

// openaiEmbedder is the OpenAI-compatible embeddings client as a
// rag.Embedder; its size comes from rag.embed_dim.
type openaiEmbedder struct {
	*openai.Client
	dim int
}

func (e openaiEmbedder) Dim() int { return e.dim }

// newLLMClient is the OpenAI-compatible client of the llm.* settings.
func newLLMClient(cfg Config) (*openai.Client, error) {
	return openai.New(openai.Config{BaseURL: cfg.LLM.BaseURL, APIKey: cfg.LLM.APIKey, ChatModel: cfg.LLM.ChatModel,
		EmbedModel: cfg.LLM.EmbedModel, Timeout: cfg.LLM.Timeout})
}

// newGenerator returns the chat model for grounded answers (llm.base_url);
// nil, for extractive answers, when no LLM is configured.
func newGenerator(cfg Config) (rag.Generator, error) {
	if cfg.LLM.BaseURL == "" {
		return nil, nil
	}
	return newLLMClient(cfg)
}

// ingestSizes are the chunk sizes of the configuration.
func ingestSizes(cfg Config) ingest.Sizes {
	return ingest.Sizes{ZH: cfg.KB.ChunkZH, EN: cfg.KB.ChunkEN}
}

// tenantSlug is the tenant a command works on: slug, or demo.tenant
// when it is "" (every command's --tenant default).
func tenantSlug(cfg Config, slug string) string {
	if slug == "" {
		return cfg.Demo.Tenant
	}
	return slug
}

// tenantID resolves a tenant slug ("": demo.tenant, tenantSlug) to its id
// in the store (store.path), creating the tenant when create is set.
func tenantID(ctx context.Context, cfg Config, slug string, create bool) (string, error) {
	slug = tenantSlug(cfg, slug)
	if dir := filepath.Dir(cfg.Store.Path); dir != "" && create {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", fmt.Errorf("data folder: %w", err)
		}
	}
	db, err := sqlite.Open(ctx, cfg.Store.Path)
	if err != nil {
		return "", err
	}
	defer db.Close()
	a := newAuthService(db, cfg)
	if create {
		t, _, err := a.EnsureTenant(ctx, slug, slug)
		if err != nil {
			return "", err
		}
		return t.ID, nil
	}
	t, err := a.Store.TenantBySlug(ctx, slug)
	if err != nil {
		if assist.ErrorCode(err) == assist.ENOTFOUND {
			return "", fmt.Errorf("tenant %q not found (assist ingest creates it)", slug)
		}
		return "", err
	}
	return t.ID, nil
}

// openKnowledge opens the knowledge base for the service and, with
// demo.seed, ingests the demo help center (kb.demo_dir) into the demo
// tenant's kb.demo_kb.
func (m *Main) openKnowledge(ctx context.Context) error {
	gen, err := newGenerator(m.Config)
	if err != nil {
		return err
	}
	k, err := openKnowledge(ctx, m.Config, gen, m.Logger)
	if err != nil {
		return err
	}
	// The knowledge base's abstentions go to the gap recorder, which
	// keeps those the bot's turn really left unanswered.
	k.Service.Gaps = m.GapRecorder
	m.Knowledge = k
	if !m.Config.Demo.Seed {
		return nil
	}
	t, err := m.Auth.Store.TenantBySlug(ctx, m.Config.Demo.Tenant)
	if err != nil {
		return fmt.Errorf("demo help center: %w", err)
	}
	sum, err := seedHelpCenter(ctx, k.Service, m.Config, t.ID)
	if err != nil {
		return fmt.Errorf("demo help center: %w", err)
	}
	m.Logger.Info("demo help center ready", "kb", m.Config.KB.DemoKB, "ingested", sum.Documents, "chunks", sum.Chunks)
	return nil
}

// seedHelpCenter ingests the demo help center's files whose documents are
// missing or older than the file; unchanged files are skipped, so it is
// cheap to run at every start. A missing folder is not an error (nothing
// to seed).
func seedHelpCenter(ctx context.Context, svc *rag.Service, cfg Config, tenantID string) (IngestSummary, error) {
	var sum IngestSummary
	if _, err := os.Stat(cfg.KB.DemoDir); errors.Is(err, fs.ErrNotExist) {
		return sum, nil
	}
	files, err := ingest.Files([]string{cfg.KB.DemoDir})
	if err != nil {
		return sum, err
	}
	f := rag.Filter{TenantID: tenantID, KB: cfg.KB.DemoKB}
	have, err := svc.Documents(ctx, f)
	if err != nil {
		return sum, err
	}
	stored := map[string]time.Time{}
	for _, d := range have {
		stored[d.Doc] = d.UpdatedAt
	}
	opt := ingest.Options{TenantID: tenantID, KB: cfg.KB.DemoKB, Sizes: ingestSizes(cfg)}
	for _, path := range files {
		docs, err := ingest.LoadFile(ctx, path, opt)
		if err != nil {
			return sum, err
		}
		for _, d := range docs {
			if at, ok := stored[d.Doc]; ok && at.Equal(d.UpdatedAt.UTC()) {
				continue
			}
			n, err := svc.Ingest(ctx, d)
			if err != nil {
				return sum, fmt.Errorf("%s: %w", path, err)
			}
			sum.Documents++
			sum.Chunks += n
		}
	}
	if sum.Documents > 0 {
		if err := svc.Compact(ctx, f); err != nil {
			return sum, err
		}
	}
	return sum, nil
}

// api is the knowledge console's view of k.
func (k *knowledge) api(cfg Config) *api.Knowledge {
	sizes := ingestSizes(cfg)
	return &api.Knowledge{
		Service:        k.Service,
		MaxUploadBytes: cfg.KB.MaxUploadBytes,
		Load: func(ctx context.Context, name string, r io.Reader, tenantID, kb string) ([]rag.Document, error) {
			return ingest.Load(ctx, name, name, r, ingest.Options{TenantID: tenantID, KB: kb, Sizes: sizes, MaxBytes: cfg.KB.MaxUploadBytes})
		},
	}
}
