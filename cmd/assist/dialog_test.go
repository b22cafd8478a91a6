package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/assistd/assist/dialog"
)

func TestNewAssistant(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Dialog.Escalation.Anger = 0.8
	cfg.Sentiment.Alpha = 0.25
	a, err := newAssistant(cfg, nil, nil, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := dialog.EscalationRules{Anger: 0.8, AngerAtOnce: 0.8, NegativeTrend: -0.4, NegativeTurns: 2, NegativeLast: -0.7, Fallbacks: 2, VIPTiers: []string{"gold", "platinum"},
		Goodwill: []string{"negative_trend", "vip_complaint"}}
	if !reflect.DeepEqual(a.Rules, want) || a.Alpha != 0.25 || a.KBName != "help" {
		t.Errorf("rules %+v alpha %v kb %q", a.Rules, a.Alpha, a.KBName)
	}
	if name, ok := a.Flows.ForIntent("return_request"); !ok || name != "return_request" {
		t.Errorf("built-in flows: return_request runs %q, %v", name, ok)
	}

	// dialog.flows_dir replaces the built-in flows.
	dir := t.TempDir()
	flowYAML := "name: invoice_copy\nintents: [invoice]\nslots:\n  order:\n    type: order_id\n    prompt: {zh: \"订单号？\", en: \"Order number?\"}\nsteps:\n  - id: ask\n    ask: order\n  - id: done\n    say: {zh: 好的, en: OK}\n    end: true\n"
	if err := os.WriteFile(filepath.Join(dir, "invoice.yaml"), []byte(flowYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg.Dialog.FlowsDir = dir
	if a, err = newAssistant(cfg, nil, nil, nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	if _, ok := a.Flows.ForIntent("invoice"); !ok {
		t.Error("the flow of dialog.flows_dir is not loaded")
	}
	if _, ok := a.Flows.ForIntent("return_request"); ok {
		t.Error("built-in flows loaded besides dialog.flows_dir")
	}

	// A broken flow stops the start with the directory named.
	if err := os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte("name: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := newAssistant(cfg, nil, nil, nil, nil, nil); err == nil || !strings.Contains(err.Error(), dir) {
		t.Errorf("broken flow: err %v, want one naming %s", err, dir)
	}
}
