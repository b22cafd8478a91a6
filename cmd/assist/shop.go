package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/assistd/assist/demoshop"
	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/webhook"
)

// shopPath is the demo shop's database file: shop.db next to the main
// database.
func shopPath(cfg Config) string {
	return filepath.Join(filepath.Dir(cfg.Store.Path), "shop.db")
}

// openBackend returns the shop backend task flows call, as dialog.backend
// says: the built-in demo shop (opened in shop.db next to the database
// and, with demo.seed, seeded for the demo tenant from demo.shop), the
// shop's webhook (dialog.webhook.*), or none (nil: flows that call an
// action hand off).
func (m *Main) openBackend(ctx context.Context) (flow.Backend, error) {
	cfg := m.Config
	switch cfg.Dialog.Backend {
	case "none":
		return nil, nil
	case "webhook":
		w := cfg.Dialog.Webhook
		return &webhook.Client{URL: w.URL, Secret: w.Secret, Timeout: w.Timeout, Retries: w.Retries, Logger: m.Logger}, nil
	case "demo":
	default:
		return nil, fmt.Errorf("dialog.backend %q: want demo, webhook or none", cfg.Dialog.Backend)
	}
	s, err := demoshop.Open(ctx, shopPath(cfg), demoshop.WithLogger(m.Logger), demoshop.WithZone(cfg.shopZone()), demoshop.WithClock(m.Now))
	if err != nil {
		return nil, err
	}
	m.Shop = s
	if !cfg.Demo.Seed {
		return s, nil
	}
	if _, err := os.Stat(cfg.Demo.Shop); errors.Is(err, fs.ErrNotExist) {
		m.Logger.Warn("demo shop seed file missing; the demo shop is empty", "path", cfg.Demo.Shop)
		return s, nil
	}
	t, err := m.Auth.Store.TenantBySlug(ctx, cfg.Demo.Tenant)
	if err != nil {
		return nil, fmt.Errorf("demo shop: %w", err)
	}
	seeded, err := demoshop.Seed(ctx, s, t.ID, cfg.Demo.Shop)
	if err != nil {
		return nil, err
	}
	m.Logger.Info("demo shop ready", "path", s.Path(), "reseeded", seeded)
	return s, nil
}
