package main

import (
	"context"
	"testing"
	"time"

	"github.com/assistd/assist/dialog/flow"
)

// The shop file's moment: data/demo/shop.json's written_at.
var shopWritten = time.Date(2026, 11, 8, 14, 0, 0, 0, time.FixedZone("", 8*3600))

func TestClockSetting(t *testing.T) {
	for _, s := range []string{"", "now", "shop", "2026-11-08T14:00:00+08:00", "2026-11-08T06:00:00Z"} {
		if !validClock(s) {
			t.Errorf("validClock(%q) = false", s)
		}
	}
	for _, s := range []string{"today", "2026-11-08", "2026-11-08 14:00", "yesterday"} {
		if validClock(s) {
			t.Errorf("validClock(%q) = true", s)
		}
		if _, err := LoadConfig("", nil, map[string]string{"demo.clock": s}); err == nil {
			t.Errorf("demo.clock %q: no config error", s)
		}
	}
	near := func(got, want time.Time) bool { d := got.Sub(want); return d > -time.Minute && d < time.Minute }

	cfg := DefaultConfig()
	cfg.Demo.Shop = "../../data/demo/shop.json"
	if cfg.Demo.Clock != "" {
		t.Fatalf("default demo.clock %q, want empty (the real clock)", cfg.Demo.Clock)
	}
	for _, real := range []string{"", "now"} {
		cfg.Demo.Clock = real
		now, err := cfg.clock()
		if err != nil || !near(now(), time.Now()) {
			t.Errorf("demo.clock %q: %v: want the real clock", real, err)
		}
	}
	cfg.Demo.Clock = "shop"
	now, err := cfg.clock()
	if err != nil {
		t.Fatal(err)
	}
	a := now()
	if !near(a, shopWritten) {
		t.Errorf("demo.clock shop reads %v, want the file's %v", a, shopWritten)
	}
	time.Sleep(20 * time.Millisecond)
	if b := now(); !b.After(a) || !near(b, shopWritten) {
		t.Errorf("the pinned clock does not run on: %v then %v", a, b)
	}
	cfg.Demo.Clock = "2025-02-03T04:05:06Z"
	if now, err = cfg.clock(); err != nil || !near(now(), time.Date(2025, 2, 3, 4, 5, 6, 0, time.UTC)) {
		t.Errorf("demo.clock moment: %v", err)
	}
	cfg.Demo.Clock = "shop"
	cfg.Demo.Shop = "no/such/shop.json"
	if _, err := cfg.clock(); err == nil {
		t.Error("demo.clock shop without the file: no error")
	}
}

// With demo.clock shop the shop's parcels, the NLU's "yesterday" and the
// flows count from the file's Sunday 2026-11-08; without it from today.
func TestPinnedClockReadsTheShopsDay(t *testing.T) {
	eta := func(m *Main) flow.Result {
		t.Helper()
		tn, err := m.Auth.Store.TenantBySlug(context.Background(), m.Config.Demo.Tenant)
		if err != nil {
			t.Fatal(err)
		}
		// SF parcel, "eta": "+1d" in the file: tomorrow.
		res, err := m.Backend.Call(context.Background(), flow.Request{Action: "get_order", TenantID: tn.ID, CustomerRef: "demo-customer-1",
			Lang: "en", Params: map[string]string{"order_id": "DD202611030001"}})
		if err != nil || res.Status != flow.StatusOK {
			t.Fatalf("get_order = %v, %v", res, err)
		}
		return res
	}
	yesterday := func(m *Main) string {
		for _, e := range m.NLU.Entities.Extract("it was ordered yesterday") {
			if e.Type == "date" {
				return e.Value
			}
		}
		return ""
	}

	pinned, _ := testMainWith(t, func(c *Config) {
		c.Demo.Seed = true
		c.Demo.Shop = "../../data/demo/shop.json"
		c.Demo.Clock = "shop"
	})
	if res := eta(pinned); res.Data["eta"] != "2026-11-09" || res.Data["eta_day"] != "tomorrow" || res.Data["eta_days"] != "1" {
		t.Errorf("pinned: eta %q %q %q, want 2026-11-09 (Monday), tomorrow, 1", res.Data["eta"], res.Data["eta_day"], res.Data["eta_days"])
	}
	if d := yesterday(pinned); d != "2026-11-07" {
		t.Errorf("pinned: yesterday = %q, want 2026-11-07", d)
	}
	if wd := pinned.Now().In(pinned.Config.shopZone()).Weekday(); wd != time.Sunday {
		t.Errorf("pinned: today is %v, want Sunday", wd)
	}

	real, _ := testMainWith(t, func(c *Config) {
		c.Demo.Seed = true
		c.Demo.Shop = "../../data/demo/shop.json"
	})
	today := time.Now().In(real.Config.shopZone())
	if res := eta(real); res.Data["eta"] != today.AddDate(0, 0, 1).Format("2006-01-02") {
		t.Errorf("real clock: eta %q, want tomorrow %s", res.Data["eta"], today.AddDate(0, 0, 1).Format("2006-01-02"))
	}
	if d := yesterday(real); d != today.AddDate(0, 0, -1).Format("2006-01-02") {
		t.Errorf("real clock: yesterday = %q on %s", d, today.Format("2006-01-02"))
	}
}

// The whole-bot evals read the shop's day unless told otherwise.
func TestStoryDriverPinsTheShopClock(t *testing.T) {
	if c := newStoryDriver(DefaultConfig(), t.TempDir()).base.Demo.Clock; c != "shop" {
		t.Errorf("story driver clock %q, want shop", c)
	}
	cfg := DefaultConfig()
	cfg.Demo.Clock = "now"
	if c := newStoryDriver(cfg, t.TempDir()).base.Demo.Clock; c != "now" {
		t.Errorf("story driver clock %q with demo.clock now, want now", c)
	}
}
