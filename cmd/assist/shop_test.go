package main

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/assistd/assist/demoshop"
	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/webhook"
)

func TestDemoShopSeededWithDemo(t *testing.T) {
	m, _ := testMainWith(t, func(c *Config) { c.Demo.Seed = true; c.Demo.Shop = "../../data/demo/shop.json" })
	if m.Shop == nil || m.Backend == nil {
		t.Fatalf("Shop %v, Backend %v: want the demo shop", m.Shop, m.Backend)
	}
	if want := filepath.Join(filepath.Dir(m.Config.Store.Path), "shop.db"); m.Shop.Path() != want {
		t.Errorf("shop at %s, want %s", m.Shop.Path(), want)
	}
	tn, err := m.Auth.Store.TenantBySlug(context.Background(), m.Config.Demo.Tenant)
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Backend.Call(context.Background(), flow.Request{Action: "get_order", TenantID: tn.ID, CustomerRef: "demo-customer-1",
		Lang: "en", Params: map[string]string{"order_id": "DD202611030001"}})
	if err != nil || res.Status != flow.StatusOK || res.Data["carrier"] != "SF" {
		t.Fatalf("get_order on the demo tenant = %v, %v", res, err)
	}
}

func TestDemoShopWithoutSeedIsEmpty(t *testing.T) {
	m, _ := testMainWith(t, func(c *Config) { c.Demo.Shop = "../../data/demo/shop.json" })
	res, err := m.Backend.Call(context.Background(), flow.Request{Action: "get_member", TenantID: "any", CustomerRef: "demo-customer-1"})
	if err != nil || res.Status != "not_found" {
		t.Fatalf("get_member without seeding = %v, %v", res, err)
	}
}

func TestBackendConfig(t *testing.T) {
	// A shop's webhook, here the demo shop behind its handler.
	shop, err := demoshop.Open(context.Background(), filepath.Join(t.TempDir(), "remote.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer shop.Close()
	if _, err := demoshop.Seed(context.Background(), shop, "t1", "../../data/demo/shop.json"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(demoshop.Handler(shop, "hook-secret", nil))
	defer srv.Close()

	m, _ := testMainWith(t, func(c *Config) {
		c.Dialog.Backend = "webhook"
		c.Dialog.Webhook.URL = srv.URL
		c.Dialog.Webhook.Secret = "hook-secret"
		c.Dialog.Webhook.Timeout = 2 * time.Second
		c.Dialog.Webhook.Retries = 1
	})
	c, ok := m.Backend.(*webhook.Client)
	if !ok || m.Shop != nil {
		t.Fatalf("Backend %T, Shop %v: want the webhook client only", m.Backend, m.Shop)
	}
	if c.URL != srv.URL || c.Secret != "hook-secret" || c.Timeout != 2*time.Second || c.Retries != 1 {
		t.Errorf("client %+v does not follow the config", c)
	}
	res, err := m.Backend.Call(context.Background(), flow.Request{Action: "get_member", TenantID: "t1", CustomerRef: "demo-customer-2"})
	if err != nil || res.Data["tier"] != "gold" {
		t.Fatalf("get_member over the webhook = %v, %v", res, err)
	}
	if _, err := os.Stat(shopPath(m.Config)); !os.IsNotExist(err) {
		t.Errorf("the webhook backend created %s", shopPath(m.Config))
	}

	m2, _ := testMainWith(t, func(c *Config) { c.Dialog.Backend = "none" })
	if m2.Backend != nil || m2.Shop != nil {
		t.Errorf("dialog.backend none: Backend %v, Shop %v", m2.Backend, m2.Shop)
	}
}
