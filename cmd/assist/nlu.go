package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/assistd/assist"
	"github.com/assistd/assist/api"
	"github.com/assistd/assist/models"
	"github.com/assistd/assist/nlu"
	"github.com/assistd/assist/nlu/entity"
	"github.com/assistd/assist/nlu/intent"
	"github.com/assistd/assist/nlu/llmintent"
	"github.com/assistd/assist/nlu/pii"
)

// openNLU builds the NLU pipeline and loads the default intent model from
// nlu.model_dir through ONNX Runtime. A missing model or runtime is a
// warning, not an error: the service starts, and /v1/nlu/parse answers 503
// until a model is loaded (POST /v1/admin/models/intent/reload or SIGHUP).
func (m *Main) openNLU() error {
	cfg := m.Config
	strategy, err := nlu.ParseStrategy(cfg.NLU.Strategy)
	if err != nil {
		return err
	}
	if strategy == nlu.StrategyONNX && cfg.NLU.LLMFallback {
		strategy = nlu.StrategyFallback
	}
	open := func(string) (models.Runner, error) {
		return nil, assist.Errorf(assist.EUNAVAILABLE, "ONNX Runtime is not available (run `make ort`)")
	}
	if m.ORT != nil {
		open = intentOpener(m.ORT)
	}
	m.Intents = intent.NewClassifier(open)
	m.Intents.Threshold, m.Intents.Margin = float32(cfg.NLU.Threshold), float32(cfg.NLU.Margin)
	if _, err := m.reloadIntents(); err != nil {
		if assist.ErrorCode(err) == assist.ENOTFOUND {
			m.Logger.Warn("no intent model: run `make models` to train the default one; /v1/nlu/parse answers 503 until then", "dir", cfg.NLU.ModelDir)
		} else {
			m.Logger.Warn("intent model not loaded; /v1/nlu/parse answers 503 until it is", "dir", cfg.NLU.ModelDir, "err", err)
		}
	}
	if m.LLMIntents == nil && cfg.LLM.BaseURL != "" {
		client, err := newLLMClient(cfg)
		if err != nil {
			return err
		}
		m.LLMIntents = &llmintent.Classifier{Chat: client, Timeout: cfg.NLU.LLMTimeout, Model: cfg.LLM.ChatModel}
	}
	if strategy != nlu.StrategyONNX && m.LLMIntents == nil {
		m.Logger.Warn("nlu.strategy asks for an LLM but llm.base_url is not set; the intent model answers alone", "strategy", string(strategy))
	}
	catPath := cfg.NLU.Catalog
	if catPath == "" && cfg.Demo.Seed {
		catPath = cfg.Demo.Catalog
		if _, err := os.Stat(catPath); err != nil {
			m.Logger.Warn("demo catalogue not found; product names will not be recognised", "path", catPath)
			catPath = ""
		}
	}
	catalogue, err := loadCatalogue(catPath)
	if err != nil {
		return err
	}
	ents, err := entity.New(entity.Config{Catalogue: catalogue, Location: cfg.shopZone(), Now: m.Now})
	if err != nil {
		return err
	}
	m.NLU = &nlu.Pipeline{
		Model:      m.Intents,
		LLM:        m.LLMIntents,
		Entities:   ents,
		PII:        pii.Masker{},
		Strategy:   strategy,
		LLMTimeout: cfg.NLU.LLMTimeout,
		Log:        m.Logger,
	}
	m.API.NLU = &api.NLU{
		Parse:  m.NLU.Parse,
		Reload: func(context.Context) (string, error) { return m.reloadIntents() },
	}
	return nil
}

// reloadIntents loads the intent model from nlu.model_dir, replacing the
// one in use without dropping requests, and returns its version.
func (m *Main) reloadIntents() (string, error) {
	return m.loadModelDir("intent", m.Config.NLU.ModelDir, m.Intents.Load)
}

// loadModelDir loads the model of a kind ("intent", "sentiment") from dir
// with load, logging its version. A directory without model.json is
// ENOTFOUND, naming `make models`.
func (m *Main) loadModelDir(kind, dir string, load func(string) (intent.Meta, error)) (string, error) {
	if _, err := os.Stat(filepath.Join(dir, intent.MetaFile)); errors.Is(err, os.ErrNotExist) {
		return "", assist.Errorf(assist.ENOTFOUND, "no %s model in %s (run `make models`)", kind, dir)
	}
	meta, err := load(dir)
	if err != nil {
		return "", err
	}
	m.Logger.Info(kind+" model loaded", "model", meta.Version, "labels", len(meta.Labels), "dir", dir)
	return meta.Version, nil
}

// reloadOnSIGHUP reloads the intent and sentiment models on each SIGHUP
// until ctx ends; a model that fails to load keeps the one in use.
func (m *Main) reloadOnSIGHUP(ctx context.Context) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			if _, err := m.reloadIntents(); err != nil {
				m.Logger.Error("intent model reload on SIGHUP failed; keeping the current model", "err", err)
			}
			if m.Sentiment != nil {
				if _, err := m.reloadSentiment(); err != nil {
					m.Logger.Error("sentiment model reload on SIGHUP failed; keeping the current model", "err", err)
				}
			}
		}
	}
}

// catalogueItem is one product of a catalogue file (nlu.catalog): a JSON
// array of products with their names in each language and aliases.
type catalogueItem struct {
	SKU     string   `json:"sku"`
	Name    string   `json:"name"`
	NameZH  string   `json:"name_zh"`
	Aliases []string `json:"aliases"`
}

// loadCatalogue reads the product catalogue the entity extractor matches
// product names against; an empty path means no products.
func loadCatalogue(path string) ([]entity.Item, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("nlu.catalog: %w", err)
	}
	var items []catalogueItem
	if err := json.Unmarshal(b, &items); err != nil {
		return nil, fmt.Errorf("nlu.catalog %s: %w", path, err)
	}
	out := make([]entity.Item, 0, len(items))
	for _, it := range items {
		var names []string
		for _, n := range append([]string{it.Name, it.NameZH}, it.Aliases...) {
			if strings.TrimSpace(n) != "" {
				names = append(names, n)
			}
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("nlu.catalog %s: product %q has no name", path, it.SKU)
		}
		out = append(out, entity.Item{ID: it.SKU, Names: names})
	}
	return out, nil
}
